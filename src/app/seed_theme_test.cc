// SeedCouncil's translations and theme, and LoadTheme, on a real SQLite store.
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "app/knowledge.h"
#include "app/seed.h"
#include "app/seed_test_fixture.h"
#include "app/theme.h"
#include "common/clock.h"
#include "common/time_format.h"
#include "data/embedded.h"
#include "domain/calendar.h"
#include "services/auth.h"
#include "services/catalogue.h"
#include "store/sqlite/sqlite_store.h"

namespace onestop::app {
namespace {

constexpr std::string_view kSvg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect/></svg>";

class SeedThemeTest : public testing::SeedStoreTest {
 protected:
  // Writes `text` as dir/name and returns its path.
  std::string Write(const std::string& name, std::string_view text) {
    std::filesystem::path path = dir_ / name;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
  }
};

std::string CouncilWithTheme(std::string_view brand) {
  return absl::StrCat(R"({"name": "Test Borough",
    "departments": [{"code": "waste", "name": "Waste", "translations": {"cy": {"name": "Gwastraff"}}}],
    "services": [{"code": "missed-bin", "name": "Missed bin", "department": "waste",
                  "translations": {"cy": {"name": "Bin a fethwyd"}},
                  "fields": [{"code": "bin", "datatype": "singlevaluelist", "description": "Which?",
                              "translations": {"cy": {"description": "Pa un?"}},
                              "values": [{"key": "black", "translations": {"cy": {"name": "Du"}}}]}]}],
    "theme": {"logo": "theme/logo.svg", "colours": {"brand": ")",
                      std::string(brand), R"("},
              "footer_links": [{"text": "Privacy", "href": "/privacy"}],
              "translations": {"cy": {"name": "Bwrdeistref Prawf"}}}})");
}

TEST_F(SeedThemeTest, NoThemeStoredMeansTheDefault) {
  absl::StatusOr<domain::Theme> theme = LoadTheme(*store_);
  ASSERT_TRUE(theme.ok()) << theme.status();
  EXPECT_EQ(*theme, domain::DefaultTheme());
}

TEST_F(SeedThemeTest, SeedsTranslationsAndTheThemeWithItsLogo) {
  Write("theme/logo.svg", kSvg);
  const std::string council = Write("council.json", CouncilWithTheme("#1d5c63"));
  absl::StatusOr<SeedReport> report = SeedCouncil(deps(), CouncilWithTheme("#1d5c63"),
                                                  FilesNextTo(council));
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->theme_stored);

  absl::StatusOr<domain::Theme> theme = LoadTheme(*store_);
  ASSERT_TRUE(theme.ok()) << theme.status();
  EXPECT_EQ(theme->name, "Test Borough");
  EXPECT_EQ(theme->logo, kSvg);
  EXPECT_EQ(theme->logo_type, "image/svg+xml");
  EXPECT_EQ(theme->colour_brand, "#1d5c63");
  EXPECT_EQ(domain::ThemeIn(*theme, "cy").name, "Bwrdeistref Prawf");

  auto departments = store_->ListDepartments();
  ASSERT_TRUE(departments.ok());
  ASSERT_EQ(departments->size(), 1u);
  EXPECT_EQ(domain::NameIn((*departments)[0], "cy"), "Gwastraff");
  auto service = store_->GetService("missed-bin");
  ASSERT_TRUE(service.ok()) << service.status();
  EXPECT_EQ(domain::NameIn(*service, "cy"), "Bin a fethwyd");
  EXPECT_EQ(domain::DescriptionIn(service->fields[0], "cy"), "Pa un?");
  EXPECT_EQ(domain::NameIn(service->fields[0].values[0], "cy"), "Du");
}

TEST_F(SeedThemeTest, AThemeThatFailsTheRulesWritesNothing) {
  Write("theme/logo.svg", kSvg);
  const std::string council = Write("council.json", CouncilWithTheme("#ffdd00"));
  absl::StatusOr<SeedReport> report = SeedCouncil(deps(), CouncilWithTheme("#ffdd00"),
                                                  FilesNextTo(council));
  ASSERT_FALSE(report.ok());
  EXPECT_TRUE(absl::IsInvalidArgument(report.status()));
  EXPECT_NE(report.status().message().find("theme.colours.brand"), std::string::npos)
      << report.status();
  EXPECT_TRUE(store_->ListDepartments()->empty());
  EXPECT_TRUE(store_->ListServices()->empty());
  EXPECT_EQ(*store_->GetSetting(std::string(kThemeSetting)), std::nullopt);
}

