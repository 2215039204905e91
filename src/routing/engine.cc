#include "routing/engine.h"

#include <algorithm>
#include <limits>
#include <queue>
#include <utility>

#include "absl/container/btree_set.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/node_hash_map.h"
#include "absl/strings/str_cat.h"

namespace onestop::routing {
namespace {

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
  std::vector<int> excluded;
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
struct Timer {
  int64_t at_us;
  TimerKind kind;
  int64_t id;
  int64_t token;
  bool operator>(const Timer& o) const { return at_us > o.at_us; }
};

int64_t Micros(absl::Time t) { return absl::ToUnixMicros(t); }
double Seconds(absl::Duration d) { return absl::ToDoubleSeconds(d); }

}  // namespace

class Engine::Impl {
 public:
  Impl(const Clock& clock, EventSink* sink, EngineOptions options)
      : clock_(clock), sink_(sink), options_(options) {}

  // ---- configuration ----
  absl::Status UpsertQueue(const QueueConfig& cfg) {
    if (cfg.id.empty()) return absl::InvalidArgumentError("a queue needs an id");
    for (const auto& s : cfg.skills) {
      if (s.skill.empty() || s.min_level < 1 || s.min_level > 5) {
        return absl::InvalidArgumentError("skill levels are 1 to 5");
      }
    }
    int idx = QueueIndex(cfg.id, /*create=*/true);
    QueueRec& q = queues_[idx];
    q.cfg = cfg;
    q.live = true;
    q.skills = Intern(cfg.skills);
    q.steps = cfg.steps;
    std::sort(q.steps.begin(), q.steps.end(),
              [](const SkillStep& a, const SkillStep& b) { return a.after_seconds < b.after_seconds; });
    // New steps may move waiting items to another bucket.
    const absl::Time now = clock_.Now();
    for (const auto& [key, id] : q.waiting) Rebucket(items_.at(id), now);
    return absl::OkStatus();
  }

  absl::Status RemoveQueue(const std::string& id) {
    auto it = queue_ids_.find(id);
    if (it == queue_ids_.end() || !queues_[it->second].live) return absl::NotFoundError("no such queue");
    for (const auto& [item_id, item] : items_) {
      if (item.queue == it->second) return absl::FailedPreconditionError("the queue holds work");
    }
    queues_[it->second].live = false;
    return absl::OkStatus();
  }

  std::optional<QueueConfig> GetQueue(const std::string& id) const {
    auto it = queue_ids_.find(id);
    if (it == queue_ids_.end() || !queues_[it->second].live) return std::nullopt;
    return queues_[it->second].cfg;
  }

  std::vector<QueueConfig> Queues() const {
    std::vector<QueueConfig> out;
    for (const auto& q : queues_) if (q.live) out.push_back(q.cfg);
    return out;
  }

  absl::Status UpsertAgent(const AgentConfig& cfg) {
    if (cfg.id <= 0) return absl::InvalidArgumentError("an agent needs a positive id");
    for (const auto& s : cfg.skills) {
      if (s.skill.empty() || s.level < 1 || s.level > 5) {
        return absl::InvalidArgumentError("skill levels are 1 to 5");
      }
    }
    for (const auto& p : cfg.profile) {
      if (!GetQueue(p.queue)) return absl::InvalidArgumentError(absl::StrCat("unknown queue ", p.queue));
    }
    auto [it, inserted] = agent_ids_.try_emplace(cfg.id, static_cast<int>(agents_.size()));
    if (inserted) {
      agents_.emplace_back();
      agents_.back().state_since = clock_.Now();
    }
    const int idx = it->second;
    Unindex(idx);
    AgentRec& a = agents_[idx];
    a.cfg = cfg;
    a.skills.clear();
    for (const auto& s : cfg.skills) a.skills.push_back({SkillIndex(s.skill), s.level});
    std::sort(a.skills.begin(), a.skills.end());
    a.profile.clear();
    for (const auto& p : cfg.profile) {
      a.profile.push_back({QueueIndex(p.queue, false), p.priority, p.delay_seconds});
      auto& delays = queues_[a.profile.back().queue].delays;
      if (p.delay_seconds > 0 && std::find(delays.begin(), delays.end(), p.delay_seconds) == delays.end()) {
        delays.push_back(p.delay_seconds);
      }
    }
    std::stable_sort(a.profile.begin(), a.profile.end(),
                     [](const ProfileLine& x, const ProfileLine& y) { return x.priority < y.priority; });
    Reindex(idx);
    if (!replaying_) RouteAgent(idx, clock_.Now());
    return absl::OkStatus();
  }

