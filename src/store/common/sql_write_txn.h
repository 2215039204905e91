// SqlWriteTxn<Db>: the domain::WriteTxn handed to each Write() job, shared by
// the SQL stores (SQLite: Db = sqlite::Db, PostgreSQL: Db = postgres::Db).
// It runs on the writer thread against the write connection, inside the batch
// transaction and the job's own savepoint (store/common/group_commit.h); it
// never begins, commits or rolls back itself.
//
// The statements are the SQL the two dialects share (INSERT ... RETURNING id,
// ON CONFLICT ... DO UPDATE, UPDATE ... WHERE id = ? AND version = ?). The
// two that differ come from the backend's Db type:
//   Db::kNextCaseNumberSql — one row, one column: a never-repeated number;
//   Db::kAppendEventSql    — inserts an event, RETURNING its gap-free seq.
// Errors arrive already mapped by the backend (unique → AlreadyExists,
// foreign key → FailedPrecondition, which this class reports as NotFound).
//
// Threads: only the writer thread, only during the job's fn call.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "domain/store.h"
#include "store/common/json_columns.h"
#include "store/common/sql_articles.h"
#include "store/common/sql_duplicates.h"
#include "store/common/sql_leadership.h"
#include "store/common/sql_routing.h"
#include "store/common/sql_rows.h"

namespace onestop::store {

namespace sql_internal {

// "?, ?, ?" with n placeholders.
inline std::string Placeholders(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += i == 0 ? "?" : ", ?";
  return out;
}

// "a = ?, b = ?" for every column of `columns` except the first (the key).
inline std::string SetList(const char* columns) {
  std::string out;
  std::string_view rest(columns);
  bool first = true;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string_view col = rest.substr(0, comma);
    while (!col.empty() && col.front() == ' ') col.remove_prefix(1);
    if (!first) {
      if (!out.empty()) out += ", ";
      out += std::string(col) + " = ?";
    }
    first = false;
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return out;
}

inline int CountColumns(const char* columns) {
  int n = 1;
  for (const char* p = columns; *p; ++p) n += *p == ',';
  return n;
}

// Replaces the message of a status with `code`, keeping other statuses.
inline absl::Status Rephrase(absl::Status status, absl::StatusCode code, const std::string& message) {
  if (status.code() == code) return absl::Status(code, message);
  return status;
}

inline const std::string& InsertCaseSql() {
  static const std::string sql = absl::StrCat("INSERT INTO cases (", kCaseColumns, ") VALUES (",
                                              Placeholders(CountColumns(kCaseColumns)), ")");
  return sql;
}
inline const std::string& UpdateCaseSql() {
  static const std::string sql =
      absl::StrCat("UPDATE cases SET ", SetList(kCaseColumns), " WHERE id = ? AND version = ?");
  return sql;
}
inline const std::string& InsertCitizenSql() {
  static const std::string sql =
      absl::StrCat("INSERT INTO citizens (", kCitizenColumns + 4, ") VALUES (",  // without "id, "
                   Placeholders(CountColumns(kCitizenColumns) - 1), ") RETURNING id");
  return sql;
}
inline const std::string& UpdateCitizenSql() {
  static const std::string sql = absl::StrCat("UPDATE citizens SET ", SetList(kCitizenColumns),
                                              " WHERE id = ? AND version = ?");
  return sql;
}
inline const std::string& InsertStaffSql() {
  static const std::string sql = absl::StrCat("INSERT INTO staff (", kStaffColumns + 4, ") VALUES (",
                                              Placeholders(CountColumns(kStaffColumns) - 1),
                                              ") RETURNING id");
  return sql;
}
inline const std::string& UpdateStaffSql() {
  static const std::string sql =
      absl::StrCat("UPDATE staff SET ", SetList(kStaffColumns), " WHERE id = ? AND version = ?");
  return sql;
}

// Reads the id of an INSERT ... RETURNING id (statement bound, not yet run).
template <typename S>
absl::StatusOr<int64_t> ReturnedId(S& stmt) {
  absl::StatusOr<bool> row = stmt.Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::InternalError("INSERT ... RETURNING returned no row");
  return stmt.Int(0);
}

}  // namespace sql_internal

template <typename Db>
class SqlWriteTxn final : public domain::WriteTxn {
 public:
  explicit SqlWriteTxn(Db& db) : db_(db) {}

