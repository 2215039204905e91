// UK postcode shape check and normalisation (shape only; existence needs a
// gazetteer). Pattern from shared/reference/notify-and-addresses.md.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace onestop::domain {

// Upper-cases, trims, and puts exactly one space before the 3-character
// inward code. Returns nullopt if the result is not a valid UK postcode shape.
// "sw1a1aa" -> "SW1A 1AA"; " gir0aa " -> "GIR 0AA".
std::optional<std::string> NormalisePostcode(std::string_view raw);

}  // namespace onestop::domain
