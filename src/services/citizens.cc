#include "services/citizens.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_join.h"
#include "common/status.h"
#include "domain/postcode.h"
#include "services/events_util.h"
#include "services/idempotency.h"
#include "services/permissions.h"

namespace onestop::services {
namespace {

std::string AddressText(const domain::Address& a) {
  std::vector<std::string> parts;
  if (a.uprn) parts.push_back("UPRN " + std::to_string(*a.uprn));
  for (const auto* p : {&a.line1, &a.line2, &a.town, &a.postcode}) {
    if (!p->empty()) parts.push_back(*p);
  }
  return absl::StrJoin(parts, ", ");
}

std::string AddressesText(const std::vector<domain::Address>& addresses) {
  std::vector<std::string> parts;
  for (const auto& a : addresses) parts.push_back(AddressText(a));
  return absl::StrJoin(parts, "; ");
}

std::string ConsentText(const domain::Consent& c) {
  std::vector<std::string> parts;
  if (c.contact_by_email) parts.push_back("email");
  if (c.contact_by_sms) parts.push_back("sms");
  if (c.contact_by_phone) parts.push_back("phone");
  if (c.research) parts.push_back("research");
  return absl::StrJoin(parts, ",");
}

std::string PreferredText(const std::optional<domain::Channel>& c) {
  return c ? std::string(domain::ChannelName(*c)) : std::string();
}

std::string BoolText(bool b) { return b ? "true" : "false"; }

// Flags as "flags.<name>" changes; booleans as "true"/"false" (a new
// record's unset flags are not recorded).
void AddFlagChanges(std::vector<domain::FieldChange>& changes, const domain::CitizenFlags& b,
                    const domain::CitizenFlags& a) {
  auto add_bool = [&](const char* field, bool before, bool after) {
    if (before != after) changes.push_back({field, BoolText(before), BoolText(after)});
  };
  add_bool("flags.vulnerable", b.vulnerable, a.vulnerable);
  AddChange(changes, "flags.vulnerability_note", b.vulnerability_note, a.vulnerability_note);
  add_bool("flags.interpreter_needed", b.interpreter_needed, a.interpreter_needed);
  AddChange(changes, "flags.interpreter_language", b.interpreter_language, a.interpreter_language);
  add_bool("flags.email_undeliverable", b.email_undeliverable, a.email_undeliverable);
}

// The changes between two versions of a citizen, for the event log.
std::vector<domain::FieldChange> CitizenChanges(const domain::Citizen& b, const domain::Citizen& a) {
  std::vector<domain::FieldChange> changes;
  AddChange(changes, "title", b.title, a.title);
  AddChange(changes, "given_name", b.given_name, a.given_name);
  AddChange(changes, "family_name", b.family_name, a.family_name);
  AddChange(changes, "phones", absl::StrJoin(b.phones, ","), absl::StrJoin(a.phones, ","));
  AddChange(changes, "emails", absl::StrJoin(b.emails, ","), absl::StrJoin(a.emails, ","));
  AddChange(changes, "addresses", AddressesText(b.addresses), AddressesText(a.addresses));
  AddChange(changes, "preferred_channel", PreferredText(b.preferred_channel),
            PreferredText(a.preferred_channel));
  AddChange(changes, "consent", ConsentText(b.consent), ConsentText(a.consent));
  AddFlagChanges(changes, b.flags, a.flags);
  AddChange(changes, "merged_into", OptionalIdText(b.merged_into), OptionalIdText(a.merged_into));
  return changes;
}

template <typename T>
void AppendMissing(std::vector<T>& into, const std::vector<T>& from) {
  for (const T& item : from) {
    if (std::find(into.begin(), into.end(), item) == into.end()) into.push_back(item);
  }
}

}  // namespace

absl::Status NormaliseAndValidateCitizen(domain::Citizen& citizen) {
  domain::NormaliseCitizenFlags(citizen.flags);
  for (auto& phone : citizen.phones) {
    std::string n = domain::NormalisePhone(phone);
    if (!n.empty()) phone = n;
  }
  for (auto& email : citizen.emails) {
    std::string n = domain::NormaliseEmail(email);
    if (!n.empty()) email = n;
  }
  for (auto& address : citizen.addresses) {
    if (auto n = domain::NormalisePostcode(address.postcode)) address.postcode = *n;
  }
  ONESTOP_RETURN_IF_ERROR(domain::ValidateCitizen(citizen));
  // Drop repeats after normalisation ("07700 900123" and "+447700900123").
  for (auto* list : {&citizen.phones, &citizen.emails}) {
    std::vector<std::string> unique;
    AppendMissing(unique, *list);
    *list = std::move(unique);
  }
  return absl::OkStatus();
}

absl::StatusOr<CreateCitizenResult> CreateCitizen::Run(const domain::Actor& actor,
                                                       domain::Citizen citizen,
                                                       std::optional<domain::Channel> channel,
                                                       const IdempotencyKey& idempotency) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kEditCitizens));
  ONESTOP_RETURN_IF_ERROR(NormaliseAndValidateCitizen(citizen));
  citizen.id = 0;
  citizen.merged_into.reset();
  citizen.created_at = citizen.updated_at = deps_.clock.Now();
  citizen.version = 1;

  CreateCitizenResult result;
  std::optional<int64_t> replay;
  ONESTOP_RETURN_IF_ERROR(deps_.store.Write([&](domain::WriteTxn& txn) -> absl::Status {
    ONESTOP_ASSIGN_OR_RETURN(replay, FindReplay(txn, idempotency));
    if (replay) return absl::OkStatus();
    ONESTOP_ASSIGN_OR_RETURN(citizen.id, txn.InsertCitizen(citizen));
    domain::Event e = MakeEvent(actor, citizen.created_at, "citizen", citizen.id, "citizen.created");
    e.channel = channel;
    e.citizen_id = citizen.id;
    e.changes = CitizenChanges(domain::Citizen{}, citizen);
    ONESTOP_RETURN_IF_ERROR(txn.AppendEvent(e).status());
    return RememberResult(txn, idempotency, citizen.id, citizen.created_at);
  }));
  if (replay) {
    ONESTOP_ASSIGN_OR_RETURN(result.citizen, deps_.store.GetCitizen(*replay));
    result.replayed = true;
    return result;
  }
  result.citizen = citizen;

  // Likely duplicates: anyone else sharing a phone, an email, or a postcode and family name.
  std::set<int64_t> seen{citizen.id};
  auto collect = [&](domain::CitizenQuery q) -> absl::Status {
    q.limit = 10;
    ONESTOP_ASSIGN_OR_RETURN(auto found, deps_.store.FindCitizens(q));
    for (auto& other : found) {
      if (seen.insert(other.id).second) result.possible_duplicates.push_back(std::move(other));
    }
    return absl::OkStatus();
  };
  for (const auto& phone : citizen.phones) ONESTOP_RETURN_IF_ERROR(collect({.phone = phone}));
  for (const auto& email : citizen.emails) ONESTOP_RETURN_IF_ERROR(collect({.email = email}));
  for (const auto& address : citizen.addresses) {
    if (!address.postcode.empty() && !citizen.family_name.empty()) {
      ONESTOP_RETURN_IF_ERROR(
          collect({.postcode = address.postcode, .name = citizen.family_name}));
    }
  }
  return result;
}

