#include "common/periodic.h"

#include <chrono>
#include <utility>

namespace onestop {

Periodic::Periodic(absl::Duration every, std::function<void()> fn, bool run_now) {
  thread_ = std::thread([this, every, run_now, fn = std::move(fn)] {
    std::unique_lock lock(mu_);
    if (!run_now) wake_.wait_for(lock, absl::ToChronoMilliseconds(every), [this] { return stop_; });
    while (!stop_) {
      lock.unlock();
      fn();
      lock.lock();
      wake_.wait_for(lock, absl::ToChronoMilliseconds(every), [this] { return stop_; });
    }
  });
}

Periodic::~Periodic() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

}  // namespace onestop
