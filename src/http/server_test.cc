// Real-loopback tests: a Server on an ephemeral port and TestClient.
#include "http/server.h"

#include <atomic>
#include <future>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "http/testing/test_client.h"

namespace onestop::http {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add("GET", "/healthz", [](Request&) { return Response::Text(200, "ok"); },
                {.blocking = false});
    router_.Add("GET", "/api/v1/cases/{id}", [](Request& req) {
      return Response::Json(200, "{\"id\":\"" + JsonEscape(req.PathParam("id")) + "\",\"q\":\"" +
                                     JsonEscape(req.QueryParam("q").value_or("")) + "\"}");
    });
    router_.Add("POST", "/api/v1/echo", [](Request& req) {
      Response res = Response::Text(201, req.body);
      res.SetHeader("X-Route", req.route);
      res.SetHeader("X-Remote", req.remote_address);
      return res;
    });
    router_.Add("POST", "/api/v1/small", [](Request& req) { return Response::Text(200, req.body); },
                {.body_limit = 10});
    router_.Add("GET", "/throw", [](Request&) -> Response { throw std::runtime_error("boom"); });
    router_.Add("GET", "/slow", [this](Request&) {
      slow_started_.set_value();
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      return Response::Text(200, "slow done");
    });
    router_.Add("GET", "/nocontent", [](Request&) {
      Response res;
      res.status = 204;
      return res;
    });
  }

  void StartServer(ServerOptions options = {}) {
    options.port = 0;
    options.io_threads = 2;
    options.worker_threads = 4;
    server_ = std::make_unique<Server>(options, router_, metrics_);
    ASSERT_TRUE(server_->Start().ok());
    ASSERT_NE(server_->port(), 0);
  }

  void TearDown() override {
    if (server_) server_->Shutdown();
  }

  Router router_;
  Metrics metrics_;
  std::unique_ptr<Server> server_;
  std::promise<void> slow_started_;
};

TEST_F(ServerTest, ServesInlineAndBlockingRoutes) {
  StartServer();
  TestClient client(server_->port());
  Response health = client.Send("GET", "/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, "ok");
  EXPECT_EQ(health.content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(health.Header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(health.Header("Referrer-Policy"), "same-origin");
  EXPECT_EQ(health.Header("Server"), "onestop");
  EXPECT_EQ(health.Header("Content-Length"), "2");

  Response got = client.Send("GET", "/api/v1/cases/AB%2012?q=a+b");
  EXPECT_EQ(got.status, 200);
  EXPECT_EQ(got.body, R"({"id":"AB 12","q":"a b"})");
  EXPECT_EQ(got.content_type, "application/json");
}

TEST_F(ServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  StartServer();
  TestClient client(server_->port());
  for (int request_idx = 0; request_idx < 20; ++request_idx) {
    std::string body = "payload " + std::to_string(request_idx);
    Response res = client.Send("POST", "/api/v1/echo", body);
    ASSERT_EQ(res.status, 201);
    EXPECT_EQ(res.body, body);
    EXPECT_EQ(res.Header("X-Route"), "/api/v1/echo");
    EXPECT_EQ(res.Header("X-Remote"), "127.0.0.1");
  }
  EXPECT_EQ(client.connections_opened(), 1);
  EXPECT_TRUE(client.connected());
}

TEST_F(ServerTest, ConnectionCloseIsHonoured) {
  StartServer();
  TestClient client(server_->port());
  Response res = client.Send("GET", "/healthz", "", {{"Connection", "close"}});
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.Header("Connection"), "close");
  EXPECT_FALSE(client.connected());
}

TEST_F(ServerTest, PipelinedRequestsAnswerInOrder) {
  StartServer();
  TestClient client(server_->port());
  std::string raw =
      "GET /api/v1/cases/1 HTTP/1.1\r\nHost: x\r\n\r\n"
      "POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
      "GET /api/v1/cases/2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  std::string out = client.SendRaw(raw);
  size_t first = out.find(R"({"id":"1")");
  size_t second = out.find("hello");
  size_t third = out.find(R"({"id":"2")");
  ASSERT_NE(first, std::string::npos) << out;
  ASSERT_NE(second, std::string::npos) << out;
  ASSERT_NE(third, std::string::npos) << out;
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);
}

TEST_F(ServerTest, HeadHasHeadersButNoBody) {
  StartServer();
  TestClient client(server_->port());
  Response res = client.Send("HEAD", "/api/v1/cases/7");
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, "");
  EXPECT_EQ(res.Header("Content-Length"), std::to_string(std::string(R"({"id":"7","q":""})").size()));
  // The connection is still usable afterwards.
  EXPECT_EQ(client.Send("GET", "/healthz").body, "ok");
  EXPECT_EQ(client.connections_opened(), 1);
}

