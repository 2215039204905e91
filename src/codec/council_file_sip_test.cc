// The staff "sip" entry of the council file (docs/catalogue-format.md, "Staff
// phone extension"): read into DemoStaff, extension format and uniqueness
// checked with the whole file.
#include <string>
#include <vector>

#include "codec/council_file.h"
#include "codec/field_error_matchers_test_util.h"
#include "common/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace onestop::codec {
namespace {

using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

std::string FileWithStaff(const std::string& staff) {
  return R"({"name": "T", "departments": [{"code": "cs", "name": "CS"}], "staff": [)" + staff +
         "]}";
}

std::vector<FieldError> ErrorsFor(const std::string& text) {
  auto parsed = ParseCouncilFile(text);
  if (parsed.ok()) return {};
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  return FieldErrorsOf(parsed.status());
}

TEST(CouncilFileSipTest, ReadsTheExtensionAndPassword) {
  auto file = ParseCouncilFile(FileWithStaff(
      R"({"email": "a@example.org", "display_name": "A", "role": "agent", "password": "p",
          "sip": {"extension": "1001", "password": "phone-pw-1"}},
         {"email": "b@example.org", "display_name": "B", "role": "agent", "password": "p"})"));
  ASSERT_TRUE(file.ok()) << file.status();
  ASSERT_EQ(file->staff.size(), 2u);
  EXPECT_EQ(file->staff[0].sip_extension, "1001");
  EXPECT_EQ(file->staff[0].sip_password, "phone-pw-1");
  EXPECT_EQ(file->staff[1].sip_extension, "");
  EXPECT_EQ(file->staff[1].sip_password, "");
}

TEST(CouncilFileSipTest, ReportsBadAndDuplicateExtensions) {
  auto errors = ErrorsFor(FileWithStaff(
      R"({"email": "a@example.org", "display_name": "A", "role": "agent", "password": "p",
          "sip": {"extension": "1001", "password": "phone-pw-1"}},
         {"email": "b@example.org", "display_name": "B", "role": "agent", "password": "p",
          "sip": {"extension": "1001", "password": "phone-pw-2"}},
         {"email": "c@example.org", "display_name": "C", "role": "agent", "password": "p",
          "sip": {"extension": "1a", "password": ""}},
         {"email": "d@example.org", "display_name": "D", "role": "agent", "password": "p",
          "sip": {"extension": "123456789", "pin": "1"}})"));
  EXPECT_THAT(errors, UnorderedElementsAre(Error("staff[1].sip.extension", "duplicate"),
                                           Error("staff[2].sip.extension", "invalid"),
                                           Error("staff[2].sip.password", "required"),
                                           Error("staff[3].sip.extension", "invalid"),
                                           Error("staff[3].sip.password", "required"),
                                           Error("staff[3].sip.pin", "unknown")));
}

TEST(CouncilFileSipTest, TwoDigitExtensionIsAccepted) {
  EXPECT_THAT(ErrorsFor(FileWithStaff(
                  R"({"email": "a@example.org", "display_name": "A", "role": "agent",
                      "password": "p", "sip": {"extension": "10", "password": "x"}})")),
              IsEmpty());
}

}  // namespace
}  // namespace onestop::codec
