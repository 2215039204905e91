#include "routing/live_engine.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status.h"
#include "common/time_format.h"

namespace onestop::routing {
namespace {

constexpr char kEntity[] = "routing";
constexpr char kStandby[] =
    "routing runs on one node at a time and this node is a standby; try again on the leader";
constexpr char kTypePrefix[] = "routing.";

std::string FormatDouble(double v) { return absl::StrFormat("%.17g", v); }

std::vector<domain::RoutingSkillRule> ToRules(const std::vector<SkillRequirement>& skills) {
  std::vector<domain::RoutingSkillRule> out;
  for (const SkillRequirement& s : skills) out.push_back({s.skill, s.min_level});
  return out;
}

std::vector<SkillRequirement> FromRules(const std::vector<domain::RoutingSkillRule>& rules) {
  std::vector<SkillRequirement> out;
  for (const domain::RoutingSkillRule& r : rules) out.push_back({r.skill, r.min_level});
  return out;
}

}  // namespace

domain::Event ToDomainEvent(const RoutingEvent& e) {
  domain::Event out;
  out.at = e.at;
  out.entity = kEntity;
  out.entity_id = e.item_id;
  out.entity_key = e.queue;
  out.type = absl::StrCat(kTypePrefix, e.type);
  auto add = [&out](const char* field, std::string value) {
    out.changes.push_back(domain::FieldChange{field, "", std::move(value)});
  };
  if (e.agent_id != 0) add("agent", absl::StrCat(e.agent_id));
  if (e.media != Media::kVoice) add("media", std::string(MediaName(e.media)));
  if (e.priority != 0) add("priority", absl::StrCat(e.priority));
  if (!e.skills.empty()) add("skills", domain::FormatSkillRules(ToRules(e.skills)));
  if (!e.caller.empty()) add("caller", e.caller);
  if (!e.reference.empty()) add("reference", e.reference);
  if (e.wait_seconds != 0) add("wait", FormatDouble(e.wait_seconds));
  if (e.ring_seconds != 0) add("ring", FormatDouble(e.ring_seconds));
  if (e.talk_seconds != 0) add("talk", FormatDouble(e.talk_seconds));
  if (e.position != 0) add("position", absl::StrCat(e.position));
  if (e.original_position != 0) add("original_position", absl::StrCat(e.original_position));
  if (!e.presence.empty()) add("presence", e.presence);
  if (!e.reason.empty()) add("reason", e.reason);
  if (!e.to_queue.empty()) add("to_queue", e.to_queue);
  if (e.to_agent != 0) add("to_agent", absl::StrCat(e.to_agent));
  if (e.wrap_up_seconds != 0) add("wrap_up", absl::StrCat(e.wrap_up_seconds));
  return out;
}

absl::StatusOr<RoutingEvent> FromDomainEvent(const domain::Event& in) {
  if (in.entity != kEntity || !in.type.starts_with(kTypePrefix)) {
    return absl::InvalidArgumentError(absl::StrCat("event ", in.seq, " is not a routing event"));
  }
  RoutingEvent e;
  e.at = in.at;
  e.type = in.type.substr(sizeof(kTypePrefix) - 1);
  e.item_id = in.entity_id;
  e.queue = in.entity_key;
  bool ok = true;
  auto to_int = [&ok](const std::string& text, auto& target) {
    int64_t v = 0;
    ok = ok && absl::SimpleAtoi(text, &v);
    target = static_cast<std::remove_reference_t<decltype(target)>>(v);
  };
  auto to_double = [&ok](const std::string& text, double& target) {
    ok = ok && absl::SimpleAtod(text, &target);
  };
  for (const domain::FieldChange& c : in.changes) {
    const std::string& v = c.after;
    if (c.field == "agent") to_int(v, e.agent_id);
    else if (c.field == "media") {
      auto m = ParseMedia(v);
      ok = ok && m.has_value();
      if (m) e.media = *m;
    } else if (c.field == "priority") to_int(v, e.priority);
    else if (c.field == "skills") e.skills = FromRules(domain::ParseSkillRules(v));
    else if (c.field == "caller") e.caller = v;
    else if (c.field == "reference") e.reference = v;
    else if (c.field == "wait") to_double(v, e.wait_seconds);
    else if (c.field == "ring") to_double(v, e.ring_seconds);
    else if (c.field == "talk") to_double(v, e.talk_seconds);
    else if (c.field == "position") to_int(v, e.position);
    else if (c.field == "original_position") to_int(v, e.original_position);
    else if (c.field == "presence") e.presence = v;
    else if (c.field == "reason") e.reason = v;
    else if (c.field == "to_queue") e.to_queue = v;
    else if (c.field == "to_agent") to_int(v, e.to_agent);
    else if (c.field == "wrap_up") to_int(v, e.wrap_up_seconds);
  }
  if (!ok) return absl::InvalidArgumentError(absl::StrCat("event ", in.seq, " has a bad field"));
  return e;
}

absl::StatusOr<QueueConfig> ToQueueConfig(const domain::RoutingQueue& q) {
  if (!domain::ValidRoutingCode(q.code)) {
    return absl::InvalidArgumentError("a queue code is 1 to 64 of a-z, 0-9, - and _");
  }
  QueueConfig cfg;
  cfg.id = q.code;
  cfg.name = q.name;
  auto strategy = ParseStrategy(q.strategy);
  if (!strategy) return absl::InvalidArgumentError(absl::StrCat("unknown strategy ", q.strategy));
  cfg.strategy = *strategy;
  for (const domain::RoutingSkillRule& r : q.skills) {
    if (!domain::ValidRoutingCode(r.skill) || r.min_level < 1 || r.min_level > 5) {
      return absl::InvalidArgumentError("a skill is a code with a level of 1 to 5");
    }
    cfg.skills.push_back({r.skill, r.min_level});
  }
  for (const domain::RoutingStepRule& s : q.steps) {
    if (s.after_seconds < 0 || s.keep_skills < -1 || s.level_drop < 0) {
      return absl::InvalidArgumentError("a skill step needs after_seconds >= 0, keep_skills >= -1, level_drop >= 0");
    }
    cfg.steps.push_back({s.after_seconds, s.keep_skills, s.level_drop});
  }
  if (q.priority_weight_seconds < 0 || q.ring_timeout_seconds < 0 || q.wrap_up_seconds < 0 ||
      q.service_level_seconds < 0) {
    return absl::InvalidArgumentError("times cannot be negative");
  }
  cfg.priority_weight_seconds = q.priority_weight_seconds;
  cfg.ring_timeout_seconds = q.ring_timeout_seconds;
  cfg.wrap_up_seconds = q.wrap_up_seconds;
  cfg.service_level_seconds = q.service_level_seconds;
  auto media = ParseMedia(q.media);
  if (!media) return absl::InvalidArgumentError(absl::StrCat("unknown media ", q.media));
  cfg.media = *media;
  return cfg;
}

const domain::RoutingProfile* ProfileFor(const domain::StaffUser& staff,
                                         const std::vector<domain::RoutingProfile>& profiles) {
  const domain::RoutingProfile* profile = nullptr;
  if (!staff.routing_profile.empty()) {
    for (const domain::RoutingProfile& p : profiles) {
      if (p.code == staff.routing_profile) return &p;
    }
  }
  for (const domain::RoutingProfile& p : profiles) {
    if (!staff.team.empty() && p.team == staff.team) profile = &p;
  }
  if (profile == nullptr) {
    for (const domain::RoutingProfile& p : profiles) {
      if (p.team.empty()) profile = &p;
    }
  }
  return profile;
}

AgentConfig ToAgentConfig(const domain::StaffUser& staff,
                          const std::vector<domain::RoutingProfile>& profiles,
                          const std::vector<domain::RoutingQueue>& queues) {
  AgentConfig cfg;
  cfg.id = staff.id;
  cfg.name = staff.display_name;
  for (const domain::Skill& s : staff.skills) {
    cfg.skills.push_back({s.code, std::clamp(s.proficiency, 1, 5)});
  }
  const domain::RoutingProfile* profile = ProfileFor(staff, profiles);
  auto known = [&queues](const std::string& code) {
    return std::any_of(queues.begin(), queues.end(),
                       [&](const domain::RoutingQueue& q) { return q.code == code; });
  };
  if (profile != nullptr) {
    for (int m = 0; m < kMediaCount; ++m) cfg.capacity[m] = std::max(0, profile->capacity[m]);
    for (const domain::RoutingProfileQueue& line : profile->queues) {
      if (known(line.queue)) cfg.profile.push_back({line.queue, line.priority, line.delay_seconds});
    }
  } else {
    for (const domain::RoutingQueue& q : queues) cfg.profile.push_back({q.code, 1, 0});
  }
  return cfg;
}

// Collects what the engine emits during one call.
class LiveEngine::Sink : public EventSink {
 public:
  void OnEvent(const RoutingEvent& event) override { pending.push_back(event); }
  std::vector<RoutingEvent> pending;
};

LiveEngine::LiveEngine(domain::Store& store, const Clock& clock, LiveOptions options)
    : store_(store), clock_(clock), options_(options), sink_(std::make_unique<Sink>()) {
  engine_ = std::make_unique<Engine>(clock_, sink_.get(), options_.engine);
}

LiveEngine::~LiveEngine() { Stop(); }

absl::Status LiveEngine::Start(Fence fence) {
  std::unique_lock lock(mu_);
  if (closed_) return absl::FailedPreconditionError("the routing engine has stopped");
  if (started_) return absl::FailedPreconditionError("the routing engine has already started");
  ResetLocked();
  fence_ = std::move(fence);
  ONESTOP_ASSIGN_OR_RETURN(queues_, store_.ListRoutingQueues());
  ONESTOP_ASSIGN_OR_RETURN(profiles_, store_.ListRoutingProfiles());
  for (const domain::RoutingQueue& q : queues_) {
    ONESTOP_ASSIGN_OR_RETURN(QueueConfig cfg, ToQueueConfig(q));
    ONESTOP_RETURN_IF_ERROR(engine_->UpsertQueue(cfg));
    metrics_.SetThreshold(q.code, q.service_level_seconds);
    today_.SetThreshold(q.code, q.service_level_seconds);
  }
  ONESTOP_RETURN_IF_ERROR(ReloadAgentsLocked());
  domain::EventQuery query;
  query.entity = kEntity;
  query.limit = 1000;
  while (true) {
    ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::Event> page, store_.ListEvents(query));
    for (const domain::Event& stored : page) {
      absl::StatusOr<RoutingEvent> event = FromDomainEvent(stored);
      if (!event.ok() || !engine_->Replay(*event).ok()) {
        ++skipped_on_replay_;
        continue;
      }
      CountLocked(*event);
    }
    if (page.size() < static_cast<size_t>(query.limit)) break;
    query.after_seq = page.back().seq;
  }
  started_ = true;
  // Timers already due and items that now have an agent produce new events.
  ONESTOP_RETURN_IF_ERROR(RunLocked([this] {
    engine_->FinishReplay();
    return absl::OkStatus();
  }));
  if (options_.timer_thread) {
    timer_stop_ = false;
    timer_ = std::thread([this] { TimerLoop(); });
  }
  for (auto& [id, listener] : listeners_) listener({});
  return absl::OkStatus();
}

