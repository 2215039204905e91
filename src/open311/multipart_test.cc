#include "open311/multipart.h"

#include <random>

#include <gtest/gtest.h>

namespace onestop::open311 {
namespace {

const std::string kBody =
    "preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"service_code\"\r\n\r\npothole\r\n"
    "--XyZ\r\ncontent-disposition: form-data; name=\"description\"\r\n\r\nline1\r\nline2 --XyZ\r\n"
    "--XyZ  \r\nContent-Disposition: form-data; name=\"media\"; filename=\"a;b.jpg\"\r\n"
    "Content-Type: image/jpeg\r\n\r\n\x01\x02\r\n--XyZ--\r\nepilogue";

TEST(MultipartTest, ParsesPartsExactly) {
  auto parts = ParseMultipart(kBody, "XyZ");
  ASSERT_TRUE(parts.ok()) << parts.status();
  ASSERT_EQ(parts->size(), 3u);
  EXPECT_EQ((*parts)[0].name, "service_code");
  EXPECT_EQ((*parts)[0].data, "pothole");
  EXPECT_EQ((*parts)[1].data, "line1\r\nline2 --XyZ");
  EXPECT_TRUE((*parts)[2].has_filename);
  EXPECT_EQ((*parts)[2].filename, "a;b.jpg");
  EXPECT_EQ((*parts)[2].content_type, "image/jpeg");
  EXPECT_EQ((*parts)[2].data, "\x01\x02");
}

TEST(MultipartTest, Boundary) {
  EXPECT_EQ(*MultipartBoundary("multipart/form-data; boundary=abc"), "abc");
  EXPECT_EQ(*MultipartBoundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b;c\""), "a b;c");
  EXPECT_FALSE(MultipartBoundary("multipart/form-data").ok());
  EXPECT_FALSE(MultipartBoundary("multipart/form-data; boundary=").ok());
  EXPECT_FALSE(MultipartBoundary("multipart/form-data; boundary=" + std::string(71, 'a')).ok());
  EXPECT_FALSE(MultipartBoundary("text/plain; boundary=abc").ok());
  EXPECT_FALSE(MultipartBoundary("multipart/form-data; boundary=\"abc").ok());
}

struct BadCase {
  std::string name;
  std::string body;
};
class MultipartBadTest : public ::testing::TestWithParam<BadCase> {};
TEST_P(MultipartBadTest, Rejected) { EXPECT_FALSE(ParseMultipart(GetParam().body, "b").ok()); }
INSTANTIATE_TEST_SUITE_P(
    Table, MultipartBadTest,
    ::testing::Values(
        BadCase{"empty", ""}, BadCase{"no_delimiter", "hello"},
        BadCase{"no_close", "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx"},
        BadCase{"no_crlf_after_delimiter", "--bX\r\n--b--"},
        BadCase{"headers_unterminated", "--b\r\nContent-Disposition: form-data; name=\"a\""},
        BadCase{"no_blank_line", "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n--b--"},
        BadCase{"lf_only", "--b\nContent-Disposition: form-data; name=\"a\"\n\nx\n--b--"},
        BadCase{"no_disposition", "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--"},
        BadCase{"no_name", "--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--"},
        BadCase{"not_form_data", "--b\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--b--"},
        BadCase{"unclosed_quote", "--b\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n--b--"},
        BadCase{"header_without_colon", "--b\r\nbogus\r\n\r\nx\r\n--b--"}),
    [](const auto& info) { return info.param.name; });

TEST(MultipartTest, Limits) {
  std::string many;
  for (int i = 0; i < 5; ++i) many += "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n";
  many += "--b--";
  EXPECT_TRUE(ParseMultipart(many, "b").ok());
  EXPECT_FALSE(ParseMultipart(many, "b", {.max_parts = 4}).ok());
  std::string big = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\nX-Pad: " +
                    std::string(9000, 'p') + "\r\n\r\nx\r\n--b--";
  EXPECT_FALSE(ParseMultipart(big, "b").ok());
}

// Fuzz-ish: every truncation and random byte flips of a valid body must
// neither crash nor read out of bounds (ASan/UBSan builds check that).
TEST(MultipartTest, TruncationsAndMutationsNeverCrash) {
  for (size_t len = 0; len <= kBody.size(); ++len) {
    auto parts = ParseMultipart(std::string_view(kBody).substr(0, len), "XyZ");
    if (len < kBody.size() - 10) { EXPECT_FALSE(parts.ok()) << len; }
  }
  std::mt19937 rng(311);
  for (int round = 0; round < 3000; ++round) {
    std::string body = kBody;
    int flips = 1 + static_cast<int>(rng() % 4);
    for (int f = 0; f < flips; ++f) body[rng() % body.size()] = static_cast<char>(rng() % 256);
    (void)ParseMultipart(body, "XyZ");
  }
}

}  // namespace
}  // namespace onestop::open311
