// The wallboard (/staff/wallboard, supervisors and admins) and the routing
// WebSocket channels of the staff desktop: /staff/ws/wallboard pushes the
// wallboard's figures, /staff/ws/desk pushes an agent's offers (with the
// caller matched to a resident) and takes the agent's commands. Both are
// authenticated by the staff session cookie (Path=/staff, so the browser
// sends it with the upgrade).
#include <algorithm>
#include <chrono>
#include <utility>

#include <boost/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "api/routing_json.h"
#include "api/support.h"
#include "common/time_format.h"
#include "services/permissions.h"
#include "web/context.h"

namespace onestop::web {
namespace {

constexpr auto kMinInterval = std::chrono::milliseconds(250);
constexpr auto kRefresh = std::chrono::seconds(5);

std::string Percent(double share) { return absl::StrFormat("%.0f%%", share * 100); }

std::string Duration(double seconds) {
  const int64_t total = static_cast<int64_t>(seconds + 0.5);
  if (total < 60) return absl::StrCat(total, " s");
  if (total < 3600) return absl::StrCat(total / 60, " min ", total % 60, " s");
  return absl::StrCat(total / 3600, " h ", (total % 3600) / 60, " min");
}

std::string AgentsInWords(const routing::QueueView& live) {
  const auto& n = live.agents_by_state;
  auto at = [&n](routing::Presence p) { return n[static_cast<int>(p)]; };
  return absl::StrCat(at(routing::Presence::kAvailable), " available, ", at(routing::Presence::kBusy),
                      " busy, ", at(routing::Presence::kWrapUp), " wrap-up, ",
                      at(routing::Presence::kOnBreak), " on break, ", at(routing::Presence::kOffline),
                      " offline");
}

class WallboardSocket : public http::WebSocketHandler {
 public:
  WallboardSocket(RoutingHub& hub, domain::Actor actor) : hub_(hub), actor_(std::move(actor)) {}
  void OnOpen(std::shared_ptr<http::WebSocketSession> session) override {
    session_ = session;
    hub_.AddWallboard(session, actor_);
  }
  void OnClose() override { hub_.Remove(session_.get()); }

 private:
  RoutingHub& hub_;
  domain::Actor actor_;
  std::shared_ptr<http::WebSocketSession> session_;
};

class DeskSocket : public http::WebSocketHandler {
 public:
  DeskSocket(RoutingHub& hub, domain::Actor actor) : hub_(hub), actor_(std::move(actor)) {}
  void OnOpen(std::shared_ptr<http::WebSocketSession> session) override {
    session_ = session;
    hub_.AddDesk(session, actor_);
  }
  void OnText(const std::string& text) override { hub_.Command(session_, actor_, text); }
  void OnClose() override { hub_.Remove(session_.get()); }

