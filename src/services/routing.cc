#include "services/routing.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "common/time_format.h"
#include "domain/citizen.h"
#include "domain/reference.h"
#include "services/case_tasks.h"
#include "services/citizens.h"
#include "services/permissions.h"

namespace onestop::services {
namespace {

absl::Status RequireStaff(const domain::Actor& actor) {
  if (actor.staff_id <= 0) {
    return absl::PermissionDeniedError("only a staff member signed in as themselves has an agent desk");
  }
  return absl::OkStatus();
}

const std::vector<domain::Disposition>& NoDispositions() {
  static const std::vector<domain::Disposition> kNone;
  return kNone;
}

}  // namespace

RoutingDesk::RoutingDesk(Deps deps, routing::LiveEngine& engine,
                         const std::vector<domain::Disposition>* dispositions)
    : deps_(deps), engine_(engine), dispositions_(dispositions != nullptr ? *dispositions : NoDispositions()) {}

absl::Status RoutingDesk::CanSeeLeader(const domain::Actor& actor) const {
  return RequireStaff(actor);
}

absl::StatusOr<std::optional<domain::LeaderInfo>> RoutingDesk::Leader() const {
  return deps_.store.GetLeader(routing::kRoutingRole);
}

absl::StatusOr<routing::Arrival> RoutingDesk::AddInteraction(const domain::Actor& actor,
                                                             const InteractionRequest& request) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kRouteWork));
  std::vector<FieldError> errors;
  auto media = routing::ParseMedia(request.media);
  if (!media) errors.push_back({"media", "invalid", "media_values", {}});
  if (request.queue.empty()) errors.push_back({"queue", "required", "queue_required", {}});
  if (request.caller.size() > 200) errors.push_back({"caller", "too_long", "caller_length", {}});
  if (request.reference.size() > 200) {
    errors.push_back({"reference", "too_long", "reference_length", {}});
  }
  if (request.priority < -100 || request.priority > 100) {
    errors.push_back(
        {"priority", "out_of_range", "priority_range", {{"min", "-100"}, {"max", "100"}}});
  }
  for (const domain::RoutingSkillRule& rule : request.skills) {
    if (!domain::ValidRoutingCode(rule.skill) || rule.min_level < 1 || rule.min_level > 5) {
      errors.push_back({"skills", "invalid", "skill_level", {{"min", "1"}, {"max", "5"}}});
      break;
    }
  }
  if (!errors.empty()) return InvalidFields("The interaction is not valid", errors);
  routing::NewItem item;
  item.media = *media;
  item.queue = request.queue;
  item.priority = request.priority;
  item.caller = request.caller;
  item.reference = request.reference;
  for (const domain::RoutingSkillRule& rule : request.skills) {
    item.skills.push_back({rule.skill, rule.min_level});
  }
  absl::StatusOr<routing::Arrival> arrival = engine_.AddItem(item);
  if (absl::IsNotFound(arrival.status())) {
    return InvalidFields("The interaction is not valid",
                         {{"queue", "unknown", "no_such_queue", {}}});
  }
  return arrival;
}

absl::Status RoutingDesk::Abandon(const domain::Actor& actor, int64_t item_id) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kRouteWork));
  return engine_.Abandon(item_id);
}

absl::StatusOr<DeskItem> RoutingDesk::GetInteraction(const domain::Actor& actor, int64_t item_id) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kRouteWork));
  std::optional<routing::ItemView> item = engine_.Item(item_id);
  if (!item) return absl::NotFoundError(absl::StrCat("interaction ", item_id, " is not in a queue"));
  DeskItem out{*item, std::nullopt, std::nullopt};
  // Its contact, once an agent has accepted it (NotFound before).
  if (absl::StatusOr<domain::Contact> contact = GetInteractionContact(deps_).Run(actor, item_id); contact.ok()) {
    out.contact = std::move(*contact);
  }
  return out;
}

std::optional<ScreenPop> RoutingDesk::MatchCaller(const domain::Actor& actor,
                                                  const std::string& caller) const {
  domain::CitizenQuery query;
  // An email item's caller is the sender's address (services/mail_intake.h).
  if (caller.find('@') != std::string::npos) {
    query.email = caller;
  } else {
    if (domain::NormalisePhone(caller).empty()) return std::nullopt;
    query.phone = caller;
  }
  query.limit = 2;
  absl::StatusOr<std::vector<domain::Citizen>> found = FindCitizens(deps_).Run(actor, query);
  if (!found.ok() || found->size() != 1) return std::nullopt;
  const domain::Citizen& c = found->front();
  return ScreenPop{c.id, absl::StrCat(c.given_name, " ", c.family_name)};
}

