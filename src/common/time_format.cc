#include "common/time_format.h"

#include "absl/strings/str_cat.h"

namespace onestop {

std::string FormatRfc3339(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

std::string FormatRfc3339Millis(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", t, absl::UTCTimeZone());
}

absl::StatusOr<absl::Time> ParseRfc3339(std::string_view text) {
  absl::Time t;
  std::string err;
  std::string s(text);
  if (absl::ParseTime(absl::RFC3339_full, s, &t, &err)) return t;
  return absl::InvalidArgumentError(absl::StrCat("not an RFC 3339 timestamp: ", err));
}

const absl::TimeZone& LondonTimeZone() {
  static const absl::TimeZone* tz = [] {
    auto* zone = new absl::TimeZone;
    if (!absl::LoadTimeZone("Europe/London", zone)) {
      // tzdata missing: fall back to UTC rather than crash; logged by the app.
      *zone = absl::UTCTimeZone();
    }
    return zone;
  }();
  return *tz;
}

}  // namespace onestop
