#include "services/cases.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "common/status.h"
#include "common/time_format.h"
#include "domain/form_validation.h"
#include "domain/reference.h"
#include "services/case_rules.h"
#include "services/catalogue.h"
#include "services/events_util.h"
#include "services/idempotency.h"
#include "services/permissions.h"

namespace onestop::services {
namespace {

using domain::Case;
using domain::CaseStatus;

bool IsSelfServiceChannel(domain::Channel c) {
  return c == domain::Channel::kWeb || c == domain::Channel::kTv || c == domain::Channel::kApi ||
         c == domain::Channel::kEmail || c == domain::Channel::kSms;
}

std::string StatusText(CaseStatus s) { return std::string(domain::CaseStatusName(s)); }

std::string LocationText(const domain::Location& l) {
  std::vector<std::string> parts;
  if (l.uprn) parts.push_back("UPRN " + std::to_string(*l.uprn));
  if (l.lat && l.lng) parts.push_back(std::to_string(*l.lat) + "," + std::to_string(*l.lng));
  if (!l.postcode.empty()) parts.push_back(l.postcode);
  if (!l.description.empty()) parts.push_back(l.description);
  return absl::StrJoin(parts, "; ");
}

}  // namespace

absl::StatusOr<OpenCaseResult> OpenCase::Run(const domain::Actor& actor, const NewCase& input,
                                             const IdempotencyKey& idempotency) const {
  if (actor.authenticated) {
    ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kEditCases));
  } else if (!IsSelfServiceChannel(input.channel)) {
    return absl::UnauthenticatedError("sign in to raise cases on this channel");
  }
  ONESTOP_ASSIGN_OR_RETURN(auto catalogue, deps_.catalogue.Get());
  const domain::Service* service = catalogue->Find(input.service_code);
  if (service == nullptr || !service->active) {
    return InvalidFields("Unknown service", {{"service_code", "unknown", "no_such_service",
                                              {{"code", input.service_code}}}});
  }
  if (!service->OfferedOn(input.channel)) {
    return InvalidFields("Service not offered on this channel",
                         {{"channel", "not_offered", "service_not_offered",
                           {{"service", service->name},
                            {"channel", std::string(domain::ChannelName(input.channel))}}}});
  }
  if (actor.authenticated && actor.role == domain::Role::kOfficer &&
      service->department != actor.department) {
    return absl::PermissionDeniedError("officers raise cases for their own department only");
  }

  Case c;
  ONESTOP_ASSIGN_OR_RETURN(c.values, domain::ValidateFormValues(*service, input.values));
  c.location = input.location;
  ONESTOP_RETURN_IF_ERROR(NormaliseAndValidateLocation(c.location));
  ONESTOP_RETURN_IF_ERROR(ValidateMediaUrls(input.media_urls, "media_urls"));
  if (input.summary.size() > 200) {
    return InvalidFields("Summary too long",
                         {{"summary", "too_long", "summary_max_length", {{"max", "200"}}}});
  }
  if (input.citizen_id) {
    auto citizen = deps_.store.GetCitizen(*input.citizen_id);
    if (absl::IsNotFound(citizen.status())) {
      return InvalidFields("Unknown citizen",
                           {{"citizen_id", "unknown", "no_such_citizen",
                             {{"id", std::to_string(*input.citizen_id)}}}});
    }
    if (!citizen.ok()) return citizen.status();
    if (citizen->merged_into) {
      return InvalidFields("Merged citizen",
                           {{"citizen_id", "merged", "citizen_merged",
                             {{"id", std::to_string(citizen->id)},
                              {"into", std::to_string(*citizen->merged_into)}}}});
    }
  } else if (!service->allow_anonymous) {
    return InvalidFields("This service needs the resident's details",
                         {{"citizen_id", "required", "anonymous_not_allowed",
                           {{"service", service->name}}}});
  }

  const absl::Time now = deps_.clock.Now();
  c.service_code = service->code;
  c.department = service->department;
  c.citizen_id = input.citizen_id;
  c.channel = input.channel;
  c.status = CaseStatus::kNew;
  c.priority = input.priority.value_or(domain::Priority::kNormal);
  c.team = service->default_team;
  c.summary = input.summary.empty() ? DefaultSummary(*service, c.values, c.location) : input.summary;
  c.media_urls = input.media_urls;
  c.created_at = c.updated_at = now;
  c.due_at = DueTime(deps_.calendar, *service, now);
  c.created_by = actor.staff_id;
  c.version = 1;

  domain::Contact contact;
  contact.channel = c.channel;
  contact.direction = domain::Direction::kInbound;
  contact.at = now;
  if (actor.authenticated && actor.staff_id != 0) contact.staff_id = actor.staff_id;
  contact.citizen_id = c.citizen_id;
  contact.service_code = c.service_code;
  contact.reason = service->name;
  contact.outcome = domain::ContactOutcome::kCaseRaised;

  OpenCaseResult result;
  std::optional<int64_t> replay;
  ONESTOP_RETURN_IF_ERROR(deps_.store.Write([&](domain::WriteTxn& txn) -> absl::Status {
    ONESTOP_ASSIGN_OR_RETURN(replay, FindReplay(txn, idempotency));
    if (replay) return absl::OkStatus();
    ONESTOP_ASSIGN_OR_RETURN(int64_t number, txn.NextCaseNumber());
    c.id = number;
    c.reference = domain::EncodeCaseReference(number);
    ONESTOP_RETURN_IF_ERROR(txn.InsertCase(c));
    domain::Event e = CaseEvent(actor, now, c, "case.created");
    e.channel = c.channel;
    AddChange(e.changes, "service_code", "", c.service_code);
    AddChange(e.changes, "status", "", StatusText(c.status));
    AddChange(e.changes, "priority", "", std::string(domain::PriorityName(c.priority)));
    AddChange(e.changes, "team", "", c.team);
    AddChange(e.changes, "due_at", "", OptionalTimeText(c.due_at));
    ONESTOP_RETURN_IF_ERROR(txn.AppendEvent(e).status());
    contact.case_id = c.id;
    if (input.interaction_id) {
      ONESTOP_ASSIGN_OR_RETURN(std::optional<domain::Contact> call,
                               txn.FindContactByInteraction(*input.interaction_id));
      if (call) {
        // One contact per interaction: the call raised this case. A second
        // case in the same call keeps the first as the contact's case (both
        // cases' events name the channel and the agent).
        if (!call->case_id) call->case_id = c.id;
        if (!call->citizen_id) call->citizen_id = c.citizen_id;
        if (call->service_code.empty()) call->service_code = c.service_code;
        call->outcome = domain::ContactOutcome::kCaseRaised;
        ONESTOP_RETURN_IF_ERROR(txn.UpdateContact(*call));
        return RememberResult(txn, idempotency, c.id, now);
      }
      contact.interaction_id = input.interaction_id;
    }
    ONESTOP_ASSIGN_OR_RETURN(contact.id, txn.InsertContact(contact));
    if (input.also_in_transaction) ONESTOP_RETURN_IF_ERROR(input.also_in_transaction(txn, c, contact.id));
    return RememberResult(txn, idempotency, c.id, now);
  }));
  if (replay) {
    ONESTOP_ASSIGN_OR_RETURN(result.c, deps_.store.GetCase(*replay));
    result.replayed = true;
    return result;
  }
  result.c = std::move(c);
  return result;
}