TEST_F(ServerTest, NotFoundAndMethodNotAllowedAreProblems) {
  StartServer();
  TestClient client(server_->port());
  Response missing = client.Send("GET", "/nope");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.content_type, "application/problem+json");
  EXPECT_THAT(missing.body, HasSubstr(R"("title":"Not Found","status":404)"));
  Response wrong = client.Send("DELETE", "/api/v1/cases/1");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.Header("Allow"), "GET, HEAD");
  EXPECT_EQ(client.connections_opened(), 1);
}

TEST_F(ServerTest, BadQueryEscapeIs400) {
  StartServer();
  TestClient client(server_->port());
  Response res = client.Send("GET", "/api/v1/cases/1?q=%zz");
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(res.content_type, "application/problem+json");
}

TEST_F(ServerTest, NoContentHasNoBody) {
  StartServer();
  TestClient client(server_->port());
  Response res = client.Send("GET", "/nocontent");
  EXPECT_EQ(res.status, 204);
  EXPECT_EQ(res.body, "");
  EXPECT_EQ(res.Header("Content-Type"), std::nullopt);
  EXPECT_EQ(client.Send("GET", "/healthz").status, 200);
}

TEST_F(ServerTest, OversizedBodyGets413) {
  ServerOptions options;
  options.body_limit = 1 << 20;
  StartServer(options);
  TestClient client(server_->port());
  Response res = client.Send("POST", "/api/v1/echo", std::string(2 << 20, 'x'));
  EXPECT_EQ(res.status, 413);
  EXPECT_EQ(res.content_type, "application/problem+json");
  EXPECT_THAT(res.body, StartsWith(R"({"type":"about:blank","title":"Payload Too Large","status":413,"detail":")"));
  EXPECT_EQ(res.Header("Connection"), "close");
  EXPECT_FALSE(client.connected());
  // A body within the limit still works (on a new connection).
  EXPECT_EQ(client.Send("POST", "/api/v1/echo", std::string(1000, 'y')).status, 201);
}

TEST_F(ServerTest, OversizedHeaderOnlyAnsweredWithoutReadingBody) {
  StartServer();
  TestClient client(server_->port());
  // Announce 2 MiB but send none of it: the answer must not wait for the body.
  std::string out = client.SendRaw(
      "POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2097152\r\n\r\n");
  EXPECT_THAT(out, StartsWith("HTTP/1.1 413"));
}

TEST_F(ServerTest, RouteBodyLimitOverridesDefault) {
  StartServer();
  TestClient client(server_->port());
  EXPECT_EQ(client.Send("POST", "/api/v1/small", "0123456789").status, 200);
  EXPECT_EQ(client.Send("POST", "/api/v1/small", "0123456789A").status, 413);
  // Chunked bodies are limited as they stream in.
  std::string out = client.SendRaw(
      "POST /api/v1/small HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "8\r\n01234567\r\n8\r\n89ABCDEF\r\n0\r\n\r\n");
  EXPECT_THAT(out, StartsWith("HTTP/1.1 413"));
}

TEST_F(ServerTest, ExpectContinueGetsInterimResponse) {
  StartServer();
  TestClient client(server_->port());
  std::string out = client.SendRaw(
      "POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n"
      "Connection: close\r\n\r\nhi");
  EXPECT_THAT(out, StartsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201"));
}

TEST_F(ServerTest, GarbageGets400) {
  StartServer();
  TestClient client(server_->port());
  std::string out = client.SendRaw("\x01\x02 this is not http\r\n\r\n");
  EXPECT_THAT(out, StartsWith("HTTP/1.1 400"));
  EXPECT_THAT(out, HasSubstr("application/problem+json"));
  EXPECT_THAT(out, HasSubstr("X-Request-Id: "));
  // The server is still fine.
  EXPECT_EQ(client.Send("GET", "/healthz").status, 200);
}

TEST_F(ServerTest, RequestIdEchoedOrGenerated) {
  StartServer();
  TestClient client(server_->port());
  Response echoed = client.Send("GET", "/healthz", "", {{"X-Request-Id", "abc-123_x.y"}});
  EXPECT_EQ(echoed.Header("X-Request-Id"), "abc-123_x.y");

  Response fresh = client.Send("GET", "/healthz", "", {{"X-Request-Id", "bad id<script>"}});
  ASSERT_TRUE(fresh.Header("X-Request-Id").has_value());
  EXPECT_NE(fresh.Header("X-Request-Id"), "bad id<script>");
  EXPECT_EQ(fresh.Header("X-Request-Id")->size(), 16u);

  Response too_long = client.Send("GET", "/healthz", "", {{"X-Request-Id", std::string(65, 'a')}});
  EXPECT_NE(too_long.Header("X-Request-Id"), std::string(65, 'a'));

  Response none = client.Send("GET", "/nope");
  EXPECT_TRUE(none.Header("X-Request-Id").has_value());
}

TEST_F(ServerTest, HandlerExceptionIs500AndServerSurvives) {
  StartServer();
  TestClient client(server_->port());
  Response res = client.Send("GET", "/throw", "", {{"X-Request-Id", "req-1"}});
  EXPECT_EQ(res.status, 500);
  EXPECT_EQ(res.content_type, "application/problem+json");
  EXPECT_THAT(res.body, HasSubstr("req-1"));
  EXPECT_THAT(res.body, ::testing::Not(HasSubstr("boom")));
  EXPECT_EQ(client.Send("GET", "/healthz").status, 200);
}

TEST_F(ServerTest, ConcurrentClients) {
  StartServer();
  constexpr int kClients = 8;
  constexpr int kRequests = 50;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int client_idx = 0; client_idx < kClients; ++client_idx) {
    threads.emplace_back([&, client_idx] {
      TestClient client(server_->port());
      for (int request_idx = 0; request_idx < kRequests; ++request_idx) {
        std::string id = std::to_string(client_idx) + "-" + std::to_string(request_idx);
        Response res = client.Send("GET", "/api/v1/cases/" + id);
        if (res.status == 200 && res.body == R"({"id":")" + id + R"(","q":""})") ++ok;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ok.load(), kClients * kRequests);
  EXPECT_THAT(metrics_.Render(),
              HasSubstr("onestop_http_requests_total{route=\"/api/v1/cases/{id}\",method=\"GET\","
                        "status=\"200\"} " + std::to_string(kClients * kRequests) + "\n"));
}

TEST_F(ServerTest, MetricsCountUnmatched) {
  StartServer();
  TestClient client(server_->port());
  client.Send("GET", "/nope");
  EXPECT_THAT(metrics_.Render(), HasSubstr(
      "onestop_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1\n"));
}

TEST_F(ServerTest, StartFailsWhenAddressInUse) {
  StartServer();
  Router other_router;
  Metrics other_metrics;
  ServerOptions options;
  options.port = server_->port();
  Server second(options, other_router, other_metrics);
  absl::Status status = second.Start();
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(std::string(status.message()), HasSubstr("bind"));
}

TEST_F(ServerTest, StartFailsOnBadAddress) {
  ServerOptions options;
  options.address = "not an address";
  options.port = 0;
  Server server(options, router_, metrics_);
  EXPECT_EQ(server.Start().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(ServerTest, GracefulShutdownFinishesInFlightRequest) {
  StartServer();
  uint16_t port = server_->port();
  TestClient idle(port);
  ASSERT_EQ(idle.Send("GET", "/healthz").status, 200);  // an idle keep-alive connection

  auto slow = std::async(std::launch::async, [port] {
    TestClient client(port);
    return client.Send("GET", "/slow");
  });
  slow_started_.get_future().wait();
  auto started = std::chrono::steady_clock::now();
  server_->Shutdown();
  auto took = std::chrono::steady_clock::now() - started;

  Response res = slow.get();
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, "slow done");
  EXPECT_EQ(res.Header("Connection"), "close");
  EXPECT_LT(took, std::chrono::seconds(5));  // idle connection did not hold up shutdown

  TestClient late(port);
  late.set_timeout(std::chrono::milliseconds(2000));
  Response refused = late.Send("GET", "/healthz");
  EXPECT_EQ(refused.status, 0) << refused.body;
  server_->Wait();  // returns at once after Shutdown
  server_->Shutdown();  // idempotent
}

TEST_F(ServerTest, ShutdownBeforeStartIsHarmless) {
  Server server(ServerOptions{}, router_, metrics_);
  server.Shutdown();
  server.Wait();
}

}  // namespace
}  // namespace onestop::http
