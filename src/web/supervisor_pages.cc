// Staff pages for supervisors and admins (kSuperviseRouting / kEditRouting)
// that run the contact-centre floor:
//   - /staff/wallboard: the wall display — a tile per queue (voice first,
//     then the queues' wallboard groups and order), red/amber/green against
//     each queue's targets in words and shapes as well as colour, and every
//     signed-in agent's state with time in state; web/assets/wallboard.mjs
//     keeps it live from /staff/ws/wallboard, in the page's own words;
//   - /staff/floor: who is signed in, in which state and since when, with
//     what; /staff/floor/agents/{id}: change an agent's state, skills (picked
//     from the council's skills, with a level) and routing profile — at once,
//     in the engine (services::RoutingDesk::SetAgentRouting / SetAgentState);
//   - /staff/routing/queues and /staff/routing/profiles: list, create, edit
//     and delete queue definitions and routing profiles, with the version in
//     a hidden field so a concurrent change is refused, not overwritten.
// Forms post back to themselves with the session's CSRF token
// (AddStaffRoute) and answer with a redirect on success.
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

namespace onestop::web {

std::string HumaneDuration(absl::Duration duration, const i18n::Translator& tr) {
  const int64_t total = std::max<int64_t>(0, absl::ToInt64Seconds(duration));
  if (total < 60) return i18n::Substitute(tr("{s} s"), {{"s", absl::StrCat(total)}});
  if (total < 3600) return i18n::Substitute(tr("{min} min"), {{"min", absl::StrCat(total / 60)}});
  const int64_t minutes = (total % 3600) / 60;
  if (minutes == 0) return i18n::Substitute(tr("{h} h"), {{"h", absl::StrCat(total / 3600)}});
  return i18n::Substitute(tr("{h} h {min} min"),
                          {{"h", absl::StrCat(total / 3600)}, {"min", absl::StrCat(minutes)}});
}

namespace {

using Result = absl::StatusOr<StaffPageResult>;
using Options = std::vector<std::pair<std::string, std::string>>;

constexpr int kSkillRowsSpare = 3;  // empty rows to add skills with
constexpr int kStepRowsSpare = 2;

StaffPageResult MakePage(std::string tmpl, std::string title, View v, std::string current,
                         const ErrorMap& errors = {}) {
  StaffPageResult r;
  r.template_name = std::move(tmpl);
  r.title = std::move(title);
  r.view = std::move(v);
  r.current = std::move(current);
  r.has_error = !errors.empty();
  r.status = errors.empty() ? 200 : 400;
  return r;
}

StaffPageResult GoTo(std::string location) {
  StaffPageResult r;
  r.redirect = std::move(location);
  return r;
}

std::string Trim(const std::string& s) { return std::string(absl::StripAsciiWhitespace(s)); }

void AddErrors(View& v, const ErrorMap& errors, const std::vector<std::string>& order) {
  v.List("errors");
  for (auto& e : ErrorSummary(errors, order)) v.Add("errors", e);
}

absl::StatusOr<services::RoutingDesk*> DeskOf(WebContext& ctx) {
  if (!ctx.routing_hub) return absl::UnavailableError("Routing is not running on this server.");
  if (!ctx.routing_hub->leading()) {
    return absl::UnavailableError("This server is a routing standby; try the one running routing.");
  }
  return &ctx.routing_hub->desk();
}

Options MediaOptions(const i18n::Translator& tr) {
  Options out;
  for (int m = 0; m < routing::kMediaCount; ++m) {
    const auto media = static_cast<routing::Media>(m);
    out.push_back({std::string(routing::MediaName(media)), MediaWords(media, tr)});
  }
  return out;
}

Options StrategyOptions(const i18n::Translator& tr) {
  return {{"longest_idle", tr("Longest idle: the agent free for longest")},
          {"least_occupied", tr("Least occupied: the agent with least work in hand")},
          {"round_robin", tr("Round robin: each agent in turn")},
          {"best_fit", tr("Best fit: the agent with the highest skill levels")}};
}

Options LevelOptions(const i18n::Translator& tr) {
  return {{"1", tr("1 – basic")}, {"2", "2"}, {"3", "3"}, {"4", "4"}, {"5", tr("5 – expert")}};
}

std::string Percent(double share) { return absl::StrFormat("%.0f%%", share * 100); }

// A <select> of its own (rows of skills, steps, profile lines).
View Select(const std::string& name, const std::string& label, const Options& options,
            const std::string& selected, const std::string& empty_label, const ErrorMap& errors) {
  View v;
  v.Set("name", name).Set("id", "f-" + name).Set("label", label).Set("empty_label", empty_label);
  if (auto e = errors.find(name); e != errors.end()) v.Set("error", e->second);
  v.List("options");
  for (const auto& [value, text] : options) {
    View o;
    o.Set("value", value).Set("label", text).Flag("selected", value == selected);
    v.Add("options", o);
  }
  return v;
}

View Input(const std::string& name, const std::string& label, const std::string& value, const ErrorMap& errors) {
  View v;
  v.Set("name", name).Set("id", "f-" + name).Set("label", label).Set("value", value);
  if (auto e = errors.find(name); e != errors.end()) v.Set("error", e->second);
  return v;
}

// A whole number from the form; an error under `name` when it is not one.
int IntOf(const http::ParamList& form, const std::string& name, int fallback, int min, int max, ErrorMap& errors,
          const i18n::Translator& tr) {
  const std::string text = Trim(FirstValue(form, name));
  if (text.empty()) return fallback;
  int value = 0;
  if (!absl::SimpleAtoi(text, &value) || value < min || value > max) {
    errors[name] = i18n::Substitute(tr("Enter a whole number from {min} to {max}"),
                                    {{"min", absl::StrCat(min)}, {"max", absl::StrCat(max)}});
    return fallback;
  }
  return value;
}

std::optional<int64_t> VersionOf(const http::ParamList& form) {
  int64_t version = 0;
  if (absl::SimpleAtoi(FirstValue(form, "version"), &version)) return version;
  return std::nullopt;
}

// ---- the wallboard ----

std::string RagWords(std::string_view rag, const i18n::Translator& tr) {
  if (rag == "red") return tr("Red: target missed");
  if (rag == "amber") return tr("Amber: near the target");
  return tr("Green: on target");
}

Result WallboardPage(WebContext& ctx, const domain::Actor& actor, http::Request& request) {
  ONESTOP_RETURN_IF_ERROR(services::Authorize(actor, services::Permission::kSuperviseRouting));
  const i18n::Translator& tr = *ReaderOf(ctx, request, true).tr;
  View v;
  const absl::Time now = ctx.deps.clock.Now();
  v.Set("as_of", tr.DateTime(now));
  v.List("queues").List("agents");
  // The words wallboard.mjs uses for its live updates, in the reader's
  // language ({n} and the like are filled in by the script).
  View words;
  words.Set("s", tr("{s} s")).Set("min", tr("{min} min")).Set("h", tr("{h} h")).Set("h_min", tr("{h} h {min} min"))
      .Set("dash", "–")
      .Set("red", RagWords("red", tr)).Set("amber", RagWords("amber", tr)).Set("green", RagWords("green", tr))
      .Set("live", tr("Live: updated {time}.")).Set("lost", tr("Connection lost; reconnecting. The figures below may be out of date."))
      .Set("offline", tr("Offline")).Set("available", tr("Available")).Set("on_break", tr("On a break"))
      .Set("busy", tr("Busy")).Set("wrap_up", tr("Wrap-up"))
      .Set("agents_free", tr("{available} of {agents} free"));
  v.Child("words", words);
  absl::StatusOr<services::RoutingDesk*> desk = DeskOf(ctx);
  if (!desk.ok()) {
    v.Flag("unavailable", true).Flag("standby", ctx.routing_hub != nullptr);
    return MakePage("wallboard", N_("Wallboard"), v, "/staff/wallboard");
  }
  ONESTOP_ASSIGN_OR_RETURN(std::vector<services::QueueBoard> boards, (*desk)->Wallboard(actor));
  v.Flag("has_queues", !boards.empty());
  for (const services::QueueBoard& b : boards) {
    const routing::QueueFigures& f = b.today;
    const int64_t longest = b.live.waiting > 0 ? absl::ToInt64Seconds(now - b.live.oldest_entered_at) : 0;
    // The service level counts once an interaction has been answered or
    // abandoned: one just arrived is not yet a miss.
    const std::string_view rag =
        domain::RagStatus(b.settings, f.answered + f.abandoned > 0 ? f.service_level() : -1, longest);
    const bool case_tasks = b.config.media == routing::Media::kCaseTask;
    int agents = 0;
    for (int count : b.live.agents_by_state) agents += count;
    agents -= b.live.agents_by_state[static_cast<int>(routing::Presence::kOffline)];
    View row;
    row.Set("code", b.config.id)
        .Set("name", b.config.name.empty() ? b.config.id : b.config.name)
        .Set("media", MediaWords(b.config.media, tr))
        .Set("group", b.settings.wallboard_group)
        .Set("rag", std::string(rag))
        .Set("rag_words", RagWords(rag, tr))
        .Set("waiting", absl::StrCat(b.live.waiting))
        .Set("longest_wait", b.live.waiting > 0 ? HumaneDuration(now - b.live.oldest_entered_at, tr) : "–")
        .Set("service_level", f.offered ? Percent(f.service_level()) : "–")
        .Set("threshold", HumaneDuration(absl::Seconds(b.config.service_level_seconds), tr))
        .Set("asa", f.answered ? HumaneDuration(absl::Seconds(f.asa()), tr) : "–")
        .Set("aht", f.completed ? HumaneDuration(absl::Seconds(f.aht()), tr) : "–")
        // Case tasks are withdrawn when their case closes; that is not an
        // abandon, so they have no abandon rate.
        .Set("abandon_rate", case_tasks || !f.offered ? "–" : Percent(f.abandon_rate()))
        .Flag("case_tasks", case_tasks)
        .Set("offered", absl::StrCat(f.offered))
        .Set("answered", absl::StrCat(f.answered))
        .Set("free", i18n::Substitute(tr("{available} of {agents} free"),
                                      {{"available", absl::StrCat(b.live.available_eligible)},
                                       {"agents", absl::StrCat(agents)}}));
    v.Add("queues", row);
  }
  ONESTOP_ASSIGN_OR_RETURN(std::vector<services::FloorAgent> floor, (*desk)->Floor(actor));
  for (const services::FloorAgent& a : floor) {
    if (a.agent.chosen == routing::Presence::kOffline && a.agent.items.empty()) continue;
    View row;
    std::string state = PresenceWords(a.agent.shown, tr);
    if (a.agent.shown == routing::Presence::kOnBreak && !a.agent.reason.empty()) {
      absl::StrAppend(&state, " (", a.agent.reason, ")");
    }
    row.Set("id", absl::StrCat(a.staff.id)).Set("name", a.staff.display_name)
        .Set("state", std::string(routing::PresenceName(a.agent.shown))).Set("state_words", state)
        .Set("since", absl::StrCat(absl::ToUnixMillis(a.agent.state_since)))
        .Set("in_state", HumaneDuration(now - a.agent.state_since, tr));
    v.Add("agents", row);
  }
  return MakePage("wallboard", N_("Wallboard"), v, "/staff/wallboard");
}

// ---- the floor ----

std::string SkillsWords(const std::vector<domain::Skill>& skills) {
  std::vector<std::string> parts;
  for (const domain::Skill& s : skills) parts.push_back(absl::StrCat(s.code, " ", s.proficiency));
  return absl::StrJoin(parts, ", ");
}

std::string ProfileName(const std::vector<domain::RoutingProfile>& profiles, const std::string& code,
                        const i18n::Translator& tr) {
  for (const domain::RoutingProfile& p : profiles) {
    if (p.code == code) return p.name;
  }
  return tr("Every queue (no profile)");
}

View AgentRow(const services::FloorAgent& a, const std::vector<domain::RoutingProfile>& profiles,
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

Result RenderAgent(WebContext& ctx, const domain::Actor& actor, const i18n::Translator& tr,
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

absl::StatusOr<int64_t> AgentId(http::Request& request) {
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

// ---- queues ----

Result QueueList(WebContext& ctx, const domain::Actor& actor, http::Request& request) {
  ONESTOP_RETURN_IF_ERROR(services::Authorize(actor, services::Permission::kEditRouting));
  const i18n::Translator& tr = *ReaderOf(ctx, request, true).tr;
  ONESTOP_ASSIGN_OR_RETURN(services::RoutingDesk * desk, DeskOf(ctx));
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::RoutingQueue> queues, desk->ListQueues(actor));
  View v;
  v.List("queues");
  for (const domain::RoutingQueue& q : queues) {
    View row;
    auto media = routing::ParseMedia(q.media);
    row.Set("code", q.code).Set("name", q.name)
        .Set("media", media ? MediaWords(*media, tr) : q.media.c_str())
        .Set("target", HumaneDuration(absl::Seconds(q.service_level_seconds), tr))
        .Set("group", q.wallboard_group.empty() ? "–" : q.wallboard_group);
    v.Add("queues", row);
  }
  const std::string flash = request.QueryParam("flash").value_or("");
  if (flash == "saved") v.Set("flash", tr("Queue saved"));
  if (flash == "deleted") v.Set("flash", tr("Queue deleted"));
  return MakePage("routing_queues", N_("Routing queues"), v, "/staff/floor");
}

Result RenderQueue(const domain::Actor& actor, const i18n::Translator& tr, services::RoutingDesk& desk,
                   const domain::RoutingQueue& q, bool is_new, const ErrorMap& errors) {
  ONESTOP_ASSIGN_OR_RETURN(std::vector<std::string> known, desk.KnownSkills(actor));
  View v;
  const std::string heading =
      is_new ? tr("New routing queue") : i18n::Substitute(tr("Edit {name}"), {{"name", q.name}});
  v.Set("heading", heading).Flag("is_new", is_new).Set("code", q.code).Set("version", absl::StrCat(q.version));
  v.Set("action", is_new ? std::string("/staff/routing/queues/new") : "/staff/routing/queues/" + q.code);
  AddErrors(v, errors, {"code", "name", "media", "strategy", "service_level_seconds", "ring_timeout_seconds",
                        "wrap_up_seconds", "priority_weight_seconds", "skill_0", "after_0", "wallboard_group",
                        "wallboard_order", "sl_green_pct", "sl_amber_pct", "wait_amber_seconds",
                        "wait_red_seconds"});
  http::ParamList answers = {{"code", q.code}, {"name", q.name}, {"media", q.media}, {"strategy", q.strategy}};
  if (is_new) v.Add("fields", SimpleField("code", tr("Code"), "input", answers, errors, true,
                                          tr("Lower-case letters, digits and hyphens, for example council-tax. "
                                             "It cannot be changed later.")));
  v.Add("fields", SimpleField("name", tr("Name"), "input", answers, errors));
  v.Add("fields", SimpleField("media", tr("Kind of work"), "radios", answers, errors, true, "", MediaOptions(tr)));
  v.Add("fields", SimpleField("strategy", tr("Who is offered the next one"), "radios", answers, errors, true, "",
                              StrategyOptions(tr)));
  auto number = [&](const char* name, const char* label, int value) {
    View f = Input(name, tr(label), absl::StrCat(value), errors);
    v.Add("numbers", f);
  };
  number("service_level_seconds", N_("Service level target, in seconds"), q.service_level_seconds);
  number("ring_timeout_seconds", N_("Ring time before the next agent is tried, in seconds (0 = no limit)"),
         q.ring_timeout_seconds);
  number("wrap_up_seconds", N_("Wrap-up time, in seconds"), q.wrap_up_seconds);
  number("priority_weight_seconds", N_("Seconds of waiting one point of priority is worth"),
         q.priority_weight_seconds);
  Options skill_options;
  for (const std::string& code : known) skill_options.push_back({code, code});
  const int rows = static_cast<int>(q.skills.size()) + kSkillRowsSpare;
  for (int row = 0; row < rows; ++row) {
    const std::string n = absl::StrCat(row + 1);
    const bool has = row < static_cast<int>(q.skills.size());
    View r;
    r.Child("skill", Select(absl::StrCat("skill_", row), i18n::Substitute(tr("Skill {n}"), {{"n", n}}),
                            skill_options, has ? q.skills[row].skill : "", tr("No skill"), errors));
    r.Child("level", Select(absl::StrCat("level_", row),
                            i18n::Substitute(tr("Lowest level for skill {n}"), {{"n", n}}), LevelOptions(tr),
                            has ? absl::StrCat(q.skills[row].min_level) : "1", "", errors));
    v.Add("skill_rows", r);
  }
  Options keep_options = {{"-1", tr("Keep all the skills")}, {"0", tr("Drop every skill: any agent of the queue")}};
  for (int k = 1; k < 5; ++k) {
    keep_options.push_back({absl::StrCat(k), i18n::Substitute(tr("Keep only the first {n}"), {{"n", absl::StrCat(k)}})});
  }
  Options drop_options;
  for (int d = 0; d <= 4; ++d) drop_options.push_back({absl::StrCat(d), absl::StrCat(d)});
  const int step_rows = static_cast<int>(q.steps.size()) + kStepRowsSpare;
  for (int row = 0; row < step_rows; ++row) {
    const std::string n = absl::StrCat(row + 1);
    const bool has = row < static_cast<int>(q.steps.size());
    View r;
    r.Child("after", Input(absl::StrCat("after_", row), i18n::Substitute(tr("Step {n}: after (seconds)"), {{"n", n}}),
                           has ? absl::StrCat(q.steps[row].after_seconds) : "", errors));
    r.Child("keep", Select(absl::StrCat("keep_", row), i18n::Substitute(tr("Step {n}: skills"), {{"n", n}}),
                           keep_options, has ? absl::StrCat(q.steps[row].keep_skills) : "-1", "", errors));
    r.Child("drop", Select(absl::StrCat("drop_", row),
                           i18n::Substitute(tr("Step {n}: lower each level by"), {{"n", n}}), drop_options,
                           has ? absl::StrCat(q.steps[row].level_drop) : "0", "", errors));
    v.Add("step_rows", r);
  }
  v.Child("group_field", Input("wallboard_group", tr("Wallboard group (optional)"), q.wallboard_group, errors));
  auto board = [&](const char* name, const char* label, int value) {
    v.Add("board_numbers", Input(name, tr(label), absl::StrCat(value), errors));
  };
  board("wallboard_order", N_("Place on the wallboard (lower first)"), q.wallboard_order);
  board("sl_green_pct", N_("Green at a service level of at least (%)"), q.sl_green_pct);
  board("sl_amber_pct", N_("Amber at a service level of at least (%)"), q.sl_amber_pct);
  board("wait_amber_seconds", N_("Amber when the longest wait reaches (seconds, 0 = the target)"),
        q.wait_amber_seconds);
  board("wait_red_seconds", N_("Red when the longest wait reaches (seconds, 0 = twice the amber wait)"),
        q.wait_red_seconds);
  return MakePage("routing_queue_form", heading, v, "/staff/floor", errors);
}

domain::RoutingQueue QueueFromForm(const http::ParamList& form, domain::RoutingQueue q, ErrorMap& errors,
                                   const i18n::Translator& tr) {
  q.name = Trim(FirstValue(form, "name"));
  if (q.name.empty()) errors["name"] = tr("Enter the queue's name");
  q.media = FirstValue(form, "media");
  q.strategy = FirstValue(form, "strategy");
  q.service_level_seconds = IntOf(form, "service_level_seconds", 20, 0, 604800, errors, tr);
  q.ring_timeout_seconds = IntOf(form, "ring_timeout_seconds", 20, 0, 3600, errors, tr);
  q.wrap_up_seconds = IntOf(form, "wrap_up_seconds", 0, 0, 3600, errors, tr);
  q.priority_weight_seconds = IntOf(form, "priority_weight_seconds", 60, 0, 86400, errors, tr);
  q.skills.clear();
  for (int row = 0; row < 50; ++row) {
    const std::string name = absl::StrCat("skill_", row);
    if (std::none_of(form.begin(), form.end(), [&](const auto& p) { return p.first == name; })) break;
    const std::string skill = FirstValue(form, name);
    if (skill.empty()) continue;
    q.skills.push_back({skill, IntOf(form, absl::StrCat("level_", row), 1, 1, 5, errors, tr)});
  }
  q.steps.clear();
  for (int row = 0; row < 50; ++row) {
    const std::string name = absl::StrCat("after_", row);
    if (std::none_of(form.begin(), form.end(), [&](const auto& p) { return p.first == name; })) break;
    if (Trim(FirstValue(form, name)).empty()) continue;
    domain::RoutingStepRule step;
    step.after_seconds = IntOf(form, name, 0, 0, 86400, errors, tr);
    step.keep_skills = IntOf(form, absl::StrCat("keep_", row), -1, -1, 100, errors, tr);
    step.level_drop = IntOf(form, absl::StrCat("drop_", row), 0, 0, 4, errors, tr);
    q.steps.push_back(step);
  }
  std::sort(q.steps.begin(), q.steps.end(),
            [](const auto& a, const auto& b) { return a.after_seconds < b.after_seconds; });
  q.wallboard_group = Trim(FirstValue(form, "wallboard_group"));
  q.wallboard_order = IntOf(form, "wallboard_order", 0, -1000, 1000, errors, tr);
  q.sl_green_pct = IntOf(form, "sl_green_pct", 80, 0, 100, errors, tr);
  q.sl_amber_pct = IntOf(form, "sl_amber_pct", 60, 0, 100, errors, tr);
  q.wait_amber_seconds = IntOf(form, "wait_amber_seconds", 0, 0, 604800, errors, tr);
  q.wait_red_seconds = IntOf(form, "wait_red_seconds", 0, 0, 604800, errors, tr);
  return q;
}

constexpr char kQueueChanged[] =
    N_("Someone else changed this queue while you were editing. Reload the page to see their changes.");

Result QueueEdit(WebContext& ctx, const domain::Actor& actor, http::Request& request) {
  ONESTOP_RETURN_IF_ERROR(services::Authorize(actor, services::Permission::kEditRouting));
  const i18n::Translator& tr = *ReaderOf(ctx, request, true).tr;
  ONESTOP_ASSIGN_OR_RETURN(services::RoutingDesk * desk, DeskOf(ctx));
  const std::string code = request.PathParam("code");
  const bool is_new = code.empty();
  domain::RoutingQueue q;
  if (!is_new) {
    ONESTOP_ASSIGN_OR_RETURN(q, desk->GetQueue(actor, code));
  }
  if (request.method != "POST") return RenderQueue(actor, tr, *desk, q, is_new, {});
  const http::ParamList form = FormBody(request);
  ErrorMap errors;
  domain::RoutingQueue edited = QueueFromForm(form, q, errors, tr);
  if (is_new) {
    edited.code = Trim(FirstValue(form, "code"));
    if (edited.code.empty()) errors["code"] = tr("Enter a code for the queue");
  }
  if (errors.empty()) {
    const int64_t expected = is_new ? 0 : VersionOf(form).value_or(-1);
    absl::StatusOr<domain::RoutingQueue> saved = desk->PutQueue(actor, edited, expected);
    if (saved.ok()) return GoTo("/staff/routing/queues?flash=saved");
    if (!absl::IsInvalidArgument(saved.status()) && !absl::IsAborted(saved.status())) return saved.status();
    if (absl::IsAborted(saved.status()) && is_new) {
      errors["code"] = tr("A queue with this code already exists");
    } else {
      errors = RoutingErrors(saved.status(), tr, kQueueChanged);
    }
    if (absl::IsAborted(saved.status()) && !is_new) {
      // Show what is stored now; the supervisor redoes their change on it.
      absl::StatusOr<domain::RoutingQueue> current = desk->GetQueue(actor, code);
      if (current.ok()) return RenderQueue(actor, tr, *desk, *current, false, errors);
    }
  }
  if (!is_new) edited.version = VersionOf(form).value_or(q.version);
  return RenderQueue(actor, tr, *desk, edited, is_new, errors);
}

Result QueueDelete(WebContext& ctx, const domain::Actor& actor, http::Request& request) {
  ONESTOP_RETURN_IF_ERROR(services::Authorize(actor, services::Permission::kEditRouting));
  const i18n::Translator& tr = *ReaderOf(ctx, request, true).tr;
  ONESTOP_ASSIGN_OR_RETURN(services::RoutingDesk * desk, DeskOf(ctx));
  const std::string code = request.PathParam("code");
  ONESTOP_ASSIGN_OR_RETURN(domain::RoutingQueue q, desk->GetQueue(actor, code));
  absl::Status status = desk->DeleteQueue(actor, code);
  if (status.ok()) return GoTo("/staff/routing/queues?flash=deleted");
  if (!absl::IsFailedPrecondition(status)) return status;
  return RenderQueue(actor, tr, *desk, q, false,
                     {{"", tr("This queue still holds interactions; it can be deleted once it is empty.")}});
}

// ---- profiles ----

Options TeamOptions(WebContext& ctx) {
  Options out;
  auto snapshot = ctx.deps.catalogue.Get();
  if (snapshot.ok()) {
    for (const auto& t : (*snapshot)->teams) out.push_back({t.code, t.name});
  }
  return out;
}

Result ProfileList(WebContext& ctx, const domain::Actor& actor, http::Request& request) {
  ONESTOP_RETURN_IF_ERROR(services::Authorize(actor, services::Permission::kEditRouting));
  const i18n::Translator& tr = *ReaderOf(ctx, request, true).tr;
  ONESTOP_ASSIGN_OR_RETURN(services::RoutingDesk * desk, DeskOf(ctx));
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::RoutingProfile> profiles, desk->ListProfiles(actor));
  const std::map<std::string, std::string> queue_names = QueueNames(*desk, actor);
  std::map<std::string, std::string> team_names;
  for (const auto& [code, name] : TeamOptions(ctx)) team_names[code] = name;
  View v;
  v.List("profiles");
  for (const domain::RoutingProfile& p : profiles) {
    std::vector<std::string> queues;
    for (const domain::RoutingProfileQueue& line : p.queues) {
      auto name = queue_names.find(line.queue);
      queues.push_back(name != queue_names.end() ? name->second : line.queue);
    }
    auto team = team_names.find(p.team);
    View row;
    row.Set("code", p.code).Set("name", p.name)
        .Set("team", p.team.empty() ? tr("Staff whose team has no profile") : team != team_names.end() ? team->second : p.team)
        .Set("queues", queues.empty() ? std::string("–") : absl::StrJoin(queues, ", "));
    v.Add("profiles", row);
  }
  const std::string flash = request.QueryParam("flash").value_or("");
  if (flash == "saved") v.Set("flash", tr("Routing profile saved"));
  if (flash == "deleted") v.Set("flash", tr("Routing profile deleted"));
  return MakePage("routing_profiles", N_("Routing profiles"), v, "/staff/floor");
}

Result RenderProfile(WebContext& ctx, const domain::Actor& actor, const i18n::Translator& tr,
                     services::RoutingDesk& desk, const domain::RoutingProfile& p, bool is_new,
                     const ErrorMap& errors) {
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::RoutingQueue> queues, desk.ListQueues(actor));
  View v;
  const std::string heading =
      is_new ? tr("New routing profile") : i18n::Substitute(tr("Edit {name}"), {{"name", p.name}});
  v.Set("heading", heading).Flag("is_new", is_new).Set("code", p.code).Set("version", absl::StrCat(p.version));
  v.Set("action", is_new ? std::string("/staff/routing/profiles/new") : "/staff/routing/profiles/" + p.code);
  AddErrors(v, errors, {"code", "name", "team", "queues", "capacity"});
  http::ParamList answers = {{"code", p.code}, {"name", p.name}, {"team", p.team}};
  if (is_new) v.Add("fields", SimpleField("code", tr("Code"), "input", answers, errors, true,
                                          tr("Lower-case letters, digits and hyphens, for example contact-centre. "
                                             "It cannot be changed later.")));
  v.Add("fields", SimpleField("name", tr("Name"), "input", answers, errors));
  v.Add("fields", SimpleField("team", tr("Team"), "select", answers, errors, false,
                              tr("Its staff take work by this profile unless they have one of their own"),
                              TeamOptions(ctx)));
  Options priorities;
  for (int n = 1; n <= 9; ++n) priorities.push_back({absl::StrCat(n), absl::StrCat(n)});
  if (auto e = errors.find("queues"); e != errors.end()) v.Set("queues_error", e->second);
  for (size_t idx = 0; idx < queues.size(); ++idx) {
    const domain::RoutingQueue& q = queues[idx];
    const domain::RoutingProfileQueue* line = nullptr;
    for (const auto& l : p.queues) {
      if (l.queue == q.code) line = &l;
    }
    View r;
    r.Set("code", q.code).Set("name", q.name).Set("id", absl::StrCat("f-queue-", idx)).Flag("checked", line != nullptr);
    r.Child("priority", Select(absl::StrCat("priority_", q.code),
                               i18n::Substitute(tr("Priority of {queue} (1 first)"), {{"queue", q.name}}),
                               priorities, line ? absl::StrCat(line->priority) : "1", "", errors));
    r.Child("delay", Input(absl::StrCat("delay_", q.code),
                           i18n::Substitute(tr("Delay for {queue}, in seconds"), {{"queue", q.name}}),
                           line ? absl::StrCat(line->delay_seconds) : "0", errors));
    v.Add("queue_rows", r);
  }
  for (int m = 0; m < routing::kMediaCount; ++m) {
    const auto media = static_cast<routing::Media>(m);
    v.Add("capacity", Input(absl::StrCat("capacity_", std::string(routing::MediaName(media))),
                            i18n::Substitute(tr("{media} at once"), {{"media", MediaWords(media, tr)}}),
                            absl::StrCat(p.capacity[m]), errors));
  }
  return MakePage("routing_profile_form", heading, v, "/staff/floor", errors);
}

constexpr char kProfileChanged[] =
    N_("Someone else changed this routing profile while you were editing. Reload the page to see their changes.");

Result ProfileEdit(WebContext& ctx, const domain::Actor& actor, http::Request& request) {
  ONESTOP_RETURN_IF_ERROR(services::Authorize(actor, services::Permission::kEditRouting));
  const i18n::Translator& tr = *ReaderOf(ctx, request, true).tr;
  ONESTOP_ASSIGN_OR_RETURN(services::RoutingDesk * desk, DeskOf(ctx));
  const std::string code = request.PathParam("code");
  const bool is_new = code.empty();
  domain::RoutingProfile p;
  if (!is_new) {
    ONESTOP_ASSIGN_OR_RETURN(p, desk->GetProfile(actor, code));
  }
  if (request.method != "POST") return RenderProfile(ctx, actor, tr, *desk, p, is_new, {});
  const http::ParamList form = FormBody(request);
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::RoutingQueue> queues, desk->ListQueues(actor));
  ErrorMap errors;
  domain::RoutingProfile edited = p;
  if (is_new) {
    edited.code = Trim(FirstValue(form, "code"));
    if (edited.code.empty()) errors["code"] = tr("Enter a code for the routing profile");
  }
  edited.name = Trim(FirstValue(form, "name"));
  if (edited.name.empty()) errors["name"] = tr("Enter the routing profile's name");
  edited.team = FirstValue(form, "team");
  std::set<std::string> chosen;
  for (const auto& [k, value] : form) {
    if (k == "queues") chosen.insert(value);
  }
  edited.queues.clear();
  for (const domain::RoutingQueue& q : queues) {
    if (!chosen.contains(q.code)) continue;
    edited.queues.push_back({q.code, IntOf(form, "priority_" + q.code, 1, 1, 99, errors, tr),
                             IntOf(form, "delay_" + q.code, 0, 0, 86400, errors, tr)});
  }
  for (int m = 0; m < routing::kMediaCount; ++m) {
    edited.capacity[m] = IntOf(form, absl::StrCat("capacity_", std::string(routing::MediaName(static_cast<routing::Media>(m)))),
                               edited.capacity[m], 0, 50, errors, tr);
  }
  if (errors.empty()) {
    const int64_t expected = is_new ? 0 : VersionOf(form).value_or(-1);
    absl::StatusOr<domain::RoutingProfile> saved = desk->PutProfile(actor, edited, expected);
    if (saved.ok()) return GoTo("/staff/routing/profiles?flash=saved");
    if (!absl::IsInvalidArgument(saved.status()) && !absl::IsAborted(saved.status())) return saved.status();
    if (absl::IsAborted(saved.status()) && is_new) {
      errors["code"] = tr("A routing profile with this code already exists");
    } else {
      errors = RoutingErrors(saved.status(), tr, kProfileChanged);
    }
    if (absl::IsAborted(saved.status()) && !is_new) {
      absl::StatusOr<domain::RoutingProfile> current = desk->GetProfile(actor, code);
      if (current.ok()) return RenderProfile(ctx, actor, tr, *desk, *current, false, errors);
    }
  }
  if (!is_new) edited.version = VersionOf(form).value_or(p.version);
  return RenderProfile(ctx, actor, tr, *desk, edited, is_new, errors);
}

Result ProfileDelete(WebContext& ctx, const domain::Actor& actor, http::Request& request) {
  ONESTOP_RETURN_IF_ERROR(services::Authorize(actor, services::Permission::kEditRouting));
  ONESTOP_ASSIGN_OR_RETURN(services::RoutingDesk * desk, DeskOf(ctx));
  ONESTOP_RETURN_IF_ERROR(desk->DeleteProfile(actor, request.PathParam("code")));
  return GoTo("/staff/routing/profiles?flash=deleted");
}

}  // namespace

