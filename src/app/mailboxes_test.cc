// The demo council's mailboxes go through seed-demo into the store and back
// (app/mailboxes.h), served by the demo's routing profiles; a mailbox whose
// queue no stored profile takes is found (the server warns at start).
#include "app/mailboxes.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <random>
#include <string>

#include "app/seed.h"
#include "app/seed_test_fixture.h"
#include "codec/council_file.h"
#include "common/status.h"
#include <boost/json.hpp>
#include <gmock/gmock.h>
#include "common/clock.h"
#include "common/time_format.h"
#include "data/embedded.h"
#include "domain/calendar.h"
#include "services/auth.h"
#include "services/catalogue.h"
#include "store/sqlite/sqlite_store.h"

namespace onestop::app {
namespace {

class MailboxesSeedTest : public testing::SeedStoreTest {};

TEST_F(MailboxesSeedTest, NothingStoredIsNone) {
  auto loaded = LoadMailboxes(*store_);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_TRUE(loaded->empty());
}

TEST_F(MailboxesSeedTest, TheDemoMailboxesAreStoredAndServed) {
  absl::StatusOr<SeedReport> report = SeedCouncil(deps(), data::kDemoCouncil, DemoCouncilFiles());
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->mailboxes, 3);
  auto loaded = LoadMailboxes(*store_);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ASSERT_EQ(loaded->size(), 3u);
  EXPECT_EQ((*loaded)[0].address, "contact@fairhaven.example");
  EXPECT_EQ((*loaded)[0].queue, "email-enquiries");
  EXPECT_EQ((*loaded)[0].service_code, "");
  EXPECT_EQ((*loaded)[2].address, "enquiries@fairhaven.example");
  EXPECT_EQ((*loaded)[2].service_code, "general-enquiry") << "kept through the stored setting";
  auto profiles = store_->ListRoutingProfiles();
  ASSERT_TRUE(profiles.ok()) << profiles.status();
  EXPECT_TRUE(UnservedMailboxes(*loaded, *profiles).empty()) << "the contact centre takes the demo's email";
}

TEST(MailboxServiceCodeTest, TheServiceMustExistAndBeAnswerableFromTheEmail) {
  boost::json::value council = boost::json::parse(std::string(data::kDemoCouncil));
  boost::json::array& boxes = council.at("mailboxes").as_array();
  boxes[0].as_object()["service_code"] = "complaint";  // asks "complaint, comment or compliment?" first
  boxes[1].as_object()["service_code"] = "no-such-service";
  absl::StatusOr<codec::CouncilFile> parsed = codec::ParseCouncilFile(boost::json::serialize(council), DemoCouncilFiles());
  ASSERT_FALSE(parsed.ok());
  std::vector<std::string> found;
  for (const FieldError& e : FieldErrorsOf(parsed.status())) found.push_back(e.field + " " + e.reason);
  EXPECT_THAT(found, ::testing::UnorderedElementsAre("mailboxes[0].service_code mailbox_service_needs_answers",
                                                     "mailboxes[1].service_code mailbox_service_missing"));
}

TEST(UnservedMailboxesTest, AQueueNoProfileTakesIsFound) {
  domain::RoutingProfile p;
  p.code = "contact-centre";
  p.queues = {{"council-tax", 1, 0}};
  const std::vector<domain::Mailbox> boxes = {{"a@x.example", "", "email-enquiries", ""},
                                              {"b@x.example", "", "council-tax", ""}};
  const std::vector<domain::Mailbox> unserved = UnservedMailboxes(boxes, {p});
  ASSERT_EQ(unserved.size(), 1u);
  EXPECT_EQ(unserved[0].address, "a@x.example");
  EXPECT_TRUE(UnservedMailboxes(boxes, {}).empty()) << "no profiles: every agent takes every queue";
}

}  // namespace
}  // namespace onestop::app
