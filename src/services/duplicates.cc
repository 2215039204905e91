#include "services/duplicates.h"

#include <algorithm>

#include "common/status.h"
#include "domain/form_validation.h"
#include "services/case_rules.h"
#include "services/catalogue.h"
#include "services/events_util.h"
#include "services/permissions.h"

namespace onestop::services {
namespace {

using domain::Case;
using domain::CaseStatus;

// A FailedPrecondition (409) carrying one field error, so the edge can word
// it in the reader's language (FieldErrorsOf reads the payload of any code).
absl::Status Conflict(std::string_view message, const FieldError& error) {
  absl::Status fields = InvalidFields(message, {error});
  absl::Status out(absl::StatusCode::kFailedPrecondition, std::string(message));
  fields.ForEachPayload(
      [&](absl::string_view url, const absl::Cord& payload) { out.SetPayload(url, payload); });
  return out;
}

// Closes `c` as a duplicate of `original` (the two legal steps resolved →
// closed in one go) and appends its event.
absl::Status CloseAsDuplicate(domain::WriteTxn& txn, const domain::Actor& actor, absl::Time now,
                              Case& c, const Case& original) {
  const Case before = c;
  if (!domain::IsFinished(c.status)) c.resolved_at = now;
  c.status = CaseStatus::kClosed;
  c.closed_at = now;
  c.sla_paused_at.reset();
  c.duplicate_of = original.id;
  c.updated_at = now;
  c.version = before.version + 1;
  ONESTOP_RETURN_IF_ERROR(txn.UpdateCase(c, before.version));
  domain::Event e = CaseEvent(actor, now, c, "case.status_changed");
  AddChange(e.changes, "status", std::string(domain::CaseStatusName(before.status)),
            std::string(domain::CaseStatusName(c.status)));
  AddChange(e.changes, "duplicate_of", before.duplicate_of ? std::to_string(*before.duplicate_of) : "",
            original.reference);
  return txn.AppendEvent(e).status();
}

absl::Status AddFollowerTxn(domain::WriteTxn& txn, const domain::Actor& actor, absl::Time now,
                            const Case& c, const domain::CaseFollower& follower, bool* added) {
  ONESTOP_ASSIGN_OR_RETURN(bool inserted, txn.AddFollower(follower));
  if (added) *added = inserted;
  if (!inserted) return absl::OkStatus();
  domain::Event e = CaseEvent(actor, now, c, "case.follower_added");
  e.channel = follower.channel;
  e.citizen_id = follower.citizen_id;  // on the follower's timeline
  AddChange(e.changes, "follower", "", std::to_string(follower.citizen_id));
  if (follower.via_case_id) AddChange(e.changes, "via_case_id", "", std::to_string(*follower.via_case_id));
  return txn.AppendEvent(e).status();
}

}  // namespace

absl::StatusOr<std::vector<DuplicateCandidate>> CheckDuplicates::Run(const domain::Actor& actor,
                                                                     const NewCase& input) const {
  if (actor.authenticated) ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kReadCases));
  ONESTOP_ASSIGN_OR_RETURN(auto catalogue, deps_.catalogue.Get());
  const domain::Service* service = catalogue->Find(input.service_code);
  if (service == nullptr || !service->active) {
    return InvalidFields("Unknown service", {{"service_code", "unknown", "no_such_service",
                                              {{"code", input.service_code}}}});
  }
  Case probe;
  ONESTOP_ASSIGN_OR_RETURN(probe.values, domain::ValidateFormValues(*service, input.values));
  probe.location = input.location;
  ONESTOP_RETURN_IF_ERROR(NormaliseAndValidateLocation(probe.location));
  probe.service_code = service->code;
  probe.citizen_id = input.citizen_id;
  probe.summary = input.summary;
  probe.created_at = deps_.clock.Now();
  return Find(actor, probe, *service);
}

absl::StatusOr<std::vector<DuplicateCandidate>> CheckDuplicates::ForCase(const domain::Actor& actor,
                                                                         int64_t case_id) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kReadCases));
  ONESTOP_ASSIGN_OR_RETURN(Case probe, deps_.store.GetCase(case_id));
  ONESTOP_RETURN_IF_ERROR(CheckCaseAccess(actor, probe));
  ONESTOP_ASSIGN_OR_RETURN(auto catalogue, deps_.catalogue.Get());
  const domain::Service* service = catalogue->Find(probe.service_code);
  if (service == nullptr) return std::vector<DuplicateCandidate>{};
  return Find(actor, probe, *service);
}

