#include "http/request_id.h"

#include "gtest/gtest.h"

namespace onestop::http {
namespace {

TEST(RequestIdTest, KeepsSaneClientIdsAndReplacesOthers) {
  EXPECT_EQ(ChooseRequestId("abc-123_x.y"), "abc-123_x.y");
  const std::string too_long(65, 'a');
  for (std::string_view bad : {std::string_view(""), std::string_view("has space"),
                               std::string_view("quote\""), std::string_view(too_long)}) {
    std::string id = ChooseRequestId(bad);
    EXPECT_EQ(id.size(), 16u) << bad;
    EXPECT_NE(id, bad);
  }
  EXPECT_NE(ChooseRequestId(""), ChooseRequestId(""));
}

TEST(RequestIdTest, ServerOwnsFramingHeaders) {
  EXPECT_TRUE(IsServerOwnedHeader("content-length"));
  EXPECT_TRUE(IsServerOwnedHeader("Transfer-Encoding"));
  EXPECT_FALSE(IsServerOwnedHeader("ETag"));
}

}  // namespace
}  // namespace onestop::http
