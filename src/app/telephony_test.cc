// SeedCouncil stores the demo council's telephony; LoadTelephony reads it
// back; a broken stored setting is DataLoss. On a real SQLite store.
#include "app/telephony.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <random>
#include <string>

#include "app/seed.h"
#include "app/seed_test_fixture.h"
#include "codec/council_file.h"
#include "common/clock.h"
#include "common/time_format.h"
#include "data/embedded.h"
#include "domain/calendar.h"
#include "services/auth.h"
#include "services/catalogue.h"
#include "store/sqlite/sqlite_store.h"

namespace onestop::app {
namespace {

class TelephonySeedTest : public testing::SeedStoreTest {};

TEST_F(TelephonySeedTest, NothingStoredIsNullopt) {
  auto loaded = LoadTelephony(*store_);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_FALSE(loaded->has_value());
}

TEST_F(TelephonySeedTest, SeedsTheDemoCouncilAndLoadsItBack) {
  absl::StatusOr<SeedReport> report = SeedCouncil(deps(), data::kDemoCouncil, DemoCouncilFiles());
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->telephony_stored);

  auto loaded = LoadTelephony(*store_);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ASSERT_TRUE(loaded->has_value());
  const domain::Telephony& t = **loaded;
  auto file = codec::ParseCouncilFile(data::kDemoCouncil, DemoCouncilFiles());
  ASSERT_TRUE(file.ok()) << file.status();
  ASSERT_TRUE(file->telephony.has_value());
  EXPECT_EQ(t, *file->telephony);

  // The demo's front door as the SIP checks expect it.
  const domain::TelephoneNumber* number = t.Number("01632960000");
  ASSERT_NE(number, nullptr);
  EXPECT_EQ(t.Number("+441632960000"), number);
  EXPECT_EQ(number->name, "Fairhaven Borough Council");
  EXPECT_EQ(number->language, "en");
  const domain::IvrMenu* main = t.Menu(number->menu);
  ASSERT_NE(main, nullptr);
  EXPECT_EQ(main->timeout_seconds, 10);
  EXPECT_EQ(main->on_timeout.kind, domain::IvrActionKind::kOperator);
  ASSERT_NE(main->Option('1'), nullptr);
  EXPECT_EQ(main->Option('1')->action.kind, domain::IvrActionKind::kQueue);
  EXPECT_EQ(main->Option('1')->action.queue, "council-tax");
  ASSERT_NE(main->Option('2'), nullptr);
  EXPECT_EQ(main->Option('2')->action.queue, "waste");
  ASSERT_NE(main->Option('0'), nullptr);
  EXPECT_EQ(main->Option('0')->action.kind, domain::IvrActionKind::kOperator);
  EXPECT_EQ(main->Option('3')->action.kind, domain::IvrActionKind::kMessage);
  EXPECT_EQ(main->Option('3')->action.menu, "main");
  EXPECT_FALSE(main->Option('3')->action.message.cy.empty());
  EXPECT_EQ(main->Option('9')->action.language, "cy");
  EXPECT_EQ(main->Option('8')->action.language, "en");
  EXPECT_NE(main->prompt.In("cy"), main->prompt.In("en"));
  EXPECT_EQ(t.operator_queue, "general");
  EXPECT_EQ(t.announce_seconds, 45);
  EXPECT_EQ(t.callback_digit, '*');
  // Every queue it names is one of the demo's routing queues.
  EXPECT_TRUE(domain::ValidateTelephony(t, [&](std::string_view code) {
                for (const domain::RoutingQueue& q : file->routing_queues) {
                  if (q.code == code) return true;
                }
                return false;
              }).ok());

  // Seeding again replaces it with the same.
  ASSERT_TRUE(SeedCouncil(deps(), data::kDemoCouncil, DemoCouncilFiles()).ok());
  auto again = LoadTelephony(*store_);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(**again, t);
}

TEST_F(TelephonySeedTest, ABrokenStoredSettingIsDataLoss) {
  ASSERT_TRUE(store_
                  ->Write([](domain::WriteTxn& txn) {
                    return txn.PutSetting(kTelephonySetting, R"({"numbers": 5})");
                  })
                  .ok());
  auto loaded = LoadTelephony(*store_);
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace onestop::app