 private:
  RoutingHub& hub_;
  domain::Actor actor_;
  std::shared_ptr<http::WebSocketSession> session_;
};

http::WebSocketUpgrade Refuse(int status, const std::string& detail) {
  http::WebSocketUpgrade out;
  out.refusal = http::ProblemResponse(status, detail);
  return out;
}

// The staff session cookie (browsers), else "Authorization: Bearer <session
// token>" (other clients: the token of POST /api/v1/session).
std::optional<domain::Actor> SocketActor(WebContext& ctx, const http::Request& request) {
  if (std::optional<domain::Actor> actor = SignedInStaff(ctx, request)) return actor;
  std::optional<std::string> header = request.Header("Authorization");
  if (!header || !header->starts_with("Bearer ")) return std::nullopt;
  absl::StatusOr<domain::Actor> actor = ctx.authenticate.Run(header->substr(7));
  if (!actor.ok()) return std::nullopt;
  return *actor;
}

absl::StatusOr<StaffPageResult> WallboardPage(WebContext& ctx, const domain::Actor& actor) {
  ONESTOP_RETURN_IF_ERROR(services::Authorize(actor, services::Permission::kSuperviseRouting));
  StaffPageResult page;
  page.template_name = "wallboard";
  page.title = "Wallboard";
  page.current = "/staff/wallboard";
  View& v = page.view;
  const absl::Time now = ctx.deps.clock.Now();
  v.Set("as_of", FormatDateTime(now));
  v.List("queues");
  if (!ctx.routing_hub) {
    v.Flag("unavailable", true);
    return page;
  }
  if (!ctx.routing_hub->leading()) {
    v.Flag("unavailable", true).Flag("standby", true);
    return page;
  }
  ONESTOP_ASSIGN_OR_RETURN(std::vector<services::QueueBoard> boards,
                           ctx.routing_hub->desk().Wallboard(actor));
  v.Flag("has_queues", !boards.empty());
  for (const services::QueueBoard& b : boards) {
    const routing::QueueFigures& f = b.today;
    View row;
    row.Set("code", b.config.id)
        .Set("name", b.config.name.empty() ? b.config.id : b.config.name)
        .Set("waiting", absl::StrCat(b.live.waiting))
        .Set("longest_wait", b.live.waiting > 0 ? Duration(absl::ToDoubleSeconds(now - b.live.oldest_entered_at))
                                                : "none waiting")
        .Set("service_level", f.offered ? Percent(f.service_level()) : "–")
        .Set("threshold", absl::StrCat(b.config.service_level_seconds))
        .Set("asa", f.answered ? Duration(f.asa()) : "–")
        .Set("aht", f.completed ? Duration(f.aht()) : "–")
        .Set("abandon_rate", f.offered ? Percent(f.abandon_rate()) : "–")
        .Set("occupancy", Percent(b.occupancy))
        .Set("offered", absl::StrCat(f.offered))
        .Set("agents", AgentsInWords(b.live));
    v.Add("queues", row);
  }
  return page;
}

}  // namespace

// The wallboard page (listed in templates.cc's table). Each figure's
// definition is written under the table; wallboard.mjs replaces the rows
// with each message of /staff/ws/wallboard, and without JavaScript the page
// shows the figures of the moment it was loaded.
extern const char* const kWallboardTemplate = R"TPL(
<h1 class="govuk-heading-l">Wallboard</h1>
<p class="govuk-body" id="wallboard-status" aria-live="polite">Figures as of {{as_of}}. Reload the page to update them, or keep it open with JavaScript on to see them change as they happen.</p>
{{#unavailable}}{{#standby}}<p class="govuk-body">This server is a standby: routing runs on one server at a time. Reload to reach the one running it.</p>{{/standby}}{{^standby}}<p class="govuk-body">Routing is not running on this server.</p>{{/standby}}{{/unavailable}}
{{#has_queues}}
<table class="govuk-table onestop-wallboard" id="wallboard">
<caption class="govuk-table__caption govuk-table__caption--m">Queues now and today</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row">
<th scope="col" class="govuk-table__header">Queue</th>
<th scope="col" class="govuk-table__header govuk-table__header--numeric">Waiting</th>
<th scope="col" class="govuk-table__header govuk-table__header--numeric">Longest wait</th>
<th scope="col" class="govuk-table__header govuk-table__header--numeric">Service level</th>
<th scope="col" class="govuk-table__header govuk-table__header--numeric">ASA</th>
<th scope="col" class="govuk-table__header govuk-table__header--numeric">AHT</th>
<th scope="col" class="govuk-table__header govuk-table__header--numeric">Abandon rate</th>
<th scope="col" class="govuk-table__header govuk-table__header--numeric">Occupancy</th>
<th scope="col" class="govuk-table__header">Agents</th>
</tr></thead>
<tbody class="govuk-table__body" id="wallboard-rows">
{{#queues}}<tr class="govuk-table__row" data-queue="{{code}}">
<th scope="row" class="govuk-table__header">{{name}}</th>
<td class="govuk-table__cell govuk-table__cell--numeric" data-field="waiting">{{waiting}}</td>
<td class="govuk-table__cell govuk-table__cell--numeric" data-field="longest_wait">{{longest_wait}}</td>
<td class="govuk-table__cell govuk-table__cell--numeric" data-field="service_level">{{service_level}} <span class="govuk-body-s">in {{threshold}} s</span></td>
<td class="govuk-table__cell govuk-table__cell--numeric" data-field="asa">{{asa}}</td>
<td class="govuk-table__cell govuk-table__cell--numeric" data-field="aht">{{aht}}</td>
<td class="govuk-table__cell govuk-table__cell--numeric" data-field="abandon_rate">{{abandon_rate}}</td>
<td class="govuk-table__cell govuk-table__cell--numeric" data-field="occupancy">{{occupancy}}</td>
<td class="govuk-table__cell" data-field="agents">{{agents}}</td>
</tr>{{/queues}}
</tbody></table>
{{/has_queues}}
{{^has_queues}}{{^unavailable}}<p class="govuk-body">No queues are set up yet.</p>{{/unavailable}}{{/has_queues}}
<h2 class="govuk-heading-m">What the figures mean</h2>
<p class="govuk-body">“Today” starts at midnight UK time. An interaction counts in the queue it entered; one transferred to another queue counts again there.</p>
<dl class="govuk-summary-list" id="wallboard-definitions">
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Waiting</dt><dd class="govuk-summary-list__value">Interactions in the queue now that no agent has been offered yet.</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Longest wait</dt><dd class="govuk-summary-list__value">How long the interaction waiting longest has been in this queue, now.</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Service level</dt><dd class="govuk-summary-list__value">Interactions answered within the queue’s threshold (shown, in seconds) ÷ all that entered the queue today. Abandoned ones count as failures, whatever their wait; ones still waiting are in the total.</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">ASA (average speed of answer)</dt><dd class="govuk-summary-list__value">Total waiting time of the interactions answered today ÷ the number answered.</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">AHT (average handling time)</dt><dd class="govuk-summary-list__value">(Talk time + the queue’s wrap-up time) ÷ the interactions completed today. Hold is part of talk time.</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Abandon rate</dt><dd class="govuk-summary-list__value">Interactions abandoned before being answered ÷ all that entered today. Short abandons are not excluded.</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Occupancy</dt><dd class="govuk-summary-list__value">Agents of the queue busy or in wrap-up ÷ those plus the available ones, at this moment (agents on break or offline are left out).</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Agents</dt><dd class="govuk-summary-list__value">Agents whose routing profile includes the queue, by state now; an agent serving several queues counts in each.</dd></div>
</dl>
<script type="module" src="/assets/wallboard.mjs"></script>
)TPL";

// ---- RoutingHub ----

RoutingHub::RoutingHub(services::RoutingDesk& desk, routing::LiveEngine& engine, const Clock& clock)
    : desk_(desk), engine_(engine), clock_(clock) {
  // Runs with the engine's lock held: only note what changed.
  subscription_ = engine_.Subscribe([this](const std::vector<routing::RoutingEvent>& events) {
    std::lock_guard lock(mu_);
    wallboard_dirty_ = true;
    // No events: the engine started or stepped down here; every desk changed.
    if (events.empty()) {
      for (const auto& [session, client] : desks_) dirty_agents_.insert(client.actor.staff_id);
    }
    for (const routing::RoutingEvent& e : events) {
      if (e.agent_id != 0) dirty_agents_.insert(e.agent_id);
      if (e.to_agent != 0) dirty_agents_.insert(e.to_agent);
    }
    wake_.notify_all();
  });
  thread_ = std::thread([this] { Loop(); });
}

RoutingHub::~RoutingHub() {
  engine_.Unsubscribe(subscription_);
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void RoutingHub::AddWallboard(const std::shared_ptr<http::WebSocketSession>& session,
                              const domain::Actor& actor) {
  std::lock_guard lock(mu_);
  wallboards_[session.get()] = Client{session, actor};
  wallboard_dirty_ = true;
  wake_.notify_all();
}

void RoutingHub::AddDesk(const std::shared_ptr<http::WebSocketSession>& session, const domain::Actor& actor) {
  std::lock_guard lock(mu_);
  desks_[session.get()] = Client{session, actor};
  dirty_agents_.insert(actor.staff_id);
  wake_.notify_all();
}

void RoutingHub::Remove(const http::WebSocketSession* session) {
  std::lock_guard lock(mu_);
  wallboards_.erase(session);
  desks_.erase(session);
}

void RoutingHub::Command(const std::shared_ptr<http::WebSocketSession>& session, const domain::Actor& actor,
                         std::string text) {
  std::lock_guard lock(mu_);
  if (commands_.size() >= 1000) return;  // a flooding client loses commands, not the server
  commands_.push_back(PendingCommand{Client{session, actor}, std::move(text)});
  wake_.notify_all();
}

void RoutingHub::SendDesk(const Client& client, const std::string& error) {
  absl::StatusOr<services::AgentDesk> desk = desk_.Desk(client.actor);
  boost::json::object out;
  if (desk.ok()) {
    out = api::DeskToJson(*desk);
    out["type"] = "desk";
  } else {
    out = boost::json::object{{"type", "error"}, {"message", std::string(desk.status().message())}};
  }
  if (!error.empty()) out["error"] = error;
  client.session->Send(boost::json::serialize(out));
}

void RoutingHub::RunCommand(const PendingCommand& command) {
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(command.text, ec);
  if (ec || !parsed.is_object()) return SendDesk(command.client, "The message is not a JSON object.");
  const boost::json::object& msg = parsed.as_object();
  auto text = [&msg](const char* key) -> std::string {
    const boost::json::value* v = msg.if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->as_string()) : "";
  };
  int64_t id = 0;
  if (const boost::json::value* v = msg.if_contains("id"); v != nullptr && v->is_int64()) id = v->as_int64();
  const std::string type = text("type");
  const domain::Actor& actor = command.client.actor;
  absl::Status status;
  if (type == "presence") {
    status = desk_.SetPresence(actor, text("presence"), text("reason")).status();
  } else if (type == "accept") {
    status = desk_.Accept(actor, id);
  } else if (type == "reject") {
    status = desk_.Reject(actor, id);
  } else if (type == "complete") {
    status = desk_.Complete(actor, id);
  } else if (type == "transfer") {
    // {"queue": code} or {"agent_id": n}, as POST .../transfer.
    const boost::json::value* to_agent = msg.if_contains("agent_id");
    if (!text("queue").empty() && to_agent == nullptr) {
      status = desk_.TransferToQueue(actor, id, text("queue"));
    } else if (text("queue").empty() && to_agent != nullptr && to_agent->is_int64()) {
      status = desk_.TransferToAgent(actor, id, to_agent->as_int64());
    } else {
      status = absl::InvalidArgumentError("Give exactly one of queue and agent_id.");
    }
  } else if (type == "requeue") {
    status = desk_.Requeue(actor, id);
  } else if (type == "end_wrap_up") {
    status = desk_.EndWrapUp(actor);
  } else if (type == "refresh") {
    status = absl::OkStatus();
  } else {
    status = absl::InvalidArgumentError("Unknown message type.");
  }
  SendDesk(command.client, status.ok() ? "" : std::string(status.message()));
}

void RoutingHub::Loop() {
  std::unique_lock lock(mu_);
  auto last_wallboard = std::chrono::steady_clock::now() - kRefresh;
  while (!stop_) {
    const auto now = std::chrono::steady_clock::now();
    const bool wallboard_due = !wallboards_.empty() &&
                               ((wallboard_dirty_ && now - last_wallboard >= kMinInterval) ||
                                now - last_wallboard >= kRefresh);
    if (!wallboard_due && dirty_agents_.empty() && commands_.empty()) {
      auto until = last_wallboard + (wallboard_dirty_ ? kMinInterval : kRefresh);
      if (wallboards_.empty()) until = now + kRefresh;
      wake_.wait_until(lock, std::max(until, now + std::chrono::milliseconds(10)));
      continue;
    }
    // Take the work, then release the lock: the engine calls back into
    // Subscribe's listener (engine lock → hub lock), never the other way.
    std::deque<PendingCommand> commands;
    commands.swap(commands_);
    std::set<int64_t> agents;
    agents.swap(dirty_agents_);
    std::vector<Client> boards, desks;
    if (wallboard_due) {
      wallboard_dirty_ = false;
      last_wallboard = now;
      for (const auto& [ptr, client] : wallboards_) boards.push_back(client);
    }
    for (const auto& [ptr, client] : desks_) {
      if (agents.contains(client.actor.staff_id)) desks.push_back(client);
    }
    lock.unlock();
    for (const PendingCommand& command : commands) RunCommand(command);
    for (const Client& client : desks) SendDesk(client);
    if (!boards.empty()) {
      absl::StatusOr<std::vector<services::QueueBoard>> board = desk_.Wallboard(boards.front().actor);
      if (board.ok()) {
        const std::string text = boost::json::serialize(api::WallboardToJson(*board, clock_.Now()));
        for (const Client& client : boards) client.session->Send(text);
      }
    }
    lock.lock();
  }
}

// ---- registration ----

void SetRouting(WebContext& ctx, services::RoutingDesk* desk, routing::LiveEngine* engine) {
  ctx.routing_hub.reset();
  if (desk != nullptr && engine != nullptr) {
    ctx.routing_hub = std::make_unique<RoutingHub>(*desk, *engine, ctx.deps.clock);
  }
}

void RegisterRoutingPages(http::Router& router, WebContext& ctx) {
  AddStaffPage(router, ctx, "/staff/wallboard",
               [&ctx](const domain::Actor& actor, http::Request&) { return WallboardPage(ctx, actor); });
  router.AddWebSocket("/staff/ws/wallboard", [&ctx](http::Request& request) -> http::WebSocketUpgrade {
    std::optional<domain::Actor> actor = SocketActor(ctx, request);
    if (!actor) return Refuse(401, "Sign in to the staff desktop first.");
    if (!services::Authorize(*actor, services::Permission::kSuperviseRouting).ok()) {
      return Refuse(403, "The wallboard is for supervisors and admins.");
    }
    if (!ctx.routing_hub) return Refuse(503, "Routing is not running on this server.");
    if (!ctx.routing_hub->leading()) return Refuse(503, "This server is a routing standby; try the leader.");
    return http::WebSocketUpgrade{std::make_shared<WallboardSocket>(*ctx.routing_hub, *actor), {}};
  });
  router.AddWebSocket("/staff/ws/desk", [&ctx](http::Request& request) -> http::WebSocketUpgrade {
    std::optional<domain::Actor> actor = SocketActor(ctx, request);
    if (!actor) return Refuse(401, "Sign in to the staff desktop first.");
    if (!services::Authorize(*actor, services::Permission::kRouteWork).ok()) {
      return Refuse(403, "Your role does not take routed work.");
    }
    if (!ctx.routing_hub) return Refuse(503, "Routing is not running on this server.");
    if (!ctx.routing_hub->leading()) return Refuse(503, "This server is a routing standby; try the leader.");
    return http::WebSocketUpgrade{std::make_shared<DeskSocket>(*ctx.routing_hub, *actor), {}};
  });
}

}  // namespace onestop::web