  // ---- work ----
  absl::StatusOr<int64_t> AddItem(const NewItem& in) {
    auto q = queue_ids_.find(in.queue);
    if (q == queue_ids_.end() || !queues_[q->second].live) {
      return absl::NotFoundError(absl::StrCat("no queue ", in.queue));
    }
    for (const auto& s : in.skills) {
      if (s.skill.empty() || s.min_level < 1 || s.min_level > 5) {
        return absl::InvalidArgumentError("skill levels are 1 to 5");
      }
    }
    RoutingEvent e;
    e.at = clock_.Now();
    e.type = "enter";
    e.item_id = ++last_item_id_;
    e.queue = in.queue;
    e.media = in.media;
    e.priority = in.priority;
    e.skills = in.skills.empty() ? queues_[q->second].cfg.skills : in.skills;
    e.caller = in.caller;
    e.reference = in.reference;
    Enter(e, /*live=*/true);
    return e.item_id;
  }

  absl::Status Abandon(int64_t item_id, absl::Time now, bool live) {
    ItemRec* item = FindItem(item_id);
    if (item == nullptr) return absl::NotFoundError("no such item");
    if (item->state == ItemState::kConnected) {
      return absl::FailedPreconditionError("the item is already connected");
    }
    RoutingEvent e = Base(now, "abandon", *item);
    e.wait_seconds = Seconds(now - item->entered);
    e.position = Position(*item);
    e.original_position = item->original_position;
    int agent = -1;
    if (item->state == ItemState::kOffered) {
      agent = item->agent;
      e.agent_id = agents_[agent].cfg.id;
      Release(*item);
    } else {
      Dequeue(*item);
    }
    items_.erase(item_id);
    Emit(e);
    if (agent >= 0) {
      Reindex(agent);
      if (live) RouteAgent(agent, now);
    }
    return absl::OkStatus();
  }

  absl::Status Accept(int64_t item_id, int64_t agent_id, absl::Time now, bool live) {
    auto found = Held(item_id, agent_id, ItemState::kOffered);
    if (!found.ok()) return found.status();
    auto [item, agent] = *found;
    item->state = ItemState::kConnected;
    item->connected_at = now;
    ++item->token;
    agents_[agent].no_answers = 0;
    RoutingEvent e = Base(now, "connect", *item);
    e.agent_id = agent_id;
    e.wait_seconds = Seconds(now - item->entered);
    e.ring_seconds = Seconds(now - item->offered_at);
    Emit(e);
    return absl::OkStatus();
  }

  // Reject (agent says no) and ring-no-answer (timer): back to the queue.
  absl::Status Decline(int64_t item_id, int64_t agent_id, absl::Time now, bool live,
                       bool no_answer) {
    auto found = Held(item_id, agent_id, ItemState::kOffered);
    if (!found.ok()) return found.status();
    auto [item, agent] = *found;
    RoutingEvent e = Base(now, no_answer ? "no_answer" : "reject", *item);
    e.agent_id = agent_id;
    e.ring_seconds = Seconds(now - item->offered_at);
    Release(*item);
    item->excluded.push_back(agent);
    Enqueue(*item, now, /*keep_key=*/true);
    Emit(e);
    AgentRec& a = agents_[agent];
    if (no_answer) {
      ++a.no_answers;
      if (live && a.no_answers >= options_.max_no_answers && a.chosen == Presence::kAvailable) {
        SetPresenceAt(agent, Presence::kOnBreak, "no_answer", now, live);
      }
    }
    Reindex(agent);
    if (live) {
      RouteItem(item_id, now);
      RouteAgent(agent, now);
    }
    return absl::OkStatus();
  }

  absl::Status Complete(int64_t item_id, int64_t agent_id, absl::Time now, bool live,
                        std::optional<int> wrap_seconds = std::nullopt) {
    auto found = Held(item_id, agent_id, ItemState::kConnected);
    if (!found.ok()) return found.status();
    auto [item, agent] = *found;
    const int wrap = wrap_seconds.value_or(queues_[item->queue].cfg.wrap_up_seconds);
    RoutingEvent e = Base(now, "complete", *item);
    e.agent_id = agent_id;
    e.wait_seconds = Seconds(item->connected_at - item->entered);
    e.talk_seconds = Seconds(now - item->connected_at);
    e.wrap_up_seconds = wrap;
    Release(*item);
    items_.erase(item_id);
    AgentRec& a = agents_[agent];
    if (wrap > 0) {
      a.wrap = true;
      ++a.wrap_token;
      a.state_since = now;
      timers_.push({Micros(now + absl::Seconds(wrap)), TimerKind::kWrap, a.cfg.id, a.wrap_token});
    } else if (a.total_load == 0) {
      a.idle_since_us = Micros(now);
    }
    Emit(e);
    Reindex(agent);
    if (live) RouteAgent(agent, now);
    return absl::OkStatus();
  }

  absl::Status EndWrapUp(int64_t agent_id, absl::Time now, bool live) {
    int agent = AgentIndex(agent_id);
    if (agent < 0) return absl::NotFoundError("no such agent");
    AgentRec& a = agents_[agent];
    if (!a.wrap) return absl::FailedPreconditionError("the agent is not in wrap-up");
    a.wrap = false;
    ++a.wrap_token;
    a.state_since = now;
    if (a.total_load == 0) a.idle_since_us = Micros(now);
    RoutingEvent e;
    e.at = now;
    e.type = "wrap_up_end";
    e.agent_id = agent_id;
    Emit(e);
    Reindex(agent);
    if (live) RouteAgent(agent, now);
    return absl::OkStatus();
  }

