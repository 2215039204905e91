#include "api/contact_json.h"

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/status.h"
#include "common/time_format.h"

namespace onestop::api {
namespace {

using ::testing::Field;
using ::testing::UnorderedElementsAre;

boost::json::value Json(std::string_view text) { return boost::json::parse(text); }
absl::Time At(std::string_view text) { return *ParseRfc3339(text); }
auto HasError(std::string field, std::string code) {
  return AllOf(Field(&FieldError::field, field), Field(&FieldError::code, code));
}

TEST(ContactJsonTest, Renders) {
  domain::Contact c;
  c.id = 4;
  c.channel = domain::Channel::kFaceToFace;
  c.direction = domain::Direction::kOutbound;
  c.at = At("2026-11-25T09:30:00Z");
  c.staff_id = 2;
  c.case_id = 42;
  c.service_code = "missed-bin";
  c.reason = "chasing";
  c.outcome = domain::ContactOutcome::kCaseUpdated;
  c.duration = absl::Seconds(95);
  EXPECT_EQ(boost::json::value(ContactToJson(c)),
            Json(R"({"id":4,"channel":"face_to_face","direction":"outbound",
                     "at":"2026-11-25T09:30:00Z","staff_id":2,"citizen_id":null,"case_id":42,
                     "service_code":"missed-bin","reason":"chasing","outcome":"case_updated",
                     "duration_seconds":95,"interaction_id":null,"disposition":null})"));
  // A routed call's contact: its interaction and the agent's wrap-up code.
  c.interaction_id = 17;
  c.disposition = "progress_chasing";
  boost::json::object routed = ContactToJson(c);
  EXPECT_EQ(routed.at("interaction_id"), boost::json::value(17));
  EXPECT_EQ(routed.at("disposition"), boost::json::value("progress_chasing"));
}

TEST(ContactJsonTest, CallDetailsOnlyWhatIsGiven) {
  boost::json::object out;
  AddContactCallDetails(out, services::ContactCallDetails{});
  EXPECT_TRUE(out.empty());

  domain::CallRecording r;
  r.contact_id = 42;
  r.duration_ms = 125999;
  r.paused_ms = 30200;
  r.pauses = 2;
  AddContactCallDetails(out, services::ContactCallDetails{r, 4});
  EXPECT_EQ(boost::json::serialize(out),
            R"({"recording":{"duration_seconds":125,"paused_seconds":30,"pauses":2,)"
            R"("url":"/api/v1/contacts/42/recording"},"satisfaction":4})");

  boost::json::object score_only;
  AddContactCallDetails(score_only, services::ContactCallDetails{std::nullopt, 1});
  EXPECT_EQ(boost::json::serialize(score_only), R"({"satisfaction":1})");
}

TEST(ContactJsonTest, Parses) {
  auto parsed = ContactFromJson(Json(R"({"channel":"phone","direction":"inbound","citizen_id":7,
      "case_id":42,"service_code":"x","reason":"r","outcome":"resolved_first_contact",
      "duration_seconds":60,"at":"2026-11-25T09:30:00+01:00"})"));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->channel, domain::Channel::kPhone);
  EXPECT_EQ(parsed->direction, domain::Direction::kInbound);
  EXPECT_EQ(parsed->citizen_id, 7);
  EXPECT_EQ(parsed->case_id, 42);
  EXPECT_EQ(parsed->outcome, domain::ContactOutcome::kResolvedFirstContact);
  EXPECT_EQ(parsed->duration, absl::Seconds(60));
  EXPECT_EQ(parsed->at, At("2026-11-25T08:30:00Z"));
  auto minimal = ContactFromJson(Json(R"({"channel":"sms","direction":"outbound"})"));
  ASSERT_TRUE(minimal.ok());
  EXPECT_EQ(minimal->outcome, domain::ContactOutcome::kOther);
  EXPECT_EQ(minimal->at, absl::Time());
}

TEST(ContactJsonTest, TypeErrors) {
  auto parsed = ContactFromJson(Json(R"({"channel":1,"direction":false,"citizen_id":"7",
      "case_id":1.5,"service_code":[],"reason":{},"outcome":3,"duration_seconds":"60","at":5,
      "staff_id":1})"));
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(FieldErrorsOf(parsed.status()),
              UnorderedElementsAre(
                  HasError("channel", "type"), HasError("direction", "type"),
                  HasError("citizen_id", "type"), HasError("case_id", "type"),
                  HasError("service_code", "type"), HasError("reason", "type"),
                  HasError("outcome", "type"), HasError("duration_seconds", "type"),
                  HasError("at", "type"), HasError("staff_id", "unknown")));
  auto invalid = ContactFromJson(Json(R"({"direction":"sideways","outcome":"meh",
      "duration_seconds":-1,"at":"yesterday"})"));
  EXPECT_THAT(FieldErrorsOf(invalid.status()),
              UnorderedElementsAre(HasError("channel", "required"), HasError("direction", "invalid"),
                                   HasError("outcome", "invalid"),
                                   HasError("duration_seconds", "invalid"), HasError("at", "invalid")));
}

TEST(EventJsonTest, Renders) {
  domain::Event e;
  e.seq = 12;
  e.at = At("2026-11-25T09:30:00Z") + absl::Milliseconds(123);
  e.actor_id = 3;
  e.channel = domain::Channel::kWeb;
  e.entity = "case";
  e.entity_id = 42;
  e.entity_key = "4K7P-9QX3";
  e.type = "case.status_changed";
  e.case_id = 42;
  e.changes = {{"status", "new", "open"}};
  EXPECT_EQ(boost::json::value(EventToJson(e)),
            Json(R"({"seq":12,"at":"2026-11-25T09:30:00.123Z","actor_id":3,"channel":"web",
                     "entity":"case","entity_id":42,"entity_key":"4K7P-9QX3",
                     "type":"case.status_changed","case_id":42,"citizen_id":null,
                     "changes":[{"field":"status","before":"new","after":"open"}]})"));
  domain::Event bare;
  EXPECT_TRUE(EventToJson(bare).at("channel").is_null());
}

TEST(StaffJsonTest, NeverRendersThePasswordHash) {
  domain::StaffUser s;
  s.id = 2;
  s.email = "a@council.gov.uk";
  s.display_name = "A";
  s.role = domain::Role::kSupervisor;
  s.department = "waste";
  s.team = "crews";
  s.skills = {{"welsh-language", 4}};
  s.password_hash = "$argon2id$secret";
  s.created_at = At("2026-11-25T09:30:00Z");
  s.version = 5;
  boost::json::object out = StaffToJson(s);
  EXPECT_EQ(boost::json::value(out),
            Json(R"({"id":2,"email":"a@council.gov.uk","display_name":"A","role":"supervisor",
                     "department":"waste","team":"crews",
                     "skills":[{"code":"welsh-language","proficiency":4}],"active":true,
                     "created_at":"2026-11-25T09:30:00Z","version":5})"));
  EXPECT_EQ(boost::json::serialize(out).find("argon"), std::string::npos);
}

TEST(StaffJsonTest, ParsesNewStaffAndChanges) {
  auto parsed = NewStaffFromJson(Json(R"({"email":"b@c.uk","display_name":"B","role":"officer",
      "department":"waste","team":"t","skills":[{"code":"x","proficiency":2},{"code":"y"}],
      "password":"correct horse battery"})"));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->role, domain::Role::kOfficer);
  EXPECT_EQ(parsed->skills, (std::vector<domain::Skill>{{"x", 2}, {"y", 3}}));
  EXPECT_EQ(parsed->password, "correct horse battery");
  auto bad = NewStaffFromJson(Json(R"({"email":1,"role":"boss","skills":[{"proficiency":9}],"x":1})"));
  EXPECT_THAT(FieldErrorsOf(bad.status()),
              UnorderedElementsAre(HasError("email", "type"), HasError("display_name", "required"),
                                   HasError("role", "invalid"), HasError("skills[0].code", "required"),
                                   HasError("skills[0].proficiency", "invalid"),
                                   HasError("password", "required"), HasError("x", "unknown")));
  auto changes = StaffChangesFromJson(Json(R"({"active":false,"role":"admin"})"));
  ASSERT_TRUE(changes.ok());
  EXPECT_EQ(changes->active, false);
  EXPECT_EQ(changes->role, domain::Role::kAdmin);
  EXPECT_FALSE(changes->display_name.has_value());
  auto bad_changes = StaffChangesFromJson(Json(R"({"active":"no","skills":{},"email":"x"})"));
  EXPECT_THAT(FieldErrorsOf(bad_changes.status()),
              UnorderedElementsAre(HasError("active", "type"), HasError("skills", "type"),
                                   HasError("email", "unknown")));
}

}  // namespace
}  // namespace onestop::api
