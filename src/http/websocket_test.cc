// Router::AddWebSocket through a real Server on loopback, with a small Beast
// WebSocket client.
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <future>
#include <thread>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "http/metrics.h"
#include "http/router.h"
#include "http/server.h"
#include "http/testing/test_client.h"

namespace onestop::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bws = boost::beast::websocket;
using tcp = asio::ip::tcp;

// Greets on open, echoes each message, and records the close.
class EchoHandler : public WebSocketHandler {
 public:
  explicit EchoHandler(std::string who) : who_(std::move(who)) {}
  void OnOpen(std::shared_ptr<WebSocketSession> session) override {
    session_ = std::move(session);
    session_->Send("hello " + who_);
  }
  void OnText(const std::string& text) override {
    if (text == "bye") return session_->Close();
    session_->Send("echo:" + text);
  }
  void OnClose() override { closed.set_value(); }
  std::promise<void> closed;

 private:
  std::string who_;
  std::shared_ptr<WebSocketSession> session_;
};

class WebSocketTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.AddWebSocket("/ws/{room}", [this](Request& req) {
      WebSocketUpgrade out;
      if (req.Header("Cookie").value_or("") != "onestop_session=good") {
        out.refusal = ProblemResponse(401, "Sign in first.");
        return out;
      }
      auto handler = std::make_shared<EchoHandler>(req.PathParam("room"));
      std::lock_guard lock(mu_);
      handlers_.push_back(handler);
      out.handler = handler;
      return out;
    });
    ServerOptions options;
    options.port = 0;
    options.io_threads = 1;
    options.worker_threads = 2;
    server_ = std::make_unique<Server>(options, router_, metrics_);
    ASSERT_TRUE(server_->Start().ok());
  }
  void TearDown() override { server_->Shutdown(); }

  // Connects and handshakes; the handshake's HTTP response in `response`.
  std::unique_ptr<bws::stream<tcp::socket>> Connect(const std::string& target, const std::string& cookie,
                                                    beast::error_code& ec,
                                                    bws::response_type* response = nullptr) {
    auto ws = std::make_unique<bws::stream<tcp::socket>>(io_);
    tcp::resolver resolver(io_);
    asio::connect(ws->next_layer(), resolver.resolve("127.0.0.1", std::to_string(server_->port())));
    ws->set_option(bws::stream_base::decorator(
        [cookie](bws::request_type& req) { req.set(beast::http::field::cookie, cookie); }));
    bws::response_type local;
    ws->handshake(response != nullptr ? *response : local, "127.0.0.1", target, ec);
    return ws;
  }
  static std::string Read(bws::stream<tcp::socket>& ws) {
    beast::flat_buffer buffer;
    ws.read(buffer);
    return beast::buffers_to_string(buffer.data());
  }

  asio::io_context io_;
  Router router_;
  Metrics metrics_;
  std::unique_ptr<Server> server_;
  std::mutex mu_;
  std::vector<std::shared_ptr<EchoHandler>> handlers_;
};

TEST_F(WebSocketTest, HandshakePushEchoAndClose) {
  beast::error_code ec;
  auto ws = Connect("/ws/lobby", "onestop_session=good", ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(Read(*ws), "hello lobby");
  ws->write(asio::buffer(std::string("ping")));
  EXPECT_EQ(Read(*ws), "echo:ping");
  ws->write(asio::buffer(std::string("bye")));  // the server closes
  beast::flat_buffer buffer;
  ws->read(buffer, ec);
  EXPECT_EQ(ec, bws::error::closed);
  std::shared_ptr<EchoHandler> handler;
  {
    std::lock_guard lock(mu_);
    ASSERT_EQ(handlers_.size(), 1u);
    handler = handlers_[0];
  }
  EXPECT_EQ(handler->closed.get_future().wait_for(std::chrono::seconds(5)), std::future_status::ready);
}

TEST_F(WebSocketTest, RefusedUpgradeIsPlainHttp) {
  beast::error_code ec;
  bws::response_type response;
  auto ws = Connect("/ws/lobby", "onestop_session=bad", ec, &response);
  EXPECT_TRUE(ec);
  EXPECT_EQ(response.result_int(), 401u);
}

TEST_F(WebSocketTest, PlainGetIs426AndShutdownClosesOpenSockets) {
  TestClient client(server_->port());
  Response plain = client.Send("GET", "/ws/lobby");
  EXPECT_EQ(plain.status, 426);

  beast::error_code ec;
  auto ws = Connect("/ws/lobby", "onestop_session=good", ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(Read(*ws), "hello lobby");
  // The server sends a close frame and waits for ours, so read meanwhile.
  std::thread stopper([this] { server_->Shutdown(); });
  beast::flat_buffer buffer;
  ws->read(buffer, ec);
  EXPECT_EQ(ec, bws::error::closed);
  stopper.join();
}

}  // namespace
}  // namespace onestop::http
