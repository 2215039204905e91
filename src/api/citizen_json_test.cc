#include "api/citizen_json.h"

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

domain::Citizen Sample() {
  domain::Citizen c;
  c.id = 7;
  c.title = "Ms";
  c.given_name = "Ada";
  c.family_name = "Lovelace";
  c.phones = {"07700900123"};
  c.emails = {"ada@example.org"};
  c.addresses = {{100023336956, "12 Mill Lane", "", "Leeds", "LS1 1AA"}, {std::nullopt, "1 A St", "Flat 2", "York", "YO1 1AA"}};
  c.preferred_channel = domain::Channel::kEmail;
  c.consent.contact_by_email = true;
  c.created_at = At("2026-11-25T09:30:00Z");
  c.updated_at = At("2026-11-26T09:30:00Z");
  c.version = 2;
  return c;
}

TEST(CitizenJsonTest, RendersEveryField) {
  boost::json::object out = CitizenToJson(Sample());
  EXPECT_EQ(out.at("id").as_int64(), 7);
  EXPECT_EQ(out.at("title").as_string(), "Ms");
  EXPECT_EQ(out.at("given_name").as_string(), "Ada");
  EXPECT_EQ(out.at("family_name").as_string(), "Lovelace");
  EXPECT_EQ(out.at("name").as_string(), Sample().DisplayName());
  EXPECT_EQ(out.at("phones"), Json(R"(["07700900123"])"));
  EXPECT_EQ(out.at("emails"), Json(R"(["ada@example.org"])"));
  EXPECT_EQ(out.at("addresses"),
            Json(R"([{"uprn":100023336956,"line1":"12 Mill Lane","line2":"","town":"Leeds","postcode":"LS1 1AA"},
                     {"uprn":null,"line1":"1 A St","line2":"Flat 2","town":"York","postcode":"YO1 1AA"}])"));
  EXPECT_EQ(out.at("preferred_channel").as_string(), "email");
  EXPECT_EQ(out.at("consent"), Json(R"({"contact_by_email":true,"contact_by_sms":false,
                                        "contact_by_phone":false,"research":false})"));
  EXPECT_TRUE(out.at("merged_into").is_null());
  EXPECT_EQ(out.at("created_at").as_string(), "2026-11-25T09:30:00Z");
  EXPECT_EQ(out.at("updated_at").as_string(), "2026-11-26T09:30:00Z");
  EXPECT_EQ(out.at("version").as_int64(), 2);
  EXPECT_FALSE(out.contains("password_hash"));
}

TEST(CitizenJsonTest, ParsesNewCitizen) {
  auto parsed = NewCitizenFromJson(Json(R"({"title":"Mr","given_name":"Alan","family_name":"Turing",
      "phones":["07700 900 456"],"emails":["A@X.ORG"],
      "addresses":[{"uprn":12,"line1":"2 B Rd","line2":"","town":"Wilmslow","postcode":"sk9 1aa"}],
      "preferred_channel":"sms","consent":{"contact_by_sms":true,"research":true},"channel":"phone"})"));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const domain::Citizen& c = parsed->citizen;
  EXPECT_EQ(c.title, "Mr");
  EXPECT_EQ(c.given_name, "Alan");
  EXPECT_EQ(c.family_name, "Turing");
  EXPECT_EQ(c.phones, std::vector<std::string>{"07700 900 456"});
  EXPECT_EQ(c.emails, std::vector<std::string>{"A@X.ORG"});
  ASSERT_EQ(c.addresses.size(), 1u);
  EXPECT_EQ(c.addresses[0].uprn, 12);
  EXPECT_EQ(c.addresses[0].town, "Wilmslow");
  EXPECT_EQ(c.preferred_channel, domain::Channel::kSms);
  EXPECT_TRUE(c.consent.contact_by_sms);
  EXPECT_TRUE(c.consent.research);
  EXPECT_FALSE(c.consent.contact_by_email);
  EXPECT_EQ(parsed->channel, domain::Channel::kPhone);
}

TEST(CitizenJsonTest, NewCitizenTypeErrors) {
  auto parsed = NewCitizenFromJson(Json(R"({"title":1,"given_name":[],"family_name":{},
      "phones":"0770","emails":[1],"addresses":[{"uprn":"1","line1":2,"line2":3,"town":4,"postcode":5,"x":1}, "flat"],
      "preferred_channel":2,"consent":{"research":"yes","contact_by_email":1,"contact_by_sms":null,
      "contact_by_phone":[],"other":true},"channel":"owl","id":3})"));
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(FieldErrorsOf(parsed.status()),
              UnorderedElementsAre(
                  HasError("title", "type"), HasError("given_name", "type"),
                  HasError("family_name", "type"), HasError("phones", "type"),
                  HasError("emails[0]", "type"), HasError("addresses[0].uprn", "type"),
                  HasError("addresses[0].line1", "type"), HasError("addresses[0].line2", "type"),
                  HasError("addresses[0].town", "type"), HasError("addresses[0].postcode", "type"),
                  HasError("addresses[0].x", "unknown"), HasError("addresses[1]", "type"),
                  HasError("preferred_channel", "type"), HasError("consent.research", "type"),
                  HasError("consent.contact_by_email", "type"),
                  HasError("consent.contact_by_phone", "type"),
                  HasError("consent.other", "unknown"), HasError("channel", "invalid"),
                  HasError("id", "unknown")));
}

