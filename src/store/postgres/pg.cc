#include "store/postgres/pg.h"

#include <cstdlib>
#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"

namespace onestop::store::postgres {
namespace {

constexpr char kRetryPayload[] = "onestop.store/retryable";

std::string Trimmed(const char* message) {
  return std::string(absl::StripTrailingAsciiWhitespace(message ? message : ""));
}

// Maps a failed result (or a lost connection) to a Status.
absl::Status PgError(PGconn* conn, const PGresult* result, const std::string& context) {
  if (PQstatus(conn) != CONNECTION_OK) {
    return absl::UnavailableError(
        absl::StrCat("lost the database connection (", context, "): ", Trimmed(PQerrorMessage(conn))));
  }
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string sqlstate = state ? state : "";
  std::string message =
      result ? Trimmed(PQresultErrorMessage(result)) : Trimmed(PQerrorMessage(conn));
  if (sqlstate == "23505") return absl::AlreadyExistsError(message);
  if (sqlstate == "23503") return absl::FailedPreconditionError(message);
  if (sqlstate == "40001" || sqlstate == "40P01") {
    absl::Status status = absl::UnavailableError(absl::StrCat("conflict, retry: ", message));
    status.SetPayload(kRetryPayload, absl::Cord("1"));
    return status;
  }
  if (absl::StartsWith(sqlstate, "08") || absl::StartsWith(sqlstate, "57P")) {
    return absl::UnavailableError(absl::StrCat("database unavailable: ", message));
  }
  return absl::InternalError(absl::StrCat(context, ": ", message));
}

}  // namespace

bool IsRetryable(const absl::Status& status) {
  return status.GetPayload(kRetryPayload).has_value();
}

std::string NumberPlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  bool in_string = false;
  int next = 1;
  for (char ch : sql) {
    if (ch == '\'') in_string = !in_string;
    if (ch == '?' && !in_string) {
      absl::StrAppend(&out, "$", next++);
    } else {
      out.push_back(ch);
    }
  }
  return out;
}

// --- Stmt ---

Stmt& Stmt::Bind(int64_t v) {
  params_.emplace_back(std::to_string(v));
  return *this;
}
Stmt& Stmt::Bind(double v) {
  params_.emplace_back(absl::StrFormat("%.17g", v));
  return *this;
}
Stmt& Stmt::Bind(std::string_view v) {
  params_.emplace_back(std::string(v));
  return *this;
}
Stmt& Stmt::Bind(absl::Time t) { return Bind(static_cast<int64_t>(absl::ToUnixMicros(t))); }
Stmt& Stmt::BindNull() {
  params_.emplace_back(std::nullopt);
  return *this;
}

absl::Status Stmt::Execute() {
  executed_ = true;
  std::vector<const char*> values;
  values.reserve(params_.size());
  for (const std::optional<std::string>& p : params_) values.push_back(p ? p->c_str() : nullptr);
  result_.reset(PQexecPrepared(db_->conn_, name_->c_str(), static_cast<int>(values.size()),
                               values.data(), nullptr, nullptr, /*resultFormat=*/0));
  ExecStatusType status = result_ ? PQresultStatus(result_.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    absl::Status error = PgError(db_->conn_, result_.get(), "statement");
    result_.reset();
    return error;
  }
  const char* tuples = PQcmdTuples(result_.get());
  db_->changes_ = tuples && *tuples ? std::strtoll(tuples, nullptr, 10) : 0;
  return absl::OkStatus();
}

absl::StatusOr<bool> Stmt::Step() {
  if (!executed_) {
    absl::Status status = Execute();
    if (!status.ok()) return status;
  }
  if (!result_) return false;
  ++row_;
  return row_ < PQntuples(result_.get());
}

absl::Status Stmt::Run() {
  if (executed_) return absl::OkStatus();
  return Execute();
}

bool Stmt::IsNull(int col) const { return PQgetisnull(result_.get(), row_, col) != 0; }
int64_t Stmt::Int(int col) const {
  return std::strtoll(PQgetvalue(result_.get(), row_, col), nullptr, 10);
}
double Stmt::Double(int col) const { return std::strtod(PQgetvalue(result_.get(), row_, col), nullptr); }
std::string Stmt::Text(int col) const {
  return std::string(PQgetvalue(result_.get(), row_, col),
                     static_cast<size_t>(PQgetlength(result_.get(), row_, col)));
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

// --- Db ---

absl::StatusOr<std::unique_ptr<Db>> Db::Connect(const std::string& url) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (conn == nullptr) return absl::ResourceExhaustedError("libpq could not allocate a connection");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = Trimmed(PQerrorMessage(conn));
    PQfinish(conn);
    return absl::UnavailableError(absl::StrCat("cannot connect to PostgreSQL: ", message));
  }
  auto db = std::unique_ptr<Db>(new Db(conn));
  // Times are BIGINT microseconds and text is UTF-8 whatever the server's
  // defaults; quiet NOTICEs (e.g. "relation already exists, skipping").
  absl::Status status = db->Exec(
      "SET client_encoding = 'UTF8'; SET client_min_messages = warning; "
      "SET extra_float_digits = 3");
  if (!status.ok()) return status;
  return db;
}

Db::~Db() { PQfinish(conn_); }

bool Db::InTransaction() const {
  PGTransactionStatusType status = PQtransactionStatus(conn_);
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
}

absl::Status Db::Check(const PGresult* result, const std::string& context) {
  ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) return absl::OkStatus();
  return PgError(conn_, result, context);
}

absl::StatusOr<Stmt> Db::Prepare(const std::string& sql) {
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    std::string name = absl::StrCat("s", prepared_.size() + 1);
    Result result(PQprepare(conn_, name.c_str(), NumberPlaceholders(sql).c_str(), 0, nullptr));
    absl::Status status = Check(result.get(), "preparing " + sql);
    if (!status.ok()) return status;
    it = prepared_.emplace(sql, std::move(name)).first;
  }
  return Stmt(this, &it->second);
}

absl::Status Db::Exec(const std::string& sql) {
  Result result(PQexec(conn_, sql.c_str()));
  return Check(result.get(), sql);
}

}  // namespace onestop::store::postgres
