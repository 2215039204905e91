#include "markdown/markdown.h"

#include <gtest/gtest.h>

namespace onestop::markdown {
namespace {

TEST(Markdown, RendersCommonMarkAndTables) {
  std::string html = RenderMarkdown("# Bin days\n\n**Every** other week.\n\n| Band | £ |\n|---|---|\n| A | 1,234 |\n");
  EXPECT_NE(html.find("<h1>Bin days</h1>"), std::string::npos) << html;
  EXPECT_NE(html.find("<strong>Every</strong>"), std::string::npos);
  EXPECT_NE(html.find("<table>"), std::string::npos);
  EXPECT_TRUE(IsSanitisedHtml(html));
}

TEST(Markdown, DropsRawHtmlAndUnsafeLinks) {
  std::string html = RenderMarkdown(
      "Hello <script>alert(1)</script> <img src=x onerror=alert(1)>\n\n"
      "<div onclick=\"x()\">block</div>\n\n[click](javascript:alert(1)) [ok](https://example.org)");
  EXPECT_EQ(html.find("<script"), std::string::npos) << html;
  EXPECT_EQ(html.find("onerror"), std::string::npos) << html;
  EXPECT_EQ(html.find("onclick"), std::string::npos) << html;
  EXPECT_EQ(html.find("javascript:"), std::string::npos) << html;
  EXPECT_NE(html.find("href=\"https://example.org\""), std::string::npos) << html;
  EXPECT_TRUE(IsSanitisedHtml(html));
}

TEST(Markdown, SanitiserRejectsForeignTags) {
  EXPECT_FALSE(IsSanitisedHtml("<p>x</p><script>bad()</script>"));
  EXPECT_FALSE(IsSanitisedHtml("<a href=\"#\" onclick=\"x\">y</a>"));
  EXPECT_TRUE(IsSanitisedHtml("<p><a href=\"https://x\">y</a></p>"));
}

TEST(Markdown, PlainText) {
  EXPECT_EQ(MarkdownToText("# Title\n\nSome *text*."), "Title\n\nSome text.\n");
}

}  // namespace
}  // namespace onestop::markdown
