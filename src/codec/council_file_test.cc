#include "codec/council_file.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "codec/field_error_matchers_test_util.h"
#include "common/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace onestop::codec {
namespace {

using ::testing::Contains;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

std::vector<FieldError> ErrorsFor(std::string_view text) {
  auto parsed = ParseCouncilFile(text);
  if (parsed.ok()) return {};
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  return FieldErrorsOf(parsed.status());
}

constexpr std::string_view kSmall = R"({
  "name": "Test Borough",
  "departments": [{"code": "waste", "name": "Waste"}, {"code": "highways", "name": "Highways"}],
  "teams": [{"code": "crews", "name": "Crews", "department": "waste"}],
  "services": [{"code": "missed-bin", "name": "Missed bin", "department": "waste",
                "default_team": "crews"}],
  "staff": [{"email": "Officer@Example.org", "display_name": "O", "role": "officer",
             "department": "waste", "team": "crews", "password": "p",
             "skills": [{"code": "waste", "proficiency": 4}, {"code": "welsh-language"}]}],
  "citizens": [{"given_name": "Ann", "family_name": "Jones", "title": "Ms",
                "phones": ["+44 7700 900123"], "emails": ["Ann@Example.com"],
                "addresses": [{"line1": "1 Mill Lane", "town": "Fairhaven",
                               "postcode": "fh14ab", "uprn": 100012345678}],
                "preferred_channel": "email", "consent": {"contact_by_email": true}}]
})";

TEST(CouncilFileTest, ParsesASmallFile) {
  auto file = ParseCouncilFile(kSmall);
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ(file->name, "Test Borough");
  ASSERT_EQ(file->departments.size(), 2u);
  ASSERT_EQ(file->teams.size(), 1u);
  ASSERT_EQ(file->services.size(), 1u);
  ASSERT_EQ(file->staff.size(), 1u);
  EXPECT_EQ(file->staff[0].email, "officer@example.org");
  EXPECT_EQ(file->staff[0].skills,
            (std::vector<domain::Skill>{{"waste", 4}, {"welsh-language", 3}}));
  ASSERT_EQ(file->citizens.size(), 1u);
  const domain::Citizen& ann = file->citizens[0];
  EXPECT_EQ(ann.phones, std::vector<std::string>{"07700900123"});
  EXPECT_EQ(ann.emails, std::vector<std::string>{"ann@example.com"});
  ASSERT_EQ(ann.addresses.size(), 1u);
  EXPECT_EQ(ann.addresses[0].postcode, "FH1 4AB");
  EXPECT_EQ(ann.addresses[0].uprn, 100012345678);
  EXPECT_EQ(ann.preferred_channel, domain::Channel::kEmail);
  EXPECT_TRUE(ann.consent.contact_by_email);
  EXPECT_FALSE(ann.consent.contact_by_sms);
}

TEST(CouncilFileTest, SyntaxErrorNamesTheLine) {
  auto file = ParseCouncilFile("{\n\"name\": \"x\",\n}");
  ASSERT_FALSE(file.ok());
  EXPECT_THAT(std::string(file.status().message()), HasSubstr("line 3"));
}

TEST(CouncilFileTest, ReportsBrokenCrossReferences) {
  auto errors = ErrorsFor(R"({
    "name": "T",
    "departments": [{"code": "waste", "name": "Waste"}, {"code": "waste", "name": "Again"}],
    "teams": [{"code": "crews", "name": "Crews", "department": "parks"},
              {"code": "crews", "name": "Crews 2", "department": "waste"}],
    "services": [{"code": "a", "name": "A", "department": "planning", "default_team": "nobody"},
                 {"code": "a", "name": "A again", "department": "waste"}],
    "staff": [
      {"email": "o@example.org", "display_name": "O", "role": "officer", "password": "p"},
      {"email": "O@example.org", "display_name": "O2", "role": "wizard", "password": "p"},
      {"email": "x@example.org", "display_name": "X", "role": "agent", "password": "p",
       "department": "libraries", "team": "ghosts"},
      {"email": "y@example.org", "display_name": "Y", "role": "agent", "password": "p",
       "department": "highways", "team": "crews"}
    ]})");
  EXPECT_THAT(
      errors,
      UnorderedElementsAre(
          Error("departments[1].code", "duplicate"), Error("teams[0].department", "not_found"),
          Error("teams[1].code", "duplicate"), Error("services[0].department", "not_found"),
          Error("services[0].default_team", "not_found"), Error("services[1].code", "duplicate"),
          Error("staff[0].department", "required"), Error("staff[1].role", "invalid"),
          Error("staff[1].email", "duplicate"), Error("staff[2].department", "not_found"),
          Error("staff[2].team", "not_found"), Error("staff[3].department", "not_found"),
          Error("staff[3].team", "invalid")));
}

