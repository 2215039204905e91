#include "mail/lmtp_protocol.h"

#include <charconv>

#include "mail/text_util.h"

namespace onestop::mail::lmtp_protocol {

using namespace text_util;  // NOLINT: the shared helpers of this folder

bool ParseSize(std::string_view text, uint64_t* size) {
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *size);
  return ec == std::errc() && end == text.data() + text.size() && text.front() != '+';
}


// Parses `<path> [params]` after "FROM:" / "TO:" (RFC 5321 4.1.2). Lenient
// about spaces after the colon, as real clients are; strict about the angle
// brackets. A source route (`<@a,@b:user@d>`) is dropped, as 4.1.2 advises.
bool ParsePath(std::string_view text, std::string* address, std::string_view* params) {
  text = StripLeadingWs(text);
  if (text.empty() || text[0] != '<') return false;
  bool quoted = false;
  size_t end = std::string_view::npos;
  for (size_t idx = 1; idx < text.size(); ++idx) {
    char c = text[idx];
    if (quoted) {
      if (c == '\\') {
        ++idx;
      } else if (c == '"') {
        quoted = false;
      }
      continue;
    }
    if (c == '"') {
      quoted = true;
    } else if (c == '>') {
      end = idx;
      break;
    } else if (c == '<' || c == ' ' || c == '\t') {
      return false;
    }
  }
  if (end == std::string_view::npos) return false;
  std::string_view path = text.substr(1, end - 1);
  for (char c : path) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) return false;
  }
  if (!path.empty() && path[0] == '@') {
    size_t colon = path.find(':');
    if (colon == std::string_view::npos || colon + 1 == path.size()) return false;
    path.remove_prefix(colon + 1);
  }
  std::string_view rest = text.substr(end + 1);
  if (!rest.empty() && rest[0] != ' ') return false;
  *params = StripWs(rest);
  *address = std::string(path);
  return true;
}

// The reply to one recipient after DATA, from Deliver's status for it.
std::string DeliveryReply(const absl::Status& status, std::string_view recipient) {
  switch (status.code()) {
    case absl::StatusCode::kOk:
      return "250 2.1.5 <" + std::string(recipient) + "> Delivered";
    case absl::StatusCode::kResourceExhausted:
      return "552 5.2.2 <" + std::string(recipient) + "> Mailbox full";
    case absl::StatusCode::kInvalidArgument:
      return "554 5.6.0 <" + std::string(recipient) + "> Message content rejected";
    default:
      return "451 4.3.0 <" + std::string(recipient) + "> Temporary failure, try again later";
  }
}

}  // namespace onestop::mail::lmtp_protocol
