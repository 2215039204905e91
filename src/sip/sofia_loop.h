// SofiaLoop: the thread that runs sofia-sip. nua has no file descriptor an
// Asio loop could watch and every nua_* call must happen on the thread
// running its su_root, so sofia gets a thread of its own and everything else
// talks to it by message passing: Post() queues a closure into the root
// (su_msg_send; closures from any thread run in the order they were posted)
// and the SIP code posts results out (to Asio or the routing engine) itself.
//
// Threads: Post and Stop from any thread; Run's `setup` and posted closures
// run on the sofia thread.
#pragma once

#include <atomic>
#include <functional>
#include <future>
#include <memory>
#include <thread>

#include "absl/status/status.h"

struct su_root_s;

namespace onestop::sip {

class SofiaLoop {
 public:
  SofiaLoop();
  ~SofiaLoop();  // Stop()
  SofiaLoop(const SofiaLoop&) = delete;
  SofiaLoop& operator=(const SofiaLoop&) = delete;

  // Starts the thread, runs `setup` on it (creating nua there) and returns
  // what setup returned; on an error the thread is stopped again.
  absl::Status Start(std::function<absl::Status(su_root_s* root)> setup);
  // Queues `fn` to run on the sofia thread; false when the loop is not
  // running (the closure is dropped).
  bool Post(std::function<void()> fn);
  // Runs `teardown` on the sofia thread (shutting nua down: it may step the
  // root until nua_shutdown completes), then ends the thread. Idempotent.
  void Stop(std::function<void(su_root_s* root)> teardown = nullptr);
  bool on_loop_thread() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace onestop::sip
