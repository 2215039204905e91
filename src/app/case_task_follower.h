// CaseTaskFollower: the thread that keeps case tasks in the routing engine
// in line with the cases (services/case_tasks.h). While this node leads
// routing it polls the event log every `interval` for case events written
// by any node; when it starts leading it first reconciles every open case.
// On a standby it only waits.
//
// Threads: constructed and destroyed on one thread; its own thread does the work.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "absl/time/time.h"
#include "routing/live_engine.h"
#include "services/case_tasks.h"

namespace onestop::app {

class CaseTaskFollower {
 public:
  CaseTaskFollower(const services::RouteCaseTasks& tasks, const routing::LiveEngine& engine,
                   absl::Duration interval = absl::Milliseconds(250));
  ~CaseTaskFollower();
  CaseTaskFollower(const CaseTaskFollower&) = delete;
  CaseTaskFollower& operator=(const CaseTaskFollower&) = delete;

 private:
  void Loop();
  void Round();

  const services::RouteCaseTasks& tasks_;
  const routing::LiveEngine& engine_;
  const absl::Duration interval_;
  bool following_ = false;  // only the thread touches these two
  int64_t after_seq_ = 0;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;  // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace onestop::app
