// Metrics: HTTP request counters and latency histograms, rendered in the
// Prometheus text exposition format 0.0.4.
//
//   onestop_http_requests_total{route,method,status}   counter
//   onestop_http_request_duration_seconds{route}       histogram (0.5 ms .. 10 s)
//
// plus gauges computed on demand by callbacks (e.g. open cases by status).
//
// Threads: every method is thread-safe. Observe() is lock-free — each route's
// series are atomics in a slot fixed when the route is registered — so the
// I/O threads never contend on a mutex. RegisterRoute/AddGaugeCallback/Render
// take a mutex; gauge callbacks run inside Render() on the scraping thread.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace onestop::http {

class Metrics {
 public:
  using Labels = std::vector<std::pair<std::string, std::string>>;
  using GaugeCallback = std::function<std::vector<std::pair<Labels, double>>()>;

  // Route label used for requests that matched no route (404, 405, 400 ...).
  static constexpr std::string_view kUnmatchedRoute = "unmatched";
  static constexpr size_t kMaxRoutes = 512;
  static constexpr std::array<double, 14> kBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // Index of the series for this route pattern; registering a pattern twice
  // returns the same index. Index 0 is kUnmatchedRoute. Beyond kMaxRoutes
  // routes share the unmatched series (and a warning is logged).
  size_t RegisterRoute(std::string_view pattern);

  // Records one finished request. `method` outside the standard set is
  // counted as "other" so clients cannot inflate the label set.
  void Observe(size_t route_index, std::string_view method, int status, double seconds);

  // Adds a gauge family `name` whose samples come from `callback` at render.
  void AddGaugeCallback(std::string name, std::string help, GaugeCallback callback);

  // The whole exposition, Content-Type "text/plain; version=0.0.4; charset=utf-8".
  std::string Render() const;

  static constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

 private:
  struct RouteSeries;
  struct Gauge {
    std::string name;
    std::string help;
    GaugeCallback callback;
  };

  mutable std::mutex mu_;
  std::array<std::atomic<RouteSeries*>, kMaxRoutes> routes_{};  // owned; written under mu_
  std::atomic<size_t> route_count_{0};
  std::vector<Gauge> gauges_;  // guarded by mu_
};

}  // namespace onestop::http
