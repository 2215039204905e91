// HTML made into plain text without running anything (mime.h HtmlToText),
// and UTF-8 repair (ToValidUtf8).
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "absl/strings/ascii.h"

#include "mail/mime.h"
#include "mail/text_util.h"

namespace onestop::mail {
namespace {

using namespace text_util;  // NOLINT: the shared helpers of this folder

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


}  // namespace onestop::mail