absl::StatusOr<domain::Citizen> GetCitizen::Run(const domain::Actor& actor, int64_t id) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kReadCitizens));
  return deps_.store.GetCitizen(id);
}

absl::StatusOr<domain::Citizen> UpdateCitizen::Run(const domain::Actor& actor,
                                                   domain::Citizen updated,
                                                   std::optional<int64_t> expected_version) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kEditCitizens));
  ONESTOP_RETURN_IF_ERROR(NormaliseAndValidateCitizen(updated));
  domain::Citizen before;
  ONESTOP_RETURN_IF_ERROR(deps_.store.Write([&](domain::WriteTxn& txn) -> absl::Status {
    ONESTOP_ASSIGN_OR_RETURN(before, txn.GetCitizen(updated.id));
    if (before.merged_into) {
      return absl::FailedPreconditionError("citizen " + std::to_string(before.id) +
                                           " was merged into " +
                                           std::to_string(*before.merged_into) + "; edit that record");
    }
    if (expected_version && *expected_version != before.version) {
      return absl::AbortedError("citizen " + std::to_string(before.id) +
                                " was changed by someone else; reload and try again");
    }
    updated.created_at = before.created_at;
    updated.merged_into = before.merged_into;
    updated.updated_at = deps_.clock.Now();
    updated.version = before.version + 1;
    ONESTOP_RETURN_IF_ERROR(txn.UpdateCitizen(updated, before.version));
    domain::Event e = MakeEvent(actor, updated.updated_at, "citizen", updated.id, "citizen.updated");
    e.citizen_id = updated.id;
    e.changes = CitizenChanges(before, updated);
    return txn.AppendEvent(e).status();
  }));
  return updated;
}

