// The read side shared by the SQL stores: one function per domain::Store
// query, run on a connection the caller has borrowed from its pool (SQLite:
// a query-only connection; PostgreSQL: a pooled connection). Templates over
// the backend's Db (see sql_rows.h); the two spots where the dialects differ
// come from the Db type:
//   Db::kNamePrefixMatchSql — " AND (<given> OR <family> name starts with ?, ?)",
//     case-insensitive, '\\' escapes LIKE wildcards;
//   Db::kCaseTextMatchSql   — " AND (reference starts with ? OR summary contains ?)",
//     case-insensitive.
//
// Stateless; the caller owns the connection for the call.
#pragma once

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "domain/store.h"
#include "store/common/sql_rows.h"

namespace onestop::store::sql_reads {

namespace sql_internal {

inline int ClampLimit(int limit, int default_limit) {
  if (limit <= 0) return default_limit;
  return std::min(limit, 1000);
}

// Escapes LIKE wildcards so user text matches literally (ESCAPE '\').
inline std::string EscapeLike(const std::string& text) {
  std::string out;
  for (char ch : text) {
    if (ch == '\\' || ch == '%' || ch == '_') out.push_back('\\');
    out.push_back(ch);
  }
  return out;
}

// Steps `stmt` to the end, appending read(stmt) for each row.
template <typename T, typename S, typename Reader>
absl::Status CollectRows(S& stmt, Reader read, std::vector<T>& out) {
  while (true) {
    ONESTOP_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return absl::OkStatus();
    absl::StatusOr<T> item = read(stmt);
    if (!item.ok()) return item.status();
    out.push_back(std::move(*item));
  }
}

}  // namespace sql_internal

template <typename Db>
absl::StatusOr<std::vector<domain::Service>> ListServices(Db& db) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt,
      db.Prepare(absl::StrCat("SELECT ", kServiceColumns, " FROM services ORDER BY code")));
  std::vector<domain::Service> out;
  ONESTOP_RETURN_IF_ERROR(sql_internal::CollectRows(stmt, [](const auto& row) { return ReadService(row); }, out));
  return out;
}

template <typename Db>
absl::StatusOr<domain::Service> GetService(Db& db, const std::string& code) {
  ONESTOP_ASSIGN_OR_RETURN(auto stmt, db.Prepare(absl::StrCat(
                                          "SELECT ", kServiceColumns, " FROM services WHERE code = ?")));
  stmt.Bind(code);
  ONESTOP_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return absl::NotFoundError(absl::StrCat("service ", code, " not found"));
  return ReadService(stmt);
}

template <typename Db>
absl::StatusOr<std::vector<domain::Department>> ListDepartments(Db& db) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("SELECT code, name, translations_json FROM departments ORDER BY code"));
  std::vector<domain::Department> out;
  ONESTOP_RETURN_IF_ERROR(sql_internal::CollectRows(
      stmt,
      [](const auto& row) -> absl::StatusOr<domain::Department> {
        ONESTOP_ASSIGN_OR_RETURN(auto translations, DecodeNameTexts(row.Text(2)));
        return domain::Department{row.Text(0), row.Text(1), std::move(translations)};
      },
      out));
  return out;
}

template <typename Db>
absl::StatusOr<std::optional<std::string>> GetSetting(Db& db, const std::string& key) {
  ONESTOP_ASSIGN_OR_RETURN(auto stmt, db.Prepare("SELECT value FROM settings WHERE key = ?"));
  stmt.Bind(key);
  ONESTOP_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return std::optional<std::string>();
  return std::optional<std::string>(stmt.Text(0));
}

template <typename Db>
absl::StatusOr<std::vector<domain::Team>> ListTeams(Db& db) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("SELECT code, name, department FROM teams ORDER BY code"));
  std::vector<domain::Team> out;
  ONESTOP_RETURN_IF_ERROR(sql_internal::CollectRows(
      stmt,
      [](const auto& row) -> absl::StatusOr<domain::Team> {
        return domain::Team{row.Text(0), row.Text(1), row.Text(2)};
      },
      out));
  return out;
}

