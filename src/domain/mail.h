// Inbound email as the rest of onestop sees it: what the MIME parser
// (src/mail/mime.h, GMime) makes of a message delivered over LMTP. Plain
// data, no MIME here: the parser decodes every header (RFC 2047) and body
// (quoted-printable, base64, charsets) to UTF-8 first.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "domain/service.h"

namespace onestop::domain {

// Why a message must not get an automatic answer (RFC 3834 and the peers'
// rules, ../shared/reference/email-and-notify.md). kNone: a person wrote it.
enum class AutoKind {
  kNone,
  kAutoSubmitted,  // Auto-Submitted other than "no" (out-of-office, auto-replied …)
  kBulk,           // Precedence: bulk | junk | list, List-Id, X-Auto-Response-Suppress
  kLoop,           // X-Loop naming one of our addresses
  kBounce,         // a delivery status notification (multipart/report; report-type=delivery-status)
  kSystemSender,   // empty return path, or From mailer-daemon@ / postmaster@ / noreply@ …
};

struct MailAttachment {
  std::string filename;       // decoded, path separators and control characters removed; may be empty
  std::string declared_type;  // the part's Content-Type (type/subtype, lower case)
  std::string sniffed_type;   // what the bytes look like ("application/pdf", "image/png", …,
                              // "application/octet-stream" when unknown)
  std::string content;        // the decoded bytes
};

struct InboundMail {
  std::string message_id;               // without the angle brackets; may be empty
  std::string in_reply_to;              // without angle brackets
  std::vector<std::string> references;  // oldest first, without angle brackets
  std::string from_address;             // lower case addr-spec; empty if none could be read
  std::string from_name;                // display name, UTF-8
  std::string reply_to_address;         // Reply-To when present
  std::vector<std::string> to_addresses;
  std::string subject;                  // UTF-8, folded whitespace collapsed
  std::optional<absl::Time> date;
  std::string text;        // the body as text: text/plain preferred, else HTML made into text
  std::string reply_text;  // `text` without the quoted earlier message and the signature
  bool html_only = false;  // the text came from HTML
  AutoKind auto_kind = AutoKind::kNone;
  // For a bounce: the addresses the report says could not be delivered to
  // (Final-Recipient of failed actions), lower case.
  std::vector<std::string> bounced_addresses;
  std::vector<MailAttachment> attachments;
  // Attachments left out: beyond the parser's count limit or over its size limit.
  size_t dropped_attachments = 0;
};

}  // namespace onestop::domain

namespace onestop::domain {

// What became of a stored inbound message (MailMessage::state).
enum class MailState {
  kNew,        // durable, not yet filed (a failure while filing leaves it here: retried)
  kFiled,      // on a case, or a contact + email work item
  kIgnored,    // recorded, deliberately not filed (a bounce, a loop, our own mail)
};
std::string_view MailStateName(MailState s);  // "new", "filed", "ignored"
std::optional<MailState> ParseMailState(std::string_view name);

// An inbound message as stored (table mail_messages), one row per accepted
// recipient mailbox: the raw bytes exactly as delivered, and what it was filed as.
struct MailMessage {
  int64_t id = 0;
  std::string mailbox;       // the recipient address it was delivered to (lower case)
  std::string message_id;    // from the message (without <>), may be empty
  std::string from_address;  // lower case
  std::string subject;
  absl::Time received_at;
  std::string raw;           // the message as delivered (any bytes)
  MailState state = MailState::kNew;
  std::string outcome;       // a code: "case_note", "new_contact", "new_case", "bounce", "loop", …
  std::optional<int64_t> case_id;
  std::optional<int64_t> citizen_id;
  std::optional<int64_t> contact_id;
  std::optional<int64_t> interaction_id;  // the email work item
  std::optional<absl::Time> filed_at;
  bool operator==(const MailMessage&) const = default;
};

}  // namespace onestop::domain

namespace onestop::domain {

// An address that is a mail system rather than a person: mailer-daemon,
// postmaster, abuse, root, noreply / no-reply / donotreply / do-not-reply
// (any domain, any case). Mail from one is automatic (AutoKind
// kSystemSender); nothing automatic is ever sent to one.
bool IsSystemAddress(std::string_view address);

// A council mailbox (the council file's `mailboxes`): mail delivered to
// `address` that starts a new conversation becomes an email work item in
// routing queue `queue` (media email) — or, when `service_code` is set, a
// case of that service straight away, acknowledged to the sender with its
// reference.
struct Mailbox {
  std::string address;  // lower case
  std::string team;     // the team that answers it (informational for now)
  std::string queue;
  std::string service_code;  // "" = an agent decides
};

// The form field of `service` that an email's text answers when a mailbox
// raises the service's cases from mail: its first free-text field (by
// order), provided no other field is required. nullopt when the service
// cannot be raised from an email alone.
std::optional<std::string> MailTextField(const Service& service);

}  // namespace onestop::domain