  absl::StatusOr<domain::Case> GetCase(int64_t id) override;
  absl::StatusOr<domain::Citizen> GetCitizen(int64_t id) override;
  absl::StatusOr<std::optional<domain::IdempotencyRecord>> GetIdempotency(
      const std::string& key) override;

  absl::StatusOr<int64_t> AppendEvent(const domain::Event& event) override;

  absl::StatusOr<int64_t> UpsertService(const domain::Service& service) override;
  absl::Status UpsertDepartment(const domain::Department& department) override;
  absl::Status UpsertTeam(const domain::Team& team) override;

  absl::StatusOr<int64_t> InsertCitizen(const domain::Citizen& citizen) override;
  absl::Status UpdateCitizen(const domain::Citizen& citizen, int64_t expected_version) override;

  absl::StatusOr<int64_t> NextCaseNumber() override;
  absl::Status InsertCase(const domain::Case& c) override;
  absl::Status UpdateCase(const domain::Case& c, int64_t expected_version) override;

  absl::StatusOr<int64_t> InsertNote(const domain::Note& note) override;
  absl::StatusOr<int64_t> InsertAttachment(const domain::Attachment& attachment) override;
  absl::StatusOr<int64_t> InsertContact(const domain::Contact& contact) override;
  absl::StatusOr<std::optional<domain::Contact>> FindContactByInteraction(int64_t interaction_id) override;
  absl::Status UpdateContact(const domain::Contact& contact) override;

  // Moving cases/contacts between citizens also bumps each moved case's
  // version, so a client holding the old ETag cannot silently move it back.
  absl::StatusOr<std::vector<int64_t>> MoveAllCases(int64_t from, int64_t into) override;
  absl::StatusOr<std::vector<int64_t>> MoveAllContacts(int64_t from, int64_t into) override;
  absl::Status MoveCases(const std::vector<int64_t>& ids, int64_t into) override;
  absl::Status MoveContacts(const std::vector<int64_t>& ids, int64_t into) override;
  absl::StatusOr<int64_t> InsertMerge(const domain::CitizenMerge& merge) override;
  absl::Status UpdateMerge(const domain::CitizenMerge& merge) override;

  absl::StatusOr<int64_t> InsertStaff(const domain::StaffUser& staff) override;
  absl::Status UpdateStaff(const domain::StaffUser& staff, int64_t expected_version) override;
  absl::Status InsertSession(const domain::Session& session) override;
  // Deleting a session that does not exist is not an error (logout twice).
  absl::Status DeleteSession(const std::string& token_hash) override;