absl::StatusOr<domain::Citizen> SetCitizenFlags::Run(const domain::Actor& actor, int64_t citizen_id,
                                                     domain::CitizenFlags flags,
                                                     std::optional<int64_t> expected_version) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kEditCitizens));
  domain::NormaliseCitizenFlags(flags);
  if (auto errors = domain::CitizenFlagErrors(flags); !errors.empty()) {
    return InvalidFields("The flags are not valid", errors);
  }
  domain::Citizen citizen;
  ONESTOP_RETURN_IF_ERROR(deps_.store.Write([&](domain::WriteTxn& txn) -> absl::Status {
    ONESTOP_ASSIGN_OR_RETURN(citizen, txn.GetCitizen(citizen_id));
    if (citizen.merged_into) {
      return absl::FailedPreconditionError("citizen " + std::to_string(citizen.id) +
                                           " was merged into " +
                                           std::to_string(*citizen.merged_into) + "; edit that record");
    }
    if (expected_version && *expected_version != citizen.version) {
      return absl::AbortedError("citizen " + std::to_string(citizen.id) +
                                " was changed by someone else; reload and try again");
    }
    if (citizen.flags == flags) return absl::OkStatus();
    const domain::Citizen before = citizen;
    citizen.flags = flags;
    citizen.updated_at = deps_.clock.Now();
    citizen.version = before.version + 1;
    ONESTOP_RETURN_IF_ERROR(txn.UpdateCitizen(citizen, before.version));
    domain::Event e = MakeEvent(actor, citizen.updated_at, "citizen", citizen.id, "citizen.flags_changed");
    e.citizen_id = citizen.id;
    AddFlagChanges(e.changes, before.flags, citizen.flags);
    return txn.AppendEvent(e).status();
  }));
  return citizen;
}

absl::StatusOr<std::vector<domain::Citizen>> FindCitizens::Run(const domain::Actor& actor,
                                                               domain::CitizenQuery query) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kReadCitizens));
  std::vector<FieldError> errors;
  if (!query.phone.empty()) {
    query.phone = domain::NormalisePhone(query.phone);
    if (query.phone.empty()) {
      errors.push_back({"phone", "invalid", "search_phone_digits", {{"min", "6"}}});
    }
  }
  if (!query.email.empty()) {
    std::string email = domain::NormaliseEmail(query.email);
    if (email.empty()) errors.push_back({"email", "invalid", "search_email_format", {}});
    query.email = email;
  }
  if (!query.postcode.empty()) {
    auto postcode = domain::NormalisePostcode(query.postcode);
    if (!postcode) errors.push_back({"postcode", "invalid", "search_postcode_format", {}});
    query.postcode = postcode.value_or("");
  }
  if (query.name.size() > 100) errors.push_back({"name", "too_long", "search_name_length", {}});
  if (!errors.empty()) return InvalidFields("The search is not valid", errors);
  if (query.phone.empty() && query.email.empty() && query.postcode.empty() && query.name.empty()) {
    return InvalidFields("Give at least one of phone, email, postcode or name",
                         {{"q", "required", "search_terms_required", {}}});
  }
  query.limit = std::clamp(query.limit, 1, 200);
  return deps_.store.FindCitizens(query);
}

