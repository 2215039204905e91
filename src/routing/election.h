// RoutingElection: makes sure one node at a time runs the routing engine
// when several `onestop serve` nodes share one database.
//
// Every `interval` the node that is not leading asks the store for the role
// (domain::Store::TryLead: a PostgreSQL advisory lock held on a connection of
// its own, or a file lock next to a SQLite database). On success it starts
// its LiveEngine — configuration and state rebuilt from the event log — with
// the role's epoch as the fence on every routing write. The leader checks
// every `interval` that it still holds the role (its lock connection answers
// and the epoch is still its own) and that no write was fenced out; if not it
// steps down to standby at once. When the leader dies PostgreSQL drops its
// lock, and a standby takes over within about one interval.
//
// A standby's LiveEngine answers every change with Unavailable (HTTP 503),
// so a load balancer that retries on 503 (nginx: proxy_next_upstream
// http_503 non_idempotent, docs/deploy.md) reaches the leader.
//
// Threads: Start/Stop from one thread; leading()/epoch() from any. The
// rounds after the first run on a Periodic's thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "common/periodic.h"
#include "domain/store.h"
#include "routing/live_engine.h"

namespace onestop::routing {

class RoutingElection {
 public:
  struct Options {
    std::string role = kRoutingRole;
    std::string node;  // this node's name, shown as the leader's
    absl::Duration interval = absl::Milliseconds(250);
    // Called on the election thread when this node starts or stops leading
    // (`why` says why it stopped, or why an attempt failed).
    std::function<void(bool leading, int64_t epoch, const absl::Status& why)> on_change;
  };

  RoutingElection(domain::Store& store, LiveEngine& engine, const Clock& clock, Options options);
  ~RoutingElection();
  RoutingElection(const RoutingElection&) = delete;
  RoutingElection& operator=(const RoutingElection&) = delete;

  // Makes one attempt now (so that a lone node leads before it serves), then
  // keeps trying / checking every interval.
  void Start();
  // Ends the rounds and steps down (the engine stops, the role is given up).
  void Stop();

  bool leading() const;
  int64_t epoch() const;  // 0 while not leading
  const std::string& node() const { return options_.node; }

  // One round: try to lead, or check the leadership held. Public for tests.
  void RunOnce();

 private:
  void StepDownLocked(const absl::Status& why);

  domain::Store& store_;
  LiveEngine& engine_;
  const Clock& clock_;
  const Options options_;

  mutable std::mutex mu_;
  std::unique_ptr<domain::Leadership> leadership_;  // GUARDED_BY(mu_)
  std::unique_ptr<Periodic> rounds_;
};

}  // namespace onestop::routing
