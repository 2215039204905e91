// Mail and SMS out (domain/outbox.h): queueing a message with the change
// that causes it, the rules on automatic mail, the sender that drains the
// outbox, and an agent's reply to a case's resident.
//
// Delivery is at least once. The sender claims a message (a lease: its
// next attempt moves past the time a send takes), sends it, then records
// the result; a crash between the provider accepting it and the record
// leaves it queued, and it is sent again when the lease runs out. For
// email the second copy carries the same Message-ID, so mail clients show
// one message; for SMS see src/notify/sms_transport.h.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/case.h"
#include "domain/citizen.h"
#include "domain/mail.h"
#include "domain/outbox.h"
#include "domain/staff.h"
#include "services/deps.h"

namespace onestop::services {

// Automatic mail (acknowledgements, notifications) to one recipient is
// limited per window, as Zammad does (10 in 10 minutes, 15 in 30, 25 in an
// hour, 50 in 3 hours, 100 in 10 hours): past a limit nothing automatic
// goes to that address until the window has room again.
struct AutoReplyLimits {
  std::vector<std::pair<absl::Duration, int>> windows = {
      {absl::Minutes(10), 10}, {absl::Minutes(30), 15}, {absl::Hours(1), 25},
      {absl::Hours(3), 50},    {absl::Hours(10), 100}};
};

// Whether automatic mail may go to `recipient` now (not a system address,
// domain::IsSystemAddress; every window under its limit).
absl::StatusOr<bool> AutomaticMailAllowed(domain::Store& store, const std::string& recipient, absl::Time now,
                                          const AutoReplyLimits& limits);

// A new Message-ID (without <>) in the domain of `sender` ("localhost" when
// it has none): unique, unguessable.
std::string NewMessageId(const std::string& sender);

// Queues `m` (state queued, due now) inside `txn`, with a "message.queued"
// event on case `c` when given. Sets m.id.
absl::Status QueueMessage(domain::WriteTxn& txn, const domain::Actor& actor, absl::Time now, domain::OutboxMessage& m,
                          const domain::Case* c);

struct OutboxPolicy {
  int max_attempts = 10;                        // then failed
  absl::Duration first_retry = absl::Seconds(30);  // doubled per attempt …
  absl::Duration max_retry = absl::Hours(1);    // … up to this
  absl::Duration lease = absl::Minutes(5);      // a claimed message's time to be sent
  int batch = 50;                               // messages per Run
};

// The wait before attempt `attempts + 1` after `attempts` failed ones.
absl::Duration RetryDelay(const OutboxPolicy& policy, int attempts);

struct DeliveryRound {
  int sent = 0;
  int retried = 0;  // failed for a passing reason; queued again later
  int failed = 0;   // given up
  // Each failed attempt, for the caller to log (no personal data in it).
  struct Problem {
    int64_t outbox_id = 0;
    domain::OutboxChannel channel = domain::OutboxChannel::kEmail;
    int attempts = 0;
    bool given_up = false;
    absl::Status status;
  };
  std::vector<Problem> problems;
};

// Drains due messages through each channel's transport. Run it on one node
// (the app runs it on the routing leader); the claim keeps two runs from
// sending the same message anyway. Each result is recorded with an event on
// the message's case: "message.sent" or "message.failed" (a retry only
// updates the message).
class DeliverOutbox {
 public:
  DeliverOutbox(Deps deps, std::map<domain::OutboxChannel, domain::MessageTransport*> transports,
                OutboxPolicy policy = {})
      : deps_(deps), transports_(std::move(transports)), policy_(policy) {}
  absl::StatusOr<DeliveryRound> Run() const;

 private:
  Deps deps_;
  std::map<domain::OutboxChannel, domain::MessageTransport*> transports_;
  OutboxPolicy policy_;
};

// How this installation can reach residents.
struct ReplyChannels {
  bool email = false;          // an SMTP relay is configured
  std::string default_sender;  // email: the address when the case has no mailbox of its own
  bool sms = false;            // a Notify SMS template for replies is configured
};

// The channel a reply to `resident` goes by: email to their first address
// (unless it is flagged undeliverable: it bounced), else (when
// `channels.sms`) a text to their first UK mobile number —
// never a landline; nullopt when neither is possible.
std::optional<std::pair<domain::OutboxChannel, std::string>> ReplyRoute(const domain::Citizen& resident,
                                                                        const ReplyChannels& channels);

// An agent or officer answers a case's resident (ReplyRoute): the message
// is queued (template case_reply, placeholders body, reference,
// case_subject, staff_name) — by email from the mailbox they wrote to (else
// the default sender), in the thread of the case's mail (In-Reply-To the
// newest message, References all of them); or by SMS — with an outbound
// contact on the case on that channel. InvalidArgument on field "to"
// ("resident_has_no_email", "resident_email_undeliverable", or
// "resident_has_no_email_or_mobile" when SMS is possible) when the resident cannot be reached (or the case has none).
class ReplyToResident {
 public:
  ReplyToResident(Deps deps, ReplyChannels channels) : deps_(deps), channels_(std::move(channels)) {}
  absl::StatusOr<domain::OutboxMessage> Run(const domain::Actor& actor, int64_t case_id, const std::string& body) const;
  const ReplyChannels& channels() const { return channels_; }

 private:
  Deps deps_;
  ReplyChannels channels_;
};

// A provider's delivery receipt (a Notify callback) for the message it
// knows as `provider_id`: kDelivered, or kFailed with `error` (a code such
// as "permanent_failure"); recorded once, with a "message.delivered" /
// "message.failed" event on the case. NotFound for an id we never sent;
// a receipt for a message already final changes nothing.
class RecordDeliveryReceipt {
 public:
  explicit RecordDeliveryReceipt(Deps deps) : deps_(deps) {}
  absl::StatusOr<domain::OutboxMessage> Run(const std::string& provider_id, domain::OutboxState outcome,
                                            const std::string& error, std::optional<absl::Time> at) const;

 private:
  Deps deps_;
};

// The messages sent (or to be sent) about a case, oldest first; the same
// access as the case.
class ListCaseMessages {
 public:
  explicit ListCaseMessages(Deps deps) : deps_(deps) {}
  absl::StatusOr<std::vector<domain::OutboxMessage>> Run(const domain::Actor& actor, int64_t case_id) const;

 private:
  Deps deps_;
};

}  // namespace onestop::services
