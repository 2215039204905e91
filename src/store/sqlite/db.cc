#include "store/sqlite/db.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace onestop::store::sqlite {

absl::Status SqliteError(int rc, std::string_view context, sqlite3* db) {
  std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  std::string message = absl::StrCat(std::string(context), ": ", detail);
  switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return absl::AlreadyExistsError(message);
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return absl::FailedPreconditionError(message);
    default:
      break;
  }
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::UnavailableError(message);
    case SQLITE_CONSTRAINT:
      return absl::InvalidArgumentError(message);
    default:
      return absl::InternalError(message);
  }
}

// ---- Stmt -------------------------------------------------------------------

Stmt::Stmt(Db* db, sqlite3_stmt* stmt, bool cached, const std::string* sql)
    : db_(db), stmt_(stmt), cached_(cached), sql_(sql) {}

Stmt::Stmt(Stmt&& other) noexcept
    : db_(other.db_),
      stmt_(std::exchange(other.stmt_, nullptr)),
      cached_(other.cached_),
      sql_(other.sql_),
      next_param_(other.next_param_),
      bind_rc_(other.bind_rc_) {}

Stmt::~Stmt() {
  if (stmt_ == nullptr) return;
  if (cached_) {
    db_->Return(sql_, stmt_);
  } else {
    sqlite3_finalize(stmt_);
  }
}

namespace {
inline void Keep(int& bind_rc, int rc) {
  if (bind_rc == SQLITE_OK) bind_rc = rc;
}
}  // namespace

Stmt& Stmt::Bind(int64_t v) {
  Keep(bind_rc_, sqlite3_bind_int64(stmt_, next_param_++, v));
  return *this;
}
Stmt& Stmt::Bind(double v) {
  Keep(bind_rc_, sqlite3_bind_double(stmt_, next_param_++, v));
  return *this;
}
Stmt& Stmt::Bind(std::string_view v) {
  Keep(bind_rc_, sqlite3_bind_text64(stmt_, next_param_++, v.data(), v.size(), SQLITE_TRANSIENT,
                                     SQLITE_UTF8));
  return *this;
}
Stmt& Stmt::Bind(absl::Time t) { return Bind(static_cast<int64_t>(absl::ToUnixMicros(t))); }
Stmt& Stmt::BindNull() {
  Keep(bind_rc_, sqlite3_bind_null(stmt_, next_param_++));
  return *this;
}

absl::StatusOr<bool> Stmt::Step() {
  if (bind_rc_ != SQLITE_OK) {
    return SqliteError(bind_rc_, absl::StrCat("binding parameters of `", *sql_, "`"),
                       sqlite3_db_handle(stmt_));
  }
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  sqlite3* db = sqlite3_db_handle(stmt_);
  return SqliteError(sqlite3_extended_errcode(db), "sqlite", db);
}

absl::Status Stmt::Run() {
  while (true) {
    absl::StatusOr<bool> row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
  }
}

bool Stmt::IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
int64_t Stmt::Int(int col) const { return sqlite3_column_int64(stmt_, col); }
double Stmt::Double(int col) const { return sqlite3_column_double(stmt_, col); }
std::string Stmt::Text(int col) const {
  const unsigned char* text = sqlite3_column_text(stmt_, col);
  if (text == nullptr) return std::string();
  return std::string(reinterpret_cast<const char*>(text), sqlite3_column_bytes(stmt_, col));
}
absl::Time Stmt::Time(int col) const { return absl::FromUnixMicros(Int(col)); }
std::optional<int64_t> Stmt::OptInt(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Int(col);
}
std::optional<double> Stmt::OptDouble(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Double(col);
}
std::optional<absl::Time> Stmt::OptTime(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Time(col);
}

// ---- Db ---------------------------------------------------------------------

absl::StatusOr<std::unique_ptr<Db>> Db::Open(const std::string& path, const OpenOptions& options) {
  sqlite3* raw = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (options.create) flags |= SQLITE_OPEN_CREATE;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  if (rc != SQLITE_OK) {
    absl::Status status = SqliteError(rc, absl::StrCat("opening database ", path), raw);
    sqlite3_close_v2(raw);
    return status;
  }
  sqlite3_extended_result_codes(raw, 1);
  std::unique_ptr<Db> db(new Db(raw));
  sqlite3_busy_timeout(raw, static_cast<int>(absl::ToInt64Milliseconds(options.busy_timeout)));
  // journal_mode=WAL is persistent in the file; setting it needs a write lock
  // once, so reader connections skip it (the writer opens first).
  if (!options.query_only) {
    // Smaller pages mean fewer bytes written to the WAL per commit when
    // inserts land on many index pages; only takes effect on a new file.
    absl::Status page = db->Exec("PRAGMA page_size=2048;");
    if (!page.ok()) return page;
    absl::StatusOr<Stmt> wal = db->Prepare("PRAGMA journal_mode=WAL");
    if (!wal.ok()) return wal.status();
    absl::StatusOr<bool> row = wal->Step();
    if (!row.ok()) return row.status();
    if (!*row || wal->Text(0) != "wal") {
      return absl::InternalError(absl::StrCat("could not put ", path, " in WAL mode"));
    }
  }
  absl::Status status = db->Exec("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
  if (!status.ok()) return status;
  if (options.query_only) {
    status = db->Exec("PRAGMA query_only=ON;");
    if (!status.ok()) return status;
  }
  return db;
}

Db::~Db() {
  for (auto& [sql, entry] : cache_) sqlite3_finalize(entry.stmt);
  sqlite3_close_v2(db_);
}

absl::StatusOr<Stmt> Db::Prepare(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end() && !it->second.in_use) {
    it->second.in_use = true;
    return Stmt(this, it->second.stmt, /*cached=*/true, &it->first);
  }
  bool cache = it == cache_.end();
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              cache ? SQLITE_PREPARE_PERSISTENT : 0, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    return SqliteError(rc, absl::StrCat("preparing `", sql, "`"), db_);
  }
  if (!cache) {
    return Stmt(this, stmt, /*cached=*/false, &it->first);
  }
  auto [inserted, ok] = cache_.emplace(sql, CacheEntry{stmt, true});
  return Stmt(this, stmt, /*cached=*/true, &inserted->first);
}

void Db::Return(const std::string* sql, sqlite3_stmt* stmt) {
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  auto it = cache_.find(*sql);
  if (it != cache_.end() && it->second.stmt == stmt) {
    it->second.in_use = false;
  } else {
    sqlite3_finalize(stmt);
  }
}

absl::Status Db::Exec(const std::string& sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string message = err != nullptr ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    absl::Status status = SqliteError(sqlite3_extended_errcode(db_), "sqlite", db_);
    return absl::Status(status.code(), absl::StrCat(message, " (in `", sql.substr(0, 80), "`)"));
  }
  return absl::OkStatus();
}

}  // namespace onestop::store::sqlite
