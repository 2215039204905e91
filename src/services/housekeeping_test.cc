#include "services/housekeeping.h"

#include "services/auth.h"
#include "services/testing/fixture.h"

namespace onestop::services {
namespace {

class HousekeepingTest : public testing::ServicesTest {};

TEST_F(HousekeepingTest, PurgesExpiredSessionsAndOldKeysOnlyAcrossSeveralBatches) {
  // Five sessions of 12 h opened an hour apart, and five idempotency records.
  std::vector<std::string> tokens;
  for (int i = 0; i < 5; ++i) {
    auto login = Login(deps(), absl::Hours(12)).Run("agent@example.org", "correct horse battery");
    ASSERT_TRUE(login.ok()) << login.status();
    tokens.push_back(login->token);
    ASSERT_TRUE(store_
                    ->Write([&](domain::WriteTxn& txn) {
                      return txn.PutIdempotency({"key" + std::to_string(i), std::string(64, 'a'), 201,
                                                 "1", "", clock_.Now()});
                    })
                    .ok());
    clock_.Advance(absl::Hours(1));
  }
  // Now = start + 5 h. Nothing has expired yet.
  auto none = PurgeExpiredRecords(deps(), 2).Run();
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(none->sessions, 0);
  EXPECT_EQ(none->idempotency_keys, 0);

  // Start + 15.5 h: the sessions opened at +0..+3 h have expired; +4 h has not.
  clock_.Advance(absl::Minutes(630));
  auto purged = PurgeExpiredRecords(deps(), 2).Run();
  ASSERT_TRUE(purged.ok()) << purged.status();
  EXPECT_EQ(purged->sessions, 4);  // two full batches, then an empty one
  EXPECT_EQ(purged->idempotency_keys, 0);
  Authenticate authenticate(deps());
  EXPECT_FALSE(authenticate.Run(tokens[0]).ok());
  EXPECT_TRUE(authenticate.Run(tokens[4]).ok());

  // Start + 26.5 h: keys written at +0, +1 and +2 h are past the 24 h retention.
  clock_.Advance(absl::Hours(11));
  purged = PurgeExpiredRecords(deps(), 2).Run();
  ASSERT_TRUE(purged.ok());
  EXPECT_EQ(purged->idempotency_keys, 3);
  EXPECT_EQ(purged->sessions, 1);
}

}  // namespace
}  // namespace onestop::services