  // Transfer (to a queue or an agent) and requeue: the agent lets go of a
  // connected item, which waits again.
  absl::Status Move(int64_t item_id, int64_t agent_id, const std::string& to_queue,
                    int64_t to_agent, bool requeue, absl::Time now, bool live) {
    auto found = Held(item_id, agent_id, ItemState::kConnected);
    if (!found.ok()) return found.status();
    auto [item, agent] = *found;
    int queue = item->queue;
    int target = -1;
    if (!to_queue.empty()) {
      auto q = queue_ids_.find(to_queue);
      if (q == queue_ids_.end() || !queues_[q->second].live) return absl::NotFoundError("no such queue");
      queue = q->second;
    }
    if (to_agent != 0) {
      target = AgentIndex(to_agent);
      if (target < 0) return absl::NotFoundError("no such agent to transfer to");
    }
    RoutingEvent e = Base(now, requeue ? "requeue" : "transfer", *item);
    e.agent_id = agent_id;
    e.to_queue = to_queue;
    e.to_agent = to_agent;
    e.talk_seconds = Seconds(now - item->connected_at);
    Release(*item);
    item->queue = queue;
    e.queue = queues_[queue].cfg.id;
    item->target = target;
    item->excluded.clear();
    if (!requeue) item->entered = now;
    Enqueue(*item, now, /*keep_key=*/requeue);
    AgentRec& a = agents_[agent];
    if (a.total_load == 0) a.idle_since_us = Micros(now);
    Emit(e);
    Reindex(agent);
    if (live) {
      RouteItem(item_id, now);
      RouteAgent(agent, now);
    }
    return absl::OkStatus();
  }

  absl::Status SetPresence(int64_t agent_id, Presence p, const std::string& reason, absl::Time now,
                           bool live) {
    if (p != Presence::kOffline && p != Presence::kAvailable && p != Presence::kOnBreak) {
      return absl::InvalidArgumentError("presence must be offline, available or on_break");
    }
    int agent = AgentIndex(agent_id);
    if (agent < 0) return absl::NotFoundError("no such agent");
    SetPresenceAt(agent, p, p == Presence::kOnBreak ? reason : "", now, live);
    return absl::OkStatus();
  }

  // ---- timers ----
  void Tick() {
    const int64_t now_us = Micros(clock_.Now());
    while (!timers_.empty() && timers_.top().at_us <= now_us) {
      Timer t = timers_.top();
      timers_.pop();
      const absl::Time at = absl::FromUnixMicros(t.at_us);
      switch (t.kind) {
        case TimerKind::kRing: {
          ItemRec* item = FindItem(t.id);
          if (item != nullptr && item->state == ItemState::kOffered && item->token == t.token) {
            (void)Decline(t.id, agents_[item->agent].cfg.id, at, true, /*no_answer=*/true);
          }
          break;
        }
        case TimerKind::kWrap: {
          int agent = AgentIndex(t.id);
          if (agent >= 0 && agents_[agent].wrap && agents_[agent].wrap_token == t.token) {
            (void)EndWrapUp(t.id, at, true);
          }
          break;
        }
        case TimerKind::kRouteItem: {
          ItemRec* item = FindItem(t.id);
          if (item != nullptr && item->state == ItemState::kWaiting && item->token == t.token) {
            Rebucket(*item, at);
            RouteItem(t.id, at);
          }
          break;
        }
      }
    }
  }

  std::optional<absl::Time> NextTimer() const {
    if (timers_.empty()) return std::nullopt;
    return absl::FromUnixMicros(timers_.top().at_us);
  }

  // ---- replay ----
  absl::Status Replay(const RoutingEvent& e) {
    replaying_ = true;
    const std::string& t = e.type;
    if (t == "enter") {
      if (!GetQueue(e.queue)) return absl::NotFoundError(absl::StrCat("replay: no queue ", e.queue));
      if (FindItem(e.item_id) != nullptr) return absl::AlreadyExistsError("replay: item exists");
      last_item_id_ = std::max(last_item_id_, e.item_id);
      Enter(e, /*live=*/false);
      return absl::OkStatus();
    }
    if (t == "offer") {
      ItemRec* item = FindItem(e.item_id);
      int agent = AgentIndex(e.agent_id);
      if (item == nullptr || agent < 0 || item->state != ItemState::kWaiting) {
        return absl::FailedPreconditionError("replay: offer does not fit");
      }
      Offer(*item, agent, e.at);
      return absl::OkStatus();
    }
    if (t == "connect") return Accept(e.item_id, e.agent_id, e.at, false);
    if (t == "reject") return Decline(e.item_id, e.agent_id, e.at, false, false);
    if (t == "no_answer") return Decline(e.item_id, e.agent_id, e.at, false, true);
    if (t == "complete") return Complete(e.item_id, e.agent_id, e.at, false, e.wrap_up_seconds);
    if (t == "wrap_up_end") return EndWrapUp(e.agent_id, e.at, false);
    if (t == "abandon") return Abandon(e.item_id, e.at, false);
    if (t == "transfer") return Move(e.item_id, e.agent_id, e.to_queue, e.to_agent, false, e.at, false);
    if (t == "requeue") return Move(e.item_id, e.agent_id, "", 0, true, e.at, false);
    if (t == "presence") {
      auto p = ParsePresence(e.presence);
      if (!p) return absl::InvalidArgumentError("replay: bad presence");
      return SetPresence(e.agent_id, *p, e.reason, e.at, false);
    }
    return absl::InvalidArgumentError(absl::StrCat("replay: unknown event type ", t));
  }