void LiveEngine::ResetLocked() {
  sink_->pending.clear();
  engine_ = std::make_unique<Engine>(clock_, sink_.get(), options_.engine);
  metrics_ = QueueMetrics();
  today_ = QueueMetrics();
  today_ends_ = absl::InfinitePast();
  today_starts_ = absl::InfinitePast();
  queues_.clear();
  profiles_.clear();
  skipped_on_replay_ = 0;
  by_reference_.clear();
  reference_of_.clear();
  fence_ = nullptr;
  deposed_ = false;
}

void LiveEngine::StepDown() {
  {
    std::lock_guard lock(mu_);
    started_ = false;  // from here on every change answers Unavailable
    timer_stop_ = true;
  }
  wake_.notify_all();
  if (timer_.joinable()) timer_.join();
  std::lock_guard lock(mu_);
  ResetLocked();
  for (auto& [id, listener] : listeners_) listener({});
}

void LiveEngine::Stop() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
    timer_stop_ = true;
  }
  wake_.notify_all();
  if (timer_.joinable()) timer_.join();
}

bool LiveEngine::leading() const {
  std::lock_guard lock(mu_);
  return started_ && !deposed_;
}

bool LiveEngine::deposed() const {
  std::lock_guard lock(mu_);
  return deposed_;
}

