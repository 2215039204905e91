// Private to the routing engine: the state behind Engine (Engine::Impl) and
// its records. Included only by engine*.cc; not part of the public API.
#ifndef ONESTOP_ROUTING_ENGINE_INTERNAL_H_
#define ONESTOP_ROUTING_ENGINE_INTERNAL_H_

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <queue>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/btree_set.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/node_hash_map.h"
#include "routing/engine.h"

namespace onestop::routing {
namespace engine_internal {


struct Req {
  int skill = 0;
  int level = 1;
};

struct ProfileLine {
  int queue = 0;
  int priority = 1;
  int delay_seconds = 0;
};

using AgentSet = absl::btree_set<std::pair<int64_t, int>>;  // (idle since µs, agent index)
using ItemSet = absl::btree_set<std::pair<int64_t, int64_t>>;  // (score key µs, item id)

struct QueueRec {
  QueueConfig cfg;
  std::vector<Req> skills;
  std::vector<SkillStep> steps;  // sorted by after_seconds
  ItemSet waiting;
  std::vector<int> delays;  // distinct non-zero profile delays (timers at enqueue)
  int rr_cursor = -1;
  bool live = true;
};

struct ItemRec {
  int64_t id = 0;
  Media media = Media::kVoice;
  int queue = 0;
  int priority = 0;
  std::vector<SkillRequirement> skills_text;
  std::vector<Req> reqs;
  std::string caller, reference;
  ItemState state = ItemState::kWaiting;
  int agent = -1;   // offered to / connected with
  int target = -1;  // waiting for this agent only
  absl::Time entered, offered_at, connected_at;
  int64_t key = 0;
  int64_t token = 0;  // bumped on every state change; timers carry it
  // Agents who declined or missed this item, and until when they are not
  // offered it again (EngineOptions::retry_seconds).
  std::vector<std::pair<int, absl::Time>> excluded;
  int original_position = 0;
  int64_t bucket = 0;  // key in Impl::buckets_ while waiting in a queue
};

struct AgentRec {
  AgentConfig cfg;
  std::vector<std::pair<int, int>> skills;  // (skill id, level), sorted
  std::vector<ProfileLine> profile;         // sorted by priority
  Presence chosen = Presence::kOffline;
  std::string reason;
  bool wrap = false;
  int64_t wrap_token = 0;
  std::array<int, kMediaCount> load{};
  int total_load = 0;
  int exclusive_load = 0;
  std::vector<int64_t> items;
  std::vector<int64_t> direct;  // items transferred to this agent, waiting
  int64_t idle_since_us = 0;
  absl::Time state_since;
  int no_answers = 0;
  // What the agent is indexed under right now.
  uint8_t indexed_media = 0;
  int64_t indexed_key = 0;
  std::vector<int> indexed_keys;
};

enum class TimerKind : uint8_t { kRing, kWrap, kRouteItem };
// A timer is due at the exact moment its decision changes (an absl::Time,
// not rounded to microseconds: rounding down would fire it before that
// moment, the decision would not have changed yet and nothing would wake the
// item again). Tick() runs it at `at`.
struct Timer {
  absl::Time at;
  TimerKind kind;
  int64_t id;
  int64_t token;
  bool operator>(const Timer& o) const { return at > o.at; }
};

// Ordering keys only (idle-since, item score); never used to decide whether
// time has passed.
inline int64_t Micros(absl::Time t) { return absl::ToUnixMicros(t); }
// Event fields (wait, ring, talk) only; decisions use Reached.
inline double Seconds(absl::Duration d) { return absl::ToDoubleSeconds(d); }

// Whether `seconds` have passed between `since` and `now`. Integer (absl)
// arithmetic, so a timer armed at since + seconds finds it reached.
inline bool Reached(absl::Time since, absl::Time now, int seconds) {
  return now - since >= absl::Seconds(seconds);
}


}  // namespace engine_internal

class Engine::Impl {
 public:
  using Req = engine_internal::Req;
  using ProfileLine = engine_internal::ProfileLine;
  using AgentSet = engine_internal::AgentSet;
  using ItemSet = engine_internal::ItemSet;
  using QueueRec = engine_internal::QueueRec;
  using ItemRec = engine_internal::ItemRec;
  using AgentRec = engine_internal::AgentRec;
  using TimerKind = engine_internal::TimerKind;
  using Timer = engine_internal::Timer;

  Impl(const Clock& clock, EventSink* sink, EngineOptions options)
      : clock_(clock), sink_(sink), options_(options) {}

  // ---- configuration ----
  absl::Status UpsertQueue(const QueueConfig& cfg);

  absl::Status RemoveQueue(const std::string& id);

  std::optional<QueueConfig> GetQueue(const std::string& id) const;

  std::vector<QueueConfig> Queues() const;

  absl::Status UpsertAgent(const AgentConfig& cfg);

  // ---- work ----
  absl::StatusOr<int64_t> AddItem(const NewItem& in);

  absl::Status Abandon(int64_t item_id, absl::Time now, bool live);

  absl::Status Accept(int64_t item_id, int64_t agent_id, absl::Time now, bool live);

  // Reject (agent says no) and ring-no-answer (timer): back to the queue.
  absl::Status Decline(int64_t item_id, int64_t agent_id, absl::Time now, bool live,
                       bool no_answer);

  absl::Status Complete(int64_t item_id, int64_t agent_id, absl::Time now, bool live,
                        std::optional<int> wrap_seconds = std::nullopt);