  void FinishReplay() {
    replaying_ = false;
    Tick();
    const absl::Time now = clock_.Now();
    std::vector<std::pair<int64_t, int64_t>> waiting;
    for (const auto& [id, item] : items_) {
      if (item.state == ItemState::kWaiting) waiting.push_back({item.key, id});
    }
    std::sort(waiting.begin(), waiting.end());
    for (const auto& [key, id] : waiting) RouteItem(id, now);
  }

  // ---- views ----
  std::optional<ItemView> Item(int64_t id) const {
    auto it = items_.find(id);
    if (it == items_.end()) return std::nullopt;
    return View(it->second);
  }

  std::optional<AgentView> Agent(int64_t id) const {
    auto it = agent_ids_.find(id);
    if (it == agent_ids_.end()) return std::nullopt;
    return View(agents_[it->second]);
  }

  std::vector<AgentView> Agents() const {
    std::vector<AgentView> out;
    for (const auto& a : agents_) out.push_back(View(a));
    return out;
  }

  std::vector<ItemView> WaitingItems(const std::string& queue_id) const {
    std::vector<ItemView> out;
    auto q = queue_ids_.find(queue_id);
    if (q == queue_ids_.end()) return out;
    for (const auto& [key, id] : queues_[q->second].waiting) out.push_back(View(items_.at(id)));
    return out;
  }

  std::vector<QueueView> QueueViews() const {
    std::vector<QueueView> out;
    std::vector<int> slot(queues_.size(), -1);
    for (size_t qi = 0; qi < queues_.size(); ++qi) {
      if (!queues_[qi].live) continue;
      slot[qi] = static_cast<int>(out.size());
      QueueView v;
      v.id = queues_[qi].cfg.id;
      v.waiting = static_cast<int>(queues_[qi].waiting.size());
      v.oldest_entered_at = absl::InfiniteFuture();
      for (const auto& [key, id] : queues_[qi].waiting) {
        v.oldest_entered_at = std::min(v.oldest_entered_at, items_.at(id).entered);
      }
      if (v.waiting == 0) v.oldest_entered_at = absl::InfinitePast();
      out.push_back(std::move(v));
    }
    for (const auto& a : agents_) {
      const int shown = static_cast<int>(Shown(a));
      for (const auto& line : a.profile) {
        if (slot[line.queue] >= 0) ++out[slot[line.queue]].agents_by_state[shown];
      }
    }
    return out;
  }

  int64_t decisions() const { return decisions_; }
  absl::Time Now() const { return clock_.Now(); }

 private:
  // ---- ids ----
  int QueueIndex(const std::string& id, bool create) {
    auto it = queue_ids_.find(id);
    if (it != queue_ids_.end()) return it->second;
    if (!create) return -1;
    queue_ids_[id] = static_cast<int>(queues_.size());
    queues_.emplace_back();
    return static_cast<int>(queues_.size()) - 1;
  }
  int SkillIndex(const std::string& code) {
    auto [it, inserted] = skill_ids_.try_emplace(code, static_cast<int>(skill_ids_.size()));
    return it->second;
  }
  std::vector<Req> Intern(const std::vector<SkillRequirement>& skills) {
    std::vector<Req> out;
    for (const auto& s : skills) out.push_back({SkillIndex(s.skill), s.min_level});
    return out;
  }
  int AgentIndex(int64_t id) const {
    auto it = agent_ids_.find(id);
    return it == agent_ids_.end() ? -1 : it->second;
  }
  ItemRec* FindItem(int64_t id) {
    auto it = items_.find(id);
    return it == items_.end() ? nullptr : &it->second;
  }
  absl::StatusOr<std::pair<ItemRec*, int>> Held(int64_t item_id, int64_t agent_id, ItemState state) {
    ItemRec* item = FindItem(item_id);
    if (item == nullptr) return absl::NotFoundError("no such item");
    int agent = AgentIndex(agent_id);
    if (agent < 0) return absl::NotFoundError("no such agent");
    if (item->agent != agent || item->state != state) {
      return absl::FailedPreconditionError(
          state == ItemState::kOffered ? "the item is not offered to this agent"
                                       : "the item is not connected to this agent");
    }
    return std::make_pair(item, agent);
  }

