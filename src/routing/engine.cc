// Engine: construction, configuration (queues, agents), presence, ids, the
// index of available agents, events and views; the public Engine methods.
#include "routing/engine_internal.h"

#include <algorithm>
#include <memory>

#include "absl/strings/str_cat.h"

namespace onestop::routing {

using namespace engine_internal;  // NOLINT

absl::Status Engine::Impl::UpsertQueue(const QueueConfig& cfg) {
  if (cfg.id.empty()) return absl::InvalidArgumentError("a queue needs an id");
  for (const auto& s : cfg.skills) {
    if (s.skill.empty() || s.min_level < 1 || s.min_level > 5) {
      return absl::InvalidArgumentError("skill levels are 1 to 5");
    }
  }
  int idx = QueueIndex(cfg.id, /*create=*/true);
  QueueRec& q = queues_[idx];
  std::vector<SkillStep> steps = cfg.steps;
  std::sort(steps.begin(), steps.end(),
            [](const SkillStep& a, const SkillStep& b) { return a.after_seconds < b.after_seconds; });
  const bool steps_changed = steps != q.steps;
  q.cfg = cfg;
  q.live = true;
  q.skills = Intern(cfg.skills);
  q.steps = std::move(steps);
  // New steps may move waiting items to another bucket, and each needs a
  // wake-up at its time (now for one already passed: the next Tick routes).
  const absl::Time now = clock_.Now();
  for (const auto& [key, id] : q.waiting) {
    ItemRec& item = items_.at(id);
    Rebucket(item, now);
    if (!steps_changed) continue;
    for (const SkillStep& step : q.steps) ArmItem(item, step.after_seconds, now);
  }
  return absl::OkStatus();
}

absl::Status Engine::Impl::RemoveQueue(const std::string& id) {
  auto it = queue_ids_.find(id);
  if (it == queue_ids_.end() || !queues_[it->second].live) return absl::NotFoundError("no such queue");
  for (const auto& [item_id, item] : items_) {
    if (item.queue == it->second) return absl::FailedPreconditionError("the queue holds work");
  }
  queues_[it->second].live = false;
  return absl::OkStatus();
}

std::optional<QueueConfig> Engine::Impl::GetQueue(const std::string& id) const {
  auto it = queue_ids_.find(id);
  if (it == queue_ids_.end() || !queues_[it->second].live) return std::nullopt;
  return queues_[it->second].cfg;
}

std::vector<QueueConfig> Engine::Impl::Queues() const {
  std::vector<QueueConfig> out;
  for (const auto& q : queues_) if (q.live) out.push_back(q.cfg);
  return out;
}

absl::Status Engine::Impl::UpsertAgent(const AgentConfig& cfg) {
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
  const absl::Time now = clock_.Now();
  for (const auto& p : cfg.profile) {
    a.profile.push_back({QueueIndex(p.queue, false), p.priority, p.delay_seconds});
    QueueRec& q = queues_[a.profile.back().queue];
    if (p.delay_seconds > 0 &&
        std::find(q.delays.begin(), q.delays.end(), p.delay_seconds) == q.delays.end()) {
      q.delays.push_back(p.delay_seconds);
      // Items already waiting were armed for the delays known when they
      // entered; this one needs its own wake-up.
      for (const auto& [key, id] : q.waiting) {
        const ItemRec& item = items_.at(id);
        if (!Reached(item.entered, now, p.delay_seconds)) ArmItem(item, p.delay_seconds, now);
      }
    }
  }
  std::stable_sort(a.profile.begin(), a.profile.end(),
                   [](const ProfileLine& x, const ProfileLine& y) { return x.priority < y.priority; });
  Reindex(idx);
  if (!replaying_) RouteAgent(idx, now);
  return absl::OkStatus();
}

absl::Status Engine::Impl::SetPresence(int64_t agent_id, Presence p, const std::string& reason, absl::Time now,
                                       bool live) {
  if (p != Presence::kOffline && p != Presence::kAvailable && p != Presence::kOnBreak) {
    return absl::InvalidArgumentError("presence must be offline, available or on_break");
  }
  int agent = AgentIndex(agent_id);
  if (agent < 0) return absl::NotFoundError("no such agent");
  SetPresenceAt(agent, p, p == Presence::kOnBreak ? reason : "", now, live);
  return absl::OkStatus();
}

std::optional<ItemView> Engine::Impl::Item(int64_t id) const {
  auto it = items_.find(id);
  if (it == items_.end()) return std::nullopt;
  return View(it->second);
}

std::optional<AgentView> Engine::Impl::Agent(int64_t id) const {
  auto it = agent_ids_.find(id);
  if (it == agent_ids_.end()) return std::nullopt;
  return View(agents_[it->second]);
}

std::vector<AgentView> Engine::Impl::Agents() const {
  std::vector<AgentView> out;
  for (const auto& a : agents_) out.push_back(View(a));
  return out;
}

std::vector<ItemView> Engine::Impl::WaitingItems(const std::string& queue_id) const {
  std::vector<ItemView> out;
  auto q = queue_ids_.find(queue_id);
  if (q == queue_ids_.end()) return out;
  for (const auto& [key, id] : queues_[q->second].waiting) out.push_back(View(items_.at(id)));
  return out;
}

std::vector<QueueView> Engine::Impl::QueueViews() const {
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
    const Presence presence = Shown(a);
    const int shown = static_cast<int>(presence);
    for (const auto& line : a.profile) {
      if (slot[line.queue] < 0) continue;
      QueueView& v = out[slot[line.queue]];
      ++v.agents_by_state[shown];
      const QueueRec& q = queues_[line.queue];
      if (presence != Presence::kAvailable || !CanTake(a, q.cfg.media)) continue;
      const bool skilled = std::all_of(q.skills.begin(), q.skills.end(), [&](const Req& r) {
        return LevelOf(a, r.skill) >= r.level;
      });
      if (skilled) ++v.available_eligible;
    }
  }
  return out;
}

