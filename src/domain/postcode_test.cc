#include "domain/postcode.h"

#include <random>
#include <regex>
#include <string>

#include "gtest/gtest.h"

namespace onestop::domain {
namespace {

TEST(PostcodeTest, NormalisesValidPostcodes) {
  struct Case {
    std::string_view raw;
    std::string_view normalised;
  };
  for (const Case& c : {
           Case{"SW1A 1AA", "SW1A 1AA"},  // AA9A
           Case{"sw1a1aa", "SW1A 1AA"},   Case{"  Sw1A 1aA\t", "SW1A 1AA"},
           Case{"SW1A  1AA", "SW1A 1AA"}, Case{"M1 1AE", "M1 1AE"},    // A9
           Case{"m11ae", "M1 1AE"},       Case{"B33 8TH", "B33 8TH"},  // A99
           Case{"CR2 6XH", "CR2 6XH"},                                 // AA9
           Case{"DN55 1PT", "DN55 1PT"},                               // AA99
           Case{"EC1A 1BB", "EC1A 1BB"},                               // AA9A
           Case{"W1A 0AX", "W1A 0AX"},                                 // A9A
           Case{"w1a0ax", "W1A 0AX"},     Case{"GIR 0AA", "GIR 0AA"},
           Case{" gir0aa ", "GIR 0AA"},   Case{"BT7 1NN", "BT7 1NN"},
           Case{"LS1 4AP", "LS1 4AP"},    Case{"E1W 1AA", "E1W 1AA"},
           Case{"N1P 2NG", "N1P 2NG"},    Case{"YO31 1AB", "YO31 1AB"},
           Case{"ZE1 0AA", "ZE1 0AA"},
       }) {
    std::optional<std::string> got = NormalisePostcode(c.raw);
    ASSERT_TRUE(got.has_value()) << "'" << c.raw << "'";
    EXPECT_EQ(*got, c.normalised) << "'" << c.raw << "'";
  }
}

TEST(PostcodeTest, RejectsInvalidShapes) {
  for (std::string_view raw : {
           "",
           "   ",
           "SW1A",
           "SW1A 1AAA",
           "SW1A 1CA",  // C never appears in the inward code
           "SW1A 1AI",  // nor I
           "SW1A 1AK",  // nor K
           "SW1A 1MA",  // nor M
           "SW1A 1AO",  // nor O
           "SW1A 1VA",  // nor V
           "Q1 1AA",    // Q never starts a postcode
           "V1 1AA",    // nor V
           "X1 1AA",    // nor X
           "AI1 1AA",   // I is not a second letter
           "AJ1 1AA",   // nor J
           "AZ1 1AA",   // nor Z
           "12345",
           "1A 1AA",
           "A 1AA",
           "SW1A1A",
           "SW1AA 1AA",
           "SW12A 1AA",
           "W1I 0AX",   // I not allowed third after a digit
           "EC1C 1BB",  // C not allowed fourth
           "GIR 0AB",
           "GIR0A",
           "SW1A-1AA",
           "SW1A_1AA",
           "SW1A 1A",
           "M1 1AE.",
           "M11AE 1",
           "ＳＷ1A 1AA",  // full-width letters
           "SW1A 1AA SW1A 1AA",
       }) {
    EXPECT_FALSE(NormalisePostcode(raw).has_value()) << "'" << raw << "'";
  }
}

TEST(PostcodeTest, SpacesAnywhereAreIgnored) {
  // More forgiving than the reference regex (which allows one optional space
  // before the inward code): the inward code is always the last three
  // characters, so stray spaces cannot change which postcode is meant.
  EXPECT_EQ(NormalisePostcode("S W1A 1A A"), "SW1A 1AA");
  EXPECT_EQ(NormalisePostcode("SW1A1 AA"), "SW1A 1AA");
  EXPECT_EQ(NormalisePostcode("\tSW1A\r\n1AA\n"), "SW1A 1AA");
}

TEST(PostcodeTest, IsIdempotent) {
  for (std::string_view raw : {"sw1a1aa", "m11ae", "gir0aa", "dn551pt"}) {
    std::optional<std::string> once = NormalisePostcode(raw);
    ASSERT_TRUE(once.has_value());
    EXPECT_EQ(NormalisePostcode(*once), once);
  }
}

// The pattern from shared/reference/notify-and-addresses.md, verbatim.
const std::regex& ReferencePattern() {
  static const std::regex pattern(
      "^(GIR ?0AA|([A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?|[A-PR-UWYZ][0-9]["
      "A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]) ?[0-9][ABD-HJLNP-UW-Z]{2})$");
  return pattern;
}

TEST(PostcodeTest, AgreesWithTheReferenceRegex) {
  // Random upper-case strings of postcode length, with the space in its
  // place: the hand-written matcher must accept exactly what the regex does.
  std::mt19937 rng(20261125);
  const std::string letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  const std::string digits = "0123456789";
  std::uniform_int_distribution<int> length(2, 4);
  std::uniform_int_distribution<int> coin(0, 1);
  int accepted = 0;
  for (int sample = 0; sample < 60000; ++sample) {
    auto pick = [&](const std::string& from) {
      return from[std::uniform_int_distribution<size_t>(0, from.size() - 1)(rng)];
    };
    auto letter_or_digit = [&] { return coin(rng) ? pick(letters) : pick(digits); };
    std::string outward;
    int outward_length = length(rng);
    outward.push_back(pick(letters));
    for (int i = 1; i < outward_length; ++i) outward.push_back(letter_or_digit());
    std::string inward = {pick(digits), pick(letters), pick(letters)};
    if (sample % 10 == 0) inward[0] = letter_or_digit();
    std::string spaced = outward + " " + inward;
    bool expected = std::regex_match(spaced, ReferencePattern());
    std::optional<std::string> got = NormalisePostcode(spaced);
    ASSERT_EQ(got.has_value(), expected) << spaced;
    if (expected) {
      ++accepted;
      EXPECT_EQ(*got, spaced);
      EXPECT_EQ(NormalisePostcode(outward + inward), got) << outward + inward;
    }
  }
  EXPECT_GT(accepted, 3000);  // the sample reaches both answers
}

}  // namespace
}  // namespace onestop::domain
