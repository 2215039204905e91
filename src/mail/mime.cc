// The MIME parser (mime.h). GMime builds the tree and decodes headers,
// transfer encodings and charsets; this file walks the tree under the limits,
// picks the body, turns HTML into text, trims quoted replies, sniffs
// attachments and classes automatic mail.
#include "mail/mime.h"

// GMime's headers use open(2) flags without including <fcntl.h> themselves.
#include <fcntl.h>
#include <gmime/gmime.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace onestop::mail {
namespace {

// ---- small string helpers on std::string_view --------------------------------
// (Debian's abseil has its own absl::string_view, not std's, so the absl
// string functions do not take std::string_view.)

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

std::string_view StripLeadingWs(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  return text;
}

std::string_view StripWs(std::string_view text) {
  text = StripLeadingWs(text);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  return text;
}

char LowerChar(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = LowerChar(c);
  return out;
}

bool EqualsIgnoreCase(std::string_view left, std::string_view right) {
  if (left.size() != right.size()) return false;
  for (size_t idx = 0; idx < left.size(); ++idx) {
    if (LowerChar(left[idx]) != LowerChar(right[idx])) return false;
  }
  return true;
}

bool StartsWithIgnoreCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && EqualsIgnoreCase(text.substr(0, prefix.size()), prefix);
}

bool StartsWith(std::string_view text, std::string_view prefix) { return text.starts_with(prefix); }
bool EndsWith(std::string_view text, std::string_view suffix) { return text.ends_with(suffix); }

bool ConsumePrefix(std::string_view* text, std::string_view prefix) {
  if (!text->starts_with(prefix)) return false;
  text->remove_prefix(prefix.size());
  return true;
}

bool ConsumeSuffix(std::string_view* text, std::string_view suffix) {
  if (!text->ends_with(suffix)) return false;
  text->remove_suffix(suffix.size());
  return true;
}

// Every piece, empty ones included (like absl::StrSplit).
std::vector<std::string_view> Split(std::string_view text, char separator) {
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
std::vector<std::string_view> SplitAny(std::string_view text, std::string_view separators) {
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

// ---- GLib / GMime ownership -------------------------------------------------

struct GObjectUnref {
  void operator()(void* object) const {
    if (object != nullptr) g_object_unref(object);
  }
};
template <typename T>
using GPtr = std::unique_ptr<T, GObjectUnref>;

struct GFree {
  void operator()(void* memory) const { g_free(memory); }
};
using GCharPtr = std::unique_ptr<char, GFree>;

struct ParserOptionsFree {
  void operator()(GMimeParserOptions* options) const {
    if (options != nullptr) g_mime_parser_options_free(options);
  }
};
using ParserOptionsPtr = std::unique_ptr<GMimeParserOptions, ParserOptionsFree>;

struct ReferencesFree {
  void operator()(GMimeReferences* refs) const {
    if (refs != nullptr) g_mime_references_free(refs);
  }
};
using ReferencesPtr = std::unique_ptr<GMimeReferences, ReferencesFree>;

void InitGMimeOnce() {
  static std::once_flag once;
  // Never shut down: other threads may be parsing at exit.
  std::call_once(once, [] { g_mime_init(); });
}

std::string StreamBytes(GMimeStream* stream) {
  GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream));
  if (bytes == nullptr || bytes->len == 0) return {};
  return std::string(reinterpret_cast<const char*>(bytes->data), bytes->len);
}

// ---- UTF-8 ------------------------------------------------------------------

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

