#include "domain/call_recording.h"

#include "gtest/gtest.h"

namespace onestop::domain {
namespace {

TEST(CallRecordingTest, PathsStayInsideTheRecordingsDirectory) {
  EXPECT_TRUE(ValidRecordingPath("2026/12/07/call-123.wav"));
  EXPECT_TRUE(ValidRecordingPath("a.wav"));
  EXPECT_FALSE(ValidRecordingPath(""));
  EXPECT_FALSE(ValidRecordingPath("/etc/passwd"));
  EXPECT_FALSE(ValidRecordingPath("../secret.wav"));
  EXPECT_FALSE(ValidRecordingPath("2026/../../x.wav"));
  EXPECT_FALSE(ValidRecordingPath("2026//x.wav"));
  EXPECT_FALSE(ValidRecordingPath("2026/./x.wav"));
  EXPECT_FALSE(ValidRecordingPath("x.wav/"));
  EXPECT_FALSE(ValidRecordingPath("a b.wav"));
  EXPECT_FALSE(ValidRecordingPath(std::string(256, 'a')));
}

TEST(CallRecordingTest, DeleteAfterCountsWholeDays) {
  const absl::Time t = absl::FromUnixSeconds(1795000000);
  EXPECT_EQ(RecordingDeleteAfter(t, 90), t + absl::Hours(24 * 90));
}

}  // namespace
}  // namespace onestop::domain
