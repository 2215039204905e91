#include "common/status.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace onestop {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

TEST(FieldErrorsTest, RoundTripThroughTheStatusPayload) {
  std::vector<FieldError> errors = {
      {"summary", "invalid", "summary_length", Params{{"min", "1"}, {"max", "200"}}},
      {"given_name", "required", "citizen_name_required", {}},
      {"", "syntax", "json_syntax", Params{{"line", "2"}, {"detail", ""}}},
  };
  absl::Status status = InvalidFields("The details are not valid", errors);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "The details are not valid");
  EXPECT_EQ(FieldErrorsOf(status), errors);
}

TEST(FieldErrorsTest, SeparatorsInsideValuesDoNotBreakTheEncoding) {
  absl::Status status = InvalidFields(
      "x", {{"a\nb", "invalid", "not_one_of", Params{{"value", "x\x1fy\x1ez\x1d"}, {"k=v", "a b"}}},
            {"next", "required", "answer_required", {}}});
  std::vector<FieldError> errors = FieldErrorsOf(status);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].field, "a b");
  EXPECT_EQ(errors[0].params, (Params{{"value", "x y z "}, {"k=v", "a b"}}));
  EXPECT_EQ(errors[1].reason, "answer_required");
}

TEST(FieldErrorsTest, NoneOnAPlainStatus) {
  EXPECT_TRUE(FieldErrorsOf(absl::InvalidArgumentError("plain")).empty());
  EXPECT_TRUE(FieldErrorsOf(absl::OkStatus()).empty());
}

}  // namespace
}  // namespace onestop
