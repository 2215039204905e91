#include "domain/form_validation.h"

#include <string>
#include <vector>

#include "common/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace onestop::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

FormField MakeField(std::string code, Datatype datatype, bool required = false,
                    std::vector<AllowedValue> values = {}) {
  FormField f;
  f.code = std::move(code);
  f.datatype = datatype;
  f.required = required;
  f.values = std::move(values);
  return f;
}

// One optional field of each datatype, plus one required string.
Service MakeService() {
  Service s;
  s.code = "missed-bin";
  s.name = "Report a missed bin";
  s.department = "waste";
  std::vector<AllowedValue> bins = {
      {"black", "Black bin"}, {"blue", "Blue bin"}, {"green", "Garden"}};
  s.fields = {
      MakeField("where", Datatype::kString, /*required=*/true),
      MakeField("notes", Datatype::kText),
      MakeField("count", Datatype::kNumber),
      MakeField("when", Datatype::kDatetime),
      MakeField("bin_type", Datatype::kSingleValueList, false, bins),
      MakeField("bins", Datatype::kMultiValueList, false, bins),
  };
  return s;
}

// Errors of a failed validation as (field, code) strings "values.x:code".
std::vector<std::string> Errors(const absl::StatusOr<FormValues>& result) {
  std::vector<std::string> out;
  if (result.ok()) return out;
  for (const FieldError& e : FieldErrorsOf(result.status())) {
    EXPECT_FALSE(e.reason.empty());
    out.push_back(e.field + ":" + e.code);
  }
  return out;
}

// `code`'s values plus an answer to the required "where" (unless that is `code`).
FormValues WithRequired(const std::string& code, std::vector<std::string> values) {
  FormValues input = {{code, std::move(values)}};
  input.emplace("where", std::vector<std::string>{"outside number 4"});
  return input;
}

// Validates `code`'s values and returns their canonical form.
absl::StatusOr<std::vector<std::string>> One(std::string code, std::vector<std::string> values) {
  FormValues input = WithRequired(code, std::move(values));
  absl::StatusOr<FormValues> result = ValidateFormValues(MakeService(), input);
  if (!result.ok()) return result.status();
  auto it = result->find(code);
  if (it == result->end()) return std::vector<std::string>{};
  return it->second;
}

void ExpectCanonical(std::string code, std::string raw, std::string canonical) {
  absl::StatusOr<std::vector<std::string>> got = One(code, {raw});
  ASSERT_TRUE(got.ok()) << code << "='" << raw << "': " << got.status();
  EXPECT_THAT(*got, ElementsAre(canonical)) << code << "='" << raw << "'";
}

void ExpectError(std::string code, std::vector<std::string> raw, std::string error) {
  absl::StatusOr<FormValues> result = ValidateFormValues(MakeService(), WithRequired(code, raw));
  ASSERT_FALSE(result.ok()) << code << "='" << (raw.empty() ? "" : raw[0]) << "'";
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Errors(result), ElementsAre("values." + code + ":" + error))
      << code << "='" << (raw.empty() ? "" : raw[0]) << "'";
}

TEST(FormValidationTest, ValidAnswersComeBackCanonical) {
  FormValues input = {
      {"where", {"  outside number 4 "}},
      {"notes", {"Bin was out by 7am.\nCrew drove past.\tTwice."}},
      {"count", {"+2.50"}},
      {"when", {"2026-11-25T09:30:00+01:00"}},
      {"bin_type", {"blue"}},
      {"bins", {"green", "black", "green"}},
  };
  absl::StatusOr<FormValues> result = ValidateFormValues(MakeService(), input);
  ASSERT_TRUE(result.ok()) << result.status();
  FormValues expected = {
      {"where", {"outside number 4"}},
      {"notes", {"Bin was out by 7am.\nCrew drove past.\tTwice."}},
      {"count", {"2.5"}},
      {"when", {"2026-11-25T08:30:00Z"}},
      {"bin_type", {"blue"}},
      {"bins", {"green", "black"}},
  };
  EXPECT_EQ(*result, expected);
}

TEST(FormValidationTest, UnknownField) {
  absl::StatusOr<FormValues> result =
      ValidateFormValues(MakeService(), {{"where", {"here"}}, {"colour", {"red"}}, {"x", {}}});
  EXPECT_THAT(Errors(result), UnorderedElementsAre("values.colour:unknown", "values.x:unknown"));
}

TEST(FormValidationTest, RequiredMissingOrBlank) {
  EXPECT_THAT(Errors(ValidateFormValues(MakeService(), {})), ElementsAre("values.where:required"));
  for (std::vector<std::string> blank :
       std::vector<std::vector<std::string>>{{}, {""}, {"   "}, {" \t\r\n"}, {"", "  "}}) {
    EXPECT_THAT(Errors(ValidateFormValues(MakeService(), {{"where", blank}})),
                ElementsAre("values.where:required"));
  }
  // Required list fields too.
  Service s = MakeService();
  s.fields[4].required = true;
  s.fields[5].required = true;
  EXPECT_THAT(Errors(ValidateFormValues(s, {{"where", {"x"}}, {"bins", {""}}})),
              ElementsAre("values.bin_type:required", "values.bins:required"));
}

