// Engine: the in-memory routing engine. It holds queues, agents (presence,
// skills, capacity, routing profile) and work items, decides who takes which
// item next, and reports every step as a RoutingEvent to its EventSink.
//
// Time comes from the injected Clock; nothing here sleeps or does I/O. Timers
// (ring-no-answer, wrap-up end, skill-step expiry, profile delays) fire when
// Tick() is called at or after their time; NextTimer() says when that is, so a
// simulator can jump the clock and a live process can sleep until then. Every
// decision that waits for time to pass has a timer at the exact moment the
// decision changes (absl::Time arithmetic, nothing rounded), and the timer
// decides at that moment, where the threshold counts as reached; a queue or
// agent change that brings such a moment for waiting items sets its timer.
//
// Threads: not thread-safe. One thread (or strand) owns an Engine; the live
// process reaches it through a facade that posts calls to that thread.
//
// Invariant after every public call: no waiting item can be offered to an
// available agent (every change that could create a match triggers routing).
// Available agents are indexed per (skill, media) and per (queue, media),
// ordered by idle-since, so a decision looks at the smallest candidate set
// and not at every agent.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "routing/types.h"

namespace onestop::routing {

// What happens after an offer is declined or rings out (as Asterisk
// app_queue's `retry` and mod_callcenter's no-answer delay): the item goes
// at once to the next eligible agent; the agent who let it go is not offered
// that item again for `retry_seconds`, and after that only when no agent who
// has not declined it is eligible. So with one agent signed in a missed call
// rings that agent again after the retry delay instead of waiting for ever.
// After `max_no_answers` ring-outs in a row the agent goes on break (reason
// "no_answer") until they make themselves available again.
struct EngineOptions {
  int max_no_answers = 2;  // consecutive ring-no-answers before the agent goes on break
  int retry_seconds = 5;   // a declined / missed item goes back to the same agent after this
};

enum class ItemState : uint8_t { kWaiting, kOffered, kConnected };

struct ItemView {
  int64_t id = 0;
  Media media = Media::kVoice;
  std::string queue;
  int priority = 0;
  ItemState state = ItemState::kWaiting;
  int64_t agent_id = 0;      // offered to / connected with
  int64_t target_agent = 0;  // set while waiting for one named agent (transfer to agent)
  absl::Time entered_at;     // entered its current queue
  absl::Time connected_at;   // when the agent accepted it (connected items only)
  std::string caller;
  std::string reference;
  std::vector<SkillRequirement> skills;
};

struct AgentView {
  int64_t id = 0;
  std::string name;
  Presence chosen = Presence::kOffline;  // offline / available / on_break
  Presence shown = Presence::kOffline;   // adds busy and wrap_up
  std::string reason;                    // break reason
  std::array<int, kMediaCount> load{};   // items held (offered or connected) per media
  std::vector<int64_t> items;
  absl::Time state_since;
  int no_answers = 0;
  std::vector<std::string> queues;
};

struct QueueView {
  std::string id;
  int waiting = 0;
  absl::Time oldest_entered_at;  // InfinitePast() when nobody waits
  std::array<int, 5> agents_by_state{};  // indexed by Presence, agents with the queue in profile
  // Of the available ones, those who could take the queue's usual work now:
  // capacity for its medium and the queue's skill requirements at their
  // full levels (before any skill step).
  int available_eligible = 0;
};

class Engine {
 public:
  Engine(const Clock& clock, EventSink* sink, EngineOptions options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Configuration. Changing a queue or agent keeps the work in progress.
  absl::Status UpsertQueue(const QueueConfig& queue);
  absl::Status RemoveQueue(const std::string& queue_id);  // FailedPrecondition if it holds items
  absl::Status UpsertAgent(const AgentConfig& agent);
  std::optional<QueueConfig> GetQueue(const std::string& queue_id) const;
  std::vector<QueueConfig> Queues() const;

  // Work.
  absl::StatusOr<int64_t> AddItem(const NewItem& item);
  absl::Status Abandon(int64_t item_id);
  absl::Status Accept(int64_t item_id, int64_t agent_id);
  absl::Status Reject(int64_t item_id, int64_t agent_id);
  absl::Status Complete(int64_t item_id, int64_t agent_id);
  absl::Status TransferToQueue(int64_t item_id, int64_t agent_id, const std::string& queue_id);
  absl::Status TransferToAgent(int64_t item_id, int64_t agent_id, int64_t to_agent_id);
  absl::Status Requeue(int64_t item_id, int64_t agent_id);

  // Presence: kOffline, kAvailable or kOnBreak (with a reason).
  absl::Status SetPresence(int64_t agent_id, Presence presence, const std::string& reason = "");
  absl::Status EndWrapUp(int64_t agent_id);

  // Timers.
  void Tick();
  std::optional<absl::Time> NextTimer() const;

  // Restart: with the same queue and agent configuration loaded, apply the
  // events of an earlier run in order (nothing is emitted, nothing routed),
  // then FinishReplay() arms the timers, fires those already due and routes.
  absl::Status Replay(const RoutingEvent& event);
  void FinishReplay();

  // Views (copies).
  std::optional<ItemView> Item(int64_t item_id) const;
  std::optional<AgentView> Agent(int64_t agent_id) const;
  std::vector<ItemView> WaitingItems(const std::string& queue_id) const;  // best first
  std::vector<QueueView> QueueViews() const;
  std::vector<AgentView> Agents() const;
  int64_t decisions() const;  // offers made so far

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace onestop::routing
