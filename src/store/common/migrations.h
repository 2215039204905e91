// The versioned schema of every store, SQLite and PostgreSQL side by side.
//
// Migrations()[i] is schema version i + 1: a description and the SQL for each
// dialect, kept together so the two stores stay in step. Append only — never
// edit a migration that has shipped; add the next one (with both dialects).
//
// Dialect notes: SQLite's INTEGER is 64-bit, PostgreSQL's is not, so the
// PostgreSQL side uses BIGINT (and DOUBLE PRECISION for REAL). Times are
// BIGINT unix microseconds in both, JSON lists are TEXT in both. Row ids the
// store assigns are INTEGER PRIMARY KEY (SQLite rowid) / identity columns
// (PostgreSQL). Case numbers: SQLite counts in counters('case_number') (one
// writer), PostgreSQL uses the sequence case_number (several nodes). Event
// seq: SQLite rowid of a single-writer table; PostgreSQL counters('event_seq')
// locked per append until commit (see the events table comment).
//
// Pure data; any thread.
#pragma once

#include <string_view>
#include <vector>

namespace onestop::store {

struct Migration {
  int version;
  std::string_view description;
  std::string_view sqlite;
  std::string_view postgres;
};

// The ordered migrations (version = index + 1).
const std::vector<Migration>& Migrations();

}  // namespace onestop::store
