#include "services/case_tasks.h"

#include <set>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "domain/reference.h"
#include "services/cases.h"
#include "services/permissions.h"

namespace onestop::services {
namespace {

constexpr char kCaseQueuePrefix[] = "cases-";

bool IsOpen(domain::CaseStatus status) {
  switch (status) {
    case domain::CaseStatus::kNew:
    case domain::CaseStatus::kOpen:
    case domain::CaseStatus::kInProgress:
    case domain::CaseStatus::kWaitingOnCitizen:
      return true;
    case domain::CaseStatus::kResolved:
    case domain::CaseStatus::kClosed:
    case domain::CaseStatus::kCancelled:
      return false;
  }
  return false;
}

// Urgent cases jump ahead by three of the queue's priority weights.
int RoutingPriority(domain::Priority p) {
  switch (p) {
    case domain::Priority::kLow: return -1;
    case domain::Priority::kNormal: return 0;
    case domain::Priority::kHigh: return 1;
    case domain::Priority::kUrgent: return 3;
  }
  return 0;
}

// Races with agents and timers (an item offered or completed meanwhile) are
// settled at the next event of the case; NotFound/FailedPrecondition from
// the engine then mean "already gone" and are not errors.
absl::Status IgnoreGone(absl::Status s) {
  if (s.code() == absl::StatusCode::kNotFound || s.code() == absl::StatusCode::kFailedPrecondition) {
    return absl::OkStatus();
  }
  return s;
}

}  // namespace

std::string CaseQueueFor(const std::string& team) { return absl::StrCat(kCaseQueuePrefix, team); }

absl::Status RouteCaseTasks::Reconcile(const domain::Case& c) const {
  std::vector<routing::NewItem> raise;
  ONESTOP_RETURN_IF_ERROR(ReconcileInto(c, raise));
  return Raise(raise);
}

absl::Status RouteCaseTasks::Raise(const std::vector<routing::NewItem>& raise) const {
  if (raise.empty()) return absl::OkStatus();
  ONESTOP_ASSIGN_OR_RETURN(std::vector<absl::StatusOr<int64_t>> ids, engine_.AddItems(raise));
  // A queue removed meanwhile refuses its items; the next event of the case
  // (or the next takeover) settles it. Anything else is an error.
  for (const absl::StatusOr<int64_t>& id : ids) {
    if (!id.ok() && !absl::IsNotFound(id.status())) return id.status();
  }
  return absl::OkStatus();
}

absl::Status RouteCaseTasks::ReconcileInto(const domain::Case& c, std::vector<routing::NewItem>& raise) const {
  if (c.reference.empty()) return absl::OkStatus();
  const std::string queue = c.team.empty() ? "" : CaseQueueFor(c.team);
  const bool routed = !queue.empty() && engine_.HasQueue(queue);
  std::optional<routing::ItemView> task = engine_.ItemByReference(routing::Media::kCaseTask, c.reference);

  if (task && task->state == routing::ItemState::kConnected) {
    // An officer holds it: done when the case closes or is someone else's.
    const bool still_theirs = IsOpen(c.status) && c.assignee_id && *c.assignee_id == task->agent_id;
    const bool awaiting_assignment = IsOpen(c.status) && !c.assignee_id;  // accepted a moment ago
    if (still_theirs || awaiting_assignment) return absl::OkStatus();
    return IgnoreGone(engine_.Complete(task->id, task->agent_id));
  }
  const bool wanted = routed && IsOpen(c.status) && !c.assignee_id;
  if (task && (!wanted || task->queue != queue)) {
    ONESTOP_RETURN_IF_ERROR(IgnoreGone(engine_.Abandon(task->id)));
    task.reset();
  }
  if (wanted && !task) {
    routing::NewItem item;
    item.media = routing::Media::kCaseTask;
    item.queue = queue;
    item.priority = RoutingPriority(c.priority);
    item.reference = c.reference;
    raise.push_back(std::move(item));
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> RouteCaseTasks::ReconcileAll() const {
  // The seq first: events written while we scan are followed afterwards.
  ONESTOP_ASSIGN_OR_RETURN(const int64_t last_seq, deps_.store.LastEventSeq());
  std::set<std::string> teams;
  for (const routing::QueueConfig& q : engine_.Queues()) {
    if (q.id.starts_with(kCaseQueuePrefix)) teams.insert(q.id.substr(sizeof(kCaseQueuePrefix) - 1));
  }
  for (const std::string& team : teams) {
    domain::CaseQuery query;
    query.team = team;
    query.statuses = {domain::CaseStatus::kNew, domain::CaseStatus::kOpen, domain::CaseStatus::kInProgress,
                      domain::CaseStatus::kWaitingOnCitizen};
    query.limit = 1000;
    while (true) {
      ONESTOP_ASSIGN_OR_RETURN(domain::CasePage page, deps_.store.ListCases(query));
      std::vector<routing::NewItem> raise;
      for (const domain::Case& c : page.items) ONESTOP_RETURN_IF_ERROR(ReconcileInto(c, raise));
      ONESTOP_RETURN_IF_ERROR(Raise(raise));
      if (page.next_after_id == 0) break;
      query.after_id = page.next_after_id;
    }
  }
  // Tasks (rebuilt from the log) of cases that closed, were assigned or
  // moved team while no node was leading.
  for (const routing::ItemView& task : engine_.ItemsOf(routing::Media::kCaseTask)) {
    absl::StatusOr<int64_t> id = domain::DecodeCaseReference(task.reference);
    if (!id.ok()) continue;  // a case task raised through the API for something else
    absl::StatusOr<domain::Case> c = deps_.store.GetCase(*id);
    if (!c.ok()) continue;
    ONESTOP_RETURN_IF_ERROR(Reconcile(*c));
  }
  return last_seq;
}

absl::StatusOr<int64_t> RouteCaseTasks::Follow(int64_t after_seq) const {
  domain::EventQuery query;
  query.after_seq = after_seq;
  query.entity = "case";
  query.limit = 500;
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::Event> events, deps_.store.ListEvents(query));
  std::set<int64_t> seen;
  std::vector<routing::NewItem> raise;  // the page's new tasks, in one write
  for (const domain::Event& e : events) {
    if (!seen.insert(e.entity_id).second) continue;
    absl::StatusOr<domain::Case> c = deps_.store.GetCase(e.entity_id);
    if (c.status().code() == absl::StatusCode::kNotFound) continue;
    ONESTOP_RETURN_IF_ERROR(c.status());
    ONESTOP_RETURN_IF_ERROR(ReconcileInto(*c, raise));
  }
  ONESTOP_RETURN_IF_ERROR(Raise(raise));
  return events.empty() ? after_seq : events.back().seq;
}

absl::Status AssignAcceptedCaseTask::Run(const domain::Actor& actor, const std::string& reference) const {
  ONESTOP_ASSIGN_OR_RETURN(domain::Case c, GetCase(deps_).Run(actor, reference));
  if (!IsOpen(c.status) || c.assignee_id) {
    return absl::FailedPreconditionError(
        absl::StrCat("case ", reference, " is no longer waiting for an officer"));
  }
  CaseChanges changes;
  changes.assignee_id = std::optional<int64_t>(actor.staff_id);
  return UpdateCase(deps_).Run(actor, c.id, changes, c.version).status();
}

}  // namespace onestop::services
