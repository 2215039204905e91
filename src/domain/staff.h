// Council staff who use the desktop and the API, their roles and sessions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"

namespace onestop::domain {

// agent: contact-centre and counter staff; all services, all citizens.
// officer: back-office; sees and works only its department's cases.
// supervisor: everything an agent can, plus staff lists and reports.
// admin: everything, including the catalogue, staff and unmerging.
enum class Role { kAgent, kOfficer, kSupervisor, kAdmin };
std::string_view RoleName(Role r);  // "agent", "officer", "supervisor", "admin"
std::optional<Role> ParseRole(std::string_view name);

struct Skill {
  std::string code;      // e.g. "council-tax", "welsh-language"
  int proficiency = 3;   // 1..5
  bool operator==(const Skill&) const = default;
};

struct StaffUser {
  int64_t id = 0;
  std::string email;  // lower-cased, unique
  std::string display_name;
  Role role = Role::kAgent;
  std::string department;  // required for officers
  std::string team;
  std::vector<Skill> skills;
  // The routing profile chosen for this person ("" = their team's, see
  // routing::ToAgentConfig).
  std::string routing_profile;
  bool active = true;
  std::string password_hash;  // Argon2id encoded string (never leaves the store/services)
  absl::Time created_at;
  int64_t version = 1;
  bool operator==(const StaffUser&) const = default;
};

// A login session. Only the SHA-256 of the token is stored.
struct Session {
  std::string token_hash;  // hex
  int64_t staff_id = 0;
  absl::Time created_at;
  absl::Time expires_at;
  bool operator==(const Session&) const = default;
};

// A caller as seen by the services layer: who they are and what they may do.
struct Actor {
  int64_t staff_id = 0;  // 0 = anonymous public / API client
  Role role = Role::kAgent;
  std::string department;
  bool authenticated = false;

  static Actor Public() { return Actor{}; }
  static Actor System() { return Actor{0, Role::kAdmin, "", true}; }
};

}  // namespace onestop::domain