TEST(CouncilFileTest, ReadsRoutingQueuesAndProfiles) {
  auto file = ParseCouncilFile(R"({
    "name": "T",
    "departments": [{"code": "waste", "name": "Waste"}],
    "teams": [{"code": "crews", "name": "Crews", "department": "waste"}],
    "routing": {
      "queues": [{"code": "cases-crews", "name": "Crew cases", "strategy": "least_occupied",
                  "skills": [{"skill": "waste", "min_level": 2}],
                  "steps": [{"after_seconds": 60, "keep_skills": 0}],
                  "service_level_seconds": 14400}],
      "profiles": [{"code": "crews", "name": "Crews", "team": "crews",
                    "queues": [{"queue": "cases-crews", "priority": 1, "delay_seconds": 5}],
                    "capacity": {"voice": 0, "case_task": 4}}]
    }})");
  ASSERT_TRUE(file.ok()) << file.status();
  ASSERT_EQ(file->routing_queues.size(), 1u);
  const domain::RoutingQueue& q = file->routing_queues[0];
  EXPECT_EQ(q.code, "cases-crews");
  EXPECT_EQ(q.strategy, "least_occupied");
  EXPECT_EQ(q.skills, (std::vector<domain::RoutingSkillRule>{{"waste", 2}}));
  EXPECT_EQ(q.steps, (std::vector<domain::RoutingStepRule>{{60, 0, 0}}));
  EXPECT_EQ(q.service_level_seconds, 14400);
  ASSERT_EQ(file->routing_profiles.size(), 1u);
  const domain::RoutingProfile& p = file->routing_profiles[0];
  EXPECT_EQ(p.team, "crews");
  EXPECT_EQ(p.queues, (std::vector<domain::RoutingProfileQueue>{{"cases-crews", 1, 5}}));
  EXPECT_EQ(p.capacity[0], 0);
  EXPECT_EQ(p.capacity[1], 3);  // chat: the default
  EXPECT_EQ(p.capacity[4], 4);
}

TEST(CouncilFileTest, ReportsBrokenRoutingReferences) {
  auto errors = ErrorsFor(R"({
    "name": "T",
    "departments": [{"code": "waste", "name": "Waste"}],
    "teams": [{"code": "crews", "name": "Crews", "department": "waste"}],
    "routing": {
      "queues": [{"code": "calls", "name": "Calls"}, {"code": "calls", "name": "Again"},
                 {"code": "Bad Code", "name": "Bad"}, {"code": "x"}],
      "profiles": [{"code": "p", "name": "P", "team": "ghosts", "queues": [{"queue": "nowhere"}]},
                   {"code": "p", "name": "P2", "capacity": {"voice": 99}}]
    }})");
  EXPECT_THAT(errors, UnorderedElementsAre(
                          Error("routing.queues[1].code", "duplicate"),
                          Error("routing.queues[2].code", "invalid"),
                          Error("routing.queues[3].name", "required"),
                          Error("routing.profiles[0].team", "not_found"),
                          Error("routing.profiles[0].queues[0].queue", "not_found"),
                          Error("routing.profiles[1].code", "duplicate"),
                          Error("routing.profiles[1].capacity.voice", "invalid")));
}

TEST(CouncilFileTest, TeamMustBelongToStaffDepartment) {
  auto errors = ErrorsFor(R"({
    "name": "T",
    "departments": [{"code": "waste", "name": "W"}, {"code": "highways", "name": "H"}],
    "teams": [{"code": "crews", "name": "Crews", "department": "waste"}],
    "staff": [{"email": "o@example.org", "display_name": "O", "role": "officer",
               "department": "highways", "team": "crews", "password": "p"}]})");
  EXPECT_THAT(errors, UnorderedElementsAre(Error("staff[0].team", "invalid")));
}

