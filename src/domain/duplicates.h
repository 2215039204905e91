// Duplicate detection: which open cases a new (or existing) case probably
// repeats. Pure rules, no I/O: the store narrows the candidates with its
// indexes (Store::FindDuplicateCandidates, a superset), these functions
// decide and rank.
//
// Two reasons, checked on every channel:
//   same_resident_service — the same resident already has an OPEN case for
//     the same service (any age); ranked by how alike the answers are;
//   nearby — the service is a street problem (Service::duplicates.nearby)
//     and an OPEN case of the same service was raised at most `days` days
//     before the probe (or since) within `radius_m` metres (both cases have lat/long), at
//     the same UPRN, or — when either case lacks coordinates — with the
//     same postcode.
// Open means new, open, in_progress or waiting_on_citizen: resolved, closed
// and cancelled cases are never candidates (a closed case is not "already
// reported").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "domain/case.h"
#include "domain/service.h"

namespace onestop::domain {

enum class DuplicateReason { kSameResidentService, kNearby };
std::string_view DuplicateReasonName(DuplicateReason r);  // "same_resident_service", "nearby"

// The statuses a duplicate candidate may have.
inline constexpr CaseStatus kDuplicateCandidateStatuses[] = {
    CaseStatus::kNew, CaseStatus::kOpen, CaseStatus::kInProgress, CaseStatus::kWaitingOnCitizen};
bool IsDuplicateCandidateStatus(CaseStatus s);

// Great-circle distance (haversine, mean Earth radius 6,371,008.8 m).
double DistanceMetres(double lat1, double lng1, double lat2, double lng2);

// A lat/long box holding every point within `radius_m` of (lat, lng): the
// store's range query on (service_code, location_lat) + location_lng.
struct LatLngBox {
  double min_lat = 0, max_lat = 0, min_lng = 0, max_lng = 0;
  bool operator==(const LatLngBox&) const = default;
};
LatLngBox BoxAround(double lat, double lng, double radius_m);

// What the store is asked for (every part optional; results are the union,
// each case once, only candidate statuses, only `service_code`).
struct DuplicateQuery {
  std::string service_code;
  std::optional<int64_t> citizen_id;  // same resident: open cases of this citizen
  // Nearby (only cases created at or after `created_from`):
  std::optional<LatLngBox> box;       // coordinates inside the box
  std::optional<int64_t> uprn;        // the same UPRN
  std::string postcode;               // the same postcode (normalised), "" = none
  std::optional<absl::Time> created_from;
  int limit = 200;                    // per part
  bool operator==(const DuplicateQuery&) const = default;
};

// The query for `probe` (a stored case, or one about to be raised with
// created_at = now) of `service`. The nearby window is the `days` days
// before the probe was raised, and anything since.
DuplicateQuery DuplicateQueryFor(const Case& probe, const Service& service);

struct DuplicateMatch {
  int64_t case_id = 0;
  std::string reference;
  DuplicateReason reason = DuplicateReason::kSameResidentService;
  std::optional<double> distance_m;  // when both cases have coordinates
  double similarity = 0;             // 0..1, answers and summary alike
  bool operator==(const DuplicateMatch&) const = default;
};

// A resident kept informed of a case that is not their own: added when
// their case is marked a duplicate of it (via_case_id = their case) or when
// they ask to follow it ("add me to that report"). Public updates of the
// case are theirs too (the tracking page, later notifications).
struct CaseFollower {
  int64_t case_id = 0;
  int64_t citizen_id = 0;
  std::optional<int64_t> via_case_id;
  Channel channel = Channel::kWeb;  // where they asked
  absl::Time added_at;
  int64_t added_by = 0;  // staff id; 0 = the resident / an API client
  bool operator==(const CaseFollower&) const = default;
};

// 0..1: the share of form answers the two cases give alike (fields either
// answered), averaged with the word overlap (Jaccard) of their summaries and
// location descriptions when either has words.
double AnswerSimilarity(const Case& a, const Case& b);

// The matches among `candidates` for `probe`, best first: the same resident's
// cases (most similar first), then nearby ones (closest first; postcode-only
// matches last). The probe itself (same id), cases it already duplicates and
// cases that are themselves marked duplicates are left out. At most `limit`.
std::vector<DuplicateMatch> FindDuplicates(const Case& probe, const Service& service,
                                           const std::vector<Case>& candidates, int limit = 20);

}  // namespace onestop::domain
