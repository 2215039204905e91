// Duplicate detection and case followers for the SQL stores (migration v8):
// the candidate query Store::FindDuplicateCandidates answers, a case's
// duplicates, its followers, and WriteTxn::AddFollower. Plain SQL both
// dialects share; templates over the backend's Db (see sql_rows.h).
//
// Each part of a DuplicateQuery is its own statement on its own index
// (cases_dup_citizen, cases_dup_lat, cases_dup_uprn, cases_dup_postcode),
// with no ORDER BY so the planner has no reason to walk the primary key;
// the parts are merged and ordered by id here.
//
// Stateless; the caller owns the connection for the call.
#pragma once

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "domain/duplicates.h"
#include "store/common/sql_rows.h"

namespace onestop::store::sql_duplicates {

namespace internal {

inline std::string OpenStatusList() {
  std::string out = "(";
  bool first = true;
  for (domain::CaseStatus s : domain::kDuplicateCandidateStatuses) {
    out += first ? "'" : ", '";
    out += domain::CaseStatusName(s);
    out += "'";
    first = false;
  }
  return out + ")";
}

template <typename S>
absl::Status Collect(S& stmt, std::set<int64_t>& seen, std::vector<domain::Case>& out) {
  while (true) {
    ONESTOP_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return absl::OkStatus();
    ONESTOP_ASSIGN_OR_RETURN(domain::Case c, ReadCase(stmt));
    if (seen.insert(c.id).second) out.push_back(std::move(c));
  }
}

}  // namespace internal

template <typename Db>
absl::StatusOr<std::vector<domain::Case>> FindDuplicateCandidates(
    Db& db, const domain::DuplicateQuery& q) {
  static const std::string open = internal::OpenStatusList();
  const int limit = std::clamp(q.limit, 1, 1000);
  std::set<int64_t> seen;
  std::vector<domain::Case> out;
  if (q.service_code.empty()) return out;
  if (q.citizen_id) {
    ONESTOP_ASSIGN_OR_RETURN(
        auto stmt, db.Prepare(absl::StrCat("SELECT ", kCaseColumns,
                                           " FROM cases WHERE citizen_id = ? AND service_code = ? "
                                           "AND status IN ", open, " LIMIT ?")));
    stmt.Bind(*q.citizen_id).Bind(q.service_code).Bind(limit);
    ONESTOP_RETURN_IF_ERROR(internal::Collect(stmt, seen, out));
  }
  const absl::Time from = q.created_from.value_or(absl::InfinitePast());
  if (q.box) {
    ONESTOP_ASSIGN_OR_RETURN(
        auto stmt,
        db.Prepare(absl::StrCat("SELECT ", kCaseColumns,
                                " FROM cases WHERE service_code = ? AND location_lat BETWEEN ? AND ? "
                                "AND location_lng BETWEEN ? AND ? AND created_at >= ? "
                                "AND status IN ", open, " LIMIT ?")));
    stmt.Bind(q.service_code)
        .Bind(q.box->min_lat)
        .Bind(q.box->max_lat)
        .Bind(q.box->min_lng)
        .Bind(q.box->max_lng)
        .Bind(from)
        .Bind(limit);
    ONESTOP_RETURN_IF_ERROR(internal::Collect(stmt, seen, out));
  }
  if (q.uprn) {
    ONESTOP_ASSIGN_OR_RETURN(
        auto stmt, db.Prepare(absl::StrCat("SELECT ", kCaseColumns,
                                           " FROM cases WHERE service_code = ? AND location_uprn = ? "
                                           "AND created_at >= ? AND status IN ", open, " LIMIT ?")));
    stmt.Bind(q.service_code).Bind(*q.uprn).Bind(from).Bind(limit);
    ONESTOP_RETURN_IF_ERROR(internal::Collect(stmt, seen, out));
  }
  if (!q.postcode.empty()) {
    ONESTOP_ASSIGN_OR_RETURN(
        auto stmt,
        db.Prepare(absl::StrCat("SELECT ", kCaseColumns,
                                " FROM cases WHERE service_code = ? AND location_postcode = ? "
                                "AND created_at >= ? AND status IN ", open, " LIMIT ?")));
    stmt.Bind(q.service_code).Bind(q.postcode).Bind(from).Bind(limit);
    ONESTOP_RETURN_IF_ERROR(internal::Collect(stmt, seen, out));
  }
  std::sort(out.begin(), out.end(),
            [](const domain::Case& a, const domain::Case& b) { return a.id < b.id; });
  return out;
}

template <typename Db>
absl::StatusOr<std::vector<domain::Case>> ListDuplicatesOf(Db& db, int64_t case_id) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare(absl::StrCat("SELECT ", kCaseColumns,
                                         " FROM cases WHERE duplicate_of = ? ORDER BY id")));
  stmt.Bind(case_id);
  std::set<int64_t> seen;
  std::vector<domain::Case> out;
  ONESTOP_RETURN_IF_ERROR(internal::Collect(stmt, seen, out));
  return out;
}

template <typename Db>
absl::StatusOr<std::vector<domain::CaseFollower>> ListFollowers(Db& db, int64_t case_id) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("SELECT case_id, citizen_id, via_case_id, channel, added_at, added_by "
                            "FROM case_followers WHERE case_id = ? ORDER BY added_at, citizen_id"));
  stmt.Bind(case_id);
  std::vector<domain::CaseFollower> out;
  while (true) {
    ONESTOP_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    domain::CaseFollower f;
    f.case_id = stmt.Int(0);
    f.citizen_id = stmt.Int(1);
    f.via_case_id = stmt.OptInt(2);
    const std::string channel = stmt.Text(3);
    std::optional<domain::Channel> parsed = domain::ParseChannel(channel);
    if (!parsed) return absl::DataLossError(absl::StrCat("stored channel \"", channel, "\" is not known"));
    f.channel = *parsed;
    f.added_at = stmt.Time(4);
    f.added_by = stmt.Int(5);
    out.push_back(std::move(f));
  }
  return out;
}

template <typename Db>
absl::StatusOr<bool> AddFollower(Db& db, const domain::CaseFollower& f) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt,
      db.Prepare("INSERT INTO case_followers (case_id, citizen_id, via_case_id, channel, added_at, "
                 "added_by) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (case_id, citizen_id) DO NOTHING"));
  absl::Status status = stmt.Bind(f.case_id)
                            .Bind(f.citizen_id)
                            .Bind(f.via_case_id)
                            .Bind(domain::ChannelName(f.channel))
                            .Bind(f.added_at)
                            .Bind(f.added_by)
                            .Run();
  if (status.code() == absl::StatusCode::kFailedPrecondition) {
    return absl::NotFoundError(
        absl::StrCat("case ", f.case_id, " or citizen ", f.citizen_id, " not found"));
  }
  ONESTOP_RETURN_IF_ERROR(status);
  return db.Changes() > 0;
}

}  // namespace onestop::store::sql_duplicates