TEST(CouncilFileTest, ReportsNestedErrorsWithFullPaths) {
  auto errors = ErrorsFor(R"({
    "departments": [{"code": "waste", "name": "Waste"}],
    "services": [{"code": "ok", "name": "OK", "department": "waste"},
                 {"code": "x", "name": "X", "department": "waste",
                  "fields": [{"code": "a", "description": "A", "datatype": "colour"}]}],
    "citizens": [{"given_name": "A", "family_name": "B", "phones": ["12"],
                  "addresses": [{"line1": "1 High St", "postcode": "NOT A CODE", "uprn": -4}],
                  "preferred_channel": "fax", "consent": {"contact_by_pigeon": true}}],
    "extra": 1
  })");
  EXPECT_THAT(errors, Contains(Error("name", "required")));
  EXPECT_THAT(errors, Contains(Error("services[1].fields[0].datatype", "invalid")));
  EXPECT_THAT(errors, Contains(Error("citizens[0].phones[0]", "invalid")));
  EXPECT_THAT(errors, Contains(Error("citizens[0].addresses[0].postcode", "invalid")));
  EXPECT_THAT(errors, Contains(Error("citizens[0].addresses[0].uprn", "invalid")));
  EXPECT_THAT(errors, Contains(Error("citizens[0].preferred_channel", "invalid")));
  EXPECT_THAT(errors, Contains(Error("citizens[0].consent.contact_by_pigeon", "unknown")));
  EXPECT_THAT(errors, Contains(Error("extra", "unknown")));
}

TEST(CouncilFileTest, MessageListsTheFirstProblems) {
  auto file = ParseCouncilFile(R"({"departments": []})");
  ASSERT_FALSE(file.ok());
  EXPECT_THAT(std::string(file.status().message()), HasSubstr("name: 'name' is required"));
}

// ---- the shipped demo council ----

std::string ReadDemoFile(const std::string& name = "council.json") {
  const char* source_dir = std::getenv("ONESTOP_SOURCE_DIR");
  std::string path = std::string(source_dir ? source_dir : ".") + "/data/demo/" + name;
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The files next to data/demo/council.json (its logo).
absl::StatusOr<std::string> DemoFile(const std::string& relative) { return ReadDemoFile(relative); }

class DemoCouncilTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto parsed = ParseCouncilFile(ReadDemoFile(), DemoFile);
    status_ = new absl::Status(parsed.status());
    if (parsed.ok()) file_ = new CouncilFile(std::move(*parsed));
  }
  static void TearDownTestSuite() {
    delete file_;
    delete status_;
    file_ = nullptr;
    status_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(status_->ok()) << *status_;
    ASSERT_NE(file_, nullptr);
  }
  static inline CouncilFile* file_ = nullptr;
  static inline absl::Status* status_ = nullptr;
};

TEST_F(DemoCouncilTest, ParsesWithoutErrors) { EXPECT_EQ(file_->name, "Borough of Fairhaven"); }

TEST_F(DemoCouncilTest, HasAThemeWithItsLogoAndWelshTexts) {
  ASSERT_TRUE(file_->theme.has_value());
  EXPECT_EQ(file_->theme->logo_type, "image/svg+xml");
  EXPECT_THAT(file_->theme->logo, HasSubstr("<svg"));
  EXPECT_TRUE(domain::ValidateTheme(*file_->theme).ok());
  EXPECT_TRUE(std::any_of(file_->departments.begin(), file_->departments.end(),
                          [](const domain::Department& d) { return d.translations.contains("cy"); }));
  EXPECT_TRUE(std::any_of(file_->services.begin(), file_->services.end(),
                          [](const domain::Service& s) { return s.translations.contains("cy"); }));
}

TEST_F(DemoCouncilTest, HasDepartmentsEachWithOneToThreeTeamsAndSomeServices) {
  EXPECT_GE(file_->departments.size(), 10u);
  std::map<std::string, int> teams_per_department, services_per_department;
  for (const auto& team : file_->teams) ++teams_per_department[team.department];
  for (const auto& service : file_->services) ++services_per_department[service.department];
  for (const auto& department : file_->departments) {
    EXPECT_GE(teams_per_department[department.code], 1) << department.code;
    EXPECT_LE(teams_per_department[department.code], 3) << department.code;
    EXPECT_GE(services_per_department[department.code], 1) << department.code;
  }
  for (const char* code : {"waste", "highways", "council-tax", "benefits", "housing", "planning",
                           "environmental-health", "libraries", "registrars", "parking"}) {
    EXPECT_TRUE(teams_per_department.contains(code)) << code;
  }
}

