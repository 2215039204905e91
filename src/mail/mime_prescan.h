// Passes over a message's raw bytes before GMime sees it (internal to
// src/mail, used by ParseMail): bounding what GMime would allocate, and
// working around GMime 3.2.13's merging of adjacent base64 encoded-words.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "mail/mime.h"

namespace onestop::mail::mime_prescan {

// ResourceExhausted when `raw` has more boundary lines than `limits` allow
// parts, or too many / too long header fields.
absl::Status PrescanLimits(std::string_view raw, const MimeLimits& limits);

// `raw` with the padded base64 encoded-words of its top-level header block
// rewritten as the equivalent Q words (see mime_prescan.cc).
std::string RewritePaddedBase64Words(std::string_view raw);

}  // namespace onestop::mail::mime_prescan
