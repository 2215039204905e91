// The routing WebSocket channels of the staff desktop (the wallboard page
// itself is in supervisor_pages.cc): /staff/ws/wallboard pushes the
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

}  // namespace

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
      // Someone signing in or out changes every desk's list of colleagues.
      if (e.type == "presence") {
        for (const auto& [session, client] : desks_) dirty_agents_.insert(client.actor.staff_id);
      }
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

void RoutingHub::Touch(int64_t agent_id) {
  std::lock_guard lock(mu_);
  dirty_agents_.insert(agent_id);
  wake_.notify_all();
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
    services::WrapUp wrap_up;
    wrap_up.disposition = text("disposition");
    wrap_up.service_code = text("service_code");
    wrap_up.note = text("note");
    status = desk_.Complete(actor, id, wrap_up);
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
      absl::StatusOr<std::vector<services::FloorAgent>> floor = desk_.Floor(boards.front().actor);
      if (board.ok()) {
        const std::string text = boost::json::serialize(
            api::WallboardToJson(*board, clock_.Now(), floor.ok() ? &*floor : nullptr));
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

void SetCallPort(WebContext& ctx, services::CallPort* calls) { ctx.calls = calls; }

std::function<void(int64_t)> DeskRefresher(WebContext& ctx) {
  return [&ctx](int64_t agent_id) {
    if (ctx.routing_hub) ctx.routing_hub->Touch(agent_id);
  };
}

void RegisterRoutingPages(http::Router& router, WebContext& ctx) {
  // The wallboard page itself, the floor and the queue and profile
  // editors: supervisor_pages.cc.
  RegisterSupervisorPages(router, ctx);
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
