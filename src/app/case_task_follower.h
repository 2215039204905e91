// CaseTaskFollower: keeps case tasks in the routing engine in line with the
// cases (services/case_tasks.h). While this node leads routing it reads the
// event log every `interval` for case events written by any node; when it
// starts leading it first reconciles every open case. On a standby it only
// waits.
//
// Threads: constructed and destroyed on one thread; the work runs on a
// Periodic's thread.
#pragma once

#include <cstdint>
#include <memory>

#include "absl/time/time.h"
#include "common/periodic.h"
#include "routing/live_engine.h"
#include "services/case_tasks.h"

namespace onestop::app {

class CaseTaskFollower {
 public:
  CaseTaskFollower(const services::RouteCaseTasks& tasks, const routing::LiveEngine& engine,
                   absl::Duration interval = absl::Milliseconds(250));
  CaseTaskFollower(const CaseTaskFollower&) = delete;
  CaseTaskFollower& operator=(const CaseTaskFollower&) = delete;

 private:
  void Round();

  const services::RouteCaseTasks& tasks_;
  const routing::LiveEngine& engine_;
  bool following_ = false;  // only the Periodic's thread touches these two
  int64_t after_seq_ = 0;
  std::unique_ptr<Periodic> periodic_;  // last: stops before the state above goes
};

}  // namespace onestop::app
