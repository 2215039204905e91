#include "services/popular_services.h"

#include "services/cases.h"
#include "services/testing/fixture.h"

namespace onestop::services {
namespace {

class PopularServicesTest : public testing::ServicesTest {
 protected:
  void Raise(const std::string& service, int n) {
    for (int idx = 0; idx < n; ++idx) {
      NewCase input;
      input.service_code = service;
      input.channel = domain::Channel::kWeb;
      if (service == "missed-bin") {
        input.values = {{"bin_type", {"general"}}};
        domain::Citizen c;
        c.family_name = "Example";
        c.emails = {"p" + std::to_string(idx) + "@example.com"};
        auto created = CreateCitizen(deps()).Run(agent_, c, domain::Channel::kPhone);
        ASSERT_TRUE(created.ok()) << created.status();
        input.citizen_id = created->citizen.id;
      }
      ASSERT_TRUE(OpenCase(deps()).Run(agent_, input).ok());
    }
  }
};

TEST_F(PopularServicesTest, MostUsedFirstThenOnePerDepartment) {
  // No cases: the first service of each department.
  auto none = PopularServices(deps(), absl::ZeroDuration()).Run();
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_THAT(*none, ::testing::UnorderedElementsAre("missed-bin", "pothole"));
  Raise("pothole", 3);
  Raise("missed-bin", 1);
  auto counted = PopularServices(deps(), absl::ZeroDuration()).Run();
  ASSERT_TRUE(counted.ok()) << counted.status();
  EXPECT_THAT(*counted, ::testing::ElementsAre("pothole", "missed-bin"));
  auto one = PopularServices(deps(), absl::ZeroDuration()).Run(1);
  ASSERT_TRUE(one.ok());
  EXPECT_THAT(*one, ::testing::ElementsAre("pothole"));
}

TEST_F(PopularServicesTest, TheCouncilsChoiceWins) {
  Raise("pothole", 2);
  ASSERT_TRUE(store_->Write([](domain::WriteTxn& txn) {
    return txn.PutSetting(kPopularServicesSetting, "missed-bin\nno-such-service\n");
  }).ok());
  auto chosen = PopularServices(deps()).Run();
  ASSERT_TRUE(chosen.ok()) << chosen.status();
  EXPECT_THAT(*chosen, ::testing::ElementsAre("missed-bin"));
}

}  // namespace
}  // namespace onestop::services