  // ---- index of available agents ----
  static int64_t IndexKey(bool queue, int id, int media) {
    return (static_cast<int64_t>(queue) << 40) | (static_cast<int64_t>(id) << 3) | media;
  }
  bool Routable(const AgentRec& a) const { return a.chosen == Presence::kAvailable && !a.wrap; }
  bool CanTake(const AgentRec& a, Media m) const {
    const int mi = static_cast<int>(m);
    if (a.cfg.capacity[mi] <= 0 || a.load[mi] >= a.cfg.capacity[mi]) return false;
    if (a.exclusive_load > 0) return false;
    return !IsExclusive(m) || a.total_load == 0;
  }
  void Unindex(int idx) {
    AgentRec& a = agents_[idx];
    for (int m = 0; m < kMediaCount; ++m) {
      if ((a.indexed_media & (1 << m)) == 0) continue;
      for (int key : a.indexed_keys) {
        const bool is_queue = key < 0;
        auto it = index_.find(IndexKey(is_queue, is_queue ? ~key : key, m));
        if (it != index_.end()) it->second.erase({a.indexed_key, idx});
      }
    }
    a.indexed_media = 0;
  }
  void Reindex(int idx) {
    Unindex(idx);
    AgentRec& a = agents_[idx];
    if (!Routable(a)) return;
    a.indexed_keys.clear();
    for (const auto& [skill, level] : a.skills) a.indexed_keys.push_back(skill);
    for (const auto& line : a.profile) a.indexed_keys.push_back(~line.queue);  // queues negative
    a.indexed_key = a.idle_since_us;
    for (int m = 0; m < kMediaCount; ++m) {
      if (!CanTake(a, static_cast<Media>(m))) continue;
      a.indexed_media |= static_cast<uint8_t>(1 << m);
      for (int key : a.indexed_keys) {
        const bool is_queue = key < 0;
        index_[IndexKey(is_queue, is_queue ? ~key : key, m)].insert({a.indexed_key, idx});
      }
    }
  }

  // ---- matching ----
  struct Need {
    int keep;
    int drop;
  };
  Need CurrentNeed(const ItemRec& item, absl::Time now) const {
    Need need{static_cast<int>(item.reqs.size()), 0};
    const double age = Seconds(now - item.entered);
    for (const auto& step : queues_[item.queue].steps) {
      if (age + 1e-9 < step.after_seconds) break;
      need.keep = step.keep_skills < 0 ? static_cast<int>(item.reqs.size())
                                       : std::min<int>(step.keep_skills, item.reqs.size());
      need.drop = step.level_drop;
    }
    return need;
  }
  static int LevelOf(const AgentRec& a, int skill) {
    auto it = std::lower_bound(a.skills.begin(), a.skills.end(), std::make_pair(skill, 0));
    return it != a.skills.end() && it->first == skill ? it->second : 0;
  }
  bool Eligible(int idx, const ItemRec& item, const Need& need, absl::Time now) const {
    const AgentRec& a = agents_[idx];
    if (!Routable(a) || !CanTake(a, item.media)) return false;
    if (item.target >= 0) return idx == item.target;
    if (std::find(item.excluded.begin(), item.excluded.end(), idx) != item.excluded.end()) return false;
    bool in_queue = false;
    for (const auto& line : a.profile) {
      if (line.queue == item.queue) {
        in_queue = Seconds(now - item.entered) + 1e-9 >= line.delay_seconds;
        break;
      }
    }
    if (!in_queue) return false;
    for (int r = 0; r < need.keep; ++r) {
      if (LevelOf(a, item.reqs[r].skill) < std::max(1, item.reqs[r].level - need.drop)) return false;
    }
    return true;
  }

