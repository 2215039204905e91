#include "domain/postcode.h"

#include <string>

namespace onestop::domain {
namespace {

// A hand-written matcher for the pattern in
// shared/reference/notify-and-addresses.md (checked against std::regex in the
// test), applied to the postcode with its spaces removed:
//   GIR0AA
//   | outward inward, where
//   outward = A9 | A99 | AA9 | AA99 | A9A | AA9A (letter sets below)
//   inward  = 9 AA
bool InSet(char c, std::string_view set) { return set.find(c) != std::string_view::npos; }

constexpr std::string_view kFirst = "ABCDEFGHIJKLMNOPRSTUWYZ";    // [A-PR-UWYZ]
constexpr std::string_view kSecond = "ABCDEFGHKLMNOPQRSTUVWXY";   // [A-HK-Y]
constexpr std::string_view kThirdAfterDigit = "ABCDEFGHJKPSTUW";  // [A-HJKPSTUW]
constexpr std::string_view kFourth = "ABEHMNPRVWXY";              // [ABEHMNPRVWXY]
constexpr std::string_view kInward = "ABDEFGHJLNPQRSTUWXYZ";      // [ABD-HJLNP-UW-Z]

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsOutward(std::string_view s) {
  if (s.size() < 2 || s.size() > 4 || !InSet(s[0], kFirst)) return false;
  if (IsDigit(s[1])) {
    // A9, A99, A9A
    if (s.size() == 2) return true;
    if (s.size() == 3) return IsDigit(s[2]) || InSet(s[2], kThirdAfterDigit);
    return false;
  }
  // AA9, AA99, AA9A
  if (!InSet(s[1], kSecond) || s.size() < 3 || !IsDigit(s[2])) return false;
  if (s.size() == 3) return true;
  return IsDigit(s[3]) || InSet(s[3], kFourth);
}

bool IsInward(std::string_view s) {
  return s.size() == 3 && IsDigit(s[0]) && InSet(s[1], kInward) && InSet(s[2], kInward);
}

}  // namespace

std::optional<std::string> NormalisePostcode(std::string_view raw) {
  // Spaces are dropped wherever they are (people type "SW1A1AA", "SW1A  1AA",
  // " sw1a 1aa\t"); the fixed-length inward code says where the one space goes.
  std::string compact;
  compact.reserve(raw.size());
  for (char c : raw) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    compact.push_back(c);
    if (compact.size() > 7) return std::nullopt;
  }
  if (compact.size() < 5) return std::nullopt;
  std::string_view outward = std::string_view(compact).substr(0, compact.size() - 3);
  std::string_view inward = std::string_view(compact).substr(compact.size() - 3);
  bool valid = (outward == "GIR" && inward == "0AA") || (IsOutward(outward) && IsInward(inward));
  if (!valid) return std::nullopt;
  return std::string(outward) + " " + std::string(inward);
}

}  // namespace onestop::domain
