#include "codec/catalogue.h"

#include <boost/json.hpp>

#include "codec/field_error_matchers_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace onestop::codec {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

std::vector<FieldError> ErrorsFor(std::string_view json_text) {
  auto parsed = ServiceFromJson(boost::json::parse(json_text));
  if (parsed.ok()) return {};
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  return FieldErrorsOf(parsed.status());
}

domain::Service MissedBin() {
  domain::Service s;
  s.code = "missed-bin";
  s.name = "Report a missed bin collection";
  s.description = "Tell us if your bin was not emptied on your collection day.";
  s.department = "waste";
  s.group = "Bins and recycling";
  s.keywords = {"bin", "rubbish", "wheelie bin"};
  s.interaction_type = domain::InteractionType::kApplicationsForServices;
  s.channels = {domain::Channel::kPhone, domain::Channel::kWeb, domain::Channel::kApi};
  s.sla = {2, domain::SlaUnit::kWorkingDays};
  s.default_team = "waste-collections";
  s.allow_anonymous = true;
  s.active = false;
  s.version = 7;
  s.fields = {
      {"bin_type",
       domain::Datatype::kSingleValueList,
       true,
       1,
       "Which bin was missed?",
       "",
       {{"general", "General waste"}, {"recycling", "Recycling"}}},
      {"collection_date", domain::Datatype::kDatetime, true, 2, "When?", "The date", {}},
      {"extras",
       domain::Datatype::kMultiValueList,
       false,
       3,
       "Anything else?",
       "",
       {{"side-waste", "Side waste"}, {"lid", "Lid open"}}},
      {"count", domain::Datatype::kNumber, false, 4, "How many bins?", "", {}},
      {"ref", domain::Datatype::kString, false, 5, "Reference", "", {}},
      {"notes", domain::Datatype::kText, false, 6, "Notes", "Anything that helps the crew", {}},
  };
  return s;
}

TEST(ServiceJsonTest, RoundTrips) {
  domain::Service original = MissedBin();
  boost::json::object json = ServiceToJson(original);
  auto back = ServiceFromJson(json);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, original);
  // Through text too.
  auto reparsed = ServiceFromJson(boost::json::parse(boost::json::serialize(json)));
  ASSERT_TRUE(reparsed.ok()) << reparsed.status();
  EXPECT_EQ(*reparsed, original);
}

TEST(ServiceJsonTest, WritesWireNames) {
  boost::json::object json = ServiceToJson(MissedBin());
  EXPECT_EQ(json.at("interaction_type"), "applications_for_services");
  EXPECT_EQ(json.at("channels").as_array().at(0), "phone");
  EXPECT_EQ(json.at("sla").at("unit"), "working_days");
  EXPECT_EQ(json.at("sla").at("amount"), 2);
  EXPECT_EQ(json.at("fields").as_array().at(0).at("datatype"), "singlevaluelist");
  EXPECT_EQ(json.at("fields").as_array().at(0).at("values").as_array().at(1).at("name"),
            "Recycling");
  EXPECT_EQ(json.at("version"), 7);
}

TEST(ServiceJsonTest, AppliesDefaultsAndSortsFieldsByOrder) {
  auto service = ServiceFromJson(boost::json::parse(R"({
    "code": "pothole", "name": "Report a pothole", "department": "highways",
    "fields": [
      {"code": "size", "order": 5, "description": "How big is it?"},
      {"code": "depth", "order": 2, "datatype": "number", "description": "How deep?"},
      {"code": "kind", "order": 3, "datatype": "singlevaluelist", "description": "Where?",
       "values": [{"key": "road"}]}
    ]})"));
  ASSERT_TRUE(service.ok()) << service.status();
  EXPECT_EQ(service->description, "");
  EXPECT_EQ(service->interaction_type, domain::InteractionType::kApplicationsForServices);
  EXPECT_EQ(service->channels.size(), std::size(domain::kAllChannels));
  EXPECT_EQ(service->sla, (domain::SlaTarget{0, domain::SlaUnit::kWorkingDays}));
  EXPECT_FALSE(service->allow_anonymous);
  EXPECT_TRUE(service->active);
  EXPECT_EQ(service->version, 0);
  ASSERT_EQ(service->fields.size(), 3u);
  EXPECT_EQ(service->fields[0].code, "depth");
  EXPECT_EQ(service->fields[1].code, "kind");
  EXPECT_EQ(service->fields[1].values[0].name, "road");  // name defaults to key
  EXPECT_EQ(service->fields[2].code, "size");
  EXPECT_EQ(service->fields[2].datatype, domain::Datatype::kString);
  EXPECT_FALSE(service->fields[2].required);
}

