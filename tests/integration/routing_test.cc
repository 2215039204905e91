// Routing through the real binary: interactions arrive, an available agent
// gets the offer (with the caller matched to a citizen), accepts and
// completes; abandon; a waiting interaction survives a restart; queue
// definitions CRUD and statistics with role checks.
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include "api_client.h"

namespace onestop::integration {
namespace {

class RoutingTest : public ServerSuite {
 protected:
  static std::string Path(int64_t id, std::string_view action = "") {
    std::string out = "/api/v1/interactions/" + std::to_string(id);
    if (!action.empty()) out += "/" + std::string(action);
    return out;
  }
  static void PutQueue(const std::string& code) {
    Reply put = ApiAs(kSupervisor)
                    .Put("/api/v1/queues/" + code,
                         boost::json::object{{"name", "Council Tax"}, {"ring_timeout_seconds", 0}});
    ASSERT_TRUE(put.status == 201 || put.status == 200) << put;
  }
  static Reply Arrive(Api& api, const std::string& queue, const std::string& caller) {
    return api.Post("/api/v1/interactions",
                    boost::json::object{{"media", "voice"}, {"queue", queue}, {"caller", caller}});
  }
};

TEST_F(RoutingTest, OfferAcceptCompleteWithScreenPop) {
  PutQueue("council-tax");
  Api agent = ApiAs(kAgent);
  int64_t citizen_id = CreateCitizen(
      agent, boost::json::object{{"given_name", "Ada"}, {"family_name", "Caller"},
                                 {"phones", boost::json::array{"01632 960444"}}});
  ASSERT_GT(citizen_id, 0);

  Reply arrived = Arrive(agent, "council-tax", "+44 1632 960444");
  ASSERT_EQ(arrived.status, 201) << arrived;
  int64_t id = arrived.Int("id");
  EXPECT_EQ(arrived.Str("state"), "waiting");
  EXPECT_EQ(arrived.Int("position"), 1);

  Reply desk = agent.Put("/api/v1/agents/me/presence", boost::json::object{{"presence", "available"}});
  ASSERT_EQ(desk.status, 200) << desk;
  ASSERT_EQ(desk.At("items").as_array().size(), 1u) << desk;
  const boost::json::object& offer = desk.At("items").as_array()[0].as_object();
  EXPECT_EQ(offer.at("id").as_int64(), id);
  EXPECT_EQ(offer.at("state").as_string(), "offered");
  ASSERT_TRUE(offer.at("citizen").is_object()) << desk;
  EXPECT_EQ(offer.at("citizen").as_object().at("id").as_int64(), citizen_id);
  EXPECT_EQ(offer.at("citizen").as_object().at("href").as_string(),
            "/staff/citizens/" + std::to_string(citizen_id));

  Reply accepted = agent.Post(Path(id, "accept"), boost::json::object{});
  ASSERT_EQ(accepted.status, 200) << accepted;
  EXPECT_EQ(accepted.Str("state"), "busy");
  Reply completed = agent.Post(Path(id, "complete"), boost::json::object{});
  ASSERT_EQ(completed.status, 200) << completed;
  EXPECT_EQ(completed.Str("state"), "available");
  EXPECT_EQ(agent.Get(Path(id)).status, 404);
  // Completing twice is refused, not a crash.
  EXPECT_GE(agent.Post(Path(id, "complete"), boost::json::object{}).status, 400);

  // The figures count it; agents may not see them.
  Reply stats = ApiAs(kSupervisor).Get("/api/v1/queues/stats");
  ASSERT_EQ(stats.status, 200) << stats;
  bool found = false;
  for (const auto& row : stats.At("totals").as_array()) {
    if (row.at("queue").as_string() != "council-tax") continue;
    found = true;
    EXPECT_GE(row.at("answered").as_int64(), 1);
  }
  EXPECT_TRUE(found) << stats;
  EXPECT_EQ(agent.Get("/api/v1/queues/stats").status, 403);
  ASSERT_EQ(agent.Put("/api/v1/agents/me/presence", boost::json::object{{"presence", "offline"}}).status, 200);
}

TEST_F(RoutingTest, AbandonAndQueueRules) {
  PutQueue("bins");
  Api agent = ApiAs(kAgent);
  Reply arrived = Arrive(agent, "bins", "07700 900001");
  ASSERT_EQ(arrived.status, 201) << arrived;
  int64_t id = arrived.Int("id");
  Reply abandoned = agent.Post(Path(id, "abandon"), boost::json::object{});
  ASSERT_EQ(abandoned.status, 200) << abandoned;
  EXPECT_EQ(abandoned.Str("state"), "abandoned");
  EXPECT_EQ(agent.Post(Path(id, "abandon"), boost::json::object{}).status, 404);

  EXPECT_TRUE(IsFieldProblem(Arrive(agent, "no-such-queue", "1"), 400, "queue"));
  EXPECT_EQ(agent.Put("/api/v1/queues/bins", boost::json::object{{"name", "x"}}).status, 403);
  EXPECT_TRUE(IsFieldProblem(
      ApiAs(kAdmin).Put("/api/v1/queues/Bad%20Code", boost::json::object{{"name", "x"}}), 400, "code"));
  Reply listed = agent.Get("/api/v1/queues");
  ASSERT_EQ(listed.status, 200) << listed;
  EXPECT_FALSE(listed.Items().empty());
}

TEST_F(RoutingTest, WaitingInteractionSurvivesRestart) {
  PutQueue("parking");
  Api agent = ApiAs(kAgent);
  Reply arrived = Arrive(agent, "parking", "07700 900002");
  ASSERT_EQ(arrived.status, 201) << arrived;
  int64_t id = arrived.Int("id");

  ASSERT_EQ(server().Stop(), 0) << server().ReadLog();
  ASSERT_TRUE(server().Start());
  tokens_.clear();

  Api again = ApiAs(kAgent);
  Reply item = again.Get(Path(id));
  ASSERT_EQ(item.status, 200) << item;
  EXPECT_EQ(item.Str("state"), "waiting");
  EXPECT_EQ(item.Str("queue"), "parking");
  EXPECT_EQ(item.Int("position"), 1);
  Reply queue = again.Get("/api/v1/queues/parking");
  EXPECT_EQ(queue.status, 200) << queue;
  // New interactions do not reuse the id.
  Reply next = Arrive(again, "parking", "07700 900003");
  ASSERT_EQ(next.status, 201) << next;
  EXPECT_GT(next.Int("id"), id);
  EXPECT_EQ(next.Int("position"), 2);
  // Leave no work waiting for the agent of the next tests.
  EXPECT_EQ(again.Post(Path(id, "abandon"), boost::json::object{}).status, 200);
  EXPECT_EQ(again.Post(Path(next.Int("id"), "abandon"), boost::json::object{}).status, 200);
}

// A small synchronous Beast WebSocket client for the staff channels.
class Socket {
 public:
  Socket(uint16_t port, const std::string& target, const std::string& token) : ws_(io_) {
    namespace beast = boost::beast;
    boost::asio::ip::tcp::resolver resolver(io_);
    boost::asio::connect(ws_.next_layer(), resolver.resolve("127.0.0.1", std::to_string(port)));
    ws_.next_layer().set_option(boost::asio::socket_base::receive_buffer_size(1 << 16));
    ws_.set_option(boost::beast::websocket::stream_base::decorator(
        [token](boost::beast::websocket::request_type& req) {
          req.set(beast::http::field::authorization, "Bearer " + token);
        }));
    ws_.handshake(response_, "127.0.0.1", target, ec_);
  }
  const boost::system::error_code& error() const { return ec_; }
  unsigned status() const { return response_.result_int(); }
  void Send(const boost::json::object& message) {
    ws_.write(boost::asio::buffer(boost::json::serialize(message)));
  }
  // Reads messages until one satisfies `want` (or 50 messages went by).
  boost::json::object ReadUntil(const std::function<bool(const boost::json::object&)>& want) {
    for (int count = 0; count < 50; ++count) {
      // Asynchronous read with a deadline, so a missing message fails the
      // test instead of hanging it.
      boost::beast::flat_buffer buffer;
      bool done = false;
      boost::system::error_code ec;
      ws_.async_read(buffer, [&](boost::system::error_code read_ec, size_t) {
        ec = read_ec;
        done = true;
      });
      io_.restart();
      io_.run_for(std::chrono::seconds(10));
      if (!done) {
        ADD_FAILURE() << "no message within 10 s";
        ws_.next_layer().close();
        io_.restart();
        io_.run();
        return {};
      }
      if (ec) {
        ADD_FAILURE() << "read failed: " << ec.message();
        return {};
      }
      boost::json::value value = boost::json::parse(boost::beast::buffers_to_string(buffer.data()));
      if (value.is_object() && want(value.as_object())) return value.as_object();
    }
    ADD_FAILURE() << "no matching message";
    return {};
  }

