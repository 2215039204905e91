#include "store/sqlite/migrations.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "store/common/migrations.h"

namespace onestop::store::sqlite {

// The SQLite column of the shared list (store/common/migrations.h).
const std::vector<std::string_view>& Migrations() {
  static const std::vector<std::string_view> kMigrations = [] {
    std::vector<std::string_view> out;
    for (const Migration& migration : store::Migrations()) out.push_back(migration.sqlite);
    return out;
  }();
  return kMigrations;
}

absl::StatusOr<int> ReadSchemaVersion(Db& db) {
  {
    absl::StatusOr<Stmt> exists = db.Prepare(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'");
    if (!exists.ok()) return exists.status();
    absl::StatusOr<bool> row = exists->Step();
    if (!row.ok()) return row.status();
    if (!*row) return 0;
  }
  absl::StatusOr<Stmt> max = db.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!max.ok()) return max.status();
  absl::StatusOr<bool> row = max->Step();
  if (!row.ok()) return row.status();
  return static_cast<int>(max->Int(0));
}

absl::Status ApplyMigrations(Db& db, absl::Time now) {
  absl::Status status = db.Exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)");
  if (!status.ok()) return status;
  const std::vector<std::string_view>& migrations = Migrations();
  const int latest = static_cast<int>(migrations.size());
  for (int version = 1; version <= latest; ++version) {
    // BEGIN IMMEDIATE takes the write lock first, so two processes migrating
    // at once serialise and the second sees the first's row.
    status = db.Exec("BEGIN IMMEDIATE");
    if (!status.ok()) return status;
    absl::StatusOr<int> current = ReadSchemaVersion(db);
    if (!current.ok()) {
      db.Exec("ROLLBACK").IgnoreError();
      return current.status();
    }
    if (*current > latest) {
      db.Exec("ROLLBACK").IgnoreError();
      return absl::FailedPreconditionError(
          absl::StrCat("database schema version ", *current,
                       " is newer than this program understands (", latest, ")"));
    }
    if (*current >= version) {
      status = db.Exec("COMMIT");
      if (!status.ok()) return status;
      continue;
    }
    status = db.Exec(std::string(migrations[version - 1]));
    if (status.ok()) {
      absl::StatusOr<Stmt> record =
          db.Prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)");
      status = record.ok() ? record->Bind(version).Bind(now).Run() : record.status();
    }
    if (status.ok()) status = db.Exec("COMMIT");
    if (!status.ok()) {
      if (db.InTransaction()) db.Exec("ROLLBACK").IgnoreError();
      return absl::Status(status.code(), absl::StrCat("migration ", version, ": ", status.message()));
    }
  }
  return absl::OkStatus();
}

}  // namespace onestop::store::sqlite
