// /staff/floor: who is signed in, in which state and since when, with what
// (web/assets/floor.mjs keeps it current); /staff/floor/agents/{id}: an
// agent's state, skills (picked, with a level) and routing profile, changed
// at once in the engine.

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "domain/routing_config.h"
#include "services/permissions.h"
#include "web/context.h"
#include "web/routing_words.h"
#include "web/form_fields.h"
#include "web/routing_pages.h"
#include "web/supervisor_internal.h"

namespace onestop::web::supervisor_internal {

// ---- the floor ----

static std::string SkillsWords(const std::vector<domain::Skill>& skills) {
  std::vector<std::string> parts;
  for (const domain::Skill& s : skills) parts.push_back(absl::StrCat(s.code, " ", s.proficiency));
  return absl::StrJoin(parts, ", ");
}

static std::string ProfileName(const std::vector<domain::RoutingProfile>& profiles, const std::string& code,
                        const i18n::Translator& tr) {
  for (const domain::RoutingProfile& p : profiles) {
    if (p.code == code) return p.name;
  }
  return tr("Every queue (no profile)");
}

static View AgentRow(const services::FloorAgent& a, const std::vector<domain::RoutingProfile>& profiles,
              const std::map<std::string, std::string>& queue_names, absl::Time now, const i18n::Translator& tr) {
  View row;
  std::string state = PresenceWords(a.agent.shown, tr);
  if (a.agent.shown == routing::Presence::kOnBreak && !a.agent.reason.empty()) {
    absl::StrAppend(&state, " (", a.agent.reason, ")");
  }
  std::vector<std::string> work;
  for (const services::DeskItem& held : a.items) {
    const routing::ItemView& item = held.item;
    auto queue = queue_names.find(item.queue);
    work.push_back(i18n::Substitute(
        item.state == routing::ItemState::kOffered ? tr("{media} ringing, {queue}") : tr("{media} with {who}, {queue}"),
        {{"media", MediaWords(item.media, tr)},
         {"who", !item.caller.empty() ? item.caller : !item.reference.empty() ? item.reference : tr("caller")},
         {"queue", queue != queue_names.end() ? queue->second : item.queue}}));
  }
  row.Set("id", absl::StrCat(a.staff.id)).Set("name", a.staff.display_name)
      .Set("state", std::string(routing::PresenceName(a.agent.shown))).Set("state_words", state)
      .Set("in_state", HumaneDuration(now - a.agent.state_since, tr))
      .Set("work", work.empty() ? std::string("–") : absl::StrJoin(work, "; "))
      .Set("profile", ProfileName(profiles, a.profile, tr))
      .Set("skills", a.staff.skills.empty() ? std::string("–") : SkillsWords(a.staff.skills));
  return row;
}

std::map<std::string, std::string> QueueNames(services::RoutingDesk& desk, const domain::Actor& actor) {
  std::map<std::string, std::string> out;
  if (auto queues = desk.ListQueues(actor); queues.ok()) {
    for (const domain::RoutingQueue& q : *queues) out[q.code] = q.name;
  }
  return out;
}

Result FloorPage(WebContext& ctx, const domain::Actor& actor, http::Request& request) {
  ONESTOP_RETURN_IF_ERROR(services::Authorize(actor, services::Permission::kSuperviseRouting));
  const i18n::Translator& tr = *ReaderOf(ctx, request, true).tr;
  ONESTOP_ASSIGN_OR_RETURN(services::RoutingDesk * desk, DeskOf(ctx));
  ONESTOP_ASSIGN_OR_RETURN(std::vector<services::FloorAgent> floor, desk->Floor(actor));
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::RoutingProfile> profiles, desk->ListProfiles(actor));
  const std::map<std::string, std::string> queue_names = QueueNames(*desk, actor);
  const absl::Time now = ctx.deps.clock.Now();
  View v;
  v.List("signed_in").List("signed_out");
  for (const services::FloorAgent& a : floor) {
    const bool in = a.agent.chosen != routing::Presence::kOffline || !a.agent.items.empty();
    v.Add(in ? "signed_in" : "signed_out", AgentRow(a, profiles, queue_names, now, tr));
  }
  const std::string flash = request.QueryParam("flash").value_or("");
  if (flash == "state") v.Set("flash", tr("State changed"));
  if (flash == "routing") v.Set("flash", tr("Skills and routing profile saved; they count now"));
  return MakePage("floor", N_("Floor"), v, "/staff/floor");
}