 private:
  boost::asio::io_context io_;
  boost::beast::websocket::stream<boost::asio::ip::tcp::socket> ws_;
  boost::beast::websocket::response_type response_;
  boost::system::error_code ec_;
};

TEST_F(RoutingTest, DeskSocketReceivesTheOfferAndWallboardSocketTheFigures) {
  PutQueue("licensing");
  Api agent = ApiAs(kAgent);
  Socket desk(port(), "/staff/ws/desk", TokenFor(kAgent));
  ASSERT_FALSE(desk.error()) << desk.error().message() << " HTTP " << desk.status();
  desk.ReadUntil([](const boost::json::object& m) { return m.at("type") == "desk"; });
  desk.Send({{"type", "presence"}, {"presence", "available"}});
  desk.ReadUntil([](const boost::json::object& m) {
    return m.at("type") == "desk" && m.at("state") == "available";
  });

  Reply arrived = Arrive(agent, "licensing", "07700 900777");
  ASSERT_EQ(arrived.status, 201) << arrived;
  const int64_t id = arrived.Int("id");
  boost::json::object offered = desk.ReadUntil([id](const boost::json::object& m) {
    if (m.at("type") != "desk") return false;
    for (const auto& item : m.at("items").as_array()) {
      if (item.at("id").as_int64() == id && item.at("state") == "offered") return true;
    }
    return false;
  });
  EXPECT_EQ(offered.at("items").as_array()[0].at("caller"), "07700 900777");

  desk.Send({{"type", "accept"}, {"id", id}});
  desk.ReadUntil([](const boost::json::object& m) { return m.at("type") == "desk" && m.at("state") == "busy"; });
  desk.Send({{"type", "complete"}, {"id", id}});
  desk.ReadUntil([](const boost::json::object& m) {
    return m.at("type") == "desk" && m.at("items").as_array().empty();
  });
  desk.Send({{"type", "presence"}, {"presence", "offline"}});
  desk.ReadUntil([](const boost::json::object& m) { return m.at("type") == "desk" && m.at("state") == "offline"; });

  // Agents may not open the wallboard; supervisors get its figures.
  Socket refused(port(), "/staff/ws/wallboard", TokenFor(kAgent));
  EXPECT_TRUE(refused.error());
  EXPECT_EQ(refused.status(), 403u);
  Socket board(port(), "/staff/ws/wallboard", TokenFor(kSupervisor));
  ASSERT_FALSE(board.error()) << board.error().message();
  boost::json::object figures = board.ReadUntil([](const boost::json::object& m) {
    if (m.at("type") != "wallboard") return false;
    for (const auto& q : m.at("queues").as_array()) {
      if (q.at("code") == "licensing" && q.at("answered").as_int64() >= 1) return true;
    }
    return false;
  });
  EXPECT_TRUE(figures.contains("at"));
}

TEST_F(RoutingTest, WallboardPageNeedsASupervisor) {
  // Not signed in: the login page.
  Reply anonymous = Api(port()).Get("/staff/wallboard");
  EXPECT_EQ(anonymous.status, 303) << anonymous;
}

}  // namespace
}  // namespace onestop::integration