absl::StatusOr<Case> GetCase::Run(const domain::Actor& actor,
                                  const std::string& id_or_reference) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kReadCases));
  const absl::Status not_found = absl::NotFoundError("case '" + id_or_reference + "' not found");
  // Short all-digit text is an id; anything else is tried as a reference
  // first (references may be all digits too), then as an id.
  int64_t id = 0;
  const bool numeric = absl::SimpleAtoi(id_or_reference, &id);
  if (!numeric || id_or_reference.size() >= 8) {
    auto number = domain::DecodeCaseReference(id_or_reference);
    if (number.ok()) {
      id = *number;
    } else if (!numeric) {
      return not_found;
    }
  }
  if (id <= 0) return not_found;
  auto c = deps_.store.GetCase(id);
  if (!c.ok()) return absl::IsNotFound(c.status()) ? not_found : c.status();
  ONESTOP_RETURN_IF_ERROR(CheckCaseAccess(actor, *c));
  return c;
}

absl::StatusOr<domain::CasePage> ListCases::Run(const domain::Actor& actor,
                                                domain::CaseQuery query) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kReadCases));
  if (actor.role == domain::Role::kOfficer) {
    if (!query.department.empty() && query.department != actor.department) {
      return domain::CasePage{};
    }
    query.department = actor.department;
  }
  query.limit = std::clamp(query.limit, 1, 200);
  query.text = std::string(absl::StripAsciiWhitespace(query.text));
  return deps_.store.ListCases(query);
}

