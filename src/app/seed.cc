#include "app/seed.h"

#include <algorithm>

#include "codec/council_file.h"
#include "common/status.h"
#include "routing/live_engine.h"
#include "services/catalogue.h"
#include "services/citizens.h"
#include "services/staff_admin.h"

namespace onestop::app {

absl::StatusOr<SeedReport> SeedCouncil(services::Deps deps, std::string_view council_json) {
  ONESTOP_ASSIGN_OR_RETURN(codec::CouncilFile council, codec::ParseCouncilFile(council_json));
  const domain::Actor system = domain::Actor::System();
  SeedReport report;

  services::SaveDepartment save_department(deps);
  for (const auto& d : council.departments) {
    ONESTOP_RETURN_IF_ERROR(save_department.Run(system, d));
    ++report.departments;
  }
  services::SaveTeam save_team(deps);
  for (const auto& t : council.teams) {
    ONESTOP_RETURN_IF_ERROR(save_team.Run(system, t));
    ++report.teams;
  }
  services::SaveService save_service(deps);
  for (const auto& s : council.services) {
    ONESTOP_RETURN_IF_ERROR(save_service.Run(system, s, std::nullopt).status());
    ++report.services;
  }

  services::CreateStaff create_staff(deps);
  for (const auto& s : council.staff) {
    report.logins.push_back(s.email + " / " + s.password + " (" + s.role +
                            (s.department.empty() ? "" : ", " + s.department) + ")");
    auto existing = deps.store.GetStaffByEmail(s.email);
    if (existing.ok()) continue;
    if (!absl::IsNotFound(existing.status())) return existing.status();
    services::NewStaff input;
    input.email = s.email;
    input.display_name = s.display_name;
    input.role = domain::ParseRole(s.role).value_or(domain::Role::kAgent);
    input.department = s.department;
    input.team = s.team;
    input.skills = s.skills;
    input.password = s.password;
    ONESTOP_RETURN_IF_ERROR(create_staff.Run(system, input).status());
    ++report.staff_created;
  }

  services::CreateCitizen create_citizen(deps);
  for (const auto& c : council.citizens) {
    // A demo citizen is identified by its first email (or phone) for idempotency.
    domain::CitizenQuery query;
    if (!c.emails.empty()) {
      query.email = domain::NormaliseEmail(c.emails.front());
    } else if (!c.phones.empty()) {
      query.phone = domain::NormalisePhone(c.phones.front());
    } else {
      continue;
    }
    query.include_merged = true;
    ONESTOP_ASSIGN_OR_RETURN(auto found, deps.store.FindCitizens(query));
    if (!found.empty()) continue;
    ONESTOP_RETURN_IF_ERROR(create_citizen.Run(system, c, std::nullopt).status());
    ++report.citizens_created;
  }

  // Routing queues and profiles: added when absent, never overwritten (a
  // supervisor may have changed them since). The engine reads them at start.
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::RoutingQueue> queues, deps.store.ListRoutingQueues());
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::RoutingProfile> profiles, deps.store.ListRoutingProfiles());
  auto has = [](const auto& list, const std::string& code) {
    return std::any_of(list.begin(), list.end(), [&](const auto& x) { return x.code == code; });
  };
  for (const domain::RoutingQueue& q : council.routing_queues) {
    ONESTOP_RETURN_IF_ERROR(routing::ToQueueConfig(q).status());
    if (has(queues, q.code)) continue;
    ONESTOP_RETURN_IF_ERROR(deps.store.Write([&](domain::WriteTxn& txn) { return txn.PutRoutingQueue(q); }));
    ++report.routing_queues_created;
  }
  for (const domain::RoutingProfile& p : council.routing_profiles) {
    if (has(profiles, p.code)) continue;
    ONESTOP_RETURN_IF_ERROR(deps.store.Write([&](domain::WriteTxn& txn) { return txn.PutRoutingProfile(p); }));
    ++report.routing_profiles_created;
  }
  return report;
}

}  // namespace onestop::app