TEST(CitizenJsonTest, PatchReplacesOnlyPresentKeys) {
  domain::Citizen c = Sample();
  ASSERT_TRUE(ApplyCitizenPatch(Json(R"({"family_name":"King","phones":[],
      "consent":{"research":true},"preferred_channel":null})"), c).ok());
  EXPECT_EQ(c.family_name, "King");
  EXPECT_EQ(c.given_name, "Ada");
  EXPECT_TRUE(c.phones.empty());
  EXPECT_EQ(c.emails, Sample().emails);
  EXPECT_EQ(c.addresses, Sample().addresses);
  EXPECT_FALSE(c.preferred_channel.has_value());
  EXPECT_TRUE(c.consent.research);
  EXPECT_TRUE(c.consent.contact_by_email);  // untouched
  EXPECT_EQ(c.version, 2);
}

TEST(CitizenJsonTest, FlagsRenderAndPatchKeyByKey) {
  domain::Citizen c = Sample();
  boost::json::object none = CitizenToJson(c).at("flags").as_object();
  EXPECT_EQ(boost::json::value(none), Json(R"({"vulnerable":false,"vulnerability_note":"",
      "interpreter_needed":false,"interpreter_language":"","email_undeliverable":false})"));
  ASSERT_TRUE(ApplyCitizenPatch(Json(R"({"flags":{"interpreter_needed":true,"interpreter_language":"Polish"}})"), c).ok());
  EXPECT_TRUE(c.flags.interpreter_needed);
  EXPECT_EQ(c.flags.interpreter_language, "Polish");
  EXPECT_FALSE(c.flags.vulnerable);
  ASSERT_TRUE(ApplyCitizenPatch(Json(R"({"flags":{"email_undeliverable":true}})"), c).ok());
  EXPECT_EQ(c.flags.interpreter_language, "Polish");  // untouched
  EXPECT_EQ(CitizenToJson(c).at("flags").as_object().at("email_undeliverable"), true);
  absl::Status bad = ApplyCitizenPatch(Json(R"({"flags":{"vulnerable":"yes","vip":true}})"), c);
  EXPECT_THAT(FieldErrorsOf(bad), UnorderedElementsAre(HasError("flags.vulnerable", "type"),
                                                       HasError("flags.vip", "unknown")));
}

TEST(CitizenJsonTest, BadPatchLeavesCitizenAlone) {
  domain::Citizen c = Sample();
  absl::Status status = ApplyCitizenPatch(Json(R"({"family_name":"King","channel":"web","version":3})"), c);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(FieldErrorsOf(status),
              UnorderedElementsAre(HasError("channel", "unknown"), HasError("version", "unknown")));
  EXPECT_EQ(c, Sample());
}

TEST(CitizenJsonTest, Merges) {
  domain::CitizenMerge merge{3, 7, 9, {1, 2}, {5}, 4, At("2026-11-25T09:30:00Z"), std::nullopt,
                             std::nullopt};
  EXPECT_EQ(boost::json::value(MergeToJson(merge)),
            Json(R"({"id":3,"from":7,"into":9,"moved_cases":[1,2],"moved_contacts":[5],
                     "merged_by":4,"merged_at":"2026-11-25T09:30:00Z","reversed_at":null,
                     "reversed_by":null})"));
  auto parsed = MergeRequestFromJson(Json(R"({"from":7,"into":9})"));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->from, 7);
  EXPECT_EQ(parsed->into, 9);
  auto bad = MergeRequestFromJson(Json(R"({"from":"7","into":0,"why":1})"));
  EXPECT_THAT(FieldErrorsOf(bad.status()),
              UnorderedElementsAre(HasError("from", "type"), HasError("into", "invalid"),
                                   HasError("why", "unknown")));
}

TEST(CitizenJsonTest, TimelineEntries) {
  domain::Contact contact;
  contact.id = 1;
  contact.at = At("2026-11-25T09:30:00Z");
  services::TimelineEntry entry{contact.at, contact};
  boost::json::object out = TimelineEntryToJson(entry, nullptr);
  EXPECT_EQ(out.at("kind").as_string(), "contact");
  EXPECT_EQ(out.at("at").as_string(), "2026-11-25T09:30:00Z");
  EXPECT_EQ(out.at("contact").at("id").as_int64(), 1);

  domain::Case c;
  c.id = 2;
  c.service_code = "s";
  c.values = {{"n", {"3"}}};
  domain::Service service;
  service.code = "s";
  domain::FormField field;
  field.code = "n";
  field.datatype = domain::Datatype::kNumber;
  service.fields = {field};
  out = TimelineEntryToJson({c.created_at, c},
                            [&](const std::string& code) { return code == "s" ? &service : nullptr; });
  EXPECT_EQ(out.at("kind").as_string(), "case");
  EXPECT_EQ(out.at("case").at("values").at("n").as_int64(), 3);

  domain::Event event;
  event.seq = 10;
  event.type = "case.updated";
  out = TimelineEntryToJson({event.at, event}, nullptr);
  EXPECT_EQ(out.at("kind").as_string(), "event");
  EXPECT_EQ(out.at("event").at("seq").as_int64(), 10);
}

}  // namespace
}  // namespace onestop::api
