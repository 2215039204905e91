#include "i18n/translator.h"

#include <gtest/gtest.h>

#include "absl/time/civil_time.h"

namespace onestop::i18n {
namespace {

absl::Time London(int y, int m, int d, int hh, int mm) {
  absl::TimeZone tz;
  EXPECT_TRUE(absl::LoadTimeZone("Europe/London", &tz));
  return absl::FromCivil(absl::CivilMinute(y, m, d, hh, mm), tz);
}

TEST(TranslatorTest, EnglishIsTheMessageIdItself) {
  const Translator& en = Catalogs::Default().English();
  EXPECT_EQ(en.lang(), "en");
  EXPECT_STREQ(en("Track a request"), "Track a request");
  EXPECT_FALSE(en.Has("Track a request"));
}

TEST(TranslatorTest, WelshTranslatesAndFallsBackToTheId) {
  const Catalogs& catalogs = Catalogs::Default();
  ASSERT_TRUE(catalogs.Supports("cy"));
  const Translator& cy = catalogs.Get("cy");
  EXPECT_EQ(cy.lang(), "cy");
  EXPECT_EQ(cy.native_name(), "Cymraeg");
  EXPECT_TRUE(cy.Has("Track a request"));
  EXPECT_STRNE(cy("Track a request"), "Track a request");
  // A message nobody translated comes back as it is.
  EXPECT_STREQ(cy("No such message, surely"), "No such message, surely");
  // The same pointer every time: a look-up allocates nothing.
  EXPECT_EQ(cy("Track a request"), cy("Track a request"));
}

TEST(TranslatorTest, LanguageCodesAreMatchedByPrimaryTag) {
  const Catalogs& catalogs = Catalogs::Default();
  EXPECT_EQ(catalogs.Get("CY-gb").lang(), "cy");
  EXPECT_EQ(catalogs.Get("cy_GB").lang(), "cy");
  EXPECT_EQ(catalogs.Get("fr").lang(), "en");  // not offered: English
  EXPECT_FALSE(catalogs.Supports("fr"));
  EXPECT_EQ(catalogs.All().front()->lang(), "en");
}

TEST(TranslatorTest, WelshHasSixPluralForms) {
  const Translator& cy = Catalogs::Default().Get("cy");
  // Welsh: zero, one, two (soft mutation), three (aspirate), six, other.
  EXPECT_STREQ(cy.Plural("{n} result", "{n} results", 1), "{n} canlyniad");
  EXPECT_STREQ(cy.Plural("{n} result", "{n} results", 2), "{n} ganlyniad");
  EXPECT_STREQ(cy.Plural("{n} result", "{n} results", 3), "{n} chanlyniad");
  EXPECT_STREQ(cy.Plural("{n} result", "{n} results", 6), "{n} chanlyniad");
  EXPECT_STREQ(cy.Plural("{n} result", "{n} results", 7), "{n} canlyniad");
  const Translator& en = Catalogs::Default().English();
  EXPECT_STREQ(en.Plural("{n} result", "{n} results", 1), "{n} result");
  EXPECT_STREQ(en.Plural("{n} result", "{n} results", 0), "{n} results");
  EXPECT_STREQ(en.Plural("{n} result", "{n} results", 2), "{n} results");
}

TEST(TranslatorTest, DatesInTheReadersLanguage) {
  const Catalogs& catalogs = Catalogs::Default();
  const absl::Time t = London(2026, 12, 3, 9, 30);
  EXPECT_EQ(catalogs.English().Date(t), "3 December 2026");
  EXPECT_EQ(catalogs.Get("cy").Date(t), "3 Rhagfyr 2026");
  EXPECT_EQ(catalogs.English().DateTime(t), "3 December 2026 at 9:30am");
  EXPECT_EQ(catalogs.Get("cy").DateTime(t), "3 Rhagfyr 2026 am 9:30yb");
  // Late evening in summer time is still that day in London.
  EXPECT_EQ(catalogs.English().Date(London(2026, 6, 30, 23, 50)), "30 June 2026");
  EXPECT_EQ(catalogs.English().DateTime(London(2026, 6, 30, 23, 50)), "30 June 2026 at 11:50pm");
  EXPECT_EQ(catalogs.English().Number(12345), "12,345");
}

TEST(TranslatorTest, NegotiatesAcceptLanguage) {
  const Catalogs& catalogs = Catalogs::Default();
  EXPECT_EQ(catalogs.Negotiate("cy"), "cy");
  EXPECT_EQ(catalogs.Negotiate("cy-GB,cy;q=0.9,en;q=0.8"), "cy");
  EXPECT_EQ(catalogs.Negotiate("en-GB,en;q=0.9,cy;q=0.5"), "en");
  EXPECT_EQ(catalogs.Negotiate("fr-FR, de;q=0.5"), "");
  EXPECT_EQ(catalogs.Negotiate("cy;q=0, en"), "en");
  EXPECT_EQ(catalogs.Negotiate(""), "");
  EXPECT_EQ(catalogs.Negotiate(";;;,,,q=,;q=abc"), "");
  std::string hostile;
  for (int i = 0; i < 10000; ++i) hostile += "xx;q=0.1,";
  hostile += "cy";
  EXPECT_EQ(catalogs.Negotiate(hostile), "");  // only the first 32 items are read
}

TEST(SubstituteTest, FillsNamedPlaceholders) {
  EXPECT_EQ(Substitute("{n} of {total}", {{"n", "3"}, {"total", "7"}}), "3 of 7");
  EXPECT_EQ(Substitute("{unknown} stays", {{"n", "3"}}), "{unknown} stays");
  EXPECT_EQ(Substitute("no braces", {}), "no braces");
  EXPECT_EQ(Substitute("{unclosed", {{"unclosed", "x"}}), "{unclosed");
  std::vector<std::pair<std::string, std::string>> params = {{"a", "{b}"}, {"b", "x"}};
  EXPECT_EQ(Substitute("{a}{b}", params), "{b}x");  // values are not substituted again
}

}  // namespace
}  // namespace onestop::i18n
