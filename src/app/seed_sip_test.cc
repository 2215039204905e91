// SeedCouncil sets the staff phone extensions of the council file ("sip"),
// for the realm it is given, once: an extension changed since is kept. On a
// real SQLite store.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <random>
#include <string>

#include "app/seed.h"
#include "app/seed_test_fixture.h"
#include "common/clock.h"
#include "common/md5.h"
#include "common/time_format.h"
#include "data/embedded.h"
#include "domain/calendar.h"
#include "services/auth.h"
#include "services/catalogue.h"
#include "services/sip_accounts.h"
#include "store/sqlite/sqlite_store.h"

namespace onestop::app {
namespace {

class SeedSipTest : public testing::SeedStoreTest {
 protected:
  std::string ExtensionOf(const std::string& email) {
    auto staff = store_->GetStaffByEmail(email);
    EXPECT_TRUE(staff.ok()) << staff.status();
    auto account = store_->GetSipAccount(staff->id);
    return account.ok() ? account->extension : "";
  }
};

TEST_F(SeedSipTest, DemoCouncilSeedsFourExtensionsForTheDefaultRealm) {
  absl::StatusOr<SeedReport> report = SeedCouncil(deps(), data::kDemoCouncil, DemoCouncilFiles());
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->sip_accounts_created, 4);
  EXPECT_EQ(ExtensionOf("agent@fairhaven.example"), "1001");
  EXPECT_EQ(ExtensionOf("agent2@fairhaven.example"), "1002");
  EXPECT_EQ(ExtensionOf("agent3@fairhaven.example"), "1003");
  EXPECT_EQ(ExtensionOf("supervisor@fairhaven.example"), "1009");
  EXPECT_EQ(ExtensionOf("admin@fairhaven.example"), "");
  // What a phone configured as 1001 / fairhaven-demo answers the registrar with.
  auto account = services::FindSipAccount(*store_).Run("1001");
  ASSERT_TRUE(account.ok()) << account.status();
  EXPECT_EQ(account->realm, "onestop");
  EXPECT_EQ(account->ha1, DigestHa1("1001", "onestop", "fairhaven-demo"));
  auto all = store_->ListSipAccounts();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 4u);
}

TEST_F(SeedSipTest, RealmIsTheOneGiven) {
  ASSERT_TRUE(
      SeedCouncil(deps(), data::kDemoCouncil, DemoCouncilFiles(), "fairhaven.example").ok());
  auto account = services::FindSipAccount(*store_).Run("1002");
  ASSERT_TRUE(account.ok()) << account.status();
  EXPECT_EQ(account->realm, "fairhaven.example");
  EXPECT_EQ(account->ha1, DigestHa1("1002", "fairhaven.example", "fairhaven-demo"));
}

TEST_F(SeedSipTest, SeedingAgainKeepsWhatAnAdminChanged) {
  ASSERT_TRUE(SeedCouncil(deps(), data::kDemoCouncil, DemoCouncilFiles()).ok());
  auto agent = store_->GetStaffByEmail("agent@fairhaven.example");
  auto agent2 = store_->GetStaffByEmail("agent2@fairhaven.example");
  ASSERT_TRUE(agent.ok() && agent2.ok());
  // The admin moves agent@ to 2001 and takes agent2@'s phone away, giving 1002
  // to nobody; a re-seed must not undo the first change.
  const domain::Actor admin = domain::Actor::System();
  ASSERT_TRUE(services::SetSipAccount(deps(), "onestop")
                  .Run(admin, agent->id, "2001", "new-password")
                  .ok());
  ASSERT_TRUE(services::RemoveSipAccount(deps()).Run(admin, agent2->id).ok());
  absl::StatusOr<SeedReport> again = SeedCouncil(deps(), data::kDemoCouncil, DemoCouncilFiles());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->sip_accounts_created, 1);  // agent2@ had none any more
  EXPECT_EQ(ExtensionOf("agent@fairhaven.example"), "2001");
  EXPECT_EQ(ExtensionOf("agent2@fairhaven.example"), "1002");
}

TEST_F(SeedSipTest, ExtensionTakenMeanwhileIsSkipped) {
  ASSERT_TRUE(SeedCouncil(deps(), data::kDemoCouncil, DemoCouncilFiles()).ok());
  auto agent3 = store_->GetStaffByEmail("agent3@fairhaven.example");
  auto admin_user = store_->GetStaffByEmail("admin@fairhaven.example");
  ASSERT_TRUE(agent3.ok() && admin_user.ok());
  const domain::Actor admin = domain::Actor::System();
  ASSERT_TRUE(services::RemoveSipAccount(deps()).Run(admin, agent3->id).ok());
  ASSERT_TRUE(services::SetSipAccount(deps(), "onestop")
                  .Run(admin, admin_user->id, "1003", "admin-phone")
                  .ok());
  absl::StatusOr<SeedReport> again = SeedCouncil(deps(), data::kDemoCouncil, DemoCouncilFiles());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->sip_accounts_created, 0);
  EXPECT_EQ(ExtensionOf("agent3@fairhaven.example"), "");
  EXPECT_EQ(ExtensionOf("admin@fairhaven.example"), "1003");
}

}  // namespace
}  // namespace onestop::app
