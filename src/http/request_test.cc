#include "http/request.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace onestop::http {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

TEST(UrlDecodeTest, DecodesEscapes) {
  EXPECT_EQ(*UrlDecode("a%20b%2Fc"), "a b/c");
  EXPECT_EQ(*UrlDecode("%e2%82%ac"), "\xe2\x82\xac");
  EXPECT_EQ(*UrlDecode(""), "");
}

TEST(UrlDecodeTest, PlusIsSpaceOnlyInFormMode) {
  EXPECT_EQ(*UrlDecode("a+b"), "a+b");
  EXPECT_EQ(*UrlDecode("a+b", /*plus_as_space=*/true), "a b");
  EXPECT_EQ(*UrlDecode("a%2Bb", /*plus_as_space=*/true), "a+b");
}

TEST(UrlDecodeTest, RejectsBadEscapes) {
  EXPECT_EQ(UrlDecode("%").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(UrlDecode("abc%2").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(UrlDecode("%zz").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(UrlDecode("%g1").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(UrlEncodeTest, RoundTrips) {
  std::string text = "Flat 2/3, 10 High St & Co. £5+";
  EXPECT_EQ(UrlEncode("a b/c"), "a%20b%2Fc");
  EXPECT_EQ(*UrlDecode(UrlEncode(text)), text);
}

TEST(ParseQueryTest, ParsesPairsInOrder) {
  auto parsed = ParseQuery("status=open&q=bin+collection&empty=&flag&&x=%26");
  ASSERT_TRUE(parsed.ok());
  EXPECT_THAT(*parsed, ElementsAre(Pair("status", "open"), Pair("q", "bin collection"),
                                   Pair("empty", ""), Pair("flag", ""), Pair("x", "&")));
}

TEST(ParseQueryTest, KeepsEqualsInValue) {
  EXPECT_THAT(*ParseQuery("token=a=b"), ElementsAre(Pair("token", "a=b")));
}

TEST(ParseQueryTest, RejectsBadEscape) {
  EXPECT_FALSE(ParseQuery("a=%zz").ok());
  EXPECT_FALSE(ParseQuery("a%=1").ok());
  EXPECT_TRUE(ParseQuery("").ok());
}

TEST(RequestTest, SetTargetSplitsPathAndQuery) {
  Request req;
  ASSERT_TRUE(req.SetTarget("/api/v1/cases/AB%2012?status=open&status=closed&q=a+b").ok());
  EXPECT_EQ(req.path, "/api/v1/cases/AB 12");
  EXPECT_EQ(req.query, "status=open&status=closed&q=a+b");
  EXPECT_EQ(req.QueryParam("status"), "open");
  EXPECT_EQ(req.QueryParam("q"), "a b");
  EXPECT_EQ(req.QueryParam("missing"), std::nullopt);
  EXPECT_THAT(req.QueryParams("status"), ElementsAre("open", "closed"));
  EXPECT_TRUE(req.HasDuplicateQueryParam());
}

TEST(RequestTest, SetTargetRejectsBadTargets) {
  Request req;
  EXPECT_FALSE(req.SetTarget("http://example.com/").ok());
  EXPECT_FALSE(req.SetTarget("").ok());
  EXPECT_FALSE(req.SetTarget("/a%zz").ok());
  EXPECT_FALSE(req.SetTarget("/a?b=%").ok());
}

TEST(RequestTest, NoDuplicates) {
  Request req;
  ASSERT_TRUE(req.SetTarget("/x?a=1&b=2").ok());
  EXPECT_FALSE(req.HasDuplicateQueryParam());
}

TEST(RequestTest, HeaderLookupIgnoresCase) {
  Request req;
  req.headers = {{"Content-Type", "text/plain"}, {"X-Thing", "1"}, {"x-thing", "2"}};
  EXPECT_EQ(req.Header("content-type"), "text/plain");
  EXPECT_EQ(req.Header("X-THING"), "1");
  EXPECT_EQ(req.Header("Accept"), std::nullopt);
}

TEST(ResponseTest, SetHeaderReplaces) {
  Response res;
  res.SetHeader("Cache-Control", "no-store");
  res.SetHeader("cache-control", "max-age=1");
  ASSERT_EQ(res.headers.size(), 1u);
  EXPECT_EQ(res.Header("CACHE-CONTROL"), "max-age=1");
}

TEST(ProblemResponseTest, BuildsProblemJson) {
  Response res = ProblemResponse(413, "Body \"too\" big");
  EXPECT_EQ(res.status, 413);
  EXPECT_EQ(res.content_type, "application/problem+json");
  EXPECT_EQ(res.body,
            R"({"type":"about:blank","title":"Payload Too Large","status":413,"detail":"Body \"too\" big"})");
}

TEST(JsonEscapeTest, EscapesControlCharacters) {
  EXPECT_EQ(JsonEscape("a\"b\\c\nd\x01"), "a\\\"b\\\\c\\nd\\u0001");
}

}  // namespace
}  // namespace onestop::http
