// The app tests' fixture: a fresh SQLite store (migrated) in a temp dir of
// its own, a fake clock, the England and Wales working calendar and a
// catalogue — what SeedCouncil and the Load* functions need. Test-only.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <random>
#include <string>

#include "common/clock.h"
#include "common/time_format.h"
#include "data/embedded.h"
#include "domain/calendar.h"
#include "services/auth.h"
#include "services/catalogue.h"
#include "services/deps.h"
#include "store/sqlite/sqlite_store.h"

namespace onestop::app::testing {

class SeedStoreTest : public ::testing::Test {
 protected:
  SeedStoreTest() {
    services::PasswordHasher::UseFastParametersForTest();
    dir_ = std::filesystem::temp_directory_path() / ("onestop-app-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(dir_);
    auto store = store::sqlite::SqliteStore::Open((dir_ / "t.db").string());
    EXPECT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    EXPECT_TRUE(store_->Migrate().ok());
    auto holidays = domain::ParseHolidayList(data::kBankHolidaysEnglandWales);
    EXPECT_TRUE(holidays.ok()) << holidays.status();
    calendar_ = std::make_unique<domain::WorkingCalendar>(
        domain::CalendarConfig::Default(LondonTimeZone(), *holidays));
    catalogue_ = std::make_unique<services::Catalogue>(*store_, clock_, absl::ZeroDuration());
  }
  ~SeedStoreTest() override {
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

}  // namespace onestop::app::testing
