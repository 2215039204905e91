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
#include "mail/mime_prescan.h"
#include "mail/text_util.h"

namespace onestop::mail {
namespace {


using namespace text_util;  // NOLINT: the shared helpers of this folder
using mime_prescan::PrescanLimits;
using mime_prescan::RewritePaddedBase64Words;

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

}  // namespace

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
    if (StripWs(line).empty()) {
      end_block();
    } else if (line[0] == ' ' || line[0] == '\t') {
      field_value += ' ';
      field_value += StripWs(line);  // folded
    } else {
      end_field();
      const size_t colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      field_name = Lower(StripWs(line.substr(0, colon)));
      field_value = std::string(StripWs(line.substr(colon + 1)));
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
  if (!from_address.empty() && domain::IsSystemAddress(from_address)) return domain::AutoKind::kSystemSender;
  return domain::AutoKind::kNone;
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