  absl::Status PutIdempotency(const domain::IdempotencyRecord& record) override;
  absl::StatusOr<int64_t> DeleteExpiredSessions(absl::Time before, int limit) override {
    return DeleteSome("sessions", "token_hash", "expires_at", before, limit);
  }
  absl::StatusOr<int64_t> DeleteIdempotencyBefore(absl::Time before, int limit) override {
    return DeleteSome("idempotency_keys", "key", "created_at", before, limit);
  }
  absl::StatusOr<int64_t> InsertApiKey(const domain::ApiKey& key) override;
  absl::Status RevokeApiKey(int64_t id, absl::Time at) override;
  // Knowledge base (store/common/sql_articles.h).
  absl::StatusOr<int64_t> InsertArticle(const domain::Article& article) override {
    return sql_articles::InsertArticle(db_, article);
  }
  absl::Status UpdateArticle(const domain::Article& article, int64_t expected_version) override {
    return sql_articles::UpdateArticle(db_, article, expected_version);
  }
  absl::Status InsertArticleVersion(const domain::ArticleVersion& version) override {
    return sql_articles::InsertArticleVersion(db_, version);
  }
  absl::Status AddArticleFeedback(int64_t article_id, bool helpful) override {
    return sql_articles::AddArticleFeedback(db_, article_id, helpful);
  }
  absl::Status SetContactArticle(int64_t contact_id, int64_t article_id) override {
    return sql_articles::SetContactArticle(db_, contact_id, article_id);
  }
  absl::Status PutRoutingQueue(const domain::RoutingQueue& queue,
                               std::optional<int64_t> expected_version) override {
    return sql_routing::PutQueue(db_, queue, expected_version);
  }
  absl::Status DeleteRoutingQueue(const std::string& code) override {
    return sql_routing::Delete(db_, "routing_queues", "routing queue", code);
  }
  absl::Status PutRoutingProfile(const domain::RoutingProfile& profile,
                                 std::optional<int64_t> expected_version) override {
    return sql_routing::PutProfile(db_, profile, expected_version);
  }
  absl::Status DeleteRoutingProfile(const std::string& code) override {
    return sql_routing::Delete(db_, "routing_profiles", "routing profile", code);
  }
  absl::StatusOr<int64_t> TakeLeadership(const std::string& role, const std::string& node,
                                         absl::Time since) override {
    return sql_leadership::Take(db_, role, node, since);
  }
  absl::Status CheckLeadership(const std::string& role, int64_t epoch) override {
    return sql_leadership::Check(db_, role, epoch);
  }
  absl::StatusOr<bool> AddFollower(const domain::CaseFollower& follower) override {
    return sql_duplicates::AddFollower(db_, follower);
  }
  absl::Status PutSetting(const std::string& key, const std::string& value) override {
    ONESTOP_ASSIGN_OR_RETURN(
        auto stmt, db_.Prepare("INSERT INTO settings (key, value) VALUES (?, ?) "
                               "ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
    return stmt.Bind(key).Bind(value).Run();
  }

 private:
  absl::Status WriteCitizenChildren(const domain::Citizen& citizen);
  // After an UPDATE ... WHERE id = ? AND version = ? touched no row.
  absl::Status VersionMismatch(const char* table, const char* noun, int64_t id,
                               int64_t expected_version);

  // DELETE at most `limit` rows of `table` whose `column` < before;
  // table and column names are literals from this class.
  absl::StatusOr<int64_t> DeleteSome(const char* table, const char* key, const char* column,
                                     absl::Time before, int limit) {
    ONESTOP_ASSIGN_OR_RETURN(
        auto stmt, db_.Prepare(absl::StrCat("DELETE FROM ", table, " WHERE ", key, " IN (SELECT ", key,
                                            " FROM ", table, " WHERE ", column, " < ? LIMIT ?)")));
    ONESTOP_RETURN_IF_ERROR(stmt.Bind(before).Bind(limit).Run());
    return db_.Changes();
  }

  Db& db_;
};


template <typename Db>
absl::StatusOr<domain::Case> SqlWriteTxn<Db>::GetCase(int64_t id) { return LoadCase(db_, id); }

template <typename Db>
absl::StatusOr<domain::Citizen> SqlWriteTxn<Db>::GetCitizen(int64_t id) {
  return LoadCitizen(db_, id);
}

template <typename Db>
absl::StatusOr<std::optional<domain::IdempotencyRecord>> SqlWriteTxn<Db>::GetIdempotency(
    const std::string& key) {
  return LoadIdempotency(db_, key);
}

template <typename Db>
absl::StatusOr<int64_t> SqlWriteTxn<Db>::AppendEvent(const domain::Event& e) {
  // Db::kAppendEventSql: "INSERT INTO events (...) ... RETURNING seq" taking
  // at, actor_id, channel, entity, entity_id, entity_key, type, case_id,
  // citizen_id, changes_json; each backend assigns seq its own way.
  ONESTOP_ASSIGN_OR_RETURN(auto stmt, db_.Prepare(Db::kAppendEventSql));
  stmt.Bind(e.at).Bind(e.actor_id);
  if (e.channel) {
    stmt.Bind(domain::ChannelName(*e.channel));
  } else {
    stmt.BindNull();
  }
  stmt.Bind(e.entity)
      .Bind(e.entity_id)
      .Bind(e.entity_key)
      .Bind(e.type)
      .Bind(e.case_id)
      .Bind(e.citizen_id)
      .Bind(EncodeChanges(e.changes));
  return sql_internal::ReturnedId(stmt);
}

template <typename Db>
absl::StatusOr<int64_t> SqlWriteTxn<Db>::UpsertService(const domain::Service& s) {
  int64_t version = 1;
  {
    ONESTOP_ASSIGN_OR_RETURN(auto stmt, db_.Prepare("SELECT version FROM services WHERE code = ?"));
    stmt.Bind(s.code);
    ONESTOP_ASSIGN_OR_RETURN(bool found, stmt.Step());
    if (found) version = stmt.Int(0) + 1;
  }
  static const std::string sql = absl::StrCat(
      "INSERT INTO services (", kServiceColumns, ") VALUES (",
      sql_internal::Placeholders(sql_internal::CountColumns(kServiceColumns)),
      ") ON CONFLICT (code) DO UPDATE SET name = excluded.name, description = excluded.description, "
      "department = excluded.department, group_name = excluded.group_name, "
      "keywords_json = excluded.keywords_json, interaction_type = excluded.interaction_type, "
      "channels_json = excluded.channels_json, sla_amount = excluded.sla_amount, "
      "sla_unit = excluded.sla_unit, default_team = excluded.default_team, "
      "allow_anonymous = excluded.allow_anonymous, active = excluded.active, "
      "fields_json = excluded.fields_json, version = excluded.version, "
      "translations_json = excluded.translations_json, "
      "duplicate_nearby = excluded.duplicate_nearby, "
      "duplicate_radius_m = excluded.duplicate_radius_m, duplicate_days = excluded.duplicate_days");
  ONESTOP_ASSIGN_OR_RETURN(auto stmt, db_.Prepare(sql));
  stmt.Bind(s.code)
      .Bind(s.name)
      .Bind(s.description)
      .Bind(s.department)
      .Bind(s.group)
      .Bind(EncodeStrings(s.keywords))
      .Bind(domain::InteractionTypeName(s.interaction_type))
      .Bind(EncodeChannels(s.channels))
      .Bind(s.sla.amount)
      .Bind(domain::SlaUnitName(s.sla.unit))
      .Bind(s.default_team)
      .Bind(s.allow_anonymous)
      .Bind(s.active)
      .Bind(EncodeFormFields(s.fields))
      .Bind(version)
      .Bind(EncodeServiceTexts(s.translations))
      .Bind(s.duplicates.nearby)
      .Bind(s.duplicates.radius_m)
      .Bind(s.duplicates.days);
  ONESTOP_RETURN_IF_ERROR(stmt.Run());
  return version;
}

template <typename Db>
absl::Status SqlWriteTxn<Db>::UpsertDepartment(const domain::Department& d) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt, db_.Prepare("INSERT INTO departments (code, name, translations_json) VALUES (?, ?, ?) "
                             "ON CONFLICT (code) DO UPDATE SET name = excluded.name, "
                             "translations_json = excluded.translations_json"));
  return stmt.Bind(d.code).Bind(d.name).Bind(EncodeNameTexts(d.translations)).Run();
}

template <typename Db>
absl::Status SqlWriteTxn<Db>::UpsertTeam(const domain::Team& t) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt,
      db_.Prepare("INSERT INTO teams (code, name, department) VALUES (?, ?, ?) "
                  "ON CONFLICT (code) DO UPDATE SET name = excluded.name, "
                  "department = excluded.department"));
  return stmt.Bind(t.code).Bind(t.name).Bind(t.department).Run();
}

