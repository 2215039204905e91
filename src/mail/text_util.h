// Text helpers the email adapters share (internal to src/mail): trimming,
// case-insensitive comparison and splitting on std::string_view (Debian's
// abseil has its own absl::string_view, so absl's functions do not take
// std's), and UTF-8 checking, repair and cutting. Pure functions; any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace onestop::mail::text_util {

// ---- small string helpers on std::string_view --------------------------------
// (Debian's abseil has its own absl::string_view, not std's, so the absl
// string functions do not take std::string_view.)

inline bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

inline std::string_view StripLeadingWs(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  return text;
}

inline std::string_view StripWs(std::string_view text) {
  text = StripLeadingWs(text);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  return text;
}

inline char LowerChar(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

inline std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = LowerChar(c);
  return out;
}

inline std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  return out;
}

inline bool EqualsIgnoreCase(std::string_view left, std::string_view right) {
  if (left.size() != right.size()) return false;
  for (size_t idx = 0; idx < left.size(); ++idx) {
    if (LowerChar(left[idx]) != LowerChar(right[idx])) return false;
  }
  return true;
}

inline bool StartsWithIgnoreCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && EqualsIgnoreCase(text.substr(0, prefix.size()), prefix);
}

inline bool StartsWith(std::string_view text, std::string_view prefix) { return text.starts_with(prefix); }
inline bool EndsWith(std::string_view text, std::string_view suffix) { return text.ends_with(suffix); }

inline bool ConsumePrefix(std::string_view* text, std::string_view prefix) {
  if (!text->starts_with(prefix)) return false;
  text->remove_prefix(prefix.size());
  return true;
}

inline bool ConsumeSuffix(std::string_view* text, std::string_view suffix) {
  if (!text->ends_with(suffix)) return false;
  text->remove_suffix(suffix.size());
  return true;
}

// Every piece, empty ones included (like absl::StrSplit).
inline std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> pieces;
  size_t start = 0;
  for (;;) {
    const size_t end = text.find(separator, start);
    if (end == std::string_view::npos) {
      pieces.push_back(text.substr(start));
      return pieces;
    }
    pieces.push_back(text.substr(start, end - start));
    start = end + 1;
  }
}

// The non-empty pieces between any of `separators`.
inline std::vector<std::string_view> SplitAny(std::string_view text, std::string_view separators) {
  std::vector<std::string_view> pieces;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find_first_of(separators, start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) pieces.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return pieces;
}

// ---- UTF-8 ------------------------------------------------------------------

inline constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

inline void AppendUtf8(uint32_t code_point, std::string& out) {
  if (code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) {
    out += kReplacement;
  } else if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

// Length of the valid UTF-8 sequence at `pos`, or 0 when it is invalid
// (truncated, overlong, surrogate, beyond U+10FFFF).
inline size_t Utf8SequenceLength(std::string_view bytes, size_t pos, size_t* valid_prefix) {
  const auto lead = static_cast<unsigned char>(bytes[pos]);
  *valid_prefix = 1;
  if (lead < 0x80) return 1;
  size_t length = 0;
  uint32_t code_point = 0;
  uint32_t minimum = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code_point = lead & 0x1F;
    minimum = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code_point = lead & 0x0F;
    minimum = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code_point = lead & 0x07;
    minimum = 0x10000;
  } else {
    return 0;
  }
  size_t taken = 1;
  for (; taken < length && pos + taken < bytes.size(); ++taken) {
    const auto next = static_cast<unsigned char>(bytes[pos + taken]);
    if ((next & 0xC0) != 0x80) break;
    code_point = (code_point << 6) | (next & 0x3F);
  }
  *valid_prefix = taken;
  if (taken < length || code_point < minimum || code_point > 0x10FFFF ||
      (code_point >= 0xD800 && code_point <= 0xDFFF)) {
    return 0;
  }
  return length;
}

inline bool IsValidUtf8(std::string_view bytes) {
  size_t pos = 0;
  while (pos < bytes.size()) {
    size_t prefix = 0;
    const size_t length = Utf8SequenceLength(bytes, pos, &prefix);
    if (length == 0) return false;
    pos += length;
  }
  return true;
}

// Cuts valid UTF-8 to at most `max_bytes` without splitting a character.
inline void CutUtf8(std::string& text, size_t max_bytes) {
  if (text.size() <= max_bytes) return;
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  text.resize(end);
}

// Windows-1252 (a superset of ISO-8859-1 in practice: mail labelled
// iso-8859-1 routinely carries 0x80–0x9F curly quotes, as browsers assume).
inline constexpr std::array<uint16_t, 32> kWindows1252High = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

inline std::string Windows1252ToUtf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 4);
  for (const char byte : bytes) {
    const auto value = static_cast<unsigned char>(byte);
    if (value >= 0x80 && value < 0xA0) {
      AppendUtf8(kWindows1252High[value - 0x80], out);
    } else {
      AppendUtf8(value, out);
    }
  }
  return out;
}

// Text for the timeline: LF line ends, no NULs or other C0 controls but tab.
inline std::string NormalizeText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t pos = 0; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (c == '\r') {
      out.push_back('\n');
      if (pos + 1 < text.size() && text[pos + 1] == '\n') ++pos;
    } else if (c == '\n' || c == '\t' || static_cast<unsigned char>(c) >= 0x20) {
      out.push_back(c);
    }
  }
  return out;
}


inline std::string StripAngles(std::string_view id) {
  id = StripWs(id);
  if (ConsumePrefix(&id, "<")) ConsumeSuffix(&id, ">");
  return std::string(StripWs(id));
}

}  // namespace onestop::mail::text_util
