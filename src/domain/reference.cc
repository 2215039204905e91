#include "domain/reference.h"

#include <string>

namespace onestop::domain {
namespace {

constexpr int kDataSymbols = 7;
constexpr int kBits = 5 * kDataSymbols;  // 35
constexpr uint64_t kMask = (uint64_t{1} << kBits) - 1;
static_assert(kMask == static_cast<uint64_t>(kMaxCaseNumber));

// Crockford's alphabet: values 0-31 are data symbols; 32-36 are only used as
// the mod-37 check symbol.
constexpr std::string_view kSymbols = "0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U";
constexpr int kCheckModulus = 37;
static_assert(kSymbols.size() == kCheckModulus);

// The scramble: multiply by an odd constant (a bijection mod 2^35), then
// xor-shift right (a bijection, mixing high bits into low ones), twice.
// Both steps map 0 to 0, so the whole maps [1, 2^35) onto itself.
// Changing any constant here changes every reference ever issued: don't.
constexpr uint64_t kMultiplierA = 0x5DEECE66D;  // < 2^35, odd
constexpr uint64_t kMultiplierB = 0x2545F4915;  // < 2^35, odd
constexpr int kShiftA = 17;
constexpr int kShiftB = 11;

// Inverse of an odd number modulo 2^64 (hence modulo 2^35) by Newton's
// iteration: each step doubles the number of correct low bits (3 to start).
constexpr uint64_t InverseOfOdd(uint64_t a) {
  uint64_t inverse = a;
  for (int step = 0; step < 5; ++step) inverse *= 2 - a * inverse;
  return inverse;
}
constexpr uint64_t kInverseA = InverseOfOdd(kMultiplierA) & kMask;
constexpr uint64_t kInverseB = InverseOfOdd(kMultiplierB) & kMask;
static_assert(((kMultiplierA * kInverseA) & kMask) == 1);
static_assert(((kMultiplierB * kInverseB) & kMask) == 1);

constexpr uint64_t UndoXorShiftRight(uint64_t y, int shift) {
  // x = y ^ (x >> shift): each pass fixes `shift` more high bits.
  uint64_t x = y;
  for (int fixed = 0; fixed < kBits; fixed += shift) x = y ^ (x >> shift);
  return x;
}

constexpr uint64_t Scramble(uint64_t x) {
  x = (x * kMultiplierA) & kMask;
  x ^= x >> kShiftA;
  x = (x * kMultiplierB) & kMask;
  x ^= x >> kShiftB;
  return x;
}

constexpr uint64_t Unscramble(uint64_t x) {
  x = UndoXorShiftRight(x, kShiftB);
  x = (x * kInverseB) & kMask;
  x = UndoXorShiftRight(x, kShiftA);
  x = (x * kInverseA) & kMask;
  return x;
}
static_assert(Unscramble(Scramble(1)) == 1);
static_assert(Unscramble(Scramble(kMask)) == kMask);

// Value of a symbol as read by a person, or -1. O/I/L are read as 0/1/1;
// U and *~$= are check-only values (32-36).
int SymbolValue(char c) {
  if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  if (c == 'O') return 0;
  if (c == 'I' || c == 'L') return 1;
  size_t pos = kSymbols.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

absl::Status Invalid() {
  return absl::InvalidArgumentError("not a valid case reference (expected e.g. \"4K7P-9QX3\")");
}

}  // namespace

// Callers pass 1..kMaxCaseNumber. Outside that range the number is taken
// modulo 2^35 (so 0 encodes to "0000-0000", which DecodeCaseReference
// rejects); this never crashes but the reference does not round-trip.
std::string EncodeCaseReference(int64_t number) {
  uint64_t scrambled = Scramble(static_cast<uint64_t>(number) & kMask);
  std::string out;
  out.reserve(kDataSymbols + 2);
  for (int symbol_idx = kDataSymbols - 1; symbol_idx >= 0; --symbol_idx) {
    out.push_back(kSymbols[(scrambled >> (5 * symbol_idx)) & 31]);
    if (out.size() == 4) out.push_back('-');
  }
  out.push_back(kSymbols[scrambled % kCheckModulus]);
  return out;
}

absl::StatusOr<int64_t> DecodeCaseReference(std::string_view text) {
  uint64_t scrambled = 0;
  int symbols_seen = 0;
  int check = -1;
  for (char c : text) {
    if (c == '-' || c == ' ') continue;
    int value = SymbolValue(c);
    if (value < 0) return Invalid();
    if (symbols_seen < kDataSymbols) {
      if (value >= 32) return Invalid();  // a check-only symbol in the data
      scrambled = (scrambled << 5) | static_cast<uint64_t>(value);
    } else if (symbols_seen == kDataSymbols) {
      check = value;
    } else {
      return Invalid();  // too long
    }
    ++symbols_seen;
  }
  if (symbols_seen != kDataSymbols + 1) return Invalid();
  if (static_cast<int>(scrambled % kCheckModulus) != check) return Invalid();
  uint64_t number = Unscramble(scrambled);
  if (number == 0) return Invalid();  // "0000-0000" is well formed but no case has number 0
  return static_cast<int64_t>(number);
}

}  // namespace onestop::domain
