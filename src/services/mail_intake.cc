#include "services/mail_intake.h"

#include <cctype>
#include <string_view>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "domain/case.h"
#include "domain/citizen.h"
#include "domain/contact.h"
#include "domain/reference.h"
#include "services/cases.h"
#include "services/catalogue.h"
#include "services/citizens.h"
#include "services/events_util.h"
#include "services/permissions.h"

namespace onestop::services {
namespace {

constexpr size_t kMaxNoteBody = 10000;
constexpr size_t kMaxReason = 2000;

// Cuts `text` to at most `max` bytes at a UTF-8 boundary.
std::string Cut(const std::string& text, size_t max) {
  if (text.size() <= max) return text;
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

domain::Event ContactRecorded(absl::Time at, const domain::Contact& c) {
  domain::Event e = ContactEvent(domain::Actor::System(), at, c, "contact.recorded");
  e.changes.push_back({"channel", "", std::string(domain::ChannelName(c.channel))});
  if (c.interaction_id) e.changes.push_back({"interaction_id", "", absl::StrCat(*c.interaction_id)});
  return e;
}

// "Alice Smith" → given "Alice", family "Smith"; an empty name → the
// address's local part as the given name.
void NameFrom(const domain::InboundMail& mail, domain::Citizen& c) {
  std::string name(absl::StripAsciiWhitespace(mail.from_name));
  if (name.empty()) name = mail.from_address.substr(0, mail.from_address.find('@'));
  const size_t space = name.rfind(' ');
  if (space == std::string::npos) {
    c.given_name = Cut(name, 100);
  } else {
    c.given_name = Cut(std::string(absl::StripAsciiWhitespace(name.substr(0, space))), 100);
    c.family_name = Cut(name.substr(space + 1), 100);
  }
}

}  // namespace

std::optional<int64_t> CaseReferenceInSubject(const std::string& subject) {
  const std::string lower = absl::AsciiStrToLower(subject);
  for (size_t at = lower.find("[ref"); at != std::string::npos; at = lower.find("[ref", at + 1)) {
    const size_t close = lower.find(']', at);
    if (close == std::string::npos || close - at > 40) continue;
    std::string_view inside(subject.data() + at + 4, close - at - 4);
    while (!inside.empty() && (inside.front() == ' ' || inside.front() == ':' || inside.front() == '#')) {
      inside.remove_prefix(1);
    }
    absl::StatusOr<int64_t> number = domain::DecodeCaseReference(inside);
    if (number.ok()) return *number;
  }
  return std::nullopt;
}

absl::StatusOr<domain::MailMessage> StoreInboundMail::Run(const std::string& mailbox,
                                                          const domain::InboundMail& mail,
                                                          std::string raw) const {
  domain::MailMessage m;
  m.mailbox = absl::AsciiStrToLower(mailbox);
  m.message_id = Cut(mail.message_id, 998);
  m.from_address = Cut(mail.from_address, 320);
  m.subject = Cut(mail.subject, 998);
  m.received_at = deps_.clock.Now();
  m.raw = std::move(raw);
  ONESTOP_RETURN_IF_ERROR(deps_.store.Write([&](domain::WriteTxn& txn) -> absl::Status {
    ONESTOP_ASSIGN_OR_RETURN(m.id, txn.InsertMailMessage(m));
    return absl::OkStatus();
  }));
  return m;
}

absl::StatusOr<domain::MailMessage> GetInboundMail::Run(const domain::Actor& actor, int64_t id) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kRecordContacts));
  if (actor.staff_id == 0) return absl::PermissionDeniedError("staff only");
  const absl::Status not_found = absl::NotFoundError(absl::StrCat("mail message ", id, " not found"));
  absl::StatusOr<domain::MailMessage> m = deps_.store.GetMailMessage(id);
  if (!m.ok()) return absl::IsNotFound(m.status()) ? not_found : m.status();
  if (m->case_id) {
    ONESTOP_ASSIGN_OR_RETURN(domain::Case c, deps_.store.GetCase(*m->case_id));
    if (!CheckCaseAccess(actor, c).ok()) return not_found;
  } else if (actor.role == domain::Role::kOfficer) {
    return not_found;
  }
  return m;
}