absl::StatusOr<AgentDesk> RoutingDesk::Desk(const domain::Actor& actor) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kRouteWork));
  ONESTOP_RETURN_IF_ERROR(RequireStaff(actor));
  std::optional<routing::AgentView> agent = engine_.Agent(actor.staff_id);
  if (!agent) {
    ONESTOP_RETURN_IF_ERROR(engine_.ReloadAgent(actor.staff_id));
    agent = engine_.Agent(actor.staff_id);
    if (!agent) return absl::InternalError("the agent did not reach the routing engine");
  }
  AgentDesk desk{*agent, {}};
  for (int64_t item_id : agent->items) {
    std::optional<routing::ItemView> item = engine_.Item(item_id);
    if (!item) continue;
    DeskItem out{*item, std::nullopt, std::nullopt};
    if (item->state == routing::ItemState::kConnected && ChannelOfMedia(item->media)) {
      absl::StatusOr<domain::Contact> contact = GetInteractionContact(deps_).Run(actor, item_id);
      if (contact.ok()) {
        out.contact = *contact;
        if (contact->citizen_id) {
          absl::StatusOr<domain::Citizen> c = deps_.store.GetCitizen(*contact->citizen_id);
          if (c.ok()) out.citizen = ScreenPop{c->id, absl::StrCat(c->given_name, " ", c->family_name)};
        }
      } else if (!absl::IsNotFound(contact.status())) {
        return contact.status();
      }
    }
    if (!out.citizen) out.citizen = MatchCaller(actor, item->caller);
    desk.items.push_back(std::move(out));
  }
  return desk;
}

absl::StatusOr<AgentDesk> RoutingDesk::SetPresence(const domain::Actor& actor, const std::string& presence,
                                                   const std::string& reason) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kRouteWork));
  ONESTOP_RETURN_IF_ERROR(RequireStaff(actor));
  auto parsed = routing::ParsePresence(presence);
  if (!parsed || (*parsed != routing::Presence::kOffline && *parsed != routing::Presence::kAvailable &&
                  *parsed != routing::Presence::kOnBreak)) {
    return InvalidFields("The presence is not valid",
                         {{"presence", "invalid", "presence_values", {}}});
  }
  if (reason.size() > 100) {
    return InvalidFields("The presence is not valid",
                         {{"reason", "too_long", "presence_reason_length", {}}});
  }
  ONESTOP_RETURN_IF_ERROR(engine_.ReloadAgent(actor.staff_id));
  ONESTOP_RETURN_IF_ERROR(engine_.SetPresence(actor.staff_id, *parsed, reason));
  return Desk(actor);
}

absl::Status RoutingDesk::Accept(const domain::Actor& actor, int64_t item_id) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kRouteWork));
  ONESTOP_RETURN_IF_ERROR(RequireStaff(actor));
  ONESTOP_RETURN_IF_ERROR(engine_.Accept(item_id, actor.staff_id));
  // A case task: the case becomes the officer's (services/case_tasks.h). If
  // it cannot (closed meanwhile, another department), the task is released.
  std::optional<routing::ItemView> item = engine_.Item(item_id);
  if (item && item->media == routing::Media::kCaseTask && domain::DecodeCaseReference(item->reference).ok()) {
    absl::Status assigned = AssignAcceptedCaseTask(deps_).Run(actor, item->reference);
    if (!assigned.ok()) {
      (void)engine_.Complete(item_id, actor.staff_id);
      return assigned;
    }
  }
  if (item && ChannelOfMedia(item->media)) {
    // One contact for the interaction from now on (services/interactions.h).
    std::optional<ScreenPop> pop = MatchCaller(actor, item->caller);
    ONESTOP_RETURN_IF_ERROR(StartInteractionContact(deps_)
                                .Run(actor, *item, pop ? std::optional<int64_t>(pop->citizen_id) : std::nullopt)
                                .status());
  }
  return absl::OkStatus();
}

absl::Status RoutingDesk::Reject(const domain::Actor& actor, int64_t item_id) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kRouteWork));
  ONESTOP_RETURN_IF_ERROR(RequireStaff(actor));
  return engine_.Reject(item_id, actor.staff_id);
}

