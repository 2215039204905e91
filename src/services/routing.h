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
#include "domain/contact.h"
#include "domain/disposition.h"
#include "domain/routing_config.h"
#include "domain/staff.h"
#include "domain/store.h"
#include "routing/live_engine.h"
#include "services/deps.h"
#include "services/interactions.h"

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
  // The resident: the one the agent linked to the interaction's contact,
  // else the screen-pop's match.
  std::optional<ScreenPop> citizen;
  // The interaction's contact (services/interactions.h), once accepted.
  std::optional<domain::Contact> contact;
};

// Where an agent can pass an interaction on: every queue, and colleagues
// signed in to routing (not offline), without the agent themself.
struct TransferTargets {
  std::vector<routing::QueueConfig> queues;
  std::vector<routing::AgentView> agents;
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
  domain::RoutingQueue settings;  // media, wallboard place and targets
  routing::QueueView live;
  routing::QueueFigures today;  // items that entered since midnight (London)
  double occupancy = 0;         // busy + wrap-up agents ÷ those + available ones
};

// One person on the supervisor's floor: their staff record (no password
// hash), their state in the engine and what they hold now.
struct FloorAgent {
  domain::StaffUser staff;
  routing::AgentView agent;
  std::vector<DeskItem> items;
  std::string profile;  // code of the routing profile in force; "" = every queue
};

// What a supervisor may set for an agent's routing.
struct AgentRouting {
  std::vector<domain::Skill> skills;  // levels 1..5, codes from KnownSkills
  std::string routing_profile;        // "" = the team's
};

class RoutingDesk {
 public:
  // `dispositions`: the council's wrap-up codes (domain/disposition.h),
  // outliving the desk; none when null.
  RoutingDesk(Deps deps, routing::LiveEngine& engine,
              const std::vector<domain::Disposition>* dispositions = nullptr);

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
  // Accepting a call, chat, email or visitor starts its contact; completing
  // it records the wrap-up on that contact first (InvalidFields for a bad
  // disposition or service: nothing is completed then), then frees the item.
  absl::Status Complete(const domain::Actor& actor, int64_t item_id, const WrapUp& wrap_up = {}) const;
  // The agent's connected item `item_id` gets `citizen_id` as its resident.
  absl::Status LinkCitizen(const domain::Actor& actor, int64_t item_id, int64_t citizen_id) const;
  // The wrap-up codes the agent may choose for item `item_id` about
  // `service_code` (empty: any service).
  std::vector<const domain::Disposition*> DispositionsFor(const routing::ItemView& item,
                                                          const std::string& service_code) const;
  absl::StatusOr<TransferTargets> Targets(const domain::Actor& actor) const;
  // Every wrap-up code of the council (for naming a contact's disposition).
  const std::vector<domain::Disposition>& dispositions() const { return dispositions_; }
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
  // The wallboard: live state and today's figures per queue; voice queues
  // first, then by wallboard group (groups in the order of their first
  // queue) and order, then name.
  absl::StatusOr<std::vector<QueueBoard>> Wallboard(const domain::Actor& actor) const;

  // The supervisor's floor (kSuperviseRouting): every active staff member
  // the engine knows, signed in ones (not offline, or holding work) first,
  // then by name.
  absl::StatusOr<std::vector<FloorAgent>> Floor(const domain::Actor& actor) const;
  absl::StatusOr<FloorAgent> FloorAgentOf(const domain::Actor& actor, int64_t staff_id) const;
  // Skills known to the council: those the queues' rules ask for and those
  // staff have, sorted.
  absl::StatusOr<std::vector<std::string>> KnownSkills(const domain::Actor& actor) const;
  // A supervisor changes an agent's skills and routing profile: the staff
  // record is updated (Aborted when expected_version is stale) with a
  // "staff.routing_changed" event naming the supervisor, and the engine
  // takes it at once — work the agent may now take is offered now.
  absl::StatusOr<FloorAgent> SetAgentRouting(const domain::Actor& actor, int64_t staff_id,
                                             const AgentRouting& routing,
                                             int64_t expected_version) const;
  // After an admin edits a staff record (services::UpdateStaff): the engine
  // takes its skills and profile at once. kReadStaff (supervisors, admins).
  absl::Status ApplyStaffChange(const domain::Actor& actor, int64_t staff_id) const;
  // A supervisor changes an agent's state: "available", "on_break" (with a
  // reason), "offline" or "end_wrap_up". Recorded as a "staff.state_set"
  // event naming the supervisor (the engine's own presence event follows).
  absl::Status SetAgentState(const domain::Actor& actor, int64_t staff_id, const std::string& state,
                             const std::string& reason) const;

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
  const std::vector<domain::Disposition>& dispositions_;
};

}  // namespace onestop::services
