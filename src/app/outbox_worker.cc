#include "app/outbox_worker.h"

#include <chrono>

#include "spdlog/spdlog.h"

namespace onestop::app {

OutboxWorker::OutboxWorker(services::Deps deps, routing::LiveEngine& engine,
                           std::map<domain::OutboxChannel, domain::MessageTransport*> transports,
                           services::OutboxPolicy policy, absl::Duration every)
    : deliver_(deps, std::move(transports), policy), engine_(engine), every_(every) {
  thread_ = std::thread([this] { Loop(); });
}

OutboxWorker::~OutboxWorker() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void OutboxWorker::Wake() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    woken_ = true;
  }
  wake_.notify_all();
}

void OutboxWorker::Loop() {
  while (true) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait_for(lock, std::chrono::microseconds(absl::ToInt64Microseconds(every_)),
                     [this] { return stop_ || woken_; });
      if (stop_) return;
      woken_ = false;
    }
    if (!engine_.leading()) continue;
    // A full batch may mean more are due: go round again at once.
    for (int rounds = 0; rounds < 100; ++rounds) {
      absl::StatusOr<services::DeliveryRound> round = deliver_.Run();
      if (!round.ok()) {
        spdlog::warn("outbox: {}", round.status().ToString());
        break;
      }
      for (const services::DeliveryRound::Problem& p : round->problems) {
        if (p.given_up) {
          spdlog::error("outbox: message {} ({}) not sent, given up after {} attempts: {}", p.outbox_id,
                        domain::OutboxChannelName(p.channel), p.attempts, p.status.ToString());
        } else {
          spdlog::warn("outbox: message {} ({}) attempt {} failed, will retry: {}", p.outbox_id,
                       domain::OutboxChannelName(p.channel), p.attempts, p.status.ToString());
        }
      }
      if (round->sent > 0) spdlog::info("outbox: sent {} messages", round->sent);
      if (round->sent + round->retried + round->failed < services::OutboxPolicy{}.batch) break;
      std::lock_guard<std::mutex> lock(mu_);
      if (stop_) return;
    }
  }
}

}  // namespace onestop::app
