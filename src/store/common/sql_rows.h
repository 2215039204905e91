// Row mapping shared by the SQL stores (SQLite and PostgreSQL): the column
// lists of each table, readers that turn the current row of a statement into
// a domain value, binders for the writable columns, and the point lookups
// that both the read side and the write transaction need (a case, a citizen
// with its child rows, an idempotency record). Keeping them in one place
// keeps SELECT and INSERT column orders — and the two backends — in step.
//
// Templates over the backend's connection type `Db` and statement type (the
// `Row`/`S` parameters): both backends offer the same small API — Prepare
// with `?` placeholders, chained Bind, Step/Run, and typed column readers
// (see store/sqlite/db.h and store/postgres/pg.h).
//
// Stateless; callers pass the connection they own at the time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "domain/store.h"
#include "store/common/json_columns.h"

namespace onestop::store {

inline constexpr char kCaseColumns[] =
    "id, reference, service_code, department, citizen_id, channel, status, priority, team, "
    "assignee_id, summary, values_json, location_uprn, location_lat, location_lng, "
    "location_description, location_postcode, media_urls_json, created_at, updated_at, due_at, "
    "sla_paused_at, sla_remaining_us, resolved_at, closed_at, created_by, version, duplicate_of";
inline constexpr char kCitizenColumns[] =
    "id, title, given_name, family_name, preferred_channel, consent_email, consent_sms, "
    "consent_phone, consent_research, merged_into, created_at, updated_at, version, "
    "flag_vulnerable, flag_vulnerability_note, flag_interpreter_needed, "
    "flag_interpreter_language, flag_email_undeliverable";
inline constexpr char kContactColumns[] =
    "id, channel, direction, at, staff_id, citizen_id, case_id, service_code, reason, outcome, "
    "duration_us, interaction_id, disposition";
inline constexpr char kEventColumns[] =
    "seq, at, actor_id, channel, entity, entity_id, entity_key, type, case_id, citizen_id, "
    "changes_json";
inline constexpr char kStaffColumns[] =
    "id, email, display_name, role, department, team, skills_json, active, password_hash, "
    "created_at, version, routing_profile";
inline constexpr char kServiceColumns[] =
    "code, name, description, department, group_name, keywords_json, interaction_type, "
    "channels_json, sla_amount, sla_unit, default_team, allow_anonymous, active, fields_json, "
    "version, translations_json, duplicate_nearby, duplicate_radius_m, duplicate_days";
inline constexpr char kMergeColumns[] =
    "id, from_citizen, into_citizen, moved_cases_json, moved_contacts_json, merged_by, merged_at, "
    "reversed_at, reversed_by";
inline constexpr char kNoteColumns[] = "id, case_id, visibility, body, author_id, created_at";
inline constexpr char kAttachmentColumns[] =
    "id, case_id, filename, content_type, size_bytes, url, sha256, uploaded_by, created_at";

namespace rows_internal {

// Parses an enum column written by this store; DataLoss if it is not one.
template <typename T>
absl::StatusOr<T> Enum(std::optional<T> parsed, const char* what, const std::string& text) {
  if (!parsed) {
    return absl::DataLossError(absl::StrCat("stored ", what, " \"", text, "\" is not known"));
  }
  return *parsed;
}

#define ONESTOP_ENUM_OR_RETURN(lhs, parse, what, text) \
  ONESTOP_ASSIGN_OR_RETURN(lhs, (rows_internal::Enum(parse(text), what, text)))

}  // namespace rows_internal

template <typename Row>
absl::StatusOr<domain::Case> ReadCase(const Row& row) {
  domain::Case c;
  c.id = row.Int(0);
  c.reference = row.Text(1);
  c.service_code = row.Text(2);
  c.department = row.Text(3);
  c.citizen_id = row.OptInt(4);
  const std::string channel = row.Text(5), status = row.Text(6), priority = row.Text(7);
  ONESTOP_ENUM_OR_RETURN(c.channel, domain::ParseChannel, "channel", channel);
  ONESTOP_ENUM_OR_RETURN(c.status, domain::ParseCaseStatus, "case status", status);
  ONESTOP_ENUM_OR_RETURN(c.priority, domain::ParsePriority, "priority", priority);
  c.team = row.Text(8);
  c.assignee_id = row.OptInt(9);
  c.summary = row.Text(10);
  ONESTOP_ASSIGN_OR_RETURN(c.values, DecodeFormValues(row.Text(11)));
  c.location.uprn = row.OptInt(12);
  c.location.lat = row.OptDouble(13);
  c.location.lng = row.OptDouble(14);
  c.location.description = row.Text(15);
  c.location.postcode = row.Text(16);
  ONESTOP_ASSIGN_OR_RETURN(c.media_urls, DecodeStrings(row.Text(17)));
  c.created_at = row.Time(18);
  c.updated_at = row.Time(19);
  c.due_at = row.OptTime(20);
  c.sla_paused_at = row.OptTime(21);
  c.sla_remaining = absl::Microseconds(row.Int(22));
  c.resolved_at = row.OptTime(23);
  c.closed_at = row.OptTime(24);
  c.created_by = row.Int(25);
  c.version = row.Int(26);
  c.duplicate_of = row.OptInt(27);
  return c;
}

template <typename S>
void BindCaseFields(S& stmt, const domain::Case& c) {
  stmt.Bind(c.reference)
      .Bind(c.service_code)
      .Bind(c.department)
      .Bind(c.citizen_id)
      .Bind(domain::ChannelName(c.channel))
      .Bind(domain::CaseStatusName(c.status))
      .Bind(domain::PriorityName(c.priority))
      .Bind(c.team)
      .Bind(c.assignee_id)
      .Bind(c.summary)
      .Bind(EncodeFormValues(c.values))
      .Bind(c.location.uprn)
      .Bind(c.location.lat)
      .Bind(c.location.lng)
      .Bind(c.location.description)
      .Bind(c.location.postcode)
      .Bind(EncodeStrings(c.media_urls))
      .Bind(c.created_at)
      .Bind(c.updated_at)
      .Bind(c.due_at)
      .Bind(c.sla_paused_at)
      .Bind(static_cast<int64_t>(absl::ToInt64Microseconds(c.sla_remaining)))
      .Bind(c.resolved_at)
      .Bind(c.closed_at)
      .Bind(c.created_by)
      .Bind(c.version)
      .Bind(c.duplicate_of);
}

template <typename Row>
domain::Citizen ReadCitizenRow(const Row& row) {
  domain::Citizen c;
  c.id = row.Int(0);
  c.title = row.Text(1);
  c.given_name = row.Text(2);
  c.family_name = row.Text(3);
  if (!row.IsNull(4)) c.preferred_channel = domain::ParseChannel(row.Text(4));
  c.consent.contact_by_email = row.Int(5) != 0;
  c.consent.contact_by_sms = row.Int(6) != 0;
  c.consent.contact_by_phone = row.Int(7) != 0;
  c.consent.research = row.Int(8) != 0;
  c.merged_into = row.OptInt(9);
  c.created_at = row.Time(10);
  c.updated_at = row.Time(11);
  c.version = row.Int(12);
  c.flags.vulnerable = row.Int(13) != 0;
  c.flags.vulnerability_note = row.Text(14);
  c.flags.interpreter_needed = row.Int(15) != 0;
  c.flags.interpreter_language = row.Text(16);
  c.flags.email_undeliverable = row.Int(17) != 0;
  return c;
}

template <typename S>
void BindCitizenFields(S& stmt, const domain::Citizen& c) {
  stmt.Bind(c.title).Bind(c.given_name).Bind(c.family_name);
  if (c.preferred_channel) {
    stmt.Bind(domain::ChannelName(*c.preferred_channel));
  } else {
    stmt.BindNull();
  }
  stmt.Bind(c.consent.contact_by_email)
      .Bind(c.consent.contact_by_sms)
      .Bind(c.consent.contact_by_phone)
      .Bind(c.consent.research)
      .Bind(c.merged_into)
      .Bind(c.created_at)
      .Bind(c.updated_at)
      .Bind(c.version)
      .Bind(c.flags.vulnerable)
      .Bind(c.flags.vulnerability_note)
      .Bind(c.flags.interpreter_needed)
      .Bind(c.flags.interpreter_language)
      .Bind(c.flags.email_undeliverable);
}

template <typename Row>
absl::StatusOr<domain::Contact> ReadContact(const Row& row) {
  domain::Contact c;
  c.id = row.Int(0);
  const std::string channel = row.Text(1), direction = row.Text(2), outcome = row.Text(9);
  ONESTOP_ENUM_OR_RETURN(c.channel, domain::ParseChannel, "channel", channel);
  ONESTOP_ENUM_OR_RETURN(c.direction, domain::ParseDirection, "direction", direction);
  c.at = row.Time(3);
  c.staff_id = row.OptInt(4);
  c.citizen_id = row.OptInt(5);
  c.case_id = row.OptInt(6);
  c.service_code = row.Text(7);
  c.reason = row.Text(8);
  ONESTOP_ENUM_OR_RETURN(c.outcome, domain::ParseContactOutcome, "contact outcome", outcome);
  c.duration = absl::Microseconds(row.Int(10));
  c.interaction_id = row.OptInt(11);
  c.disposition = row.Text(12);
  return c;
}

template <typename Row>
absl::StatusOr<domain::Event> ReadEvent(const Row& row) {
  domain::Event e;
  e.seq = row.Int(0);
  e.at = row.Time(1);
  e.actor_id = row.Int(2);
  if (!row.IsNull(3)) {
    const std::string channel = row.Text(3);
    ONESTOP_ENUM_OR_RETURN(e.channel, domain::ParseChannel, "channel", channel);
  }
  e.entity = row.Text(4);
  e.entity_id = row.Int(5);
  e.entity_key = row.Text(6);
  e.type = row.Text(7);
  e.case_id = row.OptInt(8);
  e.citizen_id = row.OptInt(9);
  ONESTOP_ASSIGN_OR_RETURN(e.changes, DecodeChanges(row.Text(10)));
  return e;
}

template <typename Row>
absl::StatusOr<domain::StaffUser> ReadStaff(const Row& row) {
  domain::StaffUser s;
  s.id = row.Int(0);
  s.email = row.Text(1);
  s.display_name = row.Text(2);
  const std::string role = row.Text(3);
  ONESTOP_ENUM_OR_RETURN(s.role, domain::ParseRole, "role", role);
  s.department = row.Text(4);
  s.team = row.Text(5);
  ONESTOP_ASSIGN_OR_RETURN(s.skills, DecodeSkills(row.Text(6)));
  s.active = row.Int(7) != 0;
  s.password_hash = row.Text(8);
  s.created_at = row.Time(9);
  s.version = row.Int(10);
  s.routing_profile = row.Text(11);
  return s;
}

template <typename S>
void BindStaffFields(S& stmt, const domain::StaffUser& s) {
  stmt.Bind(s.email)
      .Bind(s.display_name)
      .Bind(domain::RoleName(s.role))
      .Bind(s.department)
      .Bind(s.team)
      .Bind(EncodeSkills(s.skills))
      .Bind(s.active)
      .Bind(s.password_hash)
      .Bind(s.created_at)
      .Bind(s.version)
      .Bind(s.routing_profile);
}

template <typename Row>
absl::StatusOr<domain::Service> ReadService(const Row& row) {
  domain::Service s;
  s.code = row.Text(0);
  s.name = row.Text(1);
  s.description = row.Text(2);
  s.department = row.Text(3);
  s.group = row.Text(4);
  ONESTOP_ASSIGN_OR_RETURN(s.keywords, DecodeStrings(row.Text(5)));
  const std::string interaction = row.Text(6), unit = row.Text(9);
  ONESTOP_ENUM_OR_RETURN(s.interaction_type, domain::ParseInteractionType, "interaction type",
                         interaction);
  ONESTOP_ASSIGN_OR_RETURN(s.channels, DecodeChannels(row.Text(7)));
  s.sla.amount = static_cast<int>(row.Int(8));
  ONESTOP_ENUM_OR_RETURN(s.sla.unit, domain::ParseSlaUnit, "SLA unit", unit);
  s.default_team = row.Text(10);
  s.allow_anonymous = row.Int(11) != 0;
  s.active = row.Int(12) != 0;
  ONESTOP_ASSIGN_OR_RETURN(s.fields, DecodeFormFields(row.Text(13)));
  s.version = row.Int(14);
  ONESTOP_ASSIGN_OR_RETURN(s.translations, DecodeServiceTexts(row.Text(15)));
  s.duplicates.nearby = row.Int(16) != 0;
  s.duplicates.radius_m = static_cast<int>(row.Int(17));
  s.duplicates.days = static_cast<int>(row.Int(18));
  return s;
}

template <typename Row>
absl::StatusOr<domain::CitizenMerge> ReadMerge(const Row& row) {
  domain::CitizenMerge m;
  m.id = row.Int(0);
  m.from_citizen = row.Int(1);
  m.into_citizen = row.Int(2);
  ONESTOP_ASSIGN_OR_RETURN(m.moved_cases, DecodeIds(row.Text(3)));
  ONESTOP_ASSIGN_OR_RETURN(m.moved_contacts, DecodeIds(row.Text(4)));
  m.merged_by = row.Int(5);
  m.merged_at = row.Time(6);
  m.reversed_at = row.OptTime(7);
  m.reversed_by = row.OptInt(8);
  return m;
}

template <typename Row>
absl::StatusOr<domain::Note> ReadNote(const Row& row) {
  domain::Note n;
  n.id = row.Int(0);
  n.case_id = row.Int(1);
  const std::string visibility = row.Text(2);
  ONESTOP_ENUM_OR_RETURN(n.visibility, domain::ParseNoteVisibility, "note visibility", visibility);
  n.body = row.Text(3);
  n.author_id = row.Int(4);
  n.created_at = row.Time(5);
  return n;
}

template <typename Row>
domain::Attachment ReadAttachment(const Row& row) {
  domain::Attachment a;
  a.id = row.Int(0);
  a.case_id = row.Int(1);
  a.filename = row.Text(2);
  a.content_type = row.Text(3);
  a.size_bytes = row.Int(4);
  a.url = row.Text(5);
  a.sha256 = row.Text(6);
  a.uploaded_by = row.Int(7);
  a.created_at = row.Time(8);
  return a;
}

template <typename Db>
absl::StatusOr<domain::Case> LoadCase(Db& db, int64_t id) {
  ONESTOP_ASSIGN_OR_RETURN(auto stmt,
                           db.Prepare(absl::StrCat("SELECT ", kCaseColumns, " FROM cases WHERE id = ?")));
  stmt.Bind(id);
  ONESTOP_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return absl::NotFoundError(absl::StrCat("case ", id, " not found"));
  return ReadCase(stmt);
}

template <typename Db>
absl::Status LoadCitizenChildren(Db& db, domain::Citizen& citizen) {
  citizen.phones.clear();
  citizen.emails.clear();
  citizen.addresses.clear();
  {
    ONESTOP_ASSIGN_OR_RETURN(
        auto stmt,
        db.Prepare("SELECT phone FROM citizen_phones WHERE citizen_id = ? ORDER BY position"));
    stmt.Bind(citizen.id);
    while (true) {
      ONESTOP_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      citizen.phones.push_back(stmt.Text(0));
    }
  }
  {
    ONESTOP_ASSIGN_OR_RETURN(
        auto stmt,
        db.Prepare("SELECT email FROM citizen_emails WHERE citizen_id = ? ORDER BY position"));
    stmt.Bind(citizen.id);
    while (true) {
      ONESTOP_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      citizen.emails.push_back(stmt.Text(0));
    }
  }
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("SELECT uprn, line1, line2, town, postcode FROM citizen_addresses "
                            "WHERE citizen_id = ? ORDER BY position"));
  stmt.Bind(citizen.id);
  while (true) {
    ONESTOP_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    domain::Address a;
    a.uprn = stmt.OptInt(0);
    a.line1 = stmt.Text(1);
    a.line2 = stmt.Text(2);
    a.town = stmt.Text(3);
    a.postcode = stmt.Text(4);
    citizen.addresses.push_back(std::move(a));
  }
  return absl::OkStatus();
}

