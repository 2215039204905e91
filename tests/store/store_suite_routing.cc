// Store suite: routing queue definitions and routing profiles.
#include <string>
#include <vector>

#include "domain/routing_config.h"
#include "tests/store/store_suite.h"

namespace onestop::store_test {
namespace {

using domain::RoutingProfile;
using domain::RoutingQueue;
using domain::WriteTxn;

RoutingQueue FullQueue(const std::string& code) {
  RoutingQueue q;
  q.code = code;
  q.name = "Council Tax — enquiries";
  q.strategy = "best_fit";
  q.skills = {{"council-tax", 3}, {"welsh", 2}};
  q.steps = {{30, 1, 1}, {90, 0, 0}};
  q.priority_weight_seconds = 45;
  q.ring_timeout_seconds = 15;
  q.wrap_up_seconds = 30;
  q.service_level_seconds = 25;
  return q;
}

TEST_P(StoreSuite, RoutingQueueRoundTripsAndVersions) {
  RoutingQueue q = FullQueue("council-tax");
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) { return txn.PutRoutingQueue(q); }));
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) { return txn.PutRoutingQueue(FullQueue("bins")); }));
  auto queues = store().ListRoutingQueues();
  STORE_ASSERT_OK(queues.status());
  ASSERT_EQ(queues->size(), 2u);
  EXPECT_EQ((*queues)[0].code, "bins");  // ordered by code
  EXPECT_EQ((*queues)[1], q);

  q.name = "Council Tax";
  q.steps.clear();
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) { return txn.PutRoutingQueue(q); }));
  queues = store().ListRoutingQueues();
  q.version = 2;
  EXPECT_EQ((*queues)[1], q);

  STORE_ASSERT_OK(store().Write([](WriteTxn& txn) { return txn.DeleteRoutingQueue("bins"); }));
  EXPECT_EQ(store().ListRoutingQueues()->size(), 1u);
  absl::Status missing =
      store().Write([](WriteTxn& txn) { return txn.DeleteRoutingQueue("bins"); });
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound) << missing;
}

TEST_P(StoreSuite, RoutingProfileRoundTripsAndVersions) {
  RoutingProfile p;
  p.code = "front-desk";
  p.name = "Front desk";
  p.team = "contact-centre";
  p.queues = {{"council-tax", 1, 0}, {"bins", 2, 20}};
  p.capacity = {1, 2, 4, 1, 8};
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) { return txn.PutRoutingProfile(p); }));
  auto profiles = store().ListRoutingProfiles();
  STORE_ASSERT_OK(profiles.status());
  ASSERT_EQ(profiles->size(), 1u);
  EXPECT_EQ((*profiles)[0], p);

  p.queues.pop_back();
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) { return txn.PutRoutingProfile(p); }));
  p.version = 2;
  EXPECT_EQ(store().ListRoutingProfiles()->at(0), p);

  STORE_ASSERT_OK(
      store().Write([](WriteTxn& txn) { return txn.DeleteRoutingProfile("front-desk"); }));
  EXPECT_TRUE(store().ListRoutingProfiles()->empty());
  absl::Status missing =
      store().Write([](WriteTxn& txn) { return txn.DeleteRoutingProfile("front-desk"); });
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound) << missing;
}

TEST_P(StoreSuite, RoutingConfigSurvivesReopen) {
  if (!GetParam().reopen) GTEST_SKIP() << "backend cannot reopen";
  STORE_ASSERT_OK(
      store().Write([](WriteTxn& txn) { return txn.PutRoutingQueue(FullQueue("council-tax")); }));
  Reopen();
  auto queues = store().ListRoutingQueues();
  STORE_ASSERT_OK(queues.status());
  ASSERT_EQ(queues->size(), 1u);
  EXPECT_EQ((*queues)[0], FullQueue("council-tax"));
}

}  // namespace
}  // namespace onestop::store_test
