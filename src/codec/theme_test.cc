#include "codec/theme.h"

#include <boost/json.hpp>
#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "codec/council_file.h"
#include "codec/field_error_matchers_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace onestop::codec {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

const std::string kPng = std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
const std::string kSvg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"4\"/></svg>";

domain::Theme FullTheme() {
  domain::Theme theme = domain::DefaultTheme();
  theme.name = "Borough of Fairhaven";
  theme.logo = kPng;
  theme.logo_type = "image/png";
  theme.colour_brand = "#1d5c63";
  theme.footer_links = {{"Privacy", "/privacy"}, {"Council", "https://fairhaven.example"}};
  theme.phone = "01632 960000";
  theme.opening_hours = "Monday to Friday";
  theme.address = "Town Hall\nMarket Street";
  theme.privacy_notice = "## Who we are";
  theme.accessibility_statement = "## Accessibility";
  theme.cookies = "## Cookies";
  theme.contact = "## Contact us";
  domain::ThemeText& cy = theme.translations["cy"];
  cy.name = "Bwrdeistref Fairhaven";
  cy.footer_links = {{"Preifatrwydd", "/privacy"}};
  cy.opening_hours = "Dydd Llun i ddydd Gwener";
  cy.address = "Neuadd y Dref";
  cy.privacy_notice = "## Pwy ydym ni";
  cy.accessibility_statement = "## Hygyrchedd";
  cy.cookies = "## Cwcis";
  cy.contact = "## Cysylltu â ni";
  return theme;
}

TEST(ThemeJsonTest, StoredFormRoundTripsEveryField) {
  domain::Theme theme = FullTheme();
  boost::json::object json = ThemeToJson(theme);
  EXPECT_EQ(json.at("logo_type"), "image/png");
  EXPECT_EQ(json.at("logo_base64"), "iVBORw0KGgoAAAANSUhEUg==");
  EXPECT_EQ(json.at("colours").at("brand"), "#1d5c63");
  auto back = ThemeFromJson(boost::json::parse(boost::json::serialize(json)));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, theme);

  domain::Theme plain = domain::DefaultTheme();
  json = ThemeToJson(plain);
  EXPECT_EQ(json.at("logo_base64"), "");
  back = ThemeFromJson(json);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, plain);
  // Left out, keys take the default theme's values.
  back = ThemeFromJson(boost::json::parse("{}"));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, plain);
}

TEST(ThemeJsonTest, StoredFormIsStrict) {
  auto parsed = ThemeFromJson(boost::json::parse(R"({
    "logo_base64": "not base64!", "colour": "#000000", "colours": {"brand": 1, "text": "#fff"},
    "footer_links": [{"text": "Privacy"}],
    "translations": {"cy": {"phone": "x"}, "Cymraeg": {}}})"));
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(FieldErrorsOf(parsed.status()),
              UnorderedElementsAre(Error("theme.logo_base64", "invalid"), Error("theme.colour", "unknown"),
                                   Error("theme.colours.brand", "type"),
                                   Error("theme.colours.text", "unknown"),
                                   Error("theme.footer_links[0].href", "required"),
                                   Error("theme.translations.cy.phone", "unknown"),
                                   Error("theme.translations.Cymraeg", "invalid")));
}

// A council file around `theme_json`, its files in `files`.
absl::StatusOr<CouncilFile> ParseWithTheme(std::string_view theme_json,
                                           std::map<std::string, std::string> files = {}) {
  std::string text = absl::StrCat(R"({"name": "Test Borough",
    "departments": [{"code": "waste", "name": "Waste",
                     "translations": {"cy": {"name": "Gwastraff"}}}],
    "theme": )",
                                  std::string(theme_json), "}");
  return ParseCouncilFile(text, [files](const std::string& path) -> absl::StatusOr<std::string> {
    auto found = files.find(path);
    if (found == files.end()) return absl::NotFoundError(path);
    return found->second;
  });
}