void LiveEngine::TimerLoop() {
  std::unique_lock lock(mu_);
  while (!timer_stop_) {
    std::optional<absl::Time> next = engine_->NextTimer();
    if (!next) {
      wake_.wait(lock);
      continue;
    }
    const absl::Duration delay = *next - clock_.Now();
    if (delay > absl::ZeroDuration()) {
      // Capped so a clock that jumps is noticed within a second; rounded up
      // so the wait does not end (and spin) just before the timer is due.
      const absl::Duration wait =
          absl::Ceil(std::min(delay, absl::Seconds(1)), absl::Microseconds(1));
      wake_.wait_for(lock, absl::ToChronoMicroseconds(wait));
      continue;
    }
    // A failed write is reported to nobody here; the events are lost from the
    // log until a restart replays what was written (see the header).
    (void)RunLocked([this] {
      engine_->Tick();
      return absl::OkStatus();
    });
  }
}

absl::Status LiveEngine::LeadingLocked() const {
  return started_ && !deposed_ ? absl::OkStatus() : absl::UnavailableError(kStandby);
}

absl::Status LiveEngine::RunLocked(const std::function<absl::Status()>& fn,
                                   const std::function<absl::Status(domain::WriteTxn&)>& extra) {
  ONESTOP_RETURN_IF_ERROR(LeadingLocked());
  sink_->pending.clear();
  absl::Status status = fn();
  // fn may have armed a timer without emitting anything (a profile delay or
  // skill step new to waiting items): the timer thread re-reads NextTimer.
  wake_.notify_all();
  std::vector<RoutingEvent> events = std::move(sink_->pending);
  sink_->pending.clear();
  if (!status.ok()) return status;
  if (events.empty() && !extra) return absl::OkStatus();
  // The fence first: if another node holds a newer epoch, nothing is written
  // and this node is deposed (the election then steps it down).
  bool fenced_out = false;
  ONESTOP_RETURN_IF_ERROR([&]() -> absl::Status {
    absl::Status written = store_.Write([&](domain::WriteTxn& txn) -> absl::Status {
      fenced_out = false;
      if (fence_) {
        if (absl::Status s = fence_(txn); !s.ok()) {
          fenced_out = s.code() == absl::StatusCode::kAborted;
          return s;
        }
      }
      if (extra) ONESTOP_RETURN_IF_ERROR(extra(txn));
      for (const RoutingEvent& event : events) {
        ONESTOP_RETURN_IF_ERROR(txn.AppendEvent(ToDomainEvent(event)).status());
      }
      return absl::OkStatus();
    });
    if (!fenced_out) return written;
    deposed_ = true;
    return absl::UnavailableError(
        "another node has taken over routing; this node is now a standby, try again on the leader");
  }());
  for (const RoutingEvent& event : events) CountLocked(event);
  if (!events.empty()) {
    for (auto& [id, listener] : listeners_) listener(events);
  }
  return absl::OkStatus();
}

