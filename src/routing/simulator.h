// Simulate: a discrete-event run of the real routing Engine on a virtual
// clock. One voice queue "sim" (longest-idle, no skills, no ring timeout, no
// wrap-up), `agents` identical agents; Poisson arrivals, exponential handling
// times, optional exponential patience (callers hang up while waiting).
// Offers are accepted at once. Deterministic for a given seed.
#pragma once

#include <cstdint>
#include <optional>

#include "absl/status/statusor.h"

namespace onestop::routing {

struct SimulationConfig {
  int agents = 10;
  double arrivals_per_hour = 100;
  double aht_seconds = 180;
  double hours = 8;
  uint64_t seed = 1;
  std::optional<double> patience_seconds = std::nullopt;
  double threshold_seconds = 20;
  // Figures count only contacts arriving after the warm-up (the run starts
  // with an empty queue). Default: a tenth of the run, at most one hour.
  std::optional<double> warmup_hours = std::nullopt;
};

struct SimulationResult {
  int64_t offered = 0;
  int64_t answered = 0;
  int64_t abandoned = 0;
  double p_wait = 0;             // did not reach an agent the instant they arrived
  double service_level_20s = 0;  // answered within threshold ÷ offered (abandons fail)
  double asa_seconds = 0;
  double occupancy = 0;          // talk time ÷ (agents × measured time)
  double aht_seconds = 0;
  double abandon_rate = 0;
  int64_t decisions = 0;
};

absl::StatusOr<SimulationResult> Simulate(const SimulationConfig& config);

}  // namespace onestop::routing
