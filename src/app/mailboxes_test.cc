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
#include "common/clock.h"
#include "common/time_format.h"
#include "data/embedded.h"
#include "domain/calendar.h"
#include "services/auth.h"
#include "services/catalogue.h"
#include "store/sqlite/sqlite_store.h"

namespace onestop::app {
namespace {

class MailboxesSeedTest : public ::testing::Test {
 protected:
  MailboxesSeedTest() {
    services::PasswordHasher::UseFastParametersForTest();
    dir_ = std::filesystem::temp_directory_path() / ("onestop-mailboxes-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(dir_);
    auto store = store::sqlite::SqliteStore::Open((dir_ / "t.db").string());
    EXPECT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    EXPECT_TRUE(store_->Migrate().ok());
    auto holidays = domain::ParseHolidayList(data::kBankHolidaysEnglandWales);
    EXPECT_TRUE(holidays.ok()) << holidays.status();
    calendar_ = std::make_unique<domain::WorkingCalendar>(domain::CalendarConfig::Default(LondonTimeZone(), *holidays));
    catalogue_ = std::make_unique<services::Catalogue>(*store_, clock_, absl::ZeroDuration());
  }
  ~MailboxesSeedTest() override {
    store_->Close();
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  services::Deps deps() { return services::Deps{*store_, clock_, *calendar_, *catalogue_}; }

  std::filesystem::path dir_;
  std::unique_ptr<store::sqlite::SqliteStore> store_;
  FakeClock clock_{absl::FromUnixSeconds(1'800'000'000)};
  std::unique_ptr<domain::WorkingCalendar> calendar_;
  std::unique_ptr<services::Catalogue> catalogue_;
};

TEST_F(MailboxesSeedTest, NothingStoredIsNone) {
  auto loaded = LoadMailboxes(*store_);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_TRUE(loaded->empty());
}

TEST_F(MailboxesSeedTest, TheDemoMailboxesAreStoredAndServed) {
  absl::StatusOr<SeedReport> report = SeedCouncil(deps(), data::kDemoCouncil, DemoCouncilFiles());
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->mailboxes, 2);
  auto loaded = LoadMailboxes(*store_);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ASSERT_EQ(loaded->size(), 2u);
  EXPECT_EQ((*loaded)[0].address, "contact@fairhaven.example");
  EXPECT_EQ((*loaded)[0].queue, "email-enquiries");
  auto profiles = store_->ListRoutingProfiles();
  ASSERT_TRUE(profiles.ok()) << profiles.status();
  EXPECT_TRUE(UnservedMailboxes(*loaded, *profiles).empty()) << "the contact centre takes the demo's email";
}

TEST(UnservedMailboxesTest, AQueueNoProfileTakesIsFound) {
  domain::RoutingProfile p;
  p.code = "contact-centre";
  p.queues = {{"council-tax", 1, 0}};
  const std::vector<domain::Mailbox> boxes = {{"a@x.example", "", "email-enquiries"},
                                              {"b@x.example", "", "council-tax"}};
  const std::vector<domain::Mailbox> unserved = UnservedMailboxes(boxes, {p});
  ASSERT_EQ(unserved.size(), 1u);
  EXPECT_EQ(unserved[0].address, "a@x.example");
  EXPECT_TRUE(UnservedMailboxes(boxes, {}).empty()) << "no profiles: every agent takes every queue";
}

}  // namespace
}  // namespace onestop::app
