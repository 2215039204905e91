#include "domain/duplicates.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <set>

#include "absl/strings/ascii.h"
#include "domain/postcode.h"

namespace onestop::domain {
namespace {

constexpr double kEarthRadiusMetres = 6371008.8;
constexpr double kMetresPerDegreeLat = kEarthRadiusMetres * std::numbers::pi / 180.0;

double Radians(double degrees) { return degrees * std::numbers::pi / 180.0; }

std::set<std::string> Words(std::string_view text) {
  std::set<std::string> out;
  std::string word;
  auto flush = [&] {
    if (word.size() >= 2) out.insert(word);
    word.clear();
  };
  for (char ch : text) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(ch)) || (static_cast<unsigned char>(ch) >= 0x80)) {
      word.push_back(absl::ascii_tolower(static_cast<unsigned char>(ch)));
    } else {
      flush();
    }
  }
  flush();
  return out;
}

std::string NormalisedPostcode(const std::string& raw) {
  std::optional<std::string> p = NormalisePostcode(raw);
  return p ? *p : std::string();
}

bool HasCoordinates(const Location& l) { return l.lat.has_value() && l.lng.has_value(); }

}  // namespace

std::string_view DuplicateReasonName(DuplicateReason r) {
  switch (r) {
    case DuplicateReason::kSameResidentService: return "same_resident_service";
    case DuplicateReason::kNearby: return "nearby";
  }
  return "same_resident_service";
}

bool IsDuplicateCandidateStatus(CaseStatus s) {
  return std::find(std::begin(kDuplicateCandidateStatuses), std::end(kDuplicateCandidateStatuses),
                   s) != std::end(kDuplicateCandidateStatuses);
}

double DistanceMetres(double lat1, double lng1, double lat2, double lng2) {
  const double dlat = Radians(lat2 - lat1);
  const double dlng = Radians(lng2 - lng1);
  const double a = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(Radians(lat1)) * std::cos(Radians(lat2)) * std::sin(dlng / 2) *
                       std::sin(dlng / 2);
  return 2 * kEarthRadiusMetres * std::asin(std::min(1.0, std::sqrt(a)));
}

LatLngBox BoxAround(double lat, double lng, double radius_m) {
  // A little wider than the circle (rounding, the haversine's own error);
  // FindDuplicates measures the real distance.
  const double margin = radius_m * 1.01 + 1.0;
  const double dlat = margin / kMetresPerDegreeLat;
  // Longitude degrees shrink with latitude; near the poles take every longitude.
  const double cos_lat = std::cos(Radians(std::min(89.0, std::fabs(lat) + dlat)));
  const double dlng = cos_lat > 1e-6 ? margin / (kMetresPerDegreeLat * cos_lat) : 180.0;
  return LatLngBox{lat - dlat, lat + dlat, std::max(-180.0, lng - dlng), std::min(180.0, lng + dlng)};
}

DuplicateQuery DuplicateQueryFor(const Case& probe, const Service& service) {
  DuplicateQuery q;
  q.service_code = service.code;
  q.citizen_id = probe.citizen_id;
  if (service.duplicates.nearby) {
    const Location& l = probe.location;
    if (HasCoordinates(l)) q.box = BoxAround(*l.lat, *l.lng, service.duplicates.radius_m);
    q.uprn = l.uprn;
    q.postcode = NormalisedPostcode(l.postcode);
    if (q.box || q.uprn || !q.postcode.empty()) {
      q.created_from = probe.created_at - absl::Hours(24) * service.duplicates.days;
    }
  }
  return q;
}

