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
#include "store/common/sql_call_recordings.h"
#include "store/common/sql_duplicates.h"
#include "store/common/sql_leadership.h"
#include "store/common/sql_routing.h"
#include "store/common/sql_rows.h"
#include "store/common/sql_mail.h"
#include "store/common/sql_outbox.h"
#include "store/common/sql_sip_accounts.h"

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
  // Staff SIP accounts (store/common/sql_sip_accounts.h).
  absl::Status PutSipAccount(const domain::SipAccount& account) override {
    return sql_sip_accounts::Put(db_, account);
  }
  absl::Status PutSipBinding(const domain::SipBinding& binding) override {
    return sql_sip_accounts::PutBinding(db_, binding);
  }
  absl::Status DeleteSipBinding(const std::string& extension) override {
    return sql_sip_accounts::DeleteBinding(db_, extension);
  }
  absl::StatusOr<int64_t> InsertMailMessage(const domain::MailMessage& message) override {
    return sql_mail::Insert(db_, message);
  }
  absl::Status UpdateMailFiling(const domain::MailMessage& message) override {
    return sql_mail::UpdateFiling(db_, message);
  }
  absl::StatusOr<domain::MailMessage> GetMailMessage(int64_t id) override { return sql_mail::Get(db_, id); }
  // The outbox (store/common/sql_outbox.h).
  absl::StatusOr<int64_t> InsertOutboxMessage(const domain::OutboxMessage& message) override {
    return sql_outbox::Insert(db_, message);
  }
  absl::StatusOr<bool> ClaimOutboxMessage(int64_t id, absl::Time now, absl::Time lease_until) override {
    return sql_outbox::Claim(db_, id, now, lease_until);
  }
  absl::Status UpdateOutboxDelivery(const domain::OutboxMessage& message) override {
    return sql_outbox::UpdateDelivery(db_, message);
  }
  absl::StatusOr<domain::OutboxMessage> GetOutboxMessage(int64_t id) override { return sql_outbox::Get(db_, id); }
  absl::StatusOr<int64_t> CountAutomaticOutboxSince(const std::string& recipient, absl::Time since) override {
    return sql_outbox::CountAutomaticSince(db_, recipient, since);
  }
  absl::Status DeleteSipAccount(int64_t staff_id) override {
    return sql_sip_accounts::Delete(db_, staff_id);
  }
  // Call recordings and survey answers (store/common/sql_call_recordings.h).
  absl::StatusOr<int64_t> InsertCallRecording(const domain::CallRecording& recording) override {
    return sql_call_recordings::InsertRecording(db_, recording);
  }
  absl::Status DeleteCallRecording(int64_t id) override {
    return sql_call_recordings::DeleteRecording(db_, id);
  }
  absl::StatusOr<int64_t> InsertCallSurvey(const domain::CallSurvey& survey) override {
    return sql_call_recordings::InsertSurvey(db_, survey);
  }

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
absl::Status SqlWriteTxn<Db>::VersionMismatch(const char* table, const char* noun, int64_t id,
                                             int64_t expected_version) {
  ONESTOP_ASSIGN_OR_RETURN(std::optional<int64_t> current, LoadVersion(db_, table, id));
  if (!current) return absl::NotFoundError(absl::StrCat(noun, " ", id, " not found"));
  return absl::AbortedError(absl::StrCat(noun, " ", id,
                                         " was changed by someone else (version ", *current,
                                         ", you had ", expected_version, ")"));
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

// The members by subject (each needs the class above).
#include "store/common/sql_write_txn_cases.h"
#include "store/common/sql_write_txn_catalogue.h"
#include "store/common/sql_write_txn_citizens.h"
