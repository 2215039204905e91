// PgStore::TryLead: a role is held by the node whose own connection holds the
// session advisory lock named after the role. PostgreSQL releases the lock
// when that connection ends — the process exits or dies, or the server
// notices the peer is gone (TCP keepalives, set short on this connection so
// a leader whose machine vanished is noticed in about 10 s, not hours).
//
// The epoch (WriteTxn::TakeLeadership) is bumped after the lock is taken;
// the leader's writes check it (WriteTxn::CheckLeadership, FOR SHARE), so a
// former leader that has not yet noticed its loss cannot write once its
// successor has started.
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "store/common/sql_leadership.h"
#include "store/postgres/pg.h"
#include "store/postgres/pg_store.h"

namespace onestop::store::postgres {
namespace {

// The advisory lock key of a role. Advisory locks are per database; the key
// also names the schema, so councils (or test runs) kept in different
// schemas of one database each elect their own leader.
constexpr char kLockKeySql[] =
    "hashtextextended('onestop-leader:' || ?::text || ':' || current_schema(), 0)";

class AdvisoryLeadership final : public domain::Leadership {
 public:
  AdvisoryLeadership(std::unique_ptr<Db> db, int64_t epoch, std::string role)
      : db_(std::move(db)), epoch_(epoch), role_(std::move(role)) {}
  // Unlocks before the connection closes: a closing backend releases its
  // locks only as it exits, after PQfinish has returned, and a successor
  // on this machine may already be asking.
  ~AdvisoryLeadership() override {
    if (auto unlock = db_->Prepare(absl::StrCat("SELECT pg_advisory_unlock(", kLockKeySql, ")")); unlock.ok()) {
      (void)unlock->Bind(role_).Run();
    }
  }

  int64_t epoch() const override { return epoch_; }

  // A round trip on the lock's own connection: if it answers, the session
  // (and its lock) is alive; the epoch read confirms nobody took the role.
  absl::Status Check() override {
    absl::StatusOr<Stmt> stmt = db_->Prepare("SELECT epoch FROM leadership WHERE role = ?");
    if (!stmt.ok()) return absl::UnavailableError(absl::StrCat("leadership connection: ", stmt.status().message()));
    stmt->Bind(role_);
    absl::StatusOr<bool> row = stmt->Step();
    if (!row.ok()) return absl::UnavailableError(absl::StrCat("leadership connection: ", row.status().message()));
    if (!*row || stmt->Int(0) != epoch_) {
      return absl::UnavailableError(absl::StrCat("another node has taken ", role_));
    }
    return absl::OkStatus();
  }

 private:
  std::unique_ptr<Db> db_;
  const int64_t epoch_;
  const std::string role_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<domain::Leadership>> PgStore::TryLead(const std::string& role,
                                                                     const std::string& node,
                                                                     absl::Time now) {
  ONESTOP_RETURN_IF_ERROR(sql_leadership::CheckRole(role));
  std::unique_lock lock_candidates(lead_mu_);
  std::unique_ptr<Db>& candidate = lead_candidates_[role];
  if (candidate == nullptr || !candidate->Healthy()) {
    candidate.reset();
    ONESTOP_ASSIGN_OR_RETURN(std::unique_ptr<Db> db, Db::Connect(url_));
    ONESTOP_RETURN_IF_ERROR(db->Exec(
        "SET tcp_keepalives_idle = 5; SET tcp_keepalives_interval = 2; SET tcp_keepalives_count = 3"));
    candidate = std::move(db);
  }
  absl::StatusOr<bool> got = [&]() -> absl::StatusOr<bool> {
    ONESTOP_ASSIGN_OR_RETURN(auto lock,
                             candidate->Prepare(absl::StrCat("SELECT pg_try_advisory_lock(", kLockKeySql, ")")));
    lock.Bind(role);
    ONESTOP_ASSIGN_OR_RETURN(bool row, lock.Step());
    return row && lock.Text(0) == "t";
  }();
  if (!got.ok()) {
    candidate.reset();  // reconnect on the next attempt
    return got.status();
  }
  if (!*got) return std::unique_ptr<domain::Leadership>();  // another node leads
  std::unique_ptr<Db> db = std::move(candidate);
  lead_candidates_.erase(role);
  lock_candidates.unlock();
  ONESTOP_ASSIGN_OR_RETURN(const int64_t epoch, sql_leadership::TakeEpoch(*this, role, node, now));
  return std::unique_ptr<domain::Leadership>(new AdvisoryLeadership(std::move(db), epoch, role));
}

}  // namespace onestop::store::postgres