static Result RenderAgent(WebContext& ctx, const domain::Actor& actor, const i18n::Translator& tr,
                   services::RoutingDesk& desk, const services::FloorAgent& agent, const http::ParamList* answers,
                   const ErrorMap& errors) {
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::RoutingProfile> profiles, desk.ListProfiles(actor));
  ONESTOP_ASSIGN_OR_RETURN(std::vector<std::string> known, desk.KnownSkills(actor));
  const std::map<std::string, std::string> queue_names = QueueNames(desk, actor);
  View v = AgentRow(agent, profiles, queue_names, ctx.deps.clock.Now(), tr);
  v.Set("heading", agent.staff.display_name).Set("version", absl::StrCat(agent.staff.version));
  v.Flag("in_wrap_up", agent.agent.shown == routing::Presence::kWrapUp);
  AddErrors(v, errors, {"state", "reason", "routing_profile", "skill_0"});
  // State.
  View state_field;
  state_field.Set("name", "state").Set("id", "f-state");
  if (auto e = errors.find("state"); e != errors.end()) state_field.Set("error", e->second);
  int index = 0;
  for (routing::Presence p : {routing::Presence::kAvailable, routing::Presence::kOnBreak, routing::Presence::kOffline}) {
    View o;
    o.Set("id", index == 0 ? "f-state" : absl::StrCat("f-state-", index)).Set("value", std::string(routing::PresenceName(p)))
        .Set("label", PresenceWords(p, tr)).Flag("checked", agent.agent.chosen == p);
    state_field.Add("options", o);
    ++index;
  }
  v.Child("state_field", state_field);
  v.Child("reason_field", Input("reason", tr("Reason for the break (optional)"),
                                answers ? FirstValue(*answers, "reason") : agent.agent.reason, errors));
  // Routing profile.
  Options profile_options;
  for (const domain::RoutingProfile& p : profiles) profile_options.push_back({p.code, p.name});
  const std::string chosen_profile =
      answers ? FirstValue(*answers, "routing_profile") : agent.staff.routing_profile;
  v.Child("profile_field", Select("routing_profile", tr("Routing profile"), profile_options, chosen_profile,
                                  tr("The team's profile"), errors));
  // Skills: the agent's, then empty rows to add one.
  Options skill_options;
  for (const std::string& code : known) skill_options.push_back({code, code});
  const int rows = static_cast<int>(agent.staff.skills.size()) + kSkillRowsSpare;
  for (int row = 0; row < rows; ++row) {
    const std::string skill_name = absl::StrCat("skill_", row), level_name = absl::StrCat("level_", row);
    std::string skill, level = "3";
    if (answers) {
      skill = FirstValue(*answers, skill_name);
      level = FirstValue(*answers, level_name);
    } else if (row < static_cast<int>(agent.staff.skills.size())) {
      skill = agent.staff.skills[row].code;
      level = absl::StrCat(agent.staff.skills[row].proficiency);
    }
    View r;
    const std::string n = absl::StrCat(row + 1);
    r.Child("skill", Select(skill_name, i18n::Substitute(tr("Skill {n}"), {{"n", n}}), skill_options, skill,
                            tr("No skill"), errors));
    r.Child("level", Select(level_name, i18n::Substitute(tr("Level of skill {n}"), {{"n", n}}), LevelOptions(tr),
                            level, "", errors));
    v.Add("skill_rows", r);
  }
  return MakePage("floor_agent", agent.staff.display_name, v, "/staff/floor", errors);
}

static absl::StatusOr<int64_t> AgentId(http::Request& request) {
  int64_t id = 0;
  if (!absl::SimpleAtoi(request.PathParam("id"), &id)) return absl::NotFoundError("no such agent");
  return id;
}

ErrorMap RoutingErrors(const absl::Status& status, const i18n::Translator& tr, const char* changed_message) {
  ErrorMap errors;
  if (absl::IsAborted(status)) {
    errors[""] = tr(changed_message);
    return errors;
  }
  std::map<std::string, std::string> rename;
  for (int row = 0; row < 50; ++row) rename[absl::StrCat("skills[", row, "]")] = absl::StrCat("skill_", row);
  errors = ErrorsFromStatus(status, nullptr, tr, rename);
  if (errors.empty()) errors[""] = std::string(status.message());
  return errors;
}