absl::StatusOr<Case> UpdateCase::Run(const domain::Actor& actor, int64_t case_id,
                                     const CaseChanges& changes,
                                     std::optional<int64_t> expected_version) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kEditCases));
  std::vector<FieldError> errors;
  if (changes.summary && (changes.summary->empty() || changes.summary->size() > 200)) {
    errors.push_back({"summary", "invalid", "summary_length", {{"min", "1"}, {"max", "200"}}});
  }
  std::optional<domain::Location> location = changes.location;
  if (location) {
    absl::Status s = NormaliseAndValidateLocation(*location);
    for (auto& e : FieldErrorsOf(s)) errors.push_back(e);
  }
  ONESTOP_ASSIGN_OR_RETURN(auto catalogue, deps_.catalogue.Get());
  if (changes.team && !changes.team->empty() && catalogue->FindTeam(*changes.team) == nullptr) {
    errors.push_back({"team", "unknown", "no_such_team", {{"code", *changes.team}}});
  }
  if (changes.assignee_id && changes.assignee_id->has_value()) {
    auto staff = deps_.store.GetStaff(**changes.assignee_id);
    if (absl::IsNotFound(staff.status()) || (staff.ok() && !staff->active)) {
      errors.push_back({"assignee_id", "unknown", "no_such_staff",
                        {{"id", std::to_string(**changes.assignee_id)}}});
    } else if (!staff.ok()) {
      return staff.status();
    }
  }
  if (!errors.empty()) return InvalidFields("The changes are not valid", errors);

  Case c;
  bool changed = false;
  ONESTOP_RETURN_IF_ERROR(deps_.store.Write([&](domain::WriteTxn& txn) -> absl::Status {
    auto current = txn.GetCase(case_id);
    if (!current.ok()) return current.status();
    ONESTOP_RETURN_IF_ERROR(CheckCaseAccess(actor, *current));
    if (expected_version && *expected_version != current->version) {
      return absl::AbortedError("case " + current->reference + " was changed by someone else (now version " +
                                std::to_string(current->version) + ", you had " +
                                std::to_string(*expected_version) + "); reload and try again");
    }
    const Case before = *current;
    c = *current;
    const absl::Time now = deps_.clock.Now();
    if (changes.status && *changes.status != c.status) {
      const CaseStatus to = *changes.status;
      if (!domain::IsLegalTransition(c.status, to)) {
        std::vector<std::string> allowed;
        for (auto s : domain::NextStatuses(c.status)) allowed.push_back(StatusText(s));
        return absl::FailedPreconditionError(
            "a case cannot move from " + StatusText(c.status) + " to " + StatusText(to) +
            (allowed.empty() ? "; it is final" : "; allowed: " + absl::StrJoin(allowed, ", ")));
      }
      if (to == CaseStatus::kWaitingOnCitizen) {
        PauseSla(deps_.calendar, c, now);
      } else if (c.status == CaseStatus::kWaitingOnCitizen) {
        ResumeSla(deps_.calendar, c, now);
      }
      if (to == CaseStatus::kResolved) c.resolved_at = now;
      if (to == CaseStatus::kClosed) c.closed_at = now;
      if (to == CaseStatus::kOpen && domain::IsFinished(c.status)) {  // reopened
        c.resolved_at.reset();
        c.closed_at.reset();
      }
      c.status = to;
    }
    if (changes.priority) c.priority = *changes.priority;
    if (changes.team) c.team = *changes.team;
    if (changes.assignee_id) c.assignee_id = *changes.assignee_id;
    if (changes.summary) c.summary = *changes.summary;
    if (location) c.location = *location;
    changed = !(c == before);
    if (!changed) return absl::OkStatus();

    c.updated_at = now;
    c.version = before.version + 1;
    ONESTOP_RETURN_IF_ERROR(txn.UpdateCase(c, before.version));
    domain::Event e =
        CaseEvent(actor, now, c, before.status != c.status ? "case.status_changed" : "case.updated");
    AddChange(e.changes, "status", StatusText(before.status), StatusText(c.status));
    AddChange(e.changes, "priority", std::string(domain::PriorityName(before.priority)),
              std::string(domain::PriorityName(c.priority)));
    AddChange(e.changes, "team", before.team, c.team);
    AddChange(e.changes, "assignee_id", OptionalIdText(before.assignee_id),
              OptionalIdText(c.assignee_id));
    AddChange(e.changes, "summary", before.summary, c.summary);
    AddChange(e.changes, "location", LocationText(before.location), LocationText(c.location));
    AddChange(e.changes, "due_at", OptionalTimeText(before.due_at), OptionalTimeText(c.due_at));
    AddChange(e.changes, "sla_paused_at", OptionalTimeText(before.sla_paused_at),
              OptionalTimeText(c.sla_paused_at));
    return txn.AppendEvent(e).status();
  }));
  return c;
}

