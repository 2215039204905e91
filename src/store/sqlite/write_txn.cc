#include "store/sqlite/write_txn.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "store/sqlite/json_columns.h"
#include "store/sqlite/rows.h"

namespace onestop::store::sqlite {
namespace {

// "?, ?, ?" with n placeholders.
std::string Placeholders(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += i == 0 ? "?" : ", ?";
  return out;
}

// "a = ?, b = ?" for every column of `columns` except the first (the key).
std::string SetList(const char* columns) {
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

int CountColumns(const char* columns) {
  int n = 1;
  for (const char* p = columns; *p; ++p) n += *p == ',';
  return n;
}

// Replaces the message of a status with `code`, keeping other statuses.
absl::Status Rephrase(absl::Status status, absl::StatusCode code, const std::string& message) {
  if (status.code() == code) return absl::Status(code, message);
  return status;
}

const std::string& InsertCaseSql() {
  static const std::string sql = absl::StrCat("INSERT INTO cases (", kCaseColumns, ") VALUES (",
                                              Placeholders(CountColumns(kCaseColumns)), ")");
  return sql;
}
const std::string& UpdateCaseSql() {
  static const std::string sql =
      absl::StrCat("UPDATE cases SET ", SetList(kCaseColumns), " WHERE id = ? AND version = ?");
  return sql;
}
const std::string& InsertCitizenSql() {
  static const std::string sql =
      absl::StrCat("INSERT INTO citizens (", kCitizenColumns, ") VALUES (",
                   Placeholders(CountColumns(kCitizenColumns)), ")");
  return sql;
}
const std::string& UpdateCitizenSql() {
  static const std::string sql = absl::StrCat("UPDATE citizens SET ", SetList(kCitizenColumns),
                                              " WHERE id = ? AND version = ?");
  return sql;
}
const std::string& InsertStaffSql() {
  static const std::string sql = absl::StrCat("INSERT INTO staff (", kStaffColumns, ") VALUES (",
                                              Placeholders(CountColumns(kStaffColumns)), ")");
  return sql;
}
const std::string& UpdateStaffSql() {
  static const std::string sql =
      absl::StrCat("UPDATE staff SET ", SetList(kStaffColumns), " WHERE id = ? AND version = ?");
  return sql;
}

}  // namespace

absl::StatusOr<domain::Case> SqliteWriteTxn::GetCase(int64_t id) { return LoadCase(db_, id); }

absl::StatusOr<domain::Citizen> SqliteWriteTxn::GetCitizen(int64_t id) {
  return LoadCitizen(db_, id);
}

absl::StatusOr<std::optional<domain::IdempotencyRecord>> SqliteWriteTxn::GetIdempotency(
    const std::string& key) {
  return LoadIdempotency(db_, key);
}

absl::StatusOr<int64_t> SqliteWriteTxn::AppendEvent(const domain::Event& e) {
  ONESTOP_ASSIGN_OR_RETURN(
      Stmt stmt, db_.Prepare("INSERT INTO events (at, actor_id, channel, entity, entity_id, "
                             "entity_key, type, case_id, citizen_id, changes_json) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
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
  ONESTOP_RETURN_IF_ERROR(stmt.Run());
  return db_.LastInsertRowid();
}

absl::StatusOr<int64_t> SqliteWriteTxn::UpsertService(const domain::Service& s) {
  int64_t version = 1;
  {
    ONESTOP_ASSIGN_OR_RETURN(Stmt stmt, db_.Prepare("SELECT version FROM services WHERE code = ?"));
    stmt.Bind(s.code);
    ONESTOP_ASSIGN_OR_RETURN(bool found, stmt.Step());
    if (found) version = stmt.Int(0) + 1;
  }
  static const std::string sql = absl::StrCat(
      "INSERT INTO services (", kServiceColumns, ") VALUES (",
      Placeholders(CountColumns(kServiceColumns)),
      ") ON CONFLICT (code) DO UPDATE SET name = excluded.name, description = excluded.description, "
      "department = excluded.department, group_name = excluded.group_name, "
      "keywords_json = excluded.keywords_json, interaction_type = excluded.interaction_type, "
      "channels_json = excluded.channels_json, sla_amount = excluded.sla_amount, "
      "sla_unit = excluded.sla_unit, default_team = excluded.default_team, "
      "allow_anonymous = excluded.allow_anonymous, active = excluded.active, "
      "fields_json = excluded.fields_json, version = excluded.version");
  ONESTOP_ASSIGN_OR_RETURN(Stmt stmt, db_.Prepare(sql));
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
      .Bind(version);
  ONESTOP_RETURN_IF_ERROR(stmt.Run());
  return version;
}

absl::Status SqliteWriteTxn::UpsertDepartment(const domain::Department& d) {
  ONESTOP_ASSIGN_OR_RETURN(
      Stmt stmt, db_.Prepare("INSERT INTO departments (code, name) VALUES (?, ?) "
                             "ON CONFLICT (code) DO UPDATE SET name = excluded.name"));
  return stmt.Bind(d.code).Bind(d.name).Run();
}

absl::Status SqliteWriteTxn::UpsertTeam(const domain::Team& t) {
  ONESTOP_ASSIGN_OR_RETURN(
      Stmt stmt,
      db_.Prepare("INSERT INTO teams (code, name, department) VALUES (?, ?, ?) "
                  "ON CONFLICT (code) DO UPDATE SET name = excluded.name, "
                  "department = excluded.department"));
  return stmt.Bind(t.code).Bind(t.name).Bind(t.department).Run();
}

absl::Status SqliteWriteTxn::WriteCitizenChildren(const domain::Citizen& c) {
  for (const char* sql : {"DELETE FROM citizen_phones WHERE citizen_id = ?",
                          "DELETE FROM citizen_emails WHERE citizen_id = ?",
                          "DELETE FROM citizen_addresses WHERE citizen_id = ?"}) {
    ONESTOP_ASSIGN_OR_RETURN(Stmt stmt, db_.Prepare(sql));
    ONESTOP_RETURN_IF_ERROR(stmt.Bind(c.id).Run());
  }
  for (size_t i = 0; i < c.phones.size(); ++i) {
    ONESTOP_ASSIGN_OR_RETURN(
        Stmt stmt,
        db_.Prepare("INSERT INTO citizen_phones (citizen_id, position, phone) VALUES (?, ?, ?)"));
    ONESTOP_RETURN_IF_ERROR(stmt.Bind(c.id).Bind(static_cast<int64_t>(i)).Bind(c.phones[i]).Run());
  }
  for (size_t i = 0; i < c.emails.size(); ++i) {
    ONESTOP_ASSIGN_OR_RETURN(
        Stmt stmt,
        db_.Prepare("INSERT INTO citizen_emails (citizen_id, position, email) VALUES (?, ?, ?)"));
    ONESTOP_RETURN_IF_ERROR(stmt.Bind(c.id).Bind(static_cast<int64_t>(i)).Bind(c.emails[i]).Run());
  }
  for (size_t i = 0; i < c.addresses.size(); ++i) {
    const domain::Address& a = c.addresses[i];
    ONESTOP_ASSIGN_OR_RETURN(
        Stmt stmt, db_.Prepare("INSERT INTO citizen_addresses (citizen_id, position, uprn, line1, "
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

absl::StatusOr<int64_t> SqliteWriteTxn::InsertCitizen(const domain::Citizen& citizen) {
  ONESTOP_ASSIGN_OR_RETURN(Stmt stmt, db_.Prepare(InsertCitizenSql()));
  stmt.BindNull();  // id: assigned by SQLite
  BindCitizenFields(stmt, citizen);
  ONESTOP_RETURN_IF_ERROR(stmt.Run());
  domain::Citizen stored = citizen;
  stored.id = db_.LastInsertRowid();
  ONESTOP_RETURN_IF_ERROR(WriteCitizenChildren(stored));
  return stored.id;
}

absl::Status SqliteWriteTxn::VersionMismatch(const char* table, const char* noun, int64_t id,
                                             int64_t expected_version) {
  ONESTOP_ASSIGN_OR_RETURN(std::optional<int64_t> current, LoadVersion(db_, table, id));
  if (!current) return absl::NotFoundError(absl::StrCat(noun, " ", id, " not found"));
  return absl::AbortedError(absl::StrCat(noun, " ", id,
                                         " was changed by someone else (version ", *current,
                                         ", you had ", expected_version, ")"));
}

absl::Status SqliteWriteTxn::UpdateCitizen(const domain::Citizen& citizen,
                                           int64_t expected_version) {
  {
    ONESTOP_ASSIGN_OR_RETURN(Stmt stmt, db_.Prepare(UpdateCitizenSql()));
    BindCitizenFields(stmt, citizen);
    ONESTOP_RETURN_IF_ERROR(stmt.Bind(citizen.id).Bind(expected_version).Run());
  }
  if (db_.Changes() == 0) {
    return VersionMismatch("citizens", "citizen", citizen.id, expected_version);
  }
  return WriteCitizenChildren(citizen);
}

absl::StatusOr<int64_t> SqliteWriteTxn::NextCaseNumber() {
  ONESTOP_ASSIGN_OR_RETURN(
      Stmt stmt,
      db_.Prepare("UPDATE counters SET value = value + 1 WHERE name = 'case_number' RETURNING value"));
  ONESTOP_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return absl::InternalError("the case_number counter is missing (run migrations)");
  int64_t value = stmt.Int(0);
  ONESTOP_RETURN_IF_ERROR(stmt.Run());  // finish the statement
  return value;
}

absl::Status SqliteWriteTxn::InsertCase(const domain::Case& c) {
  ONESTOP_ASSIGN_OR_RETURN(Stmt stmt, db_.Prepare(InsertCaseSql()));
  stmt.Bind(c.id);
  BindCaseFields(stmt, c);
  absl::Status status = stmt.Run();
  if (status.code() == absl::StatusCode::kFailedPrecondition) {
    return absl::NotFoundError(absl::StrCat("citizen ", c.citizen_id.value_or(0), " not found"));
  }
  return Rephrase(status, absl::StatusCode::kAlreadyExists,
                  absl::StrCat("case ", c.id, " or reference ", c.reference, " already exists"));
}

absl::Status SqliteWriteTxn::UpdateCase(const domain::Case& c, int64_t expected_version) {
  {
    ONESTOP_ASSIGN_OR_RETURN(Stmt stmt, db_.Prepare(UpdateCaseSql()));
    BindCaseFields(stmt, c);
    ONESTOP_RETURN_IF_ERROR(
        Rephrase(stmt.Bind(c.id).Bind(expected_version).Run(), absl::StatusCode::kAlreadyExists,
                 absl::StrCat("reference ", c.reference, " is used by another case")));
  }
  if (db_.Changes() == 0) return VersionMismatch("cases", "case", c.id, expected_version);
  return absl::OkStatus();
}

absl::StatusOr<int64_t> SqliteWriteTxn::InsertNote(const domain::Note& n) {
  ONESTOP_ASSIGN_OR_RETURN(
      Stmt stmt, db_.Prepare("INSERT INTO notes (case_id, visibility, body, author_id, created_at) "
                             "VALUES (?, ?, ?, ?, ?)"));
  absl::Status status = stmt.Bind(n.case_id)
                            .Bind(domain::NoteVisibilityName(n.visibility))
                            .Bind(n.body)
                            .Bind(n.author_id)
                            .Bind(n.created_at)
                            .Run();
  if (status.code() == absl::StatusCode::kFailedPrecondition) {
    return absl::NotFoundError(absl::StrCat("case ", n.case_id, " not found"));
  }
  ONESTOP_RETURN_IF_ERROR(status);
  return db_.LastInsertRowid();
}

absl::StatusOr<int64_t> SqliteWriteTxn::InsertAttachment(const domain::Attachment& a) {
  ONESTOP_ASSIGN_OR_RETURN(
      Stmt stmt,
      db_.Prepare("INSERT INTO attachments (case_id, filename, content_type, size_bytes, url, "
                  "sha256, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  absl::Status status = stmt.Bind(a.case_id)
                            .Bind(a.filename)
                            .Bind(a.content_type)
                            .Bind(a.size_bytes)
                            .Bind(a.url)
                            .Bind(a.sha256)
                            .Bind(a.uploaded_by)
                            .Bind(a.created_at)
                            .Run();
  if (status.code() == absl::StatusCode::kFailedPrecondition) {
    return absl::NotFoundError(absl::StrCat("case ", a.case_id, " not found"));
  }
  ONESTOP_RETURN_IF_ERROR(status);
  return db_.LastInsertRowid();
}

absl::StatusOr<int64_t> SqliteWriteTxn::InsertContact(const domain::Contact& c) {
  ONESTOP_ASSIGN_OR_RETURN(
      Stmt stmt,
      db_.Prepare("INSERT INTO contacts (channel, direction, at, staff_id, citizen_id, case_id, "
                  "service_code, reason, outcome, duration_us) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  stmt.Bind(domain::ChannelName(c.channel))
      .Bind(domain::DirectionName(c.direction))
      .Bind(c.at)
      .Bind(c.staff_id)
      .Bind(c.citizen_id)
      .Bind(c.case_id)
      .Bind(c.service_code)
      .Bind(c.reason)
      .Bind(domain::ContactOutcomeName(c.outcome))
      .Bind(static_cast<int64_t>(absl::ToInt64Microseconds(c.duration)));
  absl::Status status = stmt.Run();
  if (status.code() == absl::StatusCode::kFailedPrecondition) {
    return absl::NotFoundError("the contact's citizen or case does not exist");
  }
  ONESTOP_RETURN_IF_ERROR(status);
  return db_.LastInsertRowid();
}

namespace {

absl::StatusOr<std::vector<int64_t>> SelectIds(Db& db, const char* sql, int64_t arg) {
  ONESTOP_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql));
  stmt.Bind(arg);
  std::vector<int64_t> ids;
  while (true) {
    ONESTOP_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    ids.push_back(stmt.Int(0));
  }
  return ids;
}

}  // namespace

absl::StatusOr<std::vector<int64_t>> SqliteWriteTxn::MoveAllCases(int64_t from, int64_t into) {
  ONESTOP_ASSIGN_OR_RETURN(
      std::vector<int64_t> ids,
      SelectIds(db_, "SELECT id FROM cases WHERE citizen_id = ? ORDER BY id", from));
  ONESTOP_RETURN_IF_ERROR(MoveCases(ids, into));
  return ids;
}

absl::StatusOr<std::vector<int64_t>> SqliteWriteTxn::MoveAllContacts(int64_t from, int64_t into) {
  ONESTOP_ASSIGN_OR_RETURN(
      std::vector<int64_t> ids,
      SelectIds(db_, "SELECT id FROM contacts WHERE citizen_id = ? ORDER BY id", from));
  ONESTOP_RETURN_IF_ERROR(MoveContacts(ids, into));
  return ids;
}

absl::Status SqliteWriteTxn::MoveCases(const std::vector<int64_t>& ids, int64_t into) {
  for (int64_t id : ids) {
    ONESTOP_ASSIGN_OR_RETURN(
        Stmt stmt,
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

absl::Status SqliteWriteTxn::MoveContacts(const std::vector<int64_t>& ids, int64_t into) {
  for (int64_t id : ids) {
    ONESTOP_ASSIGN_OR_RETURN(Stmt stmt,
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

absl::StatusOr<int64_t> SqliteWriteTxn::InsertMerge(const domain::CitizenMerge& m) {
  ONESTOP_ASSIGN_OR_RETURN(
      Stmt stmt,
      db_.Prepare("INSERT INTO citizen_merges (from_citizen, into_citizen, moved_cases_json, "
                  "moved_contacts_json, merged_by, merged_at, reversed_at, reversed_by) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  absl::Status status = stmt.Bind(m.from_citizen)
                            .Bind(m.into_citizen)
                            .Bind(EncodeIds(m.moved_cases))
                            .Bind(EncodeIds(m.moved_contacts))
                            .Bind(m.merged_by)
                            .Bind(m.merged_at)
                            .Bind(m.reversed_at)
                            .Bind(m.reversed_by)
                            .Run();
  if (status.code() == absl::StatusCode::kFailedPrecondition) {
    return absl::NotFoundError("a merged citizen does not exist");
  }
  ONESTOP_RETURN_IF_ERROR(status);
  return db_.LastInsertRowid();
}

absl::Status SqliteWriteTxn::UpdateMerge(const domain::CitizenMerge& m) {
  {
    ONESTOP_ASSIGN_OR_RETURN(
        Stmt stmt, db_.Prepare("UPDATE citizen_merges SET moved_cases_json = ?, "
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

absl::StatusOr<int64_t> SqliteWriteTxn::InsertStaff(const domain::StaffUser& staff) {
  ONESTOP_ASSIGN_OR_RETURN(Stmt stmt, db_.Prepare(InsertStaffSql()));
  stmt.BindNull();
  BindStaffFields(stmt, staff);
  ONESTOP_RETURN_IF_ERROR(Rephrase(stmt.Run(), absl::StatusCode::kAlreadyExists,
                                   absl::StrCat("staff email ", staff.email, " is already used")));
  return db_.LastInsertRowid();
}

absl::Status SqliteWriteTxn::UpdateStaff(const domain::StaffUser& staff, int64_t expected_version) {
  {
    ONESTOP_ASSIGN_OR_RETURN(Stmt stmt, db_.Prepare(UpdateStaffSql()));
    BindStaffFields(stmt, staff);
    ONESTOP_RETURN_IF_ERROR(
        Rephrase(stmt.Bind(staff.id).Bind(expected_version).Run(), absl::StatusCode::kAlreadyExists,
                 absl::StrCat("staff email ", staff.email, " is already used")));
  }
  if (db_.Changes() == 0) return VersionMismatch("staff", "staff user", staff.id, expected_version);
  return absl::OkStatus();
}

absl::Status SqliteWriteTxn::InsertSession(const domain::Session& s) {
  ONESTOP_ASSIGN_OR_RETURN(
      Stmt stmt, db_.Prepare("INSERT INTO sessions (token_hash, staff_id, created_at, expires_at) "
                             "VALUES (?, ?, ?, ?)"));
  absl::Status status = stmt.Bind(s.token_hash).Bind(s.staff_id).Bind(s.created_at).Bind(s.expires_at).Run();
  if (status.code() == absl::StatusCode::kFailedPrecondition) {
    return absl::NotFoundError(absl::StrCat("staff user ", s.staff_id, " not found"));
  }
  return Rephrase(status, absl::StatusCode::kAlreadyExists, "session already exists");
}

absl::Status SqliteWriteTxn::DeleteSession(const std::string& token_hash) {
  ONESTOP_ASSIGN_OR_RETURN(Stmt stmt, db_.Prepare("DELETE FROM sessions WHERE token_hash = ?"));
  return stmt.Bind(token_hash).Run();
}

absl::Status SqliteWriteTxn::PutIdempotency(const domain::IdempotencyRecord& r) {
  ONESTOP_ASSIGN_OR_RETURN(
      Stmt stmt, db_.Prepare("INSERT INTO idempotency_keys (key, request_hash, status, body, "
                             "location, created_at) VALUES (?, ?, ?, ?, ?, ?)"));
  return Rephrase(
      stmt.Bind(r.key).Bind(r.request_hash).Bind(r.status).Bind(r.body).Bind(r.location).Bind(r.created_at).Run(),
      absl::StatusCode::kAlreadyExists, absl::StrCat("idempotency key ", r.key, " already used"));
}

absl::StatusOr<int64_t> SqliteWriteTxn::InsertApiKey(const domain::ApiKey& key) {
  ONESTOP_ASSIGN_OR_RETURN(
      Stmt stmt, db_.Prepare("INSERT INTO api_keys (name, key_hash, key_prefix, created_by, "
                             "created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)"));
  ONESTOP_RETURN_IF_ERROR(Rephrase(stmt.Bind(key.name)
                                       .Bind(key.key_hash)
                                       .Bind(key.key_prefix)
                                       .Bind(key.created_by)
                                       .Bind(key.created_at)
                                       .Bind(key.revoked_at)
                                       .Run(),
                                   absl::StatusCode::kAlreadyExists, "API key already exists"));
  return db_.LastInsertRowid();
}

absl::Status SqliteWriteTxn::RevokeApiKey(int64_t id, absl::Time at) {
  ONESTOP_ASSIGN_OR_RETURN(
      Stmt stmt, db_.Prepare("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?"));
  ONESTOP_RETURN_IF_ERROR(stmt.Bind(at).Bind(id).Run());
  if (db_.Changes() == 0) return absl::NotFoundError(absl::StrCat("API key ", id, " not found"));
  return absl::OkStatus();
}

}  // namespace onestop::store::sqlite
