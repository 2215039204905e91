// Store suite: leadership of single-node roles (Store::TryLead, the epoch as
// a fencing token checked by WriteTxn::CheckLeadership).
#include <memory>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "domain/store.h"
#include "tests/store/store_suite.h"

namespace onestop::store_test {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'795'000'000);

absl::Status WriteAsLeader(domain::Store& store, int64_t epoch) {
  return store.Write([&](domain::WriteTxn& txn) { return txn.CheckLeadership("routing", epoch); });
}

TEST_P(StoreSuite, OnlyOneHolderOfARoleAtATime) {
  absl::StatusOr<std::optional<domain::LeaderInfo>> none = store().GetLeader("routing");
  STORE_ASSERT_OK(none.status());
  EXPECT_FALSE(none->has_value());

  auto first = store().TryLead("routing", "node-a", kNow);
  STORE_ASSERT_OK(first.status());
  ASSERT_NE(*first, nullptr);
  EXPECT_EQ((*first)->epoch(), 1);
  STORE_EXPECT_OK((*first)->Check());

  // A second claimant (another connection / file description) is refused
  // while the first holds the role.
  auto second = store().TryLead("routing", "node-b", kNow + absl::Seconds(1));
  STORE_ASSERT_OK(second.status());
  EXPECT_EQ(*second, nullptr);
  // Another role is independent.
  auto other = store().TryLead("reports", "node-b", kNow);
  STORE_ASSERT_OK(other.status());
  EXPECT_NE(*other, nullptr);

  auto leader = store().GetLeader("routing");
  STORE_ASSERT_OK(leader.status());
  ASSERT_TRUE(leader->has_value());
  EXPECT_EQ((*leader)->node, "node-a");
  EXPECT_EQ((*leader)->epoch, 1);
  EXPECT_EQ((*leader)->since, kNow);
  STORE_EXPECT_OK(WriteAsLeader(store(), 1));
}

TEST_P(StoreSuite, AStandbyTakesOverWhenTheLeaderLetsGoAndFencesItOut) {
  auto first = store().TryLead("routing", "node-a", kNow);
  STORE_ASSERT_OK(first.status());
  ASSERT_NE(*first, nullptr);
  const int64_t old_epoch = (*first)->epoch();
  first->reset();  // the leader's process ends: its lock goes with it

  auto second = store().TryLead("routing", "node-b", kNow + absl::Seconds(5));
  STORE_ASSERT_OK(second.status());
  ASSERT_NE(*second, nullptr);
  EXPECT_EQ((*second)->epoch(), old_epoch + 1);
  STORE_EXPECT_OK((*second)->Check());

  // A write still carrying the old epoch is refused and changes nothing.
  absl::Status stale = store().Write([&](domain::WriteTxn& txn) -> absl::Status {
    if (absl::Status s = txn.CheckLeadership("routing", old_epoch); !s.ok()) return s;
    domain::RoutingQueue q;
    q.code = "fenced";
    q.name = "Written by a deposed leader";
    return txn.PutRoutingQueue(q);
  });
  EXPECT_EQ(stale.code(), absl::StatusCode::kAborted) << stale;
  auto queues = store().ListRoutingQueues();
  STORE_ASSERT_OK(queues.status());
  EXPECT_TRUE(queues->empty());
  STORE_EXPECT_OK(WriteAsLeader(store(), old_epoch + 1));
  // An unknown role has no epoch to match.
  EXPECT_EQ(store().Write([](domain::WriteTxn& txn) { return txn.CheckLeadership("nobody", 1); }).code(),
            absl::StatusCode::kAborted);

  auto leader = store().GetLeader("routing");
  STORE_ASSERT_OK(leader.status());
  EXPECT_EQ((*leader)->node, "node-b");
}

TEST_P(StoreSuite, LeadershipCheckFailsOnceAnotherHolderTookTheEpoch) {
  auto first = store().TryLead("routing", "node-a", kNow);
  STORE_ASSERT_OK(first.status());
  ASSERT_NE(*first, nullptr);
  // What a successor would do after the lock was lost (e.g. the leader's
  // database connection was cut): take the next epoch.
  STORE_ASSERT_OK(store().Write([](domain::WriteTxn& txn) {
    return txn.TakeLeadership("routing", "node-b", kNow + absl::Seconds(1)).status();
  }));
  EXPECT_EQ((*first)->Check().code(), absl::StatusCode::kUnavailable);
}

TEST_P(StoreSuite, RejectsABadRoleName) {
  EXPECT_EQ(store().TryLead("Not A Role!", "node-a", kNow).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace onestop::store_test
