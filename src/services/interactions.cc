#include "services/interactions.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "services/catalogue.h"
#include "services/events_util.h"
#include "services/permissions.h"

namespace onestop::services {
namespace {

constexpr size_t kMaxNote = 2000;

}  // namespace

std::optional<domain::Channel> ChannelOfMedia(routing::Media media) {
  switch (media) {
    case routing::Media::kVoice: return domain::Channel::kPhone;
    case routing::Media::kChat: return domain::Channel::kWeb;
    case routing::Media::kEmail: return domain::Channel::kEmail;
    case routing::Media::kWalkIn: return domain::Channel::kFaceToFace;
    case routing::Media::kCaseTask: return std::nullopt;
  }
  return std::nullopt;
}

absl::StatusOr<std::optional<domain::Contact>> StartInteractionContact::Run(
    const domain::Actor& actor, const routing::ItemView& item, std::optional<int64_t> citizen_id) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kRouteWork));
  std::optional<domain::Channel> channel = ChannelOfMedia(item.media);
  if (!channel) return std::nullopt;
  const absl::Time now = deps_.clock.Now();
  domain::Contact contact;
  ONESTOP_RETURN_IF_ERROR(deps_.store.Write([&](domain::WriteTxn& txn) -> absl::Status {
    ONESTOP_ASSIGN_OR_RETURN(std::optional<domain::Contact> existing,
                             txn.FindContactByInteraction(item.id));
    if (existing) {
      // Transferred and accepted again: still the one contact, now this agent's.
      contact = std::move(*existing);
      if (contact.staff_id == actor.staff_id) return absl::OkStatus();
      domain::Event e = ContactEvent(actor, now, contact, "contact.transferred");
      AddChange(e.changes, "staff_id", OptionalIdText(contact.staff_id), absl::StrCat(actor.staff_id));
      contact.staff_id = actor.staff_id;
      ONESTOP_RETURN_IF_ERROR(txn.UpdateContact(contact));
      return txn.AppendEvent(e).status();
    }
    contact = domain::Contact{};
    contact.channel = *channel;
    contact.direction = domain::Direction::kInbound;
    contact.at = now;
    contact.staff_id = actor.staff_id;
    contact.citizen_id = citizen_id;
    contact.outcome = domain::ContactOutcome::kOther;
    contact.interaction_id = item.id;
    ONESTOP_ASSIGN_OR_RETURN(contact.id, txn.InsertContact(contact));
    domain::Event e = ContactEvent(actor, now, contact, "contact.recorded");
    e.changes.push_back({"channel", "", std::string(domain::ChannelName(contact.channel))});
    e.changes.push_back({"interaction_id", "", absl::StrCat(item.id)});
    return txn.AppendEvent(e).status();
  }));
  return contact;
}

absl::StatusOr<domain::Contact> GetInteractionContact::Run(const domain::Actor& actor,
                                                           int64_t interaction_id) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kRouteWork));
  domain::ContactQuery query;
  query.interaction_id = interaction_id;
  query.limit = 1;
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::Contact> found, deps_.store.ListContacts(query));
  if (found.empty()) {
    return absl::NotFoundError(absl::StrCat("interaction ", interaction_id, " has no contact"));
  }
  return found.front();
}

absl::StatusOr<domain::Contact> LinkInteractionCitizen::Run(
    const domain::Actor& actor, int64_t interaction_id, int64_t citizen_id, const std::string& reason,
    std::optional<domain::ContactOutcome> outcome) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kRecordContacts));
  if (reason.size() > kMaxNote) {
    return InvalidFields("The contact is not valid",
                         {{"reason", "too_long", "contact_reason_length", {{"max", absl::StrCat(kMaxNote)}}}});
  }
  ONESTOP_ASSIGN_OR_RETURN(domain::Citizen citizen, deps_.store.GetCitizen(citizen_id));
  if (citizen.merged_into) citizen_id = *citizen.merged_into;
  const absl::Time now = deps_.clock.Now();
  domain::Contact contact;
  ONESTOP_RETURN_IF_ERROR(deps_.store.Write([&](domain::WriteTxn& txn) -> absl::Status {
    ONESTOP_ASSIGN_OR_RETURN(std::optional<domain::Contact> existing,
                             txn.FindContactByInteraction(interaction_id));
    if (!existing) {
      return absl::NotFoundError(absl::StrCat("interaction ", interaction_id, " has no contact"));
    }
    contact = std::move(*existing);
    const bool same = contact.citizen_id == citizen_id && (reason.empty() || reason == contact.reason) &&
                      (!outcome || *outcome == contact.outcome);
    if (same) return absl::OkStatus();
    domain::Event e = ContactEvent(actor, now, contact, "contact.updated");
    AddChange(e.changes, "citizen_id", OptionalIdText(contact.citizen_id), absl::StrCat(citizen_id));
    contact.citizen_id = citizen_id;
    e.citizen_id = citizen_id;
    if (!reason.empty()) contact.reason = reason;
    if (outcome && contact.outcome != domain::ContactOutcome::kCaseRaised) {
      AddChange(e.changes, "outcome", std::string(domain::ContactOutcomeName(contact.outcome)),
                std::string(domain::ContactOutcomeName(*outcome)));
      contact.outcome = *outcome;
    }
    ONESTOP_RETURN_IF_ERROR(txn.UpdateContact(contact));
    return txn.AppendEvent(e).status();
  }));
  return contact;
}

