// Leadership of single-node roles in the SQL stores (table leadership,
// migration 5): the WriteTxn functions SqlWriteTxn forwards to and the read
// both stores share. The lock that makes a node the only leader is the
// backend's own (store/sqlite/leader_lock.h, store/postgres/pg_leadership.h);
// the epoch kept here is the fencing token its writes check.
//
// Stateless; the caller owns the connection for the call.
#pragma once

#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/status.h"
#include "domain/routing_config.h"
#include "domain/store.h"

namespace onestop::store::sql_leadership {

template <typename Db>
absl::StatusOr<int64_t> Take(Db& db, const std::string& role, const std::string& node, absl::Time since) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("INSERT INTO leadership (role, epoch, node, since) VALUES (?, 1, ?, ?) "
                            "ON CONFLICT (role) DO UPDATE SET epoch = leadership.epoch + 1, "
                            "node = excluded.node, since = excluded.since RETURNING epoch"));
  stmt.Bind(role).Bind(node).Bind(since);
  ONESTOP_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return absl::InternalError("taking leadership returned no epoch");
  return stmt.Int(0);
}

// Db::kForShareSql locks the row until commit where the dialect can (PostgreSQL).
template <typename Db>
absl::Status Check(Db& db, const std::string& role, int64_t epoch) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare(absl::StrCat("SELECT epoch FROM leadership WHERE role = ?", Db::kForShareSql)));
  stmt.Bind(role);
  ONESTOP_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row || stmt.Int(0) != epoch) {
    return absl::AbortedError(absl::StrCat("this node no longer leads ", role, " (epoch ", epoch,
                                           row ? absl::StrCat(" superseded by ", stmt.Int(0)) : "", ")"));
  }
  return absl::OkStatus();
}

template <typename Db>
absl::StatusOr<std::optional<domain::LeaderInfo>> Get(Db& db, const std::string& role) {
  ONESTOP_ASSIGN_OR_RETURN(auto stmt,
                           db.Prepare("SELECT role, epoch, node, since FROM leadership WHERE role = ?"));
  stmt.Bind(role);
  ONESTOP_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return std::optional<domain::LeaderInfo>();
  domain::LeaderInfo info;
  info.role = stmt.Text(0);
  info.epoch = stmt.Int(1);
  info.node = stmt.Text(2);
  info.since = stmt.Time(3);
  return std::optional<domain::LeaderInfo>(std::move(info));
}

// The parts of Store::TryLead both stores share: the role's shape, and
// bumping its epoch once this process holds the role's lock.
inline absl::Status CheckRole(const std::string& role) {
  if (!domain::ValidRoutingCode(role)) return absl::InvalidArgumentError("a role is a short code");
  return absl::OkStatus();
}

inline absl::StatusOr<int64_t> TakeEpoch(domain::Store& store, const std::string& role,
                                         const std::string& node, absl::Time now) {
  int64_t epoch = 0;
  ONESTOP_RETURN_IF_ERROR(store.Write([&](domain::WriteTxn& txn) -> absl::Status {
    ONESTOP_ASSIGN_OR_RETURN(epoch, txn.TakeLeadership(role, node, now));
    return absl::OkStatus();
  }));
  return epoch;
}

}  // namespace onestop::store::sql_leadership