template <typename Db>
absl::StatusOr<domain::Citizen> GetCitizen(Db& db, int64_t id) {
  return LoadCitizen(db, id);
}

template <typename Db>
absl::StatusOr<std::vector<domain::Citizen>> FindCitizens(Db& db, 
    const domain::CitizenQuery& query) {
  // Each criterion is an indexed lookup; `id IN (subquery)` lets SQLite drive
  // the search from the child-table index rather than scanning citizens.
  std::string sql = absl::StrCat("SELECT ", kCitizenColumns, " FROM citizens WHERE 1 = 1");
  if (!query.phone.empty()) {
    sql += " AND id IN (SELECT citizen_id FROM citizen_phones WHERE phone = ?)";
  }
  if (!query.email.empty()) {
    sql += " AND id IN (SELECT citizen_id FROM citizen_emails WHERE email = ?)";
  }
  if (!query.postcode.empty()) {
    sql += " AND id IN (SELECT citizen_id FROM citizen_addresses WHERE postcode = ?)";
  }
  if (!query.name.empty()) {
    sql += Db::kNamePrefixMatchSql;
  }
  if (!query.include_merged) sql += " AND merged_into IS NULL";
  sql += " ORDER BY id LIMIT ?";

  std::vector<domain::Citizen> out;
  {
    ONESTOP_ASSIGN_OR_RETURN(auto stmt, db.Prepare(sql));
    if (!query.phone.empty()) stmt.Bind(query.phone);
    if (!query.email.empty()) stmt.Bind(query.email);
    if (!query.postcode.empty()) stmt.Bind(query.postcode);
    if (!query.name.empty()) {
      std::string prefix = sql_internal::EscapeLike(query.name) + "%";
      stmt.Bind(prefix).Bind(prefix);
    }
    stmt.Bind(sql_internal::ClampLimit(query.limit, 50));
    while (true) {
      ONESTOP_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      out.push_back(ReadCitizenRow(stmt));
    }
  }
  for (domain::Citizen& citizen : out) {
    ONESTOP_RETURN_IF_ERROR(LoadCitizenChildren(db, citizen));
  }
  return out;
}

template <typename Db>
absl::StatusOr<domain::CitizenMerge> GetMerge(Db& db, int64_t id) {
  ONESTOP_ASSIGN_OR_RETURN(auto stmt, db.Prepare(absl::StrCat(
                                          "SELECT ", kMergeColumns, " FROM citizen_merges WHERE id = ?")));
  stmt.Bind(id);
  ONESTOP_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return absl::NotFoundError(absl::StrCat("merge ", id, " not found"));
  return ReadMerge(stmt);
}

template <typename Db>
absl::StatusOr<domain::Case> GetCase(Db& db, int64_t id) {
  return LoadCase(db, id);
}