absl::StatusOr<domain::CitizenMerge> MergeCitizens::Run(const domain::Actor& actor, int64_t from,
                                                        int64_t into) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kMergeCitizens));
  if (from == into) {
    return InvalidFields("A citizen cannot be merged into itself",
                         {{"into", "invalid", "merge_same_citizen", {}}});
  }
  domain::CitizenMerge merge;
  ONESTOP_RETURN_IF_ERROR(deps_.store.Write([&](domain::WriteTxn& txn) -> absl::Status {
    ONESTOP_ASSIGN_OR_RETURN(domain::Citizen source, txn.GetCitizen(from));
    ONESTOP_ASSIGN_OR_RETURN(domain::Citizen target, txn.GetCitizen(into));
    if (source.merged_into || target.merged_into) {
      return absl::FailedPreconditionError("one of these citizens has already been merged");
    }
    const absl::Time now = deps_.clock.Now();
    merge = domain::CitizenMerge{};
    merge.from_citizen = from;
    merge.into_citizen = into;
    merge.merged_by = actor.staff_id;
    merge.merged_at = now;
    ONESTOP_ASSIGN_OR_RETURN(merge.moved_cases, txn.MoveAllCases(from, into));
    ONESTOP_ASSIGN_OR_RETURN(merge.moved_contacts, txn.MoveAllContacts(from, into));

    const domain::Citizen target_before = target;
    AppendMissing(target.phones, source.phones);
    AppendMissing(target.emails, source.emails);
    AppendMissing(target.addresses, source.addresses);
    target.updated_at = now;
    target.version = target_before.version + 1;
    ONESTOP_RETURN_IF_ERROR(txn.UpdateCitizen(target, target_before.version));

    const domain::Citizen source_before = source;
    source.merged_into = into;
    source.updated_at = now;
    source.version = source_before.version + 1;
    ONESTOP_RETURN_IF_ERROR(txn.UpdateCitizen(source, source_before.version));
    ONESTOP_ASSIGN_OR_RETURN(merge.id, txn.InsertMerge(merge));

    domain::Event into_event = MakeEvent(actor, now, "citizen", into, "citizen.merged");
    into_event.citizen_id = into;
    into_event.entity_key = "merge " + std::to_string(merge.id);
    into_event.changes = CitizenChanges(target_before, target);
    into_event.changes.push_back({"merged_from", "", std::to_string(from)});
    ONESTOP_RETURN_IF_ERROR(txn.AppendEvent(into_event).status());
    domain::Event from_event = MakeEvent(actor, now, "citizen", from, "citizen.merged");
    from_event.citizen_id = from;
    from_event.entity_key = "merge " + std::to_string(merge.id);
    from_event.changes = CitizenChanges(source_before, source);
    return txn.AppendEvent(from_event).status();
  }));
  return merge;
}

