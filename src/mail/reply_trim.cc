// Trimming the quoted earlier message and the signature off a reply
// (mime.h TrimQuotedReply), for the timeline.
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "mail/mime.h"
#include "mail/text_util.h"

namespace onestop::mail {

using namespace text_util;  // NOLINT: the shared helpers of this folder

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


}  // namespace onestop::mail
