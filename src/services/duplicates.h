// Duplicate use cases (issue 11 §4): the possible duplicates of a case
// about to be raised or already stored, marking a case a duplicate of
// another, and adding a resident as a follower of a case ("keep me
// informed"). The rules are domain/duplicates.h; the candidates come from
// Store::FindDuplicateCandidates (indexes, never a scan).
//
// Who sees what: staff (kReadCases) see both reasons, officers only cases of
// their department. The public (portal, Open311 without a key) sees only
// `nearby` matches — street reports are public, as on FixMyStreet — never a
// resident's own other cases: the portal cannot know who is typing, and
// RegisterResident promises that an email address reveals nothing.
//
// Thread-safe (like every use case).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/duplicates.h"
#include "domain/staff.h"
#include "services/cases.h"
#include "services/deps.h"

namespace onestop::services {

struct DuplicateCandidate {
  domain::DuplicateMatch match;
  domain::Case c;  // the possible original, for showing its status and place
};

class CheckDuplicates {
 public:
  explicit CheckDuplicates(Deps deps) : deps_(deps) {}
  // Before creation: `input` is checked as OpenCase would check it (unknown
  // service, bad answers or location → the same InvalidArgument), nothing is
  // stored.
  absl::StatusOr<std::vector<DuplicateCandidate>> Run(const domain::Actor& actor,
                                                      const NewCase& input) const;
  // A stored case (NotFound if absent or not visible to the actor).
  absl::StatusOr<std::vector<DuplicateCandidate>> ForCase(const domain::Actor& actor,
                                                          int64_t case_id) const;

 private:
  absl::StatusOr<std::vector<DuplicateCandidate>> Find(const domain::Actor& actor,
                                                       const domain::Case& probe,
                                                       const domain::Service& service) const;
  Deps deps_;
};

struct MarkDuplicateResult {
  domain::Case duplicate;  // now closed, duplicate_of = original
  domain::Case original;
};

// Marks `case_id` a duplicate of `original_id`: in one transaction the case
// closes (resolved then closed, both legal transitions, one
// case.status_changed event with duplicate_of), the original gets a
// case.duplicate_added event, the duplicate's resident becomes a follower of
// the original, and cases already marked duplicates of `case_id` move to the
// original (so chains stay one step long). Permission: as UpdateCase
// (officers within their department; supervisors; admins; agents).
// Errors: NotFound for an unknown or invisible id; FailedPrecondition with a
// field error on "case_id" — reason duplicate_of_itself, duplicate_cycle,
// duplicate_original_finished, duplicate_already_marked or
// duplicate_case_finished; Aborted when expected_version is stale.
class MarkDuplicate {
 public:
  explicit MarkDuplicate(Deps deps) : deps_(deps) {}
  absl::StatusOr<MarkDuplicateResult> Run(const domain::Actor& actor, int64_t case_id,
                                          int64_t original_id,
                                          std::optional<int64_t> expected_version = {}) const;

 private:
  Deps deps_;
};

struct FollowRequest {
  int64_t case_id = 0;
  int64_t citizen_id = 0;
  domain::Channel channel = domain::Channel::kWeb;
  // Staff: also record a contact on the case (outcome case_updated) — an
  // agent linking a caller to an existing report instead of raising one.
  bool record_contact = false;
  // The public: the report the resident was about to make. The case must be
  // one of its nearby matches (CheckDuplicates), so a resident can follow
  // only a report they were shown.
  std::optional<NewCase> report;
};

struct FollowResult {
  domain::Case c;
  bool added = false;  // false: they already followed it
  std::optional<int64_t> contact_id;
};

// Adds a resident as a follower of an open case (a case.follower_added event
// on the case and the resident's timeline). Staff need kRecordContacts; the
// public must pass `report`. NotFound for an unknown case or citizen;
// FailedPrecondition (reason follow_case_finished) for a finished case.
class FollowCase {
 public:
  explicit FollowCase(Deps deps) : deps_(deps) {}
  absl::StatusOr<FollowResult> Run(const domain::Actor& actor, const FollowRequest& request) const;

 private:
  Deps deps_;
};

// A case's duplicates (cases marked duplicates of it) and followers, for the
// case page and the case JSON; the same access check as GetCase.
struct CaseLinks {
  std::optional<domain::Case> original;    // when the case is a duplicate
  std::vector<domain::Case> duplicates;    // cases marked duplicates of it
  std::vector<domain::CaseFollower> followers;
};
class GetCaseLinks {
 public:
  explicit GetCaseLinks(Deps deps) : deps_(deps) {}
  absl::StatusOr<CaseLinks> Run(const domain::Actor& actor, const domain::Case& c) const;

 private:
  Deps deps_;
};

}  // namespace onestop::services