absl::StatusOr<domain::Note> AddNote::Run(const domain::Actor& actor, int64_t case_id,
                                          domain::NoteVisibility visibility,
                                          const std::string& body) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kEditCases));
  if (absl::StripAsciiWhitespace(body).empty() || body.size() > 10000) {
    return InvalidFields("The note is not valid",
                         {{"body", "invalid", "note_length", {{"min", "1"}, {"max", "10000"}}}});
  }
  domain::Note note;
  ONESTOP_RETURN_IF_ERROR(deps_.store.Write([&](domain::WriteTxn& txn) -> absl::Status {
    ONESTOP_ASSIGN_OR_RETURN(Case c, txn.GetCase(case_id));
    ONESTOP_RETURN_IF_ERROR(CheckCaseAccess(actor, c));
    note = domain::Note{};
    note.case_id = case_id;
    note.visibility = visibility;
    note.body = body;
    note.author_id = actor.staff_id;
    note.created_at = deps_.clock.Now();
    ONESTOP_ASSIGN_OR_RETURN(note.id, txn.InsertNote(note));
    domain::Event e = CaseEvent(actor, note.created_at, c, "note.added");
    e.changes.push_back({"visibility", "", std::string(domain::NoteVisibilityName(visibility))});
    e.changes.push_back({"note_id", "", std::to_string(note.id)});
    e.changes.push_back({"body", "", body});
    return txn.AppendEvent(e).status();
  }));
  return note;
}

absl::StatusOr<std::vector<domain::Note>> ListNotes::Run(const domain::Actor& actor,
                                                         int64_t case_id) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kReadCases));
  ONESTOP_ASSIGN_OR_RETURN(Case c, deps_.store.GetCase(case_id));
  ONESTOP_RETURN_IF_ERROR(CheckCaseAccess(actor, c));
  return deps_.store.ListNotes(case_id);
}

absl::StatusOr<domain::Attachment> AddAttachment::Run(const domain::Actor& actor, int64_t case_id,
                                                      domain::Attachment attachment) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kEditCases));
  std::vector<FieldError> errors;
  if (attachment.filename.empty() || attachment.filename.size() > 255 ||
      attachment.filename.find('/') != std::string::npos) {
    errors.push_back({"filename", "invalid", "file_name", {{"min", "1"}, {"max", "255"}}});
  }
  if (attachment.content_type.empty() || attachment.content_type.size() > 255 ||
      attachment.content_type.find('/') == std::string::npos) {
    errors.push_back({"content_type", "invalid", "media_type", {}});
  }
  if (attachment.size_bytes < 0 || attachment.size_bytes > (int64_t{1} << 34)) {
    errors.push_back({"size_bytes", "invalid", "file_size", {}});
  }
  absl::Status url = ValidateMediaUrls({attachment.url}, "url");
  if (!url.ok()) errors.push_back({"url", "invalid", "https_url", {}});
  if (!attachment.sha256.empty()) {
    bool hex = attachment.sha256.size() == 64;
    for (char ch : attachment.sha256) hex = hex && absl::ascii_isxdigit(ch);
    if (!hex) errors.push_back({"sha256", "invalid", "sha256_format", {}});
  }
  if (!errors.empty()) return InvalidFields("The attachment is not valid", errors);
  ONESTOP_RETURN_IF_ERROR(deps_.store.Write([&](domain::WriteTxn& txn) -> absl::Status {
    ONESTOP_ASSIGN_OR_RETURN(Case c, txn.GetCase(case_id));
    ONESTOP_RETURN_IF_ERROR(CheckCaseAccess(actor, c));
    attachment.id = 0;
    attachment.case_id = case_id;
    attachment.uploaded_by = actor.staff_id;
    attachment.created_at = deps_.clock.Now();
    ONESTOP_ASSIGN_OR_RETURN(attachment.id, txn.InsertAttachment(attachment));
    domain::Event e = CaseEvent(actor, attachment.created_at, c, "attachment.added");
    e.changes.push_back({"filename", "", attachment.filename});
    return txn.AppendEvent(e).status();
  }));
  return attachment;
}

absl::StatusOr<std::vector<domain::Attachment>> ListAttachments::Run(const domain::Actor& actor,
                                                                     int64_t case_id) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kReadCases));
  ONESTOP_ASSIGN_OR_RETURN(Case c, deps_.store.GetCase(case_id));
  ONESTOP_RETURN_IF_ERROR(CheckCaseAccess(actor, c));
  return deps_.store.ListAttachments(case_id);
}

absl::StatusOr<std::vector<domain::Event>> GetCaseHistory::Run(const domain::Actor& actor,
                                                               int64_t case_id) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kReadCases));
  ONESTOP_ASSIGN_OR_RETURN(Case c, deps_.store.GetCase(case_id));
  ONESTOP_RETURN_IF_ERROR(CheckCaseAccess(actor, c));
  domain::EventQuery query;
  query.case_id = case_id;
  query.limit = 1000;
  return deps_.store.ListEvents(query);
}

}  // namespace onestop::services
