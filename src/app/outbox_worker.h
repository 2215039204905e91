// The outbox's sender thread: every two seconds, or at once when woken
// (an agent's reply), it runs services::DeliverOutbox on this node while it
// leads routing (one sender for the whole installation; the store's claim
// keeps a second one from sending a message twice anyway) and logs each
// failed attempt by message id and error code — never an address or text.
#pragma once

#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "routing/live_engine.h"
#include "services/outbox.h"

namespace onestop::app {

class OutboxWorker {
 public:
  OutboxWorker(services::Deps deps, routing::LiveEngine& engine,
               std::map<domain::OutboxChannel, domain::MessageTransport*> transports,
               services::OutboxPolicy policy = {}, absl::Duration every = absl::Seconds(2));
  ~OutboxWorker();  // stops the thread (a send in progress finishes first)
  OutboxWorker(const OutboxWorker&) = delete;
  OutboxWorker& operator=(const OutboxWorker&) = delete;

  void Wake();

 private:
  void Loop();

  services::DeliverOutbox deliver_;
  routing::LiveEngine& engine_;
  absl::Duration every_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool woken_ = false;  // guarded by mu_
  bool stop_ = false;   // guarded by mu_
  std::thread thread_;
};

}  // namespace onestop::app