void LiveEngine::CountLocked(const RoutingEvent& event) {
  metrics_.OnEvent(event);
  if (event.type == "enter" && !event.reference.empty()) {
    std::string key = absl::StrCat(std::string(MediaName(event.media)), ":", event.reference);
    by_reference_[key] = event.item_id;
    reference_of_[event.item_id] = std::move(key);
  } else if (event.type == "complete" || event.type == "abandon") {
    if (auto it = reference_of_.find(event.item_id); it != reference_of_.end()) {
      if (auto by = by_reference_.find(it->second); by != by_reference_.end() && by->second == event.item_id) {
        by_reference_.erase(by);
      }
      reference_of_.erase(it);
    }
  }
  if (event.at >= today_ends_) {
    const absl::TimeZone& tz = LondonTimeZone();
    const absl::CivilDay day = absl::ToCivilDay(event.at, tz);
    today_starts_ = absl::FromCivil(day, tz);
    today_ends_ = absl::FromCivil(day + 1, tz);
    today_.Reset();
  }
  today_.OnEvent(event);
}

absl::Status LiveEngine::ReloadAgentsLocked() {
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::StaffUser> staff, store_.ListStaff());
  for (const domain::StaffUser& s : staff) {
    if (!s.active) continue;
    ONESTOP_RETURN_IF_ERROR(engine_->UpsertAgent(ToAgentConfig(s, profiles_, queues_)));
  }
  return absl::OkStatus();
}

