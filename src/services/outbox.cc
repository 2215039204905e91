#include "services/outbox.h"

#include <algorithm>
#include <random>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "common/status.h"
#include "domain/contact.h"
#include "services/events_util.h"
#include "services/permissions.h"

namespace onestop::services {
namespace {

constexpr size_t kMaxReplyBody = 20000;

bool Retryable(const absl::Status& s) {
  return absl::IsUnavailable(s) || absl::IsDeadlineExceeded(s) || absl::IsResourceExhausted(s) ||
         absl::IsAborted(s);
}

// A short code for why an attempt failed (kept on the message; no provider text).
std::string ErrorCode(const absl::Status& s) {
  switch (s.code()) {
    case absl::StatusCode::kUnavailable:
      return "unavailable";
    case absl::StatusCode::kDeadlineExceeded:
      return "timeout";
    case absl::StatusCode::kResourceExhausted:
      return "rate_limited";
    case absl::StatusCode::kAborted:
      return "aborted";
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kUnauthenticated:
      return "not_authorised";
    case absl::StatusCode::kFailedPrecondition:
      return "not_configured";
    case absl::StatusCode::kInvalidArgument:
      return "rejected";
    default:
      return "error";
  }
}

domain::Event MessageEvent(const domain::Actor& actor, absl::Time at, const domain::Case& c,
                           const domain::OutboxMessage& m, std::string type) {
  domain::Event e = CaseEvent(actor, at, c, std::move(type));
  e.changes.push_back({"outbox_id", "", absl::StrCat(m.id)});
  e.changes.push_back({"template", "", m.template_code});
  e.changes.push_back({"channel", "", std::string(domain::OutboxChannelName(m.channel))});
  return e;
}

}  // namespace

absl::StatusOr<bool> AutomaticMailAllowed(domain::Store& store, const std::string& recipient, absl::Time now,
                                          const AutoReplyLimits& limits) {
  if (recipient.empty() || domain::IsSystemAddress(recipient)) return false;
  for (const auto& [window, most] : limits.windows) {
    ONESTOP_ASSIGN_OR_RETURN(int64_t sent, store.CountAutomaticOutboxSince(recipient, now - window));
    if (sent >= most) return false;
  }
  return true;
}

std::string NewMessageId(const std::string& sender) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::string domain = "localhost";
  if (size_t at = sender.rfind('@'); at != std::string::npos && at + 1 < sender.size()) {
    domain = absl::AsciiStrToLower(sender.substr(at + 1));
    domain.erase(std::remove_if(domain.begin(), domain.end(),
                                [](char ch) { return !(absl::ascii_isalnum(ch) || ch == '.' || ch == '-'); }),
                 domain.end());
    if (domain.empty()) domain = "localhost";
  }
  return absl::StrFormat("onestop.%016x%016x@%s", rng(), rng(), domain);
}

absl::Status QueueMessage(domain::WriteTxn& txn, const domain::Actor& actor, absl::Time now, domain::OutboxMessage& m,
                          const domain::Case* c) {
  m.state = domain::OutboxState::kQueued;
  m.attempts = 0;
  m.created_at = now;
  m.next_attempt_at = now;
  ONESTOP_ASSIGN_OR_RETURN(m.id, txn.InsertOutboxMessage(m));
  if (c != nullptr) {
    domain::Event e = MessageEvent(actor, now, *c, m, "message.queued");
    e.changes.push_back({"automatic", "", m.automatic ? "true" : "false"});
    ONESTOP_RETURN_IF_ERROR(txn.AppendEvent(e).status());
  }
  return absl::OkStatus();
}

absl::Duration RetryDelay(const OutboxPolicy& policy, int attempts) {
  absl::Duration d = policy.first_retry;
  for (int i = 1; i < attempts && d < policy.max_retry; ++i) d *= 2;
  return std::min(d, policy.max_retry);
}