template <typename Db>
absl::StatusOr<domain::Citizen> LoadCitizen(Db& db, int64_t id) {
  domain::Citizen citizen;
  {
    ONESTOP_ASSIGN_OR_RETURN(
        auto stmt, db.Prepare(absl::StrCat("SELECT ", kCitizenColumns, " FROM citizens WHERE id = ?")));
    stmt.Bind(id);
    ONESTOP_ASSIGN_OR_RETURN(bool found, stmt.Step());
    if (!found) return absl::NotFoundError(absl::StrCat("citizen ", id, " not found"));
    citizen = ReadCitizenRow(stmt);
  }
  ONESTOP_RETURN_IF_ERROR(LoadCitizenChildren(db, citizen));
  return citizen;
}

template <typename Db>
absl::StatusOr<std::optional<domain::IdempotencyRecord>> LoadIdempotency(Db& db,
                                                                         const std::string& key) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("SELECT key, request_hash, status, body, location, created_at "
                            "FROM idempotency_keys WHERE key = ?"));
  stmt.Bind(key);
  ONESTOP_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return std::optional<domain::IdempotencyRecord>();
  domain::IdempotencyRecord r;
  r.key = stmt.Text(0);
  r.request_hash = stmt.Text(1);
  r.status = static_cast<int>(stmt.Int(2));
  r.body = stmt.Text(3);
  r.location = stmt.Text(4);
  r.created_at = stmt.Time(5);
  return std::optional<domain::IdempotencyRecord>(std::move(r));
}

template <typename Db>
absl::StatusOr<std::optional<int64_t>> LoadVersion(Db& db, const char* table, int64_t id) {
  ONESTOP_ASSIGN_OR_RETURN(auto stmt,
                           db.Prepare(absl::StrCat("SELECT version FROM ", table, " WHERE id = ?")));
  stmt.Bind(id);
  ONESTOP_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return std::optional<int64_t>();
  return std::optional<int64_t>(stmt.Int(0));
}

#undef ONESTOP_ENUM_OR_RETURN

}  // namespace onestop::store