Result AgentPage(WebContext& ctx, const domain::Actor& actor, http::Request& request) {
  ONESTOP_RETURN_IF_ERROR(services::Authorize(actor, services::Permission::kSuperviseRouting));
  const i18n::Translator& tr = *ReaderOf(ctx, request, true).tr;
  ONESTOP_ASSIGN_OR_RETURN(services::RoutingDesk * desk, DeskOf(ctx));
  ONESTOP_ASSIGN_OR_RETURN(int64_t id, AgentId(request));
  ONESTOP_ASSIGN_OR_RETURN(services::FloorAgent agent, desk->FloorAgentOf(actor, id));
  if (request.method != "POST") return RenderAgent(ctx, actor, tr, *desk, agent, nullptr, {});
  const http::ParamList form = FormBody(request);
  services::AgentRouting routing;
  routing.routing_profile = FirstValue(form, "routing_profile");
  ErrorMap errors;
  for (int row = 0; row < 50; ++row) {
    const std::string skill_name = absl::StrCat("skill_", row);
    if (std::none_of(form.begin(), form.end(), [&](const auto& p) { return p.first == skill_name; })) break;
    const std::string skill = FirstValue(form, skill_name);
    if (skill.empty()) continue;
    int level = 0;
    if (!absl::SimpleAtoi(FirstValue(form, absl::StrCat("level_", row)), &level)) level = 0;
    routing.skills.push_back({skill, level});
  }
  absl::StatusOr<services::FloorAgent> saved =
      desk->SetAgentRouting(actor, id, routing, VersionOf(form).value_or(-1));
  if (saved.ok()) return GoTo("/staff/floor?flash=routing");
  if (!absl::IsInvalidArgument(saved.status()) && !absl::IsAborted(saved.status())) return saved.status();
  // Errors name skills by their place in the list sent; map them back to rows.
  ErrorMap raw = RoutingErrors(saved.status(), tr,
                               N_("Someone else changed this agent's skills or profile while you were editing. "
                                  "Reload the page to see the current ones."));
  std::vector<int> rows_sent;
  for (int row = 0; row < 50; ++row) {
    if (!FirstValue(form, absl::StrCat("skill_", row)).empty()) rows_sent.push_back(row);
  }
  for (auto& [name, message] : raw) {
    int sent = 0;
    if (name.rfind("skill_", 0) == 0 && absl::SimpleAtoi(name.substr(6), &sent) &&
        sent < static_cast<int>(rows_sent.size())) {
      errors[absl::StrCat("skill_", rows_sent[sent])] = message;
    } else {
      errors[name] = message;
    }
  }
  return RenderAgent(ctx, actor, tr, *desk, agent, absl::IsAborted(saved.status()) ? nullptr : &form, errors);
}

Result AgentStatePost(WebContext& ctx, const domain::Actor& actor, http::Request& request) {
  ONESTOP_RETURN_IF_ERROR(services::Authorize(actor, services::Permission::kSuperviseRouting));
  const i18n::Translator& tr = *ReaderOf(ctx, request, true).tr;
  ONESTOP_ASSIGN_OR_RETURN(services::RoutingDesk * desk, DeskOf(ctx));
  ONESTOP_ASSIGN_OR_RETURN(int64_t id, AgentId(request));
  const http::ParamList form = FormBody(request);
  const std::string state = FirstValue(form, "state");
  absl::Status status = desk->SetAgentState(actor, id, state, Trim(FirstValue(form, "reason")));
  if (status.ok()) return GoTo("/staff/floor?flash=state");
  ErrorMap errors;
  if (absl::IsInvalidArgument(status)) {
    errors = ErrorsFromStatus(status, nullptr, tr);
  } else if (absl::IsFailedPrecondition(status)) {
    errors[""] = tr("The agent is no longer in wrap-up.");
  } else {
    return status;
  }
  if (errors.empty()) errors[""] = std::string(status.message());
  ONESTOP_ASSIGN_OR_RETURN(services::FloorAgent agent, desk->FloorAgentOf(actor, id));
  return RenderAgent(ctx, actor, tr, *desk, agent, &form, errors);
}

}  // namespace onestop::web::supervisor_internal