  absl::Status EndWrapUp(int64_t agent_id, absl::Time now, bool live);

  // Transfer (to a queue or an agent) and requeue: the agent lets go of a
  // connected item, which waits again.
  absl::Status Move(int64_t item_id, int64_t agent_id, const std::string& to_queue,
                    int64_t to_agent, bool requeue, absl::Time now, bool live);

  absl::Status SetPresence(int64_t agent_id, Presence p, const std::string& reason, absl::Time now,
                           bool live);

  // ---- timers ----
  void Tick();

  std::optional<absl::Time> NextTimer() const;

  // ---- replay ----
  absl::Status Replay(const RoutingEvent& e);

  void FinishReplay();

  // ---- views ----
  std::optional<ItemView> Item(int64_t id) const;

  std::optional<AgentView> Agent(int64_t id) const;

  std::vector<AgentView> Agents() const;

  std::vector<ItemView> WaitingItems(const std::string& queue_id) const;

  std::vector<QueueView> QueueViews() const;

  int64_t decisions() const { return decisions_; }
  absl::Time Now() const { return clock_.Now(); }

 private:
  // ---- ids ----
  int QueueIndex(const std::string& id, bool create);
  int SkillIndex(const std::string& code);
  std::vector<Req> Intern(const std::vector<SkillRequirement>& skills);
  int AgentIndex(int64_t id) const;
  ItemRec* FindItem(int64_t id);
  absl::StatusOr<std::pair<ItemRec*, int>> Held(int64_t item_id, int64_t agent_id, ItemState state);

  // ---- index of available agents ----
  static int64_t IndexKey(bool queue, int id, int media);
  bool Routable(const AgentRec& a) const { return a.chosen == Presence::kAvailable && !a.wrap; }
  bool CanTake(const AgentRec& a, Media m) const;
  void Unindex(int idx);
  void Reindex(int idx);

  // ---- matching ----
  struct Need {
    int keep;
    int drop;
  };
  Need CurrentNeed(const ItemRec& item, absl::Time now) const;
  static int LevelOf(const AgentRec& a, int skill);
  bool Eligible(int idx, const ItemRec& item, const Need& need, absl::Time now) const;
  // Whether the agent declined or missed the item before (its retry delay
  // may have passed).
  static bool Declined(const ItemRec& item, int idx);

  // The best available agent for a waiting item, or -1.
  int PickAgent(const ItemRec& item, absl::Time now);
  // The strategy's choice among `candidates` (-1 if none is eligible);
  // agents who declined the item count only with `declined_too`.
  int PickAmong(const AgentSet& candidates, const ItemRec& item, const Need& need, absl::Time now,
                bool declined_too);

  void RouteItem(int64_t item_id, absl::Time now);

  // Give a newly free agent the best waiting work it may take, repeatedly
  // while it has capacity.
  void RouteAgent(int idx, absl::Time now);

  // ---- state changes ----
  void Enter(const RoutingEvent& e, bool live);

  void Enqueue(ItemRec& item, absl::Time now, bool keep_key);

  // Wakes a waiting item (kRouteItem) `after_seconds` after it entered its
  // queue — when a skill step or a profile delay widens the agents who may
  // take it — or at `now` when that moment has already passed.
  void ArmItem(const ItemRec& item, int after_seconds, absl::Time now);

  void Dequeue(ItemRec& item);

  // ---- index of waiting items: per (queue, media, first skill still required) ----
  static int64_t BucketKey(int queue, int media, int skill);
  int64_t ItemBucket(const ItemRec& item, absl::Time now) const;
  void EraseFromBucket(const ItemRec& item);
  // Called when a skill step may have passed (its timer) or the steps changed.
  // Between a step's time and the Tick that fires it the item stays in its
  // narrower bucket; the Tick then routes it (RouteItem) in any case.
  void Rebucket(ItemRec& item, absl::Time now);

  int Position(const ItemRec& item) const;

  void Offer(ItemRec& item, int idx, absl::Time now);

  // The agent lets go of the item (it stays in items_; the caller decides).
  void Release(ItemRec& item);

  void SetPresenceAt(int idx, Presence p, const std::string& reason, absl::Time now, bool live);

  RoutingEvent Base(absl::Time now, const char* type, const ItemRec& item) const;

  void Emit(const RoutingEvent& e);

  Presence Shown(const AgentRec& a) const;

  ItemView View(const ItemRec& item) const;

  AgentView View(const AgentRec& a) const;

  const Clock& clock_;
  EventSink* sink_;
  EngineOptions options_;
  bool replaying_ = false;
  int64_t last_item_id_ = 0;
  int64_t decisions_ = 0;
  std::vector<QueueRec> queues_;
  absl::flat_hash_map<std::string, int> queue_ids_;
  absl::flat_hash_map<std::string, int> skill_ids_;
  std::vector<AgentRec> agents_;
  absl::flat_hash_map<int64_t, int> agent_ids_;
  absl::node_hash_map<int64_t, ItemRec> items_;
  absl::flat_hash_map<int64_t, AgentSet> index_;
  absl::flat_hash_map<int64_t, ItemSet> buckets_;  // waiting items, see BucketKey
  std::priority_queue<Timer, std::vector<Timer>, std::greater<Timer>> timers_;
};

}  // namespace onestop::routing

#endif  // ONESTOP_ROUTING_ENGINE_INTERNAL_H_
