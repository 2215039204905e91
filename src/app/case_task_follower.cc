#include "app/case_task_follower.h"

#include <spdlog/spdlog.h>

namespace onestop::app {

CaseTaskFollower::CaseTaskFollower(const services::RouteCaseTasks& tasks, const routing::LiveEngine& engine,
                                   absl::Duration interval)
    : tasks_(tasks), engine_(engine), periodic_(std::make_unique<Periodic>(interval, [this] { Round(); })) {}

void CaseTaskFollower::Round() {
  if (!engine_.leading()) {
    following_ = false;
    return;
  }
  if (!following_) {
    absl::StatusOr<int64_t> seq = tasks_.ReconcileAll();
    if (!seq.ok()) {
      spdlog::warn("case tasks: cannot reconcile the open cases yet: {}", seq.status().ToString());
      return;
    }
    after_seq_ = *seq;
    following_ = true;
    return;
  }
  // Several pages when a burst of cases arrived; the next round does the rest.
  for (int page = 0; page < 20; ++page) {
    absl::StatusOr<int64_t> seq = tasks_.Follow(after_seq_);
    if (!seq.ok()) {
      spdlog::warn("case tasks: cannot follow the case events after seq {}: {}", after_seq_,
                   seq.status().ToString());
      return;
    }
    if (*seq == after_seq_) return;
    after_seq_ = *seq;
  }
}

}  // namespace onestop::app
