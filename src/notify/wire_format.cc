#include "notify/wire_format.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace onestop::notify {

bool IsUuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (size_t char_idx = 0; char_idx < text.size(); ++char_idx) {
    const char c = text[char_idx];
    if (char_idx == 8 || char_idx == 13 || char_idx == 18 || char_idx == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

bool IsValidUtf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const size_t size = text.size();
  size_t pos = 0;
  while (pos < size) {
    const unsigned char lead = bytes[pos];
    if (lead < 0x80) {
      ++pos;
      continue;
    }
    size_t length = 0;
    uint32_t code_point = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
      code_point = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      code_point = lead & 0x0F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      code_point = lead & 0x07;
    } else {
      return false;  // a continuation byte, an overlong 2-byte lead (C0, C1) or F5..FF
    }
    if (size - pos < length) return false;
    for (size_t cont_idx = 1; cont_idx < length; ++cont_idx) {
      const unsigned char cont = bytes[pos + cont_idx];
      if ((cont & 0xC0) != 0x80) return false;
      code_point = (code_point << 6) | (cont & 0x3F);
    }
    if ((length == 3 && code_point < 0x800) || (length == 4 && code_point < 0x10000)) return false;
    if (code_point >= 0xD800 && code_point <= 0xDFFF) return false;
    if (code_point > 0x10FFFF) return false;
    pos += length;
  }
  return true;
}

std::optional<absl::Time> ParseNotifyTime(std::string_view text) {
  // absl's string_view is not std's on Debian 12: hand it a std::string.
  const std::string owned(text);
  absl::Time time;
  std::string error;
  if (absl::ParseTime(absl::RFC3339_full, owned, &time, &error)) return time;
  if (absl::ParseTime("%Y-%m-%d%ET%H:%M:%E*S", owned, absl::UTCTimeZone(), &time, &error)) {
    return time;
  }
  return std::nullopt;
}

}  // namespace onestop::notify
