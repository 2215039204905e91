// Routing on several nodes sharing one PostgreSQL: one node runs the engine
// (advisory-lock leadership, routing/election.h); the other answers routing
// calls with 503 routing-standby; when the leader is killed the standby
// takes over within seconds with the waiting work rebuilt from the event
// log, and the old leader comes back as a standby. PostgreSQL only (ctest:
// Integration.RoutingFailover.postgres).
#include <chrono>
#include <memory>
#include <thread>

#include "api_client.h"

namespace onestop::integration {
namespace {

constexpr char kPassword[] = "fairhaven-demo";

class RoutingFailoverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!OnestopProcess::UsesPostgres()) GTEST_SKIP() << "several nodes need PostgreSQL";
    if (std::string reason = OnestopProcess::SkipReason(); !reason.empty()) GTEST_SKIP() << reason;
    a_ = std::make_unique<OnestopProcess>();
    ASSERT_TRUE(a_->Seed());
    ASSERT_TRUE(a_->Start());
    b_ = std::make_unique<OnestopProcess>(a_->database_url());
    ASSERT_TRUE(b_->Start());
  }
  void TearDown() override {
    b_.reset();  // the node sharing A's database goes first
    a_.reset();
  }

  static Reply Leader(uint16_t port, const std::string& token) {
    return Api(port, token).Get("/api/v1/routing/leader");
  }
  // Polls `port` until it says it leads (or `limit` passes).
  static bool WaitUntilLeading(uint16_t port, const std::string& token, std::chrono::seconds limit) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      Reply r = Leader(port, token);
      if (r.status == 200 && r.At("leading").is_bool() && r.At("leading").as_bool()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

  std::unique_ptr<OnestopProcess> a_;
  std::unique_ptr<OnestopProcess> b_;
};

TEST_F(RoutingFailoverTest, StandbyRefusesThenTakesOverWhenTheLeaderDies) {
  const std::string supervisor = a_->Login("supervisor@fairhaven.example", kPassword);
  const std::string agent = a_->Login("agent@fairhaven.example", kPassword);
  ASSERT_FALSE(supervisor.empty());
  ASSERT_FALSE(agent.empty());

  // A started first and leads; B knows it is a standby and who leads.
  Reply on_a = Leader(a_->port(), agent);
  ASSERT_EQ(on_a.status, 200) << on_a;
  EXPECT_TRUE(on_a.At("leading").as_bool()) << on_a;
  const std::string node_a = on_a.Str("node");
  ASSERT_FALSE(node_a.empty());
  EXPECT_EQ(on_a.At("leader").at("node").as_string(), node_a);
  Reply on_b = Leader(b_->port(), agent);
  ASSERT_EQ(on_b.status, 200) << on_b;
  EXPECT_FALSE(on_b.At("leading").as_bool()) << on_b;
  EXPECT_EQ(on_b.At("leader").at("node").as_string(), node_a) << on_b;
  const std::string node_b = on_b.Str("node");
  EXPECT_NE(node_b, node_a);

  // Work arrives through the leader; the standby refuses it with a problem
  // that says where to go, and changes nothing.
  Api sup_a(a_->port(), supervisor);
  Reply queue = sup_a.Put("/api/v1/queues/council-tax",
                          boost::json::object{{"name", "Council Tax"}, {"ring_timeout_seconds", 0}});
  ASSERT_TRUE(queue.status == 201 || queue.status == 200) << queue;
  Api agent_a(a_->port(), agent);
  Reply call = agent_a.Post("/api/v1/interactions",
                            boost::json::object{{"media", "voice"}, {"queue", "council-tax"},
                                                {"caller", "01632 960123"}});
  ASSERT_EQ(call.status, 201) << call;
  const int64_t id = call.Int("id");

  Api agent_b(b_->port(), agent);
  Reply refused = agent_b.Post("/api/v1/interactions",
                               boost::json::object{{"media", "voice"}, {"queue", "council-tax"},
                                                   {"caller", "01632 960124"}});
  ASSERT_TRUE(IsProblem(refused, 503)) << refused;
  EXPECT_TRUE(refused.Str("type").ends_with("routing-standby")) << refused;
  EXPECT_NE(refused.Str("detail").find(node_a), std::string::npos) << refused;
  EXPECT_EQ(refused.Header("Retry-After"), "1");
  Reply refused_queue = Api(b_->port(), supervisor)
                            .Put("/api/v1/queues/housing", boost::json::object{{"name", "Housing"}});
  EXPECT_TRUE(IsProblem(refused_queue, 503)) << refused_queue;

  // The leader dies without a goodbye. The standby takes over quickly, with
  // the waiting call rebuilt from the event log.
  a_->Kill();
  ASSERT_TRUE(WaitUntilLeading(b_->port(), agent, std::chrono::seconds(15)))
      << "node B did not take over\n" << b_->ReadLog();
  Reply waiting = agent_b.Get("/api/v1/interactions/" + std::to_string(id));
  ASSERT_EQ(waiting.status, 200) << waiting;
  EXPECT_EQ(waiting.Str("state"), "waiting") << waiting;
  EXPECT_EQ(waiting.Int("position"), 1) << waiting;
  Reply desk = agent_b.Put("/api/v1/agents/me/presence", boost::json::object{{"presence", "available"}});
  ASSERT_EQ(desk.status, 200) << desk;
  ASSERT_EQ(desk.At("items").as_array().size(), 1u) << desk;
  EXPECT_EQ(desk.At("items").as_array()[0].at("id").as_int64(), id);
  Reply leader = Leader(b_->port(), agent);
  EXPECT_EQ(leader.At("leader").at("node").as_string(), node_b) << leader;
  EXPECT_GE(leader.At("leader").at("epoch").as_int64(), 2) << leader;

  // The old leader comes back as a standby.
  ASSERT_TRUE(a_->Start());
  Reply back = Leader(a_->port(), agent);
  ASSERT_EQ(back.status, 200) << back;
  EXPECT_FALSE(back.At("leading").as_bool()) << back;
  EXPECT_EQ(back.At("leader").at("node").as_string(), node_b) << back;
  EXPECT_TRUE(IsProblem(Api(a_->port(), agent).Post("/api/v1/interactions/" + std::to_string(id) + "/accept",
                                                    boost::json::object{}),
                        503));
  // ...and B keeps serving.
  Reply accepted = agent_b.Post("/api/v1/interactions/" + std::to_string(id) + "/accept", boost::json::object{});
  EXPECT_EQ(accepted.status, 200) << accepted;
}

}  // namespace
}  // namespace onestop::integration
