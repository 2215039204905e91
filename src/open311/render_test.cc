#include "open311/render.h"

#include <gtest/gtest.h>

namespace onestop::open311 {
namespace {

Node Sample() {
  return Node::List("services", {Node::Object("service", {Node::Text("service_code", "a&b"),
                                                          Node::Bool("metadata", true),
                                                          Node::Number("order", "3"),
                                                          Node::Null("lat"),
                                                          Node::List("groups", {Node::Text("group", "G")})})});
}

TEST(RenderTest, XmlAndJsonShareNames) {
  EXPECT_EQ(RenderXml(Sample()),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<services><service><service_code>a&amp;b"
            "</service_code><metadata>true</metadata><order>3</order><lat></lat><groups><group>G"
            "</group></groups></service></services>\n");
  EXPECT_EQ(RenderJson(Sample()),
            R"([{"service_code":"a&b","metadata":true,"order":3,"lat":null,"groups":["G"]}])");
  EXPECT_EQ(RenderJson(Node::Object("x", {Node::List("items")})), R"({"items":[]})");
}

struct SanitizeCase {
  std::string in;
  std::string out;
};
class SanitizeTest : public ::testing::TestWithParam<SanitizeCase> {};
TEST_P(SanitizeTest, KeepsOnlyXmlCharacters) { EXPECT_EQ(SanitizeText(GetParam().in), GetParam().out); }
INSTANTIATE_TEST_SUITE_P(
    Table, SanitizeTest,
    ::testing::Values(SanitizeCase{"plain", "plain"}, SanitizeCase{"tab\tlf\ncr\r", "tab\tlf\ncr\r"},
                      SanitizeCase{std::string("a\x00" "b", 3), "ab"},
                      SanitizeCase{"bell\x07", "bell"}, SanitizeCase{"\xef\xbf\xbe", ""},
                      SanitizeCase{"caf\xc3", "caf\xef\xbf\xbd"},
                      SanitizeCase{"\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"},
                      SanitizeCase{"\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd"},
                      SanitizeCase{"✓ \xf0\x9f\x98\x80", "✓ \xf0\x9f\x98\x80"}));

TEST(RenderTest, XmlEscapesMarkup) {
  std::string xml = RenderXml(Node::Text("d", "<a href='x'>\"&\"</a>]]>\r"));
  EXPECT_NE(xml.find("<d>&lt;a href=&apos;x&apos;&gt;&quot;&amp;&quot;&lt;/a&gt;]]&gt;&#13;</d>"),
            std::string::npos)
      << xml;
}

TEST(RenderTest, Utf8Checks) {
  EXPECT_TRUE(IsValidUtf8("héllo ✓"));
  EXPECT_FALSE(IsValidUtf8("\xff"));
  EXPECT_FALSE(IsValidUtf8("\xe2\x9c"));
  EXPECT_EQ(Utf8Length("é✓a"), 3u);
}

TEST(RenderTest, Formats) {
  Format f;
  EXPECT_TRUE(ParseFormat("xml", &f));
  EXPECT_EQ(f, Format::kXml);
  EXPECT_TRUE(ParseFormat("json", &f));
  EXPECT_EQ(f, Format::kJson);
  EXPECT_FALSE(ParseFormat("html", &f));
  EXPECT_EQ(ContentType(Format::kXml), "text/xml; charset=utf-8");
}

}  // namespace
}  // namespace onestop::open311