TEST(ServiceJsonTest, OrderDefaultsToArrayPosition) {
  auto service = ServiceFromJson(boost::json::parse(R"({
    "code": "x", "name": "X", "department": "d",
    "fields": [{"code": "a", "description": "A"}, {"code": "b", "description": "B"}]})"));
  ASSERT_TRUE(service.ok()) << service.status();
  EXPECT_EQ(service->fields[0].order, 1);
  EXPECT_EQ(service->fields[1].order, 2);
}

TEST(ServiceJsonTest, EmptyChannelListMeansNoChannels) {
  auto service = ServiceFromJson(
      boost::json::parse(R"({"code": "x", "name": "X", "department": "d", "channels": []})"));
  ASSERT_TRUE(service.ok()) << service.status();
  EXPECT_THAT(service->channels, IsEmpty());
}

TEST(ServiceJsonTest, MissingRequiredKeys) {
  EXPECT_THAT(ErrorsFor("{}"),
              UnorderedElementsAre(Error("code", "required"), Error("name", "required"),
                                   Error("department", "required")));
}

TEST(ServiceJsonTest, UnknownKeysAtEveryLevel) {
  EXPECT_THAT(ErrorsFor(R"({"code": "x", "name": "X", "department": "d", "colour": "red",
      "sla": {"amount": 1, "per": "day"},
      "fields": [{"code": "a", "description": "A", "hint": "h",
                  "datatype": "singlevaluelist", "values": [{"key": "k", "label": "K"}]}]})"),
              UnorderedElementsAre(Error("colour", "unknown"), Error("sla.per", "unknown"),
                                   Error("fields[0].hint", "unknown"),
                                   Error("fields[0].values[0].label", "unknown")));
}

TEST(ServiceJsonTest, WrongJsonTypes) {
  EXPECT_THAT(ErrorsFor(R"({"code": 5, "name": "X", "department": "d", "keywords": "bin",
      "channels": ["web", 3], "sla": "2 days", "allow_anonymous": "yes", "version": "1",
      "fields": [{"code": "a", "description": "A", "required": 1, "order": 1.5}, "b"]})"),
              UnorderedElementsAre(Error("code", "type"), Error("keywords", "type"),
                                   Error("channels[1]", "type"), Error("sla", "type"),
                                   Error("allow_anonymous", "type"), Error("version", "type"),
                                   Error("fields[0].required", "type"),
                                   Error("fields[0].order", "type"), Error("fields[1]", "type")));
}

TEST(ServiceJsonTest, BadEnumNames) {
  EXPECT_THAT(
      ErrorsFor(R"({"code": "x", "name": "X", "department": "d",
      "interaction_type": "gossip", "channels": ["web", "carrier-pigeon"],
      "sla": {"amount": 3, "unit": "fortnights"},
      "fields": [{"code": "a", "description": "A"},
                 {"code": "b", "description": "B"},
                 {"code": "c", "description": "C", "datatype": "colour"}]})"),
      UnorderedElementsAre(Error("interaction_type", "invalid"), Error("channels[1]", "invalid"),
                           Error("sla.unit", "invalid"), Error("fields[2].datatype", "invalid")));
}

TEST(ServiceJsonTest, EnumErrorNamesTheAllowedValues) {
  auto parsed = ServiceFromJson(
      boost::json::parse(R"({"code": "x", "name": "X", "department": "d", "channels": ["fax"]})"));
  ASSERT_FALSE(parsed.ok());
  auto errors = FieldErrorsOf(parsed.status());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].reason, "not_one_of");
  ASSERT_EQ(errors[0].params.size(), 2u);
  EXPECT_EQ(errors[0].params[0], std::make_pair(std::string("value"), std::string("fax")));
  EXPECT_EQ(errors[0].params[1].first, "allowed");
  EXPECT_THAT(errors[0].params[1].second, ::testing::HasSubstr("face_to_face"));
}

