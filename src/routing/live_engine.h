// LiveEngine: the thread-safe door into the routing Engine for the running
// server. It owns one Engine behind a mutex and a timer thread that sleeps
// until Engine::NextTimer() (ring-no-answer, wrap-up end, skill-step expiry,
// profile delays) and then ticks the engine.
//
// Durability: every RoutingEvent the engine emits during a call is appended
// to the store's event log (domain::Event entity "routing", type
// "routing.<type>", the queue_log-like fields as FieldChanges, see
// ToDomainEvent) in one Store::Write — the same write as the configuration
// change when there is one — before the call returns. Start() rebuilds the
// engine: queue definitions and routing profiles from the store, agents from
// the staff records (skills, team → profile), then every "routing" event in
// seq order through Engine::Replay.
//
// The mutex is held across the store write so the log order is the engine
// order; routing calls are therefore serialised at the store's commit rate.
// If a write fails after the engine has changed, the call returns the error
// and the log lacks those events until the next restart rebuilds from it.
//
// Listeners (desktops, wallboards) are called after the events are durable,
// on the thread that made the call, with the mutex held: they must be quick
// and must not call back into LiveEngine (post to their own thread instead).
//
// Threads: every public method may be called from any thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/clock.h"
#include "domain/event.h"
#include "domain/routing_config.h"
#include "domain/staff.h"
#include "domain/store.h"
#include "routing/engine.h"
#include "routing/metrics.h"

namespace onestop::routing {

// The leadership role (domain::Store::TryLead) of the node running routing.
inline constexpr char kRoutingRole[] = "routing";

// RoutingEvent ⇄ domain::Event. Only fields that differ from their default
// are written; FromDomainEvent(ToDomainEvent(e)) == e for times in whole
// microseconds.
domain::Event ToDomainEvent(const RoutingEvent& event);
absl::StatusOr<RoutingEvent> FromDomainEvent(const domain::Event& event);

// Configuration conversions (validated: InvalidArgument on a bad strategy,
// level or code).
absl::StatusOr<QueueConfig> ToQueueConfig(const domain::RoutingQueue& queue);
// The staff member's agent configuration: skills from the record, queues
// and capacity from ProfileFor (else every queue at priority 1).
// The routing profile in force for a staff member: their own
// (StaffUser::routing_profile) if it exists, else their team's, else the
// one with no team; nullptr if none (then every queue at priority 1).
const domain::RoutingProfile* ProfileFor(const domain::StaffUser& staff,
                                         const std::vector<domain::RoutingProfile>& profiles);
AgentConfig ToAgentConfig(const domain::StaffUser& staff,
                          const std::vector<domain::RoutingProfile>& profiles,
                          const std::vector<domain::RoutingQueue>& queues);

struct LiveOptions {
  EngineOptions engine;
  bool timer_thread = true;  // false in tests that drive TickForTest()
};

struct Arrival {
  int64_t item_id = 0;
  int position = 0;    // 1 = next; 0 when already offered to an agent
  ItemState state = ItemState::kWaiting;
};

class LiveEngine {
 public:
  using Listener = std::function<void(const std::vector<RoutingEvent>& events)>;

  LiveEngine(domain::Store& store, const Clock& clock, LiveOptions options = {});
  ~LiveEngine();
  LiveEngine(const LiveEngine&) = delete;
  LiveEngine& operator=(const LiveEngine&) = delete;

  // A check every write of this engine makes in its own transaction — the
  // leadership fence (domain::WriteTxn::CheckLeadership). When it fails the
  // write changes nothing, the call returns Unavailable and deposed() turns
  // true: another node runs routing now.
  using Fence = std::function<absl::Status(domain::WriteTxn&)>;

  // Loads configuration, replays the event log and starts the timer thread.
  // Events the engine cannot apply (a queue or agent removed since) are
  // skipped and counted in skipped_on_replay(). Until Start (and after
  // StepDown) this node is a standby: every change answers Unavailable and
  // the views are empty.
  absl::Status Start(Fence fence = nullptr);
  // Leaves the engine as before Start (timer stopped, state dropped) so that
  // Start can run again later; listeners stay subscribed and are called with
  // no events, meaning "everything may have changed".
  void StepDown();
  // Final: stops the timer thread; Start is refused afterwards.
  void Stop();
  bool leading() const;
  bool deposed() const;

  // Configuration (store write, then the engine).
  // expected_version: see domain::WriteTxn::PutRoutingQueue (Aborted when
  // stale, and then nothing changes).
  absl::Status PutQueue(const domain::RoutingQueue& queue,
                        std::optional<int64_t> expected_version = std::nullopt);
  absl::Status DeleteQueue(const std::string& code);  // FailedPrecondition while it holds items
  absl::Status PutProfile(const domain::RoutingProfile& profile,
                          std::optional<int64_t> expected_version = std::nullopt);
  absl::Status DeleteProfile(const std::string& code);
  // Re-reads one staff record (skills, team, routing profile) into the
  // engine; it takes effect at once (work the agent may now take is offered).
  // Listeners are then called with one event of type "agent" for that agent,
  // which is not recorded (the staff record and its own event are).
  absl::Status ReloadAgent(int64_t staff_id);
  // The routing profiles and queue definitions as loaded (copies).
  std::vector<domain::RoutingProfile> Profiles() const;
  std::vector<domain::RoutingQueue> QueueDefinitions() const;

