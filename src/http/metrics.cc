#include "http/metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <tuple>

#include "absl/strings/str_cat.h"

#include "spdlog/spdlog.h"

namespace onestop::http {
namespace {

constexpr std::string_view kMethodNames[] = {"other", "GET",    "HEAD",   "POST",
                                             "PUT",   "PATCH",  "DELETE", "OPTIONS"};
constexpr uint32_t kMethodCodes = 8;

uint32_t MethodCode(std::string_view method) {
  for (uint32_t code = 1; code < kMethodCodes; ++code) {
    if (kMethodNames[code] == method) return code;
  }
  return 0;
}

std::string FormatValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buf[40];
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    std::snprintf(buf, sizeof(buf), "%.0f", value);
  } else {
    std::snprintf(buf, sizeof(buf), "%.17g", value);
  }
  return buf;
}

std::string EscapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string EscapeHelp(std::string_view help) {
  std::string out;
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

struct Metrics::RouteSeries {
  static constexpr size_t kSlots = 32;  // distinct (status, method) pairs per route
  explicit RouteSeries(std::string_view p) : pattern(p) {}

  std::string pattern;
  // keys[i] == 0: free; else status * kMethodCodes + method code. Claimed by CAS.
  std::array<std::atomic<uint32_t>, kSlots> keys{};
  std::array<std::atomic<uint64_t>, kSlots> counts{};
  std::atomic<uint64_t> overflow{0};  // pairs beyond kSlots
  std::array<std::atomic<uint64_t>, kBuckets.size() + 1> buckets{};  // last is +Inf
  std::atomic<uint64_t> count{0};
  std::atomic<uint64_t> sum_nanos{0};

  void Count(uint32_t key) {
    for (size_t slot = 0; slot < kSlots; ++slot) {
      uint32_t current = keys[slot].load(std::memory_order_acquire);
      if (current == 0) {
        uint32_t expected = 0;
        if (keys[slot].compare_exchange_strong(expected, key, std::memory_order_acq_rel)) {
          current = key;
        } else {
          current = expected;
        }
      }
      if (current == key) {
        counts[slot].fetch_add(1, std::memory_order_relaxed);
        return;
      }
    }
    overflow.fetch_add(1, std::memory_order_relaxed);
  }
};

Metrics::Metrics() {
  auto* unmatched = new RouteSeries(kUnmatchedRoute);
  routes_[0].store(unmatched, std::memory_order_release);
  route_count_.store(1, std::memory_order_release);
}

Metrics::~Metrics() {
  for (auto& route : routes_) delete route.load();
}

size_t Metrics::RegisterRoute(std::string_view pattern) {
  std::lock_guard<std::mutex> lock(mu_);
  size_t count = route_count_.load(std::memory_order_relaxed);
  for (size_t route_idx = 0; route_idx < count; ++route_idx) {
    if (routes_[route_idx].load(std::memory_order_relaxed)->pattern == pattern) return route_idx;
  }
  if (count == kMaxRoutes) {
    spdlog::warn("metrics: more than {} routes; '{}' counted as unmatched", kMaxRoutes,
                 std::string(pattern));
    return 0;
  }
  routes_[count].store(new RouteSeries(pattern), std::memory_order_release);
  route_count_.store(count + 1, std::memory_order_release);
  return count;
}

void Metrics::Observe(size_t route_index, std::string_view method, int status, double seconds) {
  RouteSeries* series =
      route_index < kMaxRoutes ? routes_[route_index].load(std::memory_order_acquire) : nullptr;
  if (series == nullptr) series = routes_[0].load(std::memory_order_acquire);
  uint32_t clamped_status = static_cast<uint32_t>(std::clamp(status, 100, 999));
  series->Count(clamped_status * kMethodCodes + MethodCode(method));

  size_t bucket = 0;
  while (bucket < kBuckets.size() && seconds > kBuckets[bucket]) ++bucket;
  series->buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  series->count.fetch_add(1, std::memory_order_relaxed);
  double nanos = std::max(0.0, seconds) * 1e9;
  series->sum_nanos.fetch_add(static_cast<uint64_t>(nanos), std::memory_order_relaxed);
}

void Metrics::AddGaugeCallback(std::string name, std::string help, GaugeCallback callback) {
  std::lock_guard<std::mutex> lock(mu_);
  gauges_.push_back(Gauge{std::move(name), std::move(help), std::move(callback)});
}

std::string Metrics::Render() const {
  std::lock_guard<std::mutex> lock(mu_);
  size_t count = route_count_.load(std::memory_order_acquire);
  std::string out;
  out.reserve(4096);

  out += "# HELP onestop_http_requests_total HTTP requests by route, method and status.\n";
  out += "# TYPE onestop_http_requests_total counter\n";
  for (size_t route_idx = 0; route_idx < count; ++route_idx) {
    const RouteSeries& series = *routes_[route_idx].load(std::memory_order_acquire);
    std::string route_label = EscapeLabelValue(series.pattern);
    std::vector<std::tuple<uint32_t, uint32_t, uint64_t>> rows;  // status, method, count
    for (size_t slot = 0; slot < RouteSeries::kSlots; ++slot) {
      uint32_t key = series.keys[slot].load(std::memory_order_acquire);
      if (key == 0) break;  // slots are claimed in order
      rows.emplace_back(key / kMethodCodes, key % kMethodCodes,
                        series.counts[slot].load(std::memory_order_relaxed));
    }
    std::sort(rows.begin(), rows.end());
    for (const auto& [status, method, value] : rows) {
      out += "onestop_http_requests_total{route=\"" + route_label + "\",method=\"";
      out += kMethodNames[method];
      out += "\",status=\"" + std::to_string(status) + "\"} " + std::to_string(value) + "\n";
    }
    if (uint64_t overflow = series.overflow.load(std::memory_order_relaxed); overflow > 0) {
      out += "onestop_http_requests_total{route=\"" + route_label +
             "\",method=\"other\",status=\"other\"} " + std::to_string(overflow) + "\n";
    }
  }

  out += "# HELP onestop_http_request_duration_seconds HTTP request latency by route.\n";
  out += "# TYPE onestop_http_request_duration_seconds histogram\n";
  for (size_t route_idx = 0; route_idx < count; ++route_idx) {
    const RouteSeries& series = *routes_[route_idx].load(std::memory_order_acquire);
    uint64_t total = series.count.load(std::memory_order_relaxed);
    if (total == 0) continue;
    std::string route_label = EscapeLabelValue(series.pattern);
    uint64_t cumulative = 0;
    char le[32];
    for (size_t bucket = 0; bucket <= kBuckets.size(); ++bucket) {
      cumulative += series.buckets[bucket].load(std::memory_order_relaxed);
      if (bucket < kBuckets.size()) {
        std::snprintf(le, sizeof(le), "%g", kBuckets[bucket]);
      } else {
        std::snprintf(le, sizeof(le), "+Inf");
      }
      out += "onestop_http_request_duration_seconds_bucket{route=\"" + route_label + "\",le=\"" +
             le + "\"} " + std::to_string(cumulative) + "\n";
    }
    double sum = static_cast<double>(series.sum_nanos.load(std::memory_order_relaxed)) / 1e9;
    char sum_buf[40];
    std::snprintf(sum_buf, sizeof(sum_buf), "%.9f", sum);
    out += "onestop_http_request_duration_seconds_sum{route=\"" + route_label + "\"} " + sum_buf +
           "\n";
    // Count from the buckets so the exposition is self-consistent under concurrent Observe().
    out += "onestop_http_request_duration_seconds_count{route=\"" + route_label + "\"} " +
           std::to_string(cumulative) + "\n";
  }

  for (const Gauge& gauge : gauges_) {
    out += "# HELP " + gauge.name + " " + EscapeHelp(gauge.help) + "\n";
    out += "# TYPE " + gauge.name + " gauge\n";
    std::vector<std::pair<Labels, double>> samples;
    try {
      samples = gauge.callback();
    } catch (const std::exception& e) {
      spdlog::error("metrics: gauge {} callback failed: {}", gauge.name, e.what());
      continue;
    }
    for (const auto& [labels, value] : samples) {
      out += gauge.name;
      if (!labels.empty()) {
        out += "{";
        for (size_t label_idx = 0; label_idx < labels.size(); ++label_idx) {
          if (label_idx > 0) out += ",";
          out += labels[label_idx].first + "=\"" + EscapeLabelValue(labels[label_idx].second) + "\"";
        }
        out += "}";
      }
      absl::StrAppend(&out, " ", FormatValue(value), "\n");
    }
  }
  return out;
}

}  // namespace onestop::http