template <typename Db>
absl::Status SqlWriteTxn<Db>::WriteCitizenChildren(const domain::Citizen& c) {
  for (const char* sql : {"DELETE FROM citizen_phones WHERE citizen_id = ?",
                          "DELETE FROM citizen_emails WHERE citizen_id = ?",
                          "DELETE FROM citizen_addresses WHERE citizen_id = ?"}) {
    ONESTOP_ASSIGN_OR_RETURN(auto stmt, db_.Prepare(sql));
    ONESTOP_RETURN_IF_ERROR(stmt.Bind(c.id).Run());
  }
  for (size_t i = 0; i < c.phones.size(); ++i) {
    ONESTOP_ASSIGN_OR_RETURN(
        auto stmt,
        db_.Prepare("INSERT INTO citizen_phones (citizen_id, position, phone) VALUES (?, ?, ?)"));
    ONESTOP_RETURN_IF_ERROR(stmt.Bind(c.id).Bind(static_cast<int64_t>(i)).Bind(c.phones[i]).Run());
  }
  for (size_t i = 0; i < c.emails.size(); ++i) {
    ONESTOP_ASSIGN_OR_RETURN(
        auto stmt,
        db_.Prepare("INSERT INTO citizen_emails (citizen_id, position, email) VALUES (?, ?, ?)"));
    ONESTOP_RETURN_IF_ERROR(stmt.Bind(c.id).Bind(static_cast<int64_t>(i)).Bind(c.emails[i]).Run());
  }
  for (size_t i = 0; i < c.addresses.size(); ++i) {
    const domain::Address& a = c.addresses[i];
    ONESTOP_ASSIGN_OR_RETURN(
        auto stmt, db_.Prepare("INSERT INTO citizen_addresses (citizen_id, position, uprn, line1, "
                               "line2, town, postcode) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    ONESTOP_RETURN_IF_ERROR(stmt.Bind(c.id)
                                .Bind(static_cast<int64_t>(i))
                                .Bind(a.uprn)
                                .Bind(a.line1)
                                .Bind(a.line2)
                                .Bind(a.town)
                                .Bind(a.postcode)
                                .Run());
  }
  return absl::OkStatus();
}

template <typename Db>
absl::StatusOr<int64_t> SqlWriteTxn<Db>::InsertCitizen(const domain::Citizen& citizen) {
  ONESTOP_ASSIGN_OR_RETURN(auto stmt, db_.Prepare(sql_internal::InsertCitizenSql()));
  BindCitizenFields(stmt, citizen);  // id: assigned by the database
  domain::Citizen stored = citizen;
  ONESTOP_ASSIGN_OR_RETURN(stored.id, sql_internal::ReturnedId(stmt));
  ONESTOP_RETURN_IF_ERROR(WriteCitizenChildren(stored));
  return stored.id;
}

template <typename Db>
absl::Status SqlWriteTxn<Db>::VersionMismatch(const char* table, const char* noun, int64_t id,
                                             int64_t expected_version) {
  ONESTOP_ASSIGN_OR_RETURN(std::optional<int64_t> current, LoadVersion(db_, table, id));
  if (!current) return absl::NotFoundError(absl::StrCat(noun, " ", id, " not found"));
  return absl::AbortedError(absl::StrCat(noun, " ", id,
                                         " was changed by someone else (version ", *current,
                                         ", you had ", expected_version, ")"));
}

template <typename Db>
absl::Status SqlWriteTxn<Db>::UpdateCitizen(const domain::Citizen& citizen,
                                           int64_t expected_version) {
  {
    ONESTOP_ASSIGN_OR_RETURN(auto stmt, db_.Prepare(sql_internal::UpdateCitizenSql()));
    BindCitizenFields(stmt, citizen);
    ONESTOP_RETURN_IF_ERROR(stmt.Bind(citizen.id).Bind(expected_version).Run());
  }
  if (db_.Changes() == 0) {
    return VersionMismatch("citizens", "citizen", citizen.id, expected_version);
  }
  return WriteCitizenChildren(citizen);
}

template <typename Db>
absl::StatusOr<int64_t> SqlWriteTxn<Db>::NextCaseNumber() {
  // One row, one column: the next number (a counter row or a sequence).
  ONESTOP_ASSIGN_OR_RETURN(auto stmt, db_.Prepare(Db::kNextCaseNumberSql));
  ONESTOP_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return absl::InternalError("the case_number counter is missing (run migrations)");
  int64_t value = stmt.Int(0);
  ONESTOP_RETURN_IF_ERROR(stmt.Run());  // finish the statement
  return value;
}

template <typename Db>
absl::Status SqlWriteTxn<Db>::InsertCase(const domain::Case& c) {
  ONESTOP_ASSIGN_OR_RETURN(auto stmt, db_.Prepare(sql_internal::InsertCaseSql()));
  stmt.Bind(c.id);
  BindCaseFields(stmt, c);
  absl::Status status = stmt.Run();
  if (status.code() == absl::StatusCode::kFailedPrecondition) {
    return absl::NotFoundError(absl::StrCat("citizen ", c.citizen_id.value_or(0), " not found"));
  }
  return sql_internal::Rephrase(status, absl::StatusCode::kAlreadyExists,
                  absl::StrCat("case ", c.id, " or reference ", c.reference, " already exists"));
}

template <typename Db>
absl::Status SqlWriteTxn<Db>::UpdateCase(const domain::Case& c, int64_t expected_version) {
  {
    ONESTOP_ASSIGN_OR_RETURN(auto stmt, db_.Prepare(sql_internal::UpdateCaseSql()));
    BindCaseFields(stmt, c);
    ONESTOP_RETURN_IF_ERROR(
        sql_internal::Rephrase(stmt.Bind(c.id).Bind(expected_version).Run(), absl::StatusCode::kAlreadyExists,
                 absl::StrCat("reference ", c.reference, " is used by another case")));
  }
  if (db_.Changes() == 0) return VersionMismatch("cases", "case", c.id, expected_version);
  return absl::OkStatus();
}

template <typename Db>
absl::StatusOr<int64_t> SqlWriteTxn<Db>::InsertNote(const domain::Note& n) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt, db_.Prepare("INSERT INTO notes (case_id, visibility, body, author_id, created_at) "
                             "VALUES (?, ?, ?, ?, ?) RETURNING id"));
  auto& bound = stmt.Bind(n.case_id)
                            .Bind(domain::NoteVisibilityName(n.visibility))
                            .Bind(n.body)
                            .Bind(n.author_id)
                            .Bind(n.created_at);
  (void)bound;
  absl::StatusOr<int64_t> id = sql_internal::ReturnedId(stmt);
  if (id.status().code() == absl::StatusCode::kFailedPrecondition) {
    return absl::NotFoundError(absl::StrCat("case ", n.case_id, " not found"));
  }
  return id;
}

