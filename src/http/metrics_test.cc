#include "http/metrics.h"

#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace onestop::http {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(MetricsTest, RegisterRouteIsIdempotent) {
  Metrics metrics;
  size_t cases = metrics.RegisterRoute("/api/v1/cases");
  EXPECT_NE(cases, 0u);
  EXPECT_EQ(metrics.RegisterRoute("/api/v1/cases"), cases);
  EXPECT_NE(metrics.RegisterRoute("/api/v1/cases/{id}"), cases);
}

TEST(MetricsTest, RendersCountersAndHistogram) {
  Metrics metrics;
  size_t route = metrics.RegisterRoute("/api/v1/cases/{id}");
  metrics.Observe(route, "GET", 200, 0.0004);
  metrics.Observe(route, "GET", 200, 0.003);
  metrics.Observe(route, "GET", 404, 0.2);
  metrics.Observe(route, "BREW", 200, 20);
  metrics.Observe(0, "DELETE", 405, 0.001);
  std::string text = metrics.Render();

  EXPECT_THAT(text, HasSubstr("# TYPE onestop_http_requests_total counter\n"));
  EXPECT_THAT(text, HasSubstr(
      "onestop_http_requests_total{route=\"/api/v1/cases/{id}\",method=\"GET\",status=\"200\"} 2\n"));
  EXPECT_THAT(text, HasSubstr(
      "onestop_http_requests_total{route=\"/api/v1/cases/{id}\",method=\"GET\",status=\"404\"} 1\n"));
  EXPECT_THAT(text, HasSubstr(
      "onestop_http_requests_total{route=\"/api/v1/cases/{id}\",method=\"other\",status=\"200\"} 1\n"));
  EXPECT_THAT(text, HasSubstr(
      "onestop_http_requests_total{route=\"unmatched\",method=\"DELETE\",status=\"405\"} 1\n"));

  EXPECT_THAT(text, HasSubstr("# TYPE onestop_http_request_duration_seconds histogram\n"));
  EXPECT_THAT(text, HasSubstr(
      "onestop_http_request_duration_seconds_bucket{route=\"/api/v1/cases/{id}\",le=\"0.0005\"} 1\n"));
  EXPECT_THAT(text, HasSubstr(
      "onestop_http_request_duration_seconds_bucket{route=\"/api/v1/cases/{id}\",le=\"0.005\"} 2\n"));
  EXPECT_THAT(text, HasSubstr(
      "onestop_http_request_duration_seconds_bucket{route=\"/api/v1/cases/{id}\",le=\"10\"} 3\n"));
  EXPECT_THAT(text, HasSubstr(
      "onestop_http_request_duration_seconds_bucket{route=\"/api/v1/cases/{id}\",le=\"+Inf\"} 4\n"));
  EXPECT_THAT(text, HasSubstr(
      "onestop_http_request_duration_seconds_count{route=\"/api/v1/cases/{id}\"} 4\n"));
  EXPECT_THAT(text, HasSubstr(
      "onestop_http_request_duration_seconds_sum{route=\"/api/v1/cases/{id}\"} 20.2034"));
  // Every line is a comment or "name{labels} value".
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    ASSERT_NE(end, std::string::npos) << "exposition must end with a newline";
    std::string line = text.substr(start, end - start);
    if (line[0] != '#') {
      EXPECT_THAT(line, ::testing::MatchesRegex("[a-z_]+(\\{.*\\})? [-+0-9.eInfNa]+")) << line;
    }
    start = end + 1;
  }
}

TEST(MetricsTest, UnusedRoutesHaveNoHistogramSeries) {
  Metrics metrics;
  metrics.RegisterRoute("/healthz");
  EXPECT_THAT(metrics.Render(), Not(HasSubstr("route=\"/healthz\"")));
}

TEST(MetricsTest, GaugeCallbacks) {
  Metrics metrics;
  metrics.AddGaugeCallback("onestop_cases", "Cases by status.\nOpen ones matter.", [] {
    return std::vector<std::pair<Metrics::Labels, double>>{
        {{{"status", "open"}}, 12},
        {{{"status", "say \"hi\"\\"}}, 0.5},
    };
  });
  metrics.AddGaugeCallback("onestop_up", "Always 1.", [] {
    return std::vector<std::pair<Metrics::Labels, double>>{{{}, 1}};
  });
  std::string text = metrics.Render();
  EXPECT_THAT(text, HasSubstr("# HELP onestop_cases Cases by status.\\nOpen ones matter.\n"
                              "# TYPE onestop_cases gauge\n"
                              "onestop_cases{status=\"open\"} 12\n"
                              "onestop_cases{status=\"say \\\"hi\\\"\\\\\"} 0.5\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE onestop_up gauge\nonestop_up 1\n"));
}

TEST(MetricsTest, ConcurrentObserve) {
  Metrics metrics;
  size_t route = metrics.RegisterRoute("/x");
  std::vector<std::thread> threads;
  for (int thread_idx = 0; thread_idx < 4; ++thread_idx) {
    threads.emplace_back([&, thread_idx] {
      for (int call = 0; call < 10000; ++call) {
        metrics.Observe(route, "GET", 200 + (call % 3), 0.001 * thread_idx);
      }
    });
  }
  std::thread renderer([&] {
    for (int call = 0; call < 50; ++call) metrics.Render();
  });
  for (auto& thread : threads) thread.join();
  renderer.join();
  std::string text = metrics.Render();
  EXPECT_THAT(text, HasSubstr("onestop_http_request_duration_seconds_count{route=\"/x\"} 40000\n"));
  EXPECT_THAT(text, HasSubstr("method=\"GET\",status=\"201\"} 13332\n"));
}

}  // namespace
}  // namespace onestop::http