absl::StatusOr<domain::MailMessage> FileInboundMail::Run(const domain::MailMessage& stored,
                                                         const domain::InboundMail& mail,
                                                         const domain::Mailbox& mailbox) const {
  ONESTOP_ASSIGN_OR_RETURN(domain::MailMessage m, deps_.store.GetMailMessage(stored.id));
  if (m.state != domain::MailState::kNew) return m;  // filed already (a retry)

  if (mail.auto_kind == domain::AutoKind::kBounce) {
    // The residents whose primary address bounced are flagged (the desk
    // shows it; replies stop going there).
    size_t looked = 0;
    for (const std::string& address : mail.bounced_addresses) {
      if (++looked > 20) break;
      domain::CitizenQuery query;
      query.email = address;
      query.limit = 20;
      ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::Citizen> found, deps_.store.FindCitizens(query));
      for (const domain::Citizen& c : found) {
        if (c.merged_into || c.emails.empty() || c.emails.front() != address || c.flags.email_undeliverable) continue;
        domain::CitizenFlags flags = c.flags;
        flags.email_undeliverable = true;
        absl::Status set = SetCitizenFlags(deps_).Run(domain::Actor::System(), c.id, flags, c.version).status();
        if (!set.ok() && !absl::IsAborted(set)) return set;  // changed meanwhile: the next bounce flags it
      }
    }
  }
  if (mail.auto_kind == domain::AutoKind::kBounce || mail.auto_kind == domain::AutoKind::kLoop) {
    m.state = domain::MailState::kIgnored;
    m.outcome = mail.auto_kind == domain::AutoKind::kBounce ? "bounce" : "loop";
    m.filed_at = deps_.clock.Now();
    ONESTOP_RETURN_IF_ERROR(deps_.store.Write([&](domain::WriteTxn& txn) { return txn.UpdateMailFiling(m); }));
    return m;
  }

  // A thread we know: the newest filed message it answers.
  std::vector<std::string> thread = mail.references;
  if (!mail.in_reply_to.empty()) thread.push_back(mail.in_reply_to);
  ONESTOP_ASSIGN_OR_RETURN(std::optional<domain::MailMessage> earlier, deps_.store.FindFiledMail(thread));
  if (earlier && earlier->case_id) return OnCase(std::move(m), mail, *earlier->case_id);
  if (std::optional<int64_t> number = CaseReferenceInSubject(mail.subject)) {
    absl::StatusOr<domain::Case> c = deps_.store.GetCase(*number);
    if (c.ok()) return OnCase(std::move(m), mail, c->id);
    if (!absl::IsNotFound(c.status())) return c.status();
  }
  // A reply to something we sent (an acknowledgement, an agent's reply).
  ONESTOP_ASSIGN_OR_RETURN(std::optional<domain::OutboxMessage> ours, deps_.store.FindOutboxByMessageIds(thread));
  if (ours && ours->case_id) {
    absl::StatusOr<domain::Case> c = deps_.store.GetCase(*ours->case_id);
    if (c.ok()) return OnCase(std::move(m), mail, c->id);
    if (!absl::IsNotFound(c.status())) return c.status();
  }
  std::optional<int64_t> citizen_id = earlier ? earlier->citizen_id : std::nullopt;
  if (!mailbox.service_code.empty() && mail.auto_kind == domain::AutoKind::kNone) {
    if (!engine_.leading()) return absl::UnavailableError("routing runs on another node");
    ONESTOP_ASSIGN_OR_RETURN(citizen_id, Sender(mail, citizen_id));
    if (citizen_id) {
      ONESTOP_ASSIGN_OR_RETURN(std::optional<domain::MailMessage> filed, NewCase(m, mail, mailbox, *citizen_id));
      if (filed) return *filed;
    }
  }
  return NewContact(std::move(m), mail, mailbox, citizen_id);
}

absl::StatusOr<std::optional<int64_t>> FileInboundMail::Sender(const domain::InboundMail& mail,
                                                               std::optional<int64_t> citizen_id) const {
  if (citizen_id || mail.from_address.empty()) return citizen_id;
  domain::CitizenQuery query;
  query.email = mail.from_address;
  query.limit = 5;
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::Citizen> found, deps_.store.FindCitizens(query));
  for (const domain::Citizen& c : found) {
    if (!c.merged_into) return std::optional<int64_t>(c.id);
  }
  domain::Citizen c;
  NameFrom(mail, c);
  c.emails = {mail.from_address};
  c.preferred_channel = domain::Channel::kEmail;
  ONESTOP_ASSIGN_OR_RETURN(CreateCitizenResult created,
                           CreateCitizen(deps_).Run(domain::Actor::System(), c, domain::Channel::kEmail));
  return std::optional<int64_t>(created.citizen.id);
}

