// RoutingDesk: the supervisor's floor — who is signed in and in which
// state, and changing an agent's state, skills and routing profile live
// (services/routing.h). Kept apart from routing.cc, the agent's own desk.
#include <algorithm>
#include <set>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "services/events_util.h"
#include "services/permissions.h"
#include "services/routing.h"

namespace onestop::services {
namespace {

std::string SkillsText(const std::vector<domain::Skill>& skills) {
  std::string out;
  for (const domain::Skill& s : skills) {
    if (!out.empty()) out += ",";
    absl::StrAppend(&out, s.code, ":", s.proficiency);
  }
  return out;
}

// Signed in: chose a state other than offline, or still holds work.
bool SignedIn(const routing::AgentView& agent) {
  return agent.chosen != routing::Presence::kOffline || !agent.items.empty();
}

}  // namespace

absl::StatusOr<std::vector<FloorAgent>> RoutingDesk::Floor(const domain::Actor& actor) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kSuperviseRouting));
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::StaffUser> staff, deps_.store.ListStaff());
  const std::vector<domain::RoutingProfile> profiles = engine_.Profiles();
  std::vector<FloorAgent> out;
  for (domain::StaffUser& person : staff) {
    if (!person.active) continue;
    std::optional<routing::AgentView> agent = engine_.Agent(person.id);
    if (!agent) continue;
    person.password_hash.clear();
    FloorAgent row;
    const domain::RoutingProfile* profile = routing::ProfileFor(person, profiles);
    row.profile = profile != nullptr ? profile->code : "";
    row.agent = *agent;
    for (int64_t item_id : agent->items) {
      if (std::optional<routing::ItemView> item = engine_.Item(item_id)) {
        DeskItem held;
        held.item = *item;
        row.items.push_back(std::move(held));
      }
    }
    row.staff = std::move(person);
    out.push_back(std::move(row));
  }
  std::stable_sort(out.begin(), out.end(), [](const FloorAgent& a, const FloorAgent& b) {
    return std::make_tuple(!SignedIn(a.agent), a.staff.display_name, a.staff.id) <
           std::make_tuple(!SignedIn(b.agent), b.staff.display_name, b.staff.id);
  });
  return out;
}

absl::StatusOr<FloorAgent> RoutingDesk::FloorAgentOf(const domain::Actor& actor, int64_t staff_id) const {
  ONESTOP_ASSIGN_OR_RETURN(std::vector<FloorAgent> floor, Floor(actor));
  for (FloorAgent& row : floor) {
    if (row.staff.id == staff_id) return std::move(row);
  }
  return absl::NotFoundError(absl::StrCat("agent ", staff_id, " is not on the floor"));
}

absl::StatusOr<std::vector<std::string>> RoutingDesk::KnownSkills(const domain::Actor& actor) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kSuperviseRouting));
  std::set<std::string> skills;
  for (const domain::RoutingQueue& q : engine_.QueueDefinitions()) {
    for (const domain::RoutingSkillRule& rule : q.skills) skills.insert(rule.skill);
  }
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::StaffUser> staff, deps_.store.ListStaff());
  for (const domain::StaffUser& person : staff) {
    for (const domain::Skill& skill : person.skills) skills.insert(skill.code);
  }
  return std::vector<std::string>(skills.begin(), skills.end());
}