int Engine::Impl::QueueIndex(const std::string& id, bool create) {
  auto it = queue_ids_.find(id);
  if (it != queue_ids_.end()) return it->second;
  if (!create) return -1;
  queue_ids_[id] = static_cast<int>(queues_.size());
  queues_.emplace_back();
  return static_cast<int>(queues_.size()) - 1;
}

int Engine::Impl::SkillIndex(const std::string& code) {
  auto [it, inserted] = skill_ids_.try_emplace(code, static_cast<int>(skill_ids_.size()));
  return it->second;
}

std::vector<Req> Engine::Impl::Intern(const std::vector<SkillRequirement>& skills) {
  std::vector<Req> out;
  for (const auto& s : skills) out.push_back({SkillIndex(s.skill), s.min_level});
  return out;
}

int Engine::Impl::AgentIndex(int64_t id) const {
  auto it = agent_ids_.find(id);
  return it == agent_ids_.end() ? -1 : it->second;
}

ItemRec* Engine::Impl::FindItem(int64_t id) {
  auto it = items_.find(id);
  return it == items_.end() ? nullptr : &it->second;
}

absl::StatusOr<std::pair<ItemRec*, int>> Engine::Impl::Held(int64_t item_id, int64_t agent_id, ItemState state) {
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

int64_t Engine::Impl::IndexKey(bool queue, int id, int media) {
  return (static_cast<int64_t>(queue) << 40) | (static_cast<int64_t>(id) << 3) | media;
}

bool Engine::Impl::CanTake(const AgentRec& a, Media m) const {
  const int mi = static_cast<int>(m);
  if (a.cfg.capacity[mi] <= 0 || a.load[mi] >= a.cfg.capacity[mi]) return false;
  if (a.exclusive_load > 0) return false;
  return !IsExclusive(m) || a.total_load == 0;
}

void Engine::Impl::Unindex(int idx) {
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

void Engine::Impl::Reindex(int idx) {
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

void Engine::Impl::SetPresenceAt(int idx, Presence p, const std::string& reason, absl::Time now, bool live) {
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

RoutingEvent Engine::Impl::Base(absl::Time now, const char* type, const ItemRec& item) const {
  RoutingEvent e;
  e.at = now;
  e.type = type;
  e.item_id = item.id;
  e.queue = queues_[item.queue].cfg.id;
  e.media = item.media;
  e.priority = item.priority;
  return e;
}

void Engine::Impl::Emit(const RoutingEvent& e) {
  if (!replaying_ && sink_ != nullptr) sink_->OnEvent(e);
}

Presence Engine::Impl::Shown(const AgentRec& a) const {
  if (a.chosen != Presence::kAvailable) return a.chosen;
  if (a.wrap) return Presence::kWrapUp;
  if (a.total_load > 0) return Presence::kBusy;
  return Presence::kAvailable;
}

ItemView Engine::Impl::View(const ItemRec& item) const {
  ItemView v;
  v.id = item.id;
  v.media = item.media;
  v.queue = queues_[item.queue].cfg.id;
  v.priority = item.priority;
  v.state = item.state;
  v.agent_id = item.agent >= 0 ? agents_[item.agent].cfg.id : 0;
  v.target_agent = item.target >= 0 ? agents_[item.target].cfg.id : 0;
  v.entered_at = item.entered;
  if (item.state == ItemState::kConnected) v.connected_at = item.connected_at;
  v.caller = item.caller;
  v.reference = item.reference;
  v.skills = item.skills_text;
  return v;
}

AgentView Engine::Impl::View(const AgentRec& a) const {
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