absl::StatusOr<std::optional<domain::MailMessage>> FileInboundMail::NewCase(domain::MailMessage m,
                                                                            const domain::InboundMail& mail,
                                                                            const domain::Mailbox& mailbox,
                                                                            int64_t citizen_id) const {
  ONESTOP_ASSIGN_OR_RETURN(auto catalogue, deps_.catalogue.Get());
  const domain::Service* service = catalogue->Find(mailbox.service_code);
  if (service == nullptr || !service->active) return std::optional<domain::MailMessage>();
  std::optional<std::string> field = domain::MailTextField(*service);
  if (!field) return std::optional<domain::MailMessage>();
  std::string text = mail.reply_text.empty() ? mail.text : mail.reply_text;
  if (absl::StripAsciiWhitespace(text).empty()) text = mail.subject;
  if (absl::StripAsciiWhitespace(text).empty()) return std::optional<domain::MailMessage>();

  const absl::Time now = deps_.clock.Now();
  const std::string& to = mail.from_address;  // RFC 3834: never a Reply-To
  ONESTOP_ASSIGN_OR_RETURN(bool acknowledge, AutomaticMailAllowed(deps_.store, to, now, limits_));
  ONESTOP_ASSIGN_OR_RETURN(domain::Citizen resident, deps_.store.GetCitizen(citizen_id));

  services::NewCase input;
  input.service_code = service->code;
  input.citizen_id = citizen_id;
  input.channel = domain::Channel::kEmail;
  input.values[*field] = {Cut(std::string(absl::StripAsciiWhitespace(text)), kMaxNoteBody)};
  input.summary = Cut(std::string(absl::StripAsciiWhitespace(mail.subject)), 200);
  input.also_in_transaction = [&](domain::WriteTxn& txn, const domain::Case& c, int64_t contact_id) -> absl::Status {
    ONESTOP_ASSIGN_OR_RETURN(domain::MailMessage current, txn.GetMailMessage(m.id));
    if (current.state != domain::MailState::kNew) return absl::AlreadyExistsError("filed already");
    m.state = domain::MailState::kFiled;
    m.outcome = "new_case";
    m.case_id = c.id;
    m.citizen_id = citizen_id;
    m.contact_id = contact_id;
    m.filed_at = now;
    ONESTOP_RETURN_IF_ERROR(txn.UpdateMailFiling(m));
    if (!acknowledge) return absl::OkStatus();
    domain::OutboxMessage ack;
    ack.channel = domain::OutboxChannel::kEmail;
    ack.recipient = to;
    ack.sender = mailbox.address;
    ack.template_code = std::string(domain::kTemplateCaseAcknowledgement);
    ack.params = {{"reference", c.reference},
                  {"case_subject", mail.subject},
                  {"service", service->name},
                  {"service_code", service->code},
                  {"given_name", resident.given_name},
                  {"due_at", c.due_at ? absl::FormatTime(absl::RFC3339_sec, *c.due_at, absl::UTCTimeZone()) : ""}};
    ack.automatic = true;
    ack.message_id = NewMessageId(mailbox.address);
    ack.references = mail.references;
    if (!mail.message_id.empty()) {
      ack.references.push_back(mail.message_id);
      ack.in_reply_to = mail.message_id;
    }
    ack.case_id = c.id;
    ack.citizen_id = citizen_id;
    return QueueMessage(txn, domain::Actor::System(), now, ack, &c);
  };
  absl::StatusOr<OpenCaseResult> opened = OpenCase(deps_).Run(domain::Actor::System(), input);
  if (absl::IsAlreadyExists(opened.status())) {
    ONESTOP_ASSIGN_OR_RETURN(domain::MailMessage current, deps_.store.GetMailMessage(m.id));
    return std::optional<domain::MailMessage>(std::move(current));
  }
  if (absl::IsInvalidArgument(opened.status())) return std::optional<domain::MailMessage>();  // route it
  if (!opened.ok()) return opened.status();
  return std::optional<domain::MailMessage>(std::move(m));
}

