// RoutingHub: pushes routing state to WebSocket clients of the staff
// desktop — the wallboard (/staff/ws/wallboard: per-queue figures) and the
// agent desk (/staff/ws/desk: the agent's offers with screen-pop, presence,
// wrap-up; it also takes the agent's accept/reject/complete/presence
// commands). It subscribes to the LiveEngine; the engine's listener only
// marks what changed, and the hub's own thread builds and sends the
// messages, at most every 250 ms, and refreshes wallboards every 5 s.
// Desk commands run on that thread too (they write to the store).
//
// Threads: Add*/Remove*/Command may be called from any thread (the
// WebSocket callbacks call them on I/O threads; none blocks).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "absl/time/time.h"
#include "domain/staff.h"
#include "i18n/translator.h"
#include "http/router.h"
#include "routing/live_engine.h"
#include "services/routing.h"

namespace onestop::web {

class WebContext;

// A duration as people say it: "12 s", "4 min", "4 h", "2 h 5 min"
// (supervisor_pages.cc).
std::string HumaneDuration(absl::Duration duration, const i18n::Translator& tr);

// The wallboard page, the floor and the queue and profile editors
// (supervisor_pages.cc); called by RegisterRoutingPages.
void RegisterSupervisorPages(http::Router& router, WebContext& ctx);

class RoutingHub {
 public:
  RoutingHub(services::RoutingDesk& desk, routing::LiveEngine& engine, const Clock& clock);
  ~RoutingHub();  // unsubscribes and joins the thread
  RoutingHub(const RoutingHub&) = delete;
  RoutingHub& operator=(const RoutingHub&) = delete;

  services::RoutingDesk& desk() { return desk_; }

  // False on a standby node (several nodes: routing/election.h).

  bool leading() const { return engine_.leading(); }
  routing::LiveEngine& engine() { return engine_; }

  // Pushes the agent's desk again (what it shows changed outside the
  // engine: the state of their call on the telephone). Any thread; cheap.
  void Touch(int64_t agent_id);
  void AddWallboard(const std::shared_ptr<http::WebSocketSession>& session, const domain::Actor& actor);
  void AddDesk(const std::shared_ptr<http::WebSocketSession>& session, const domain::Actor& actor);
  void Remove(const http::WebSocketSession* session);
  // A desk message from the agent's browser (JSON text).
  void Command(const std::shared_ptr<http::WebSocketSession>& session, const domain::Actor& actor,
               std::string text);

 private:
  struct Client {
    std::shared_ptr<http::WebSocketSession> session;
    domain::Actor actor;
  };
  struct PendingCommand {
    Client client;
    std::string text;
  };
  void Loop();
  void SendDesk(const Client& client, const std::string& error = "");
  void RunCommand(const PendingCommand& command);

  services::RoutingDesk& desk_;
  routing::LiveEngine& engine_;
  const Clock& clock_;
  int subscription_ = 0;

  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;                                  // GUARDED_BY(mu_)
  bool wallboard_dirty_ = true;                        // GUARDED_BY(mu_)
  std::set<int64_t> dirty_agents_;                     // GUARDED_BY(mu_)
  std::deque<PendingCommand> commands_;                // GUARDED_BY(mu_)
  std::map<const http::WebSocketSession*, Client> wallboards_;  // GUARDED_BY(mu_)
  std::map<const http::WebSocketSession*, Client> desks_;       // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace onestop::web