absl::Status EndInteractionCall::Run(int64_t interaction_id, absl::Time ended_at) const {
  const domain::Actor actor = domain::Actor::System();
  return deps_.store.Write([&](domain::WriteTxn& txn) -> absl::Status {
    ONESTOP_ASSIGN_OR_RETURN(std::optional<domain::Contact> existing, txn.FindContactByInteraction(interaction_id));
    if (!existing || existing->duration > absl::ZeroDuration()) return absl::OkStatus();
    domain::Contact contact = std::move(*existing);
    contact.duration = std::clamp(ended_at - contact.at, absl::Seconds(1), absl::Hours(24));
    domain::Event e = ContactEvent(actor, ended_at, contact, "contact.call_ended");
    e.changes.push_back({"duration_seconds", "", absl::StrCat(absl::ToInt64Seconds(contact.duration))});
    ONESTOP_RETURN_IF_ERROR(txn.UpdateContact(contact));
    return txn.AppendEvent(e).status();
  });
}

absl::StatusOr<std::optional<domain::Contact>> FinishInteractionContact::Run(
    const domain::Actor& actor, const routing::ItemView& item, const WrapUp& wrap_up) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kRouteWork));
  if (!ChannelOfMedia(item.media)) return std::nullopt;
  if (item.state != routing::ItemState::kConnected || item.agent_id != actor.staff_id) {
    return absl::FailedPreconditionError(
        absl::StrCat("interaction ", item.id, " is not connected to you"));
  }
  std::vector<FieldError> errors;
  const domain::Disposition* disposition = nullptr;
  if (wrap_up.disposition.empty()) {
    if (wrap_up.require_disposition) {
      errors.push_back({"disposition", "required", "disposition_required", {}});
    }
  } else {
    disposition = domain::FindDisposition(dispositions_, wrap_up.disposition);
    if (disposition == nullptr) {
      errors.push_back({"disposition", "unknown", "no_such_disposition", {}});
    } else {
      std::vector<const domain::Disposition*> allowed =
          domain::DispositionsFor(dispositions_, item.queue, wrap_up.service_code);
      if (std::find(allowed.begin(), allowed.end(), disposition) == allowed.end()) {
        errors.push_back({"disposition", "invalid", "disposition_not_for_queue", {}});
      }
    }
  }
  if (!wrap_up.service_code.empty()) {
    ONESTOP_ASSIGN_OR_RETURN(auto catalogue, deps_.catalogue.Get());
    if (catalogue->Find(wrap_up.service_code) == nullptr) {
      errors.push_back({"service_code", "unknown", "service_unknown_for_contact", {}});
    }
  }
  if (wrap_up.note.size() > kMaxNote) {
    errors.push_back({"note", "too_long", "contact_reason_length", {{"max", absl::StrCat(kMaxNote)}}});
  }
  if (!errors.empty()) return InvalidFields("The wrap-up is not valid", errors);

  const absl::Time now = deps_.clock.Now();
  domain::Contact contact;
  ONESTOP_RETURN_IF_ERROR(deps_.store.Write([&](domain::WriteTxn& txn) -> absl::Status {
    ONESTOP_ASSIGN_OR_RETURN(std::optional<domain::Contact> existing, txn.FindContactByInteraction(item.id));
    if (!existing) {
      // Accepted before this version (or through a path that made none):
      // the interaction still gets its one contact.
      domain::Contact c;
      c.channel = *ChannelOfMedia(item.media);
      c.at = item.connected_at == absl::Time() ? now : item.connected_at;
      c.staff_id = actor.staff_id;
      c.interaction_id = item.id;
      ONESTOP_ASSIGN_OR_RETURN(c.id, txn.InsertContact(c));
      existing = std::move(c);
    }
    contact = std::move(*existing);
    domain::Event e = ContactEvent(actor, now, contact, "contact.wrapped_up");
    const std::string outcome_before(domain::ContactOutcomeName(contact.outcome));
    const std::string service_before = contact.service_code;
    const std::string disposition_before = contact.disposition;
    if (disposition != nullptr) {
      contact.disposition = disposition->code;
      // A case raised during the call stays the outcome (it is the fact);
      // otherwise the disposition says what the contact counts as.
      if (contact.outcome != domain::ContactOutcome::kCaseRaised) contact.outcome = disposition->outcome;
    }
    if (!wrap_up.service_code.empty()) contact.service_code = wrap_up.service_code;
    if (!wrap_up.note.empty()) contact.reason = wrap_up.note;
    const absl::Time from = item.connected_at == absl::Time() ? contact.at : item.connected_at;
    // A phone call's duration was set when it ended (EndInteractionCall).
    if (contact.duration == absl::ZeroDuration()) {
      contact.duration = std::clamp(now - from, absl::ZeroDuration(), absl::Hours(24));
    }
    AddChange(e.changes, "disposition", disposition_before, contact.disposition);
    AddChange(e.changes, "outcome", outcome_before, std::string(domain::ContactOutcomeName(contact.outcome)));
    AddChange(e.changes, "service_code", service_before, contact.service_code);
    e.changes.push_back({"duration_seconds", "", absl::StrCat(absl::ToInt64Seconds(contact.duration))});
    ONESTOP_RETURN_IF_ERROR(txn.UpdateContact(contact));
    return txn.AppendEvent(e).status();
  }));
  return contact;
}

}  // namespace onestop::services
