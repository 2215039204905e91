// A real SQLite store in a temp dir, a fake clock at a known working time and
// a tiny catalogue, for the use-case tests.
#pragma once

#include <filesystem>
#include <memory>

#include "common/clock.h"
#include "domain/calendar.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/auth.h"
#include "services/catalogue.h"
#include "services/deps.h"
#include "services/staff_admin.h"
#include "store/sqlite/sqlite_store.h"

namespace onestop::services::testing {

class ServicesTest : public ::testing::Test {
 protected:
  ServicesTest();
  ~ServicesTest() override;

  Deps deps() { return Deps{*store_, clock_, *calendar_, *catalogue_}; }
  domain::Actor MakeStaff(domain::Role role, const std::string& email,
                          const std::string& department = "");

  // 2026-11-24 (a Tuesday) 10:00 London time.
  static absl::Time Tuesday10am();

  std::filesystem::path dir_;
  std::unique_ptr<store::sqlite::SqliteStore> store_;
  FakeClock clock_{Tuesday10am()};
  std::unique_ptr<domain::WorkingCalendar> calendar_;
  std::unique_ptr<Catalogue> catalogue_;
  domain::Actor admin_;
  domain::Actor agent_;
  domain::Actor waste_officer_;
  domain::Actor highways_officer_;
};

}  // namespace onestop::services::testing
