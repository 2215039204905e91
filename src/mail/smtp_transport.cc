#include "mail/smtp_transport.h"

#include <fcntl.h>  // GMime needs it first (../shared/reference/email-and-notify.md)
#include <curl/curl.h>
#include <gmime/gmime.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/status.h"

namespace onestop::mail {
namespace {

void InitOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    g_mime_init();
    curl_global_init(CURL_GLOBAL_DEFAULT);
  });
}

struct GObjectFree {
  void operator()(void* p) const {
    if (p != nullptr) g_object_unref(p);
  }
};
template <typename T>
using GPtr = std::unique_ptr<T, GObjectFree>;

struct CurlFree {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistFree {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

// A plain addr-spec: local@domain, printable ASCII, nothing that could end a
// header or an SMTP command.
bool PlainAddress(const std::string& a) {
  const size_t at = a.find('@');
  if (a.empty() || a.size() > 254 || at == std::string::npos || at == 0 || at + 1 >= a.size()) return false;
  for (char c : a) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= ' ' || u >= 0x7f || c == '<' || c == '>' || c == ',' || c == '"' || c == '(' || c == ')' ||
        c == ';' || c == '\\') {
      return false;
    }
  }
  return true;
}

bool SafeMessageId(const std::string& id) {
  if (id.empty() || id.size() > 250) return false;
  for (char c : id) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= ' ' || u >= 0x7f || c == '<' || c == '>') return false;
  }
  return true;
}

std::string Escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

GMimeTextPart* TextPart(const char* subtype, const std::string& content) {
  GMimeTextPart* part = g_mime_text_part_new_with_subtype(subtype);
  g_mime_text_part_set_text(part, content.c_str());  // charset chosen (us-ascii / utf-8)
  g_mime_part_set_content_encoding(
      GMIME_PART(part), g_mime_part_get_best_content_encoding(GMIME_PART(part), GMIME_ENCODING_CONSTRAINT_7BIT));
  return part;
}

bool IsLoopbackHost(const std::string& url) {
  // scheme://[userinfo@]host[:port][/...]
  size_t start = url.find("://");
  if (start == std::string::npos) return false;
  start += 3;
  size_t end = url.find_first_of("/?", start);
  std::string authority = url.substr(start, end == std::string::npos ? std::string::npos : end - start);
  if (size_t at = authority.rfind('@'); at != std::string::npos) authority = authority.substr(at + 1);
  std::string host;
  if (!authority.empty() && authority[0] == '[') {
    host = authority.substr(1, authority.find(']') - 1);
  } else {
    host = authority.substr(0, authority.find(':'));
  }
  host = absl::AsciiStrToLower(host);
  return host == "localhost" || host == "::1" || absl::StartsWith(host, "127.");
}

struct Upload {
  const std::string* data;
  size_t at = 0;
};

size_t ReadUpload(char* buffer, size_t size, size_t count, void* user) {
  auto* up = static_cast<Upload*>(user);
  const size_t room = size * count;
  const size_t n = std::min(room, up->data->size() - up->at);
  std::memcpy(buffer, up->data->data() + up->at, n);
  up->at += n;
  return n;
}

}  // namespace

absl::Status ValidateSmtpUrl(const std::string& url) {
  const std::string lower = absl::AsciiStrToLower(url);
  if (!absl::StartsWith(lower, "smtp://") && !absl::StartsWith(lower, "smtps://")) {
    return absl::InvalidArgumentError("smtp_url must start with smtp:// or smtps://");
  }
  const size_t start = lower.find("://") + 3;
  std::string authority = lower.substr(start, lower.find_first_of("/?", start) - start);
  if (size_t at = authority.rfind('@'); at != std::string::npos) authority = authority.substr(at + 1);
  if (authority.empty() || authority[0] == ':') return absl::InvalidArgumentError("smtp_url has no host");
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= ' ') return absl::InvalidArgumentError("smtp_url has a space or control");
  }
  return absl::OkStatus();
}

std::string TextToHtml(const std::string& text) {
  std::string html =
      "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head>"
      "<body style=\"font-family: Arial, sans-serif; font-size: 16px; line-height: 1.5; color: #0b0c0c\">\n";
  std::string normalised = text;
  normalised.erase(std::remove(normalised.begin(), normalised.end(), '\r'), normalised.end());
  const std::vector<std::string> paras = absl::StrSplit(normalised, "\n\n", absl::SkipWhitespace());
  for (const std::string& para : paras) {
    const std::vector<std::string> raw_lines =
        absl::StrSplit(absl::StripTrailingAsciiWhitespace(para), '\n');
    std::vector<std::string> lines;
    for (const std::string& line : raw_lines) lines.push_back(Escape(line));
    absl::StrAppend(&html, "<p>", absl::StrJoin(lines, "<br>\n"), "</p>\n");
  }
  html += "</body></html>\n";
  return html;
}

