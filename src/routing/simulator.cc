#include "routing/simulator.h"

#include <queue>
#include <random>
#include <vector>

#include "common/clock.h"
#include "routing/engine.h"
#include "routing/metrics.h"

namespace onestop::routing {
namespace {

enum class SimKind : uint8_t { kArrival, kCompletion, kPatience };
struct SimEvent {
  double at;  // seconds since start
  SimKind kind;
  int64_t item;
  int64_t agent;
  bool operator>(const SimEvent& o) const { return at > o.at; }
};

// Forwards to the metrics and remembers offers for the loop to accept.
class SimSink : public EventSink {
 public:
  void OnEvent(const RoutingEvent& e) override {
    metrics.OnEvent(e);
    if (e.type == "offer") offers.push_back({e.item_id, e.agent_id});
  }
  QueueMetrics metrics;
  std::vector<std::pair<int64_t, int64_t>> offers;
};

}  // namespace

absl::StatusOr<SimulationResult> Simulate(const SimulationConfig& c) {
  if (c.agents < 1 || c.agents > 100'000) return absl::InvalidArgumentError("--agents must be 1..100000");
  if (!(c.arrivals_per_hour > 0) || !(c.aht_seconds > 0) || !(c.hours > 0)) {
    return absl::InvalidArgumentError("arrivals, AHT and hours must be positive");
  }
  if (c.patience_seconds && !(*c.patience_seconds > 0)) {
    return absl::InvalidArgumentError("--patience must be positive");
  }
  const absl::Time start = absl::FromUnixSeconds(1'700'000'000);
  FakeClock clock(start);
  SimSink sink;
  sink.metrics = QueueMetrics(c.threshold_seconds);
  Engine engine(clock, &sink);
  QueueConfig queue;
  queue.id = "sim";
  queue.ring_timeout_seconds = 0;
  queue.service_level_seconds = static_cast<int>(c.threshold_seconds);
  if (auto s = engine.UpsertQueue(queue); !s.ok()) return s;
  for (int agent = 1; agent <= c.agents; ++agent) {
    AgentConfig a;
    a.id = agent;
    a.profile = {{"sim", 1, 0}};
    if (auto s = engine.UpsertAgent(a); !s.ok()) return s;
    if (auto s = engine.SetPresence(agent, Presence::kAvailable); !s.ok()) return s;
  }

  std::mt19937_64 rng(c.seed);
  std::exponential_distribution<double> interarrival(c.arrivals_per_hour / 3600.0);
  std::exponential_distribution<double> handling(1.0 / c.aht_seconds);
  std::exponential_distribution<double> patience(c.patience_seconds ? 1.0 / *c.patience_seconds : 1.0);
  std::priority_queue<SimEvent, std::vector<SimEvent>, std::greater<SimEvent>> events;

  const double end = c.hours * 3600.0;
  const double warmup = 3600.0 * c.warmup_hours.value_or(std::min(1.0, c.hours / 10));
  bool measuring = warmup <= 0;
  events.push({interarrival(rng), SimKind::kArrival, 0, 0});

  auto accept_offers = [&]() -> absl::Status {
    while (!sink.offers.empty()) {
      auto [item, agent] = sink.offers.back();
      sink.offers.pop_back();
      if (auto s = engine.Accept(item, agent); !s.ok()) return s;
      const double now = absl::ToDoubleSeconds(clock.Now() - start);
      events.push({now + handling(rng), SimKind::kCompletion, item, agent});
    }
    return absl::OkStatus();
  };

  while (!events.empty()) {
    SimEvent ev = events.top();
    events.pop();
    if (ev.kind == SimKind::kArrival && ev.at >= end) continue;  // no new arrivals; drain the rest
    if (ev.at >= end) break;
    clock.Set(start + absl::Seconds(ev.at));
    if (!measuring && ev.at >= warmup) {
      sink.metrics.Reset();
      measuring = true;
    }
    engine.Tick();
    switch (ev.kind) {
      case SimKind::kArrival: {
        NewItem call;
        call.media = Media::kVoice;
        call.queue = "sim";
        auto id = engine.AddItem(call);
        if (!id.ok()) return id.status();
        if (c.patience_seconds) events.push({ev.at + patience(rng), SimKind::kPatience, *id, 0});
        events.push({ev.at + interarrival(rng), SimKind::kArrival, 0, 0});
        break;
      }
      case SimKind::kCompletion:
        if (auto s = engine.Complete(ev.item, ev.agent); !s.ok()) return s;
        break;
      case SimKind::kPatience: {
        auto item = engine.Item(ev.item);
        if (item && item->state == ItemState::kWaiting) {
          if (auto s = engine.Abandon(ev.item); !s.ok()) return s;
        }
        break;
      }
    }
    if (auto s = accept_offers(); !s.ok()) return s;
  }

  const QueueFigures f = sink.metrics.Total();
  SimulationResult r;
  r.offered = f.offered;
  r.answered = f.answered;
  r.abandoned = f.abandoned;
  r.p_wait = f.p_wait();
  r.service_level_20s = f.service_level();
  r.asa_seconds = f.asa();
  r.aht_seconds = f.aht();
  r.abandon_rate = f.abandon_rate();
  r.occupancy = f.total_talk / (c.agents * (end - warmup));
  r.decisions = engine.decisions();
  return r;
}

}  // namespace onestop::routing
