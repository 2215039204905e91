#include "planning/erlang.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace onestop::planning {
namespace {

constexpr double kTailEpsilon = 1e-15;
constexpr int kMaxAgents = 1'000'000;

// C from B for N servers: C = N·B / (N − A·(1 − B)).
double CFromB(int agents, double traffic, double b) {
  if (agents <= traffic) return 1.0;
  return agents * b / (agents - traffic * (1.0 - b));
}

double SlFromC(int agents, double traffic, double c, double aht, double within) {
  if (agents <= traffic) return 0.0;
  return std::clamp(1.0 - c * std::exp(-(agents - traffic) * within / aht), 0.0, 1.0);
}

double AsaFromC(int agents, double traffic, double c, double aht) {
  if (agents <= traffic) return std::numeric_limits<double>::infinity();
  return c * aht / (agents - traffic);
}

}  // namespace

double ErlangB(int agents, double traffic) {
  if (traffic <= 0) return agents == 0 ? 1.0 : 0.0;
  double b = 1.0;
  for (int n = 1; n <= agents; ++n) b = traffic * b / (n + traffic * b);
  return b;
}

double ErlangC(int agents, double traffic) {
  if (traffic <= 0) return 0.0;
  return CFromB(agents, traffic, ErlangB(agents, traffic));
}

double ServiceLevel(int agents, double traffic, double aht_seconds, double within_seconds) {
  if (traffic <= 0) return 1.0;
  return SlFromC(agents, traffic, ErlangC(agents, traffic), aht_seconds, within_seconds);
}

double AverageSpeedOfAnswer(int agents, double traffic, double aht_seconds) {
  if (traffic <= 0) return 0.0;
  return AsaFromC(agents, traffic, ErlangC(agents, traffic), aht_seconds);
}

double Occupancy(int agents, double traffic) {
  if (agents <= 0) return traffic > 0 ? 1.0 : 0.0;
  return std::min(1.0, traffic / agents);
}

int ApplyShrinkage(int agents, double shrinkage) {
  // The small epsilon keeps 14 / 0.7 = 20.000000000000004 at 20.
  return static_cast<int>(std::ceil(agents / (1.0 - shrinkage) - 1e-9));
}

int OccupancyFloor(double traffic, double max_occupancy) {
  return static_cast<int>(std::ceil(traffic / max_occupancy - 1e-9));
}

ErlangAResult ErlangA(int agents, double lambda, double aht, double patience, double within) {
  ErlangAResult r;
  if (lambda <= 0 || agents <= 0) {
    r.p_wait = agents <= 0 ? 1.0 : 0.0;
    r.p_abandon = agents <= 0 ? 1.0 : 0.0;
    return r;
  }
  const double mu = 1.0 / aht;
  const double theta = patience > 0 ? 1.0 / patience : 0.0;
  const double traffic = lambda * aht;
  const double n_mu = agents * mu;
  const double b = ErlangB(agents, traffic);
  if (theta == 0 && agents <= traffic) {  // no patience and unstable: everyone waits forever
    r.p_wait = 1.0;
    r.asa_seconds = std::numeric_limits<double>::infinity();
    r.occupancy = 1.0;
    return r;
  }
  if (b < 1e-300) {  // nobody ever finds all agents busy
    r.service_level = 1.0;
    r.occupancy = traffic / agents;
    return r;
  }
  // Unnormalised state probabilities with π_N = 1: the states below N sum to
  // 1/B (Erlang loss), the states above follow the birth–death ratios.
  std::vector<double> tail;  // tail[k] = π_{N+k}
  double term = 1.0;
  double total_tail = 0;
  for (int k = 0;; ++k) {
    if (k > 0) term *= lambda / (n_mu + k * theta);
    tail.push_back(term);
    total_tail += term;
    if (term < kTailEpsilon * total_tail && (theta > 0 || lambda < n_mu)) break;
    if (k > 50'000'000) break;  // guard; unreachable for stable input
  }
  const double total = (1.0 / b - 1.0) + total_tail;  // π_N counted once (in the tail)
  r.p_wait = total_tail / total;
  // Arrival joining with k already waiting is at position k+1; it is answered
  // with probability Nμ/(Nμ+(k+1)θ), after a wait of Σ_{j=1..k+1} Exp(Nμ+jθ).
  double p_served_waiting = 0;
  double wait_served = 0;
  double harmonic = 0;
  for (size_t k = 0; k < tail.size(); ++k) {
    const double w = tail[k] / total;
    const double pos = static_cast<double>(k + 1);
    harmonic += 1.0 / (n_mu + pos * theta);
    const double served = n_mu / (n_mu + pos * theta);
    p_served_waiting += w * served;
    wait_served += w * served * harmonic;
  }
  const double p_answered = (1.0 - r.p_wait) + p_served_waiting;
  r.p_abandon = std::max(0.0, 1.0 - p_answered);
  r.asa_seconds = p_answered > 0 ? wait_served / p_answered : 0;
  r.occupancy = std::min(1.0, lambda * p_answered * aht / agents);

  if (theta == 0) {
    r.service_level = SlFromC(agents, traffic, r.p_wait, aht, within);
    return r;
  }
  // P(answered within t) by uniformisation of the "positions left" chain:
  // from position m the rate is Nμ + mθ; it advances at Nμ + (m−1)θ (to
  // "answered" from m = 1) and abandons at θ.
  const size_t positions = tail.size();
  const double big_lambda = n_mu + static_cast<double>(positions) * theta;
  std::vector<double> v(positions + 2, 0.0), next(positions + 2, 0.0);
  for (size_t k = 0; k < positions; ++k) v[k + 1] = tail[k] / total;
  const double mean_jumps = big_lambda * within;
  double answered_by_t = 0, answered_so_far = 0, poisson_mass = 0;
  for (int jump = 0;; ++jump) {
    const double log_p = -mean_jumps + jump * std::log(std::max(mean_jumps, 1e-300)) -
                         std::lgamma(jump + 1.0);
    const double p = mean_jumps > 0 ? std::exp(log_p) : (jump == 0 ? 1.0 : 0.0);
    answered_by_t += p * answered_so_far;
    poisson_mass += p;
    if ((poisson_mass > 1 - 1e-13 && jump > mean_jumps) || jump > 10'000'000) break;
    // One uniformised step.
    answered_so_far += v[1] * n_mu / big_lambda;
    for (size_t m = 1; m <= positions; ++m) {
      const double out_rate = n_mu + m * theta;
      const double in_rate = n_mu + m * theta;  // advance rate out of m+1
      next[m] = v[m] * (1.0 - out_rate / big_lambda) + v[m + 1] * in_rate / big_lambda;
    }
    std::swap(v, next);
  }
  r.service_level = std::clamp((1.0 - r.p_wait) + answered_by_t, 0.0, 1.0);
  return r;
}