double AnswerSimilarity(const Case& a, const Case& b) {
  std::set<std::string> fields;
  for (const auto& [code, values] : a.values) fields.insert(code);
  for (const auto& [code, values] : b.values) fields.insert(code);
  double answers = 0;
  for (const std::string& code : fields) {
    auto ia = a.values.find(code), ib = b.values.find(code);
    if (ia == a.values.end() || ib == b.values.end()) continue;
    std::vector<std::string> va = ia->second, vb = ib->second;
    for (auto& v : va) v = absl::AsciiStrToLower(absl::StripAsciiWhitespace(v));
    for (auto& v : vb) v = absl::AsciiStrToLower(absl::StripAsciiWhitespace(v));
    std::sort(va.begin(), va.end());
    std::sort(vb.begin(), vb.end());
    if (va == vb) answers += 1;
  }
  const double answer_score = fields.empty() ? 0 : answers / static_cast<double>(fields.size());

  std::set<std::string> wa = Words(a.summary + " " + a.location.description);
  std::set<std::string> wb = Words(b.summary + " " + b.location.description);
  for (const auto& [code, values] : a.values) {
    for (const auto& v : values) wa.merge(Words(v));
  }
  for (const auto& [code, values] : b.values) {
    for (const auto& v : values) wb.merge(Words(v));
  }
  if (wa.empty() && wb.empty()) return answer_score;
  size_t common = 0;
  for (const std::string& w : wa) common += wb.count(w);
  const size_t all = wa.size() + wb.size() - common;
  const double word_score = all == 0 ? 0 : static_cast<double>(common) / static_cast<double>(all);
  return fields.empty() ? word_score : (answer_score + word_score) / 2;
}

std::vector<DuplicateMatch> FindDuplicates(const Case& probe, const Service& service,
                                           const std::vector<Case>& candidates, int limit) {
  std::vector<DuplicateMatch> same_resident, nearby;
  std::set<int64_t> seen;
  const DuplicateRule& rule = service.duplicates;
  const absl::Time window_start = probe.created_at - absl::Hours(24) * rule.days;
  const std::string probe_postcode = NormalisedPostcode(probe.location.postcode);
  for (const Case& c : candidates) {
    if (c.id == probe.id && probe.id != 0) continue;
    if (c.service_code != service.code) continue;
    if (!IsDuplicateCandidateStatus(c.status) || c.duplicate_of) continue;
    if (probe.duplicate_of && *probe.duplicate_of == c.id) continue;
    if (!seen.insert(c.id).second) continue;

    DuplicateMatch m;
    m.case_id = c.id;
    m.reference = c.reference;
    if (HasCoordinates(probe.location) && HasCoordinates(c.location)) {
      m.distance_m = DistanceMetres(*probe.location.lat, *probe.location.lng, *c.location.lat,
                                    *c.location.lng);
    }
    m.similarity = AnswerSimilarity(probe, c);
    if (probe.citizen_id && c.citizen_id == probe.citizen_id) {
      m.reason = DuplicateReason::kSameResidentService;
      same_resident.push_back(std::move(m));
      continue;
    }
    if (!rule.nearby || c.created_at < window_start) continue;
    bool near = false;
    if (m.distance_m) {
      near = *m.distance_m <= rule.radius_m;
    } else if (!probe_postcode.empty() &&
               NormalisedPostcode(c.location.postcode) == probe_postcode) {
      near = true;
    }
    if (!near && probe.location.uprn && c.location.uprn == probe.location.uprn) near = true;
    if (!near) continue;
    m.reason = DuplicateReason::kNearby;
    nearby.push_back(std::move(m));
  }
  std::stable_sort(same_resident.begin(), same_resident.end(),
                   [](const DuplicateMatch& a, const DuplicateMatch& b) {
                     if (a.similarity != b.similarity) return a.similarity > b.similarity;
                     return a.case_id > b.case_id;  // newest first
                   });
  std::stable_sort(nearby.begin(), nearby.end(), [](const DuplicateMatch& a, const DuplicateMatch& b) {
    if (a.distance_m.has_value() != b.distance_m.has_value()) return a.distance_m.has_value();
    if (a.distance_m && *a.distance_m != *b.distance_m) return *a.distance_m < *b.distance_m;
    if (a.similarity != b.similarity) return a.similarity > b.similarity;
    return a.case_id > b.case_id;
  });
  std::vector<DuplicateMatch> out = std::move(same_resident);
  for (auto& m : nearby) out.push_back(std::move(m));
  if (static_cast<int>(out.size()) > limit) out.resize(std::max(0, limit));
  return out;
}

}  // namespace onestop::domain