TEST(CouncilThemeTest, ReadsTheLogoNextToTheFileAndDefaultsTheName) {
  auto file = ParseWithTheme(R"({"logo": "theme/logo.svg", "colours": {"brand": "#1d5c63"},
                                 "translations": {"cy": {"name": "Bwrdeistref Prawf"}}})",
                             {{"theme/logo.svg", kSvg}});
  ASSERT_TRUE(file.ok()) << file.status();
  ASSERT_TRUE(file->theme.has_value());
  EXPECT_EQ(file->theme->name, "Test Borough");
  EXPECT_EQ(file->theme->logo, kSvg);
  EXPECT_EQ(file->theme->logo_type, "image/svg+xml");
  EXPECT_EQ(file->theme->colour_brand, "#1d5c63");
  EXPECT_EQ(file->theme->colour_header_text, "#ffffff");
  EXPECT_EQ(domain::ThemeIn(*file->theme, "cy").name, "Bwrdeistref Prawf");
  EXPECT_EQ(file->departments[0].translations.at("cy"), "Gwastraff");

  auto png = ParseWithTheme(R"({"name": "Fairhaven", "logo": "Logo.PNG"})", {{"Logo.PNG", kPng}});
  ASSERT_TRUE(png.ok()) << png.status();
  EXPECT_EQ(png->theme->logo_type, "image/png");
  EXPECT_EQ(png->theme->name, "Fairhaven");

  auto none = ParseWithTheme("null");
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_FALSE(none->theme.has_value());
}

TEST(CouncilThemeTest, LogoPathsStayNextToTheFile) {
  for (const char* path : {"../logo.svg", "/etc/logo.svg", "theme/../../logo.svg", "theme//logo.svg",
                           "./logo.svg", "theme\\\\logo.svg"}) {
    auto file = ParseWithTheme(absl::StrCat(R"({"logo": ")", path, R"("})"), {{"logo.svg", kSvg}});
    ASSERT_FALSE(file.ok()) << path;
    EXPECT_THAT(FieldErrorsOf(file.status()),
                ElementsAre(Field(&FieldError::reason, "logo_path")))
        << path;
  }
  auto gif = ParseWithTheme(R"({"logo": "logo.gif"})", {{"logo.gif", "GIF89a"}});
  EXPECT_THAT(FieldErrorsOf(gif.status()), ElementsAre(Field(&FieldError::reason, "logo_extension")));
  auto missing = ParseWithTheme(R"({"logo": "logo.svg"})");
  EXPECT_THAT(FieldErrorsOf(missing.status()), ElementsAre(Error("theme.logo", "not_found")));
  // Without a reader at all.
  auto no_reader = ParseCouncilFile(R"({"name": "T", "departments": [], "theme": {"logo": "a.svg"}})");
  EXPECT_THAT(FieldErrorsOf(no_reader.status()), ElementsAre(Error("theme.logo", "not_found")));
  // A file that is not what its name says.
  auto fake = ParseWithTheme(R"({"logo": "logo.png"})", {{"logo.png", kSvg}});
  EXPECT_THAT(FieldErrorsOf(fake.status()), ElementsAre(Field(&FieldError::reason, "logo_content")));
}

TEST(CouncilThemeTest, ThemeRulesAreReportedWithTheRestOfTheFile) {
  auto file = ParseWithTheme(R"js({"colours": {"brand": "#ffdd00", "header_text": "#0b0c0c"},
                                   "footer_links": [{"text": "x", "href": "javascript:alert(1)"}],
                                   "unknown_key": 1})js");
  ASSERT_FALSE(file.ok());
  std::vector<FieldError> errors = FieldErrorsOf(file.status());
  EXPECT_THAT(errors, Contains(Error("theme.unknown_key", "unknown")));
  // Reading errors come first; the rules are checked on a theme that reads.
  file = ParseWithTheme(R"js({"colours": {"brand": "#ffdd00", "header_text": "#0b0c0c"},
                              "footer_links": [{"text": "x", "href": "javascript:alert(1)"}]})js");
  ASSERT_FALSE(file.ok());
  errors = FieldErrorsOf(file.status());
  EXPECT_THAT(errors, UnorderedElementsAre(Error("theme.colours.brand", "invalid"),
                                           Error("theme.footer_links[0].href", "invalid")));
  for (const FieldError& e : errors) {
    if (e.field != "theme.colours.brand") continue;
    EXPECT_EQ(e.reason, "contrast");
    EXPECT_EQ(e.params, (std::vector<std::pair<std::string, std::string>>{{"ratio", "1.34"},
                                                                         {"minimum", "4.5"}}));
  }
  EXPECT_THAT(std::string(file.status().message()), HasSubstr("theme.colours.brand"));
}

}  // namespace
}  // namespace onestop::codec
