// Periodic: runs a function on a thread of its own every `every` (first run
// right away) until destroyed. For housekeeping that must not hold up a
// request (purging expired sessions, ...).
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "absl/time/time.h"

namespace onestop::app {

class Periodic {
 public:
  Periodic(absl::Duration every, std::function<void()> fn);
  ~Periodic();
  Periodic(const Periodic&) = delete;
  Periodic& operator=(const Periodic&) = delete;

 private:
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;  // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace onestop::app