  // The best available agent for a waiting item, or -1.
  int PickAgent(const ItemRec& item, absl::Time now) {
    const Need need = CurrentNeed(item, now);
    if (item.target >= 0) return Eligible(item.target, item, need, now) ? item.target : -1;
    const int m = static_cast<int>(item.media);
    const AgentSet* smallest = nullptr;
    auto consider = [&](int64_t key) -> bool {
      auto it = index_.find(key);
      if (it == index_.end() || it->second.empty()) return false;
      if (smallest == nullptr || it->second.size() < smallest->size()) smallest = &it->second;
      return true;
    };
    if (!consider(IndexKey(true, item.queue, m))) return -1;
    for (int r = 0; r < need.keep; ++r) {
      if (!consider(IndexKey(false, item.reqs[r].skill, m))) return -1;
    }
    const QueueRec& q = queues_[item.queue];
    int best = -1;
    double best_score = 0;
    for (const auto& [idle, idx] : *smallest) {
      if (!Eligible(idx, item, need, now)) continue;
      const AgentRec& a = agents_[idx];
      double score = 0;  // lower is better
      switch (q.cfg.strategy) {
        case Strategy::kLongestIdle:
          return idx;  // the set is ordered by idle-since
        case Strategy::kLeastOccupied: {
          double occupied = 0;
          for (int mm = 0; mm < kMediaCount; ++mm) {
            if (a.cfg.capacity[mm] > 0) occupied += static_cast<double>(a.load[mm]) / a.cfg.capacity[mm];
          }
          score = occupied;
          break;
        }
        case Strategy::kRoundRobin:
          // Next agent index after the cursor, wrapping round.
          score = idx > q.rr_cursor ? idx : idx + 1e9;
          break;
        case Strategy::kBestFit: {
          int total = 0;
          for (int r = 0; r < need.keep; ++r) total += LevelOf(a, item.reqs[r].skill);
          score = -total;
          break;
        }
      }
      if (best < 0 || score < best_score) {  // ties keep the longer idle (set order)
        best = idx;
        best_score = score;
      }
    }
    return best;
  }

  void RouteItem(int64_t item_id, absl::Time now) {
    ItemRec* item = FindItem(item_id);
    if (item == nullptr || item->state != ItemState::kWaiting) return;
    const int agent = PickAgent(*item, now);
    if (agent >= 0) Offer(*item, agent, now);
  }

  // Give a newly free agent the best waiting work it may take, repeatedly
  // while it has capacity.
  void RouteAgent(int idx, absl::Time now) {
    for (int guard = 0; guard < 64; ++guard) {
      const AgentRec& a = agents_[idx];
      if (!Routable(a)) return;
      ItemRec* chosen = nullptr;
      for (int64_t id : a.direct) {
        ItemRec* item = FindItem(id);
        if (item != nullptr && Eligible(idx, *item, CurrentNeed(*item, now), now)) {
          chosen = item;
          break;
        }
      }
      // One priority group at a time; within it the lowest score key wins
      // (ties: the earlier profile line, then the lower item id). Only the
      // buckets this agent could serve are read: per queue and media it can
      // take, items needing no skill and items whose first skill it has.
      for (size_t line = 0; chosen == nullptr && line < a.profile.size();) {
        const int priority = a.profile[line].priority;
        int chosen_queue = -1;
        for (; line < a.profile.size() && a.profile[line].priority == priority; ++line) {
          const int queue = a.profile[line].queue;
          for (int m = 0; m < kMediaCount; ++m) {
            if (!CanTake(a, static_cast<Media>(m))) continue;
            auto scan = [&](int skill) {
              auto bucket = buckets_.find(BucketKey(queue, m, skill));
              if (bucket == buckets_.end()) return;
              for (const auto& [key, id] : bucket->second) {
                if (chosen != nullptr &&
                    (key > chosen->key ||
                     (key == chosen->key && (chosen_queue != queue || id > chosen->id)))) {
                  break;
                }
                ItemRec& item = items_.at(id);
                if (Eligible(idx, item, CurrentNeed(item, now), now)) {
                  chosen = &item;
                  chosen_queue = queue;
                  break;
                }
              }
            };
            scan(-1);
            for (const auto& [skill, level] : a.skills) scan(skill);
          }
        }
      }
      if (chosen == nullptr) return;
      Offer(*chosen, idx, now);
    }
  }

  // ---- state changes ----
  void Enter(const RoutingEvent& e, bool live) {
    ItemRec& item = items_[e.item_id];
    item.id = e.item_id;
    item.media = e.media;
    item.queue = QueueIndex(e.queue, false);
    item.priority = e.priority;
    item.skills_text = e.skills;
    item.reqs = Intern(e.skills);
    item.caller = e.caller;
    item.reference = e.reference;
    item.entered = e.at;
    item.key = Micros(e.at) -
               static_cast<int64_t>(e.priority) * queues_[item.queue].cfg.priority_weight_seconds * 1'000'000;
    Enqueue(item, e.at, /*keep_key=*/true);
    item.original_position = Position(item);
    Emit(e);
    if (live) RouteItem(e.item_id, e.at);
  }

  void Enqueue(ItemRec& item, absl::Time now, bool keep_key) {
    item.state = ItemState::kWaiting;
    item.agent = -1;
    ++item.token;
    if (!keep_key) {
      item.key = Micros(now) -
                 static_cast<int64_t>(item.priority) * queues_[item.queue].cfg.priority_weight_seconds * 1'000'000;
    }
    if (item.target >= 0) {
      agents_[item.target].direct.push_back(item.id);
    } else {
      queues_[item.queue].waiting.insert({item.key, item.id});
      item.bucket = ItemBucket(item, now);
      buckets_[item.bucket].insert({item.key, item.id});
    }
    // Wake the item when a skill step or a profile delay may widen its agents.
    const QueueRec& q = queues_[item.queue];
    for (const auto& step : q.steps) {
      const absl::Time at = item.entered + absl::Seconds(step.after_seconds);
      if (at > now) timers_.push({Micros(at), TimerKind::kRouteItem, item.id, item.token});
    }
    for (int delay : q.delays) {
      const absl::Time at = item.entered + absl::Seconds(delay);
      if (at > now) timers_.push({Micros(at), TimerKind::kRouteItem, item.id, item.token});
    }
  }