template <typename Db>
absl::StatusOr<domain::CasePage> ListCases(Db& db, const domain::CaseQuery& query) {
  // A created_at range: the first page (after_id 0) starts at the range's
  // first id, found on cases_created_at; pages walk the ids from there (as
  // ListEvents does with seq).
  const bool seek_start = query.created_from && query.after_id == 0;
  std::string sql = absl::StrCat("SELECT ", kCaseColumns, " FROM cases WHERE id > ");
  if (seek_start) {
    sql += "(SELECT MIN(id + 0) - 1 FROM cases WHERE created_at >= ?";
    if (query.created_to) sql += " AND created_at < ?";
    sql += ")";
  } else {
    sql += "?";
  }
  if (!query.statuses.empty()) {
    sql += " AND status IN (";
    for (size_t status_idx = 0; status_idx < query.statuses.size(); ++status_idx) {
      sql += status_idx == 0 ? "?" : ", ?";
    }
    sql += ")";
  }
  if (!query.service_code.empty()) sql += " AND service_code = ?";
  if (!query.team.empty()) sql += " AND team = ?";
  if (!query.department.empty()) sql += " AND department = ?";
  if (query.assignee_id) sql += " AND assignee_id = ?";
  if (query.unassigned_only) sql += " AND assignee_id IS NULL";
  if (query.citizen_id) sql += " AND citizen_id = ?";
  if (query.due_before) sql += " AND due_at < ?";
  if (query.created_from) sql += " AND created_at >= ?";
  if (query.created_to) sql += " AND created_at < ?";
  if (!query.text.empty()) {
    sql += Db::kCaseTextMatchSql;
  }
  sql += " ORDER BY id LIMIT ?";
  const int limit = sql_internal::ClampLimit(query.limit, 50);

  ONESTOP_ASSIGN_OR_RETURN(auto stmt, db.Prepare(sql));
  if (seek_start) {
    stmt.Bind(*query.created_from);
    if (query.created_to) stmt.Bind(*query.created_to);
  } else {
    stmt.Bind(query.after_id);
  }
  for (domain::CaseStatus status : query.statuses) stmt.Bind(domain::CaseStatusName(status));
  if (!query.service_code.empty()) stmt.Bind(query.service_code);
  if (!query.team.empty()) stmt.Bind(query.team);
  if (!query.department.empty()) stmt.Bind(query.department);
  if (query.assignee_id) stmt.Bind(*query.assignee_id);
  if (query.citizen_id) stmt.Bind(*query.citizen_id);
  if (query.due_before) stmt.Bind(*query.due_before);
  if (query.created_from) stmt.Bind(*query.created_from);
  if (query.created_to) stmt.Bind(*query.created_to);
  if (!query.text.empty()) {
    // Case-insensitive (Db::kCaseTextMatchSql): prefix of the reference, or
    // anywhere in the summary.
    const std::string escaped = sql_internal::EscapeLike(query.text);
    stmt.Bind(escaped + "%").Bind("%" + escaped + "%");
  }
  stmt.Bind(limit + 1);  // one extra row tells us whether there is a next page
  domain::CasePage page;
  ONESTOP_RETURN_IF_ERROR(sql_internal::CollectRows(stmt, [](const auto& row) { return ReadCase(row); }, page.items));
  if (static_cast<int>(page.items.size()) > limit) {
    page.items.pop_back();
    page.next_after_id = page.items.back().id;
  }
  return page;
}

template <typename Db>
absl::StatusOr<std::vector<domain::Note>> ListNotes(Db& db, int64_t case_id) {
  ONESTOP_ASSIGN_OR_RETURN(auto stmt, db.Prepare(absl::StrCat(
                                          "SELECT ", kNoteColumns,
                                          " FROM notes WHERE case_id = ? ORDER BY id")));
  stmt.Bind(case_id);
  std::vector<domain::Note> out;
  ONESTOP_RETURN_IF_ERROR(sql_internal::CollectRows(stmt, [](const auto& row) { return ReadNote(row); }, out));
  return out;
}

template <typename Db>
absl::StatusOr<std::vector<domain::Attachment>> ListAttachments(Db& db, int64_t case_id) {
  ONESTOP_ASSIGN_OR_RETURN(auto stmt, db.Prepare(absl::StrCat(
                                          "SELECT ", kAttachmentColumns,
                                          " FROM attachments WHERE case_id = ? ORDER BY id")));
  stmt.Bind(case_id);
  std::vector<domain::Attachment> out;
  ONESTOP_RETURN_IF_ERROR(sql_internal::CollectRows(
      stmt,
      [](const auto& row) -> absl::StatusOr<domain::Attachment> { return ReadAttachment(row); },
      out));
  return out;
}

// Reads the (service_code, ...) prefix of cases_dup_lat, not the table.
template <typename Db>
absl::StatusOr<std::vector<std::pair<std::string, int64_t>>> CountCasesByService(Db& db) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("SELECT service_code, COUNT(*) FROM cases GROUP BY service_code"));
  std::vector<std::pair<std::string, int64_t>> out;
  while (true) {
    ONESTOP_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    out.emplace_back(stmt.Text(0), stmt.Int(1));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  return out;
}

