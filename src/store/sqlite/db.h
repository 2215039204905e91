// A thin RAII layer over the SQLite C API used by the SQLite store.
//
// Db owns one sqlite3 connection and a cache of prepared statements keyed by
// SQL text. Db::Prepare hands out a Stmt: a scoped handle that binds
// parameters (positionally, in call order), steps, reads columns, and on
// destruction resets the statement and returns it to the cache. Values are
// only ever bound (sqlite3_bind_*), never spliced into SQL text.
//
// Threads: a Db (and every Stmt from it) is used by one thread at a time; the
// store gives the write connection to its writer thread and lends read
// connections from a ReadPool. Nothing here locks. A Stmt must not outlive its
// Db. If the same SQL is prepared again while a Stmt for it is still alive
// (nested use), the second Stmt gets a private, uncached statement.
//
// Errors from SQLite become absl::Status where they arise (SqliteError):
//   UNIQUE / PRIMARY KEY constraint  → AlreadyExists
//   FOREIGN KEY constraint           → FailedPrecondition
//   BUSY / LOCKED                    → Unavailable
//   anything else                    → Internal (with sqlite3_errmsg)
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace onestop::store::sqlite {

// Maps an SQLite result code (extended codes understood) to a Status.
absl::Status SqliteError(int rc, std::string_view context, sqlite3* db = nullptr);

class Db;

class Stmt {
 public:
  Stmt(Stmt&& other) noexcept;
  Stmt& operator=(Stmt&&) = delete;
  Stmt(const Stmt&) = delete;
  ~Stmt();

  // Binders: each binds the next parameter (1, 2, 3 ...). A bind failure is
  // remembered and reported by the next Step/Run.
  Stmt& Bind(int64_t v);
  Stmt& Bind(int v) { return Bind(static_cast<int64_t>(v)); }
  Stmt& Bind(bool v) { return Bind(static_cast<int64_t>(v ? 1 : 0)); }
  Stmt& Bind(double v);
  Stmt& Bind(std::string_view v);
  Stmt& Bind(const std::string& v) { return Bind(std::string_view(v)); }
  Stmt& Bind(const char* v) { return Bind(std::string_view(v)); }
  Stmt& Bind(absl::Time t);  // unix microseconds
  Stmt& BindNull();
  template <typename T>
  Stmt& Bind(const std::optional<T>& v) {
    return v.has_value() ? Bind(*v) : BindNull();
  }

  // Advances: true when a row is available, false when done.
  absl::StatusOr<bool> Step();
  // Steps to completion, ignoring any rows.
  absl::Status Run();
  // Runs a statement expected to return at most one row; false if none.
  absl::StatusOr<bool> StepOne() { return Step(); }

  // Column readers for the current row (0-based).
  bool IsNull(int col) const;
  int64_t Int(int col) const;
  double Double(int col) const;
  std::string Text(int col) const;
  absl::Time Time(int col) const;  // from unix microseconds
  std::optional<int64_t> OptInt(int col) const;
  std::optional<double> OptDouble(int col) const;
  std::optional<absl::Time> OptTime(int col) const;

 private:
  friend class Db;
  Stmt(Db* db, sqlite3_stmt* stmt, bool cached, const std::string* sql);

  Db* db_;
  sqlite3_stmt* stmt_;
  bool cached_;  // true: return to the cache on destruction; false: finalize
  const std::string* sql_;
  int next_param_ = 1;
  int bind_rc_ = SQLITE_OK;
};

class Db {
 public:
  using Stmt = sqlite::Stmt;
  // The SQLite dialect of the statements store/common shares with PostgreSQL.
  // One writer: a counter row for case numbers, the rowid for event seq (a
  // rolled-back savepoint gives its numbers to the next append, so gap-free).
  static constexpr char kNextCaseNumberSql[] =
      "UPDATE counters SET value = value + 1 WHERE name = 'case_number' RETURNING value";
  static constexpr char kAppendEventSql[] =
      "INSERT INTO events (at, actor_id, channel, entity, entity_id, entity_key, type, case_id, "
      "citizen_id, changes_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq";
  // LIKE is case-insensitive for ASCII; the name columns are COLLATE NOCASE.
  static constexpr char kNamePrefixMatchSql[] =
      " AND (given_name LIKE ? ESCAPE '\\' OR family_name LIKE ? ESCAPE '\\')";
  static constexpr char kCaseTextMatchSql[] =
      " AND (reference LIKE ? ESCAPE '\\' OR summary LIKE ? ESCAPE '\\')";
  // One writer: nothing to lock a read row against.
  static constexpr char kForShareSql[] = "";

  struct OpenOptions {
    bool create = true;
    absl::Duration busy_timeout = absl::Seconds(5);
    bool query_only = false;  // reader connections refuse writes
  };

  // Opens `path` and applies the connection PRAGMAs: journal_mode=WAL,
  // synchronous=FULL, foreign_keys=ON, busy_timeout.
  static absl::StatusOr<std::unique_ptr<Db>> Open(const std::string& path, const OpenOptions& options);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // A statement for `sql`, from the cache when possible.
  absl::StatusOr<Stmt> Prepare(const std::string& sql);
  // Runs one or more SQL statements with no parameters (DDL, BEGIN, ...).
  absl::Status Exec(const std::string& sql);

  int64_t LastInsertRowid() const { return sqlite3_last_insert_rowid(db_); }
  int Changes() const { return sqlite3_changes(db_); }
  bool InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }
  sqlite3* raw() { return db_; }

 private:
  friend class sqlite::Stmt;
  struct CacheEntry {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };
  explicit Db(sqlite3* db) : db_(db) {}
  void Return(const std::string* sql, sqlite3_stmt* stmt);

  sqlite3* db_;
  std::unordered_map<std::string, CacheEntry> cache_;
};

}  // namespace onestop::store::sqlite