absl::Status RoutingDesk::Complete(const domain::Actor& actor, int64_t item_id, const WrapUp& wrap_up) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kRouteWork));
  ONESTOP_RETURN_IF_ERROR(RequireStaff(actor));
  std::optional<routing::ItemView> item = engine_.Item(item_id);
  if (item && item->state == routing::ItemState::kConnected && item->agent_id == actor.staff_id) {
    ONESTOP_RETURN_IF_ERROR(FinishInteractionContact(deps_, dispositions_).Run(actor, *item, wrap_up).status());
  }
  return engine_.Complete(item_id, actor.staff_id);
}

absl::Status RoutingDesk::LinkCitizen(const domain::Actor& actor, int64_t item_id, int64_t citizen_id) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kRouteWork));
  ONESTOP_RETURN_IF_ERROR(RequireStaff(actor));
  std::optional<routing::ItemView> item = engine_.Item(item_id);
  if (!item) return absl::NotFoundError(absl::StrCat("interaction ", item_id, " is not in a queue"));
  if (item->state != routing::ItemState::kConnected || item->agent_id != actor.staff_id) {
    return InvalidFields("The interaction is not yours",
                         {{"id", "invalid", "interaction_not_connected", {}}});
  }
  return LinkInteractionCitizen(deps_).Run(actor, item_id, citizen_id).status();
}

std::vector<const domain::Disposition*> RoutingDesk::DispositionsFor(const routing::ItemView& item,
                                                                     const std::string& service_code) const {
  return domain::DispositionsFor(dispositions_, item.queue, service_code);
}

absl::StatusOr<TransferTargets> RoutingDesk::Targets(const domain::Actor& actor) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kRouteWork));
  TransferTargets out;
  out.queues = engine_.Queues();
  std::sort(out.queues.begin(), out.queues.end(),
            [](const routing::QueueConfig& a, const routing::QueueConfig& b) { return a.name < b.name; });
  for (routing::AgentView& a : engine_.Agents()) {
    if (a.id == actor.staff_id || a.chosen == routing::Presence::kOffline) continue;
    out.agents.push_back(std::move(a));
  }
  std::sort(out.agents.begin(), out.agents.end(),
            [](const routing::AgentView& a, const routing::AgentView& b) { return a.name < b.name; });
  return out;
}

absl::Status RoutingDesk::TransferToQueue(const domain::Actor& actor, int64_t item_id,
                                          const std::string& queue) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kRouteWork));
  ONESTOP_RETURN_IF_ERROR(RequireStaff(actor));
  // Checked here so that an unknown target is a bad request (as when adding
  // an interaction) and not the 404 of an unknown item; the engine checks
  // again under its lock.
  if (!engine_.Item(item_id)) {
    return absl::NotFoundError(absl::StrCat("interaction ", item_id, " is not in a queue"));
  }
  std::vector<routing::QueueConfig> queues = engine_.Queues();
  if (std::none_of(queues.begin(), queues.end(),
                   [&](const routing::QueueConfig& q) { return q.id == queue; })) {
    return InvalidFields("The transfer is not valid", {{"queue", "unknown", "no_such_queue", {}}});
  }
  return engine_.TransferToQueue(item_id, actor.staff_id, queue);
}

absl::Status RoutingDesk::TransferToAgent(const domain::Actor& actor, int64_t item_id,
                                          int64_t to_agent_id) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kRouteWork));
  ONESTOP_RETURN_IF_ERROR(RequireStaff(actor));
  if (!engine_.Item(item_id)) {
    return absl::NotFoundError(absl::StrCat("interaction ", item_id, " is not in a queue"));
  }
  if (to_agent_id == actor.staff_id) {
    return InvalidFields("The transfer is not valid",
                         {{"agent_id", "invalid", "transfer_to_self", {}}});
  }
  if (!engine_.Agent(to_agent_id)) {
    return InvalidFields("The transfer is not valid",
                         {{"agent_id", "unknown", "no_such_agent", {}}});
  }
  return engine_.TransferToAgent(item_id, actor.staff_id, to_agent_id);
}

absl::Status RoutingDesk::Requeue(const domain::Actor& actor, int64_t item_id) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kRouteWork));
  ONESTOP_RETURN_IF_ERROR(RequireStaff(actor));
  return engine_.Requeue(item_id, actor.staff_id);
}

absl::Status RoutingDesk::EndWrapUp(const domain::Actor& actor) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kRouteWork));
  ONESTOP_RETURN_IF_ERROR(RequireStaff(actor));
  return engine_.EndWrapUp(actor.staff_id);
}

absl::StatusOr<std::vector<domain::RoutingQueue>> RoutingDesk::ListQueues(const domain::Actor& actor) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kReadRouting));
  return deps_.store.ListRoutingQueues();
}

