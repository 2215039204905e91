// Erlang formulas for contact-centre planning. Pure functions, thread-safe.
//
// Units: traffic A in Erlangs (arrivals per second × AHT seconds); times in
// seconds. Every function works for N up to tens of thousands: Erlang B uses
// the recursion B(n) = A·B(n−1) / (n + A·B(n−1)), never factorials or powers.
//
// Service level convention (written on the wallboard too): SL(t) is the share
// of OFFERED contacts that are answered within t seconds; with patience
// (Erlang A) abandons therefore count as failures.
#pragma once

#include <optional>

#include "absl/status/statusor.h"

namespace onestop::planning {

// Erlang B blocking probability for `agents` servers and `traffic` Erlangs.
double ErlangB(int agents, double traffic);

// Erlang C probability that an arrival waits. Returns 1 when agents <= traffic
// (the queue is unstable: everyone waits).
double ErlangC(int agents, double traffic);

// M/M/N (no abandonment) service level, ASA, occupancy.
double ServiceLevel(int agents, double traffic, double aht_seconds, double within_seconds);
double AverageSpeedOfAnswer(int agents, double traffic, double aht_seconds);  // +inf when unstable
double Occupancy(int agents, double traffic);                                 // min(1, A/N)

// Agents to schedule so that `agents` are on the phones after shrinkage s:
// ⌈N / (1 − s)⌉. s must be in [0, 1).
int ApplyShrinkage(int agents, double shrinkage);

// Smallest N with A/N <= cap: ⌈A / cap⌉ (cap in (0, 1]).
int OccupancyFloor(double traffic, double max_occupancy);

// Erlang A (M/M/N+M): exponential patience with mean `patience_seconds`.
struct ErlangAResult {
  double p_wait = 0;        // an arrival finds every agent busy
  double p_abandon = 0;     // an arrival hangs up before being answered
  double service_level = 0; // answered within t ÷ offered
  double asa_seconds = 0;   // mean wait of answered contacts
  double occupancy = 0;     // carried traffic ÷ N
};
ErlangAResult ErlangA(int agents, double arrivals_per_second, double aht_seconds,
                      double patience_seconds, double within_seconds);

struct StaffingRequest {
  double arrivals = 0;          // contacts in the interval
  double interval_seconds = 1800;
  double aht_seconds = 180;
  double target_service_level = 0.8;
  double within_seconds = 20;
  double shrinkage = 0;         // [0, 1)
  double max_occupancy = 1;     // (0, 1]
  std::optional<double> patience_seconds = std::nullopt;  // set: use Erlang A
};

struct StaffingResult {
  int agents = 0;      // on the phones (raw positions)
  int scheduled = 0;   // after shrinkage
  double traffic = 0;  // Erlangs
  double service_level = 0;
  double occupancy = 0;
  double p_wait = 0;
  double asa_seconds = 0;
  double p_abandon = 0;  // 0 without patience
};

// The smallest N meeting the target service level and the occupancy cap.
// InvalidArgument for nonsense input; OutOfRange when no N <= 1,000,000 will do.
absl::StatusOr<StaffingResult> SolveStaffing(const StaffingRequest& request);

}  // namespace onestop::planning
