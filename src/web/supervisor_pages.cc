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
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "web/routing_words.h"
#include "web/supervisor_internal.h"

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

namespace supervisor_internal {

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


}  // namespace supervisor_internal

using namespace supervisor_internal;

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
