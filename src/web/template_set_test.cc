#include "web/template_set.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace onestop::web {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class TemplateSetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("onestop-theme-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void Write(const std::string& rel, const std::string& text) {
    std::filesystem::create_directories((dir_ / rel).parent_path());
    std::ofstream(dir_ / rel) << text;
  }
  const i18n::Catalogs& catalogs() { return i18n::Catalogs::Default(); }
  std::filesystem::path dir_;
};

TEST_F(TemplateSetTest, CompiledInTemplatesRenderInEachLanguage) {
  auto set = TemplateSet::Load(catalogs(), "");
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_TRUE((*set)->Has("home"));
  EXPECT_TRUE((*set)->Has("_field"));
  EXPECT_FALSE((*set)->Has("nonsense"));
  View v;
  v.Set("site_name", "Fairhaven");
  const std::string english = (*set)->Render("home", v, catalogs().English());
  const std::string welsh = (*set)->Render("home", v, catalogs().Get("cy"));
  EXPECT_THAT(english, HasSubstr("Search services and guidance"));
  EXPECT_THAT(welsh, Not(HasSubstr("Search services and guidance")));
  EXPECT_THAT(welsh, HasSubstr(catalogs().Get("cy")("Search services and guidance")));
  // The markers never reach the page.
  EXPECT_THAT(english, Not(HasSubstr("{{#_}}")));
  EXPECT_THAT(welsh, Not(HasSubstr("{{")));
  EXPECT_THROW((*set)->Render("nonsense", v, catalogs().English()), std::logic_error);
}

TEST_F(TemplateSetTest, ThemeDirReplacesOneTemplateByRelativePath) {
  Write("home.mustache", "<h1>{{#_}}Fairhaven's own home page{{/_}}</h1>{{> _error_summary}}");
  auto set = TemplateSet::Load(catalogs(), dir_.string());
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ((*set)->overridden(), std::vector<std::string>{"home.mustache"});
  View v;
  EXPECT_THAT((*set)->Render("home", v, catalogs().English()), HasSubstr("Fairhaven's own home page"));
  // An untranslated message of a council's template stays English in Welsh.
  EXPECT_THAT((*set)->Render("home", v, catalogs().Get("cy")), HasSubstr("Fairhaven's own home page"));
  // Every other page is ours.
  EXPECT_THAT((*set)->Render("track", v, catalogs().English()), HasSubstr("Track a request"));
}

TEST_F(TemplateSetTest, BrokenThemeTemplateFailsWithFileAndLine) {
  Write("done.mustache", "<p>one</p>\n<p>two</p>\n{{#open}}never closed\n");
  auto set = TemplateSet::Load(catalogs(), dir_.string());
  ASSERT_FALSE(set.ok());
  EXPECT_THAT(std::string(set.status().message()), HasSubstr((dir_ / "done.mustache").string() + ":3:"));
}

TEST_F(TemplateSetTest, UnknownThemeTemplateFails) {
  Write("portal/nonsense.mustache", "<p>hello</p>");
  auto set = TemplateSet::Load(catalogs(), dir_.string());
  ASSERT_FALSE(set.ok());
  EXPECT_THAT(std::string(set.status().message()), HasSubstr("nonsense.mustache:1: replaces no template"));
}

TEST_F(TemplateSetTest, UnknownPartialAndBadMarkersFail) {
  Write("start.mustache", "<p>x</p>\n{{> _no_such_partial}}\n");
  auto set = TemplateSet::Load(catalogs(), dir_.string());
  ASSERT_FALSE(set.ok());
  EXPECT_THAT(std::string(set.status().message()), HasSubstr("start.mustache:2: no partial named \"_no_such_partial\""));

  Write("start.mustache", "<p>{{#_}}a {{#flag}}b{{/flag}}{{/_}}</p>");
  set = TemplateSet::Load(catalogs(), dir_.string());
  ASSERT_FALSE(set.ok());
  EXPECT_THAT(std::string(set.status().message()), HasSubstr("no sections or partials"));
}

TEST_F(TemplateSetTest, MissingThemeDirFails) {
  auto set = TemplateSet::Load(catalogs(), (dir_ / "absent").string());
  ASSERT_FALSE(set.ok());
  EXPECT_THAT(std::string(set.status().message()), HasSubstr("is not a directory"));
}

TEST(TemplateMessagesTest, ListsMarkersInOrder) {
  auto messages = TemplateMessages("<h1>{{#_}}One{{/_}}</h1><p>{{#_}}Two {{x}}{{/_}}</p>");
  ASSERT_TRUE(messages.ok());
  EXPECT_EQ(*messages, (std::vector<std::string>{"One", "Two {{x}}"}));
  EXPECT_FALSE(TemplateMessages("{{#_}}open").ok());
  EXPECT_FALSE(TemplateMessages("close{{/_}}").ok());
  EXPECT_FALSE(TemplateMessages("{{#_}}a{{#_}}b{{/_}}{{/_}}").ok());
}

}  // namespace
}  // namespace onestop::web