template <typename Db>
absl::StatusOr<int64_t> SqlWriteTxn<Db>::InsertAttachment(const domain::Attachment& a) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt,
      db_.Prepare("INSERT INTO attachments (case_id, filename, content_type, size_bytes, url, "
                  "sha256, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
  auto& bound = stmt.Bind(a.case_id)
                            .Bind(a.filename)
                            .Bind(a.content_type)
                            .Bind(a.size_bytes)
                            .Bind(a.url)
                            .Bind(a.sha256)
                            .Bind(a.uploaded_by)
                            .Bind(a.created_at);
  (void)bound;
  absl::StatusOr<int64_t> id = sql_internal::ReturnedId(stmt);
  if (id.status().code() == absl::StatusCode::kFailedPrecondition) {
    return absl::NotFoundError(absl::StrCat("case ", a.case_id, " not found"));
  }
  return id;
}

template <typename Db>
absl::StatusOr<int64_t> SqlWriteTxn<Db>::InsertContact(const domain::Contact& c) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt,
      db_.Prepare("INSERT INTO contacts (channel, direction, at, staff_id, citizen_id, case_id, "
                  "service_code, reason, outcome, duration_us, interaction_id, disposition) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
  stmt.Bind(domain::ChannelName(c.channel))
      .Bind(domain::DirectionName(c.direction))
      .Bind(c.at)
      .Bind(c.staff_id)
      .Bind(c.citizen_id)
      .Bind(c.case_id)
      .Bind(c.service_code)
      .Bind(c.reason)
      .Bind(domain::ContactOutcomeName(c.outcome))
      .Bind(static_cast<int64_t>(absl::ToInt64Microseconds(c.duration)))
      .Bind(c.interaction_id)
      .Bind(c.disposition);
  absl::StatusOr<int64_t> id = sql_internal::ReturnedId(stmt);
  if (id.status().code() == absl::StatusCode::kFailedPrecondition) {
    return absl::NotFoundError("the contact's citizen or case does not exist");
  }
  return id;
}

