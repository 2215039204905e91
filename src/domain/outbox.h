// Mail and SMS out: the outbox (table outbox_messages). Every message to a
// resident is written in the same transaction as the change that caused it
// (a case acknowledged, an agent's reply, a sign-in code), as a template
// code and its placeholders in the reader's language — no words here: the
// sending adapter renders it at the edge. A worker on the routing leader
// (services/outbox.h DeliverOutbox) then hands each due message to the
// channel's transport (SMTP for email: src/mail/smtp_transport.h; GOV.UK
// Notify for SMS: src/notify), with retries and backoff.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace onestop::domain {

enum class OutboxChannel { kEmail, kSms };
std::string_view OutboxChannelName(OutboxChannel c);  // "email", "sms"
std::optional<OutboxChannel> ParseOutboxChannel(std::string_view name);

// queued → sent → delivered (a provider's delivery receipt), or → failed
// (given up: a permanent refusal, or out of attempts). A queued message
// whose attempt failed for a passing reason stays queued with a later
// next_attempt_at.
enum class OutboxState { kQueued, kSent, kDelivered, kFailed };
std::string_view OutboxStateName(OutboxState s);  // "queued", "sent", "delivered", "failed"
std::optional<OutboxState> ParseOutboxState(std::string_view name);

// What a message says, by template (the words are the adapter's, in the
// message's language).
inline constexpr std::string_view kTemplateCaseAcknowledgement = "case_acknowledgement";
inline constexpr std::string_view kTemplateCaseReply = "case_reply";

struct OutboxMessage {
  int64_t id = 0;
  OutboxChannel channel = OutboxChannel::kEmail;
  std::string recipient;      // an email address (lower case) or a phone number as stored on the resident
  std::string sender;         // email: the council address it comes from (a mailbox); empty = the default
  std::string template_code;  // kTemplate… above
  std::string language = "en";
  // The template's placeholders: "reference", "case_subject", "body", "service", "due_date", …
  std::vector<std::pair<std::string, std::string>> params;
  bool automatic = false;  // sent without a person choosing to (RFC 3834 Auto-Submitted: auto-replied)
  // Email threading: our Message-ID for this message (without <>, unique,
  // made when queued so a reply to it finds the case), and the thread it
  // answers (oldest first).
  std::string message_id;
  std::string in_reply_to;
  std::vector<std::string> references;
  std::optional<int64_t> case_id;
  std::optional<int64_t> citizen_id;
  std::optional<int64_t> staff_id;  // who wrote it (a reply); empty for automatic mail
  OutboxState state = OutboxState::kQueued;
  int attempts = 0;
  absl::Time created_at = absl::UnixEpoch();
  absl::Time next_attempt_at = absl::UnixEpoch();
  std::optional<absl::Time> sent_at;
  std::optional<absl::Time> delivered_at;
  std::string last_error;   // a code ("unavailable", "rejected", "rate_limited", …); empty when none
  std::string provider_id;  // the provider's id for it (a Notify notification id); empty for SMTP
  bool operator==(const OutboxMessage&) const = default;

  // The value of placeholder `key`, "" when absent.
  const std::string& Param(std::string_view key) const;
};

// A channel's sender (an adapter: SMTP, Notify). Send renders and sends one
// message; OK carries the provider's id for it ("" when it has none).
// Unavailable, DeadlineExceeded, ResourceExhausted or Aborted mean "try
// again later"; any other error is a permanent refusal (the message fails).
class MessageTransport {
 public:
  virtual ~MessageTransport() = default;
  virtual absl::StatusOr<std::string> Send(const OutboxMessage& message) = 0;
};

}  // namespace onestop::domain
