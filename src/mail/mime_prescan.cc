#include "mail/mime_prescan.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "mail/text_util.h"

namespace onestop::mail::mime_prescan {

using namespace text_util;  // NOLINT: the shared helpers of this folder

// GMime 3.2.13 (Debian 12) decodes adjacent base64 encoded-words of one
// charset as one stream and stops at the first word's '=' padding, so
// "=?UTF-8?B?VHJldGgg?= =?UTF-8?B?YmlsIMKjMTIw?=" loses all after the first
// word (GMime issue #133, fixed in 3.2.14, which Debian 12 does not ship).
// Padded B words in the top-level header block are rewritten as the
// equivalent Q words, which merge safely. Harmless on a fixed GMime (the
// corpus message encoded_headers.eml checks the decoded subject either way).
std::string RewritePaddedBase64Words(std::string_view raw) {
  size_t header_end = raw.find("\n\n");
  const size_t crlf_end = raw.find("\r\n\r\n");
  if (crlf_end != std::string_view::npos && crlf_end < header_end) header_end = crlf_end;
  if (header_end == std::string_view::npos) header_end = raw.size();
  const std::string_view headers = raw.substr(0, header_end);
  if (headers.find("=?") == std::string_view::npos) return std::string(raw);
  std::string out;
  out.reserve(raw.size() + raw.size() / 8);
  size_t pos = 0;
  for (;;) {
    const size_t start = headers.find("=?", pos);
    if (start == std::string_view::npos) break;
    // =?charset?B?payload?=
    const size_t charset_end = headers.find('?', start + 2);
    if (charset_end == std::string_view::npos || charset_end + 2 >= headers.size() ||
        headers[charset_end + 2] != '?' ||
        (headers[charset_end + 1] != 'B' && headers[charset_end + 1] != 'b')) {
      out.append(headers.substr(pos, start + 2 - pos));
      pos = start + 2;
      continue;
    }
    const size_t payload_start = charset_end + 3;
    const size_t end = headers.find("?=", payload_start);
    const std::string_view charset = headers.substr(start + 2, charset_end - start - 2);
    if (end == std::string_view::npos) break;
    const std::string_view payload = headers.substr(payload_start, end - payload_start);
    std::string bytes;
    if (payload.find('=') == std::string_view::npos ||
        payload.find_first_of(" \t\r\n") != std::string_view::npos ||
        charset.find_first_of(" \t\r\n") != std::string_view::npos ||
        !absl::Base64Unescape(std::string(payload), &bytes)) {
      out.append(headers.substr(pos, end + 2 - pos));
      pos = end + 2;
      continue;
    }
    out.append(headers.substr(pos, start - pos));
    out += "=?";
    out += charset;
    out += "?Q?";
    static constexpr char kHex[] = "0123456789ABCDEF";
    for (const char byte : bytes) {
      const auto value = static_cast<unsigned char>(byte);
      if (absl::ascii_isalnum(value)) {
        out.push_back(byte);
      } else {
        out.push_back('=');
        out.push_back(kHex[value >> 4]);
        out.push_back(kHex[value & 0xF]);
      }
    }
    out += "?=";
    pos = end + 2;
  }
  out.append(raw.substr(pos));
  return out;
}

// GMime builds an object for every MIME part and header before we can count
// anything, at a cost of about a kilobyte per header and ~80 bytes per header
// byte, so the raw text is bounded first, in one linear pass:
//  - lines starting "--" (every part but the first follows a boundary line):
//    ten per allowed part, so that text with many "--" lines still parses;
//  - header lines, as far as a scan without parsing can tell where headers
//    are (the top, after a "--" line, after the headers of a part whose type
//    mentions "message", every part of a digest): 20,000 lines, 2 MiB in
//    all, 128 KiB for one field (Postfix allows 100 KB).
// Over-counting is harmless: these are bounds far above real mail.
constexpr size_t kMaxHeaderLines = 20000;
constexpr size_t kMaxHeaderBytes = 2 * 1024 * 1024;
constexpr size_t kMaxHeaderFieldBytes = 128 * 1024;

absl::Status PrescanLimits(std::string_view raw, const MimeLimits& limits) {
  const size_t max_boundary_lines = std::max<size_t>(1000, limits.max_parts * 10);
  size_t boundary_lines = 0;
  size_t header_lines = 0;
  size_t header_bytes = 0;
  size_t field_bytes = 0;
  bool in_header = true;
  bool after_boundary = false;
  bool message_follows = false;
  bool digest = false;
  size_t pos = 0;
  while (pos < raw.size()) {
    size_t end = raw.find('\n', pos);
    if (end == std::string_view::npos) end = raw.size();
    std::string_view line = raw.substr(pos, end - pos);
    pos = end + 1;
    ConsumeSuffix(&line, "\r");
    if (line.empty()) {
      if (in_header) {
        in_header = message_follows || (digest && after_boundary);
        message_follows = false;
        after_boundary = false;
      }
      continue;
    }
    if (line.starts_with("--")) {
      if (++boundary_lines > max_boundary_lines) {
        return absl::ResourceExhaustedError(
            absl::StrCat("the message has more than ", limits.max_parts, " MIME parts"));
      }
      in_header = true;
      after_boundary = true;
      message_follows = false;
      continue;
    }
    if (!in_header) continue;
    field_bytes = (line[0] == ' ' || line[0] == '\t') ? field_bytes + line.size() : line.size();
    header_bytes += line.size();
    if (++header_lines > kMaxHeaderLines || header_bytes > kMaxHeaderBytes ||
        field_bytes > kMaxHeaderFieldBytes) {
      return absl::ResourceExhaustedError("the message has too many or too long header fields");
    }
    const std::string lower = Lower(line.substr(0, 200));
    if (lower.find("message") != std::string::npos) message_follows = true;
    if (lower.find("digest") != std::string::npos) digest = true;
  }
  return absl::OkStatus();
}


}  // namespace onestop::mail::mime_prescan
