#include "domain/theme.h"

#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "domain/article.h"
#include "domain/language.h"
#include "domain/service.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace onestop::domain {
namespace {

using ::testing::DoubleNear;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::Optional;

using Params = std::vector<std::pair<std::string, std::string>>;

TEST(ContrastTest, BlackOnWhiteIsTwentyOne) {
  EXPECT_THAT(ContrastRatio("#000000", "#ffffff"), Optional(DoubleNear(21.0, 1e-9)));
  EXPECT_THAT(ContrastRatio("#FFFFFF", "#ffffff"), Optional(DoubleNear(1.0, 1e-9)));
}

TEST(ContrastTest, RelativeLuminanceFollowsWcag) {
  EXPECT_THAT(RelativeLuminance("#000000"), Optional(DoubleNear(0.0, 1e-12)));
  EXPECT_THAT(RelativeLuminance("#ffffff"), Optional(DoubleNear(1.0, 1e-12)));
  // Pure channels weigh 0.2126, 0.7152, 0.0722.
  EXPECT_THAT(RelativeLuminance("#ff0000"), Optional(DoubleNear(0.2126, 1e-12)));
  EXPECT_THAT(RelativeLuminance("#00ff00"), Optional(DoubleNear(0.7152, 1e-12)));
  EXPECT_THAT(RelativeLuminance("#0000ff"), Optional(DoubleNear(0.0722, 1e-12)));
}

TEST(ContrastTest, GreysEitherSideOfTheAaLine) {
  // #767676 is the lightest grey that passes AA on white; #777777 (4.478)
  // fails.
  EXPECT_THAT(ContrastRatio("#767676", "#ffffff"), Optional(DoubleNear(4.54, 0.005)));
  EXPECT_THAT(ContrastRatio("#777777", "#ffffff"), Optional(DoubleNear(4.478, 0.0005)));
  // Order does not matter.
  EXPECT_EQ(ContrastRatio("#ffffff", "#767676"), ContrastRatio("#767676", "#ffffff"));
}

TEST(ContrastTest, NotAColour) {
  EXPECT_EQ(ContrastRatio("#fff", "#ffffff"), std::nullopt);
  EXPECT_EQ(RelativeLuminance("0b0c0c"), std::nullopt);
  EXPECT_EQ(RelativeLuminance("#0b0c0g"), std::nullopt);
  EXPECT_FALSE(IsHexColour("#0b0c0c0"));
  EXPECT_TRUE(IsHexColour("#1D70b8"));
}

TEST(ThemeTest, DefaultThemeIsValid) {
  Theme theme = DefaultTheme();
  EXPECT_EQ(theme.name, "Council services");
  EXPECT_EQ(theme.colour_brand, "#0b0c0c");
  EXPECT_EQ(theme.colour_header_text, "#ffffff");
  EXPECT_EQ(theme.colour_link, "#1d70b8");
  EXPECT_TRUE(ValidateTheme(theme).ok()) << ValidateTheme(theme);
}

TEST(ThemeTest, GreyLinkPassesAndALighterOneFails) {
  Theme theme = DefaultTheme();
  theme.colour_link = "#767676";
  EXPECT_TRUE(ValidateTheme(theme).ok());
  theme.colour_link = "#777777";
  absl::Status status = ValidateTheme(theme);
  EXPECT_TRUE(absl::IsInvalidArgument(status));
  EXPECT_THAT(FieldErrorsOf(status),
              ElementsAre(FieldError{"theme.colours.link", "invalid", "contrast",
                                     Params{{"ratio", "4.47"}, {"minimum", "4.5"}}}));
}

TEST(ThemeTest, YellowBrandWithWhiteTextFailsTwice) {
  Theme theme = DefaultTheme();
  theme.colour_brand = "#ffdd00";
  absl::Status status = ValidateTheme(theme);
  std::vector<FieldError> errors = FieldErrorsOf(status);
  ASSERT_EQ(errors.size(), 2u) << status;
  EXPECT_EQ(errors[0].field, "theme.colours.brand");
  EXPECT_EQ(errors[0].reason, "contrast");
  EXPECT_EQ(errors[0].params, (Params{{"ratio", "1.34"}, {"minimum", "4.5"}}));
  EXPECT_EQ(errors[1].field, "theme.colours.header_text");
  EXPECT_THAT(std::string(status.message()), ::testing::HasSubstr("theme.colours.brand contrast"));
  // Black text on the yellow brand is fine, but the brand itself still
  // fails against the white page.
  theme.colour_header_text = "#0b0c0c";
  EXPECT_THAT(FieldErrorsOf(ValidateTheme(theme)),
              ElementsAre(Field(&FieldError::field, "theme.colours.brand")));
}

TEST(ThemeTest, BadColourIsAFormatErrorNotAContrastOne) {
  Theme theme = DefaultTheme();
  theme.colour_brand = "black";
  EXPECT_THAT(FieldErrorsOf(ValidateTheme(theme)),
              ElementsAre(FieldError{"theme.colours.brand", "invalid", "colour_format",
                                     Params{{"value", "black"}}}));
}

TEST(ThemeTest, LinksNameAndLogo) {
  Theme theme = DefaultTheme();
  theme.name = "  ";
  theme.footer_links = {{"Privacy", "/privacy"},
                        {"Council", "https://fairhaven.example"},
                        {"", "mailto:help@fairhaven.example"},
                        {"Bad", "javascript:alert(1)"},
                        {"Other host", "//evil.example/x"}};
  theme.logo = "<svg xmlns='http://www.w3.org/2000/svg'><circle r='4'/></svg>";
  theme.logo_type = std::string(kLogoSvg);
  theme.translations["cy"].footer_links = {{"Preifatrwydd", "data:text/html,x"}};
  theme.translations["Welsh"].name = "Cymraeg";
  std::vector<std::string> fields;
  for (const FieldError& e : FieldErrorsOf(ValidateTheme(theme))) fields.push_back(e.field);
  EXPECT_THAT(fields, ElementsAre("theme.name", "theme.footer_links[2].text",
                                  "theme.footer_links[3].href", "theme.footer_links[4].href",
                                  "theme.translations.Welsh",
                                  "theme.translations.cy.footer_links[0].href"));
}

TEST(ThemeTest, LogoMustBeWhatItSays) {
  Theme theme = DefaultTheme();
  theme.logo_type = std::string(kLogoSvg);
  for (const char* svg : {"<svg><script>alert(1)</script></svg>",
                          "<svg onload=\"alert(1)\"></svg>", "<svg>\n<a href='javascript:x'/></svg>",
                          "not an image"}) {
    theme.logo = svg;
    EXPECT_THAT(FieldErrorsOf(ValidateTheme(theme)),
                ElementsAre(Field(&FieldError::reason, "logo_content")))
        << svg;
  }
  theme.logo = "<svg><text>Come on = welcome</text><g font='x'/></svg>";
  EXPECT_TRUE(ValidateTheme(theme).ok());
  theme.logo_type = std::string(kLogoPng);
  EXPECT_FALSE(ValidateTheme(theme).ok());
  theme.logo = std::string("\x89PNG\r\n\x1a\n", 8) + "rest";
  EXPECT_TRUE(ValidateTheme(theme).ok());
  theme.logo_type = "image/gif";
  EXPECT_THAT(FieldErrorsOf(ValidateTheme(theme)),
              ElementsAre(Field(&FieldError::reason, "logo_type")));
  theme.logo_type = std::string(kLogoPng);
  theme.logo.resize(kMaxLogoBytes + 1);
  EXPECT_THAT(FieldErrorsOf(ValidateTheme(theme)),
              ElementsAre(Field(&FieldError::reason, "logo_size")));
}

TEST(ThemeTest, ThemeInFallsBackToEnglish) {
  Theme theme = DefaultTheme();
  theme.name = "Borough of Fairhaven";
  theme.opening_hours = "Monday to Friday, 9am to 5pm";
  theme.address = "Town Hall";
  theme.footer_links = {{"Privacy", "/privacy"}};
  ThemeText& cy = theme.translations["cy"];
  cy.name = "Bwrdeistref Fairhaven";
  cy.opening_hours = "Dydd Llun i ddydd Gwener, 9am tan 5pm";
  Theme welsh = ThemeIn(theme, "cy");
  EXPECT_EQ(welsh.name, "Bwrdeistref Fairhaven");
  EXPECT_EQ(welsh.opening_hours, "Dydd Llun i ddydd Gwener, 9am tan 5pm");
  EXPECT_EQ(welsh.address, "Town Hall");
  EXPECT_EQ(welsh.footer_links, theme.footer_links);
  EXPECT_EQ(ThemeIn(theme, "en"), theme);
}

TEST(LanguageTest, Codes) {
  for (const char* good : {"cy", "en", "pol", "cy-GB", "pt-BR"}) EXPECT_TRUE(IsLanguageCode(good)) << good;
  for (const char* bad : {"", "c", "CY", "welsh", "cy-gb", "cy_GB", "cy-GBR", "cy-", "c1"}) {
    EXPECT_FALSE(IsLanguageCode(bad)) << bad;
  }
}

TEST(LanguageTest, ServiceAndArticleTextsFallBack) {
  Service service;
  service.name = "Report a missed bin";
  service.description = "Tell us";
  service.keywords = {"bin"};
  service.translations["cy"] = {"Rhoi gwybod am fin heb ei gasglu", "", "Biniau", {}};
  EXPECT_EQ(NameIn(service, "cy"), "Rhoi gwybod am fin heb ei gasglu");
  EXPECT_EQ(DescriptionIn(service, "cy"), "Tell us");
  EXPECT_EQ(GroupIn(service, "cy"), "Biniau");
  EXPECT_EQ(GroupIn(service, "en"), "");
  EXPECT_EQ(KeywordsIn(service, "cy"), service.keywords);
  EXPECT_EQ(NameIn(service, "pl"), service.name);

  FormField field;
  field.description = "Which bin?";
  field.help_text = "Look at the lid";
  field.translations["cy"].description = "Pa fin?";
  EXPECT_EQ(DescriptionIn(field, "cy"), "Pa fin?");
  EXPECT_EQ(HelpTextIn(field, "cy"), "Look at the lid");
  AllowedValue value{"black", "Black bin", {{"cy", "Bin du"}}};
  EXPECT_EQ(NameIn(value, "cy"), "Bin du");
  Department department{"waste", "Waste", {{"cy", ""}}};
  EXPECT_EQ(NameIn(department, "cy"), "Waste");

  Article article;
  article.title = "Bin days";
  article.body = "Every week";
  article.translations["cy"] = {"Diwrnodau biniau", "", ""};
  EXPECT_EQ(TitleIn(article, "cy"), "Diwrnodau biniau");
  EXPECT_EQ(SummaryIn(article, "cy"), "");
  EXPECT_EQ(BodyIn(article, "cy"), "Every week");
}

TEST(LanguageTest, ServiceDefinitionRefusesBadLanguageCodes) {
  Service service;
  service.code = "missed-bin";
  service.name = "Report a missed bin";
  service.department = "waste";
  FormField field;
  field.code = "bin";
  field.datatype = Datatype::kSingleValueList;
  field.values = {{"black", "Black", {{"CY", "Du"}}}};
  field.translations["cy"].description = "Pa fin?";
  service.fields = {field};
  service.translations["cy"].name = std::string(201, 'x');
  service.translations["Welsh"].name = "x";
  std::vector<std::string> fields;
  for (const FieldError& e : FieldErrorsOf(ValidateServiceDefinition(service))) {
    fields.push_back(e.field);
  }
  EXPECT_THAT(fields, ElementsAre("fields[0].values[0].translations.CY", "translations.Welsh",
                                  "translations.cy.name"));
}

}  // namespace
}  // namespace onestop::domain
