#include "services/staff_admin.h"

#include "absl/strings/ascii.h"
#include "common/status.h"
#include "domain/citizen.h"
#include "services/auth.h"
#include "services/events_util.h"
#include "services/permissions.h"

namespace onestop::services {
namespace {

absl::Status ValidateStaffFields(const domain::StaffUser& s) {
  std::vector<FieldError> errors;
  if (domain::NormaliseEmail(s.email).empty()) {
    errors.push_back({"email", "invalid", "staff_email_format", {}});
  }
  if (s.display_name.size() > 200) {
    errors.push_back({"display_name", "too_long", "display_name_length", {{"max", "200"}}});
  }
  if (s.role == domain::Role::kOfficer && s.department.empty()) {
    errors.push_back({"department", "required", "officer_department_required", {}});
  }
  for (size_t i = 0; i < s.skills.size(); ++i) {
    if (s.skills[i].code.empty() || s.skills[i].proficiency < 1 || s.skills[i].proficiency > 5) {
      errors.push_back({"skills[" + std::to_string(i) + "]", "invalid", "skill_proficiency",
                        {{"min", "1"}, {"max", "5"}}});
    }
  }
  if (!errors.empty()) return InvalidFields("The staff details are not valid", errors);
  return absl::OkStatus();
}

std::string SkillsText(const std::vector<domain::Skill>& skills) {
  std::string out;
  for (const auto& s : skills) {
    if (!out.empty()) out += ",";
    out += s.code + ":" + std::to_string(s.proficiency);
  }
  return out;
}

}  // namespace

absl::StatusOr<domain::StaffUser> CreateStaff::Run(const domain::Actor& actor,
                                                   const NewStaff& input) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kEditStaff));
  domain::StaffUser staff;
  staff.email = domain::NormaliseEmail(input.email);
  if (staff.email.empty()) staff.email = input.email;  // reported by validation below
  staff.display_name = input.display_name.empty() ? staff.email : input.display_name;
  staff.role = input.role;
  staff.department = input.department;
  staff.team = input.team;
  staff.skills = input.skills;
  staff.active = true;
  staff.created_at = deps_.clock.Now();
  staff.version = 1;
  ONESTOP_RETURN_IF_ERROR(ValidateStaffFields(staff));
  ONESTOP_RETURN_IF_ERROR(PasswordHasher::CheckStrength(input.password));
  ONESTOP_ASSIGN_OR_RETURN(staff.password_hash, PasswordHasher::Hash(input.password));

  ONESTOP_RETURN_IF_ERROR(deps_.store.Write([&](domain::WriteTxn& txn) -> absl::Status {
    ONESTOP_ASSIGN_OR_RETURN(staff.id, txn.InsertStaff(staff));
    domain::Event e = MakeEvent(actor, staff.created_at, "staff", staff.id, "staff.created");
    e.entity_key = staff.email;
    AddChange(e.changes, "email", "", staff.email);
    AddChange(e.changes, "role", "", std::string(domain::RoleName(staff.role)));
    AddChange(e.changes, "department", "", staff.department);
    return txn.AppendEvent(e).status();
  }));
  staff.password_hash.clear();
  return staff;
}

absl::StatusOr<domain::StaffUser> UpdateStaff::Run(const domain::Actor& actor, int64_t staff_id,
                                                   const StaffChanges& changes,
                                                   std::optional<int64_t> expected_version) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kEditStaff));
  ONESTOP_ASSIGN_OR_RETURN(domain::StaffUser staff, deps_.store.GetStaff(staff_id));
  if (expected_version && *expected_version != staff.version) {
    return absl::AbortedError("staff " + std::to_string(staff_id) +
                              " was changed by someone else; reload and try again");
  }
  const domain::StaffUser before = staff;
  if (changes.display_name) staff.display_name = *changes.display_name;
  if (changes.role) staff.role = *changes.role;
  if (changes.department) staff.department = *changes.department;
  if (changes.team) staff.team = *changes.team;
  if (changes.skills) staff.skills = *changes.skills;
  if (changes.active) staff.active = *changes.active;
  ONESTOP_RETURN_IF_ERROR(ValidateStaffFields(staff));
  if (changes.password) {
    ONESTOP_RETURN_IF_ERROR(PasswordHasher::CheckStrength(*changes.password));
    ONESTOP_ASSIGN_OR_RETURN(staff.password_hash, PasswordHasher::Hash(*changes.password));
  }
  if (changes.active && !*changes.active && actor.staff_id == staff_id) {
    return absl::FailedPreconditionError("you cannot disable your own account");
  }
  staff.version = before.version + 1;
  ONESTOP_RETURN_IF_ERROR(deps_.store.Write([&](domain::WriteTxn& txn) -> absl::Status {
    ONESTOP_RETURN_IF_ERROR(txn.UpdateStaff(staff, before.version));
    domain::Event e = MakeEvent(actor, deps_.clock.Now(), "staff", staff.id, "staff.updated");
    e.entity_key = staff.email;
    AddChange(e.changes, "display_name", before.display_name, staff.display_name);
    AddChange(e.changes, "role", std::string(domain::RoleName(before.role)),
              std::string(domain::RoleName(staff.role)));
    AddChange(e.changes, "department", before.department, staff.department);
    AddChange(e.changes, "team", before.team, staff.team);
    AddChange(e.changes, "skills", SkillsText(before.skills), SkillsText(staff.skills));
    AddChange(e.changes, "active", before.active ? "true" : "false", staff.active ? "true" : "false");
    if (changes.password) e.changes.push_back({"password", "", "(changed)"});
    return txn.AppendEvent(e).status();
  }));
  staff.password_hash.clear();
  return staff;
}

absl::StatusOr<std::vector<domain::StaffUser>> ListStaff::Run(const domain::Actor& actor) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kReadStaff));
  ONESTOP_ASSIGN_OR_RETURN(auto staff, deps_.store.ListStaff());
  for (auto& s : staff) s.password_hash.clear();
  return staff;
}

absl::StatusOr<std::vector<domain::StaffUser>> ListStaffNames::Run(const domain::Actor& actor) const {
  if (!actor.authenticated) return absl::UnauthenticatedError("sign in first");
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::StaffUser> all, deps_.store.ListStaff());
  std::vector<domain::StaffUser> out;
  out.reserve(all.size());
  for (auto& s : all) {
    domain::StaffUser named;
    named.id = s.id;
    named.display_name = std::move(s.display_name);
    named.role = s.role;
    named.department = std::move(s.department);
    named.team = std::move(s.team);
    named.active = s.active;
    out.push_back(std::move(named));
  }
  return out;
}

absl::StatusOr<domain::StaffUser> GetStaff::Run(const domain::Actor& actor, int64_t staff_id) const {
  if (!actor.authenticated) return absl::UnauthenticatedError("sign in first");
  if (actor.staff_id != staff_id) {
    ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kReadStaff));
  }
  ONESTOP_ASSIGN_OR_RETURN(domain::StaffUser staff, deps_.store.GetStaff(staff_id));
  staff.password_hash.clear();
  return staff;
}

}  // namespace onestop::services
