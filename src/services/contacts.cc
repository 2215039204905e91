#include "services/contacts.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

#include "common/status.h"
#include "services/catalogue.h"
#include "services/events_util.h"
#include "services/idempotency.h"
#include "services/permissions.h"

namespace onestop::services {

absl::StatusOr<RecordContactResult> RecordContact::Run(const domain::Actor& actor,
                                                       domain::Contact contact,
                                                       const IdempotencyKey& idempotency) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kRecordContacts));
  const absl::Time now = deps_.clock.Now();
  if (contact.at == absl::Time()) contact.at = now;
  if (!contact.staff_id) contact.staff_id = actor.staff_id;
  std::vector<FieldError> errors;
  if (contact.at > now + absl::Minutes(5)) {
    errors.push_back({"at", "invalid", "contact_in_future", {}});
  }
  if (contact.reason.size() > 2000) {
    errors.push_back({"reason", "too_long", "contact_reason_length", {{"max", "2000"}}});
  }
  if (contact.duration < absl::ZeroDuration() || contact.duration > absl::Hours(24)) {
    errors.push_back(
        {"duration_seconds", "invalid", "duration_range", {{"min", "0"}, {"max", "86400"}}});
  }
  if (!contact.service_code.empty()) {
    ONESTOP_ASSIGN_OR_RETURN(auto catalogue, deps_.catalogue.Get());
    if (catalogue->Find(contact.service_code) == nullptr) {
      errors.push_back(
          {"service_code", "unknown", "no_such_service", {{"code", contact.service_code}}});
    }
  }
  if (contact.citizen_id) {
    auto citizen = deps_.store.GetCitizen(*contact.citizen_id);
    if (absl::IsNotFound(citizen.status())) {
      errors.push_back({"citizen_id", "unknown", "no_such_citizen",
                        {{"id", std::to_string(*contact.citizen_id)}}});
    } else if (!citizen.ok()) {
      return citizen.status();
    } else if (citizen->merged_into) {
      contact.citizen_id = citizen->merged_into;  // record against the surviving record
    }
  }
  if (contact.case_id) {
    auto c = deps_.store.GetCase(*contact.case_id);
    if (absl::IsNotFound(c.status()) || (c.ok() && !CheckCaseAccess(actor, *c).ok())) {
      errors.push_back(
          {"case_id", "unknown", "no_such_case", {{"id", std::to_string(*contact.case_id)}}});
    } else if (!c.ok()) {
      return c.status();
    } else if (!contact.citizen_id) {
      contact.citizen_id = c->citizen_id;
    }
  }
  if (!errors.empty()) return InvalidFields("The contact is not valid", errors);

  std::optional<int64_t> replay;
  ONESTOP_RETURN_IF_ERROR(deps_.store.Write([&](domain::WriteTxn& txn) -> absl::Status {
    ONESTOP_ASSIGN_OR_RETURN(replay, FindReplay(txn, idempotency));
    if (replay) return absl::OkStatus();
    ONESTOP_ASSIGN_OR_RETURN(contact.id, txn.InsertContact(contact));
    domain::Event e = MakeEvent(actor, now, "contact", contact.id, "contact.recorded");
    e.channel = contact.channel;
    e.citizen_id = contact.citizen_id;
    e.case_id = contact.case_id;
    e.changes.push_back({"channel", "", std::string(domain::ChannelName(contact.channel))});
    e.changes.push_back({"outcome", "", std::string(domain::ContactOutcomeName(contact.outcome))});
    ONESTOP_RETURN_IF_ERROR(txn.AppendEvent(e).status());
    return RememberResult(txn, idempotency, contact.id, now);
  }));
  if (replay) {
    domain::ContactQuery query;
    query.after_id = *replay - 1;
    query.limit = 1;
    ONESTOP_ASSIGN_OR_RETURN(auto found, deps_.store.ListContacts(query));
    if (found.empty() || found.front().id != *replay) {
      return absl::InternalError("replayed contact is missing");
    }
    return RecordContactResult{found.front(), true};
  }
  return RecordContactResult{contact, false};
}

absl::StatusOr<domain::Contact> GetContact::Run(const domain::Actor& actor, int64_t id) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kRecordContacts));
  domain::ContactQuery query;
  query.id = id;
  query.limit = 1;
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::Contact> found, deps_.store.ListContacts(query));
  const absl::Status not_found = absl::NotFoundError(absl::StrCat("contact ", id, " not found"));
  if (found.empty()) return not_found;
  if (actor.role == domain::Role::kOfficer) {
    if (!found.front().case_id) return not_found;
    absl::StatusOr<domain::Case> c = deps_.store.GetCase(*found.front().case_id);
    if (!c.ok() || !CheckCaseAccess(actor, *c).ok()) return not_found;
  }
  return found.front();
}

absl::StatusOr<std::vector<domain::Contact>> ListContacts::Run(const domain::Actor& actor,
                                                               domain::ContactQuery query) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kRecordContacts));
  if (actor.role == domain::Role::kOfficer) {
    // Officers see contacts through their department's cases only.
    if (!query.case_id) {
      return absl::PermissionDeniedError("officers list contacts of one case at a time");
    }
    ONESTOP_ASSIGN_OR_RETURN(domain::Case c, deps_.store.GetCase(*query.case_id));
    ONESTOP_RETURN_IF_ERROR(CheckCaseAccess(actor, c));
  }
  query.limit = std::clamp(query.limit, 1, 200);
  return deps_.store.ListContacts(query);
}

}  // namespace onestop::services