  // Work.
  absl::StatusOr<Arrival> AddItem(const NewItem& item);
  // Several items in one store write (one commit for all their events).
  // Returns each item's id or why the engine refused it; the error is the
  // write's when nothing could be recorded.
  absl::StatusOr<std::vector<absl::StatusOr<int64_t>>> AddItems(const std::vector<NewItem>& items);
  absl::Status Abandon(int64_t item_id);
  absl::Status Accept(int64_t item_id, int64_t agent_id);
  absl::Status Reject(int64_t item_id, int64_t agent_id);
  absl::Status Complete(int64_t item_id, int64_t agent_id);
  // The agent holding (connected to) the item passes it on: to another
  // queue, to one named agent, or back to its own queue keeping its place.
  absl::Status TransferToQueue(int64_t item_id, int64_t agent_id, const std::string& queue);
  absl::Status TransferToAgent(int64_t item_id, int64_t agent_id, int64_t to_agent_id);
  absl::Status Requeue(int64_t item_id, int64_t agent_id);
  absl::Status EndWrapUp(int64_t agent_id);
  absl::Status SetPresence(int64_t agent_id, Presence presence, const std::string& reason);

  // Views (copies, taken under the mutex).
  std::optional<ItemView> Item(int64_t item_id) const;
  int Position(int64_t item_id) const;  // 1-based among the queue's waiting items; 0 if not waiting
  // The item of `media` carrying `reference` (waiting, offered or connected),
  // if any — e.g. a case's task. An index lookup.
  std::optional<ItemView> ItemByReference(Media media, const std::string& reference) const;
  // Every item of `media` in the engine (waiting, offered or connected).
  std::vector<ItemView> ItemsOf(Media media) const;
  std::optional<AgentView> Agent(int64_t agent_id) const;
  std::vector<AgentView> Agents() const;
  std::vector<QueueView> QueueViews() const;
  std::vector<QueueConfig> Queues() const;
  bool HasQueue(const std::string& code) const;
  // Figures since the engine started (the replayed history included).
  std::map<std::string, QueueFigures> Figures() const;
  // Figures of the items that entered since the last midnight (Europe/London)
  // reached by the events; empty on a day without traffic yet.
  std::map<std::string, QueueFigures> FiguresToday() const;
  int skipped_on_replay() const;

  int Subscribe(Listener listener);
  void Unsubscribe(int id);

  // Runs due timers now (tests with a FakeClock).
  absl::Status TickForTest();

 private:
  class Sink;
  // Runs `fn` on the engine and persists what it emitted together with
  // `extra` (a configuration change). Caller holds mu_.
  absl::Status RunLocked(const std::function<absl::Status()>& fn,
                         const std::function<absl::Status(domain::WriteTxn&)>& extra = nullptr);
  absl::Status ReloadAgentsLocked();
  // OK while this node runs routing; Unavailable on a standby.
  absl::Status LeadingLocked() const;
  int PositionLocked(int64_t item_id) const;
  void ResetLocked();
  void CountLocked(const RoutingEvent& event);
  void TimerLoop();

  domain::Store& store_;
  const Clock& clock_;
  LiveOptions options_;

  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::unique_ptr<Sink> sink_;                  // GUARDED_BY(mu_)
  std::unique_ptr<Engine> engine_;              // GUARDED_BY(mu_)
  QueueMetrics metrics_;                        // GUARDED_BY(mu_)
  QueueMetrics today_;                          // GUARDED_BY(mu_)
  absl::Time today_ends_ = absl::InfinitePast();  // GUARDED_BY(mu_)
  absl::Time today_starts_ = absl::InfinitePast();  // GUARDED_BY(mu_)
  std::vector<domain::RoutingQueue> queues_;    // GUARDED_BY(mu_)
  std::vector<domain::RoutingProfile> profiles_;  // GUARDED_BY(mu_)
  std::map<int, Listener> listeners_;           // GUARDED_BY(mu_)
  int next_listener_ = 1;                       // GUARDED_BY(mu_)
  int skipped_on_replay_ = 0;                   // GUARDED_BY(mu_)
  // Items that carry a reference (case tasks), by "<media>:<reference>", and
  // the key of each such item; kept from the events (CountLocked).
  absl::flat_hash_map<std::string, int64_t> by_reference_;  // GUARDED_BY(mu_)
  absl::flat_hash_map<int64_t, std::string> reference_of_;  // GUARDED_BY(mu_)
  Fence fence_;                                 // GUARDED_BY(mu_)
  bool started_ = false;                        // GUARDED_BY(mu_)
  bool deposed_ = false;                        // GUARDED_BY(mu_)
  bool closed_ = false;                         // GUARDED_BY(mu_): Stop() was called
  bool timer_stop_ = false;                     // GUARDED_BY(mu_): the timer thread should end
  std::thread timer_;
};

}  // namespace onestop::routing