absl::Status LiveEngine::PutQueue(const domain::RoutingQueue& queue,
                                  std::optional<int64_t> expected_version) {
  ONESTOP_ASSIGN_OR_RETURN(QueueConfig cfg, ToQueueConfig(queue));
  std::lock_guard lock(mu_);
  // The version-checked store write first, the engine after, so a stale
  // expected_version changes nothing. UpsertQueue emits no events (it only
  // re-buckets waiting items; routing follows in ReloadAgentsLocked), so the
  // new definition is still durable before anything it causes.
  ONESTOP_RETURN_IF_ERROR(RunLocked([] { return absl::OkStatus(); },
                                    [&](domain::WriteTxn& txn) {
                                      return txn.PutRoutingQueue(queue, expected_version);
                                    }));
  ONESTOP_RETURN_IF_ERROR(RunLocked([&] { return engine_->UpsertQueue(cfg); }));
  auto it = std::find_if(queues_.begin(), queues_.end(),
                         [&](const domain::RoutingQueue& q) { return q.code == queue.code; });
  if (it == queues_.end()) {
    queues_.push_back(queue);
  } else {
    *it = queue;
  }
  metrics_.SetThreshold(queue.code, queue.service_level_seconds);
  today_.SetThreshold(queue.code, queue.service_level_seconds);
  return RunLocked([this] { return ReloadAgentsLocked(); });
}

absl::Status LiveEngine::DeleteQueue(const std::string& code) {
  std::lock_guard lock(mu_);
  ONESTOP_RETURN_IF_ERROR(LeadingLocked());  // a standby knows no queues
  auto it = std::find_if(queues_.begin(), queues_.end(),
                         [&](const domain::RoutingQueue& q) { return q.code == code; });
  if (it == queues_.end()) return absl::NotFoundError(absl::StrCat("routing queue ", code, " not found"));
  // Agents first stop listing the queue, then the engine lets it go.
  domain::RoutingQueue removed = *it;
  queues_.erase(it);
  ONESTOP_RETURN_IF_ERROR(RunLocked([this] { return ReloadAgentsLocked(); }));
  absl::Status status = RunLocked([&] { return engine_->RemoveQueue(code); },
                                  [&](domain::WriteTxn& txn) { return txn.DeleteRoutingQueue(code); });
  if (!status.ok()) {
    queues_.push_back(removed);
    (void)RunLocked([this] { return ReloadAgentsLocked(); });
  }
  return status;
}

absl::Status LiveEngine::PutProfile(const domain::RoutingProfile& profile,
                                    std::optional<int64_t> expected_version) {
  if (!domain::ValidRoutingCode(profile.code)) {
    return absl::InvalidArgumentError("a profile code is 1 to 64 of a-z, 0-9, - and _");
  }
  std::lock_guard lock(mu_);
  ONESTOP_RETURN_IF_ERROR(LeadingLocked());  // a standby knows no queues
  for (const domain::RoutingProfileQueue& line : profile.queues) {
    bool known = std::any_of(queues_.begin(), queues_.end(),
                             [&](const domain::RoutingQueue& q) { return q.code == line.queue; });
    if (!known) return absl::InvalidArgumentError(absl::StrCat("unknown queue ", line.queue));
  }
  ONESTOP_RETURN_IF_ERROR(RunLocked(
      [] { return absl::OkStatus(); },
      [&](domain::WriteTxn& txn) { return txn.PutRoutingProfile(profile, expected_version); }));
  auto it = std::find_if(profiles_.begin(), profiles_.end(),
                         [&](const domain::RoutingProfile& p) { return p.code == profile.code; });
  if (it == profiles_.end()) {
    profiles_.push_back(profile);
  } else {
    *it = profile;
  }
  return RunLocked([this] { return ReloadAgentsLocked(); });
}

