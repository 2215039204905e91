// Email in: filing a delivered message (domain/mail.h). The LMTP adapter
// (src/mail) stores the message as delivered first (StoreInboundMail, the
// 250 goes out only after it), then files it (FileInboundMail); a message
// whose filing failed stays kNew and is filed again later, so filing is
// idempotent: a message already filed is returned as it is.
//
// Filing, in order:
//   1. a bounce or a loop is recorded and not filed (kIgnored, outcome
//      "bounce" / "loop"); a bounce flags the residents whose primary
//      address it names as email_undeliverable;
//   2. a reply in a thread we know (In-Reply-To / References naming a filed
//      message) or naming a case in its subject ("[Ref XXXX-XXXX]", check
//      symbol validated) goes on that case: a note (internal, its reply text)
//      and an email contact on the case, in one transaction (outcome
//      "case_note");
//   3. otherwise the sender is matched to a resident by email address (or a
//      new resident is created, named from the From display name), and
//   4. a mailbox with a service raises a case of it (the text answers the
//      service's free-text question, the subject is the summary; outcome
//      "new_case") and, in the same transaction, queues an acknowledgement
//      with the case reference to the sender — unless the mail is automatic
//      (RFC 3834), the sender is a system address, or the sender has had
//      too much automatic mail already (AutoReplyLimits);
//   5. else, or when the mail does not fit that service's form, an email
//      work item goes into the mailbox's routing queue, with an email
//      contact for it (outcome "new_contact"); the agent who accepts it gets
//      that contact (StartInteractionContact).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/mail.h"
#include "routing/live_engine.h"
#include "services/deps.h"
#include "services/outbox.h"

namespace onestop::services {

// The subject's case reference, "[Ref XXXX-XXXX]" (any case, spaces
// allowed inside the brackets), decoded to the case number; nullopt when
// there is none or its check symbol is wrong.
std::optional<int64_t> CaseReferenceInSubject(const std::string& subject);

class StoreInboundMail {
 public:
  explicit StoreInboundMail(Deps deps) : deps_(deps) {}
  // Durable when it returns OK (the stored message, its id set).
  absl::StatusOr<domain::MailMessage> Run(const std::string& mailbox, const domain::InboundMail& mail,
                                          std::string raw) const;

 private:
  Deps deps_;
};

// One stored message for a member of staff to read: contact-centre roles
// read any; an officer only one filed on a case of their department
// (NotFound otherwise, as for the case).
class GetInboundMail {
 public:
  explicit GetInboundMail(Deps deps) : deps_(deps) {}
  absl::StatusOr<domain::MailMessage> Run(const domain::Actor& actor, int64_t id) const;

 private:
  Deps deps_;
};

class FileInboundMail {
 public:
  FileInboundMail(Deps deps, routing::LiveEngine& engine, AutoReplyLimits limits = {})
      : deps_(deps), engine_(engine), limits_(std::move(limits)) {}
  // `stored` as StoreInboundMail returned it (or as listed for a retry),
  // `mail` its parse. Unavailable when routing runs on another node (the
  // message stays kNew).
  absl::StatusOr<domain::MailMessage> Run(const domain::MailMessage& stored, const domain::InboundMail& mail,
                                          const domain::Mailbox& mailbox) const;

 private:
  absl::StatusOr<domain::MailMessage> OnCase(domain::MailMessage m, const domain::InboundMail& mail,
                                             int64_t case_id) const;
  absl::StatusOr<domain::MailMessage> NewContact(domain::MailMessage m, const domain::InboundMail& mail,
                                                 const domain::Mailbox& mailbox,
                                                 std::optional<int64_t> citizen_id) const;
  // The mailbox raises its service's cases: nullopt when this mail cannot
  // be one (the answer does not fit the form), to be routed instead.
  absl::StatusOr<std::optional<domain::MailMessage>> NewCase(domain::MailMessage m, const domain::InboundMail& mail,
                                                             const domain::Mailbox& mailbox,
                                                             int64_t citizen_id) const;
  absl::StatusOr<std::optional<int64_t>> Sender(const domain::InboundMail& mail,
                                                std::optional<int64_t> citizen_id) const;
  Deps deps_;
  routing::LiveEngine& engine_;
  AutoReplyLimits limits_;
};

}  // namespace onestop::services