TEST(ServiceJsonTest, DomainValidationErrorsUseInputIndices) {
  // fields[1] sorts first by order; the error must still name fields[1].
  EXPECT_THAT(
      ErrorsFor(R"({"code": "Bad Code", "name": "X", "department": "d",
      "fields": [{"code": "ok", "order": 9, "description": "A"},
                 {"code": "list", "order": 1, "datatype": "multivaluelist",
                  "description": "B"}]})"),
      UnorderedElementsAre(Error("code", "invalid"), Error("fields[1].values", "required")));
}

TEST(ServiceJsonTest, DuplicateOrdersAndChannels) {
  EXPECT_THAT(
      ErrorsFor(R"({"code": "x", "name": "X", "department": "d",
      "channels": ["web", "web"],
      "fields": [{"code": "a", "order": 2, "description": "A"},
                 {"code": "b", "order": 2, "description": "B"},
                 {"code": "c", "order": 0, "description": "C"}]})"),
      UnorderedElementsAre(Error("channels[1]", "duplicate"), Error("fields[1].order", "duplicate"),
                           Error("fields[2].order", "invalid")));
}

TEST(ServiceJsonTest, ErrorIndicesSurviveSkippedFields) {
  // fields[0] is not an object; the duplicate code is input fields[2].
  EXPECT_THAT(
      ErrorsFor(R"({"code": "x", "name": "X", "department": "d",
      "fields": ["oops", {"code": "a", "description": "A"},
                 {"code": "a", "description": "B"}]})"),
      UnorderedElementsAre(Error("fields[0]", "type"), Error("fields[2].code", "duplicate")));
}

TEST(ServiceJsonTest, NoDoubleReportForMissingCode) {
  // A missing code is "required" only, not also the domain's "invalid".
  auto errors = ErrorsFor(R"({"name": "X", "department": "d"})");
  EXPECT_THAT(errors, ElementsAre(Error("code", "required")));
}

TEST(ServiceJsonTest, NotAnObject) { EXPECT_THAT(ErrorsFor("[]"), ElementsAre(Error("", "type"))); }

TEST(ReadServiceTest, PrefixesPaths) {
  ErrorList errors;
  auto json = boost::json::parse(R"({"code": "x", "name": "X", "department": "d",
      "fields": [{"code": "A", "description": "A"}]})");
  EXPECT_FALSE(ReadService(json, "services[4]", errors).has_value());
  EXPECT_THAT(errors.errors(), ElementsAre(Error("services[4].fields[0].code", "invalid")));
}

TEST(DepartmentJsonTest, RoundTripsAndChecks) {
  domain::Department department{"waste", "Waste and Recycling"};
  auto back = DepartmentFromJson(DepartmentToJson(department));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, department);

  auto bad = DepartmentFromJson(boost::json::parse(R"({"code": "Waste!", "name": 3, "x": 1})"));
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(
      FieldErrorsOf(bad.status()),
      UnorderedElementsAre(Error("code", "invalid"), Error("name", "type"), Error("x", "unknown")));
  auto blank = DepartmentFromJson(boost::json::parse(R"({"code": "w", "name": "  "})"));
  ASSERT_FALSE(blank.ok());
  EXPECT_THAT(FieldErrorsOf(blank.status()), ElementsAre(Error("name", "required")));
}

TEST(TeamJsonTest, RoundTripsAndChecks) {
  domain::Team team{"waste-collections", "Waste collections", "waste"};
  auto back = TeamFromJson(TeamToJson(team));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, team);

  auto bad = TeamFromJson(boost::json::parse(R"({"code": "t", "name": "T"})"));
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(FieldErrorsOf(bad.status()), ElementsAre(Error("department", "required")));
}

}  // namespace
}  // namespace onestop::codec
