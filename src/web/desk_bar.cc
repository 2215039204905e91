// The interaction bar: the agent's state and current interactions (calls,
// chats, emails, visitors, case tasks) on every staff page, with the
// actions each medium allows — accept or reject an offer; for a connected
// interaction: link it to the resident on screen, transfer it to a queue or
// a colleague picked from a list, put it back in its queue, or complete it
// with a wrap-up (disposition + service). Rendered on the server into every
// staff page (so it survives page loads and reads as a status strip without
// JavaScript); web/assets/desk.mjs re-fetches it (GET /staff/desk/bar) when
// the desk WebSocket says something changed, ticks its timers and submits
// its forms in place. The forms also work without JavaScript: they post,
// and come back to the page they were on; a refused form shows /staff/desk
// with the errors.

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "api/support.h"
#include "common/status.h"
#include "absl/strings/str_split.h"
#include "common/time_format.h"
#include "domain/service.h"
#include "i18n/field_errors.h"
#include "services/catalogue.h"
#include "services/permissions.h"
#include "services/routing.h"
#include "web/context.h"
#include "web/routing_pages.h"
#include "web/routing_words.h"
#include "web/form_fields.h"
#include "web/staff_internal.h"

namespace onestop::web::staff_internal {
namespace {

// "4:05" or "1:02:05", as the bar's timers show (desk.mjs ticks them on).
std::string Clock(absl::Duration d) {
  int64_t s = std::max<int64_t>(0, absl::ToInt64Seconds(d));
  if (s >= 3600) return absl::StrFormat("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  return absl::StrFormat("%d:%02d", s / 60, s % 60);
}

// Only paths of the staff desktop: a form never sends anyone elsewhere.
std::string SafeReturn(const std::string& to) {
  if (to.size() > 1000 || !to.starts_with("/staff") || to.starts_with("//") ||
      to.find_first_of("\r\n\\") != std::string::npos || to.starts_with("/staff/desk/")) {
    return "/staff";
  }
  return to;
}

services::RoutingDesk* DeskOf(WebContext& ctx) {
  if (!ctx.routing_hub || !ctx.routing_hub->leading()) return nullptr;
  return &ctx.routing_hub->desk();
}

}  // namespace

std::optional<View> DeskBarView(WebContext& ctx, const Staff& staff, const ErrorMap& errors,
                                const std::string& open_panel) {
  services::RoutingDesk* desk = DeskOf(ctx);
  if (desk == nullptr || !services::Authorize(staff.actor, services::Permission::kRouteWork).ok() ||
      staff.actor.staff_id <= 0) {
    return std::nullopt;
  }
  absl::StatusOr<services::AgentDesk> state = desk->Desk(staff.actor);
  if (!state.ok()) return std::nullopt;
  const i18n::Translator& tr = staff.tr();
  const absl::Time now = ctx.deps.clock.Now();
  View v;
  v.Set("csrf_token", staff.csrf).Set("return_to", SafeReturn(staff.path));
  const routing::AgentView& agent = state->agent;
  v.Set("state", std::string(routing::PresenceName(agent.shown)));
  std::string state_text = i18n::Substitute(tr("You are {state}"), {{"state", PresenceWords(agent.shown, tr)}});
  if (agent.shown == routing::Presence::kOnBreak && !agent.reason.empty()) {
    state_text = i18n::Substitute(tr("You are on a break ({reason})"), {{"reason", agent.reason}});
  }
  v.Set("state_text", state_text);
  if (agent.state_since != absl::Time() && agent.state_since != absl::InfinitePast()) {
    v.Set("state_since", FormatRfc3339(agent.state_since)).Set("state_clock", Clock(now - agent.state_since));
  }
  v.Flag("wrap_up", agent.shown == routing::Presence::kWrapUp);
  v.List("presence");
  for (auto [presence, label] : {std::pair{routing::Presence::kAvailable, tr("Go available")},
                                 std::pair{routing::Presence::kOnBreak, tr("Take a break")},
                                 std::pair{routing::Presence::kOffline, tr("Go offline")}}) {
    if (agent.chosen == presence) continue;
    View b;
    b.Set("value", std::string(routing::PresenceName(presence))).Set("label", label);
    v.Add("presence", b);
  }

  // Lists the forms share: transfer targets and the catalogue.
  absl::StatusOr<services::TransferTargets> targets = desk->Targets(staff.actor);
  std::vector<const domain::Service*> services;
  auto catalogue = ctx.deps.catalogue.Get();
  if (catalogue.ok()) {
    for (const domain::Service& s : (*catalogue)->services) {
      if (s.active) services.push_back(&s);
    }
    std::sort(services.begin(), services.end(), [&](const domain::Service* a, const domain::Service* b) {
      return domain::NameIn(*a, tr.lang()) < domain::NameIn(*b, tr.lang());
    });
  }

  v.List("items");
  bool connected_any = false;
  for (const services::DeskItem& d : state->items) {
    const routing::ItemView& item = d.item;
    const bool offered = item.state == routing::ItemState::kOffered;
    const bool connected = item.state == routing::ItemState::kConnected;
    connected_any = connected_any || connected;
    View row;
    const std::string id = absl::StrCat(item.id);
    row.Set("id", id).Set("media", std::string(routing::MediaName(item.media)));
    std::string queue_name = item.queue;
    if (targets.ok()) {
      for (const auto& q : targets->queues) {
        if (q.id == item.queue && !q.name.empty()) queue_name = q.name;
      }
    }
    row.Set("queue_name", queue_name);
    row.Set("heading", i18n::Substitute(offered ? tr("Incoming: {what}") : tr("{what} in progress"),
                                        {{"what", MediaWords(item.media, tr)}}));
    row.Flag("offered", offered).Flag("connected", connected);
    row.Flag("complete_open", open_panel == "complete-" + id).Flag("transfer_open", open_panel == "transfer-" + id);
    row.Set("caller", item.caller);
    const absl::Time since = connected && item.connected_at != absl::Time() ? item.connected_at : item.entered_at;
    row.Set("since", FormatRfc3339(since)).Set("clock", Clock(now - since));
    const bool case_task = item.media == routing::Media::kCaseTask;
    row.Flag("case_task", case_task);
    // A call the telephone channel (src/sip) rings on the agent's phone: the
    // phone answers it; the bar can still pass it on or end it.
    const bool phone_call = item.media == routing::Media::kVoice && absl::StartsWith(item.reference, "call:");
    row.Flag("phone_call", phone_call);
    // An email (services/mail_intake.h): the message it came in.
    if (item.media == routing::Media::kEmail && absl::StartsWith(item.reference, "mail:")) {
      row.Set("mail_href", absl::StrCat("/staff/mail/", item.reference.substr(5)));
    }
    if (phone_call && connected && ctx.calls != nullptr) {
      // Hold, hang up and the recording pause, while this node carries the call.
      std::optional<services::CallState> call =
          services::ControlCall(ctx.routing_hub->engine(), ctx.calls).State(staff.actor, item.id);
      // Hung up (by either side, or lost with the node that carried it):
      // the interaction waits for the agent to complete it.
      if (!call || (!call->bridged && !call->callback && !call->outbound)) {
        row.Set("heading", tr("Call ended")).Flag("call_ended", true);
      }
      if (call) {
        row.Flag("call_live", call->bridged).Flag("on_hold", call->on_hold);
        row.Flag("recording", call->recording && call->bridged).Flag("recording_paused", call->recording_paused);
        if (call->callback && !call->bridged) row.Flag("calling_back", true);
        if (call->outbound) {
          row.Flag("call_out", true);
          row.Set("heading", tr("Call out in progress"));
        }
        if (call->consult_agent_id != 0) {
          std::string name = absl::StrCat(call->consult_agent_id);
          if (targets.ok()) {
            for (const auto& a : targets->agents) {
              if (a.id == call->consult_agent_id) name = a.name;
            }
          }
          row.Flag("consulting", true).Flag("consult_connected", call->consult_connected);
          row.Set("consult_text", i18n::Substitute(call->consult_connected ? tr("Talking to {name}: the caller is on hold.")
                                                                           : tr("Ringing {name}: the caller is on hold."),
                                                   {{"name", name}}));
        }
      }
    }
    if (case_task && !item.reference.empty()) {
      row.Set("case_reference", item.reference).Set("case_href", "/staff/cases/" + item.reference);
    }
    if (d.citizen) {
      row.Set("citizen_name", d.citizen->name)
          .Set("citizen_href", absl::StrCat("/staff/citizens/", d.citizen->citizen_id));
    }
    const bool linked = d.contact && d.contact->citizen_id;
    if (connected && !case_task && staff.viewing_citizen > 0 &&
        (!linked || *d.contact->citizen_id != staff.viewing_citizen)) {
      row.Set("link_citizen_id", absl::StrCat(staff.viewing_citizen))
          .Set("link_text", i18n::Substitute(tr("This {what} is with {name}"),
                                             {{"what", MediaWords(item.media, tr)}, {"name", staff.viewing_name}}));
    }
    if (connected && !case_task && !d.citizen) row.Flag("unmatched", true);
    if (d.contact && d.contact->case_id) {
      row.Flag("case_raised", true);
    }
    if (connected) {
      // The wrap-up: the codes for this queue (and service, when known).
      const std::string service_code = d.contact ? d.contact->service_code : "";
      if (!case_task) {
        row.Flag("wrap", true);
        for (const domain::Disposition* disp : desk->DispositionsFor(item, "")) {
          View o;
          o.Set("value", disp->code).Set("label", domain::NameIn(*disp, tr.lang()));
          row.Add("dispositions", o);
        }
        View none;
        none.Set("value", "").Set("label", tr("Choose the service")).Flag("selected", service_code.empty());
        row.Add("services", none);
        for (const domain::Service* s : services) {
          View o;
          o.Set("value", s->code).Set("label", domain::NameIn(*s, tr.lang())).Flag("selected", s->code == service_code);
          row.Add("services", o);
        }
      }
      if (targets.ok()) {
        for (const auto& q : targets->queues) {
          if (q.id == item.queue) continue;
          View o;
          o.Set("value", "queue:" + q.id).Set("label", q.name.empty() ? q.id : q.name);
          row.Add("transfer_queues", o);
        }
        for (const auto& a : targets->agents) {
          View o;
          o.Set("value", absl::StrCat("agent:", a.id))
              .Set("label", i18n::Substitute(tr("{name} ({state})"),
                                             {{"name", a.name}, {"state", PresenceWords(a.shown, tr)}}));
          row.Add("transfer_agents", o);
        }
      }
    }
    v.Add("items", row);
  }
  v.Flag("busy", connected_any);
  v.List("errors");
  for (const auto& [field, text] : errors) {
    View e;
    e.Set("text", text);
    v.Add("errors", e);
  }
  return v;
}

namespace {

http::Response Back(const Staff& staff, const http::ParamList& form) {
  (void)staff;
  return Redirect(SafeReturn(FirstValue(form, "return_to")));
}

// The page a refused desk form shows without JavaScript, or the bar alone
// for desk.mjs (X-Desk-Fragment: 1).
http::Response Refused(WebContext& ctx, http::Request& request, Staff& staff, const absl::Status& status,
                       ErrorMap errors = {}) {
  const i18n::Translator& tr = staff.tr();
  for (const FieldError& e : FieldErrorsOf(status)) errors[e.field] = i18n::FieldErrorText(e, tr);
  if (errors.empty()) {
    const int code = api::HttpStatusOf(status);
    if (code >= 500) return StatusPage(ctx, staff, status);
    errors[""] = code == 404 ? tr("That interaction has ended or moved on.")
                             : tr("That cannot be done now. The bar shows what is happening.");
  }
  staff.path = SafeReturn(FirstValue(FormBody(request), "return_to"));
  const std::string open_panel = absl::StrCat(request.PathParam("action"), "-", request.PathParam("id"));
  std::optional<View> bar = DeskBarView(ctx, staff, errors, open_panel);
  if (request.Header("X-Desk-Fragment")) {
    if (!bar) return http::Response::Html(409, "");
    return http::Response::Html(400, ctx.templates->Render("desk_bar", *bar, tr));
  }
  View v;
  v.Set("back_href", staff.path);
  if (bar) v.Set("bar_html", ctx.templates->Render("desk_bar", *bar, tr));
  return StaffPage(ctx, staff, 400, "desk", N_("Your calls and work"), v, "", true);
}

http::Response Done(WebContext& ctx, http::Request& request, Staff& staff, const absl::Status& status) {
  if (!status.ok()) return Refused(ctx, request, staff, status);
  const http::ParamList form = FormBody(request);
  if (request.Header("X-Desk-Fragment")) {
    staff.path = SafeReturn(FirstValue(form, "return_to"));
    int64_t viewing = 0;
    if (absl::SimpleAtoi(FirstValue(form, "viewing_citizen"), &viewing) && viewing > 0) {
      staff.viewing_citizen = viewing;
      staff.viewing_name = FirstValue(form, "viewing_name");
    }
    std::optional<View> bar = DeskBarView(ctx, staff, {});
    if (!bar) return http::Response::Html(409, "");
    http::Response response = http::Response::Html(200, ctx.templates->Render("desk_bar", *bar, staff.tr()));
    response.SetHeader("Cache-Control", "no-store");
    return response;
  }
  return Back(staff, form);
}

bool ItemId(http::Request& request, int64_t* id) {
  return absl::SimpleAtoi(request.PathParam("id"), id) && *id > 0;
}

}  // namespace

http::Response DeskBarGet(WebContext& ctx, http::Request& request, Staff& staff) {
  staff.path = SafeReturn(request.QueryParam("return_to").value_or("/staff"));
  int64_t viewing = 0;
  if (absl::SimpleAtoi(request.QueryParam("viewing_citizen").value_or(""), &viewing) && viewing > 0) {
    auto citizen = ctx.get_citizen.Run(staff.actor, viewing);
    if (citizen.ok()) {
      staff.viewing_citizen = citizen->id;
      staff.viewing_name = citizen->DisplayName();
    }
  }
  std::optional<View> bar = DeskBarView(ctx, staff, {});
  if (!bar) return http::Response::Html(409, "");
  http::Response response = http::Response::Html(200, ctx.templates->Render("desk_bar", *bar, staff.tr()));
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

http::Response DeskPage(WebContext& ctx, http::Request& request, Staff& staff) {
  (void)request;
  staff.path = "/staff/desk";
  View v;
  v.Set("back_href", "/staff");
  std::optional<View> bar = DeskBarView(ctx, staff, {});
  if (bar) v.Set("bar_html", ctx.templates->Render("desk_bar", *bar, staff.tr()));
  return StaffPage(ctx, staff, 200, "desk", N_("Your calls and work"), v, "");
}

http::Response DeskPresencePost(WebContext& ctx, http::Request& request, Staff& staff) {
  services::RoutingDesk* desk = DeskOf(ctx);
  if (desk == nullptr) return StatusPage(ctx, staff, absl::UnavailableError("routing"));
  const http::ParamList form = FormBody(request);
  const std::string presence = FirstValue(form, "presence");
  const std::string reason = presence == "on_break" ? FirstValue(form, "reason") : "";
  return Done(ctx, request, staff,
              desk->SetPresence(staff.actor, presence, reason.empty() && presence == "on_break" ? "break" : reason)
                  .status());
}

http::Response DeskEndWrapUpPost(WebContext& ctx, http::Request& request, Staff& staff) {
  services::RoutingDesk* desk = DeskOf(ctx);
  if (desk == nullptr) return StatusPage(ctx, staff, absl::UnavailableError("routing"));
  return Done(ctx, request, staff, desk->EndWrapUp(staff.actor));
}

http::Response DeskItemPost(WebContext& ctx, http::Request& request, Staff& staff) {
  services::RoutingDesk* desk = DeskOf(ctx);
  if (desk == nullptr) return StatusPage(ctx, staff, absl::UnavailableError("routing"));
  int64_t id = 0;
  if (!ItemId(request, &id)) return StatusPage(ctx, staff, absl::NotFoundError(""));
  const http::ParamList form = FormBody(request);
  const std::string action = request.PathParam("action");
  absl::Status status;
  if (action == "accept") {
    status = desk->Accept(staff.actor, id);
  } else if (action == "reject") {
    status = desk->Reject(staff.actor, id);
  } else if (action == "requeue") {
    status = desk->Requeue(staff.actor, id);
  } else if (action == "complete") {
    services::WrapUp wrap_up;
    wrap_up.disposition = FirstValue(form, "disposition");
    wrap_up.service_code = FirstValue(form, "service_code");
    wrap_up.note = FirstValue(form, "note");
    absl::StatusOr<services::DeskItem> item = desk->GetInteraction(staff.actor, id);
    // The desk asks for a disposition wherever the council has codes for it.
    wrap_up.require_disposition = item.ok() && !desk->DispositionsFor(item->item, "").empty();
    status = desk->Complete(staff.actor, id, wrap_up);
  } else if (action == "transfer") {
    const std::string target = FirstValue(form, "target");
    int64_t agent_id = 0;
    if (target.starts_with("queue:")) {
      status = desk->TransferToQueue(staff.actor, id, target.substr(6));
    } else if (target.starts_with("agent:") && absl::SimpleAtoi(target.substr(6), &agent_id)) {
      status = desk->TransferToAgent(staff.actor, id, agent_id);
    } else {
      status = InvalidFields("The transfer is not valid", {{"target", "required", "queue_or_agent", {}}});
    }
  } else if (action == "hold" || action == "resume" || action == "hangup" || action == "pause-recording" ||
             action == "resume-recording") {
    using Action = services::ControlCall::Action;
    const Action a = action == "hold"              ? Action::kHold
                     : action == "resume"          ? Action::kResume
                     : action == "hangup"          ? Action::kHangUp
                     : action == "pause-recording" ? Action::kPauseRecording
                                                   : Action::kResumeRecording;
    status = services::ControlCall(ctx.routing_hub->engine(), ctx.calls).Run(staff.actor, id, a);
  } else if (action == "consult" || action == "consult-complete" || action == "consult-cancel") {
    services::ControlCall control(ctx.routing_hub->engine(), ctx.calls);
    if (action == "consult-complete") {
      status = control.Run(staff.actor, id, services::ControlCall::Action::kCompleteConsult);
    } else if (action == "consult-cancel") {
      status = control.Run(staff.actor, id, services::ControlCall::Action::kCancelConsult);
    } else {
      const std::string target = FirstValue(form, "target");
      int64_t agent_id = 0;
      if (target.starts_with("agent:") && absl::SimpleAtoi(target.substr(6), &agent_id)) {
        status = control.Consult(staff.actor, id, agent_id);
      } else {
        status = InvalidFields("The consult is not valid", {{"target", "required", "colleague", {}}});
      }
    }
  } else if (action == "citizen") {
    int64_t citizen_id = 0;
    if (!absl::SimpleAtoi(FirstValue(form, "citizen_id"), &citizen_id) || citizen_id <= 0) {
      status = absl::NotFoundError("no such resident");
    } else {
      status = desk->LinkCitizen(staff.actor, id, citizen_id);
    }
  } else {
    return StatusPage(ctx, staff, absl::NotFoundError(""));
  }
  return Done(ctx, request, staff, status);
}

bool CanDial(WebContext& ctx, const Staff& staff) {
  return ctx.calls != nullptr && DeskOf(ctx) != nullptr &&
         services::Authorize(staff.actor, services::Permission::kRouteWork).ok() && staff.actor.staff_id > 0;
}

http::Response DeskDialPost(WebContext& ctx, http::Request& request, Staff& staff) {
  services::RoutingDesk* desk = DeskOf(ctx);
  if (desk == nullptr) return StatusPage(ctx, staff, absl::UnavailableError("routing"));
  const http::ParamList form = FormBody(request);
  std::optional<int64_t> citizen_id;
  int64_t id = 0;
  if (absl::SimpleAtoi(FirstValue(form, "citizen_id"), &id) && id > 0) {
    // Only a resident the agent may read.
    if (absl::Status s = ctx.get_citizen.Run(staff.actor, id).status(); !s.ok()) return Done(ctx, request, staff, s);
    citizen_id = id;
  }
  absl::StatusOr<int64_t> dialled =
      services::DialNumber(ctx.routing_hub->engine(), ctx.calls).Run(staff.actor, FirstValue(form, "number"), citizen_id);
  if (!dialled.ok() && dialled.status().code() == absl::StatusCode::kFailedPrecondition) {
    // Why the phone cannot ring, in the agent's words.
    const i18n::Translator& tr = staff.tr();
    const absl::string_view why = dialled.status().message();
    ErrorMap errors;
    errors[""] = absl::StrContains(why, "no phone")     ? tr("Register your phone first: the call rings it before the resident's.")
                 : absl::StrContains(why, "on a call")  ? tr("Finish the call you are on first.")
                 : absl::StrContains(why, "sign in")    ? tr("Sign in to take calls (Available) first.")
                                                        : tr("Calls out are not set up on this server.");
    return Refused(ctx, request, staff, dialled.status(), std::move(errors));
  }
  return Done(ctx, request, staff, dialled.status());
}

std::optional<int64_t> CurrentInteraction(WebContext& ctx, const Staff& staff, int64_t citizen_id) {
  services::RoutingDesk* desk = DeskOf(ctx);
  if (desk == nullptr) return std::nullopt;
  absl::StatusOr<services::AgentDesk> state = desk->Desk(staff.actor);
  if (!state.ok()) return std::nullopt;
  std::vector<const services::DeskItem*> open;
  for (const services::DeskItem& d : state->items) {
    if (d.item.state != routing::ItemState::kConnected || !services::ChannelOfMedia(d.item.media)) continue;
    if (d.contact && d.contact->citizen_id == citizen_id) return d.item.id;
    if (!d.contact || !d.contact->citizen_id) open.push_back(&d);
  }
  // One interaction with nobody linked yet: it is this resident's.
  if (open.size() == 1) return open.front()->item.id;
  return std::nullopt;
}

}  // namespace onestop::web::staff_internal
