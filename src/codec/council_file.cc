#include "codec/council_file.h"

#include "codec/dispositions.h"
#include "codec/mailboxes.h"
#include "codec/telephony.h"

#include <boost/json.hpp>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "codec/catalogue.h"
#include "codec/json_reader.h"
#include "codec/routing_config.h"
#include "codec/theme.h"
#include "common/status.h"
#include "domain/postcode.h"
#include "i18n/field_errors.h"
#include "i18n/translator.h"

namespace onestop::codec {
namespace {

// How many problems the status message spells out; all are in the payload.
constexpr size_t kErrorsInMessage = 10;
constexpr int64_t kMaxUprn = 999'999'999'999;  // 12 digits

std::string RoleNames() {
  std::string out;
  for (domain::Role role : {domain::Role::kAgent, domain::Role::kOfficer, domain::Role::kSupervisor,
                            domain::Role::kAdmin}) {
    if (!out.empty()) out += ", ";
    out += domain::RoleName(role);
  }
  return out;
}

DemoStaff ReadStaff(ObjectReader& in) {
  DemoStaff staff;
  if (auto v = in.String("email", Presence::kRequired)) {
    std::string normalised = domain::NormaliseEmail(*v);
    if (normalised.empty()) {
      in.errors().Add(in.PathOf("email"), "invalid", "not_an_email", {{"value", *v}});
    }
    staff.email = normalised.empty() ? *v : normalised;
  }
  if (auto v = in.String("display_name", Presence::kRequired)) staff.display_name = *v;
  if (auto v = in.String("role", Presence::kRequired)) {
    staff.role = *v;
    if (!domain::ParseRole(*v)) {
      in.errors().Add(in.PathOf("role"), "invalid", "not_one_of",
                      {{"value", *v}, {"allowed", RoleNames()}});
    }
  }
  if (auto v = in.String("department")) staff.department = *v;
  if (auto v = in.String("team")) staff.team = *v;
  if (auto v = in.String("password", Presence::kRequired)) staff.password = *v;
  if (in.Has("password") && staff.password.empty()) {
    in.errors().Add(in.PathOf("password"), "required", "key_empty", {{"key", "password"}});
  }
  in.ForEachObject("skills", [&](ObjectReader& skill_in, size_t) {
    domain::Skill skill;
    if (auto v = skill_in.String("code", Presence::kRequired)) skill.code = *v;
    if (auto v = skill_in.Int32("proficiency", Presence::kOptional, 1, 5)) skill.proficiency = *v;
    staff.skills.push_back(std::move(skill));
  });
  // "sip": the phone extension (2-8 digits) and its SIP password; the
  // password's rules are services/sip_accounts.h's, checked when seeding.
  in.WithObject("sip", [&](ObjectReader& sip_in) {
    if (auto v = sip_in.String("extension", Presence::kRequired)) {
      staff.sip_extension = *v;
      const bool digits = !v->empty() && v->find_first_not_of("0123456789") == std::string::npos;
      if (!digits || v->size() < 2 || v->size() > 8) {
        sip_in.errors().Add(sip_in.PathOf("extension"), "invalid", "sip_extension_format",
                            {{"min", "2"}, {"max", "8"}});
      }
    }
    if (auto v = sip_in.String("password", Presence::kRequired)) staff.sip_password = *v;
    if (sip_in.Has("password") && staff.sip_password.empty()) {
      sip_in.errors().Add(sip_in.PathOf("password"), "required", "key_empty", {{"key", "password"}});
    }
  });
  return staff;
}

domain::Citizen ReadCitizen(ObjectReader& in) {
  domain::Citizen citizen;
  if (auto v = in.String("title")) citizen.title = *v;
  if (auto v = in.String("given_name")) citizen.given_name = *v;
  if (auto v = in.String("family_name")) citizen.family_name = *v;
  if (auto phones = in.StringArray("phones")) {
    for (size_t idx = 0; idx < phones->size(); ++idx) {
      const std::string& raw = (*phones)[idx];
      std::string normalised = domain::NormalisePhone(raw);
      if (normalised.empty()) {
        in.errors().Add(IndexPath(in.PathOf("phones"), idx), "invalid", "not_a_phone",
                        {{"value", raw}});
      }
      citizen.phones.push_back(normalised.empty() ? raw : normalised);
    }
  }
  if (auto emails = in.StringArray("emails")) {
    for (size_t idx = 0; idx < emails->size(); ++idx) {
      const std::string& raw = (*emails)[idx];
      std::string normalised = domain::NormaliseEmail(raw);
      if (normalised.empty()) {
        in.errors().Add(IndexPath(in.PathOf("emails"), idx), "invalid", "not_an_email",
                        {{"value", raw}});
      }
      citizen.emails.push_back(normalised.empty() ? raw : normalised);
    }
  }
  in.ForEachObject("addresses", [&](ObjectReader& address_in, size_t) {
    domain::Address address;
    if (auto v = address_in.String("line1", Presence::kRequired)) address.line1 = *v;
    if (auto v = address_in.String("line2")) address.line2 = *v;
    if (auto v = address_in.String("town")) address.town = *v;
    if (auto v = address_in.String("postcode")) {
      std::optional<std::string> normalised = domain::NormalisePostcode(*v);
      if (!normalised) {
        address_in.errors().Add(address_in.PathOf("postcode"), "invalid", "not_a_postcode",
                                {{"value", *v}});
      }
      address.postcode = normalised ? *normalised : *v;
    }
    if (auto v = address_in.Int("uprn")) {
      if (*v < 1 || *v > kMaxUprn) {
        address_in.errors().Add(address_in.PathOf("uprn"), "invalid", "uprn_whole_number");
      } else {
        address.uprn = *v;
      }
    }
    citizen.addresses.push_back(std::move(address));
  });
  if (auto v = in.Enum("preferred_channel", domain::ParseChannel, ChannelNames())) {
    citizen.preferred_channel = *v;
  }
  in.WithObject("consent", [&](ObjectReader& consent) {
    if (auto v = consent.Bool("contact_by_email")) citizen.consent.contact_by_email = *v;
    if (auto v = consent.Bool("contact_by_sms")) citizen.consent.contact_by_sms = *v;
    if (auto v = consent.Bool("contact_by_phone")) citizen.consent.contact_by_phone = *v;
    if (auto v = consent.Bool("research")) citizen.consent.research = *v;
  });
  return citizen;
}

// Adds `error` unless something is already reported at its field.
void AddUnlessReported(ErrorList& errors, FieldError error) {
  if (errors.HasErrorAt(error.field)) return;
  errors.Add(std::move(error));
}

absl::Status FileStatus(const ErrorList& errors) {
  std::string message = absl::StrCat("The council file has ", errors.size(),
                                     errors.size() == 1 ? " problem:" : " problems:");
  for (size_t idx = 0; idx < errors.size() && idx < kErrorsInMessage; ++idx) {
    const FieldError& e = errors.errors()[idx];
    absl::StrAppend(&message, "\n  ", e.field.empty() ? "(file)" : e.field, ": ",
                    i18n::FieldErrorText(e, i18n::Catalogs::Default().English()), " [", e.code,
                    "]");
  }
  if (errors.size() > kErrorsInMessage) {
    absl::StrAppend(&message, "\n  ... and ", errors.size() - kErrorsInMessage, " more");
  }
  return InvalidFields(message, errors.errors());
}

}  // namespace

absl::StatusOr<CouncilFile> ParseCouncilFile(std::string_view json_text,
                                             const FileReader& files) {
  ONESTOP_ASSIGN_OR_RETURN(boost::json::value json, ParseJson(json_text));

  ErrorList errors;
  CouncilFile file;
  // Input index of each kept entry, so cross-reference errors name the right
  // element even when an earlier one was dropped for its own errors.
  std::vector<size_t> team_index, service_index, staff_index;

  ObjectReader in(json, "", errors);
  if (auto v = in.String("name", Presence::kRequired)) file.name = *v;
  if (auto v = in.String("notes")) file.notes = *v;
  if (const boost::json::array* array = in.Array("departments", Presence::kRequired)) {
    for (size_t idx = 0; idx < array->size(); ++idx) {
      auto department = ReadDepartment((*array)[idx], IndexPath("departments", idx), errors);
      if (department) file.departments.push_back(std::move(*department));
    }
  }
  if (const boost::json::array* array = in.Array("teams")) {
    for (size_t idx = 0; idx < array->size(); ++idx) {
      auto team = ReadTeam((*array)[idx], IndexPath("teams", idx), errors);
      if (team) {
        file.teams.push_back(std::move(*team));
        team_index.push_back(idx);
      }
    }
  }
  if (const boost::json::array* array = in.Array("services")) {
    for (size_t idx = 0; idx < array->size(); ++idx) {
      auto service = ReadService((*array)[idx], IndexPath("services", idx), errors);
      if (service) {
        file.services.push_back(std::move(*service));
        service_index.push_back(idx);
      }
    }
  }
  in.ForEachObject("staff", [&](ObjectReader& staff_in, size_t idx) {
    file.staff.push_back(ReadStaff(staff_in));
    staff_index.push_back(idx);
  });
  in.ForEachObject("citizens", [&](ObjectReader& citizen_in, size_t) {
    size_t errors_before = errors.size();
    domain::Citizen citizen = ReadCitizen(citizen_in);
    absl::Status valid = domain::ValidateCitizen(citizen);
    if (!valid.ok()) {
      ErrorList domain_errors;
      domain_errors.AddStatus(citizen_in.path(), valid);
      for (const FieldError& e : domain_errors.errors()) AddUnlessReported(errors, e);
    }
    if (errors.size() == errors_before) file.citizens.push_back(std::move(citizen));
  });
  in.WithObject("routing", [&](ObjectReader& routing) {
    routing.ForEachObject("queues", [&](ObjectReader& q_in, size_t) {
      domain::RoutingQueue q;
      if (auto v = q_in.String("code", Presence::kRequired)) q.code = *v;
      if (!q.code.empty() && !domain::ValidRoutingCode(q.code)) {
        errors.Add(q_in.path() + ".code", "invalid", "queue_code_format");
      }
      ReadRoutingQueue(q_in, q);
      q_in.Finish();
      file.routing_queues.push_back(std::move(q));
    });
    routing.ForEachObject("profiles", [&](ObjectReader& p_in, size_t) {
      domain::RoutingProfile p;
      if (auto v = p_in.String("code", Presence::kRequired)) p.code = *v;
      if (!p.code.empty() && !domain::ValidRoutingCode(p.code)) {
        errors.Add(p_in.path() + ".code", "invalid", "profile_code_format");
      }
      ReadRoutingProfile(p_in, p);
      p_in.Finish();
      file.routing_profiles.push_back(std::move(p));
    });
    file.dispositions = ReadDispositions(routing, "dispositions");
    routing.Finish();
  });
  if (auto v = in.StringArray("popular_services")) file.popular_services = std::move(*v);
  {
    // After "routing": an IVR option's queue must be one of the file's.
    std::set<std::string> queues;
    for (const domain::RoutingQueue& q : file.routing_queues) queues.insert(q.code);
    file.telephony = ReadTelephony(in, "telephony", [&](std::string_view code) {
      return queues.contains(std::string(code));
    });
    std::set<std::string> email_queues;
    for (const domain::RoutingQueue& q : file.routing_queues) {
      if (q.media == "email") email_queues.insert(q.code);
    }
    file.mailboxes = ReadMailboxes(
        in, "mailboxes", [&](std::string_view code) { return email_queues.contains(std::string(code)); },
        [&](std::string_view code) -> std::string {
          for (const domain::Service& s : file.services) {
            if (s.code != code) continue;
            if (!s.OfferedOn(domain::Channel::kEmail)) return "mailbox_service_not_on_email";
            if (!domain::MailTextField(s)) return "mailbox_service_needs_answers";
            return "";
          }
          return "mailbox_service_missing";
        });
  }
  if (const boost::json::value* theme_json = in.Raw("theme")) {
    size_t errors_before = errors.size();
    file.theme = ReadCouncilTheme(*theme_json, "theme", errors, files);
    if (file.theme) {
      if (file.theme->name.empty()) file.theme->name = file.name;
      // Its errors are already named "theme.…".
      errors.AddStatus("", domain::ValidateTheme(*file.theme));
      if (errors.size() != errors_before) file.theme.reset();
    }
  }
  in.Finish();

  // Uniqueness and cross-references.
  std::set<std::string> departments;
  for (size_t idx = 0; idx < file.departments.size(); ++idx) {
    if (!departments.insert(file.departments[idx].code).second) {
      errors.Add(absl::StrCat("departments[", idx, "].code"), "duplicate",
                 "department_defined_twice", {{"code", file.departments[idx].code}});
    }
  }
  std::map<std::string, std::string> team_department;  // team code -> department code
  for (size_t idx = 0; idx < file.teams.size(); ++idx) {
    const domain::Team& team = file.teams[idx];
    std::string where = IndexPath("teams", team_index[idx]);
    if (!team_department.emplace(team.code, team.department).second) {
      errors.Add(where + ".code", "duplicate", "team_defined_twice", {{"code", team.code}});
    }
    if (!departments.contains(team.department)) {
      errors.Add(where + ".department", "not_found", "team_department_missing",
                 {{"team", team.code}, {"department", team.department}});
    }
  }
  std::set<std::string> services;
  for (size_t idx = 0; idx < file.services.size(); ++idx) {
    const domain::Service& service = file.services[idx];
    std::string where = IndexPath("services", service_index[idx]);
    if (!services.insert(service.code).second) {
      errors.Add(where + ".code", "duplicate", "service_defined_twice", {{"code", service.code}});
    }
    if (!departments.contains(service.department)) {
      errors.Add(where + ".department", "not_found", "service_department_missing",
                 {{"service", service.code}, {"department", service.department}});
    }
    if (!service.default_team.empty() && !team_department.contains(service.default_team)) {
      errors.Add(where + ".default_team", "not_found", "service_team_missing",
                 {{"service", service.code}, {"team", service.default_team}});
    }
  }
  if (file.popular_services.size() > 12) {
    errors.Add("popular_services", "too_many", "popular_services_max", {{"max", "12"}});
  }
  for (size_t idx = 0; idx < file.popular_services.size(); ++idx) {
    if (!services.contains(file.popular_services[idx])) {
      errors.Add(absl::StrCat("popular_services[", idx, "]"), "not_found", "popular_service_missing",
                 {{"code", file.popular_services[idx]}});
    }
  }
  std::set<std::string> emails;
  std::set<std::string> sip_extensions;
  for (size_t idx = 0; idx < file.staff.size(); ++idx) {
    const DemoStaff& staff = file.staff[idx];
    std::string where = IndexPath("staff", staff_index[idx]);
    if (!staff.email.empty() && !emails.insert(staff.email).second) {
      AddUnlessReported(errors, {where + ".email", "duplicate", "staff_email_twice",
                                 {{"email", staff.email}}});
    }
    if (!staff.sip_extension.empty() && !sip_extensions.insert(staff.sip_extension).second) {
      AddUnlessReported(errors, {where + ".sip.extension", "duplicate", "sip_extension_twice",
                                 {{"extension", staff.sip_extension}}});
    }
    if (domain::ParseRole(staff.role) == domain::Role::kOfficer && staff.department.empty()) {
      AddUnlessReported(errors,
                        {where + ".department", "required", "officer_needs_department", {}});
    }
    if (!staff.department.empty() && !departments.contains(staff.department)) {
      AddUnlessReported(errors, {where + ".department", "not_found", "department_not_in_file",
                                 {{"code", staff.department}}});
    }
    if (!staff.team.empty()) {
      auto team = team_department.find(staff.team);
      if (team == team_department.end()) {
        AddUnlessReported(errors, {where + ".team", "not_found", "team_not_in_file",
                                   {{"code", staff.team}}});
      } else if (!staff.department.empty() && team->second != staff.department) {
        AddUnlessReported(errors, {where + ".team", "invalid", "team_other_department",
                                   {{"team", staff.team},
                                    {"team_department", team->second},
                                    {"department", staff.department}}});
      }
    }
  }

  std::set<std::string> queue_codes;
  for (size_t idx = 0; idx < file.routing_queues.size(); ++idx) {
    if (!queue_codes.insert(file.routing_queues[idx].code).second) {
      errors.Add(absl::StrCat("routing.queues[", idx, "].code"), "duplicate", "queue_defined_twice",
                 {{"code", file.routing_queues[idx].code}});
    }
  }
  std::set<std::string> profile_codes;
  for (size_t idx = 0; idx < file.routing_profiles.size(); ++idx) {
    const domain::RoutingProfile& profile = file.routing_profiles[idx];
    const std::string where = absl::StrCat("routing.profiles[", idx, "]");
    if (!profile_codes.insert(profile.code).second) {
      errors.Add(where + ".code", "duplicate", "profile_defined_twice", {{"code", profile.code}});
    }
    if (!profile.team.empty() && !team_department.contains(profile.team)) {
      errors.Add(where + ".team", "not_found", "team_not_in_file", {{"code", profile.team}});
    }
    for (size_t line = 0; line < profile.queues.size(); ++line) {
      if (!queue_codes.contains(profile.queues[line].queue)) {
        errors.Add(absl::StrCat(where, ".queues[", line, "].queue"), "not_found",
                   "queue_not_in_file", {{"code", profile.queues[line].queue}});
      }
    }
  }
  for (size_t idx = 0; idx < file.dispositions.size(); ++idx) {
    const domain::Disposition& d = file.dispositions[idx];
    const std::string where = absl::StrCat("routing.dispositions[", idx, "]");
    for (size_t q = 0; q < d.queues.size(); ++q) {
      if (!queue_codes.contains(d.queues[q])) {
        errors.Add(absl::StrCat(where, ".queues[", q, "]"), "not_found", "queue_not_in_file",
                   {{"code", d.queues[q]}});
      }
    }
    for (size_t c = 0; c < d.services.size(); ++c) {
      if (!services.contains(d.services[c])) {
        errors.Add(absl::StrCat(where, ".services[", c, "]"), "not_found", "service_not_in_file",
                   {{"code", d.services[c]}});
      }
    }
  }

  if (!errors.empty()) return FileStatus(errors);
  return file;
}

}  // namespace onestop::codec