absl::StatusOr<domain::RoutingQueue> RoutingDesk::GetQueue(const domain::Actor& actor,
                                                           const std::string& code) const {
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::RoutingQueue> queues, ListQueues(actor));
  for (const domain::RoutingQueue& q : queues) {
    if (q.code == code) return q;
  }
  return absl::NotFoundError(absl::StrCat("routing queue ", code, " not found"));
}

absl::StatusOr<domain::RoutingQueue> RoutingDesk::PutQueue(const domain::Actor& actor,
                                                           const domain::RoutingQueue& queue,
                                                           std::optional<int64_t> expected_version) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kEditRouting));
  std::vector<FieldError> errors;
  if (!domain::ValidRoutingCode(queue.code)) {
    errors.push_back({"code", "invalid", "routing_code_format", {}});
  }
  if (queue.name.empty() || queue.name.size() > 200) {
    errors.push_back({"name", "invalid", "routing_name_length", {{"max", "200"}}});
  }
  // The checks routing::ToQueueConfig makes, here so each has its own reason.
  if (!routing::ParseStrategy(queue.strategy)) {
    errors.push_back({"strategy", "invalid", "queue_strategy", {{"value", queue.strategy}}});
  }
  for (const domain::RoutingSkillRule& rule : queue.skills) {
    if (!domain::ValidRoutingCode(rule.skill) || rule.min_level < 1 || rule.min_level > 5) {
      errors.push_back({"skills", "invalid", "skill_level", {{"min", "1"}, {"max", "5"}}});
      break;
    }
  }
  for (const domain::RoutingStepRule& step : queue.steps) {
    if (step.after_seconds < 0 || step.keep_skills < -1 || step.level_drop < 0) {
      errors.push_back({"steps", "invalid", "queue_steps", {}});
      break;
    }
  }
  if (queue.priority_weight_seconds < 0 || queue.ring_timeout_seconds < 0 ||
      queue.wrap_up_seconds < 0 || queue.service_level_seconds < 0) {
    errors.push_back({"queue", "invalid", "queue_times", {}});
  }
  if (!routing::ParseMedia(queue.media)) errors.push_back({"media", "invalid", "queue_media", {}});
  if (queue.wallboard_group.size() > 100) {
    errors.push_back({"wallboard_group", "too_long", "routing_name_length", {{"max", "100"}}});
  }
  if (queue.sl_green_pct < 0 || queue.sl_green_pct > 100 || queue.sl_amber_pct < 0 ||
      queue.sl_amber_pct > queue.sl_green_pct) {
    errors.push_back({"sl_amber_pct", "invalid", "queue_sl_targets", {}});
  }
  if (queue.wait_amber_seconds < 0 || queue.wait_red_seconds < 0 ||
      (queue.wait_red_seconds > 0 && queue.wait_red_seconds <= domain::RagWaitAmber(queue))) {
    errors.push_back({"wait_red_seconds", "invalid", "queue_wait_targets", {}});
  }
  if (!errors.empty()) return InvalidFields("The queue is not valid", errors);
  absl::StatusOr<routing::QueueConfig> cfg = routing::ToQueueConfig(queue);
  if (!cfg.ok()) {
    return InvalidFields(absl::StrCat("The queue is not valid: ", cfg.status().message()),
                         {{"queue", "invalid", "queue_settings", {}}});
  }
  ONESTOP_RETURN_IF_ERROR(engine_.PutQueue(queue, expected_version));
  return GetQueue(actor, queue.code);
}

absl::Status RoutingDesk::DeleteQueue(const domain::Actor& actor, const std::string& code) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kEditRouting));
  return engine_.DeleteQueue(code);
}

absl::StatusOr<std::vector<domain::RoutingProfile>> RoutingDesk::ListProfiles(
    const domain::Actor& actor) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kReadRouting));
  return deps_.store.ListRoutingProfiles();
}

absl::StatusOr<domain::RoutingProfile> RoutingDesk::GetProfile(const domain::Actor& actor,
                                                               const std::string& code) const {
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::RoutingProfile> profiles, ListProfiles(actor));
  for (const domain::RoutingProfile& p : profiles) {
    if (p.code == code) return p;
  }
  return absl::NotFoundError(absl::StrCat("routing profile ", code, " not found"));
}

