// Versioned schema migrations for the SQLite store (the SQL is in the shared
// list, store/common/migrations.h, beside the PostgreSQL dialect).
//
// kMigrations[i] is schema version i + 1. Each is applied in its own
// transaction together with its row in schema_migrations(version,
// applied_at), so a crash leaves the schema at a whole version. Applying is
// idempotent: versions already recorded are skipped. Migrations are append
// only — never edit one that has shipped; add the next.
//
// The SQL keeps to the dialect SQLite and PostgreSQL share where that is easy
// (INTEGER/TEXT/REAL columns, times as INTEGER unix microseconds, JSON as
// TEXT) so store/postgres can reuse the logical schema.
//
// Threads: call with a connection no other thread is using.
#pragma once

#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "store/sqlite/db.h"

namespace onestop::store::sqlite {

// The ordered migrations (version = index + 1).
const std::vector<std::string_view>& Migrations();

// Highest applied version; 0 for a database never migrated.
absl::StatusOr<int> ReadSchemaVersion(Db& db);

// Applies every migration newer than the database's version. Fails with
// FailedPrecondition if the database is newer than this binary knows.
absl::Status ApplyMigrations(Db& db, absl::Time now);

}  // namespace onestop::store::sqlite
