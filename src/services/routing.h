// RoutingDesk: the routing use cases the API and the web pages call — add an
// interaction, abandon it, an agent's presence and offers (accept, reject,
// complete, end wrap-up), queue definitions and routing profiles, the
// supervisor's statistics. Each method checks permission (permissions.h)
// and then calls the LiveEngine, which persists the routing events. Kept as
// one class because every method is a thin door onto the same engine; the
// rules live in routing/.
//
// Threads: every method may be called from any thread (LiveEngine is
// thread-safe, the store and clock are).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/routing_config.h"
#include "domain/staff.h"
#include "domain/store.h"
#include "routing/live_engine.h"
#include "services/deps.h"

namespace onestop::services {

struct InteractionRequest {
  std::string media = "voice";  // voice, chat, email, walk_in, case_task
  std::string queue;
  int priority = 0;
  std::string caller;     // caller id / phone number
  std::string reference;  // e.g. a case reference
  std::vector<domain::RoutingSkillRule> skills;  // empty: the queue's
};

// The citizen a caller id matches (screen-pop), when exactly one does.
struct ScreenPop {
  int64_t citizen_id = 0;
  std::string name;
};

struct DeskItem {
  routing::ItemView item;
  std::optional<ScreenPop> citizen;
};

struct AgentDesk {
  routing::AgentView agent;
  std::vector<DeskItem> items;  // offered to or connected with this agent
};

struct QueueStats {
  std::string queue;
  absl::Time from, to;
  routing::QueueFigures figures;
};

struct StatsReport {
  absl::Time from, to;
  int interval_minutes = 30;
  std::vector<QueueStats> totals;     // per queue over [from, to)
  std::vector<QueueStats> intervals;  // per queue and interval, intervals with traffic only
};

struct QueueBoard {
  routing::QueueConfig config;
  routing::QueueView live;
  routing::QueueFigures today;  // items that entered since midnight (London)
  double occupancy = 0;         // busy + wrap-up agents ÷ those + available ones
};

class RoutingDesk {
 public:
  RoutingDesk(Deps deps, routing::LiveEngine& engine) : deps_(deps), engine_(engine) {}

  absl::StatusOr<routing::Arrival> AddInteraction(const domain::Actor& actor,
                                                  const InteractionRequest& request) const;
  absl::Status Abandon(const domain::Actor& actor, int64_t item_id) const;
  absl::StatusOr<DeskItem> GetInteraction(const domain::Actor& actor, int64_t item_id) const;

  // The actor's own agent state. SetPresence re-reads the staff record first
  // (skills, team) so changes reach the engine at the next presence change.
  absl::StatusOr<AgentDesk> SetPresence(const domain::Actor& actor, const std::string& presence,
                                        const std::string& reason) const;
  absl::StatusOr<AgentDesk> Desk(const domain::Actor& actor) const;
  absl::Status Accept(const domain::Actor& actor, int64_t item_id) const;
  absl::Status Reject(const domain::Actor& actor, int64_t item_id) const;
  absl::Status Complete(const domain::Actor& actor, int64_t item_id) const;
  // The agent connected to the item passes it on (FailedPrecondition if the
  // actor does not hold it, NotFound for an unknown item, InvalidArgument
  // for an unknown queue or agent or a transfer to oneself). Requeue puts it
  // back in its own queue, keeping its place.
  absl::Status TransferToQueue(const domain::Actor& actor, int64_t item_id,
                               const std::string& queue) const;
  absl::Status TransferToAgent(const domain::Actor& actor, int64_t item_id, int64_t to_agent_id) const;
  absl::Status Requeue(const domain::Actor& actor, int64_t item_id) const;
  absl::Status EndWrapUp(const domain::Actor& actor) const;

  absl::StatusOr<std::vector<domain::RoutingQueue>> ListQueues(const domain::Actor& actor) const;
  absl::StatusOr<domain::RoutingQueue> GetQueue(const domain::Actor& actor, const std::string& code) const;
  // expected_version (If-Match / If-None-Match: *): see
  // domain::WriteTxn::PutRoutingQueue; Aborted when it does not hold.
  absl::StatusOr<domain::RoutingQueue> PutQueue(
      const domain::Actor& actor, const domain::RoutingQueue& queue,
      std::optional<int64_t> expected_version = std::nullopt) const;
  absl::Status DeleteQueue(const domain::Actor& actor, const std::string& code) const;
  absl::StatusOr<std::vector<domain::RoutingProfile>> ListProfiles(const domain::Actor& actor) const;
  absl::StatusOr<domain::RoutingProfile> GetProfile(const domain::Actor& actor,
                                                    const std::string& code) const;
  absl::StatusOr<domain::RoutingProfile> PutProfile(
      const domain::Actor& actor, const domain::RoutingProfile& profile,
      std::optional<int64_t> expected_version = std::nullopt) const;
  absl::Status DeleteProfile(const domain::Actor& actor, const std::string& code) const;

  // Figures of the items that entered each queue in [from, to), in total and
  // per interval, from the event log.
  absl::StatusOr<StatsReport> Stats(const domain::Actor& actor, absl::Time from, absl::Time to,
                                    int interval_minutes) const;
  // The wallboard: live state and today's figures per queue.
  absl::StatusOr<std::vector<QueueBoard>> Wallboard(const domain::Actor& actor) const;

  // Which node runs routing (several nodes on one database: routing/election.h).
  // Staff only; Leader itself needs no actor so that a standby's 503 can name it.
  absl::Status CanSeeLeader(const domain::Actor& actor) const;
  absl::StatusOr<std::optional<domain::LeaderInfo>> Leader() const;

  // Screen-pop: the one active citizen whose phone matches `caller`.
  std::optional<ScreenPop> MatchCaller(const domain::Actor& actor, const std::string& caller) const;
  // Start of today in Europe/London.
  absl::Time StartOfToday() const;

 private:
  Deps deps_;
  routing::LiveEngine& engine_;
};

}  // namespace onestop::services