absl::StatusOr<domain::RoutingProfile> RoutingDesk::PutProfile(const domain::Actor& actor,
                                                               const domain::RoutingProfile& profile,
                                                               std::optional<int64_t> expected_version) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kEditRouting));
  std::vector<FieldError> errors;
  if (!domain::ValidRoutingCode(profile.code)) {
    errors.push_back({"code", "invalid", "routing_code_format", {}});
  }
  if (profile.name.empty() || profile.name.size() > 200) {
    errors.push_back({"name", "invalid", "routing_name_length", {{"max", "200"}}});
  }
  for (int cap : profile.capacity) {
    if (cap < 0 || cap > 50) {
      errors.push_back(
          {"capacity", "out_of_range", "capacity_range", {{"min", "0"}, {"max", "50"}}});
      break;
    }
  }
  // The engine checks again under its lock; this gives the queue's name.
  std::vector<routing::QueueConfig> known_queues = engine_.Queues();
  for (const domain::RoutingProfileQueue& line : profile.queues) {
    if (std::none_of(known_queues.begin(), known_queues.end(),
                     [&](const routing::QueueConfig& q) { return q.id == line.queue; })) {
      errors.push_back({"queues", "invalid", "profile_queue_unknown", {{"queue", line.queue}}});
      break;
    }
  }
  if (!errors.empty()) return InvalidFields("The routing profile is not valid", errors);
  absl::Status status = engine_.PutProfile(profile, expected_version);
  if (absl::IsInvalidArgument(status)) {
    return InvalidFields(absl::StrCat("The routing profile is not valid: ", status.message()),
                         {{"queues", "invalid", "profile_queues", {}}});
  }
  ONESTOP_RETURN_IF_ERROR(status);
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::RoutingProfile> all, deps_.store.ListRoutingProfiles());
  for (const domain::RoutingProfile& p : all) {
    if (p.code == profile.code) return p;
  }
  return absl::InternalError("the routing profile was not stored");
}

absl::Status RoutingDesk::DeleteProfile(const domain::Actor& actor, const std::string& code) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kEditRouting));
  return engine_.DeleteProfile(code);
}

absl::Time RoutingDesk::StartOfToday() const {
  const absl::TimeZone& tz = LondonTimeZone();
  absl::CivilDay day = absl::ToCivilDay(deps_.clock.Now(), tz);
  return absl::FromCivil(day, tz);
}

absl::StatusOr<StatsReport> RoutingDesk::Stats(const domain::Actor& actor, absl::Time from, absl::Time to,
                                               int interval_minutes) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kSuperviseRouting));
  if (to <= from || to - from > absl::Hours(24 * 31)) {
    return InvalidFields("The period is not valid",
                         {{"to", "invalid", "period_range", {{"max_days", "31"}}}});
  }
  if (interval_minutes < 5 || interval_minutes > 1440) {
    return InvalidFields("The interval is not valid",
                         {{"interval_minutes", "out_of_range", "interval_range",
                           {{"min", "5"}, {"max", "1440"}}}});
  }
  std::map<std::string, int> thresholds;
  for (const routing::QueueConfig& q : engine_.Queues()) thresholds[q.id] = q.service_level_seconds;
  auto threshold = [&](const std::string& queue) {
    auto it = thresholds.find(queue);
    return it == thresholds.end() ? 20.0 : double(it->second);
  };
  // Each item counts in the interval (and queue) it entered; an item that
  // moves queue counts again in the new one, like QueueMetrics (the transfer
  // is fed to the new bucket as its "enter": that bucket has not seen the
  // item). A transfer to an agent keeps the item where it is.
  const absl::Duration step = absl::Minutes(interval_minutes);
  std::map<std::pair<std::string, int64_t>, routing::QueueMetrics> buckets;
  std::map<std::string, routing::QueueMetrics> totals;
  // Items of the period not yet completed or abandoned → their bucket.
  std::map<int64_t, std::pair<std::string, int64_t>> item_bucket;
  // Only events from `from` on are read: an item counts from its enter or
  // transfer in [from, to), so nothing earlier can matter. An item of the
  // period may be answered or completed after `to`, and those figures belong
  // to it (as when the whole log was read), so reading goes on past `to`
  // while such items are open — but at most kStatsTail past it: figures of
  // an item still open a week after the period ends are left out.
  constexpr absl::Duration kStatsTail = absl::Hours(24 * 7);
  domain::EventQuery query;
  query.entity = "routing";
  query.from = from;
  query.to = to + kStatsTail;
  query.limit = 1000;
  bool done = false;
  while (!done) {
    ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::Event> page, deps_.store.ListEvents(query));
    for (const domain::Event& stored : page) {
      if (stored.at >= to && item_bucket.empty()) {
        done = true;
        break;
      }
      absl::StatusOr<routing::RoutingEvent> e = routing::FromDomainEvent(stored);
      if (!e.ok() || e->item_id == 0) continue;
      routing::RoutingEvent counted = *e;
      if (e->type == "enter" || e->type == "transfer") {
        const std::string& queue = e->type == "enter" ? e->queue : e->to_queue;
        if (e->type == "transfer" && queue.empty()) continue;  // to an agent: same queue
        if (e->at >= from && e->at < to) {
          int64_t index = (e->at - from) / step;
          item_bucket[e->item_id] = {queue, index};
          counted.type = "enter";
        } else {
          item_bucket.erase(e->item_id);
        }
      }
      auto it = item_bucket.find(e->item_id);
      if (it == item_bucket.end()) continue;
      auto [bucket, inserted] = buckets.try_emplace(it->second, threshold(it->second.first));
      bucket->second.OnEvent(counted);
      auto [total, total_inserted] = totals.try_emplace(it->second.first, threshold(it->second.first));
      total->second.OnEvent(counted);
      if (e->type == "complete" || e->type == "abandon") item_bucket.erase(it);
    }
    if (page.size() < static_cast<size_t>(query.limit)) break;
    query.after_seq = page.back().seq;
  }
  StatsReport report;
  report.from = from;
  report.to = to;
  report.interval_minutes = interval_minutes;
  for (const auto& [queue, metrics] : totals) {
    auto it = metrics.queues().find(queue);
    if (it != metrics.queues().end()) report.totals.push_back({queue, from, to, it->second});
  }
  for (const auto& [key, metrics] : buckets) {
    auto it = metrics.queues().find(key.first);
    if (it == metrics.queues().end()) continue;
    absl::Time start = from + step * key.second;
    report.intervals.push_back({key.first, start, std::min(to, start + step), it->second});
  }
  return report;
}

