// RouteCaseTasks: cases reach back-office officers through the routing
// engine, as work items of medium "case_task".
//
// A team opts in by having a routing queue named "cases-<team code>" (e.g.
// "cases-waste-collections"); routing profiles then say which officers take
// from it and how many case tasks each holds at once (capacity). For every
// case of such a team that is open (new, open, in_progress,
// waiting_on_citizen) and has nobody assigned, the engine holds one case task
// (reference = the case reference, priority from the case's priority). When
// an officer accepts the offer, RoutingDesk::Accept assigns the case to them
// (AssignAcceptedCaseTask); the task stays connected — counting against the
// officer's capacity — until the case is resolved, closed or cancelled, or
// is given to someone else, and then completes. A task still waiting when the
// case is assigned by hand, closed or moved to another team is withdrawn
// (an "abandon" in the queue's figures) and, after a team move, raised in
// the new team's queue.
//
// Runs on the routing leader only (the engine refuses changes elsewhere):
// ReconcileAll when the node starts leading, then Follow over the case
// events that any node writes (app/case_task_follower.h drives both).
//
// Threads: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "domain/case.h"
#include "domain/staff.h"
#include "routing/live_engine.h"
#include "services/deps.h"

namespace onestop::services {

// The routing queue that takes `team`'s cases.
std::string CaseQueueFor(const std::string& team);

class RouteCaseTasks {
 public:
  RouteCaseTasks(Deps deps, routing::LiveEngine& engine) : deps_(deps), engine_(engine) {}

  // Brings the engine in line with one case (see the file comment).
  absl::Status Reconcile(const domain::Case& c) const;
  // Every open case of every team with a case queue; returns the last event
  // seq at the moment it began (Follow carries on from there).
  absl::StatusOr<int64_t> ReconcileAll() const;
  // Reconciles the cases named by the case events after `after_seq`;
  // returns the seq to carry on from.
  absl::StatusOr<int64_t> Follow(int64_t after_seq) const;

 private:
  // As Reconcile, but a task to raise is appended to `raise` (raised by the
  // caller, many in one write) instead of being added at once.
  absl::Status ReconcileInto(const domain::Case& c, std::vector<routing::NewItem>& raise) const;
  absl::Status Raise(const std::vector<routing::NewItem>& raise) const;

  Deps deps_;
  routing::LiveEngine& engine_;
};

// When `actor` accepts a case task: the case is assigned to them. Fails
// (and the caller releases the task) when the case is no longer open and
// unassigned or the officer may not take it.
class AssignAcceptedCaseTask {
 public:
  explicit AssignAcceptedCaseTask(Deps deps) : deps_(deps) {}
  absl::Status Run(const domain::Actor& actor, const std::string& reference) const;

 private:
  Deps deps_;
};

}  // namespace onestop::services