absl::StatusOr<FloorAgent> RoutingDesk::SetAgentRouting(const domain::Actor& actor, int64_t staff_id,
                                                        const AgentRouting& routing,
                                                        int64_t expected_version) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kSuperviseRouting));
  ONESTOP_ASSIGN_OR_RETURN(std::vector<std::string> known, KnownSkills(actor));
  std::vector<FieldError> errors;
  std::set<std::string> seen;
  for (size_t idx = 0; idx < routing.skills.size(); ++idx) {
    const domain::Skill& skill = routing.skills[idx];
    const std::string field = absl::StrCat("skills[", idx, "]");
    if (!std::binary_search(known.begin(), known.end(), skill.code) || !seen.insert(skill.code).second) {
      errors.push_back({field, "unknown", "agent_skill_unknown", {}});
    } else if (skill.proficiency < 1 || skill.proficiency > 5) {
      errors.push_back({field, "out_of_range", "skill_level", {{"min", "1"}, {"max", "5"}}});
    }
  }
  if (!routing.routing_profile.empty()) {
    const std::vector<domain::RoutingProfile> profiles = engine_.Profiles();
    if (std::none_of(profiles.begin(), profiles.end(),
                     [&](const domain::RoutingProfile& p) { return p.code == routing.routing_profile; })) {
      errors.push_back({"routing_profile", "unknown", "agent_profile_unknown", {}});
    }
  }
  if (!errors.empty()) return InvalidFields("The agent's routing is not valid", errors);
  ONESTOP_ASSIGN_OR_RETURN(domain::StaffUser staff, deps_.store.GetStaff(staff_id));
  if (!staff.active) return absl::FailedPreconditionError("this staff account is not active");
  if (staff.version != expected_version) {
    return absl::AbortedError(
        absl::StrCat("staff ", staff_id, " was changed by someone else; reload and try again"));
  }
  const domain::StaffUser before = staff;
  staff.skills = routing.skills;
  staff.routing_profile = routing.routing_profile;
  staff.version = before.version + 1;
  ONESTOP_RETURN_IF_ERROR(deps_.store.Write([&](domain::WriteTxn& txn) -> absl::Status {
    ONESTOP_RETURN_IF_ERROR(txn.UpdateStaff(staff, before.version));
    domain::Event e = MakeEvent(actor, deps_.clock.Now(), "staff", staff.id, "staff.routing_changed");
    e.entity_key = staff.email;
    AddChange(e.changes, "skills", SkillsText(before.skills), SkillsText(staff.skills));
    AddChange(e.changes, "routing_profile", before.routing_profile, staff.routing_profile);
    return txn.AppendEvent(e).status();
  }));
  // The engine now, not at the agent's next presence change.
  ONESTOP_RETURN_IF_ERROR(engine_.ReloadAgent(staff_id));
  return FloorAgentOf(actor, staff_id);
}

absl::Status RoutingDesk::ApplyStaffChange(const domain::Actor& actor, int64_t staff_id) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kReadStaff));
  return engine_.ReloadAgent(staff_id);
}

absl::Status RoutingDesk::SetAgentState(const domain::Actor& actor, int64_t staff_id,
                                        const std::string& state, const std::string& reason) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kSuperviseRouting));
  std::optional<routing::Presence> presence;
  if (state != "end_wrap_up") {
    presence = routing::ParsePresence(state);
    if (!presence || (*presence != routing::Presence::kOffline && *presence != routing::Presence::kAvailable &&
                      *presence != routing::Presence::kOnBreak)) {
      return InvalidFields("The state is not valid", {{"state", "invalid", "agent_state_values", {}}});
    }
  }
  if (reason.size() > 100) {
    return InvalidFields("The state is not valid", {{"reason", "too_long", "presence_reason_length", {}}});
  }
  ONESTOP_ASSIGN_OR_RETURN(domain::StaffUser staff, deps_.store.GetStaff(staff_id));
  std::optional<routing::AgentView> agent = engine_.Agent(staff_id);
  if (!agent || !staff.active) {
    return absl::NotFoundError(absl::StrCat("agent ", staff_id, " is not on the floor"));
  }
  if (!presence && agent->shown != routing::Presence::kWrapUp) {
    return absl::FailedPreconditionError("the agent is not in wrap-up");
  }
  // The supervisor's act (who and why) first, then the engine's change with
  // its own presence / wrap-up event.
  ONESTOP_RETURN_IF_ERROR(deps_.store.Write([&](domain::WriteTxn& txn) -> absl::Status {
    domain::Event e = MakeEvent(actor, deps_.clock.Now(), "staff", staff.id, "staff.state_set");
    e.entity_key = staff.email;
    AddChange(e.changes, "state", std::string(routing::PresenceName(agent->shown)), state);
    if (!reason.empty()) AddChange(e.changes, "reason", "", reason);
    return txn.AppendEvent(e).status();
  }));
  if (!presence) return engine_.EndWrapUp(staff_id);
  return engine_.SetPresence(staff_id, *presence,
                             *presence == routing::Presence::kOnBreak ? reason : std::string());
}

}  // namespace onestop::services