void RegisterSupervisorPages(http::Router& router, WebContext& ctx) {
  using Fn = Result (*)(WebContext&, const domain::Actor&, http::Request&);
  auto add = [&](const char* method, const char* pattern, Fn fn) {
    AddStaffRoute(router, ctx, method, pattern,
                  [&ctx, fn](const domain::Actor& actor, http::Request& r) { return fn(ctx, actor, r); });
  };
  add("GET", "/staff/wallboard", WallboardPage);
  add("GET", "/staff/floor", FloorPage);
  add("GET", "/staff/floor/agents/{id}", AgentPage);
  add("POST", "/staff/floor/agents/{id}", AgentPage);
  add("POST", "/staff/floor/agents/{id}/state", AgentStatePost);
  add("GET", "/staff/routing/queues", QueueList);
  add("GET", "/staff/routing/queues/new", QueueEdit);
  add("POST", "/staff/routing/queues/new", QueueEdit);
  add("GET", "/staff/routing/queues/{code}", QueueEdit);
  add("POST", "/staff/routing/queues/{code}", QueueEdit);
  add("POST", "/staff/routing/queues/{code}/delete", QueueDelete);
  add("GET", "/staff/routing/profiles", ProfileList);
  add("GET", "/staff/routing/profiles/new", ProfileEdit);
  add("POST", "/staff/routing/profiles/new", ProfileEdit);
  add("GET", "/staff/routing/profiles/{code}", ProfileEdit);
  add("POST", "/staff/routing/profiles/{code}", ProfileEdit);
  add("POST", "/staff/routing/profiles/{code}/delete", ProfileDelete);
}

}  // namespace onestop::web