TEST_F(SeedThemeTest, AMissingLogoFileWritesNothing) {
  const std::string council = Write("council.json", CouncilWithTheme("#1d5c63"));
  absl::StatusOr<SeedReport> report = SeedCouncil(deps(), CouncilWithTheme("#1d5c63"),
                                                  FilesNextTo(council));
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.status().message().find("theme.logo"), std::string::npos) << report.status();
  EXPECT_TRUE(store_->ListDepartments()->empty());
}

TEST_F(SeedThemeTest, AStoredThemeThatNoLongerPassesIsRefused) {
  ASSERT_TRUE(store_
                  ->Write([](domain::WriteTxn& txn) {
                    return txn.PutSetting(std::string(kThemeSetting),
                                          R"({"colours": {"brand": "#ffdd00"}})");
                  })
                  .ok());
  absl::StatusOr<domain::Theme> theme = LoadTheme(*store_);
  EXPECT_TRUE(absl::IsDataLoss(theme.status())) << theme.status();
  EXPECT_NE(theme.status().message().find("theme.colours.brand"), std::string::npos);
  ASSERT_TRUE(store_
                  ->Write([](domain::WriteTxn& txn) {
                    return txn.PutSetting(std::string(kThemeSetting), "not json");
                  })
                  .ok());
  EXPECT_TRUE(absl::IsDataLoss(LoadTheme(*store_).status()));
}

TEST_F(SeedThemeTest, TheDemoCouncilSeedsItsThemeAndWelshArticles) {
  absl::StatusOr<SeedReport> report = SeedCouncil(deps(), data::kDemoCouncil, DemoCouncilFiles());
  ASSERT_TRUE(report.ok()) << report.status();
  absl::StatusOr<domain::Theme> theme = LoadTheme(*store_);
  ASSERT_TRUE(theme.ok()) << theme.status();
  EXPECT_EQ(theme->name, "Borough of Fairhaven");
  EXPECT_EQ(theme->logo, data::kDemoLogoSvg);

  absl::StatusOr<ArticleSeedReport> articles = SeedArticles(deps(), data::kDemoArticles);
  ASSERT_TRUE(articles.ok()) << articles.status();
  auto stored = store_->ListArticles();
  ASSERT_TRUE(stored.ok());
  int welsh = 0;
  for (const domain::Article& article : *stored) welsh += article.translations.contains("cy");
  EXPECT_GT(welsh, 0);

  // Again: nothing new, nothing to translate.
  articles = SeedArticles(deps(), data::kDemoArticles);
  ASSERT_TRUE(articles.ok()) << articles.status();
  EXPECT_EQ(articles->created, 0);
  EXPECT_EQ(articles->translated, 0);
}

TEST_F(SeedThemeTest, ArticlesStoredBeforeTranslationsGetThem) {
  constexpr std::string_view kOld = R"({"articles": [{"title": "Bin days", "body": "Weekly",
      "status": "published"}]})";
  constexpr std::string_view kNew = R"({"articles": [{"title": "Bin days", "body": "Weekly",
      "status": "published", "translations": {"cy": {"title": "Diwrnodau biniau"}}}]})";
  ASSERT_TRUE(SeedArticles(deps(), kOld).ok());
  absl::StatusOr<ArticleSeedReport> report = SeedArticles(deps(), kNew);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->translated, 1);
  auto stored = store_->ListArticles();
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_EQ(domain::TitleIn((*stored)[0], "cy"), "Diwrnodau biniau");

  constexpr std::string_view kBad = R"({"articles": [{"title": "X", "body": "Y",
      "translations": {"cy": {"heading": "Z"}}}]})";
  absl::StatusOr<ArticleSeedReport> bad = SeedArticles(deps(), kBad);
  EXPECT_TRUE(absl::IsInvalidArgument(bad.status()));
  EXPECT_NE(bad.status().message().find("articles[0].translations.cy.heading"), std::string::npos)
      << bad.status();
}

}  // namespace
}  // namespace onestop::app