absl::StatusOr<std::vector<QueueBoard>> RoutingDesk::Wallboard(const domain::Actor& actor) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kSuperviseRouting));
  std::map<std::string, routing::QueueFigures> today = engine_.FiguresToday();
  std::vector<routing::QueueView> views = engine_.QueueViews();
  std::map<std::string, domain::RoutingQueue> settings;
  for (domain::RoutingQueue& q : engine_.QueueDefinitions()) settings[q.code] = std::move(q);
  std::vector<QueueBoard> out;
  for (const routing::QueueConfig& cfg : engine_.Queues()) {
    QueueBoard board;
    board.config = cfg;
    if (auto it = settings.find(cfg.id); it != settings.end()) {
      board.settings = it->second;
    } else {
      board.settings.code = cfg.id;
      board.settings.name = cfg.name;
      board.settings.service_level_seconds = cfg.service_level_seconds;
    }
    board.live.id = cfg.id;
    board.live.oldest_entered_at = absl::InfinitePast();
    for (const routing::QueueView& v : views) {
      if (v.id == cfg.id) board.live = v;
    }
    if (auto it = today.find(cfg.id); it != today.end()) board.today = it->second;
    const auto& by_state = board.live.agents_by_state;
    int working = by_state[static_cast<int>(routing::Presence::kBusy)] +
                  by_state[static_cast<int>(routing::Presence::kWrapUp)];
    int ready = working + by_state[static_cast<int>(routing::Presence::kAvailable)];
    board.occupancy = ready ? double(working) / ready : 0;
    out.push_back(std::move(board));
  }
  // Voice first; then groups in the order of their first queue; within a
  // group by order, then name.
  std::map<std::string, int> group_rank;
  for (const QueueBoard& b : out) {
    if (b.settings.wallboard_group.empty()) continue;
    auto [it, inserted] = group_rank.try_emplace(b.settings.wallboard_group, b.settings.wallboard_order);
    if (!inserted) it->second = std::min(it->second, b.settings.wallboard_order);
  }
  auto key = [&group_rank](const QueueBoard& b) {
    const std::string& group = b.settings.wallboard_group;
    const int rank = group.empty() ? b.settings.wallboard_order : group_rank.at(group);
    return std::make_tuple(b.config.media != routing::Media::kVoice, rank, group, b.settings.wallboard_order,
                           b.config.name, b.config.id);
  };
  std::stable_sort(out.begin(), out.end(),
                   [&key](const QueueBoard& a, const QueueBoard& b) { return key(a) < key(b); });
  return out;
}

}  // namespace onestop::services
