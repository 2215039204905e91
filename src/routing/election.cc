#include "routing/election.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace onestop::routing {

RoutingElection::RoutingElection(domain::Store& store, LiveEngine& engine, const Clock& clock,
                                 Options options)
    : store_(store), engine_(engine), clock_(clock), options_(std::move(options)) {}

RoutingElection::~RoutingElection() { Stop(); }

void RoutingElection::Start() {
  RunOnce();
  rounds_ = std::make_unique<Periodic>(options_.interval, [this] { RunOnce(); }, /*run_now=*/false);
}

void RoutingElection::Stop() {
  rounds_.reset();  // waits for a round in progress
  std::lock_guard lock(mu_);
  if (leadership_) StepDownLocked(absl::CancelledError("this node is shutting down"));
}

bool RoutingElection::leading() const {
  std::lock_guard lock(mu_);
  return leadership_ != nullptr;
}

int64_t RoutingElection::epoch() const {
  std::lock_guard lock(mu_);
  return leadership_ ? leadership_->epoch() : 0;
}

void RoutingElection::StepDownLocked(const absl::Status& why) {
  engine_.StepDown();
  leadership_.reset();  // gives the role up (closes the lock)
  if (options_.on_change) options_.on_change(false, 0, why);
}

void RoutingElection::RunOnce() {
  std::lock_guard lock(mu_);
  if (leadership_) {
    absl::Status held = leadership_->Check();
    if (held.ok() && engine_.deposed()) {
      held = absl::AbortedError("a routing write was fenced out: another node holds a newer epoch");
    }
    if (!held.ok()) StepDownLocked(held);
    return;
  }
  absl::StatusOr<std::unique_ptr<domain::Leadership>> taken =
      store_.TryLead(options_.role, options_.node, clock_.Now());
  if (!taken.ok()) {
    if (options_.on_change) options_.on_change(false, 0, taken.status());
    return;
  }
  if (*taken == nullptr) return;  // another node leads
  const std::string role = options_.role;
  const int64_t epoch = (*taken)->epoch();
  absl::Status started = engine_.Start([role, epoch](domain::WriteTxn& txn) {
    return txn.CheckLeadership(role, epoch);
  });
  if (!started.ok()) {
    engine_.StepDown();
    if (options_.on_change) {
      options_.on_change(false, 0, absl::Status(started.code(), absl::StrCat("cannot start routing: ", started.message())));
    }
    return;  // the role is given up with *taken; the next round tries again
  }
  leadership_ = std::move(*taken);
  if (options_.on_change) options_.on_change(true, epoch, absl::OkStatus());
}

}  // namespace onestop::routing
