#include "i18n/field_errors.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "i18n/translator.h"

namespace onestop::i18n {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

std::string English(const FieldError& error) {
  return FieldErrorText(error, Catalogs::Default().English());
}

TEST(FieldErrorTextTest, EnglishWordsForKnownReasons) {
  EXPECT_EQ(English({"location.postcode", "invalid", "postcode_format", {}}),
            "Enter a real postcode, like SW1A 1AA");
  EXPECT_EQ(English({"addresses[0].uprn", "invalid", "uprn_digits", {}}),
            "A UPRN is a number of up to 12 digits");
  EXPECT_EQ(English({"values.bins", "required", "answer_required", {}}), "Answer this question");
  EXPECT_EQ(English({"values.count", "invalid", "number_format", {}}),
            "Enter a number, like 12 or 3.5");
}

TEST(FieldErrorTextTest, ParamsFillThePlaceholders) {
  EXPECT_EQ(English({"summary", "invalid", "summary_length", Params{{"min", "1"}, {"max", "200"}}}),
            "Summary must be 1 to 200 characters");
  EXPECT_EQ(English({"values.bin", "not_allowed", "not_a_choice", Params{{"value", "purple"}}}),
            "'purple' is not one of the choices");
  // Order of params does not matter; a param the text does not use is ignored.
  EXPECT_EQ(English({"summary", "invalid", "summary_length",
                     Params{{"max", "200"}, {"extra", "x"}, {"min", "1"}}}),
            "Summary must be 1 to 200 characters");
}

TEST(FieldErrorTextTest, JsonKindsArePutIntoWords) {
  EXPECT_EQ(
      English({"s", "type", "wrong_type", Params{{"expected", "string"}, {"found", "integer"}}}),
      "Expected a string, found an integer");
  EXPECT_EQ(English({"b", "type", "wrong_type",
                     Params{{"expected", "true_or_false"}, {"found", "nothing"}}}),
            "Expected true or false, found nothing");
  EXPECT_EQ(English({"values.bags", "type", "expected_type", Params{{"expected", "number"}}}),
            "Expected a number");
}

TEST(FieldErrorTextTest, UnknownReasonFallsBackByCode) {
  EXPECT_EQ(FieldErrorMessageId("no_such_reason"), nullptr);
  EXPECT_EQ(English({"x", "required", "no_such_reason", {}}), "Answer this question");
  EXPECT_EQ(English({"x", "too_long", "no_such_reason", Params{{"max", "3"}}}),
            "The answer is too long");
  EXPECT_EQ(English({"x", "invalid", "no_such_reason", {}}), "Check this answer");
  EXPECT_EQ(English({"x", "", "", {}}), "Check this answer");
}

TEST(FieldErrorTextTest, WelshWhereTheCatalogueHasIt) {
  const Catalogs& catalogs = Catalogs::Default();
  ASSERT_TRUE(catalogs.Supports("cy"));
  const Translator& cy = catalogs.Get("cy");
  const std::string postcode = FieldErrorText({"postcode", "invalid", "postcode_format", {}}, cy);
  EXPECT_NE(postcode, "Enter a real postcode, like SW1A 1AA");
  EXPECT_NE(postcode.find("SW1A 1AA"), std::string::npos);
  const std::string length = FieldErrorText(
      {"summary", "invalid", "summary_length", Params{{"min", "1"}, {"max", "200"}}}, cy);
  EXPECT_NE(length.find("200"), std::string::npos);
  EXPECT_EQ(length.find('{'), std::string::npos);
  EXPECT_NE(FieldErrorText({"x", "invalid", "no_such_reason", {}}, cy), "Check this answer");
}

TEST(FieldErrorTextTest, TheWelshCatalogueHasTheTablesMessages) {
  const Translator& cy = Catalogs::Default().Get("cy");
  for (const char* reason : {"postcode_format", "answer_required", "json_syntax", "unknown_key",
                             "open311_param_required", "contrast"}) {
    const char* msgid = FieldErrorMessageId(reason);
    ASSERT_NE(msgid, nullptr) << reason;
    EXPECT_TRUE(cy.Has(msgid)) << reason;
  }
}

TEST(FieldErrorTextTest, TheWordsTravelThroughAStatus) {
  absl::Status status = InvalidFields(
      "developer summary", {{"phones[1]", "invalid", "phone_format", {}},
                            {"title", "too_long", "title_length", Params{{"max", "200"}}}});
  std::vector<FieldError> errors = FieldErrorsOf(status);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(English(errors[0]), "Enter a telephone number, like 01632 960 001 or 07700 900 982");
  EXPECT_EQ(English(errors[1]), "Title must be at most 200 characters");
}

}  // namespace
}  // namespace onestop::i18n
