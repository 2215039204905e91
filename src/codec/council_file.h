// The council file: one JSON document describing a council's catalogue
// (departments, teams, services) and, for demos and tests, staff logins and
// residents. data/demo/council.json is the shipped example (the fictional
// Borough of Fairhaven); the format is documented in docs/catalogue-format.md.
//
// ParseCouncilFile only reads and checks; it writes nothing. Loading the
// result into a store (hashing passwords, assigning ids) is the caller's job.
// Stateless; safe to call from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "codec/theme.h"
#include "domain/citizen.h"
#include "domain/disposition.h"
#include "domain/routing_config.h"
#include "domain/service.h"
#include "domain/staff.h"
#include "domain/mail.h"
#include "domain/telephony.h"

namespace onestop::codec {

// A staff login as written in the file. The password is plain text because
// the file is demo data; the loader hashes it and never stores it.
struct DemoStaff {
  std::string email;  // lower-cased
  std::string display_name;
  std::string role;        // a domain::RoleName: "agent", "officer", "supervisor", "admin"
  std::string department;  // department code; required for officers
  std::string team;        // team code, optional
  std::string password;
  std::vector<domain::Skill> skills;
  // "sip": {"extension", "password"}: the phone extension seeded for this
  // person (services/sip_accounts.h rules); both empty when absent.
  std::string sip_extension;
  std::string sip_password;
  bool operator==(const DemoStaff&) const = default;
};

struct CouncilFile {
  std::string name;   // "Borough of Fairhaven"
  std::string notes;  // free text for people reading the file; ignored by the software
  std::vector<domain::Department> departments;
  std::vector<domain::Team> teams;
  std::vector<domain::Service> services;
  std::vector<DemoStaff> staff;
  std::vector<domain::Citizen> citizens;  // id 0, times unset, version 0
  // "routing": {"queues": [{"code", ...}], "profiles": [{"code", ...}]} in
  // the API's shapes (codec/routing_config.h); version unset.
  std::vector<domain::RoutingQueue> routing_queues;
  std::vector<domain::RoutingProfile> routing_profiles;
  // "routing": {"dispositions": [...]}: the wrap-up codes (codec/dispositions.h).
  std::vector<domain::Disposition> dispositions;
  // "theme" (codec/theme.h), its logo read through the FileReader; name
  // defaults to the council's. nullopt when the file has none.
  std::optional<domain::Theme> theme;
  // "popular_services": the services the portal home shows first (codes of
  // services in the file, at most 12); empty = the most used ones.
  std::vector<std::string> popular_services;
  // "telephony" (codec/telephony.h): the numbers answered over SIP and their
  // IVR menus; queue codes must be queues of the file's routing. nullopt
  // when the file has none.
  std::optional<domain::Telephony> telephony;
  // "mailboxes" (codec/mailboxes.h): the addresses the LMTP listener takes
  // mail for, each into an email queue of the file.
  std::vector<domain::Mailbox> mailboxes;
};

// Parses and checks the whole file, reporting every problem at once as
// InvalidFields ("services[3].default_team", "staff[1].role", ...). The status
// message also lists the first problems, so a command line can print it
// as-is. Checks, beyond each entry's own rules (codec/catalogue.h,
// domain::ValidateCitizen):
//   - codes unique: departments, teams, services; staff emails unique
//   - each team's department, each service's department and default_team,
//     each staff member's department and team exist
//   - routing queue and profile codes are valid and unique; a profile's
//     team exists and its queues are queues of the file
//   - staff roles are valid; officers have a department; a staff member's
//     team belongs to their department when both are given
//   - the theme passes domain::ValidateTheme (contrast, links, logo)
//   - telephony passes domain::ValidateTelephony; its queues are queues of the file
// Citizens' phones, emails and postcodes are normalised
// (domain::NormalisePhone / NormaliseEmail / NormalisePostcode) before
// domain::ValidateCitizen runs.
// `files` reads the files the council file names (the theme's logo) by
// their path relative to the council file; without it a logo is an error.
absl::StatusOr<CouncilFile> ParseCouncilFile(std::string_view json_text,
                                             const FileReader& files = {});

}  // namespace onestop::codec
