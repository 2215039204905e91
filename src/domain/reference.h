// Case references a resident can read out over the phone without ambiguity.
//
// Format: "XXXX-XXXX": seven symbols encoding the case number, then one check
// symbol, using Crockford's base-32 alphabet (0-9 A-Z without I L O U), so 0/O
// and 1/I/L are never confused. The number is scrambled by a fixed bijection
// so consecutive cases do not get consecutive-looking references. The check
// symbol (Crockford mod 37, alphabet plus "*~$=U") catches any single wrong
// symbol and any swap of two adjacent symbols.
//
// Parsing is forgiving as Crockford decoding is: lower case, missing or extra
// hyphens/spaces, O→0 and I/L→1 are accepted.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace onestop::domain {

// Numbers from 1 to kMaxCaseNumber (2^35 - 1) are valid.
inline constexpr int64_t kMaxCaseNumber = (int64_t{1} << 35) - 1;

// `number` must be in [1, kMaxCaseNumber]; other values are taken modulo 2^35
// (0 gives "0000-0000", which DecodeCaseReference rejects).
std::string EncodeCaseReference(int64_t number);
// Returns the case number, or InvalidArgument if the text is not a valid
// reference (wrong length, bad symbol, check symbol mismatch).
absl::StatusOr<int64_t> DecodeCaseReference(std::string_view text);

}  // namespace onestop::domain
