// Formatting and parsing of timestamps at the edges (API, store).
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace onestop {

// RFC 3339 in UTC with a 'Z' and whole seconds, e.g. "2026-11-25T09:30:00Z".
std::string FormatRfc3339(absl::Time t);
// RFC 3339 with milliseconds (for event logs): "2026-11-25T09:30:00.123Z".
std::string FormatRfc3339Millis(absl::Time t);
// Accepts RFC 3339 / ISO 8601 with offset or Z ("2026-11-25T09:30:00+00:00",
// fractional seconds optional).
absl::StatusOr<absl::Time> ParseRfc3339(std::string_view text);

// Europe/London, loaded once from the system's tzdata.
const absl::TimeZone& LondonTimeZone();

}  // namespace onestop