template <typename Db>
absl::StatusOr<std::optional<domain::Contact>> SqlWriteTxn<Db>::FindContactByInteraction(
    int64_t interaction_id) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt, db_.Prepare(absl::StrCat("SELECT ", kContactColumns,
                                          " FROM contacts WHERE interaction_id = ?")));
  stmt.Bind(interaction_id);
  ONESTOP_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return std::nullopt;
  ONESTOP_ASSIGN_OR_RETURN(domain::Contact c, ReadContact(stmt));
  return c;
}

template <typename Db>
absl::Status SqlWriteTxn<Db>::UpdateContact(const domain::Contact& c) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt,
      db_.Prepare("UPDATE contacts SET staff_id = ?, citizen_id = ?, case_id = ?, service_code = ?, "
                  "reason = ?, outcome = ?, duration_us = ?, disposition = ? WHERE id = ?"));
  stmt.Bind(c.staff_id)
      .Bind(c.citizen_id)
      .Bind(c.case_id)
      .Bind(c.service_code)
      .Bind(c.reason)
      .Bind(domain::ContactOutcomeName(c.outcome))
      .Bind(static_cast<int64_t>(absl::ToInt64Microseconds(c.duration)))
      .Bind(c.disposition);
  ONESTOP_RETURN_IF_ERROR(stmt.Bind(c.id).Run());
  if (db_.Changes() == 0) return absl::NotFoundError(absl::StrCat("contact ", c.id, " not found"));
  return absl::OkStatus();
}

namespace sql_internal {

template <typename Db>
absl::StatusOr<std::vector<int64_t>> SelectIds(Db& db, const char* sql, int64_t arg) {
  ONESTOP_ASSIGN_OR_RETURN(auto stmt, db.Prepare(sql));
  stmt.Bind(arg);
  std::vector<int64_t> ids;
  while (true) {
    ONESTOP_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    ids.push_back(stmt.Int(0));
  }
  return ids;
}

}  // namespace sql_internal