TEST_F(DemoCouncilTest, ServicesCoverTheCatalogueShape) {
  EXPECT_GE(file_->services.size(), 36u);
  std::set<domain::Datatype> datatypes;
  std::set<domain::InteractionType> interactions;
  int on_api = 0, anonymous = 0, hours = 0;
  for (const auto& service : file_->services) {
    EXPECT_FALSE(service.description.empty()) << service.code;
    EXPECT_FALSE(service.group.empty()) << service.code;
    EXPECT_GE(service.keywords.size(), 2u) << service.code;
    EXPECT_FALSE(service.channels.empty()) << service.code;
    EXPECT_FALSE(service.default_team.empty()) << service.code;
    EXPECT_GE(service.fields.size(), 1u) << service.code;
    EXPECT_LE(service.fields.size(), 6u) << service.code;
    for (const auto& field : service.fields) {
      datatypes.insert(field.datatype);
      EXPECT_FALSE(field.description.empty()) << service.code << "." << field.code;
    }
    interactions.insert(service.interaction_type);
    on_api += service.OfferedOn(domain::Channel::kApi);
    anonymous += service.allow_anonymous;
    hours += service.sla.unit == domain::SlaUnit::kWorkingHours && service.sla.amount > 0;
  }
  EXPECT_EQ(datatypes.size(), 6u);
  EXPECT_GE(interactions.size(), 8u);
  EXPECT_GT(on_api, 0);
  EXPECT_LT(on_api, static_cast<int>(file_->services.size()));
  EXPECT_GT(anonymous, 0);
  EXPECT_GT(hours, 0);
}

TEST_F(DemoCouncilTest, StreetReportsAreAnonymousAndOnOpen311) {
  for (const char* code :
       {"missed-bin", "pothole", "fly-tipping", "graffiti", "street-light-fault", "dog-fouling"}) {
    auto it = std::find_if(file_->services.begin(), file_->services.end(),
                           [&](const domain::Service& s) { return s.code == code; });
    ASSERT_NE(it, file_->services.end()) << code;
    EXPECT_TRUE(it->allow_anonymous) << code;
    EXPECT_TRUE(it->OfferedOn(domain::Channel::kApi)) << code;
  }
}

TEST_F(DemoCouncilTest, HasTheDemoLogins) {
  std::map<std::string, const DemoStaff*> by_email;
  for (const auto& staff : file_->staff) by_email[staff.email] = &staff;
  const std::pair<const char*, const char*> expected[] = {
      {"admin@fairhaven.example", "admin"},
      {"supervisor@fairhaven.example", "supervisor"},
      {"agent@fairhaven.example", "agent"},
      {"agent2@fairhaven.example", "agent"},
      {"waste.officer@fairhaven.example", "officer"},
      {"highways.officer@fairhaven.example", "officer"},
      {"ctax.officer@fairhaven.example", "officer"},
  };
  for (const auto& [email, role] : expected) {
    ASSERT_TRUE(by_email.contains(email)) << email;
    EXPECT_EQ(by_email[email]->role, role) << email;
    EXPECT_EQ(by_email[email]->password, "fairhaven-demo") << email;
  }
  EXPECT_EQ(by_email["waste.officer@fairhaven.example"]->department, "waste");
  EXPECT_EQ(by_email["highways.officer@fairhaven.example"]->department, "highways");
  EXPECT_EQ(by_email["ctax.officer@fairhaven.example"]->department, "council-tax");
  EXPECT_FALSE(by_email["agent@fairhaven.example"]->skills.empty());
}

TEST_F(DemoCouncilTest, RoutesCallsAndOfficersCases) {
  std::set<std::string> queues;
  for (const auto& q : file_->routing_queues) queues.insert(q.code);
  EXPECT_TRUE(queues.contains("council-tax"));
  EXPECT_TRUE(queues.contains("counter"));
  // Every team with an officer in the file takes its cases through a queue.
  for (const auto& staff : file_->staff) {
    if (staff.role != "officer") continue;
    EXPECT_TRUE(queues.contains("cases-" + staff.team)) << staff.email;
  }
  std::set<std::string> profile_teams;
  for (const auto& p : file_->routing_profiles) profile_teams.insert(p.team);
  for (const auto& staff : file_->staff) {
    if (!staff.team.empty()) {
      EXPECT_TRUE(profile_teams.contains(staff.team)) << staff.email;
    }
  }
}

TEST_F(DemoCouncilTest, HasResidents) {
  EXPECT_GE(file_->citizens.size(), 20u);
  int with_uprn = 0, with_preference = 0;
  for (const auto& citizen : file_->citizens) {
    EXPECT_FALSE(citizen.phones.empty()) << citizen.family_name;
    EXPECT_FALSE(citizen.addresses.empty()) << citizen.family_name;
    for (const auto& address : citizen.addresses) with_uprn += address.uprn.has_value();
    with_preference += citizen.preferred_channel.has_value();
  }
  EXPECT_GT(with_uprn, 0);
  EXPECT_GT(with_preference, 0);
}

}  // namespace
}  // namespace onestop::codec