absl::StatusOr<StaffingResult> SolveStaffing(const StaffingRequest& q) {
  if (!(q.arrivals >= 0) || !(q.interval_seconds > 0) || !(q.aht_seconds > 0)) {
    return absl::InvalidArgumentError("arrivals must be >= 0; interval and AHT must be > 0");
  }
  if (!(q.target_service_level > 0 && q.target_service_level < 1)) {
    return absl::InvalidArgumentError("the target service level must be between 0 and 1");
  }
  if (!(q.within_seconds >= 0)) return absl::InvalidArgumentError("--within must be >= 0");
  if (!(q.shrinkage >= 0 && q.shrinkage < 1)) {
    return absl::InvalidArgumentError("shrinkage must be in [0, 1)");
  }
  if (!(q.max_occupancy > 0 && q.max_occupancy <= 1)) {
    return absl::InvalidArgumentError("the occupancy cap must be in (0, 1]");
  }
  if (q.patience_seconds && !(*q.patience_seconds > 0)) {
    return absl::InvalidArgumentError("patience must be > 0 seconds");
  }
  StaffingResult out;
  const double lambda = q.arrivals / q.interval_seconds;
  out.traffic = lambda * q.aht_seconds;
  if (out.traffic == 0) return out;
  const int floor = std::max(1, OccupancyFloor(out.traffic, q.max_occupancy));
  if (!q.patience_seconds) {
    double b = 1.0;
    for (int n = 1; n <= kMaxAgents; ++n) {
      b = out.traffic * b / (n + out.traffic * b);
      if (n < floor || n <= out.traffic) continue;
      const double c = CFromB(n, out.traffic, b);
      const double sl = SlFromC(n, out.traffic, c, q.aht_seconds, q.within_seconds);
      if (sl >= q.target_service_level) {
        out.agents = n;
        out.service_level = sl;
        out.p_wait = c;
        out.asa_seconds = AsaFromC(n, out.traffic, c, q.aht_seconds);
        out.occupancy = Occupancy(n, out.traffic);
        out.scheduled = ApplyShrinkage(n, q.shrinkage);
        return out;
      }
    }
  } else {
    // SL rises with N; binary search between the floor and the Erlang C answer.
    StaffingRequest no_patience = q;
    no_patience.patience_seconds.reset();
    auto upper = SolveStaffing(no_patience);
    if (!upper.ok()) return upper.status();
    int lo = floor, hi = std::max(floor, upper->agents);
    // Abandons count as failures, so Erlang A may need more than Erlang C.
    while (ErlangA(hi, lambda, q.aht_seconds, *q.patience_seconds, q.within_seconds)
               .service_level < q.target_service_level) {
      lo = hi + 1;
      hi = hi * 2;
      if (hi > kMaxAgents) return absl::OutOfRangeError("no staffing meets the target");
    }
    while (lo < hi) {
      const int mid = lo + (hi - lo) / 2;
      auto a = ErlangA(mid, lambda, q.aht_seconds, *q.patience_seconds, q.within_seconds);
      if (a.service_level >= q.target_service_level) hi = mid; else lo = mid + 1;
    }
    auto a = ErlangA(lo, lambda, q.aht_seconds, *q.patience_seconds, q.within_seconds);
    out.agents = lo;
    out.service_level = a.service_level;
    out.p_wait = a.p_wait;
    out.asa_seconds = a.asa_seconds;
    out.occupancy = a.occupancy;
    out.p_abandon = a.p_abandon;
    out.scheduled = ApplyShrinkage(lo, q.shrinkage);
    return out;
  }
  return absl::OutOfRangeError(absl::StrCat("no staffing up to ", kMaxAgents, " agents meets the target"));
}

}  // namespace onestop::planning