template <typename Db>
absl::StatusOr<std::vector<int64_t>> SqlWriteTxn<Db>::MoveAllCases(int64_t from, int64_t into) {
  ONESTOP_ASSIGN_OR_RETURN(
      std::vector<int64_t> ids,
      sql_internal::SelectIds(db_, "SELECT id FROM cases WHERE citizen_id = ? ORDER BY id", from));
  ONESTOP_RETURN_IF_ERROR(MoveCases(ids, into));
  return ids;
}

template <typename Db>
absl::StatusOr<std::vector<int64_t>> SqlWriteTxn<Db>::MoveAllContacts(int64_t from, int64_t into) {
  ONESTOP_ASSIGN_OR_RETURN(
      std::vector<int64_t> ids,
      sql_internal::SelectIds(db_, "SELECT id FROM contacts WHERE citizen_id = ? ORDER BY id", from));
  ONESTOP_RETURN_IF_ERROR(MoveContacts(ids, into));
  return ids;
}

template <typename Db>
absl::Status SqlWriteTxn<Db>::MoveCases(const std::vector<int64_t>& ids, int64_t into) {
  for (int64_t id : ids) {
    ONESTOP_ASSIGN_OR_RETURN(
        auto stmt,
        db_.Prepare("UPDATE cases SET citizen_id = ?, version = version + 1 WHERE id = ?"));
    absl::Status status = stmt.Bind(into).Bind(id).Run();
    if (status.code() == absl::StatusCode::kFailedPrecondition) {
      return absl::NotFoundError(absl::StrCat("citizen ", into, " not found"));
    }
    ONESTOP_RETURN_IF_ERROR(status);
    if (db_.Changes() == 0) return absl::NotFoundError(absl::StrCat("case ", id, " not found"));
  }
  return absl::OkStatus();
}

template <typename Db>
absl::Status SqlWriteTxn<Db>::MoveContacts(const std::vector<int64_t>& ids, int64_t into) {
  for (int64_t id : ids) {
    ONESTOP_ASSIGN_OR_RETURN(auto stmt,
                             db_.Prepare("UPDATE contacts SET citizen_id = ? WHERE id = ?"));
    absl::Status status = stmt.Bind(into).Bind(id).Run();
    if (status.code() == absl::StatusCode::kFailedPrecondition) {
      return absl::NotFoundError(absl::StrCat("citizen ", into, " not found"));
    }
    ONESTOP_RETURN_IF_ERROR(status);
    if (db_.Changes() == 0) return absl::NotFoundError(absl::StrCat("contact ", id, " not found"));
  }
  return absl::OkStatus();
}

template <typename Db>
absl::StatusOr<int64_t> SqlWriteTxn<Db>::InsertMerge(const domain::CitizenMerge& m) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt,
      db_.Prepare("INSERT INTO citizen_merges (from_citizen, into_citizen, moved_cases_json, "
                  "moved_contacts_json, merged_by, merged_at, reversed_at, reversed_by) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
  stmt.Bind(m.from_citizen)
                            .Bind(m.into_citizen)
                            .Bind(EncodeIds(m.moved_cases))
                            .Bind(EncodeIds(m.moved_contacts))
                            .Bind(m.merged_by)
                            .Bind(m.merged_at)
                            .Bind(m.reversed_at)
                            .Bind(m.reversed_by);
  absl::StatusOr<int64_t> id = sql_internal::ReturnedId(stmt);
  if (id.status().code() == absl::StatusCode::kFailedPrecondition) {
    return absl::NotFoundError("a merged citizen does not exist");
  }
  return id;
}

template <typename Db>
absl::Status SqlWriteTxn<Db>::UpdateMerge(const domain::CitizenMerge& m) {
  {
    ONESTOP_ASSIGN_OR_RETURN(
        auto stmt, db_.Prepare("UPDATE citizen_merges SET moved_cases_json = ?, "
                               "moved_contacts_json = ?, reversed_at = ?, reversed_by = ? "
                               "WHERE id = ?"));
    ONESTOP_RETURN_IF_ERROR(stmt.Bind(EncodeIds(m.moved_cases))
                                .Bind(EncodeIds(m.moved_contacts))
                                .Bind(m.reversed_at)
                                .Bind(m.reversed_by)
                                .Bind(m.id)
                                .Run());
  }
  if (db_.Changes() == 0) return absl::NotFoundError(absl::StrCat("merge ", m.id, " not found"));
  return absl::OkStatus();
}