absl::StatusOr<DeliveryRound> DeliverOutbox::Run() const {
  DeliveryRound round;
  const absl::Time now = deps_.clock.Now();
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::OutboxMessage> due, deps_.store.ListDueOutbox(now, policy_.batch));
  // The batch's claims in one transaction; a channel without a sender waits.
  std::vector<domain::OutboxMessage> claimed;
  ONESTOP_RETURN_IF_ERROR(deps_.store.Write([&](domain::WriteTxn& txn) -> absl::Status {
    claimed.clear();
    for (const domain::OutboxMessage& m : due) {
      auto transport = transports_.find(m.channel);
      if (transport == transports_.end() || transport->second == nullptr) continue;
      ONESTOP_ASSIGN_OR_RETURN(bool ours, txn.ClaimOutboxMessage(m.id, now, now + policy_.lease));
      if (ours) claimed.push_back(m);
    }
    return absl::OkStatus();
  }));
  for (domain::OutboxMessage& m : claimed) {
    auto transport = transports_.find(m.channel);
    ++m.attempts;
    absl::StatusOr<std::string> sent = transport->second->Send(m);
    const absl::Time done = deps_.clock.Now();
    std::string event_type;
    if (sent.ok()) {
      m.state = domain::OutboxState::kSent;
      m.sent_at = done;
      m.provider_id = *sent;
      m.last_error.clear();
      event_type = "message.sent";
      ++round.sent;
    } else if (Retryable(sent.status()) && m.attempts < policy_.max_attempts) {
      m.next_attempt_at = done + RetryDelay(policy_, m.attempts);
      m.last_error = ErrorCode(sent.status());
      ++round.retried;
      round.problems.push_back({m.id, m.channel, m.attempts, false, sent.status()});
    } else {
      m.state = domain::OutboxState::kFailed;
      m.last_error = ErrorCode(sent.status());
      event_type = "message.failed";
      ++round.failed;
      round.problems.push_back({m.id, m.channel, m.attempts, true, sent.status()});
    }
    ONESTOP_RETURN_IF_ERROR(deps_.store.Write([&](domain::WriteTxn& txn) -> absl::Status {
      ONESTOP_RETURN_IF_ERROR(txn.UpdateOutboxDelivery(m));
      if (event_type.empty() || !m.case_id) return absl::OkStatus();
      ONESTOP_ASSIGN_OR_RETURN(domain::Case c, txn.GetCase(*m.case_id));
      domain::Event e = MessageEvent(domain::Actor::System(), done, c, m, event_type);
      if (!m.last_error.empty()) e.changes.push_back({"error", "", m.last_error});
      return txn.AppendEvent(e).status();
    }));
  }
  return round;
}

std::optional<std::pair<domain::OutboxChannel, std::string>> ReplyRoute(const domain::Citizen& resident,
                                                                        const ReplyChannels& channels) {
  if (channels.email && !resident.emails.empty() && !resident.flags.email_undeliverable) {
    return std::make_pair(domain::OutboxChannel::kEmail, resident.emails.front());
  }
  if (channels.sms) {
    for (const std::string& phone : resident.phones) {
      if (domain::IsUkMobile(phone)) return std::make_pair(domain::OutboxChannel::kSms, domain::NormalisePhone(phone));
    }
  }
  return std::nullopt;
}

absl::StatusOr<domain::OutboxMessage> ReplyToResident::Run(const domain::Actor& actor, int64_t case_id,
                                                           const std::string& body) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kEditCases));
  if (actor.staff_id == 0) return absl::PermissionDeniedError("staff only");
  const absl::Status not_found = absl::NotFoundError(absl::StrCat("case ", case_id, " not found"));
  absl::StatusOr<domain::Case> c = deps_.store.GetCase(case_id);
  if (!c.ok()) return absl::IsNotFound(c.status()) ? not_found : c.status();
  if (!CheckCaseAccess(actor, *c).ok()) return not_found;

  const std::string text(absl::StripAsciiWhitespace(body));
  if (text.empty()) return InvalidFields("Reply is empty", {{"body", "required", "reply_required", {}}});
  if (text.size() > kMaxReplyBody) {
    return InvalidFields("Reply too long",
                         {{"body", "too_long", "reply_max_length", {{"max", absl::StrCat(kMaxReplyBody)}}}});
  }
  std::optional<std::pair<domain::OutboxChannel, std::string>> route;
  if (c->citizen_id) {
    ONESTOP_ASSIGN_OR_RETURN(domain::Citizen citizen, deps_.store.GetCitizen(*c->citizen_id));
    route = ReplyRoute(citizen, channels_);
  }
  if (!route) {
    std::string reason = channels_.sms ? "resident_has_no_email_or_mobile" : "resident_has_no_email";
    if (c->citizen_id) {
      ONESTOP_ASSIGN_OR_RETURN(domain::Citizen citizen, deps_.store.GetCitizen(*c->citizen_id));
      if (channels_.email && !citizen.emails.empty() && citizen.flags.email_undeliverable) {
        reason = "resident_email_undeliverable";
      }
    }
    return InvalidFields("No way to reach the resident", {{"to", "missing", reason, {}}});
  }
  const bool by_email = route->first == domain::OutboxChannel::kEmail;

  // The thread: the case's mail in and out, oldest first.
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::MailMessage> inbound, deps_.store.ListCaseMail(c->id));
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::OutboxMessage> outbound, deps_.store.ListCaseOutbox(c->id));
  std::vector<std::pair<absl::Time, std::string>> thread;
  std::string sender;
  std::string case_subject;
  for (const domain::MailMessage& in : inbound) {
    if (!in.message_id.empty()) thread.emplace_back(in.received_at, in.message_id);
    sender = in.mailbox;
    if (case_subject.empty()) case_subject = in.subject;
  }
  for (const domain::OutboxMessage& out : outbound) {
    if (out.channel == domain::OutboxChannel::kEmail && !out.message_id.empty()) {
      thread.emplace_back(out.created_at, out.message_id);
    }
  }
  std::stable_sort(thread.begin(), thread.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  if (sender.empty()) sender = channels_.default_sender;
  if (case_subject.empty()) case_subject = c->summary;

  std::string staff_name;
  if (absl::StatusOr<domain::StaffUser> staff = deps_.store.GetStaff(actor.staff_id); staff.ok()) {
    staff_name = staff->display_name;
  }

  domain::OutboxMessage m;
  m.channel = route->first;
  m.recipient = route->second;
  if (by_email) m.sender = sender;
  m.template_code = std::string(domain::kTemplateCaseReply);
  m.params = {{"body", text},
              {"reference", c->reference},
              {"case_subject", case_subject},
              {"staff_name", staff_name}};
  m.automatic = false;
  if (by_email) {
    m.message_id = NewMessageId(sender);
    for (const auto& [at, id] : thread) m.references.push_back(id);
    if (!m.references.empty()) m.in_reply_to = m.references.back();
  }
  m.case_id = c->id;
  m.citizen_id = c->citizen_id;
  m.staff_id = actor.staff_id;

  const absl::Time now = deps_.clock.Now();
  ONESTOP_RETURN_IF_ERROR(deps_.store.Write([&](domain::WriteTxn& txn) -> absl::Status {
    ONESTOP_ASSIGN_OR_RETURN(domain::Case current, txn.GetCase(c->id));
    ONESTOP_RETURN_IF_ERROR(QueueMessage(txn, actor, now, m, &current));
    domain::Contact contact;
    contact.channel = by_email ? domain::Channel::kEmail : domain::Channel::kSms;
    contact.direction = domain::Direction::kOutbound;
    contact.at = now;
    contact.staff_id = actor.staff_id;
    contact.citizen_id = current.citizen_id;
    contact.case_id = current.id;
    contact.service_code = current.service_code;
    contact.reason = case_subject.substr(0, 2000);
    contact.outcome = domain::ContactOutcome::kCaseUpdated;
    ONESTOP_ASSIGN_OR_RETURN(contact.id, txn.InsertContact(contact));
    domain::Event e = ContactEvent(actor, now, contact, "contact.recorded");
    e.changes.push_back({"channel", "", std::string(domain::ChannelName(contact.channel))});
    return txn.AppendEvent(e).status();
  }));
  return m;
}