absl::Status LiveEngine::DeleteProfile(const std::string& code) {
  std::lock_guard lock(mu_);
  ONESTOP_RETURN_IF_ERROR(RunLocked([] { return absl::OkStatus(); },
                                    [&](domain::WriteTxn& txn) { return txn.DeleteRoutingProfile(code); }));
  std::erase_if(profiles_, [&](const domain::RoutingProfile& p) { return p.code == code; });
  return RunLocked([this] { return ReloadAgentsLocked(); });
}

absl::Status LiveEngine::ReloadAgent(int64_t staff_id) {
  ONESTOP_ASSIGN_OR_RETURN(domain::StaffUser staff, store_.GetStaff(staff_id));
  std::lock_guard lock(mu_);
  if (!staff.active) return absl::FailedPreconditionError("this staff account is not active");
  const AgentConfig cfg = ToAgentConfig(staff, profiles_, queues_);
  ONESTOP_RETURN_IF_ERROR(RunLocked([&] { return engine_->UpsertAgent(cfg); }));
  // New skills or a new profile change the agent's queues on their desk and
  // the wallboard's counts even when nothing is offered: listeners hear of
  // it (an "agent" event, not recorded — the staff record is the record).
  RoutingEvent changed;
  changed.at = clock_.Now();
  changed.type = "agent";
  changed.agent_id = staff_id;
  for (auto& [id, listener] : listeners_) listener({changed});
  return absl::OkStatus();
}


absl::StatusOr<Arrival> LiveEngine::AddItem(const NewItem& item) {
  std::lock_guard lock(mu_);
  int64_t id = 0;
  ONESTOP_RETURN_IF_ERROR(RunLocked([&]() -> absl::Status {
    ONESTOP_ASSIGN_OR_RETURN(id, engine_->AddItem(item));
    return absl::OkStatus();
  }));
  Arrival arrival;
  arrival.item_id = id;
  if (std::optional<ItemView> view = engine_->Item(id)) arrival.state = view->state;
  arrival.position = PositionLocked(id);
  return arrival;
}

absl::StatusOr<std::vector<absl::StatusOr<int64_t>>> LiveEngine::AddItems(const std::vector<NewItem>& items) {
  std::lock_guard lock(mu_);
  std::vector<absl::StatusOr<int64_t>> ids;
  ids.reserve(items.size());
  // Items the engine refuses emit nothing, so the events of the others are
  // still written together (RunLocked drops them only when fn fails).
  ONESTOP_RETURN_IF_ERROR(RunLocked([&]() -> absl::Status {
    for (const NewItem& item : items) ids.push_back(engine_->AddItem(item));
    return absl::OkStatus();
  }));
  return ids;
}

absl::Status LiveEngine::Abandon(int64_t item_id) {
  std::lock_guard lock(mu_);
  return RunLocked([&] { return engine_->Abandon(item_id); });
}
absl::Status LiveEngine::Accept(int64_t item_id, int64_t agent_id) {
  std::lock_guard lock(mu_);
  return RunLocked([&] { return engine_->Accept(item_id, agent_id); });
}
absl::Status LiveEngine::Reject(int64_t item_id, int64_t agent_id) {
  std::lock_guard lock(mu_);
  return RunLocked([&] { return engine_->Reject(item_id, agent_id); });
}
absl::Status LiveEngine::Complete(int64_t item_id, int64_t agent_id) {
  std::lock_guard lock(mu_);
  return RunLocked([&] { return engine_->Complete(item_id, agent_id); });
}
absl::Status LiveEngine::TransferToQueue(int64_t item_id, int64_t agent_id, const std::string& queue) {
  std::lock_guard lock(mu_);
  return RunLocked([&] { return engine_->TransferToQueue(item_id, agent_id, queue); });
}
absl::Status LiveEngine::TransferToAgent(int64_t item_id, int64_t agent_id, int64_t to_agent_id) {
  std::lock_guard lock(mu_);
  return RunLocked([&] { return engine_->TransferToAgent(item_id, agent_id, to_agent_id); });
}
absl::Status LiveEngine::Requeue(int64_t item_id, int64_t agent_id) {
  std::lock_guard lock(mu_);
  return RunLocked([&] { return engine_->Requeue(item_id, agent_id); });
}
absl::Status LiveEngine::EndWrapUp(int64_t agent_id) {
  std::lock_guard lock(mu_);
  return RunLocked([&] { return engine_->EndWrapUp(agent_id); });
}
absl::Status LiveEngine::SetPresence(int64_t agent_id, Presence presence, const std::string& reason) {
  std::lock_guard lock(mu_);
  return RunLocked([&] { return engine_->SetPresence(agent_id, presence, reason); });
}