absl::StatusOr<domain::CitizenMerge> UnmergeCitizens::Run(const domain::Actor& actor,
                                                          int64_t merge_id) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kUnmergeCitizens));
  ONESTOP_ASSIGN_OR_RETURN(domain::CitizenMerge merge, deps_.store.GetMerge(merge_id));
  if (merge.reversed_at) {
    return absl::FailedPreconditionError("merge " + std::to_string(merge_id) +
                                         " has already been reversed");
  }
  ONESTOP_RETURN_IF_ERROR(deps_.store.Write([&](domain::WriteTxn& txn) -> absl::Status {
    const absl::Time now = deps_.clock.Now();
    ONESTOP_ASSIGN_OR_RETURN(domain::Citizen source, txn.GetCitizen(merge.from_citizen));
    if (source.merged_into != merge.into_citizen) {
      return absl::FailedPreconditionError("citizen " + std::to_string(source.id) +
                                           " is no longer merged by this merge");
    }
    ONESTOP_RETURN_IF_ERROR(txn.MoveCases(merge.moved_cases, merge.from_citizen));
    ONESTOP_RETURN_IF_ERROR(txn.MoveContacts(merge.moved_contacts, merge.from_citizen));
    const domain::Citizen source_before = source;
    source.merged_into.reset();
    source.updated_at = now;
    source.version = source_before.version + 1;
    ONESTOP_RETURN_IF_ERROR(txn.UpdateCitizen(source, source_before.version));
    merge.reversed_at = now;
    merge.reversed_by = actor.staff_id;
    ONESTOP_RETURN_IF_ERROR(txn.UpdateMerge(merge));
    for (int64_t citizen : {merge.from_citizen, merge.into_citizen}) {
      domain::Event e = MakeEvent(actor, now, "citizen", citizen, "citizen.unmerged");
      e.citizen_id = citizen;
      e.entity_key = "merge " + std::to_string(merge.id);
      if (citizen == merge.from_citizen) e.changes = CitizenChanges(source_before, source);
      ONESTOP_RETURN_IF_ERROR(txn.AppendEvent(e).status());
    }
    return absl::OkStatus();
  }));
  return merge;
}

absl::StatusOr<domain::CitizenMerge> GetMerge::Run(const domain::Actor& actor,
                                                   int64_t merge_id) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kReadCitizens));
  return deps_.store.GetMerge(merge_id);
}

absl::StatusOr<std::vector<TimelineEntry>> GetTimeline::Run(const domain::Actor& actor,
                                                            int64_t citizen_id, int limit) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kReadCitizens));
  ONESTOP_RETURN_IF_ERROR(deps_.store.GetCitizen(citizen_id).status());
  limit = std::clamp(limit, 1, 1000);
  constexpr int kFetch = 1000;
  std::vector<TimelineEntry> entries;
  std::set<int64_t> hidden_cases;  // other departments' cases, for officers

  domain::CaseQuery case_query;
  case_query.citizen_id = citizen_id;
  case_query.limit = kFetch;
  ONESTOP_ASSIGN_OR_RETURN(domain::CasePage cases, deps_.store.ListCases(case_query));
  for (auto& c : cases.items) {
    if (!CheckCaseAccess(actor, c).ok()) {
      hidden_cases.insert(c.id);
      continue;
    }
    absl::Time at = c.created_at;
    entries.push_back({at, std::move(c)});
  }
  domain::ContactQuery contact_query;
  contact_query.citizen_id = citizen_id;
  contact_query.limit = kFetch;
  ONESTOP_ASSIGN_OR_RETURN(auto contacts, deps_.store.ListContacts(contact_query));
  for (auto& contact : contacts) {
    if (contact.case_id && hidden_cases.count(*contact.case_id)) continue;
    absl::Time at = contact.at;
    entries.push_back({at, std::move(contact)});
  }
  domain::EventQuery event_query;
  event_query.citizen_id = citizen_id;
  event_query.limit = kFetch;
  ONESTOP_ASSIGN_OR_RETURN(auto events, deps_.store.ListEvents(event_query));
  for (auto& event : events) {
    if (event.case_id && hidden_cases.count(*event.case_id)) continue;
    absl::Time at = event.at;
    entries.push_back({at, std::move(event)});
  }
  std::stable_sort(entries.begin(), entries.end(),
                   [](const TimelineEntry& a, const TimelineEntry& b) { return a.at > b.at; });
  if (entries.size() > static_cast<size_t>(limit)) entries.resize(limit);
  return entries;
}

}  // namespace onestop::services
