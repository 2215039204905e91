// QueueMetrics: an EventSink that turns routing events into per-queue
// contact-centre figures (the definitions are those of the wallboard):
//   offered        items that entered the queue (transfers in count again)
//   answered       connects;  abandoned: abandons
//   service level  answered within the queue's threshold ÷ offered (abandons
//                  count as failures; items still waiting are not counted)
//   ASA            total wait of answered ÷ answered
//   AHT            (talk + wrap-up) ÷ completed
//   abandon rate   abandoned ÷ offered
//   P(wait)        items not offered at the instant they entered ÷ offered
// Not thread-safe: it lives with the engine.
#pragma once

#include <map>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "routing/types.h"

namespace onestop::routing {

struct QueueFigures {
  int64_t offered = 0;
  int64_t answered = 0;
  int64_t abandoned = 0;
  int64_t completed = 0;
  int64_t answered_within = 0;  // within the threshold
  int64_t waited = 0;           // not offered on entry
  double total_wait_answered = 0;
  double total_talk = 0;
  double total_wrap = 0;
  double service_level() const { return offered ? double(answered_within) / offered : 0; }
  double asa() const { return answered ? total_wait_answered / answered : 0; }
  double aht() const { return completed ? (total_talk + total_wrap) / completed : 0; }
  double abandon_rate() const { return offered ? double(abandoned) / offered : 0; }
  double p_wait() const { return offered ? double(waited) / offered : 0; }
};

class QueueMetrics : public EventSink {
 public:
  explicit QueueMetrics(double threshold_seconds = 20) : threshold_(threshold_seconds) {}
  void OnEvent(const RoutingEvent& e) override;
  // A queue's own service-level threshold (else the constructor's).
  void SetThreshold(const std::string& queue, double seconds) { thresholds_[queue] = seconds; }
  const std::map<std::string, QueueFigures>& queues() const { return queues_; }
  QueueFigures Total() const;
  // Start counting afresh (e.g. after a simulator's warm-up); items already
  // in the system are not counted when they finish.
  void Reset();

 private:
  double threshold_;
  std::map<std::string, double> thresholds_;
  std::map<std::string, QueueFigures> queues_;
  // item → (queue it entered, still counted, offered yet)
  struct Open {
    std::string queue;
    bool offered = false;
  };
  absl::flat_hash_map<int64_t, Open> open_;
};

}  // namespace onestop::routing
