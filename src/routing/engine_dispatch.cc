// Engine: matching items with agents — eligibility, picking, offers, the
// waiting-item buckets and timers.
#include "routing/engine_internal.h"

#include <algorithm>
#include <limits>

namespace onestop::routing {

using namespace engine_internal;  // NOLINT

void Engine::Impl::Tick() {
  // A timer due exactly now counts: `at` is the moment its decision changes
  // and the handlers below decide at `at`, where Reached() holds.
  const absl::Time now = clock_.Now();
  while (!timers_.empty() && timers_.top().at <= now) {
    const Timer t = timers_.top();
    timers_.pop();
    const absl::Time at = t.at;
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

std::optional<absl::Time> Engine::Impl::NextTimer() const {
  if (timers_.empty()) return std::nullopt;
  return timers_.top().at;
}

Engine::Impl::Need Engine::Impl::CurrentNeed(const ItemRec& item, absl::Time now) const {
  Need need{static_cast<int>(item.reqs.size()), 0};
  for (const auto& step : queues_[item.queue].steps) {
    if (!Reached(item.entered, now, step.after_seconds)) break;
    need.keep = step.keep_skills < 0 ? static_cast<int>(item.reqs.size())
                                     : std::min<int>(step.keep_skills, item.reqs.size());
    need.drop = step.level_drop;
  }
  return need;
}

int Engine::Impl::LevelOf(const AgentRec& a, int skill) {
  auto it = std::lower_bound(a.skills.begin(), a.skills.end(), std::make_pair(skill, 0));
  return it != a.skills.end() && it->first == skill ? it->second : 0;
}

bool Engine::Impl::Eligible(int idx, const ItemRec& item, const Need& need, absl::Time now) const {
  const AgentRec& a = agents_[idx];
  if (!Routable(a) || !CanTake(a, item.media)) return false;
  if (item.target >= 0) return idx == item.target;
  for (const auto& [agent, until] : item.excluded) {
    if (agent == idx && now < until) return false;
  }
  bool in_queue = false;
  for (const auto& line : a.profile) {
    if (line.queue == item.queue) {
      in_queue = Reached(item.entered, now, line.delay_seconds);
      break;
    }
  }
  if (!in_queue) return false;
  for (int r = 0; r < need.keep; ++r) {
    if (LevelOf(a, item.reqs[r].skill) < std::max(1, item.reqs[r].level - need.drop)) return false;
  }
  return true;
}

bool Engine::Impl::Declined(const ItemRec& item, int idx) {
  return std::any_of(item.excluded.begin(), item.excluded.end(),
                     [idx](const auto& entry) { return entry.first == idx; });
}

int Engine::Impl::PickAgent(const ItemRec& item, absl::Time now) {
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
  // First among agents who have not declined the item; only when none of
  // them is eligible, among those whose retry delay has passed.
  for (const bool declined_too : {false, true}) {
    if (declined_too && item.excluded.empty()) break;
    const int best = PickAmong(*smallest, item, need, now, declined_too);
    if (best >= 0) return best;
  }
  return -1;
}

int Engine::Impl::PickAmong(const AgentSet& candidates, const ItemRec& item, const Need& need,
                            absl::Time now, bool declined_too) {
  const QueueRec& q = queues_[item.queue];
  int best = -1;
  double best_score = 0;
  for (const auto& [idle, idx] : candidates) {
    if (!Eligible(idx, item, need, now)) continue;
    if (!declined_too && Declined(item, idx)) continue;
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

void Engine::Impl::RouteItem(int64_t item_id, absl::Time now) {
  ItemRec* item = FindItem(item_id);
  if (item == nullptr || item->state != ItemState::kWaiting) return;
  const int agent = PickAgent(*item, now);
  if (agent >= 0) Offer(*item, agent, now);
}

void Engine::Impl::RouteAgent(int idx, absl::Time now) {
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

void Engine::Impl::Enter(const RoutingEvent& e, bool live) {
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
  item.target = e.to_agent != 0 ? AgentIndex(e.to_agent) : -1;
  item.key = Micros(e.at) -
             static_cast<int64_t>(e.priority) * queues_[item.queue].cfg.priority_weight_seconds * 1'000'000;
  Enqueue(item, e.at, /*keep_key=*/true);
  item.original_position = Position(item);
  Emit(e);
  if (live) RouteItem(e.item_id, e.at);
}

void Engine::Impl::Enqueue(ItemRec& item, absl::Time now, bool keep_key) {
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
  // Moments already passed need no timer: every caller routes the item (or,
  // in replay, FinishReplay does).
  const QueueRec& q = queues_[item.queue];
  for (const auto& step : q.steps) {
    if (!Reached(item.entered, now, step.after_seconds)) ArmItem(item, step.after_seconds, now);
  }
  for (int delay : q.delays) {
    if (!Reached(item.entered, now, delay)) ArmItem(item, delay, now);
  }
  // And when an agent who declined it may be offered it again.
  for (const auto& [agent, until] : item.excluded) {
    if (now < until) timers_.push({until, TimerKind::kRouteItem, item.id, item.token});
  }
}

void Engine::Impl::ArmItem(const ItemRec& item, int after_seconds, absl::Time now) {
  const absl::Time at = std::max(item.entered + absl::Seconds(after_seconds), now);
  timers_.push({at, TimerKind::kRouteItem, item.id, item.token});
}

void Engine::Impl::Dequeue(ItemRec& item) {
  if (item.target >= 0) {
    auto& direct = agents_[item.target].direct;
    direct.erase(std::remove(direct.begin(), direct.end(), item.id), direct.end());
  } else {
    queues_[item.queue].waiting.erase({item.key, item.id});
    EraseFromBucket(item);
  }
}

int64_t Engine::Impl::BucketKey(int queue, int media, int skill) {
  return (static_cast<int64_t>(queue) << 32) | (static_cast<int64_t>(skill + 1) << 3) | media;
}

int64_t Engine::Impl::ItemBucket(const ItemRec& item, absl::Time now) const {
  // keep_skills keeps the first requirements, so the first one stays the
  // bucket until a step lets any agent of the queue take the item.
  const Need need = CurrentNeed(item, now);
  const int skill = need.keep > 0 ? item.reqs[0].skill : -1;
  return BucketKey(item.queue, static_cast<int>(item.media), skill);
}

void Engine::Impl::EraseFromBucket(const ItemRec& item) {
  auto it = buckets_.find(item.bucket);
  if (it == buckets_.end()) return;
  it->second.erase({item.key, item.id});
  if (it->second.empty()) buckets_.erase(it);
}

void Engine::Impl::Rebucket(ItemRec& item, absl::Time now) {
  if (item.state != ItemState::kWaiting || item.target >= 0) return;
  const int64_t bucket = ItemBucket(item, now);
  if (bucket == item.bucket) return;
  EraseFromBucket(item);
  item.bucket = bucket;
  buckets_[bucket].insert({item.key, item.id});
}

int Engine::Impl::Position(const ItemRec& item) const {
  if (item.state != ItemState::kWaiting || item.target >= 0) return 0;
  int pos = 1;
  for (const auto& entry : queues_[item.queue].waiting) {
    if (entry.second == item.id) return pos;
    ++pos;
  }
  return 0;
}

void Engine::Impl::Offer(ItemRec& item, int idx, absl::Time now) {
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
    timers_.push({now + absl::Seconds(q.cfg.ring_timeout_seconds), TimerKind::kRing, item.id,
                  item.token});
  }
  ++decisions_;
  RoutingEvent e = Base(now, "offer", item);
  e.agent_id = a.cfg.id;
  e.wait_seconds = Seconds(now - item.entered);
  Emit(e);
}

void Engine::Impl::Release(ItemRec& item) {
  AgentRec& a = agents_[item.agent];
  const int m = static_cast<int>(item.media);
  --a.load[m];
  --a.total_load;
  if (IsExclusive(item.media)) --a.exclusive_load;
  a.items.erase(std::remove(a.items.begin(), a.items.end(), item.id), a.items.end());
  item.agent = -1;
  ++item.token;
}

}  // namespace onestop::routing