absl::StatusOr<std::vector<DuplicateCandidate>> CheckDuplicates::Find(
    const domain::Actor& actor, const Case& stored_probe, const domain::Service& service) const {
  Case probe = stored_probe;
  // The public: nearby matches only, whoever the resident says they are.
  if (!actor.authenticated) probe.citizen_id.reset();
  domain::DuplicateQuery query = domain::DuplicateQueryFor(probe, service);
  ONESTOP_ASSIGN_OR_RETURN(std::vector<Case> candidates, deps_.store.FindDuplicateCandidates(query));
  std::vector<domain::DuplicateMatch> matches = domain::FindDuplicates(probe, service, candidates);
  std::vector<DuplicateCandidate> out;
  for (domain::DuplicateMatch& m : matches) {
    auto it = std::find_if(candidates.begin(), candidates.end(),
                           [&](const Case& c) { return c.id == m.case_id; });
    if (it == candidates.end()) continue;
    if (actor.authenticated && !CheckCaseAccess(actor, *it).ok()) continue;
    if (!actor.authenticated && m.reason != domain::DuplicateReason::kNearby) continue;
    out.push_back(DuplicateCandidate{std::move(m), *it});
  }
  return out;
}

absl::StatusOr<MarkDuplicateResult> MarkDuplicate::Run(const domain::Actor& actor, int64_t case_id,
                                                       int64_t original_id,
                                                       std::optional<int64_t> expected_version) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kEditCases));
  MarkDuplicateResult result;
  ONESTOP_RETURN_IF_ERROR(deps_.store.Write([&](domain::WriteTxn& txn) -> absl::Status {
    auto dup = txn.GetCase(case_id);
    if (absl::IsNotFound(dup.status())) {
      return absl::NotFoundError("case " + std::to_string(case_id) + " not found");
    }
    ONESTOP_RETURN_IF_ERROR(dup.status());
    ONESTOP_RETURN_IF_ERROR(CheckCaseAccess(actor, *dup));
    auto original = txn.GetCase(original_id);
    if (absl::IsNotFound(original.status())) {
      return absl::NotFoundError("case " + std::to_string(original_id) + " not found");
    }
    ONESTOP_RETURN_IF_ERROR(original.status());
    ONESTOP_RETURN_IF_ERROR(CheckCaseAccess(actor, *original));
    if (expected_version && *expected_version != dup->version) {
      return absl::AbortedError("case " + dup->reference + " was changed by someone else (now version " +
                                std::to_string(dup->version) + ", you had " +
                                std::to_string(*expected_version) + "); reload and try again");
    }
    if (case_id == original_id) {
      return Conflict("a case cannot be a duplicate of itself",
                      {"case_id", "invalid", "duplicate_of_itself", {}});
    }
    if (dup->duplicate_of) {
      return Conflict("the case is already marked a duplicate",
                      {"case_id", "invalid", "duplicate_already_marked", {{"reference", dup->reference}}});
    }
    if (original->duplicate_of == case_id) {
      return Conflict("the original is itself a duplicate of this case",
                      {"case_id", "invalid", "duplicate_cycle", {{"reference", original->reference}}});
    }
    if (!domain::IsDuplicateCandidateStatus(original->status) || original->duplicate_of) {
      return Conflict("the original is no longer open",
                      {"case_id", "invalid", "duplicate_original_finished",
                       {{"reference", original->reference}}});
    }
    if (!domain::IsLegalTransition(dup->status, CaseStatus::kResolved)) {
      return Conflict("the case is already finished",
                      {"case_id", "invalid", "duplicate_case_finished", {{"reference", dup->reference}}});
    }
    const absl::Time now = deps_.clock.Now();
    Case c = *dup;
    ONESTOP_RETURN_IF_ERROR(CloseAsDuplicate(txn, actor, now, c, *original));

    domain::Event added = CaseEvent(actor, now, *original, "case.duplicate_added");
    AddChange(added.changes, "duplicate", "", c.reference);
    ONESTOP_RETURN_IF_ERROR(txn.AppendEvent(added).status());

    // The duplicate's resident hears about the original from now on.
    std::vector<Case> moved;
    if (c.citizen_id && c.citizen_id != original->citizen_id) {
      domain::CaseFollower f{original->id, *c.citizen_id, c.id, c.channel, now, actor.staff_id};
      ONESTOP_RETURN_IF_ERROR(AddFollowerTxn(txn, actor, now, *original, f, nullptr));
    }
    // Earlier duplicates of this case now point to the original.
    ONESTOP_ASSIGN_OR_RETURN(std::vector<Case> children, deps_.store.ListDuplicatesOf(c.id));
    for (Case child : children) {
      ONESTOP_ASSIGN_OR_RETURN(child, txn.GetCase(child.id));
      if (child.duplicate_of != c.id) continue;
      const Case before = child;
      child.duplicate_of = original->id;
      child.updated_at = now;
      child.version = before.version + 1;
      ONESTOP_RETURN_IF_ERROR(txn.UpdateCase(child, before.version));
      domain::Event e = CaseEvent(actor, now, child, "case.updated");
      AddChange(e.changes, "duplicate_of", c.reference, original->reference);
      ONESTOP_RETURN_IF_ERROR(txn.AppendEvent(e).status());
      if (child.citizen_id && child.citizen_id != original->citizen_id) {
        domain::CaseFollower f{original->id, *child.citizen_id, child.id, child.channel, now,
                               actor.staff_id};
        ONESTOP_RETURN_IF_ERROR(AddFollowerTxn(txn, actor, now, *original, f, nullptr));
      }
    }
    result.duplicate = std::move(c);
    result.original = *original;
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<FollowResult> FollowCase::Run(const domain::Actor& actor,
                                             const FollowRequest& request) const {
  if (actor.authenticated) {
    ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kRecordContacts));
  } else {
    if (!request.report) return absl::UnauthenticatedError("sign in to add followers");
    ONESTOP_ASSIGN_OR_RETURN(std::vector<DuplicateCandidate> shown,
                             CheckDuplicates(deps_).Run(actor, *request.report));
    const bool was_shown = std::any_of(shown.begin(), shown.end(), [&](const DuplicateCandidate& d) {
      return d.c.id == request.case_id;
    });
    if (!was_shown) return absl::NotFoundError("no such report nearby");
  }
  ONESTOP_ASSIGN_OR_RETURN(domain::Citizen citizen, deps_.store.GetCitizen(request.citizen_id));
  if (citizen.merged_into) {
    return InvalidFields("Merged citizen", {{"citizen_id", "merged", "citizen_merged",
                                             {{"id", std::to_string(citizen.id)},
                                              {"into", std::to_string(*citizen.merged_into)}}}});
  }
  FollowResult result;
  ONESTOP_RETURN_IF_ERROR(deps_.store.Write([&](domain::WriteTxn& txn) -> absl::Status {
    auto c = txn.GetCase(request.case_id);
    if (absl::IsNotFound(c.status())) return absl::NotFoundError("no such case");
    ONESTOP_RETURN_IF_ERROR(c.status());
    if (actor.authenticated) ONESTOP_RETURN_IF_ERROR(CheckCaseAccess(actor, *c));
    if (!domain::IsDuplicateCandidateStatus(c->status)) {
      return Conflict("the case is finished", {"case_id", "invalid", "follow_case_finished",
                                               {{"reference", c->reference}}});
    }
    const absl::Time now = deps_.clock.Now();
    result.c = *c;
    result.added = false;
    result.contact_id.reset();
    if (c->citizen_id != request.citizen_id) {
      domain::CaseFollower f{c->id, request.citizen_id, std::nullopt, request.channel, now,
                             actor.staff_id};
      ONESTOP_RETURN_IF_ERROR(AddFollowerTxn(txn, actor, now, *c, f, &result.added));
    }
    if (actor.authenticated && request.record_contact) {
      domain::Contact contact;
      contact.channel = request.channel;
      contact.direction = domain::Direction::kInbound;
      contact.at = now;
      if (actor.staff_id != 0) contact.staff_id = actor.staff_id;
      contact.citizen_id = request.citizen_id;
      contact.case_id = c->id;
      contact.service_code = c->service_code;
      contact.reason = "linked to " + c->reference;
      contact.outcome = domain::ContactOutcome::kCaseUpdated;
      ONESTOP_ASSIGN_OR_RETURN(int64_t id, txn.InsertContact(contact));
      result.contact_id = id;
      domain::Event e = MakeEvent(actor, now, "contact", id, "contact.recorded");
      e.channel = contact.channel;
      e.case_id = c->id;
      e.citizen_id = contact.citizen_id;
      AddChange(e.changes, "outcome", "", "case_updated");
      ONESTOP_RETURN_IF_ERROR(txn.AppendEvent(e).status());
    }
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<CaseLinks> GetCaseLinks::Run(const domain::Actor& actor, const Case& c) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kReadCases));
  ONESTOP_RETURN_IF_ERROR(CheckCaseAccess(actor, c));
  CaseLinks links;
  if (c.duplicate_of) {
    auto original = deps_.store.GetCase(*c.duplicate_of);
    if (original.ok() && CheckCaseAccess(actor, *original).ok()) links.original = *original;
    if (!original.ok() && !absl::IsNotFound(original.status())) return original.status();
  }
  ONESTOP_ASSIGN_OR_RETURN(std::vector<Case> duplicates, deps_.store.ListDuplicatesOf(c.id));
  for (Case& d : duplicates) {
    if (CheckCaseAccess(actor, d).ok()) links.duplicates.push_back(std::move(d));
  }
  ONESTOP_ASSIGN_OR_RETURN(links.followers, deps_.store.ListFollowers(c.id));
  return links;
}

}  // namespace onestop::services
