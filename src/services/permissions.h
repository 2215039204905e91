// Who may do what. One table, used by every use case; adapters never decide.
#pragma once

#include "absl/status/status.h"
#include "domain/case.h"
#include "domain/staff.h"

namespace onestop::services {

enum class Permission {
  kReadCatalogue,    // anyone, including the public
  kEditCatalogue,    // admin
  kReadCitizens,     // agent, supervisor, admin, officer
  kEditCitizens,     // agent, supervisor, admin
  kMergeCitizens,    // supervisor, admin
  kUnmergeCitizens,  // admin
  kReadCases,        // all staff (officers: own department only, see CheckCaseAccess)
  kEditCases,        // all staff (officers: own department only)
  kRecordContacts,   // agent, supervisor, admin, officer
  kReadEvents,       // agent, supervisor, admin
  kReadStaff,        // supervisor, admin
  kEditStaff,        // admin
  kRouteWork,        // every staff role: add interactions, take offers, set own presence
  kReadRouting,      // every staff role: queue definitions
  kEditRouting,      // supervisor, admin: queue definitions and routing profiles
  kSuperviseRouting, // supervisor, admin: wallboard, queue statistics
  kReadArticles,     // all staff (the public reads published public articles only)
  kEditArticles,     // supervisor, admin, officer (subject-matter owners)
};

// Unauthenticated if the actor is not logged in (and the permission needs it),
// PermissionDenied if the role does not allow it.
absl::Status Authorize(const domain::Actor& actor, Permission permission);

// Officers may only see and work cases of their own department. Returns
// NotFound (not PermissionDenied) so other departments' case ids do not leak.
absl::Status CheckCaseAccess(const domain::Actor& actor, const domain::Case& c);

}  // namespace onestop::services