absl::StatusOr<std::string> ComposeMail(const domain::OutboxMessage& m, const RenderedMail& words,
                                        const std::string& sender, const std::string& sender_name,
                                        absl::Time date) {
  if (!PlainAddress(m.recipient)) return absl::InvalidArgumentError("recipient is not a plain address");
  if (!PlainAddress(sender)) return absl::InvalidArgumentError("sender is not a plain address");
  InitOnce();
  GPtr<GMimeMessage> message(g_mime_message_new(TRUE));
  g_mime_message_add_mailbox(message.get(), GMIME_ADDRESS_TYPE_FROM, sender_name.empty() ? nullptr : sender_name.c_str(),
                             sender.c_str());
  g_mime_message_add_mailbox(message.get(), GMIME_ADDRESS_TYPE_TO, nullptr, m.recipient.c_str());
  std::string subject = words.subject;
  std::replace(subject.begin(), subject.end(), '\r', ' ');
  std::replace(subject.begin(), subject.end(), '\n', ' ');
  g_mime_message_set_subject(message.get(), subject.c_str(), "utf-8");
  GDateTime* when = g_date_time_new_from_unix_utc(absl::ToUnixSeconds(date));
  g_mime_message_set_date(message.get(), when);
  g_date_time_unref(when);
  if (SafeMessageId(m.message_id)) g_mime_message_set_message_id(message.get(), m.message_id.c_str());
  GMimeObject* object = GMIME_OBJECT(message.get());
  if (SafeMessageId(m.in_reply_to)) {
    g_mime_object_set_header(object, "In-Reply-To", absl::StrCat("<", m.in_reply_to, ">").c_str(), nullptr);
  }
  std::vector<std::string> refs;
  for (const std::string& r : m.references) {
    if (SafeMessageId(r)) refs.push_back(absl::StrCat("<", r, ">"));
  }
  if (!refs.empty()) g_mime_object_set_header(object, "References", absl::StrJoin(refs, " ").c_str(), nullptr);
  g_mime_object_set_header(object, "X-Loop", sender.c_str(), nullptr);
  if (m.automatic) {
    g_mime_object_set_header(object, "Auto-Submitted", "auto-replied", nullptr);
    g_mime_object_set_header(object, "X-Auto-Response-Suppress", "All", nullptr);
  }

  GPtr<GMimeMultipart> alternative(g_mime_multipart_new_with_subtype("alternative"));
  GPtr<GMimeTextPart> text(TextPart("plain", words.text));
  GPtr<GMimeTextPart> html(TextPart("html", TextToHtml(words.text)));
  g_mime_multipart_add(alternative.get(), GMIME_OBJECT(text.get()));
  g_mime_multipart_add(alternative.get(), GMIME_OBJECT(html.get()));
  g_mime_message_set_mime_part(message.get(), GMIME_OBJECT(alternative.get()));

  GMimeFormatOptions* format = g_mime_format_options_clone(nullptr);
  g_mime_format_options_set_newline_format(format, GMIME_NEWLINE_FORMAT_DOS);
  char* raw = g_mime_object_to_string(object, format);
  g_mime_format_options_free(format);
  if (raw == nullptr) return absl::InternalError("GMime could not write the message");
  std::string out(raw);
  g_free(raw);
  return out;
}

SmtpTransport::SmtpTransport(SmtpOptions options, MailRenderer render)
    : options_(std::move(options)), render_(std::move(render)) {
  InitOnce();
}

absl::StatusOr<std::string> SmtpTransport::Send(const domain::OutboxMessage& message) {
  if (message.channel != domain::OutboxChannel::kEmail) return absl::FailedPreconditionError("not an email");
  ONESTOP_ASSIGN_OR_RETURN(RenderedMail words, render_(message));
  const std::string sender = message.sender.empty() ? options_.default_sender : message.sender;
  ONESTOP_ASSIGN_OR_RETURN(std::string raw,
                           ComposeMail(message, words, sender, options_.sender_name, absl::Now()));

  std::unique_ptr<CURL, CurlFree> curl(curl_easy_init());
  if (!curl) return absl::UnavailableError("curl_easy_init failed");
  CURL* c = curl.get();
  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_URL, options_.url.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  const long timeout_ms = static_cast<long>(absl::ToInt64Milliseconds(options_.timeout));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, std::min(timeout_ms, 10000L));
  if (!IsLoopbackHost(options_.url)) curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  if (!options_.username.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, options_.username.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, options_.password.c_str());
  }
  const std::string from = absl::StrCat("<", sender, ">");
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  std::unique_ptr<curl_slist, SlistFree> rcpt(curl_slist_append(nullptr, absl::StrCat("<", message.recipient, ">").c_str()));
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
  Upload upload{&raw};
  curl_easy_setopt(c, CURLOPT_READFUNCTION, ReadUpload);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(raw.size()));

  const CURLcode rc = curl_easy_perform(c);
  long reply = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply);
  if (rc == CURLE_OK) return std::string();
  const std::string what = absl::StrCat("smtp: ", curl_easy_strerror(rc), " (reply ", reply, ")");
  if (reply >= 500 && reply < 600) return absl::InvalidArgumentError(what);
  if (rc == CURLE_OPERATION_TIMEDOUT) return absl::DeadlineExceededError(what);
  if (rc == CURLE_URL_MALFORMAT || rc == CURLE_UNSUPPORTED_PROTOCOL) return absl::FailedPreconditionError(what);
  return absl::UnavailableError(what);
}

}  // namespace onestop::mail
