#include "api/case_json.h"

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/status.h"
#include "common/time_format.h"

namespace onestop::api {
namespace {

using ::testing::Contains;
using ::testing::Field;
using ::testing::UnorderedElementsAre;

boost::json::value Json(std::string_view text) { return boost::json::parse(text); }

auto HasError(std::string field, std::string code) {
  return AllOf(Field(&FieldError::field, field), Field(&FieldError::code, code));
}

absl::Time At(std::string_view text) { return *ParseRfc3339(text); }

domain::Service BinService() {
  domain::Service s;
  s.code = "missed-bin";
  domain::FormField count;
  count.code = "bags";
  count.datatype = domain::Datatype::kNumber;
  domain::FormField types;
  types.code = "bin_types";
  types.datatype = domain::Datatype::kMultiValueList;
  domain::FormField when;
  when.code = "when";
  when.datatype = domain::Datatype::kDatetime;
  s.fields = {count, types, when};
  return s;
}

domain::Case SampleCase() {
  domain::Case c;
  c.id = 42;
  c.reference = "4K7P-9QX3";
  c.service_code = "missed-bin";
  c.department = "waste";
  c.citizen_id = 7;
  c.channel = domain::Channel::kPhone;
  c.status = domain::CaseStatus::kResolved;
  c.priority = domain::Priority::kHigh;
  c.team = "waste-crews";
  c.summary = "Missed bin";
  c.values = {{"bags", {"2.5"}}, {"bin_types", {"black", "blue"}}, {"when", {"2026-11-25"}},
              {"legacy", {"x"}}};
  c.location.uprn = 100023336956;
  c.location.postcode = "SW1A 1AA";
  c.media_urls = {"https://example.org/a.jpg"};
  c.created_at = At("2026-11-25T09:30:00Z");
  c.updated_at = At("2026-11-25T10:00:00Z");
  c.due_at = At("2026-11-27T17:00:00Z");
  c.resolved_at = At("2026-11-25T10:00:00Z");
  c.version = 3;
  return c;
}

TEST(CaseJsonTest, RendersEveryField) {
  domain::Service service = BinService();
  boost::json::object out = CaseToJson(SampleCase(), &service);
  EXPECT_EQ(out.at("id").as_int64(), 42);
  EXPECT_EQ(out.at("reference").as_string(), "4K7P-9QX3");
  EXPECT_EQ(out.at("service_code").as_string(), "missed-bin");
  EXPECT_EQ(out.at("department").as_string(), "waste");
  EXPECT_EQ(out.at("citizen_id").as_int64(), 7);
  EXPECT_EQ(out.at("channel").as_string(), "phone");
  EXPECT_EQ(out.at("status").as_string(), "resolved");
  EXPECT_EQ(out.at("priority").as_string(), "high");
  EXPECT_EQ(out.at("team").as_string(), "waste-crews");
  EXPECT_TRUE(out.at("assignee_id").is_null());
  EXPECT_EQ(out.at("summary").as_string(), "Missed bin");
  const boost::json::object& values = out.at("values").as_object();
  EXPECT_EQ(values.at("bags").as_double(), 2.5);
  EXPECT_EQ(values.at("bin_types"), Json(R"(["black","blue"])"));
  EXPECT_EQ(values.at("when").as_string(), "2026-11-25");
  EXPECT_EQ(values.at("legacy").as_string(), "x");  // unknown field: string
  EXPECT_EQ(out.at("location").at("uprn").as_int64(), 100023336956);
  EXPECT_TRUE(out.at("location").at("lat").is_null());
  EXPECT_EQ(out.at("location").at("postcode").as_string(), "SW1A 1AA");
  EXPECT_EQ(out.at("media_urls"), Json(R"(["https://example.org/a.jpg"])"));
  EXPECT_EQ(out.at("created_at").as_string(), "2026-11-25T09:30:00Z");
  EXPECT_EQ(out.at("updated_at").as_string(), "2026-11-25T10:00:00Z");
  EXPECT_EQ(out.at("due_at").as_string(), "2026-11-27T17:00:00Z");
  EXPECT_EQ(out.at("sla_paused").as_bool(), false);
  EXPECT_EQ(out.at("resolved_at").as_string(), "2026-11-25T10:00:00Z");
  EXPECT_TRUE(out.at("closed_at").is_null());
  EXPECT_EQ(out.at("version").as_int64(), 3);
  EXPECT_EQ(out.at("next_statuses"), Json(R"(["open","closed"])"));
}

TEST(CaseJsonTest, WithoutServiceValuesAreStringsAndEmptyLocationIsNull) {
  domain::Case c = SampleCase();
  c.location = {};
  c.sla_paused_at = At("2026-11-25T10:00:00Z");
  boost::json::object out = CaseToJson(c, nullptr);
  EXPECT_EQ(out.at("values").at("bags").as_string(), "2.5");
  EXPECT_EQ(out.at("values").at("bin_types"), Json(R"(["black","blue"])"));
  EXPECT_TRUE(out.at("location").is_null());
  EXPECT_TRUE(out.at("sla_paused").as_bool());
}

TEST(CaseJsonTest, FormValueRendering) {
  EXPECT_EQ(FormValueToJson({"12"}, domain::Datatype::kNumber), boost::json::value(12));
  EXPECT_EQ(FormValueToJson({"-0.25"}, domain::Datatype::kNumber), boost::json::value(-0.25));
  EXPECT_EQ(FormValueToJson({"abc"}, domain::Datatype::kNumber), boost::json::value("abc"));
  EXPECT_EQ(FormValueToJson({"a"}, domain::Datatype::kMultiValueList), Json(R"(["a"])"));
  EXPECT_EQ(FormValueToJson({}, domain::Datatype::kMultiValueList), Json("[]"));
  EXPECT_EQ(FormValueToJson({"x"}, domain::Datatype::kSingleValueList), boost::json::value("x"));
  EXPECT_EQ(FormValueToJson({"x"}, std::nullopt), boost::json::value("x"));
}

TEST(CaseJsonTest, NumberTextIsCanonical) {
  EXPECT_EQ(NumberText(Json("12")), "12");
  EXPECT_EQ(NumberText(Json("-7")), "-7");
  EXPECT_EQ(NumberText(Json("18446744073709551615")), "18446744073709551615");
  EXPECT_EQ(NumberText(Json("0.1")), "0.1");
  EXPECT_EQ(NumberText(Json("2.50")), "2.5");
  EXPECT_EQ(NumberText(Json("1e3")), "1000");
  EXPECT_EQ(NumberText(Json("1.5e-3")), "0.0015");
}

TEST(CaseJsonTest, ParsesNewCase) {
  auto parsed = NewCaseFromJson(Json(R"({
    "service_code": "missed-bin", "citizen_id": 7, "channel": "web",
    "values": {"bags": 2, "weight": 1.25, "bin_types": ["black", "blue"], "note": "by the gate"},
    "location": {"uprn": 100023336956, "lat": 51.5, "lng": -0.12, "description": "gate", "postcode": "sw1a1aa"},
    "priority": "urgent", "summary": "Bins", "media_urls": ["https://x/1.jpg"]})"));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->service_code, "missed-bin");
  EXPECT_EQ(parsed->citizen_id, 7);
  EXPECT_EQ(parsed->channel, domain::Channel::kWeb);
  EXPECT_EQ(parsed->values,
            (domain::FormValues{{"bags", {"2"}}, {"weight", {"1.25"}},
                                {"bin_types", {"black", "blue"}}, {"note", {"by the gate"}}}));
  EXPECT_EQ(parsed->location.uprn, 100023336956);
  EXPECT_EQ(parsed->location.lat, 51.5);
  EXPECT_EQ(parsed->location.lng, -0.12);
  EXPECT_EQ(parsed->location.description, "gate");
  EXPECT_EQ(parsed->location.postcode, "sw1a1aa");
  EXPECT_EQ(parsed->priority, domain::Priority::kUrgent);
  EXPECT_EQ(parsed->summary, "Bins");
  EXPECT_EQ(parsed->media_urls, std::vector<std::string>{"https://x/1.jpg"});
}

TEST(CaseJsonTest, MinimalNewCase) {
  auto parsed = NewCaseFromJson(Json(R"({"service_code":"x","channel":"phone"})"));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_FALSE(parsed->citizen_id);
  EXPECT_FALSE(parsed->priority);
  EXPECT_TRUE(parsed->values.empty());
  EXPECT_TRUE(parsed->location.empty());
}

TEST(CaseJsonTest, NewCaseReportsEveryTypeError) {
  auto parsed = NewCaseFromJson(Json(R"({
    "service_code": 5, "citizen_id": "7", "channel": true,
    "values": {"a": true, "b": {"x": 1}, "c": null, "d": ["ok", 3], "e": "fine"},
    "location": {"uprn": "1", "lat": "n", "lng": [], "description": 1, "postcode": false},
    "priority": 1, "summary": [], "media_urls": "x", "extra": 1})"));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(FieldErrorsOf(parsed.status()),
              UnorderedElementsAre(
                  HasError("service_code", "type"), HasError("citizen_id", "type"),
                  HasError("channel", "type"), HasError("values.a", "type"),
                  HasError("values.b", "type"), HasError("values.c", "type"),
                  HasError("values.d[1]", "type"), HasError("location.uprn", "type"),
                  HasError("location.lat", "type"), HasError("location.lng", "type"),
                  HasError("location.description", "type"),
                  HasError("location.postcode", "type"), HasError("priority", "type"),
                  HasError("summary", "type"), HasError("media_urls", "type"),
                  HasError("extra", "unknown")));
}

TEST(CaseJsonTest, NewCaseRequiredAndInvalid) {
  auto parsed = NewCaseFromJson(Json(R"({"channel":"pigeon","values":[],"priority":"meh",
    "location":{"lat":91,"lng":-181,"uprn":0,"where":"x"},"media_urls":[1]})"));
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(FieldErrorsOf(parsed.status()),
              UnorderedElementsAre(
                  HasError("service_code", "required"), HasError("channel", "invalid"),
                  HasError("values", "type"), HasError("priority", "invalid"),
                  HasError("location.lat", "invalid"), HasError("location.lng", "invalid"),
                  HasError("location.uprn", "invalid"), HasError("location.where", "unknown"),
                  HasError("media_urls[0]", "type")));
}

TEST(CaseJsonTest, NewCaseMustBeAnObject) {
  auto parsed = NewCaseFromJson(Json("[1]"));
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(FieldErrorsOf(parsed.status()), Contains(HasError("", "type")));
}

TEST(CaseJsonTest, ParsesChanges) {
  auto parsed = CaseChangesFromJson(Json(
      R"({"status":"in_progress","priority":"low","team":"t","assignee_id":9,"summary":"s",
          "location":{"postcode":"SW1A 1AA"}})"));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->status, domain::CaseStatus::kInProgress);
  EXPECT_EQ(parsed->priority, domain::Priority::kLow);
  EXPECT_EQ(parsed->team, "t");
  ASSERT_TRUE(parsed->assignee_id.has_value());
  EXPECT_EQ(*parsed->assignee_id, 9);
  EXPECT_EQ(parsed->summary, "s");
  ASSERT_TRUE(parsed->location.has_value());
  EXPECT_EQ(parsed->location->postcode, "SW1A 1AA");
}

TEST(CaseJsonTest, NullAssigneeUnassignsAndNullLocationClears) {
  auto parsed = CaseChangesFromJson(Json(R"({"assignee_id":null,"location":null})"));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_TRUE(parsed->assignee_id.has_value());
  EXPECT_FALSE(parsed->assignee_id->has_value());
  ASSERT_TRUE(parsed->location.has_value());
  EXPECT_TRUE(parsed->location->empty());
  auto empty = CaseChangesFromJson(Json("{}"));
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST(CaseJsonTest, ChangesTypeErrors) {
  auto parsed = CaseChangesFromJson(Json(
      R"({"status":1,"priority":[],"team":2,"assignee_id":"9","summary":{},"location":"x",
          "version":3})"));
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(FieldErrorsOf(parsed.status()),
              UnorderedElementsAre(HasError("status", "type"), HasError("priority", "type"),
                                   HasError("team", "type"), HasError("assignee_id", "type"),
                                   HasError("summary", "type"), HasError("location", "type"),
                                   HasError("version", "unknown")));
  auto bad = CaseChangesFromJson(Json(R"({"status":"done","assignee_id":0,"assignee_id2":1})"));
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(FieldErrorsOf(bad.status()),
              UnorderedElementsAre(HasError("status", "invalid"), HasError("assignee_id", "invalid"),
                                   HasError("assignee_id2", "unknown")));
}

TEST(CaseJsonTest, Notes) {
  domain::Note note{5, 42, domain::NoteVisibility::kPublic, "Crew booked", 3,
                    At("2026-11-25T09:30:00Z")};
  EXPECT_EQ(boost::json::value(NoteToJson(note)),
            Json(R"({"id":5,"case_id":42,"visibility":"public","body":"Crew booked",
                     "author_id":3,"created_at":"2026-11-25T09:30:00Z"})"));
  auto parsed = NewNoteFromJson(Json(R"({"visibility":"internal","body":"hi"})"));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->visibility, domain::NoteVisibility::kInternal);
  EXPECT_EQ(parsed->body, "hi");
  auto bad = NewNoteFromJson(Json(R"({"visibility":"secret","body":1,"x":0})"));
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(FieldErrorsOf(bad.status()),
              UnorderedElementsAre(HasError("visibility", "invalid"), HasError("body", "type"),
                                   HasError("x", "unknown")));
  auto missing = NewNoteFromJson(Json("{}"));
  EXPECT_THAT(FieldErrorsOf(missing.status()),
              UnorderedElementsAre(HasError("visibility", "required"), HasError("body", "required")));
}

TEST(CaseJsonTest, Attachments) {
  domain::Attachment a{8, 42, "photo.jpg", "image/jpeg", 1234, "https://blob/1", "ab12", 0,
                       At("2026-11-25T09:30:00Z")};
  boost::json::object out = AttachmentToJson(a);
  EXPECT_EQ(out.at("filename").as_string(), "photo.jpg");
  EXPECT_EQ(out.at("size_bytes").as_int64(), 1234);
  EXPECT_TRUE(out.at("uploaded_by").is_null());
  auto parsed = AttachmentFromJson(Json(
      R"({"filename":"a.pdf","content_type":"application/pdf","size_bytes":10,"url":"u","sha256":"ff"})"));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->filename, "a.pdf");
  EXPECT_EQ(parsed->size_bytes, 10);
  EXPECT_EQ(parsed->sha256, "ff");
  auto bad = AttachmentFromJson(
      Json(R"({"filename":1,"content_type":null,"size_bytes":1.5,"url":[],"sha256":2})"));
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(FieldErrorsOf(bad.status()),
              UnorderedElementsAre(HasError("filename", "type"),
                                   HasError("content_type", "required"),
                                   HasError("size_bytes", "type"), HasError("url", "type"),
                                   HasError("sha256", "type")));
  auto negative = AttachmentFromJson(
      Json(R"({"filename":"a","content_type":"b","size_bytes":-1,"url":"u"})"));
  EXPECT_THAT(FieldErrorsOf(negative.status()), UnorderedElementsAre(HasError("size_bytes", "invalid")));
}

}  // namespace
}  // namespace onestop::api
