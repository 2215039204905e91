#include "services/permissions.h"

namespace onestop::services {

using domain::Role;

namespace {

bool Allowed(Role role, Permission permission) {
  switch (permission) {
    case Permission::kReadCatalogue:
      return true;
    case Permission::kEditCatalogue:
    case Permission::kUnmergeCitizens:
    case Permission::kEditStaff:
      return role == Role::kAdmin;
    case Permission::kReadCitizens:
    case Permission::kReadCases:
    case Permission::kEditCases:
    case Permission::kRecordContacts:
      return true;  // every staff role; officers further limited by department
    case Permission::kEditCitizens:
    case Permission::kReadEvents:
      return role != Role::kOfficer;
    case Permission::kMergeCitizens:
    case Permission::kReadStaff:
    case Permission::kEditRouting:
    case Permission::kSuperviseRouting:
      return role == Role::kSupervisor || role == Role::kAdmin;
    case Permission::kReadArticles:
      return true;
    case Permission::kEditArticles:
      return role != Role::kAgent;
    case Permission::kRouteWork:
    case Permission::kReadRouting:
      return true;
  }
  return false;
}

}  // namespace

absl::Status Authorize(const domain::Actor& actor, Permission permission) {
  if (permission == Permission::kReadCatalogue) return absl::OkStatus();
  if (!actor.authenticated) return absl::UnauthenticatedError("sign in first");
  if (!Allowed(actor.role, permission)) {
    return absl::PermissionDeniedError("your role does not allow this");
  }
  return absl::OkStatus();
}

absl::Status CheckCaseAccess(const domain::Actor& actor, const domain::Case& c) {
  if (actor.authenticated && actor.role == Role::kOfficer && c.department != actor.department) {
    return absl::NotFoundError("case " + std::to_string(c.id) + " not found");
  }
  return absl::OkStatus();
}

}  // namespace onestop::services
