// Staff accounts: create (admin, or the CLI as the system actor), update, list.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/staff.h"
#include "services/deps.h"

namespace onestop::services {

struct NewStaff {
  std::string email;
  std::string display_name;
  domain::Role role = domain::Role::kAgent;
  std::string department;
  std::string team;
  std::vector<domain::Skill> skills;
  std::string password;
};

class CreateStaff {
 public:
  explicit CreateStaff(Deps deps) : deps_(deps) {}
  // AlreadyExists if the email is taken.
  absl::StatusOr<domain::StaffUser> Run(const domain::Actor& actor, const NewStaff& input) const;

 private:
  Deps deps_;
};

struct StaffChanges {
  std::optional<std::string> display_name;
  std::optional<domain::Role> role;
  std::optional<std::string> department;
  std::optional<std::string> team;
  std::optional<std::vector<domain::Skill>> skills;
  std::optional<bool> active;
  std::optional<std::string> password;
};

class UpdateStaff {
 public:
  explicit UpdateStaff(Deps deps) : deps_(deps) {}
  absl::StatusOr<domain::StaffUser> Run(const domain::Actor& actor, int64_t staff_id,
                                        const StaffChanges& changes,
                                        std::optional<int64_t> expected_version) const;

 private:
  Deps deps_;
};

class ListStaff {
 public:
  explicit ListStaff(Deps deps) : deps_(deps) {}
  absl::StatusOr<std::vector<domain::StaffUser>> Run(const domain::Actor& actor) const;

 private:
  Deps deps_;
};

// Every staff member's id, display name, role, department and team, for
// any signed-in staff member: the desktop names the people in a case's
// history and timeline ("Assigned to Sam Officer"). No emails, skills or
// password hashes.
class ListStaffNames {
 public:
  explicit ListStaffNames(Deps deps) : deps_(deps) {}
  absl::StatusOr<std::vector<domain::StaffUser>> Run(const domain::Actor& actor) const;

 private:
  Deps deps_;
};

class GetStaff {
 public:
  explicit GetStaff(Deps deps) : deps_(deps) {}
  // Staff may read their own record; supervisors and admins anyone's.
  absl::StatusOr<domain::StaffUser> Run(const domain::Actor& actor, int64_t staff_id) const;

 private:
  Deps deps_;
};

}  // namespace onestop::services