  void Dequeue(ItemRec& item) {
    if (item.target >= 0) {
      auto& direct = agents_[item.target].direct;
      direct.erase(std::remove(direct.begin(), direct.end(), item.id), direct.end());
    } else {
      queues_[item.queue].waiting.erase({item.key, item.id});
      EraseFromBucket(item);
    }
  }

  // ---- index of waiting items: per (queue, media, first skill still required) ----
  static int64_t BucketKey(int queue, int media, int skill) {
    return (static_cast<int64_t>(queue) << 32) | (static_cast<int64_t>(skill + 1) << 3) | media;
  }
  int64_t ItemBucket(const ItemRec& item, absl::Time now) const {
    // keep_skills keeps the first requirements, so the first one stays the
    // bucket until a step lets any agent of the queue take the item.
    const Need need = CurrentNeed(item, now);
    const int skill = need.keep > 0 ? item.reqs[0].skill : -1;
    return BucketKey(item.queue, static_cast<int>(item.media), skill);
  }
  void EraseFromBucket(const ItemRec& item) {
    auto it = buckets_.find(item.bucket);
    if (it == buckets_.end()) return;
    it->second.erase({item.key, item.id});
    if (it->second.empty()) buckets_.erase(it);
  }
  // Called when a skill step may have passed (its timer) or the steps changed.
  // Between a step's time and the Tick that fires it the item stays in its
  // narrower bucket; the Tick then routes it (RouteItem) in any case.
  void Rebucket(ItemRec& item, absl::Time now) {
    if (item.state != ItemState::kWaiting || item.target >= 0) return;
    const int64_t bucket = ItemBucket(item, now);
    if (bucket == item.bucket) return;
    EraseFromBucket(item);
    item.bucket = bucket;
    buckets_[bucket].insert({item.key, item.id});
  }

  int Position(const ItemRec& item) const {
    if (item.state != ItemState::kWaiting || item.target >= 0) return 0;
    int pos = 1;
    for (const auto& entry : queues_[item.queue].waiting) {
      if (entry.second == item.id) return pos;
      ++pos;
    }
    return 0;
  }

  void Offer(ItemRec& item, int idx, absl::Time now) {
    Dequeue(item);
    item.target = -1;
    item.state = ItemState::kOffered;
    item.agent = idx;
    item.offered_at = now;
    ++item.token;
    AgentRec& a = agents_[idx];
    const int m = static_cast<int>(item.media);
    ++a.load[m];
    ++a.total_load;
    if (IsExclusive(item.media)) ++a.exclusive_load;
    a.items.push_back(item.id);
    if (a.total_load == 1) a.state_since = now;
    Reindex(idx);
    QueueRec& q = queues_[item.queue];
    q.rr_cursor = idx;
    if (q.cfg.ring_timeout_seconds > 0) {
      timers_.push({Micros(now + absl::Seconds(q.cfg.ring_timeout_seconds)), TimerKind::kRing,
                    item.id, item.token});
    }
    ++decisions_;
    RoutingEvent e = Base(now, "offer", item);
    e.agent_id = a.cfg.id;
    e.wait_seconds = Seconds(now - item.entered);
    Emit(e);
  }

  // The agent lets go of the item (it stays in items_; the caller decides).
  void Release(ItemRec& item) {
    AgentRec& a = agents_[item.agent];
    const int m = static_cast<int>(item.media);
    --a.load[m];
    --a.total_load;
    if (IsExclusive(item.media)) --a.exclusive_load;
    a.items.erase(std::remove(a.items.begin(), a.items.end(), item.id), a.items.end());
    item.agent = -1;
    ++item.token;
  }

  void SetPresenceAt(int idx, Presence p, const std::string& reason, absl::Time now, bool live) {
    AgentRec& a = agents_[idx];
    if (a.chosen == p && a.reason == reason) return;
    a.chosen = p;
    a.reason = reason;
    a.state_since = now;
    if (p == Presence::kAvailable) {
      a.no_answers = 0;
      if (a.total_load == 0) a.idle_since_us = Micros(now);
    }
    RoutingEvent e;
    e.at = now;
    e.type = "presence";
    e.agent_id = a.cfg.id;
    e.presence = std::string(PresenceName(p));
    e.reason = reason;
    Emit(e);
    Reindex(idx);
    if (live && p == Presence::kAvailable) RouteAgent(idx, now);
  }

