#include "routing/metrics.h"

namespace onestop::routing {

void QueueMetrics::OnEvent(const RoutingEvent& e) {
  if (e.type == "enter" || e.type == "transfer") {
    if (e.type == "transfer" && !open_.contains(e.item_id)) return;
    open_[e.item_id] = Open{e.queue, false};
    ++queues_[e.queue].offered;
    return;
  }
  auto it = open_.find(e.item_id);
  if (e.type == "offer") {
    if (it == open_.end()) return;
    if (!it->second.offered && e.wait_seconds > 0) ++queues_[it->second.queue].waited;
    it->second.offered = true;
  } else if (e.type == "connect") {
    if (it == open_.end()) return;
    QueueFigures& q = queues_[it->second.queue];
    ++q.answered;
    q.total_wait_answered += e.wait_seconds;
    auto own = thresholds_.find(it->second.queue);
    const double threshold = own == thresholds_.end() ? threshold_ : own->second;
    if (e.wait_seconds <= threshold + 1e-9) ++q.answered_within;
  } else if (e.type == "complete") {
    if (it == open_.end()) return;
    QueueFigures& q = queues_[it->second.queue];
    ++q.completed;
    q.total_talk += e.talk_seconds;
    q.total_wrap += e.wrap_up_seconds;
    open_.erase(it);
  } else if (e.type == "abandon") {
    if (it == open_.end()) return;
    QueueFigures& q = queues_[it->second.queue];
    ++q.abandoned;
    if (!it->second.offered) ++q.waited;
    open_.erase(it);
  }
}

QueueFigures QueueMetrics::Total() const {
  QueueFigures t;
  for (const auto& [id, q] : queues_) {
    t.offered += q.offered;
    t.answered += q.answered;
    t.abandoned += q.abandoned;
    t.completed += q.completed;
    t.answered_within += q.answered_within;
    t.waited += q.waited;
    t.total_wait_answered += q.total_wait_answered;
    t.total_talk += q.total_talk;
    t.total_wrap += q.total_wrap;
  }
  return t;
}

void QueueMetrics::Reset() {
  queues_.clear();
  open_.clear();
}

}  // namespace onestop::routing
