// Periodic: runs a function on a thread of its own every `every` (the first
// run right away unless asked otherwise) until destroyed, which waits for a run in progress. For work
// that follows or tidies up behind the requests: the routing election, the
// case-task follower, purging expired sessions.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "absl/time/time.h"

namespace onestop {

class Periodic {
 public:
  // `run_now` false: the first run comes after one `every`.
  Periodic(absl::Duration every, std::function<void()> fn, bool run_now = true);
  ~Periodic();
  Periodic(const Periodic&) = delete;
  Periodic& operator=(const Periodic&) = delete;

 private:
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;  // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace onestop
