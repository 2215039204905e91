// Routing on one node at a time: RoutingElection over two stores opened on
// one SQLite file (two "nodes"; the file lock plays PostgreSQL's advisory
// lock), each with its own LiveEngine and RoutingDesk.
#include "routing/election.h"

#include <memory>
#include <string>
#include <vector>

#include "services/routing.h"
#include "services/testing/fixture.h"

namespace onestop::services {
namespace {

using routing::ItemState;

struct Node {
  Node(domain::Store& store, const Clock& clock, Deps deps, const std::string& name) {
    routing::LiveOptions options;
    options.timer_thread = false;
    engine = std::make_unique<routing::LiveEngine>(store, clock, options);
    routing::RoutingElection::Options election_options;
    election_options.node = name;
    election_options.interval = absl::Hours(1);  // the test runs the rounds itself
    election_options.on_change = [this](bool leading, int64_t, const absl::Status&) {
      changes.push_back(leading);
    };
    election = std::make_unique<routing::RoutingElection>(store, *engine, clock, election_options);
    desk = std::make_unique<RoutingDesk>(deps, *engine);
  }
  ~Node() {
    election->Stop();
    engine->Stop();
  }
  std::unique_ptr<routing::LiveEngine> engine;
  std::unique_ptr<routing::RoutingElection> election;
  std::unique_ptr<RoutingDesk> desk;
  std::vector<bool> changes;
};

class RoutingElectionTest : public testing::ServicesTest {
 protected:
  void SetUp() override {
    auto second = store::sqlite::SqliteStore::Open((dir_ / "t.db").string());
    ASSERT_TRUE(second.ok()) << second.status();
    store_b_ = std::move(*second);
    a_ = std::make_unique<Node>(*store_, clock_, deps(), "node-a");
    b_ = std::make_unique<Node>(*store_b_, clock_, Deps{*store_b_, clock_, *calendar_, *catalogue_},
                                "node-b");
  }
  void TearDown() override {
    a_.reset();
    b_.reset();
    store_b_.reset();
  }
  static InteractionRequest Call(const std::string& caller) {
    InteractionRequest r;
    r.queue = "council-tax";
    r.caller = caller;
    return r;
  }

  std::unique_ptr<store::sqlite::SqliteStore> store_b_;
  std::unique_ptr<Node> a_;
  std::unique_ptr<Node> b_;
};

TEST_F(RoutingElectionTest, OneNodeLeadsTheOtherStandsByAndTakesOverWithTheState) {
  a_->election->Start();
  b_->election->Start();
  ASSERT_TRUE(a_->election->leading());
  EXPECT_FALSE(b_->election->leading());
  EXPECT_TRUE(a_->engine->leading());
  EXPECT_FALSE(b_->engine->leading());
  EXPECT_EQ(a_->changes, std::vector<bool>{true});
  EXPECT_TRUE(b_->changes.empty());

  domain::RoutingQueue q;
  q.code = "council-tax";
  q.name = "Council Tax";
  ASSERT_TRUE(a_->desk->PutQueue(admin_, q).ok());
  auto call = a_->desk->AddInteraction(agent_, Call("01632 960001"));
  ASSERT_TRUE(call.ok()) << call.status();

  // The standby changes nothing and says why; its views are empty.
  auto refused = b_->desk->AddInteraction(agent_, Call("01632 960002"));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(b_->desk->PutQueue(admin_, q).status().code(), absl::StatusCode::kUnavailable);
  EXPECT_FALSE(b_->engine->Item(call->item_id).has_value());
  auto leader = b_->desk->Leader();
  ASSERT_TRUE(leader.ok());
  ASSERT_TRUE(leader->has_value());
  EXPECT_EQ((*leader)->node, "node-a");

  // Another round changes nothing while the leader is healthy.
  a_->election->RunOnce();
  b_->election->RunOnce();
  EXPECT_TRUE(a_->election->leading());
  EXPECT_FALSE(b_->election->leading());

  // The leader goes; the standby's next round takes over with the waiting call.
  const int64_t old_epoch = a_->election->epoch();
  a_->election->Stop();
  EXPECT_FALSE(a_->engine->leading());
  EXPECT_EQ(a_->engine->Item(call->item_id), std::nullopt);
  b_->election->RunOnce();
  ASSERT_TRUE(b_->election->leading());
  EXPECT_EQ(b_->election->epoch(), old_epoch + 1);
  auto item = b_->engine->Item(call->item_id);
  ASSERT_TRUE(item.has_value());
  EXPECT_EQ(item->state, ItemState::kWaiting);
  EXPECT_EQ(item->caller, "01632 960001");
  ASSERT_TRUE(b_->desk->SetPresence(agent_, "available", "").ok());
  EXPECT_EQ(b_->engine->Item(call->item_id)->state, ItemState::kOffered);
  EXPECT_EQ((*b_->desk->Leader())->node, "node-b");
}

TEST_F(RoutingElectionTest, ADeposedLeaderIsFencedOutAndStepsDown) {
  a_->election->Start();
  ASSERT_TRUE(a_->election->leading());
  domain::RoutingQueue q;
  q.code = "council-tax";
  q.name = "Council Tax";
  ASSERT_TRUE(a_->desk->PutQueue(admin_, q).ok());

  // Another node took the role while this one did not notice (as after a
  // network partition): the next routing write is refused by the fence.
  ASSERT_TRUE(store_b_
                  ->Write([](domain::WriteTxn& txn) {
                    return txn.TakeLeadership(routing::kRoutingRole, "node-b", absl::Now()).status();
                  })
                  .ok());
  auto before = store_->ListEvents({.entity = "routing", .limit = 1000});
  ASSERT_TRUE(before.ok());
  auto call = a_->desk->AddInteraction(agent_, Call("01632 960001"));
  EXPECT_EQ(call.status().code(), absl::StatusCode::kUnavailable);
  auto after = store_->ListEvents({.entity = "routing", .limit = 1000});
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->size(), before->size());  // nothing written
  EXPECT_TRUE(a_->engine->deposed());

  a_->election->RunOnce();
  EXPECT_FALSE(a_->election->leading());
  EXPECT_FALSE(a_->engine->leading());
  EXPECT_EQ(a_->changes, (std::vector<bool>{true, false}));
}

}  // namespace
}  // namespace onestop::services
