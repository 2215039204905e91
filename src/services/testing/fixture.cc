#include "services/testing/fixture.h"

#include <random>

#include "common/time_format.h"
#include "data/embedded.h"

namespace onestop::services::testing {

absl::Time ServicesTest::Tuesday10am() {
  return absl::FromCivil(absl::CivilSecond(2026, 11, 24, 10, 0, 0), LondonTimeZone());
}

ServicesTest::ServicesTest() {
  PasswordHasher::UseFastParametersForTest();
  dir_ = std::filesystem::temp_directory_path() /
         ("onestop-services-" + std::to_string(std::random_device{}()));
  std::filesystem::create_directories(dir_);
  auto store = store::sqlite::SqliteStore::Open((dir_ / "t.db").string());
  EXPECT_TRUE(store.ok()) << store.status();
  store_ = std::move(*store);
  EXPECT_TRUE(store_->Migrate().ok());
  auto holidays = domain::ParseHolidayList(data::kBankHolidaysEnglandWales);
  EXPECT_TRUE(holidays.ok()) << holidays.status();
  calendar_ = std::make_unique<domain::WorkingCalendar>(
      domain::CalendarConfig::Default(LondonTimeZone(), *holidays));
  catalogue_ = std::make_unique<Catalogue>(*store_, clock_, absl::ZeroDuration());

  const domain::Actor system = domain::Actor::System();
  for (auto [code, name] : {std::pair{"waste", "Waste"}, std::pair{"highways", "Highways"}}) {
    EXPECT_TRUE(SaveDepartment(deps()).Run(system, {code, name}).ok());
  }
  EXPECT_TRUE(SaveTeam(deps()).Run(system, {"waste-crews", "Waste crews", "waste"}).ok());
  EXPECT_TRUE(SaveTeam(deps()).Run(system, {"road-gang", "Road gang", "highways"}).ok());

  domain::Service bin;
  bin.code = "missed-bin";
  bin.name = "Report a missed bin";
  bin.department = "waste";
  bin.channels = {domain::Channel::kPhone, domain::Channel::kWeb, domain::Channel::kApi};
  bin.sla = {2, domain::SlaUnit::kWorkingDays};
  bin.default_team = "waste-crews";
  bin.fields = {
      {"bin_type", domain::Datatype::kSingleValueList, true, 1, "Which bin?", "",
       {{"general", "General waste"}, {"recycling", "Recycling"}}},
      {"notes", domain::Datatype::kText, false, 2, "Anything else?", "", {}},
  };
  EXPECT_TRUE(SaveService(deps()).Run(system, bin, std::nullopt).ok());

  domain::Service pothole;
  pothole.code = "pothole";
  pothole.name = "Report a pothole";
  pothole.department = "highways";
  pothole.channels = {domain::Channel::kPhone, domain::Channel::kWeb};
  pothole.sla = {8, domain::SlaUnit::kWorkingHours};
  pothole.default_team = "road-gang";
  pothole.allow_anonymous = true;
  pothole.fields = {{"depth_cm", domain::Datatype::kNumber, false, 1, "How deep?", "", {}}};
  EXPECT_TRUE(SaveService(deps()).Run(system, pothole, std::nullopt).ok());

  admin_ = MakeStaff(domain::Role::kAdmin, "admin@example.org");
  agent_ = MakeStaff(domain::Role::kAgent, "agent@example.org");
  waste_officer_ = MakeStaff(domain::Role::kOfficer, "waste@example.org", "waste");
  highways_officer_ = MakeStaff(domain::Role::kOfficer, "roads@example.org", "highways");
}

ServicesTest::~ServicesTest() {
  store_->Close();
  store_.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

domain::Actor ServicesTest::MakeStaff(domain::Role role, const std::string& email,
                                      const std::string& department) {
  NewStaff input;
  input.email = email;
  input.role = role;
  input.department = department;
  input.password = "correct horse battery";
  auto staff = CreateStaff(deps()).Run(domain::Actor::System(), input);
  EXPECT_TRUE(staff.ok()) << staff.status();
  if (!staff.ok()) return {};
  return domain::Actor{staff->id, role, department, true};
}

}  // namespace onestop::services::testing
