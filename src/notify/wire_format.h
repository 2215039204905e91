// Small checks on the text Notify sends and receives: UUIDs (every Notify id),
// UTF-8 (JSON text must be), and Notify's timestamps. Pure functions, no
// state; safe from any thread.
#pragma once

#include <optional>
#include <string_view>

#include "absl/time/time.h"

namespace onestop::notify {

// True for the 8-4-4-4-12 hex form ("a1b2c3d4-0000-4000-8000-00000000abcd"),
// either case. Notify's service ids, API secrets, template and notification
// ids all have this form.
bool IsUuid(std::string_view text);

// True if `text` is well-formed UTF-8 (no overlong forms, no surrogates,
// nothing above U+10FFFF).
bool IsValidUtf8(std::string_view text);

// Notify's timestamps: RFC 3339 ("2017-05-14T12:15:30.000000Z", any offset),
// or the same without an offset, which Notify means as UTC. nullopt when the
// text is neither.
std::optional<absl::Time> ParseNotifyTime(std::string_view text);

}  // namespace onestop::notify
