// Engine: an item's life — enter, accept, reject/no-answer, complete,
// wrap-up, transfer/requeue, abandon — and replay of recorded events.
#include "routing/engine_internal.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace onestop::routing {

using namespace engine_internal;  // NOLINT

absl::StatusOr<int64_t> Engine::Impl::AddItem(const NewItem& in) {
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
  if (in.to_agent != 0) {
    if (AgentIndex(in.to_agent) < 0) return absl::NotFoundError("no such agent");
    e.to_agent = in.to_agent;
  }
  Enter(e, /*live=*/true);
  return e.item_id;
}

absl::Status Engine::Impl::Abandon(int64_t item_id, absl::Time now, bool live) {
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

absl::Status Engine::Impl::Accept(int64_t item_id, int64_t agent_id, absl::Time now, bool live) {
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

absl::Status Engine::Impl::Decline(int64_t item_id, int64_t agent_id, absl::Time now, bool live,
                                   bool no_answer) {
  auto found = Held(item_id, agent_id, ItemState::kOffered);
  if (!found.ok()) return found.status();
  auto [item, agent] = *found;
  RoutingEvent e = Base(now, no_answer ? "no_answer" : "reject", *item);
  e.agent_id = agent_id;
  e.ring_seconds = Seconds(now - item->offered_at);
  Release(*item);
  // Not back to this agent until the retry delay has passed (EngineOptions).
  const absl::Time until = now + absl::Seconds(options_.retry_seconds);
  auto declined = std::find_if(item->excluded.begin(), item->excluded.end(),
                               [agent](const auto& entry) { return entry.first == agent; });
  if (declined == item->excluded.end()) {
    item->excluded.push_back({agent, until});
  } else {
    declined->second = until;
  }
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

absl::Status Engine::Impl::Complete(int64_t item_id, int64_t agent_id, absl::Time now, bool live,
                                    std::optional<int> wrap_seconds) {
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
    timers_.push({now + absl::Seconds(wrap), TimerKind::kWrap, a.cfg.id, a.wrap_token});
  } else if (a.total_load == 0) {
    a.idle_since_us = Micros(now);
  }
  Emit(e);
  Reindex(agent);
  if (live) RouteAgent(agent, now);
  return absl::OkStatus();
}

absl::Status Engine::Impl::EndWrapUp(int64_t agent_id, absl::Time now, bool live) {
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

absl::Status Engine::Impl::Move(int64_t item_id, int64_t agent_id, const std::string& to_queue,
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

absl::Status Engine::Impl::Replay(const RoutingEvent& e) {
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

void Engine::Impl::FinishReplay() {
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

}  // namespace onestop::routing