absl::StatusOr<domain::OutboxMessage> RecordDeliveryReceipt::Run(const std::string& provider_id,
                                                                 domain::OutboxState outcome, const std::string& error,
                                                                 std::optional<absl::Time> at) const {
  if (outcome != domain::OutboxState::kDelivered && outcome != domain::OutboxState::kFailed) {
    return absl::InvalidArgumentError("a receipt is delivered or failed");
  }
  ONESTOP_ASSIGN_OR_RETURN(std::optional<domain::OutboxMessage> found, deps_.store.FindOutboxByProviderId(provider_id));
  if (!found) return absl::NotFoundError("no message has that provider id");
  domain::OutboxMessage m = std::move(*found);
  const absl::Time now = deps_.clock.Now();
  ONESTOP_RETURN_IF_ERROR(deps_.store.Write([&](domain::WriteTxn& txn) -> absl::Status {
    ONESTOP_ASSIGN_OR_RETURN(m, txn.GetOutboxMessage(m.id));
    if (m.state == domain::OutboxState::kDelivered || m.state == domain::OutboxState::kFailed) {
      return absl::OkStatus();  // final already (a repeated callback)
    }
    m.state = outcome;
    if (outcome == domain::OutboxState::kDelivered) {
      m.delivered_at = at.value_or(now);
      m.last_error.clear();
    } else {
      m.last_error = error;
    }
    ONESTOP_RETURN_IF_ERROR(txn.UpdateOutboxDelivery(m));
    if (!m.case_id) return absl::OkStatus();
    ONESTOP_ASSIGN_OR_RETURN(domain::Case c, txn.GetCase(*m.case_id));
    domain::Event e = MessageEvent(domain::Actor::System(), now, c, m,
                                   outcome == domain::OutboxState::kDelivered ? "message.delivered" : "message.failed");
    if (!m.last_error.empty()) e.changes.push_back({"error", "", m.last_error});
    return txn.AppendEvent(e).status();
  }));
  return m;
}

absl::StatusOr<std::vector<domain::OutboxMessage>> ListCaseMessages::Run(const domain::Actor& actor,
                                                                         int64_t case_id) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kReadCases));
  const absl::Status not_found = absl::NotFoundError(absl::StrCat("case ", case_id, " not found"));
  absl::StatusOr<domain::Case> c = deps_.store.GetCase(case_id);
  if (!c.ok()) return absl::IsNotFound(c.status()) ? not_found : c.status();
  if (!CheckCaseAccess(actor, *c).ok()) return not_found;
  return deps_.store.ListCaseOutbox(c->id);
}

}  // namespace onestop::services
