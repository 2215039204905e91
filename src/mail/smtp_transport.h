// Email out: the outbox's email transport (domain/outbox.h MessageTransport).
// A queued message is rendered (its words, in its language, by the app's
// MailRenderer), composed as MIME with GMime 3 — multipart/alternative of
// the text and a simple HTML made from the same text, UTF-8, quoted-
// printable where needed — and submitted by SMTP through libcurl to the
// council's relay (`smtp_url`).
//
// Headers: From the message's sender (a council mailbox) with the council's
// name, To the resident, Subject as rendered (it carries "[Ref XXXX-XXXX]"),
// our Message-ID, In-Reply-To / References to the thread, X-Loop with the
// sender (our own mail coming back is then a loop, src/mail/mime.h), and on
// automatic mail Auto-Submitted: auto-replied (RFC 3834).
//
// TLS: smtps:// is TLS from the start; smtp:// requires STARTTLS except to a
// loopback relay (a local Postfix, the tests' sink), where it is not used.
// Credentials in the URL's user-info (smtp://user:password@relay:587) or in
// the options. The relay's answer decides: 5xx → a permanent refusal
// (InvalidArgument), 4xx, connection and TLS failures → Unavailable, a
// timeout → DeadlineExceeded (the outbox tries again later).
//
// Thread-safe: Send may be called from any thread (one curl handle per call).
#pragma once

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/outbox.h"

namespace onestop::mail {

// A message's words, chosen by the app in the message's language.
struct RenderedMail {
  std::string subject;
  std::string text;  // plain text, paragraphs separated by blank lines
};
using MailRenderer = std::function<absl::StatusOr<RenderedMail>(const domain::OutboxMessage&)>;

struct SmtpOptions {
  std::string url;             // smtp://host:port or smtps://host:port (user-info allowed)
  std::string username;        // overrides the URL's
  std::string password;
  std::string default_sender;  // when a message has none
  std::string sender_name;     // the display name on From ("Fairhaven Council")
  absl::Duration timeout = absl::Seconds(30);
};

// Checks `url` is an smtp:// or smtps:// URL with a host (InvalidArgument).
absl::Status ValidateSmtpUrl(const std::string& url);

// The MIME message for `m` with words `words` (CRLF line ends), as sent.
// InvalidArgument for a recipient or sender that is not a plain address.
absl::StatusOr<std::string> ComposeMail(const domain::OutboxMessage& m, const RenderedMail& words,
                                        const std::string& sender, const std::string& sender_name,
                                        absl::Time date);

// Paragraphs of `text` as simple, escaped HTML (<p>, <br>; nothing active).
std::string TextToHtml(const std::string& text);

class SmtpTransport : public domain::MessageTransport {
 public:
  SmtpTransport(SmtpOptions options, MailRenderer render);
  absl::StatusOr<std::string> Send(const domain::OutboxMessage& message) override;

 private:
  SmtpOptions options_;
  MailRenderer render_;
};

}  // namespace onestop::mail
