#include "domain/reference.h"

#include <random>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace onestop::domain {
namespace {

constexpr std::string_view kDataAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr std::string_view kCheckAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U";

// Numbers to try: both ends of the range and a spread in between.
std::vector<int64_t> SampleNumbers(int random_count, uint64_t seed) {
  std::vector<int64_t> numbers = {
      1, 2, 3, 31, 32, 33, 1000, 1 << 20, kMaxCaseNumber - 1, kMaxCaseNumber};
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int64_t> any(1, kMaxCaseNumber);
  for (int i = 0; i < random_count; ++i) numbers.push_back(any(rng));
  return numbers;
}

// Symbol positions in "XXXX-XXXX" (skipping the hyphen).
constexpr int kPositions[] = {0, 1, 2, 3, 5, 6, 7, 8};

TEST(ReferenceTest, FormatIsFourHyphenFour) {
  for (int64_t number : SampleNumbers(1000, 1)) {
    std::string ref = EncodeCaseReference(number);
    ASSERT_EQ(ref.size(), 9u) << ref;
    EXPECT_EQ(ref[4], '-') << ref;
    for (int pos = 0; pos < 7; ++pos) {
      EXPECT_NE(kDataAlphabet.find(ref[kPositions[pos]]), std::string_view::npos) << ref;
    }
    EXPECT_NE(kCheckAlphabet.find(ref[8]), std::string_view::npos) << ref;
  }
}

TEST(ReferenceTest, PinnedValuesNeverChange) {
  // References already issued must keep decoding to the same cases: these pin
  // the scramble constants and the check symbol (values cross-checked with an
  // independent Python model of the scheme).
  EXPECT_EQ(EncodeCaseReference(1), "NKRH-5NST");
  EXPECT_EQ(EncodeCaseReference(2), "PMM3-PQJB");
  EXPECT_EQ(EncodeCaseReference(123456), "81VV-6Y1Y");
  EXPECT_EQ(EncodeCaseReference(kMaxCaseNumber), "K1J2-QG72");
}

TEST(ReferenceTest, RoundTripsOneHundredThousandNumbers) {
  std::vector<int64_t> numbers = SampleNumbers(60000, 2);
  for (int64_t n = 1; n <= 20000; ++n) numbers.push_back(n);
  for (int64_t n = kMaxCaseNumber - 20000; n <= kMaxCaseNumber; ++n) numbers.push_back(n);
  ASSERT_GE(numbers.size(), 100000u);
  for (int64_t number : numbers) {
    std::string ref = EncodeCaseReference(number);
    absl::StatusOr<int64_t> decoded = DecodeCaseReference(ref);
    ASSERT_TRUE(decoded.ok()) << number << " " << ref << " " << decoded.status();
    ASSERT_EQ(*decoded, number) << ref;
  }
}

TEST(ReferenceTest, DistinctNumbersGetDistinctReferences) {
  std::set<int64_t> numbers;
  for (int64_t n = 1; n <= 50000; ++n) numbers.insert(n);
  for (int64_t n : SampleNumbers(50000, 3)) numbers.insert(n);
  std::set<std::string> refs;
  for (int64_t n : numbers) refs.insert(EncodeCaseReference(n));
  EXPECT_EQ(refs.size(), numbers.size());
}

TEST(ReferenceTest, EveryWellFormedReferenceDecodesToANumber) {
  // Surjectivity: any seven data symbols with the right check symbol are the
  // reference of exactly one number (except all zeros, which is number 0).
  std::mt19937_64 rng(4);
  std::uniform_int_distribution<int> symbol(0, 31);
  for (int sample = 0; sample < 20000; ++sample) {
    std::string ref;
    uint64_t value = 0;
    for (int pos = 0; pos < 7; ++pos) {
      int v = symbol(rng);
      value = value * 32 + static_cast<uint64_t>(v);
      ref.push_back(kDataAlphabet[v]);
      if (pos == 3) ref.push_back('-');
    }
    if (value == 0) continue;
    ref.push_back(kCheckAlphabet[value % 37]);
    absl::StatusOr<int64_t> decoded = DecodeCaseReference(ref);
    ASSERT_TRUE(decoded.ok()) << ref;
    ASSERT_GE(*decoded, 1);
    ASSERT_LE(*decoded, kMaxCaseNumber);
    ASSERT_EQ(EncodeCaseReference(*decoded), ref);
  }
}

TEST(ReferenceTest, ConsecutiveNumbersLookUnrelated) {
  int total_differences = 0;
  for (int64_t n = 1; n < 1000; ++n) {
    std::string a = EncodeCaseReference(n);
    std::string b = EncodeCaseReference(n + 1);
    for (int pos : kPositions) total_differences += a[pos] != b[pos];
  }
  // Random pairs differ in about 7.8 of 8 symbols; demand well over half.
  EXPECT_GT(total_differences, 999 * 6);
}

TEST(ReferenceTest, DecodingIsForgiving) {
  ASSERT_EQ(EncodeCaseReference(123456), "81VV-6Y1Y");
  for (std::string_view variant :
       {"81VV-6Y1Y", "81vv-6y1y", "81VV6Y1Y", "81vv6y1y", "81VV 6Y1Y", " 81VV - 6Y1Y ",
        "8-1-V-V-6-Y-1-Y", "81VV--6Y1Y", "8IVV-6YIY", "8ivv-6y1y", "8LVV-6YlY", "81vv-6yLy"}) {
    absl::StatusOr<int64_t> decoded = DecodeCaseReference(variant);
    ASSERT_TRUE(decoded.ok()) << variant << " " << decoded.status();
    EXPECT_EQ(*decoded, 123456) << variant;
  }
  // O is read as zero.
  for (int64_t number : SampleNumbers(2000, 5)) {
    std::string with_zero = EncodeCaseReference(number);
    if (with_zero.find('0') == std::string::npos) continue;
    std::string with_o = with_zero;
    for (char& c : with_o) {
      if (c == '0') c = 'O';
    }
    EXPECT_EQ(*DecodeCaseReference(with_o), number) << with_o;
    for (char& c : with_o) {
      if (c == 'O') c = 'o';
    }
    EXPECT_EQ(*DecodeCaseReference(with_o), number) << with_o;
  }
}

TEST(ReferenceTest, LowerCaseCheckSymbolU) {
  int seen = 0;
  for (int64_t number = 1; number < 2000 && seen < 5; ++number) {
    std::string ref = EncodeCaseReference(number);
    if (ref.back() != 'U') continue;
    ++seen;
    ref.back() = 'u';
    EXPECT_EQ(*DecodeCaseReference(ref), number) << ref;
  }
  EXPECT_GT(seen, 0);
}

TEST(ReferenceTest, EverySingleSymbolSubstitutionIsDetected) {
  for (int64_t number : SampleNumbers(300, 6)) {
    std::string ref = EncodeCaseReference(number);
    for (int pos_idx = 0; pos_idx < 8; ++pos_idx) {
      int pos = kPositions[pos_idx];
      std::string_view alphabet = pos_idx == 7 ? kCheckAlphabet : kDataAlphabet;
      for (char replacement : alphabet) {
        if (replacement == ref[pos]) continue;
        std::string wrong = ref;
        wrong[pos] = replacement;
        EXPECT_FALSE(DecodeCaseReference(wrong).ok()) << ref << " -> " << wrong;
      }
    }
  }
}

TEST(ReferenceTest, EveryAdjacentTranspositionIsDetected) {
  int swaps = 0;
  for (int64_t number : SampleNumbers(5000, 7)) {
    std::string ref = EncodeCaseReference(number);
    // Includes the swap across the hyphen and the swap with the check symbol.
    for (int pos_idx = 0; pos_idx + 1 < 8; ++pos_idx) {
      int a = kPositions[pos_idx];
      int b = kPositions[pos_idx + 1];
      if (ref[a] == ref[b]) continue;
      std::string swapped = ref;
      std::swap(swapped[a], swapped[b]);
      ++swaps;
      EXPECT_FALSE(DecodeCaseReference(swapped).ok()) << ref << " -> " << swapped;
    }
  }
  EXPECT_GT(swaps, 30000);
}

TEST(ReferenceTest, RejectsMalformedText) {
  std::string good = EncodeCaseReference(42);
  std::string compact = good.substr(0, 4) + good.substr(5);
  for (std::string bad :
       {std::string(), std::string("-"), std::string("    "), compact.substr(0, 7),  // too short
        compact + "0",                                                               // too long
        compact + compact,                                                           // far too long
        "!" + compact.substr(1),                                                     // not a symbol
        compact.substr(0, 3) + "U" + compact.substr(4),  // U only as check
        compact.substr(0, 3) + "*" + compact.substr(4),  // check-only symbol
        compact.substr(0, 7) + "#",                      // not a check symbol
        compact.substr(0, 4) + "_" + compact.substr(4),  // only - and space separate
        compact.substr(0, 4) + "\t" + compact.substr(4), "\xC3\x98" + compact.substr(1)}) {
    absl::StatusOr<int64_t> decoded = DecodeCaseReference(bad);
    ASSERT_FALSE(decoded.ok()) << "'" << bad << "'";
    EXPECT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument);
  }
}

TEST(ReferenceTest, NumberZeroIsNotAReference) {
  // "0000-0000" is well formed (check symbol 0) but no case has number 0;
  // EncodeCaseReference(0), outside its contract, produces exactly that.
  EXPECT_FALSE(DecodeCaseReference("0000-0000").ok());
  EXPECT_FALSE(DecodeCaseReference("OOOO-OOOO").ok());
  EXPECT_EQ(EncodeCaseReference(0), "0000-0000");
}

}  // namespace
}  // namespace onestop::domain