TEST(FormValidationTest, BlankOptionalValuesAreDropped) {
  absl::StatusOr<FormValues> result =
      ValidateFormValues(MakeService(), {{"where", {"here"}},
                                         {"notes", {"  "}},
                                         {"count", {""}},
                                         {"when", {}},
                                         {"bin_type", {" "}},
                                         {"bins", {"", "blue", " "}}});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(*result, (FormValues{{"where", {"here"}}, {"bins", {"blue"}}}));
}

TEST(FormValidationTest, MoreThanOneValueForASingleValuedField) {
  ExpectError("where", {"a", "b"}, "invalid");
  ExpectError("notes", {"a", "b"}, "invalid");
  ExpectError("count", {"1", "2"}, "invalid");
  ExpectError("when", {"2026-01-01", "2026-01-02"}, "invalid");
  ExpectError("bin_type", {"black", "blue"}, "invalid");
  // A blank second value is dropped, not counted.
  ExpectCanonical("bin_type", "black", "black");
  EXPECT_THAT(*One("bin_type", {"black", " "}), ElementsAre("black"));
}

TEST(FormValidationTest, StringLengthAndCharacters) {
  ExpectCanonical("where", std::string(1000, 'x'), std::string(1000, 'x'));
  ExpectError("where", {std::string(1001, 'x')}, "too_long");
  // Characters, not bytes.
  std::string pounds;
  for (int i = 0; i < 1000; ++i) pounds += "\xC2\xA3";  // £
  FormValues input = {{"where", {pounds}}};
  EXPECT_TRUE(ValidateFormValues(MakeService(), input).ok());
  // One line of text: no control characters at all.
  for (std::string bad : std::vector<std::string>{"two\nlines", "tab\there", "bell\a",
                                                  std::string("nul\0x", 5), "del\x7f"}) {
    EXPECT_THAT(Errors(ValidateFormValues(MakeService(), {{"where", {bad}}})),
                ElementsAre("values.where:invalid"))
        << bad;
  }
  // Not UTF-8.
  for (std::string bad : {"\xC3", "caf\xE9", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80"}) {
    EXPECT_THAT(Errors(ValidateFormValues(MakeService(), {{"where", {bad}}})),
                ElementsAre("values.where:invalid"));
  }
  FormValues emoji = {{"where", {"bins \xF0\x9F\x97\x91 missed"}}};
  EXPECT_TRUE(ValidateFormValues(MakeService(), emoji).ok());
}

TEST(FormValidationTest, ErrorsCarryReasonsAndParametersNotWords) {
  auto result = ValidateFormValues(
      MakeService(), {{"where", {std::string(1001, 'x')}}, {"bin_type", {"purple"}}});
  ASSERT_FALSE(result.ok());
  using Params = std::vector<std::pair<std::string, std::string>>;
  EXPECT_THAT(FieldErrorsOf(result.status()),
              UnorderedElementsAre(
                  FieldError{"values.where", "too_long", "answer_length", Params{{"max", "1000"}}},
                  FieldError{"values.bin_type", "not_allowed", "not_a_choice",
                             Params{{"value", "purple"}}}));
}

TEST(FormValidationTest, TextLengthAndCharacters) {
  ExpectCanonical("notes", std::string(10000, 'x'), std::string(10000, 'x'));
  ExpectError("notes", {std::string(10001, 'x')}, "too_long");
  ExpectCanonical("notes", "line one\r\nline two\tend", "line one\r\nline two\tend");
  ExpectError("notes", {"bell\a"}, "invalid");
  ExpectError("notes", {std::string("nul\0x", 5)}, "invalid");
  ExpectError("notes", {"esc\x1b[31m"}, "invalid");
  ExpectError("notes", {"\xFF\xFE"}, "invalid");
}

TEST(FormValidationTest, Numbers) {
  ExpectCanonical("count", "0", "0");
  ExpectCanonical("count", "42", "42");
  ExpectCanonical("count", "+42", "42");
  ExpectCanonical("count", "-42", "-42");
  ExpectCanonical("count", "3.14", "3.14");
  ExpectCanonical("count", "3.1400", "3.14");
  ExpectCanonical("count", "3.000", "3");
  ExpectCanonical("count", "+0.0", "0");
  ExpectCanonical("count", "-2.50", "-2.5");
  ExpectCanonical("count", "  7 ", "7");
  ExpectCanonical("count", "007", "007");  // only '+' and fraction zeros are stripped
  ExpectCanonical("count", "100", "100");  // integer zeros are not fraction zeros
  for (std::string bad : std::vector<std::string>{"abc", "1e5", "1E5", "1,000", "1.2.3", ".5", "5.",
                                                  "+", "-", "--1", "+-1", "1 000", "0x10", "NaN",
                                                  "inf", "\xD9\xA3", std::string(65, '1')}) {
    ExpectError("count", {bad}, "invalid");
  }
}

TEST(FormValidationTest, Datetimes) {
  ExpectCanonical("when", "2026-11-25T09:30:00Z", "2026-11-25T09:30:00Z");
  ExpectCanonical("when", "2026-11-25t09:30:00z", "2026-11-25T09:30:00Z");
  ExpectCanonical("when", "2026-11-25T09:30:00+00:00", "2026-11-25T09:30:00Z");
  ExpectCanonical("when", "2026-07-01T10:30:00+01:00", "2026-07-01T09:30:00Z");
  ExpectCanonical("when", "2026-11-25T20:00:00-05:30", "2026-11-26T01:30:00Z");
  ExpectCanonical("when", "2026-01-01T00:30:00+01:00", "2025-12-31T23:30:00Z");
  ExpectCanonical("when", "2026-11-25T09:30:00.250Z", "2026-11-25T09:30:00.25Z");
  ExpectCanonical("when", "2026-11-25T09:30:00.000Z", "2026-11-25T09:30:00Z");
  ExpectCanonical("when", "2024-02-29T12:00:00Z", "2024-02-29T12:00:00Z");
  // Plain dates stay plain.
  ExpectCanonical("when", "2026-11-25", "2026-11-25");
  ExpectCanonical("when", "2024-02-29", "2024-02-29");
  for (std::string bad : {
           "2026-11-25T09:30:00",   // no offset
           "2026-11-25 09:30:00Z",  // space instead of T
           "2026-11-25T09:30Z",     // no seconds
           "2026-11-25T24:00:00Z",  // hour 24
           "2026-11-25T09:60:00Z",  // minute 60
           "2026-11-25T09:30:60Z",  // leap second
           "2026-02-29T09:30:00Z",  // not a leap year
           "2026-02-30",            // no such day
           "2026-13-01",            // no such month
           "2026-00-10",
           "2026-1-5",  // not zero-padded
           "26-11-25",
           "25/11/2026",
           "2026-11-25T09:30:00+0100",         // offset without colon
           "2026-11-25T09:30:00+24:00",        // offset out of range
           "2026-11-25T09:30:00.Z",            // empty fraction
           "2026-11-25T09:30:00.1234567890Z",  // more than nanoseconds
           "2026-11-25T09:30:00Zjunk",
           "tomorrow",
           "12026-11-25",
       }) {
    ExpectError("when", {bad}, "invalid");
  }
}

TEST(FormValidationTest, SingleValueList) {
  ExpectCanonical("bin_type", "green", "green");
  ExpectCanonical("bin_type", " green ", "green");
  ExpectError("bin_type", {"purple"}, "not_allowed");
  ExpectError("bin_type", {"Green"}, "not_allowed");   // keys are exact
  ExpectError("bin_type", {"Garden"}, "not_allowed");  // the label is not the key
}

TEST(FormValidationTest, MultiValueList) {
  EXPECT_THAT(*One("bins", {"blue"}), ElementsAre("blue"));
  EXPECT_THAT(*One("bins", {"blue", "black", "blue", "green", "black"}),
              ElementsAre("blue", "black", "green"));
  EXPECT_THAT(*One("bins", {"blue", " blue "}), ElementsAre("blue"));
  ExpectError("bins", {"blue", "purple"}, "not_allowed");
}

TEST(FormValidationTest, AllErrorsTogether) {
  FormValues input = {
      {"notes", {std::string(10001, 'n')}},
      {"count", {"ten"}},
      {"when", {"yesterday"}},
      {"bin_type", {"red"}},
      {"bins", {"blue", "red"}},
      {"extra", {"1"}},
  };
  absl::StatusOr<FormValues> result = ValidateFormValues(MakeService(), input);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Errors(result),
              ElementsAre("values.where:required", "values.notes:too_long", "values.count:invalid",
                          "values.when:invalid", "values.bin_type:not_allowed",
                          "values.bins:not_allowed", "values.extra:unknown"));
}

TEST(FormValidationTest, ServiceWithoutFields) {
  Service s;
  s.code = "info";
  absl::StatusOr<FormValues> result = ValidateFormValues(s, {});
  ASSERT_TRUE(result.ok());
  EXPECT_THAT(*result, IsEmpty());
  EXPECT_THAT(Errors(ValidateFormValues(s, {{"anything", {"x"}}})),
              ElementsAre("values.anything:unknown"));
}

}  // namespace
}  // namespace onestop::domain
