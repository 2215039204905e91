// A thin RAII layer over libpq used by the PostgreSQL store, with the same
// small API as store/sqlite/db.h so the shared SQL code (store/common/sql_*.h)
// runs on either backend.
//
// Db owns one PGconn and a cache of server-side prepared statements keyed by
// SQL text. SQL is written with `?` placeholders (as for SQLite); Prepare
// rewrites them to $1, $2, ... (outside string literals) and prepares the
// statement once per connection. Stmt binds parameters positionally, in call
// order, always as bound values (text format), never spliced into SQL. The
// first Step()/Run() executes; results are buffered, so statements may nest.
//
// Threads: a Db (and every Stmt from it) is used by one thread at a time; the
// store gives one to its writer thread and lends the others from a pool.
// Nothing here locks. A Stmt must not outlive its Db.
//
// Errors become absl::Status where they arise (PgError):
//   23505 unique_violation            → AlreadyExists
//   23503 foreign_key_violation       → FailedPrecondition
//   40001 / 40P01 (serialization, deadlock) → Unavailable, marked retryable
//   class 08, 57P0x, lost connection  → Unavailable (503: try again)
//   anything else                     → Internal (with the server's message)
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace onestop::store::postgres {

// True for the statuses PgError marks as "run the transaction again".
bool IsRetryable(const absl::Status& status);

// `sql` with each `?` outside quotes replaced by $1, $2, ...
std::string NumberPlaceholders(std::string_view sql);

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

class Db;

class Stmt {
 public:
  Stmt(Stmt&&) noexcept = default;
  Stmt& operator=(Stmt&&) = delete;
  Stmt(const Stmt&) = delete;

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

  // The first call executes; true while a row is available.
  absl::StatusOr<bool> Step();
  // Executes if not yet done, ignoring any rows.
  absl::Status Run();

  bool IsNull(int col) const;
  int64_t Int(int col) const;
  double Double(int col) const;
  std::string Text(int col) const;  // "" for NULL
  absl::Time Time(int col) const;   // from unix microseconds
  std::optional<int64_t> OptInt(int col) const;
  std::optional<double> OptDouble(int col) const;
  std::optional<absl::Time> OptTime(int col) const;

 private:
  friend class Db;
  Stmt(Db* db, const std::string* name) : db_(db), name_(name) {}
  absl::Status Execute();

  Db* db_;
  const std::string* name_;  // prepared statement name, owned by db_'s cache
  std::vector<std::optional<std::string>> params_;
  Result result_;
  bool executed_ = false;
  int row_ = -1;
};

class Db {
 public:
  using Stmt = postgres::Stmt;
  // The PostgreSQL dialect of the statements store/common shares with SQLite.
  // Case numbers: a sequence (unique across nodes, gaps allowed).
  static constexpr char kNextCaseNumberSql[] = "SELECT nextval('case_number')";
  // Event seq: the counter row's lock is held from the first append to
  // COMMIT, so appends of concurrent transactions (on any node) serialise and
  // commit in seq order — gap-free, and never visible out of order.
  static constexpr char kAppendEventSql[] =
      "WITH next AS (UPDATE counters SET value = value + 1 WHERE name = 'event_seq' "
      "RETURNING value) "
      "INSERT INTO events (seq, at, actor_id, channel, entity, entity_id, entity_key, type, "
      "case_id, citizen_id, changes_json) SELECT next.value, ?::bigint, ?::bigint, ?::text, "
      "?::text, ?::bigint, ?::text, ?::text, ?::bigint, ?::bigint, ?::text FROM next "
      "RETURNING seq";
  static constexpr char kNamePrefixMatchSql[] =
      " AND (lower(given_name) LIKE lower(?) ESCAPE '\\' OR "
      "lower(family_name) LIKE lower(?) ESCAPE '\\')";
  static constexpr char kCaseTextMatchSql[] =
      " AND (reference ILIKE ? ESCAPE '\\' OR summary ILIKE ? ESCAPE '\\')";
  // Holds the row against concurrent updates until COMMIT.
  static constexpr char kForShareSql[] = " FOR SHARE";

  // Connects (blocking) to `url` (a libpq URL or key=value string).
  static absl::StatusOr<std::unique_ptr<Db>> Connect(const std::string& url);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  absl::StatusOr<Stmt> Prepare(const std::string& sql);
  // Runs one or more SQL statements without parameters (DDL, BEGIN, ...).
  absl::Status Exec(const std::string& sql);
  // Rows affected by the last statement executed through a Stmt.
  int64_t Changes() const { return changes_; }
  // False once the connection is lost; the owner should reconnect.
  bool Healthy() const { return PQstatus(conn_) == CONNECTION_OK; }
  bool InTransaction() const;  // in a transaction block (also when failed)
  PGconn* raw() { return conn_; }

 private:
  friend class postgres::Stmt;
  explicit Db(PGconn* conn) : conn_(conn) {}
  absl::Status Check(const PGresult* result, const std::string& context);

  PGconn* conn_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL → statement name
  int64_t changes_ = 0;
};

}  // namespace onestop::store::postgres