void AppendUtf8(uint32_t code_point, std::string& out) {
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
size_t Utf8SequenceLength(std::string_view bytes, size_t pos, size_t* valid_prefix) {
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

bool IsValidUtf8(std::string_view bytes) {
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
void CutUtf8(std::string& text, size_t max_bytes) {
  if (text.size() <= max_bytes) return;
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  text.resize(end);
}

// Windows-1252 (a superset of ISO-8859-1 in practice: mail labelled
// iso-8859-1 routinely carries 0x80–0x9F curly quotes, as browsers assume).
constexpr std::array<uint16_t, 32> kWindows1252High = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

std::string Windows1252ToUtf8(std::string_view bytes) {
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
std::string NormalizeText(std::string_view text) {
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

// A header value for display: valid UTF-8, whitespace runs (folding) as one
// space, controls dropped, trimmed, bounded.
constexpr size_t kMaxHeaderTextBytes = 4096;

std::string CleanHeaderText(const char* value) {
  if (value == nullptr) return {};
  const std::string valid = ToValidUtf8(value);
  std::string out;
  out.reserve(valid.size());
  bool pending_space = false;
  for (const char c : valid) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      pending_space = !out.empty();
    } else if (byte >= 0x20 && byte != 0x7F) {
      if (pending_space) out.push_back(' ');
      pending_space = false;
      out.push_back(c);
    }
  }
  CutUtf8(out, kMaxHeaderTextBytes);
  return out;
}

std::string StripAngles(std::string_view id) {
  id = StripWs(id);
  if (ConsumePrefix(&id, "<")) ConsumeSuffix(&id, ">");
  return std::string(StripWs(id));
}

// ---- format=flowed (RFC 3676) ----------------------------------------------

std::string DecodeFlowed(std::string_view text, bool delete_space) {
  std::string out;
  out.reserve(text.size());
  std::string paragraph;
  size_t paragraph_depth = 0;
  bool open = false;  // the previous line was flowed: this one continues it
  const auto flush = [&] {
    out.append(paragraph_depth, '>');
    if (paragraph_depth > 0 && !paragraph.empty()) out.push_back(' ');
    out += paragraph;
    out.push_back('\n');
    paragraph.clear();
  };
  const std::vector<std::string_view> lines = Split(text, '\n');
  for (size_t line_idx = 0; line_idx < lines.size(); ++line_idx) {
    std::string_view line = lines[line_idx];
    if (line_idx + 1 == lines.size() && line.empty()) break;  // the final newline
    size_t depth = 0;
    while (depth < line.size() && line[depth] == '>') ++depth;
    line.remove_prefix(depth);
    ConsumePrefix(&line, " ");  // space-stuffing
    const bool signature = line == "-- ";
    const bool flowed = !signature && EndsWith(line, " ");
    if (flowed && delete_space) line.remove_suffix(1);
    if (open && depth != paragraph_depth) flush(), open = false;
    if (!open) paragraph_depth = depth;
    paragraph.append(line);
    open = flowed;
    if (!open) flush();
  }
  if (open) flush();
  return out;
}

// ---- HTML to text -----------------------------------------------------------

struct NamedEntity {
  std::string_view name;
  uint32_t code_point;
};
constexpr NamedEntity kEntities[] = {
    {"amp", '&'},      {"lt", '<'},       {"gt", '>'},        {"quot", '"'},     {"apos", '\''},
    {"nbsp", 0xA0},    {"copy", 0xA9},    {"reg", 0xAE},      {"trade", 0x2122}, {"hellip", 0x2026},
    {"mdash", 0x2014}, {"ndash", 0x2013}, {"lsquo", 0x2018},  {"rsquo", 0x2019}, {"sbquo", 0x201A},
    {"ldquo", 0x201C}, {"rdquo", 0x201D}, {"bdquo", 0x201E},  {"bull", 0x2022},  {"middot", 0xB7},
    {"pound", 0xA3},   {"euro", 0x20AC},  {"yen", 0xA5},      {"cent", 0xA2},    {"sect", 0xA7},
    {"para", 0xB6},    {"deg", 0xB0},     {"plusmn", 0xB1},   {"times", 0xD7},   {"divide", 0xF7},
    {"laquo", 0xAB},   {"raquo", 0xBB},   {"iexcl", 0xA1},    {"iquest", 0xBF},  {"shy", 0xAD},
    {"ensp", 0x2002},  {"emsp", 0x2003},  {"thinsp", 0x2009}, {"zwnj", 0x200C},  {"zwj", 0x200D},
    {"lrm", 0x200E},   {"rlm", 0x200F},   {"frac12", 0xBD},   {"frac14", 0xBC},  {"frac34", 0xBE},
    {"sup2", 0xB2},    {"micro", 0xB5},   {"szlig", 0xDF},    {"Agrave", 0xC0},  {"Aacute", 0xC1},
    {"Acirc", 0xC2},   {"Auml", 0xC4},    {"Aring", 0xC5},    {"AElig", 0xC6},   {"Ccedil", 0xC7},
    {"Egrave", 0xC8},  {"Eacute", 0xC9},  {"Ecirc", 0xCA},    {"Euml", 0xCB},    {"Igrave", 0xCC},
    {"Iacute", 0xCD},  {"Icirc", 0xCE},   {"Iuml", 0xCF},     {"Ntilde", 0xD1},  {"Ograve", 0xD2},
    {"Oacute", 0xD3},  {"Ocirc", 0xD4},   {"Ouml", 0xD6},     {"Oslash", 0xD8},  {"Ugrave", 0xD9},
    {"Uacute", 0xDA},  {"Ucirc", 0xDB},   {"Uuml", 0xDC},     {"Yacute", 0xDD},  {"agrave", 0xE0},
    {"aacute", 0xE1},  {"acirc", 0xE2},   {"auml", 0xE4},     {"aring", 0xE5},   {"aelig", 0xE6},
    {"ccedil", 0xE7},  {"egrave", 0xE8},  {"eacute", 0xE9},   {"ecirc", 0xEA},   {"euml", 0xEB},
    {"igrave", 0xEC},  {"iacute", 0xED},  {"icirc", 0xEE},    {"iuml", 0xEF},    {"ntilde", 0xF1},
    {"ograve", 0xF2},  {"oacute", 0xF3},  {"ocirc", 0xF4},    {"ouml", 0xF6},    {"oslash", 0xF8},
    {"ugrave", 0xF9},  {"uacute", 0xFA},  {"ucirc", 0xFB},    {"uuml", 0xFC},    {"yacute", 0xFD},
    {"yuml", 0xFF},    {"Wcirc", 0x174},  {"wcirc", 0x175},   {"Ycirc", 0x176},  {"ycirc", 0x177},
    {"Yuml", 0x178},   {"OElig", 0x152},  {"oelig", 0x153},
};

// Decodes the character reference starting at html[pos] == '&'. Returns the
// bytes consumed (0 when it is not one, and the '&' stands for itself).
size_t DecodeEntity(std::string_view html, size_t pos, std::string& out) {
  // Bounded look-ahead: a stray '&' must not make the whole rest be searched.
  const size_t semicolon = html.substr(0, pos + 34).find(';', pos + 1);
  if (semicolon == std::string_view::npos) return 0;
  const std::string_view body = html.substr(pos + 1, semicolon - pos - 1);
  if (!body.empty() && body[0] == '#') {
    std::string_view digits = body.substr(1);
    int base = 10;
    if (!digits.empty() && (digits[0] == 'x' || digits[0] == 'X')) {
      base = 16;
      digits.remove_prefix(1);
    }
    if (digits.empty() || digits.size() > 8) return 0;
    uint32_t value = 0;
    for (const char digit : digits) {
      int nibble = -1;
      if (digit >= '0' && digit <= '9') nibble = digit - '0';
      if (base == 16 && digit >= 'a' && digit <= 'f') nibble = digit - 'a' + 10;
      if (base == 16 && digit >= 'A' && digit <= 'F') nibble = digit - 'A' + 10;
      if (nibble < 0) return 0;
      value = value * static_cast<uint32_t>(base) + static_cast<uint32_t>(nibble);
    }
    // As browsers do (HTML5 "numeric character reference end state").
    if (value == 0) value = 0xFFFD;
    if (value >= 0x80 && value < 0xA0) value = kWindows1252High[value - 0x80];
    AppendUtf8(value, out);
    return semicolon - pos + 1;
  }
  for (const NamedEntity& entity : kEntities) {
    if (entity.name == body) {
      AppendUtf8(entity.code_point, out);
      return semicolon - pos + 1;
    }
  }
  return 0;
}

size_t FindCaseInsensitive(std::string_view haystack, std::string_view needle, size_t from) {
  if (needle.empty()) return std::string_view::npos;
  const char first[] = {absl::ascii_tolower(static_cast<unsigned char>(needle[0])),
                        absl::ascii_toupper(static_cast<unsigned char>(needle[0])), '\0'};
  for (size_t pos = haystack.find_first_of(first, from); pos != std::string_view::npos;
       pos = haystack.find_first_of(first, pos + 1)) {
    if (StartsWithIgnoreCase(haystack.substr(pos), needle)) return pos;
  }
  return std::string_view::npos;
}

// A search whose answer is remembered while the reading position has not
// passed it: keeps repeated look-aheads (many <head> tags) linear.
class CachedFind {
 public:
  CachedFind(std::string_view haystack, std::string_view needle)
      : haystack_(haystack), needle_(needle) {}
  size_t From(size_t from) {
    if (!searched_ || (found_ != std::string_view::npos && found_ < from)) {
      found_ = FindCaseInsensitive(haystack_, needle_, from);
      searched_ = true;
    }
    return found_;
  }

 private:
  std::string_view haystack_;
  std::string_view needle_;
  bool searched_ = false;
  size_t found_ = std::string_view::npos;
};

class TextWriter {
 public:
  void Text(std::string_view text) {
    for (const char c : text) {
      if (pre_depth_ == 0 && (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f')) {
        if (!at_line_start_) pending_space_ = true;
        continue;
      }
      if (c == '\n') {
        Newline();
        continue;
      }
      if (at_line_start_) {
        for (int level = 0; level < std::min(quote_depth_, 10); ++level) out_ += "> ";
        at_line_start_ = false;
      } else if (pending_space_) {
        out_.push_back(' ');
      }
      pending_space_ = false;
      newline_run_ = 0;
      out_.push_back(c);
    }
  }
  void Newline() {
    pending_space_ = false;
    at_line_start_ = true;
    if (newline_run_ >= 2) return;
    out_.push_back('\n');
    ++newline_run_;
  }
  void BlockBreak() {
    if (!at_line_start_) Newline();
  }
  void ParagraphBreak() {
    BlockBreak();
    Newline();  // a blank line, unless there is one already
  }
  void Space() {
    if (!at_line_start_) pending_space_ = true;
  }
  void Quote(int delta) {
    BlockBreak();
    quote_depth_ = std::max(0, quote_depth_ + delta);
  }
  void Pre(int delta) {
    BlockBreak();
    pre_depth_ = std::max(0, pre_depth_ + delta);
  }
  bool in_pre() const { return pre_depth_ > 0; }

  size_t size() const { return out_.size(); }

  // No-break spaces as spaces; trailing spaces, runs of blank lines (which
  // nbsp-only paragraphs make) and blank lines at the ends gone.
  std::string Finish() {
    std::string text;
    text.reserve(out_.size());
    size_t newlines = 2;  // none at the start
    for (size_t pos = 0; pos < out_.size(); ++pos) {
      char c = out_[pos];
      if (c == '\xC2' && pos + 1 < out_.size() && out_[pos + 1] == '\xA0') {
        c = ' ';
        ++pos;
      }
      if (c == '\n') {
        while (!text.empty() && text.back() == ' ') text.pop_back();
        if (++newlines > 2) continue;
      } else if (c != ' ') {
        newlines = 0;  // spaces alone do not end a blank line: they are dropped at its end
      }
      text.push_back(c);
    }
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
  }

 private:
  std::string out_;
  bool at_line_start_ = true;
  bool pending_space_ = false;
  int newline_run_ = 2;  // no blank lines at the start
  int quote_depth_ = 0;
  int pre_depth_ = 0;
};

bool IsRawTextElement(std::string_view name) {
  return name == "script" || name == "style" || name == "title" || name == "template" ||
         name == "noscript" || name == "xml" || name == "iframe" || name == "object";
}

bool IsBlockElement(std::string_view name) {
  static constexpr std::string_view kBlocks[] = {
      "address", "article",  "aside",      "body",   "caption", "center", "dd",    "div",  "dl",
      "dt",      "fieldset", "figcaption", "figure", "footer",  "form",   "h1",    "h2",   "h3",
      "h4",      "h5",       "h6",         "header", "hr",      "html",   "li",    "main", "nav",
      "ol",      "p",        "section",    "table",  "tbody",   "tfoot",  "thead", "tr",   "ul"};
  return std::find(std::begin(kBlocks), std::end(kBlocks), name) != std::end(kBlocks);
}

}  // namespace

std::string ToValidUtf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  size_t pos = 0;
  while (pos < bytes.size()) {
    size_t prefix = 0;
    const size_t length = Utf8SequenceLength(bytes, pos, &prefix);
    if (length == 0) {
      out += kReplacement;
      pos += prefix;
    } else {
      out.append(bytes.substr(pos, length));
      pos += length;
    }
  }
  return out;
}

std::string HtmlToText(std::string_view html, size_t max_bytes) {
  TextWriter writer;
  CachedFind head_end(html, "</head");
  CachedFind body_start(html, "<body");
  std::string decoded;
  size_t pos = 0;
  while (pos < html.size() && writer.size() <= max_bytes) {
    const char c = html[pos];
    if (c == '&') {
      decoded.clear();
      const size_t used = DecodeEntity(html, pos, decoded);
      if (used == 0) {
        writer.Text("&");
        ++pos;
      } else {
        writer.Text(decoded);
        pos += used;
      }
      continue;
    }
    if (c != '<') {
      const size_t next = html.find_first_of("<&", pos);
      const size_t end = next == std::string_view::npos ? html.size() : next;
      writer.Text(html.substr(pos, end - pos));
      pos = end;
      continue;
    }
    // A comment, doctype, CDATA or processing instruction: skipped whole.
    if (html.substr(pos, 4) == "<!--") {
      const size_t end = html.find("-->", pos + 4);
      pos = end == std::string_view::npos ? html.size() : end + 3;
      continue;
    }
    if (pos + 1 < html.size() && (html[pos + 1] == '!' || html[pos + 1] == '?')) {
      const size_t end = html.find('>', pos);
      pos = end == std::string_view::npos ? html.size() : end + 1;
      continue;
    }
    size_t cursor = pos + 1;
    const bool closing = cursor < html.size() && html[cursor] == '/';
    if (closing) ++cursor;
    const size_t name_start = cursor;
    while (cursor < html.size() && absl::ascii_isalnum(static_cast<unsigned char>(html[cursor]))) {
      ++cursor;
    }
    if (cursor == name_start ||
        !absl::ascii_isalpha(static_cast<unsigned char>(html[name_start]))) {
      writer.Text("<");  // "a < b": a literal less-than sign
      ++pos;
      continue;
    }
    const std::string name = Lower(html.substr(name_start, cursor - name_start));
    // The end of the tag; a quote only opens a value right after '='.
    char quote = 0;
    bool after_equals = false;
    for (; cursor < html.size(); ++cursor) {
      const char tag_char = html[cursor];
      if (quote != 0) {
        if (tag_char == quote) quote = 0;
        continue;
      }
      if (tag_char == '>') break;
      if ((tag_char == '"' || tag_char == '\'') && after_equals) {
        quote = tag_char;
        after_equals = false;
      } else if (tag_char == '=') {
        after_equals = true;
      } else if (tag_char != ' ' && tag_char != '\t' && tag_char != '\n' && tag_char != '\r') {
        after_equals = false;
      }
    }
    pos = cursor >= html.size() ? html.size() : cursor + 1;

    if (!closing && IsRawTextElement(name)) {
      const size_t end = FindCaseInsensitive(html, absl::StrCat("</", name), pos);
      if (end == std::string_view::npos) {
        pos = html.size();
      } else {
        const size_t close = html.find('>', end);
        pos = close == std::string_view::npos ? html.size() : close + 1;
      }
      continue;
    }
    if (!closing && name == "head") {
      const size_t end = head_end.From(pos);
      const size_t body = body_start.From(pos);
      if (body != std::string_view::npos && (end == std::string_view::npos || body < end)) {
        pos = body;
      } else if (end != std::string_view::npos) {
        const size_t close = html.find('>', end);
        pos = close == std::string_view::npos ? html.size() : close + 1;
      }
      continue;
    }
    if (name == "br") {
      writer.Newline();
    } else if (name == "blockquote") {
      writer.Quote(closing ? -1 : 1);
    } else if (name == "pre") {
      writer.Pre(closing ? -1 : 1);
    } else if (name == "td" || name == "th") {
      writer.Space();
    } else if (name == "p" ||
               (name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6')) {
      writer.ParagraphBreak();
    } else if (IsBlockElement(name)) {
      writer.BlockBreak();
      if (name == "li" && !closing) writer.Text("- ");
    }
  }
  return writer.Finish();
}

// ---- reply trimming ---------------------------------------------------------

namespace {

std::string_view Trimmed(std::string_view line) { return StripWs(line); }

bool IsQuoteOrBlank(std::string_view line) {
  const std::string_view trimmed = Trimmed(line);
  return trimmed.empty() || trimmed[0] == '>';
}

bool IsAttributionStart(std::string_view line) {
  return StartsWith(line, "On ") || StartsWith(line, "Ar ");
}

bool IsAttributionEnd(std::string_view line) {
  return EndsWith(line, "wrote:") || EndsWith(line, "ysgrifennodd:");
}

// "-----Original Message-----", "----- Original Message -----",
// Welsh Outlook's "-----Neges Wreiddiol-----".
bool IsOriginalMessageMarker(std::string_view line) {
  if (!StartsWith(line, "--")) return false;
  std::string_view inner = StripWs(line);
  while (!inner.empty() && inner.front() == '-') inner.remove_prefix(1);
  while (!inner.empty() && inner.back() == '-') inner.remove_suffix(1);
  inner = StripWs(inner);
  return EqualsIgnoreCase(inner, "original message") || EqualsIgnoreCase(inner, "neges wreiddiol");
}

bool IsUnderscoreSeparator(std::string_view line) {
  return line.size() >= 30 && line.find_first_not_of('_') == std::string_view::npos;
}

// A header line of a quoted message as Outlook writes it (possibly bold
// "*From:*" after a plain-text conversion), in English or Welsh.
bool StartsWithField(std::string_view line, std::initializer_list<std::string_view> names) {
  std::string plain;
  for (const char c : line.substr(0, 40)) {
    if (c != '*') plain.push_back(c);
  }
  for (const std::string_view name : names) {
    if (StartsWithIgnoreCase(plain, name)) return true;
  }
  return false;
}

bool IsOutlookHeaderBlock(const std::vector<std::string_view>& lines, size_t idx) {
  if (!StartsWithField(Trimmed(lines[idx]), {"From:", "Oddi wrth:"})) return false;
  bool sent = false;
  bool to_or_subject = false;
  for (size_t next = idx + 1; next < lines.size() && next <= idx + 6; ++next) {
    const std::string_view line = Trimmed(lines[next]);
    if (StartsWithField(line, {"Sent:", "Date:", "Anfonwyd:", "Dyddiad:"})) sent = true;
    if (StartsWithField(line, {"To:", "Subject:", "At:", "Pwnc:"})) to_or_subject = true;
  }
  return sent && to_or_subject;
}

}  // namespace

std::string TrimQuotedReply(std::string_view text) {
  const std::vector<std::string_view> lines = Split(text, '\n');
  size_t end = lines.size();
  for (size_t line_idx = 0; line_idx < lines.size(); ++line_idx) {
    const std::string_view line = lines[line_idx];
    const std::string_view trimmed = Trimmed(line);
    if (line == "-- " || line == "--" || IsOriginalMessageMarker(trimmed) ||
        IsUnderscoreSeparator(trimmed) || IsOutlookHeaderBlock(lines, line_idx)) {
      end = line_idx;
      break;
    }
  }
  size_t quoted = 0;
  while (end > 0 && IsQuoteOrBlank(lines[end - 1])) {
    if (!Trimmed(lines[end - 1]).empty()) ++quoted;
    --end;
  }
  if (quoted > 0 && end > 0 && IsAttributionEnd(Trimmed(lines[end - 1]))) {
    if (IsAttributionStart(Trimmed(lines[end - 1]))) {
      end -= 1;
    } else if (end > 1 && IsAttributionStart(Trimmed(lines[end - 2]))) {
      end -= 2;
    }
  }
  while (end > 0 && Trimmed(lines[end - 1]).empty()) --end;
  if (end == 0) return std::string(text);
  std::string reply;
  for (size_t line_idx = 0; line_idx < end; ++line_idx) {
    if (line_idx > 0) reply.push_back('\n');
    reply.append(lines[line_idx]);
  }
  return reply;
}

// ---- sniffing and file names -----------------------------------------------

std::string SniffContentType(std::string_view content) {
  if (StartsWith(content, "%PDF")) return "application/pdf";
  if (StartsWith(content, "\x89PNG\r\n\x1A\n")) return "image/png";
  if (StartsWith(content, "\xFF\xD8\xFF")) return "image/jpeg";
  if (StartsWith(content, "GIF87a") || StartsWith(content, "GIF89a")) {
    return "image/gif";
  }
  if (StartsWith(content, "PK\x03\x04")) {
    // Office Open XML names its parts in the (uncompressed) zip directory.
    if (content.find("word/document.xml") != std::string_view::npos) {
      return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    }
    if (content.find("xl/workbook.xml") != std::string_view::npos) {
      return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    }
    if (content.find("ppt/presentation.xml") != std::string_view::npos) {
      return "application/vnd.openxmlformats-officedocument.presentationml.presentation";
    }
    return "application/zip";
  }
  if (StartsWith(content, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) {
    return "application/x-ole-storage";  // .doc, .xls, .msg: the container says no more
  }
  std::string_view start = content;
  ConsumePrefix(&start, "\xEF\xBB\xBF");
  start = StripLeadingWs(start);
  if (StartsWithIgnoreCase(start, "<!doctype html") || StartsWithIgnoreCase(start, "<html")) {
    return "text/html";
  }
  if (content.find('\0') == std::string_view::npos && IsValidUtf8(content)) return "text/plain";
  return "application/octet-stream";
}

namespace {

constexpr size_t kMaxFilenameChars = 200;

// The last path component, without control characters or bidi overrides,
// at most 200 characters (the extension kept when cutting).
std::string SanitizeFilename(const char* raw) {
  if (raw == nullptr) return {};
  std::string valid = ToValidUtf8(raw);
  const size_t separator = valid.find_last_of("/\\");
  if (separator != std::string::npos) valid.erase(0, separator + 1);
  const std::string_view stripped = StripWs(valid);
  valid = std::string(stripped);
  std::vector<std::string> chars;  // one UTF-8 character each
  size_t pos = 0;
  while (pos < valid.size()) {
    size_t prefix = 0;
    const size_t length = std::max<size_t>(1, Utf8SequenceLength(valid, pos, &prefix));
    const std::string_view character = std::string_view(valid).substr(pos, length);
    pos += length;
    const auto lead = static_cast<unsigned char>(character[0]);
    if (lead < 0x20 || lead == 0x7F) continue;
    uint32_t code_point = 0;
    if (length == 2) code_point = ((lead & 0x1F) << 6) | (character[1] & 0x3F);
    if (length == 3) {
      code_point = ((lead & 0x0F) << 12) | ((character[1] & 0x3F) << 6) | (character[2] & 0x3F);
    }
    if (code_point >= 0x80 && code_point < 0xA0) continue;       // C1 controls
    if (code_point >= 0x202A && code_point <= 0x202E) continue;  // bidi embedding
    if (code_point >= 0x2066 && code_point <= 0x2069) continue;  // bidi isolates
    if (code_point == 0x200E || code_point == 0x200F || code_point == 0xFEFF) continue;
    chars.emplace_back(character);
  }
  while (!chars.empty() && chars.back() == " ") chars.pop_back();  // spaces before a control
  if (chars.size() > kMaxFilenameChars) {
    size_t extension = chars.size();
    for (size_t idx = chars.size(); idx > 0 && chars.size() - idx < 16; --idx) {
      if (chars[idx - 1] == ".") {
        extension = idx - 1;
        break;
      }
    }
    const size_t extension_length = chars.size() - extension;
    chars.erase(chars.begin() + static_cast<std::ptrdiff_t>(kMaxFilenameChars - extension_length),
                chars.begin() + static_cast<std::ptrdiff_t>(extension));
  }
  std::string name;
  for (const std::string& character : chars) name += character;
  if (name == "." || name == "..") return {};
  return name;
}

// ---- delivery status notifications (RFC 3464) -------------------------------

std::vector<std::string> FailedRecipients(std::string_view report) {
  const std::string text = NormalizeText(report);
  std::vector<std::string> failed;
  std::optional<std::string> final_recipient;
  std::optional<std::string> original_recipient;
  bool action_failed = false;
  std::string field_name;
  std::string field_value;
  const auto end_field = [&] {
    if (field_name == "final-recipient") final_recipient = field_value;
    if (field_name == "original-recipient") original_recipient = field_value;
    if (field_name == "action") {
      action_failed = StartsWithIgnoreCase(StripWs(field_value), "failed");
    }
    field_name.clear();
    field_value.clear();
  };
  const auto end_block = [&] {
    end_field();
    const std::optional<std::string>& recipient =
        final_recipient ? final_recipient : original_recipient;
    if (action_failed && recipient && failed.size() < 100) {
      std::string_view address = *recipient;
      const size_t semicolon = address.find(';');
      if (semicolon != std::string_view::npos) address.remove_prefix(semicolon + 1);
      std::string cleaned = Lower(StripAngles(address));
      cleaned = CleanHeaderText(cleaned.c_str());
      if (!cleaned.empty() && std::find(failed.begin(), failed.end(), cleaned) == failed.end()) {
        failed.push_back(std::move(cleaned));
      }
    }
    final_recipient.reset();
    original_recipient.reset();
    action_failed = false;
  };
  for (const std::string_view line : Split(text, '\n')) {
    if (Trimmed(line).empty()) {
      end_block();
    } else if (line[0] == ' ' || line[0] == '\t') {
      field_value += ' ';
      field_value += Trimmed(line);  // folded
    } else {
      end_field();
      const size_t colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      field_name = Lower(Trimmed(line.substr(0, colon)));
      field_value = std::string(Trimmed(line.substr(colon + 1)));
    }
  }
  end_block();
  return failed;
}

// ---- the MIME tree ----------------------------------------------------------

std::string LowerMimeType(GMimeObject* object) {
  GMimeContentType* type = g_mime_object_get_content_type(object);
  if (type == nullptr) return "application/octet-stream";
  const char* media = g_mime_content_type_get_media_type(type);
  const char* sub = g_mime_content_type_get_media_subtype(type);
  std::string result = Lower(absl::StrCat(media != nullptr ? media : "application", "/",
                                          sub != nullptr ? sub : "octet-stream"));
  // Only what a media type may hold (RFC 6838), bounded.
  result.erase(std::remove_if(result.begin(), result.end(),
                              [](char c) {
                                return !(absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
                                         std::strchr("/.+-_!#$&^", c) != nullptr) ||
                                       c == '\0';
                              }),
               result.end());
  if (result.size() > 255) result.resize(255);
  return result;
}

std::string LowerParameter(GMimeObject* object, const char* name) {
  const char* value = g_mime_object_get_content_type_parameter(object, name);
  return value == nullptr ? std::string() : Lower(StripWs(value));
}

std::string DecodedContent(GMimePart* part) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (content == nullptr) return {};
  GPtr<GMimeStream> stream(g_mime_stream_mem_new());
  g_mime_data_wrapper_write_to_stream(content, stream.get());
  return StreamBytes(stream.get());
}

bool IsUtf8Charset(std::string_view charset) {
  return charset.empty() || charset == "utf-8" || charset == "utf8" || charset == "us-ascii" ||
         charset == "ascii" || charset == "unknown-8bit" || charset == "x-unknown";
}

bool IsLatin1Charset(std::string_view charset) {
  return charset == "iso-8859-1" || charset == "iso8859-1" || charset == "iso_8859-1" ||
         charset == "latin1" || charset == "latin-1" || charset == "l1" ||
         charset == "windows-1252" || charset == "cp1252" || charset == "cp-1252" ||
         charset == "x-cp1252";
}

// The part's text in UTF-8. Declared UTF-8 (or ASCII, or nothing) with bytes
// that are not UTF-8 is taken as Windows-1252 unless it said utf-8, in which
// case the bad bytes become U+FFFD. Other charsets go through GMime's iconv
// filter, as g_mime_text_part_get_text does (done here to keep NULs visible
// to NormalizeText and to know the length).
std::string TextPartUtf8(GMimePart* part) {
  const std::string bytes = DecodedContent(part);
  std::string charset = LowerParameter(GMIME_OBJECT(part), "charset");
  if (IsUtf8Charset(charset)) {
    if (IsValidUtf8(bytes)) return bytes;
    return StartsWith(charset, "utf") ? ToValidUtf8(bytes) : Windows1252ToUtf8(bytes);
  }
  if (IsLatin1Charset(charset)) return Windows1252ToUtf8(bytes);
  GMimeFilter* filter = g_mime_filter_charset_new(charset.c_str(), "utf-8");
  if (filter == nullptr) {
    return IsValidUtf8(bytes) ? bytes : Windows1252ToUtf8(bytes);  // unknown charset
  }
  GPtr<GMimeStream> out(g_mime_stream_mem_new());
  {
    GPtr<GMimeStream> filtered(g_mime_stream_filter_new(out.get()));
    g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered.get()), filter);
    g_object_unref(filter);
    g_mime_stream_write(filtered.get(), bytes.data(), bytes.size());
    g_mime_stream_flush(filtered.get());
  }
  return ToValidUtf8(StreamBytes(out.get()));
}

// The text is cut to `max_bytes` later; what is far beyond it is not worked on.
std::string PartText(GMimePart* part, bool html, size_t max_bytes) {
  std::string text = TextPartUtf8(part);
  const size_t keep = max_bytes > (SIZE_MAX - 64) / 4 ? SIZE_MAX : max_bytes * 4 + 64;
  if (!html) CutUtf8(text, keep);  // normalising and unflowing never grow it 4-fold
  text = NormalizeText(text);
  if (html) return HtmlToText(text, max_bytes);
  if (LowerParameter(GMIME_OBJECT(part), "format") == "flowed") {
    text = DecodeFlowed(text, LowerParameter(GMIME_OBJECT(part), "delsp") == "yes");
  }
  // Trailing blank lines say nothing.
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

bool IsSignatureType(std::string_view type) {
  return type == "application/pgp-signature" || type == "application/pkcs7-signature" ||
         type == "application/x-pkcs7-signature";
}

enum class WalkMode {
  kNormal,     // body and attachments
  kNoText,     // an alternative not chosen: its text is another rendering of the body
  kCountOnly,  // inside an attached message: only the limits matter
};

struct WalkState {
  explicit WalkState(const MimeLimits& limits_in) : limits(limits_in) {}
  const MimeLimits& limits;
  size_t parts = 0;
  bool have_body = false;
  bool body_is_html = false;
  std::string body;
  std::vector<std::string> extra_texts;
  std::vector<domain::MailAttachment> attachments;
  size_t dropped_attachments = 0;
  bool delivery_report = false;
  std::vector<std::string> failed_recipients;
};

bool HasRoomForAttachment(WalkState& state) {
  if (state.attachments.size() < state.limits.max_attachments) return true;
  ++state.dropped_attachments;
  return false;
}

void AddAttachment(WalkState& state, std::string filename, std::string declared_type,
                   std::string content) {
  if (content.size() > state.limits.max_attachment_bytes) {
    ++state.dropped_attachments;
    return;
  }
  domain::MailAttachment attachment;
  attachment.filename = std::move(filename);
  attachment.declared_type = std::move(declared_type);
  attachment.sniffed_type = SniffContentType(content);
  attachment.content = std::move(content);
  state.attachments.push_back(std::move(attachment));
}

bool IsAttachmentDisposition(GMimeObject* object) {
  const char* disposition = g_mime_object_get_disposition(object);
  return disposition != nullptr && g_ascii_strcasecmp(disposition, "attachment") == 0;
}

bool IsBodyLeaf(GMimeObject* object, const char* subtype) {
  if (!GMIME_IS_TEXT_PART(object) || IsAttachmentDisposition(object)) return false;
  GMimeContentType* type = g_mime_object_get_content_type(object);
  return type != nullptr && g_mime_content_type_is_type(type, "text", subtype);
}

// Which child of a multipart/alternative gives the body: plain text first,
// then HTML, then a multipart (multipart/related around the HTML).
std::optional<int> PickAlternative(GMimeMultipart* alternative) {
  const int count = g_mime_multipart_get_count(alternative);
  for (const char* subtype : {"plain", "html"}) {
    for (int idx = 0; idx < count; ++idx) {
      if (IsBodyLeaf(g_mime_multipart_get_part(alternative, idx), subtype)) return idx;
    }
  }
  for (int idx = 0; idx < count; ++idx) {
    if (GMIME_IS_MULTIPART(g_mime_multipart_get_part(alternative, idx))) return idx;
  }
  return std::nullopt;
}

absl::Status Walk(GMimeObject* object, size_t depth, WalkMode mode, WalkState& state);

absl::Status WalkMultipart(GMimeMultipart* multipart, size_t depth, WalkMode mode,
                           WalkState& state) {
  GMimeObject* object = GMIME_OBJECT(multipart);
  GMimeContentType* type = g_mime_object_get_content_type(object);
  if (mode == WalkMode::kNormal && type != nullptr &&
      g_mime_content_type_is_type(type, "multipart", "report") &&
      LowerParameter(object, "report-type") == "delivery-status") {
    state.delivery_report = true;
  }
  std::optional<int> chosen;
  if (mode == WalkMode::kNormal && !state.have_body && type != nullptr &&
      g_mime_content_type_is_type(type, "multipart", "alternative")) {
    chosen = PickAlternative(multipart);
  }
  const int count = g_mime_multipart_get_count(multipart);
  for (int idx = 0; idx < count; ++idx) {
    WalkMode child_mode = mode;
    if (chosen && idx != *chosen) child_mode = WalkMode::kNoText;
    absl::Status status =
        Walk(g_mime_multipart_get_part(multipart, idx), depth + 1, child_mode, state);
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::Status WalkMessagePart(GMimeMessagePart* message_part, size_t depth, WalkMode mode,
                             WalkState& state) {
  GMimeMessage* inner = g_mime_message_part_get_message(message_part);
  if (mode != WalkMode::kCountOnly && HasRoomForAttachment(state)) {
    GMimeObject* object = GMIME_OBJECT(message_part);
    std::string filename;
    if (const char* name = g_mime_object_get_content_disposition_parameter(object, "filename")) {
      filename = SanitizeFilename(name);
    } else if (const char* type_name = g_mime_object_get_content_type_parameter(object, "name")) {
      filename = SanitizeFilename(type_name);
    }
    if (filename.empty()) filename = "forwarded-message.eml";
    std::string content;
    if (inner != nullptr) {
      GPtr<GMimeStream> stream(g_mime_stream_mem_new());
      g_mime_object_write_to_stream(GMIME_OBJECT(inner), nullptr, stream.get());
      content = StreamBytes(stream.get());
    }
    AddAttachment(state, std::move(filename), LowerMimeType(object), std::move(content));
  }
  if (inner == nullptr) return absl::OkStatus();
  GMimeObject* inner_body = g_mime_message_get_mime_part(inner);
  if (inner_body == nullptr) return absl::OkStatus();
  return Walk(inner_body, depth + 1, WalkMode::kCountOnly, state);
}

void WalkLeaf(GMimePart* part, WalkMode mode, WalkState& state) {
  if (mode == WalkMode::kCountOnly) return;
  GMimeObject* object = GMIME_OBJECT(part);
  const std::string type = LowerMimeType(object);
  if (type == "message/delivery-status" || type == "message/global-delivery-status") {
    if (mode == WalkMode::kNormal) {
      for (std::string& address : FailedRecipients(DecodedContent(part))) {
        if (std::find(state.failed_recipients.begin(), state.failed_recipients.end(), address) ==
            state.failed_recipients.end()) {
          state.failed_recipients.push_back(std::move(address));
        }
      }
    }
    return;
  }
  if (IsSignatureType(type)) return;
  const char* raw_filename = g_mime_part_get_filename(part);
  const bool attachment = IsAttachmentDisposition(object);
  if (GMIME_IS_TEXT_PART(object) && !attachment) {
    const bool plain = type == "text/plain";
    const bool html = type == "text/html";
    if (plain || html) {
      if (mode == WalkMode::kNoText) return;
      if (!state.have_body) {
        state.have_body = true;
        state.body_is_html = html;
        state.body = PartText(part, html, state.limits.max_text_bytes);
        return;
      }
      if (plain && raw_filename == nullptr) {
        state.extra_texts.push_back(PartText(part, false, state.limits.max_text_bytes));
        return;
      }
    }
    // Other inline text (text/calendar, text/rfc822-headers …) is kept only
    // when it has a name to show.
    if (raw_filename == nullptr) return;
  }
  if (!HasRoomForAttachment(state)) return;
  AddAttachment(state, SanitizeFilename(raw_filename), type, DecodedContent(part));
}

absl::Status Walk(GMimeObject* object, size_t depth, WalkMode mode, WalkState& state) {
  if (++state.parts > state.limits.max_parts) {
    return absl::ResourceExhaustedError(
        absl::StrCat("the message has more than ", state.limits.max_parts, " MIME parts"));
  }
  if (depth > state.limits.max_depth) {
    return absl::ResourceExhaustedError(
        absl::StrCat("the message nests MIME parts deeper than ", state.limits.max_depth));
  }
  if (GMIME_IS_MULTIPART(object)) return WalkMultipart(GMIME_MULTIPART(object), depth, mode, state);
  if (GMIME_IS_MESSAGE_PART(object)) {
    return WalkMessagePart(GMIME_MESSAGE_PART(object), depth, mode, state);
  }
  if (GMIME_IS_PART(object)) WalkLeaf(GMIME_PART(object), mode, state);
  return absl::OkStatus();
}

// ---- headers ----------------------------------------------------------------

struct Mailbox {
  std::string address;
  std::string name;
};

void CollectMailboxes(InternetAddressList* list, std::vector<Mailbox>& out, int depth = 0) {
  if (list == nullptr || depth > 2) return;
  const int count = internet_address_list_length(list);
  for (int idx = 0; idx < count && out.size() < 500; ++idx) {
    InternetAddress* address = internet_address_list_get_address(list, idx);
    if (INTERNET_ADDRESS_IS_MAILBOX(address)) {
      const char* addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(address));
      Mailbox mailbox{Lower(CleanHeaderText(addr)),
                      CleanHeaderText(internet_address_get_name(address))};
      if (!mailbox.address.empty()) out.push_back(std::move(mailbox));
    } else if (INTERNET_ADDRESS_IS_GROUP(address)) {
      CollectMailboxes(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(address)), out,
                       depth + 1);
    }
  }
}

std::vector<std::string> MessageIds(GMimeParserOptions* options, const char* value,
                                    size_t max_ids) {
  std::vector<std::string> ids;
  if (value == nullptr) return ids;
  ReferencesPtr refs(g_mime_references_parse(options, value));
  const int count = refs ? g_mime_references_length(refs.get()) : 0;
  const int first = std::max(0, count - static_cast<int>(max_ids));  // the newest kept
  for (int idx = first; idx < count; ++idx) {
    std::string id = CleanHeaderText(g_mime_references_get_message_id(refs.get(), idx));
    if (!id.empty()) ids.push_back(std::move(id));
  }
  if (ids.empty()) {
    // No angle brackets at all ("In-Reply-To: abc@example.com"): take it as is.
    std::string bare = StripAngles(CleanHeaderText(value));
    if (!bare.empty() && bare.find(' ') == std::string::npos) ids.push_back(std::move(bare));
  }
  return ids;
}

std::string HeaderToken(GMimeObject* object, const char* name) {
  const char* value = g_mime_object_get_header(object, name);
  if (value == nullptr) return {};
  std::string_view token = value;
  token = token.substr(0, token.find(';'));
  return Lower(StripWs(token));
}

bool HasHeader(GMimeObject* object, const char* name) {
  return g_mime_object_get_header(object, name) != nullptr;
}

bool NamesOurAddress(std::string_view value, const std::vector<std::string>& our_addresses) {
  const std::string lower = Lower(value);
  for (std::string_view token : SplitAny(lower, " \t\r\n<>,;\"'()")) {
    if (token.empty()) continue;
    if (std::find(our_addresses.begin(), our_addresses.end(), token) != our_addresses.end()) {
      return true;
    }
  }
  return false;
}

domain::AutoKind ClassifyAutomatic(GMimeMessage* message, const WalkState& state,
                                   const std::string& from_address,
                                   const std::vector<std::string>& our_addresses) {
  GMimeObject* object = GMIME_OBJECT(message);
  if (state.delivery_report) return domain::AutoKind::kBounce;

  GMimeHeaderList* headers = g_mime_object_get_header_list(object);
  const int header_count = headers != nullptr ? g_mime_header_list_get_count(headers) : 0;
  for (int idx = 0; idx < header_count; ++idx) {
    GMimeHeader* header = g_mime_header_list_get_header_at(headers, idx);
    const char* name = g_mime_header_get_name(header);
    const char* value = g_mime_header_get_value(header);
    if (name != nullptr && value != nullptr && g_ascii_strcasecmp(name, "X-Loop") == 0 &&
        NamesOurAddress(value, our_addresses)) {
      return domain::AutoKind::kLoop;
    }
  }

  const std::string auto_submitted = HeaderToken(object, "Auto-Submitted");
  if (!auto_submitted.empty() && auto_submitted != "no") return domain::AutoKind::kAutoSubmitted;

  const std::string precedence = HeaderToken(object, "Precedence");
  if (precedence == "bulk" || precedence == "junk" || precedence == "list" ||
      HasHeader(object, "List-Id")) {
    return domain::AutoKind::kBulk;
  }
  if (const char* suppress = g_mime_object_get_header(object, "X-Auto-Response-Suppress")) {
    for (std::string_view token : SplitAny(suppress, ", \t")) {
      if (EqualsIgnoreCase(token, "All") || EqualsIgnoreCase(token, "OOF") ||
          EqualsIgnoreCase(token, "AutoReply")) {
        return domain::AutoKind::kBulk;
      }
    }
  }

  if (const char* return_path = g_mime_object_get_header(object, "Return-Path")) {
    std::string path(return_path);
    path.erase(
        std::remove_if(path.begin(), path.end(),
                       [](char c) { return absl::ascii_isspace(static_cast<unsigned char>(c)); }),
        path.end());
    if (path == "<>") return domain::AutoKind::kSystemSender;
  }
  const std::string_view local = std::string_view(from_address).substr(0, from_address.find('@'));
  static constexpr std::string_view kSystemLocalParts[] = {
      "mailer-daemon", "postmaster", "noreply", "no-reply", "do-not-reply", "donotreply"};
  if (!from_address.empty() && std::find(std::begin(kSystemLocalParts), std::end(kSystemLocalParts),
                                         local) != std::end(kSystemLocalParts)) {
    return domain::AutoKind::kSystemSender;
  }
  return domain::AutoKind::kNone;
}

// GMime 3.2.13 (Debian 12) decodes adjacent base64 encoded-words of one
// charset as one stream and stops at the first word's '=' padding, so
// "=?UTF-8?B?VHJldGgg?= =?UTF-8?B?YmlsIMKjMTIw?=" loses all after the first
// word (GMime issue #133, fixed in 3.2.14). Padded B words in the top-level
// header block are rewritten as the equivalent Q words, which merge safely.
// TODO(gmime-3.2.14): remove once the distribution ships the fix.
std::string Base64Bytes(std::string_view payload) {
  std::string out;
  uint32_t bits = 0;
  int count = 0;
  for (const char c : payload) {
    int value = -1;
    if (c >= 'A' && c <= 'Z') value = c - 'A';
    if (c >= 'a' && c <= 'z') value = c - 'a' + 26;
    if (c >= '0' && c <= '9') value = c - '0' + 52;
    if (c == '+') value = 62;
    if (c == '/') value = 63;
    if (c == '=') break;
    if (value < 0) continue;
    bits = (bits << 6) | static_cast<uint32_t>(value);
    if (++count == 4) {
      out.push_back(static_cast<char>(bits >> 16));
      out.push_back(static_cast<char>(bits >> 8));
      out.push_back(static_cast<char>(bits));
      bits = 0;
      count = 0;
    }
  }
  if (count == 2) out.push_back(static_cast<char>(bits >> 4));
  if (count == 3) {
    out.push_back(static_cast<char>(bits >> 10));
    out.push_back(static_cast<char>(bits >> 2));
  }
  return out;
}

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
    if (payload.find('=') == std::string_view::npos ||
        payload.find_first_of(" \t\r\n") != std::string_view::npos ||
        charset.find_first_of(" \t\r\n") != std::string_view::npos) {
      out.append(headers.substr(pos, end + 2 - pos));
      pos = end + 2;
      continue;
    }
    out.append(headers.substr(pos, start - pos));
    out += "=?";
    out += charset;
    out += "?Q?";
    static constexpr char kHex[] = "0123456789ABCDEF";
    for (const char byte : Base64Bytes(payload)) {
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

}  // namespace

absl::StatusOr<domain::InboundMail> ParseMail(std::string_view raw, const MimeLimits& limits,
                                              const std::vector<std::string>& our_addresses) {
  if (raw.size() > limits.max_message_bytes) {
    return absl::ResourceExhaustedError(
        absl::StrCat("the message is larger than ", limits.max_message_bytes, " bytes"));
  }
  if (StripWs(raw).empty()) {
    return absl::InvalidArgumentError("the message is empty");
  }
  if (absl::Status bounded = PrescanLimits(raw, limits); !bounded.ok()) return bounded;
  InitGMimeOnce();

  ParserOptionsPtr options(g_mime_parser_options_new());
  // Undeclared 8-bit header text: UTF-8 if it is, else what Windows sends.
  const char* fallback_charsets[] = {"utf-8", "windows-1252", nullptr};
  g_mime_parser_options_set_fallback_charsets(options.get(), fallback_charsets);
  g_mime_parser_options_set_rfc2047_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_address_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_parameter_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);

  const std::string rewritten = RewritePaddedBase64Words(raw);
  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(rewritten.data(), rewritten.size()));
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
  GPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), options.get()));
  if (!message) return absl::InvalidArgumentError("not an email message");
  GMimeObject* message_object = GMIME_OBJECT(message.get());
  GMimeHeaderList* headers = g_mime_object_get_header_list(message_object);
  if (headers == nullptr || g_mime_header_list_get_count(headers) == 0) {
    return absl::InvalidArgumentError("not an email message: no headers");
  }

  domain::InboundMail mail;
  mail.message_id = StripAngles(CleanHeaderText(g_mime_message_get_message_id(message.get())));
  if (mail.message_id.empty()) {
    mail.message_id =
        StripAngles(CleanHeaderText(g_mime_object_get_header(message_object, "Message-ID")));
  }
  if (std::vector<std::string> ids =
          MessageIds(options.get(), g_mime_object_get_header(message_object, "In-Reply-To"), 1);
      !ids.empty()) {
    mail.in_reply_to = std::move(ids.back());
  }
  mail.references =
      MessageIds(options.get(), g_mime_object_get_header(message_object, "References"), 100);

  std::vector<Mailbox> from;
  CollectMailboxes(g_mime_message_get_from(message.get()), from);
  if (!from.empty()) {
    mail.from_address = from.front().address;
    mail.from_name = from.front().name;
  }
  std::vector<Mailbox> reply_to;
  CollectMailboxes(g_mime_message_get_reply_to(message.get()), reply_to);
  if (!reply_to.empty()) mail.reply_to_address = reply_to.front().address;
  std::vector<Mailbox> to;
  CollectMailboxes(g_mime_message_get_to(message.get()), to);
  for (Mailbox& mailbox : to) mail.to_addresses.push_back(std::move(mailbox.address));
  mail.subject = CleanHeaderText(g_mime_message_get_subject(message.get()));
  if (GDateTime* date = g_mime_message_get_date(message.get())) {
    mail.date = absl::FromUnixSeconds(g_date_time_to_unix(date));
  }

  WalkState state(limits);
  if (GMimeObject* body = g_mime_message_get_mime_part(message.get())) {
    absl::Status status = Walk(body, 0, WalkMode::kNormal, state);
    if (!status.ok()) return status;
  }
  mail.text = std::move(state.body);
  for (const std::string& extra : state.extra_texts) {
    if (mail.text.size() > limits.max_text_bytes) break;
    if (extra.empty()) continue;
    if (!mail.text.empty()) mail.text += "\n\n";
    mail.text += extra;
  }
  CutUtf8(mail.text, limits.max_text_bytes);
  mail.reply_text = TrimQuotedReply(mail.text);
  mail.html_only = state.have_body && state.body_is_html;
  mail.attachments = std::move(state.attachments);
  mail.dropped_attachments = state.dropped_attachments;
  mail.auto_kind = ClassifyAutomatic(message.get(), state, mail.from_address, our_addresses);
  if (mail.auto_kind == domain::AutoKind::kBounce) {
    mail.bounced_addresses = std::move(state.failed_recipients);
  }
  return mail;
}

}  // namespace onestop::mail
