#include "api/contact_json.h"

#include <utility>

#include <boost/json.hpp>

#include "api/case_json.h"
#include "codec/catalogue.h"
#include "codec/json_reader.h"
#include "absl/strings/str_cat.h"
#include "common/time_format.h"

namespace onestop::api {
namespace {

using codec::ErrorList;
using codec::ObjectReader;
using codec::Presence;

constexpr std::string_view kDirectionNames = "inbound, outbound";
constexpr std::string_view kOutcomeNames =
    "resolved_first_contact, case_raised, case_updated, information_given, transferred, "
    "abandoned, other";
constexpr std::string_view kRoleNames = "agent, officer, supervisor, admin";
constexpr int kMaxContactSeconds = 24 * 60 * 60;

std::vector<domain::Skill> ReadSkills(ObjectReader& in, bool* present) {
  std::vector<domain::Skill> skills;
  *present = in.ForEachObject("skills", [&](ObjectReader& s, size_t) {
    domain::Skill skill;
    if (auto code = s.String("code", Presence::kRequired)) skill.code = *code;
    if (auto level = s.Int32("proficiency", Presence::kOptional, 1, 5)) skill.proficiency = *level;
    skills.push_back(std::move(skill));
  });
  return skills;
}

}  // namespace

boost::json::object ContactToJson(const domain::Contact& contact) {
  boost::json::object out;
  out["id"] = contact.id;
  out["channel"] = std::string(domain::ChannelName(contact.channel));
  out["direction"] = std::string(domain::DirectionName(contact.direction));
  out["at"] = FormatRfc3339(contact.at);
  out["staff_id"] = IdOrNull(contact.staff_id);
  out["citizen_id"] = IdOrNull(contact.citizen_id);
  out["case_id"] = IdOrNull(contact.case_id);
  out["service_code"] = contact.service_code;
  out["reason"] = contact.reason;
  out["outcome"] = std::string(domain::ContactOutcomeName(contact.outcome));
  out["duration_seconds"] = absl::ToInt64Seconds(contact.duration);
  out["interaction_id"] = IdOrNull(contact.interaction_id);
  out["disposition"] = contact.disposition.empty() ? boost::json::value(nullptr)
                                                   : boost::json::value(contact.disposition);
  return out;
}

std::string ContactRecordingUrl(int64_t contact_id) {
  return absl::StrCat("/api/v1/contacts/", contact_id, "/recording");
}

void AddContactCallDetails(boost::json::object& out, const services::ContactCallDetails& details) {
  if (details.recording) {
    const domain::CallRecording& r = *details.recording;
    out["recording"] = boost::json::object{{"duration_seconds", r.duration_ms / 1000},
                                           {"paused_seconds", r.paused_ms / 1000},
                                           {"pauses", r.pauses},
                                           {"url", ContactRecordingUrl(r.contact_id)}};
  }
  if (details.satisfaction) out["satisfaction"] = *details.satisfaction;
}

absl::StatusOr<domain::Contact> ContactFromJson(const boost::json::value& json) {
  ErrorList errors;
  ObjectReader in(json, "", errors);
  domain::Contact out;
  if (auto v = in.Enum("channel", domain::ParseChannel, codec::ChannelNames(), Presence::kRequired)) {
    out.channel = *v;
  }
  if (auto v = in.Enum("direction", domain::ParseDirection, kDirectionNames, Presence::kRequired)) {
    out.direction = *v;
  }
  if (auto v = in.Int("citizen_id")) {
    if (*v < 1) errors.Add("citizen_id", "invalid", "citizen_id_format");
    out.citizen_id = *v;
  }
  if (auto v = in.Int("case_id")) {
    if (*v < 1) errors.Add("case_id", "invalid", "case_id_format");
    out.case_id = *v;
  }
  if (auto v = in.String("service_code")) out.service_code = *v;
  if (auto v = in.String("reason")) out.reason = *v;
  if (auto v = in.Enum("outcome", domain::ParseContactOutcome, kOutcomeNames)) out.outcome = *v;
  if (auto v = in.Int32("duration_seconds", Presence::kOptional, 0, kMaxContactSeconds)) {
    out.duration = absl::Seconds(*v);
  }
  if (auto v = in.String("at")) {
    absl::StatusOr<absl::Time> at = ParseRfc3339(*v);
    if (at.ok()) {
      out.at = *at;
    } else {
      errors.Add("at", "invalid", "rfc3339_time");
    }
  }
  in.Finish();
  ONESTOP_RETURN_IF_ERROR(errors.ToStatus("The contact is not valid"));
  return out;
}

boost::json::object EventToJson(const domain::Event& event) {
  boost::json::object out;
  out["seq"] = event.seq;
  out["at"] = FormatRfc3339Millis(event.at);
  out["actor_id"] = event.actor_id;
  out["channel"] = event.channel
                       ? boost::json::value(std::string(domain::ChannelName(*event.channel)))
                       : boost::json::value(nullptr);
  out["entity"] = event.entity;
  out["entity_id"] = event.entity_id;
  out["entity_key"] = event.entity_key;
  out["type"] = event.type;
  out["case_id"] = IdOrNull(event.case_id);
  out["citizen_id"] = IdOrNull(event.citizen_id);
  boost::json::array changes;
  for (const domain::FieldChange& change : event.changes) {
    changes.push_back(boost::json::object{
        {"field", change.field}, {"before", change.before}, {"after", change.after}});
  }
  out["changes"] = std::move(changes);
  return out;
}

boost::json::object StaffToJson(const domain::StaffUser& staff) {
  boost::json::object out;
  out["id"] = staff.id;
  out["email"] = staff.email;
  out["display_name"] = staff.display_name;
  out["role"] = std::string(domain::RoleName(staff.role));
  out["department"] = staff.department;
  out["team"] = staff.team;
  boost::json::array skills;
  for (const domain::Skill& skill : staff.skills) {
    skills.push_back(boost::json::object{{"code", skill.code}, {"proficiency", skill.proficiency}});
  }
  out["skills"] = std::move(skills);
  out["active"] = staff.active;
  out["created_at"] = FormatRfc3339(staff.created_at);
  out["version"] = staff.version;
  return out;
}

absl::StatusOr<services::NewStaff> NewStaffFromJson(const boost::json::value& json) {
  ErrorList errors;
  ObjectReader in(json, "", errors);
  services::NewStaff out;
  if (auto v = in.String("email", Presence::kRequired)) out.email = *v;
  if (auto v = in.String("display_name", Presence::kRequired)) out.display_name = *v;
  if (auto v = in.Enum("role", domain::ParseRole, kRoleNames, Presence::kRequired)) out.role = *v;
  if (auto v = in.String("department")) out.department = *v;
  if (auto v = in.String("team")) out.team = *v;
  bool have_skills = false;
  std::vector<domain::Skill> skills = ReadSkills(in, &have_skills);
  if (have_skills) out.skills = std::move(skills);
  if (auto v = in.String("password", Presence::kRequired)) out.password = *v;
  in.Finish();
  ONESTOP_RETURN_IF_ERROR(errors.ToStatus("The staff record is not valid"));
  return out;
}

absl::StatusOr<services::StaffChanges> StaffChangesFromJson(const boost::json::value& json) {
  ErrorList errors;
  ObjectReader in(json, "", errors);
  services::StaffChanges out;
  if (auto v = in.String("display_name")) out.display_name = *v;
  if (auto v = in.Enum("role", domain::ParseRole, kRoleNames)) out.role = *v;
  if (auto v = in.String("department")) out.department = *v;
  if (auto v = in.String("team")) out.team = *v;
  bool have_skills = false;
  std::vector<domain::Skill> skills = ReadSkills(in, &have_skills);
  if (have_skills) out.skills = std::move(skills);
  if (auto v = in.Bool("active")) out.active = *v;
  if (auto v = in.String("password")) out.password = *v;
  in.Finish();
  ONESTOP_RETURN_IF_ERROR(errors.ToStatus("The changes are not valid"));
  return out;
}

}  // namespace onestop::api