template <typename Db>
absl::StatusOr<std::vector<std::pair<domain::CaseStatus, int64_t>>> CountCasesByStatus(Db& db) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("SELECT status, COUNT(*) FROM cases GROUP BY status"));
  std::vector<std::pair<domain::CaseStatus, int64_t>> out;
  while (true) {
    ONESTOP_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    std::optional<domain::CaseStatus> status = domain::ParseCaseStatus(stmt.Text(0));
    if (!status) {
      return absl::DataLossError(absl::StrCat("stored case status \"", stmt.Text(0), "\" is not known"));
    }
    out.emplace_back(*status, stmt.Int(1));
  }
  std::sort(out.begin(), out.end());
  return out;
}

template <typename Db>
absl::StatusOr<std::vector<domain::Contact>> ListContacts(Db& db, 
    const domain::ContactQuery& query) {
  std::string sql = absl::StrCat("SELECT ", kContactColumns, " FROM contacts WHERE id > ?");
  if (query.id) sql += " AND id = ?";
  if (query.interaction_id) sql += " AND interaction_id = ?";
  if (query.citizen_id) sql += " AND citizen_id = ?";
  if (query.case_id) sql += " AND case_id = ?";
  if (query.channel) sql += " AND channel = ?";
  sql += " ORDER BY id LIMIT ?";
  ONESTOP_ASSIGN_OR_RETURN(auto stmt, db.Prepare(sql));
  stmt.Bind(query.after_id);
  if (query.id) stmt.Bind(*query.id);
  if (query.interaction_id) stmt.Bind(*query.interaction_id);
  if (query.citizen_id) stmt.Bind(*query.citizen_id);
  if (query.case_id) stmt.Bind(*query.case_id);
  if (query.channel) stmt.Bind(domain::ChannelName(*query.channel));
  stmt.Bind(sql_internal::ClampLimit(query.limit, 50));
  std::vector<domain::Contact> out;
  ONESTOP_RETURN_IF_ERROR(sql_internal::CollectRows(stmt, [](const auto& row) { return ReadContact(row); }, out));
  return out;
}

template <typename Db>
absl::StatusOr<int64_t> LastEventSeq(Db& db) {
  ONESTOP_ASSIGN_OR_RETURN(auto stmt, db.Prepare("SELECT COALESCE(MAX(seq), 0) FROM events"));
  ONESTOP_ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row ? stmt.Int(0) : 0;
}

template <typename Db>
absl::StatusOr<std::vector<domain::Event>> ListEvents(Db& db, const domain::EventQuery& query) {
  // A time range of one entity: the first page (after_seq 0) starts at the
  // range's first seq, found on events_entity_at (entity, at) without reading
  // a row; SQLite then walks events_entity (entity, seq) from the cursor, so
  // paging through a range reads the log from the range's start on, not the
  // log before it (seeking the range on every page instead would re-read all
  // of it per page). PostgreSQL's planner picks per page from its statistics.
  // Rows are still filtered on `at`: the result is exact whatever the clocks did.
  const bool seek_start = query.from && !query.entity.empty() && query.after_seq == 0;
  std::string sql = absl::StrCat("SELECT ", kEventColumns, " FROM events WHERE seq > ");
  if (seek_start) {
    // `seq + 0`: PostgreSQL would turn MIN(seq) into a walk of the primary
    // key from the log's start; this way both read only the range's entries.
    sql += "(SELECT MIN(seq + 0) - 1 FROM events WHERE entity = ? AND at >= ?";
    if (query.to) sql += " AND at < ?";
    sql += ")";
  } else {
    sql += "?";
  }
  if (query.case_id) sql += " AND case_id = ?";
  if (query.citizen_id) sql += " AND citizen_id = ?";
  if (!query.entity.empty()) sql += " AND entity = ?";
  if (query.from) sql += " AND at >= ?";
  if (query.to) sql += " AND at < ?";
  sql += " ORDER BY seq LIMIT ?";
  ONESTOP_ASSIGN_OR_RETURN(auto stmt, db.Prepare(sql));
  if (seek_start) {
    stmt.Bind(query.entity).Bind(*query.from);
    if (query.to) stmt.Bind(*query.to);
  } else {
    stmt.Bind(query.after_seq);
  }
  if (query.case_id) stmt.Bind(*query.case_id);
  if (query.citizen_id) stmt.Bind(*query.citizen_id);
  if (!query.entity.empty()) stmt.Bind(query.entity);
  if (query.from) stmt.Bind(*query.from);
  if (query.to) stmt.Bind(*query.to);
  stmt.Bind(sql_internal::ClampLimit(query.limit, 100));
  std::vector<domain::Event> out;
  ONESTOP_RETURN_IF_ERROR(sql_internal::CollectRows(stmt, [](const auto& row) { return ReadEvent(row); }, out));
  return out;
}

