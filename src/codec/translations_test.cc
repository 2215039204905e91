#include "codec/translations.h"

#include <boost/json.hpp>

#include "codec/catalogue.h"
#include "codec/field_error_matchers_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace onestop::codec {
namespace {

using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

domain::Service WelshService() {
  domain::Service s;
  s.code = "missed-bin";
  s.name = "Report a missed bin collection";
  s.description = "Tell us if your bin was not emptied.";
  s.department = "waste";
  s.group = "Bins and recycling";
  s.keywords = {"bin"};
  s.channels = {domain::Channel::kWeb};
  domain::FormField f;
  f.code = "bin_type";
  f.datatype = domain::Datatype::kSingleValueList;
  f.order = 1;
  f.description = "Which bin was missed?";
  f.values = {{"general", "General waste", {{"cy", "Gwastraff cyffredinol"}}}, {"food", "Food"}};
  f.translations["cy"] = {"Pa fin a fethwyd?", ""};
  s.fields = {f};
  s.translations["cy"] = {"Rhoi gwybod am fin heb ei gasglu", "", "Biniau ac ailgylchu",
                          {"bin", "sbwriel"}};
  return s;
}

std::vector<FieldError> ServiceErrors(std::string_view json_text) {
  auto parsed = ServiceFromJson(boost::json::parse(json_text));
  if (parsed.ok()) return {};
  return FieldErrorsOf(parsed.status());
}

TEST(TranslationsTest, ServiceRoundTripsWithEveryLevelOfTranslation) {
  domain::Service original = WelshService();
  boost::json::object json = ServiceToJson(original);
  EXPECT_EQ(json.at("translations").at("cy").at("group"), "Biniau ac ailgylchu");
  EXPECT_EQ(json.at("fields").at(0).at("translations").at("cy").at("description"),
            "Pa fin a fethwyd?");
  EXPECT_EQ(json.at("fields").at(0).at("values").at(0).at("translations").at("cy").at("name"),
            "Gwastraff cyffredinol");
  // Every key, always: no translations is {}.
  EXPECT_EQ(json.at("fields").at(0).at("values").at(1).at("translations"), boost::json::object());
  auto back = ServiceFromJson(json);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, original);
}

TEST(TranslationsTest, ServiceReadsTheCouncilFileShape) {
  auto parsed = ServiceFromJson(boost::json::parse(R"({
    "code": "missed-bin", "name": "Missed bin", "department": "waste",
    "translations": {"cy": {"name": "Bin a fethwyd"}, "pl": {}},
    "fields": [{"code": "bin", "datatype": "singlevaluelist", "description": "Which bin?",
                "translations": {"cy": {"help_text": "Lliw'r caead"}},
                "values": [{"key": "black", "translations": {"cy": {"name": "Du"}}}]}]})"));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(domain::NameIn(*parsed, "cy"), "Bin a fethwyd");
  EXPECT_EQ(domain::NameIn(*parsed, "pl"), "Missed bin");
  EXPECT_EQ(domain::HelpTextIn(parsed->fields[0], "cy"), "Lliw'r caead");
  EXPECT_EQ(domain::DescriptionIn(parsed->fields[0], "cy"), "Which bin?");
  EXPECT_EQ(domain::NameIn(parsed->fields[0].values[0], "cy"), "Du");
  EXPECT_EQ(domain::NameIn(parsed->fields[0].values[0], "en"), "black");
}

TEST(TranslationsTest, ServiceTranslationsAreStrict) {
  EXPECT_THAT(
      ServiceErrors(R"({
        "code": "missed-bin", "name": "Missed bin", "department": "waste",
        "translations": {"Welsh": {"name": "x"}, "cy": {"title": "x", "keywords": "bin"},
                         "pl": "Zgłoś"},
        "fields": [{"code": "bin", "datatype": "singlevaluelist", "description": "Which bin?",
                    "translations": {"cy": {"help": "x"}},
                    "values": [{"key": "black", "translations": {"cy": {"label": "Du"}, "CY": {}}}]}]})"),
      UnorderedElementsAre(Error("translations.Welsh", "invalid"),
                           Error("translations.cy.title", "unknown"),
                           Error("translations.cy.keywords", "type"),
                           Error("translations.pl", "type"),
                           Error("fields[0].translations.cy.help", "unknown"),
                           Error("fields[0].values[0].translations.cy.label", "unknown"),
                           Error("fields[0].values[0].translations.CY", "invalid")));
  EXPECT_THAT(ServiceErrors(R"({"code": "a", "name": "A", "department": "d", "translations": []})"),
              UnorderedElementsAre(Error("translations", "type")));
}

TEST(TranslationsTest, LanguageCodeErrorNamesTheCode) {
  std::vector<FieldError> errors = ServiceErrors(
      R"({"code": "a", "name": "A", "department": "d", "translations": {"cy_GB": {}}})");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].reason, "language_code");
  EXPECT_EQ(errors[0].params, (std::vector<std::pair<std::string, std::string>>{{"code", "cy_GB"}}));
}

TEST(TranslationsTest, DepartmentRoundTripsAndIsStrict) {
  domain::Department department{"waste", "Waste and Recycling", {{"cy", "Gwastraff ac Ailgylchu"}}};
  boost::json::object json = DepartmentToJson(department);
  EXPECT_EQ(json.at("translations").at("cy").at("name"), "Gwastraff ac Ailgylchu");
  auto back = DepartmentFromJson(json);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, department);
  EXPECT_EQ(DepartmentToJson({"waste", "Waste"}).at("translations"), boost::json::object());

  auto bad = DepartmentFromJson(boost::json::parse(
      R"({"code": "waste", "name": "Waste", "translations": {"cy": {"name": 3, "title": "x"}}})"));
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(FieldErrorsOf(bad.status()),
              UnorderedElementsAre(Error("translations.cy.name", "type"),
                                   Error("translations.cy.title", "unknown")));
}

TEST(TranslationsTest, ArticleTranslations) {
  ErrorList errors;
  boost::json::value json = boost::json::parse(
      R"({"translations": {"cy": {"title": "Diwrnodau biniau", "body": "Bob wythnos"}}})");
  ObjectReader in(json, "", errors);
  domain::Translations<domain::ArticleText> out;
  ReadArticleTranslations(in, out);
  in.Finish();
  EXPECT_THAT(errors.errors(), IsEmpty());
  EXPECT_EQ(out, (domain::Translations<domain::ArticleText>{
                     {"cy", {"Diwrnodau biniau", "", "Bob wythnos"}}}));
  boost::json::object written = ArticleTranslationsToJson(out);
  EXPECT_EQ(written.at("cy").at("summary"), "");

  // Absent: unchanged (a PATCH without translations keeps them).
  boost::json::value empty = boost::json::parse("{}");
  ObjectReader none(empty, "", errors);
  ReadArticleTranslations(none, out);
  EXPECT_EQ(out.size(), 1u);

  boost::json::value bad = boost::json::parse(R"({"translations": {"cy": {"heading": "x"}, "x": {}}})");
  ObjectReader bad_in(bad, "articles[3]", errors);
  ReadArticleTranslations(bad_in, out);
  bad_in.Finish();
  EXPECT_THAT(errors.errors(), UnorderedElementsAre(Error("articles[3].translations.cy.heading", "unknown"),
                                                    Error("articles[3].translations.x", "invalid")));
}

}  // namespace
}  // namespace onestop::codec
