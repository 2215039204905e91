// Routing decisions at contact-centre scale: 10,000 agents, 100 skills,
// 10 queues and ~1,000 waiting items, under a mix of arrivals, completions
// and presence churn. Each timed operation is one engine call that ends in a
// routing decision (an arrival looks for an agent; a completion or an agent
// coming back looks for work). Prints p50/p99 latency and operations/s.
//
// Reproduce (Release build):
//   cmake -S . -B build-rel -G Ninja -DCMAKE_BUILD_TYPE=Release && ninja -C build-rel routing_bench
//   ./build-rel/bench/routing_bench
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <vector>

#include "common/clock.h"
#include "routing/engine.h"

namespace onestop::routing {
namespace {

constexpr int kAgents = 10'000;
constexpr int kSkills = 100;
constexpr int kQueues = 10;
constexpr int kWaitingTarget = 1'000;

class OfferSink : public EventSink {
 public:
  void OnEvent(const RoutingEvent& e) override {
    if (e.type == "offer") offers.push_back({e.item_id, e.agent_id});
  }
  std::vector<std::pair<int64_t, int64_t>> offers;
};

struct World {
  FakeClock clock{absl::FromUnixSeconds(1'700'000'000)};
  OfferSink sink;
  Engine engine{clock, &sink};
  std::mt19937_64 rng{42};
  std::vector<std::pair<int64_t, int64_t>> connected;  // (item, agent)
  std::vector<int64_t> on_break;

  NewItem RandomItem() {
    NewItem n;
    n.media = Media::kVoice;
    n.queue = "q" + std::to_string(rng() % kQueues);
    n.priority = static_cast<int>(rng() % 3);
    n.skills = {{"s" + std::to_string(rng() % kSkills), 1 + static_cast<int>(rng() % 3)}};
    return n;
  }
  void AcceptOffers() {
    for (auto [item, agent] : sink.offers) {
      (void)engine.Accept(item, agent);
      connected.push_back({item, agent});
    }
    sink.offers.clear();
  }
  World() {
    for (int q = 0; q < kQueues; ++q) {
      QueueConfig c;
      c.id = "q" + std::to_string(q);
      c.ring_timeout_seconds = 0;
      (void)engine.UpsertQueue(c);
    }
    for (int a = 1; a <= kAgents; ++a) {
      AgentConfig c;
      c.id = a;
      for (int s = 0; s < 5; ++s) {
        c.skills.push_back({"s" + std::to_string(rng() % kSkills), 1 + static_cast<int>(rng() % 5)});
      }
      for (int q = 0; q < kQueues; ++q) c.profile.push_back({"q" + std::to_string(q), 1 + q % 3, 0});
      (void)engine.UpsertAgent(c);
      (void)engine.SetPresence(a, Presence::kAvailable);
    }
    // Fill every agent that can be filled, then build the waiting queue.
    int waiting = 0;
    for (int guard = 0; waiting < kWaitingTarget && guard < 200'000; ++guard) {
      (void)engine.AddItem(RandomItem());
      if (sink.offers.empty()) ++waiting;
      AcceptOffers();
    }
  }
};

std::vector<double>& Latencies() {
  static std::vector<double> v;
  return v;
}

void BM_RoutingDecisions(benchmark::State& state) {
  static World* world = new World();  // built once: setting up 10,000 agents is not the subject
  World& w = *world;
  std::uniform_real_distribution<double> coin(0, 1);
  auto& lat = Latencies();
  lat.clear();
  lat.reserve(1 << 20);
  for (auto _ : state) {
    w.clock.Advance(absl::Milliseconds(50));
    const double r = coin(w.rng);
    auto t0 = std::chrono::steady_clock::now();
    if (r < 0.45) {  // arrival
      (void)w.engine.AddItem(w.RandomItem());
    } else if (r < 0.9 && !w.connected.empty()) {  // completion: the agent looks for work
      size_t pick = w.rng() % w.connected.size();
      auto [item, agent] = w.connected[pick];
      w.connected[pick] = w.connected.back();
      w.connected.pop_back();
      (void)w.engine.Complete(item, agent);
    } else if (r < 0.95 || w.on_break.empty()) {  // presence churn: someone goes on break
      int64_t agent = 1 + static_cast<int64_t>(w.rng() % kAgents);
      (void)w.engine.SetPresence(agent, Presence::kOnBreak, "comfort");
      w.on_break.push_back(agent);
    } else {  // ... and someone comes back
      int64_t agent = w.on_break.back();
      w.on_break.pop_back();
      (void)w.engine.SetPresence(agent, Presence::kAvailable);
    }
    auto t1 = std::chrono::steady_clock::now();
    lat.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    state.PauseTiming();
    w.AcceptOffers();
    state.ResumeTiming();
  }
  std::vector<double> sorted = lat;
  std::sort(sorted.begin(), sorted.end());
  if (!sorted.empty()) {
    double total = 0;
    for (double x : sorted) total += x;
    state.counters["p50_us"] = sorted[sorted.size() / 2];
    state.counters["p99_us"] = sorted[sorted.size() * 99 / 100];
    state.counters["max_us"] = sorted.back();
    state.counters["decisions_per_s"] = sorted.size() / (total / 1e6);
    int waiting = 0;
    for (const auto& q : w.engine.QueueViews()) waiting += q.waiting;
    state.counters["waiting"] = waiting;
  }
}
BENCHMARK(BM_RoutingDecisions)->Iterations(200'000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace onestop::routing

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::printf("\nreproduce: cmake -S . -B build-rel -G Ninja -DCMAKE_BUILD_TYPE=Release && "
              "ninja -C build-rel routing_bench && ./build-rel/bench/routing_bench\n");
  return 0;
}