  RoutingEvent Base(absl::Time now, const char* type, const ItemRec& item) const {
    RoutingEvent e;
    e.at = now;
    e.type = type;
    e.item_id = item.id;
    e.queue = queues_[item.queue].cfg.id;
    e.media = item.media;
    e.priority = item.priority;
    return e;
  }

  void Emit(const RoutingEvent& e) {
    if (!replaying_ && sink_ != nullptr) sink_->OnEvent(e);
  }

  Presence Shown(const AgentRec& a) const {
    if (a.chosen != Presence::kAvailable) return a.chosen;
    if (a.wrap) return Presence::kWrapUp;
    if (a.total_load > 0) return Presence::kBusy;
    return Presence::kAvailable;
  }

  ItemView View(const ItemRec& item) const {
    ItemView v;
    v.id = item.id;
    v.media = item.media;
    v.queue = queues_[item.queue].cfg.id;
    v.priority = item.priority;
    v.state = item.state;
    v.agent_id = item.agent >= 0 ? agents_[item.agent].cfg.id : 0;
    v.target_agent = item.target >= 0 ? agents_[item.target].cfg.id : 0;
    v.entered_at = item.entered;
    v.caller = item.caller;
    v.reference = item.reference;
    v.skills = item.skills_text;
    return v;
  }

  AgentView View(const AgentRec& a) const {
    AgentView v;
    v.id = a.cfg.id;
    v.name = a.cfg.name;
    v.chosen = a.chosen;
    v.shown = Shown(a);
    v.reason = a.reason;
    v.load = a.load;
    v.items = a.items;
    v.state_since = a.state_since;
    v.no_answers = a.no_answers;
    for (const auto& line : a.profile) v.queues.push_back(queues_[line.queue].cfg.id);
    return v;
  }

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

Engine::Engine(const Clock& clock, EventSink* sink, EngineOptions options)
    : impl_(std::make_unique<Impl>(clock, sink, options)) {}
Engine::~Engine() = default;

absl::Status Engine::UpsertQueue(const QueueConfig& q) { return impl_->UpsertQueue(q); }
absl::Status Engine::RemoveQueue(const std::string& id) { return impl_->RemoveQueue(id); }
absl::Status Engine::UpsertAgent(const AgentConfig& a) { return impl_->UpsertAgent(a); }
std::optional<QueueConfig> Engine::GetQueue(const std::string& id) const { return impl_->GetQueue(id); }
std::vector<QueueConfig> Engine::Queues() const { return impl_->Queues(); }
absl::StatusOr<int64_t> Engine::AddItem(const NewItem& item) { return impl_->AddItem(item); }
absl::Status Engine::Abandon(int64_t item) { return impl_->Abandon(item, impl_->Now(), true); }
absl::Status Engine::Accept(int64_t item, int64_t agent) { return impl_->Accept(item, agent, impl_->Now(), true); }
absl::Status Engine::Reject(int64_t item, int64_t agent) {
  return impl_->Decline(item, agent, impl_->Now(), true, false);
}
absl::Status Engine::Complete(int64_t item, int64_t agent) {
  return impl_->Complete(item, agent, impl_->Now(), true);
}
absl::Status Engine::TransferToQueue(int64_t item, int64_t agent, const std::string& queue) {
  if (queue.empty()) return absl::InvalidArgumentError("a transfer needs a queue");
  return impl_->Move(item, agent, queue, 0, false, impl_->Now(), true);
}
absl::Status Engine::TransferToAgent(int64_t item, int64_t agent, int64_t to_agent) {
  if (to_agent == 0) return absl::InvalidArgumentError("a transfer needs an agent");
  return impl_->Move(item, agent, "", to_agent, false, impl_->Now(), true);
}
absl::Status Engine::Requeue(int64_t item, int64_t agent) {
  return impl_->Move(item, agent, "", 0, true, impl_->Now(), true);
}
absl::Status Engine::SetPresence(int64_t agent, Presence p, const std::string& reason) {
  return impl_->SetPresence(agent, p, reason, impl_->Now(), true);
}
absl::Status Engine::EndWrapUp(int64_t agent) { return impl_->EndWrapUp(agent, impl_->Now(), true); }
void Engine::Tick() { impl_->Tick(); }
std::optional<absl::Time> Engine::NextTimer() const { return impl_->NextTimer(); }
absl::Status Engine::Replay(const RoutingEvent& e) { return impl_->Replay(e); }
void Engine::FinishReplay() { impl_->FinishReplay(); }
std::optional<ItemView> Engine::Item(int64_t id) const { return impl_->Item(id); }
std::optional<AgentView> Engine::Agent(int64_t id) const { return impl_->Agent(id); }
std::vector<ItemView> Engine::WaitingItems(const std::string& q) const { return impl_->WaitingItems(q); }
std::vector<QueueView> Engine::QueueViews() const { return impl_->QueueViews(); }
std::vector<AgentView> Engine::Agents() const { return impl_->Agents(); }
int64_t Engine::decisions() const { return impl_->decisions(); }

}  // namespace onestop::routing