template <typename Db>
absl::StatusOr<domain::StaffUser> GetStaff(Db& db, int64_t id) {
  ONESTOP_ASSIGN_OR_RETURN(auto stmt, db.Prepare(absl::StrCat(
                                          "SELECT ", kStaffColumns, " FROM staff WHERE id = ?")));
  stmt.Bind(id);
  ONESTOP_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return absl::NotFoundError(absl::StrCat("staff user ", id, " not found"));
  return ReadStaff(stmt);
}

template <typename Db>
absl::StatusOr<domain::StaffUser> GetStaffByEmail(Db& db, const std::string& email) {
  ONESTOP_ASSIGN_OR_RETURN(auto stmt, db.Prepare(absl::StrCat(
                                          "SELECT ", kStaffColumns, " FROM staff WHERE email = ?")));
  stmt.Bind(email);
  ONESTOP_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return absl::NotFoundError(absl::StrCat("staff user ", email, " not found"));
  return ReadStaff(stmt);
}

template <typename Db>
absl::StatusOr<std::vector<domain::StaffUser>> ListStaff(Db& db) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare(absl::StrCat("SELECT ", kStaffColumns, " FROM staff ORDER BY id")));
  std::vector<domain::StaffUser> out;
  ONESTOP_RETURN_IF_ERROR(sql_internal::CollectRows(stmt, [](const auto& row) { return ReadStaff(row); }, out));
  return out;
}

template <typename Db>
absl::StatusOr<domain::Session> GetSession(Db& db, const std::string& token_hash) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("SELECT token_hash, staff_id, created_at, expires_at "
                                    "FROM sessions WHERE token_hash = ?"));
  stmt.Bind(token_hash);
  ONESTOP_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return absl::NotFoundError("session not found");
  return domain::Session{stmt.Text(0), stmt.Int(1), stmt.Time(2), stmt.Time(3)};
}

namespace sql_internal {
inline constexpr const char* kApiKeyColumns =
    "id, name, key_hash, key_prefix, created_by, created_at, revoked_at";
template <typename S>
domain::ApiKey ReadApiKey(const S& stmt) {
  return domain::ApiKey{stmt.Int(0), stmt.Text(1), stmt.Text(2), stmt.Text(3),
                        stmt.Int(4), stmt.Time(5), stmt.OptTime(6)};
}
}  // namespace sql_internal

template <typename Db>
absl::StatusOr<domain::ApiKey> GetApiKeyByHash(Db& db, const std::string& key_hash) {
  ONESTOP_ASSIGN_OR_RETURN(auto stmt, db.Prepare(absl::StrCat(
                                          "SELECT ", sql_internal::kApiKeyColumns, " FROM api_keys WHERE key_hash = ?")));
  stmt.Bind(key_hash);
  ONESTOP_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return absl::NotFoundError("API key not found");
  return sql_internal::ReadApiKey(stmt);
}

template <typename Db>
absl::StatusOr<std::vector<domain::ApiKey>> ListApiKeys(Db& db) {
  ONESTOP_ASSIGN_OR_RETURN(auto stmt, db.Prepare(absl::StrCat(
                                          "SELECT ", sql_internal::kApiKeyColumns, " FROM api_keys ORDER BY id DESC")));
  std::vector<domain::ApiKey> out;
  ONESTOP_RETURN_IF_ERROR(sql_internal::CollectRows<domain::ApiKey>(stmt, [](const auto& row) -> absl::StatusOr<domain::ApiKey> { return sql_internal::ReadApiKey(row); }, out));
  return out;
}

}  // namespace onestop::store::sql_reads