template <typename Db>
absl::StatusOr<int64_t> SqlWriteTxn<Db>::InsertStaff(const domain::StaffUser& staff) {
  ONESTOP_ASSIGN_OR_RETURN(auto stmt, db_.Prepare(sql_internal::InsertStaffSql()));
  BindStaffFields(stmt, staff);  // id: assigned by the database
  absl::StatusOr<int64_t> id = sql_internal::ReturnedId(stmt);
  ONESTOP_RETURN_IF_ERROR(sql_internal::Rephrase(id.status(), absl::StatusCode::kAlreadyExists,
                                                 absl::StrCat("staff email ", staff.email,
                                                              " is already used")));
  return id;
}

template <typename Db>
absl::Status SqlWriteTxn<Db>::UpdateStaff(const domain::StaffUser& staff, int64_t expected_version) {
  {
    ONESTOP_ASSIGN_OR_RETURN(auto stmt, db_.Prepare(sql_internal::UpdateStaffSql()));
    BindStaffFields(stmt, staff);
    ONESTOP_RETURN_IF_ERROR(
        sql_internal::Rephrase(stmt.Bind(staff.id).Bind(expected_version).Run(), absl::StatusCode::kAlreadyExists,
                 absl::StrCat("staff email ", staff.email, " is already used")));
  }
  if (db_.Changes() == 0) return VersionMismatch("staff", "staff user", staff.id, expected_version);
  return absl::OkStatus();
}

template <typename Db>
absl::Status SqlWriteTxn<Db>::InsertSession(const domain::Session& s) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt, db_.Prepare("INSERT INTO sessions (token_hash, staff_id, created_at, expires_at) "
                             "VALUES (?, ?, ?, ?)"));
  absl::Status status = stmt.Bind(s.token_hash).Bind(s.staff_id).Bind(s.created_at).Bind(s.expires_at).Run();
  if (status.code() == absl::StatusCode::kFailedPrecondition) {
    return absl::NotFoundError(absl::StrCat("staff user ", s.staff_id, " not found"));
  }
  return sql_internal::Rephrase(status, absl::StatusCode::kAlreadyExists, "session already exists");
}

template <typename Db>
absl::Status SqlWriteTxn<Db>::DeleteSession(const std::string& token_hash) {
  ONESTOP_ASSIGN_OR_RETURN(auto stmt, db_.Prepare("DELETE FROM sessions WHERE token_hash = ?"));
  return stmt.Bind(token_hash).Run();
}

template <typename Db>
absl::Status SqlWriteTxn<Db>::PutIdempotency(const domain::IdempotencyRecord& r) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt, db_.Prepare("INSERT INTO idempotency_keys (key, request_hash, status, body, "
                             "location, created_at) VALUES (?, ?, ?, ?, ?, ?)"));
  return sql_internal::Rephrase(
      stmt.Bind(r.key).Bind(r.request_hash).Bind(r.status).Bind(r.body).Bind(r.location).Bind(r.created_at).Run(),
      absl::StatusCode::kAlreadyExists, absl::StrCat("idempotency key ", r.key, " already used"));
}

template <typename Db>
absl::StatusOr<int64_t> SqlWriteTxn<Db>::InsertApiKey(const domain::ApiKey& key) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt, db_.Prepare("INSERT INTO api_keys (name, key_hash, key_prefix, created_by, "
                             "created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id"));
  stmt.Bind(key.name)
      .Bind(key.key_hash)
      .Bind(key.key_prefix)
      .Bind(key.created_by)
      .Bind(key.created_at)
      .Bind(key.revoked_at);
  absl::StatusOr<int64_t> id = sql_internal::ReturnedId(stmt);
  ONESTOP_RETURN_IF_ERROR(sql_internal::Rephrase(id.status(), absl::StatusCode::kAlreadyExists,
                                                 "API key already exists"));
  return id;
}

template <typename Db>
absl::Status SqlWriteTxn<Db>::RevokeApiKey(int64_t id, absl::Time at) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt, db_.Prepare("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?"));
  ONESTOP_RETURN_IF_ERROR(stmt.Bind(at).Bind(id).Run());
  if (db_.Changes() == 0) return absl::NotFoundError(absl::StrCat("API key ", id, " not found"));
  return absl::OkStatus();
}

}  // namespace onestop::store