absl::StatusOr<domain::MailMessage> FileInboundMail::OnCase(domain::MailMessage m, const domain::InboundMail& mail,
                                                            int64_t case_id) const {
  const absl::Time now = deps_.clock.Now();
  std::string body = mail.reply_text.empty() ? mail.text : mail.reply_text;
  if (absl::StripAsciiWhitespace(body).empty()) body = mail.subject.empty() ? "(no text)" : mail.subject;
  body = Cut(body, kMaxNoteBody);
  ONESTOP_RETURN_IF_ERROR(deps_.store.Write([&](domain::WriteTxn& txn) -> absl::Status {
    ONESTOP_ASSIGN_OR_RETURN(domain::MailMessage current, txn.GetMailMessage(m.id));
    if (current.state != domain::MailState::kNew) {
      m = std::move(current);
      return absl::OkStatus();
    }
    ONESTOP_ASSIGN_OR_RETURN(domain::Case c, txn.GetCase(case_id));
    domain::Note note;
    note.case_id = c.id;
    note.visibility = domain::NoteVisibility::kInternal;
    note.body = body;
    note.author_id = 0;  // the resident
    note.created_at = now;
    ONESTOP_ASSIGN_OR_RETURN(note.id, txn.InsertNote(note));
    domain::Event e = CaseEvent(domain::Actor::System(), now, c, "note.added");
    e.channel = domain::Channel::kEmail;
    e.changes.push_back({"visibility", "", std::string(domain::NoteVisibilityName(note.visibility))});
    e.changes.push_back({"note_id", "", absl::StrCat(note.id)});
    e.changes.push_back({"body", "", body});
    e.changes.push_back({"mail_message_id", "", absl::StrCat(m.id)});
    ONESTOP_RETURN_IF_ERROR(txn.AppendEvent(e).status());

    domain::Contact contact;
    contact.channel = domain::Channel::kEmail;
    contact.direction = domain::Direction::kInbound;
    contact.at = now;
    contact.citizen_id = c.citizen_id;
    contact.case_id = c.id;
    contact.service_code = c.service_code;
    contact.reason = Cut(mail.subject, kMaxReason);
    contact.outcome = domain::ContactOutcome::kCaseUpdated;
    ONESTOP_ASSIGN_OR_RETURN(contact.id, txn.InsertContact(contact));
    ONESTOP_RETURN_IF_ERROR(txn.AppendEvent(ContactRecorded(now, contact)).status());

    m.state = domain::MailState::kFiled;
    m.outcome = "case_note";
    m.case_id = c.id;
    m.citizen_id = c.citizen_id;
    m.contact_id = contact.id;
    m.filed_at = now;
    return txn.UpdateMailFiling(m);
  }));
  return m;
}

absl::StatusOr<domain::MailMessage> FileInboundMail::NewContact(domain::MailMessage m,
                                                                const domain::InboundMail& mail,
                                                                const domain::Mailbox& mailbox,
                                                                std::optional<int64_t> citizen_id) const {
  if (!engine_.leading()) return absl::UnavailableError("routing runs on another node");
  // The resident: by address, else a new one.
  ONESTOP_ASSIGN_OR_RETURN(citizen_id, Sender(mail, citizen_id));
  // The work item, once: a retry finds the one it made.
  const std::string reference = absl::StrCat("mail:", m.id);
  int64_t item_id = 0;
  if (std::optional<routing::ItemView> made = engine_.ItemByReference(routing::Media::kEmail, reference)) {
    item_id = made->id;
  } else {
    routing::NewItem item;
    item.media = routing::Media::kEmail;
    item.queue = mailbox.queue;
    item.caller = mail.from_address;
    item.reference = reference;
    ONESTOP_ASSIGN_OR_RETURN(routing::Arrival arrival, engine_.AddItem(item));
    item_id = arrival.item_id;
  }
  const absl::Time now = deps_.clock.Now();
  ONESTOP_RETURN_IF_ERROR(deps_.store.Write([&](domain::WriteTxn& txn) -> absl::Status {
    ONESTOP_ASSIGN_OR_RETURN(domain::MailMessage current, txn.GetMailMessage(m.id));
    if (current.state != domain::MailState::kNew) {
      m = std::move(current);
      return absl::OkStatus();
    }
    ONESTOP_ASSIGN_OR_RETURN(std::optional<domain::Contact> existing, txn.FindContactByInteraction(item_id));
    domain::Contact contact;
    if (existing) {
      contact = std::move(*existing);
    } else {
      contact.channel = domain::Channel::kEmail;
      contact.direction = domain::Direction::kInbound;
      contact.at = now;
      contact.citizen_id = citizen_id;
      contact.reason = Cut(mail.subject, kMaxReason);
      contact.outcome = domain::ContactOutcome::kOther;
      contact.interaction_id = item_id;
      ONESTOP_ASSIGN_OR_RETURN(contact.id, txn.InsertContact(contact));
      ONESTOP_RETURN_IF_ERROR(txn.AppendEvent(ContactRecorded(now, contact)).status());
    }
    m.state = domain::MailState::kFiled;
    m.outcome = "new_contact";
    m.citizen_id = citizen_id;
    m.contact_id = contact.id;
    m.interaction_id = item_id;
    m.filed_at = now;
    return txn.UpdateMailFiling(m);
  }));
  return m;
}

}  // namespace onestop::services
