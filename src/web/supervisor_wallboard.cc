// /staff/wallboard: the wall display — a tile per queue (voice first, then
// the wallboard groups and order), red/amber/green in words and shapes as
// well as colour, and every signed-in agent with time in state;
// web/assets/wallboard.mjs keeps it live from /staff/ws/wallboard.

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

// ---- the wallboard ----

static std::string RagWords(std::string_view rag, const i18n::Translator& tr) {
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

}  // namespace onestop::web::supervisor_internal