std::optional<ItemView> LiveEngine::Item(int64_t item_id) const {
  std::lock_guard lock(mu_);
  return engine_->Item(item_id);
}

std::vector<ItemView> LiveEngine::ItemsOf(Media media) const {
  std::lock_guard lock(mu_);
  std::vector<ItemView> out;
  for (const QueueView& queue : engine_->QueueViews()) {
    for (ItemView& item : engine_->WaitingItems(queue.id)) {
      if (item.media == media) out.push_back(std::move(item));
    }
  }
  for (const AgentView& agent : engine_->Agents()) {
    for (int64_t id : agent.items) {
      std::optional<ItemView> item = engine_->Item(id);
      if (item && item->media == media) out.push_back(std::move(*item));
    }
  }
  return out;
}

std::optional<ItemView> LiveEngine::ItemByReference(Media media, const std::string& reference) const {
  std::lock_guard lock(mu_);
  auto it = by_reference_.find(absl::StrCat(std::string(MediaName(media)), ":", reference));
  if (it == by_reference_.end()) return std::nullopt;
  std::optional<ItemView> item = engine_->Item(it->second);
  if (!item || item->media != media || item->reference != reference) return std::nullopt;
  return item;
}

int LiveEngine::Position(int64_t item_id) const {
  std::lock_guard lock(mu_);
  return PositionLocked(item_id);
}

int LiveEngine::PositionLocked(int64_t item_id) const {
  std::optional<ItemView> view = engine_->Item(item_id);
  if (!view || view->state != ItemState::kWaiting) return 0;
  std::vector<ItemView> waiting = engine_->WaitingItems(view->queue);
  for (size_t pos = 0; pos < waiting.size(); ++pos) {
    if (waiting[pos].id == item_id) return static_cast<int>(pos) + 1;
  }
  return 0;
}

std::optional<AgentView> LiveEngine::Agent(int64_t agent_id) const {
  std::lock_guard lock(mu_);
  return engine_->Agent(agent_id);
}
std::vector<AgentView> LiveEngine::Agents() const {
  std::lock_guard lock(mu_);
  return engine_->Agents();
}
std::vector<QueueView> LiveEngine::QueueViews() const {
  std::lock_guard lock(mu_);
  return engine_->QueueViews();
}
std::vector<domain::RoutingProfile> LiveEngine::Profiles() const {
  std::lock_guard lock(mu_);
  return profiles_;
}
std::vector<domain::RoutingQueue> LiveEngine::QueueDefinitions() const {
  std::lock_guard lock(mu_);
  return queues_;
}
std::vector<QueueConfig> LiveEngine::Queues() const {
  std::lock_guard lock(mu_);
  return engine_->Queues();
}
bool LiveEngine::HasQueue(const std::string& code) const {
  std::lock_guard lock(mu_);
  return engine_->GetQueue(code).has_value();
}
std::map<std::string, QueueFigures> LiveEngine::Figures() const {
  std::lock_guard lock(mu_);
  return metrics_.queues();
}
std::map<std::string, QueueFigures> LiveEngine::FiguresToday() const {
  std::lock_guard lock(mu_);
  if (clock_.Now() >= today_ends_ || clock_.Now() < today_starts_) return {};
  return today_.queues();
}

int LiveEngine::skipped_on_replay() const {
  std::lock_guard lock(mu_);
  return skipped_on_replay_;
}

int LiveEngine::Subscribe(Listener listener) {
  std::lock_guard lock(mu_);
  int id = next_listener_++;
  listeners_[id] = std::move(listener);
  return id;
}

void LiveEngine::Unsubscribe(int id) {
  std::lock_guard lock(mu_);
  listeners_.erase(id);
}

absl::Status LiveEngine::TickForTest() {
  std::lock_guard lock(mu_);
  return RunLocked([this] {
    engine_->Tick();
    return absl::OkStatus();
  });
}

}  // namespace onestop::routing
