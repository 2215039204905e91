#include "domain/duplicates.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace onestop::domain {
namespace {

// Fairhaven's town hall, and one metre of latitude in degrees.
constexpr double kLat = 50.8225, kLng = -0.1372;
constexpr double kMetreLat = 1.0 / 111195.08;

const absl::Time kNow = absl::FromUnixSeconds(1795000000);

Service FlyTipping(bool nearby = true, int radius_m = 50, int days = 30) {
  Service s;
  s.code = "fly-tipping";
  s.duplicates = {nearby, radius_m, days};
  return s;
}

Case At(int64_t id, double metres_north, int64_t citizen = 0) {
  Case c;
  c.id = id;
  c.reference = "REF-" + std::to_string(id);
  c.service_code = "fly-tipping";
  c.status = CaseStatus::kOpen;
  c.location.lat = kLat + metres_north * kMetreLat;
  c.location.lng = kLng;
  if (citizen) c.citizen_id = citizen;
  c.created_at = kNow - absl::Hours(1);
  return c;
}

TEST(DistanceTest, AgreesWithKnownFigures) {
  EXPECT_NEAR(DistanceMetres(kLat, kLng, kLat + 100 * kMetreLat, kLng), 100.0, 0.01);
  // London (51.5074, -0.1278) to Paris (48.8566, 2.3522): about 343.5 km.
  EXPECT_NEAR(DistanceMetres(51.5074, -0.1278, 48.8566, 2.3522) / 1000, 343.5, 0.5);
  EXPECT_DOUBLE_EQ(DistanceMetres(kLat, kLng, kLat, kLng), 0.0);
}

TEST(BoxTest, HoldsTheCircle) {
  LatLngBox box = BoxAround(kLat, kLng, 50);
  for (int bearing = 0; bearing < 360; bearing += 15) {
    const double rad = bearing * 3.14159265358979 / 180;
    const double lat = kLat + 50 * std::cos(rad) * kMetreLat;
    const double lng = kLng + 50 * std::sin(rad) * kMetreLat / std::cos(kLat * 3.14159265358979 / 180);
    EXPECT_GE(lat, box.min_lat);
    EXPECT_LE(lat, box.max_lat);
    EXPECT_GE(lng, box.min_lng) << bearing;
    EXPECT_LE(lng, box.max_lng) << bearing;
  }
  EXPECT_LT(box.max_lat - box.min_lat, 120 * kMetreLat);  // not much wider than 100 m
}

struct Row {
  const char* name;
  Service service;
  Case candidate;
  bool expected;
  std::optional<DuplicateReason> reason = std::nullopt;
};

Case With(Case c, auto fn) {
  fn(c);
  return c;
}

TEST(FindDuplicatesTest, Table) {
  Case probe = At(0, 0, /*citizen=*/7);
  const std::vector<Row> rows = {
      {"10 m away", FlyTipping(), At(1, 10), true, DuplicateReason::kNearby},
      {"49 m away", FlyTipping(), At(1, 49), true, DuplicateReason::kNearby},
      {"exactly on the radius", FlyTipping(), At(1, 49.999), true, DuplicateReason::kNearby},
      {"51 m away", FlyTipping(), At(1, 51), false},
      {"500 m away", FlyTipping(), At(1, 500), false},
      {"120 m inside a 150 m radius", FlyTipping(true, 150), At(1, 120), true,
       DuplicateReason::kNearby},
      {"near, but the service has no nearby rule", FlyTipping(false), At(1, 10), false},
      {"near, other service",
       FlyTipping(), With(At(1, 10), [](Case& c) { c.service_code = "graffiti"; }), false},
      {"near, resolved", FlyTipping(),
       With(At(1, 10), [](Case& c) { c.status = CaseStatus::kResolved; }), false},
      {"near, closed", FlyTipping(),
       With(At(1, 10), [](Case& c) { c.status = CaseStatus::kClosed; }), false},
      {"near, cancelled", FlyTipping(),
       With(At(1, 10), [](Case& c) { c.status = CaseStatus::kCancelled; }), false},
      {"near, in progress", FlyTipping(),
       With(At(1, 10), [](Case& c) { c.status = CaseStatus::kInProgress; }), true,
       DuplicateReason::kNearby},
      {"near, waiting on the resident", FlyTipping(),
       With(At(1, 10), [](Case& c) { c.status = CaseStatus::kWaitingOnCitizen; }), true,
       DuplicateReason::kNearby},
      {"near, 29 days old", FlyTipping(),
       With(At(1, 10), [](Case& c) { c.created_at = kNow - absl::Hours(24 * 29); }), true,
       DuplicateReason::kNearby},
      {"near, 31 days old", FlyTipping(),
       With(At(1, 10), [](Case& c) { c.created_at = kNow - absl::Hours(24 * 31); }), false},
      {"near, 31 days old inside a 60-day window", FlyTipping(true, 50, 60),
       With(At(1, 10), [](Case& c) { c.created_at = kNow - absl::Hours(24 * 31); }), true,
       DuplicateReason::kNearby},
      {"same resident, far away", FlyTipping(), At(1, 5000, 7), true,
       DuplicateReason::kSameResidentService},
      {"same resident, old case (no window)", FlyTipping(),
       With(At(1, 5000, 7), [](Case& c) { c.created_at = kNow - absl::Hours(24 * 400); }), true,
       DuplicateReason::kSameResidentService},
      {"same resident, nearby rule off", FlyTipping(false), At(1, 5000, 7), true,
       DuplicateReason::kSameResidentService},
      {"same resident, closed", FlyTipping(),
       With(At(1, 10, 7), [](Case& c) { c.status = CaseStatus::kClosed; }), false},
      {"same resident, other service", FlyTipping(),
       With(At(1, 10, 7), [](Case& c) { c.service_code = "pothole"; }), false},
      {"other resident, far away", FlyTipping(), At(1, 5000, 8), false},
      {"other resident, near", FlyTipping(), At(1, 10, 8), true, DuplicateReason::kNearby},
      {"already marked a duplicate", FlyTipping(),
       With(At(1, 10), [](Case& c) { c.duplicate_of = 99; }), false},
      {"no coordinates, same postcode", FlyTipping(),
       With(At(1, 10), [](Case& c) {
         c.location.lat.reset();
         c.location.lng.reset();
         c.location.postcode = "FH1 4AB";
       }),
       true, DuplicateReason::kNearby},
      {"no coordinates, other postcode", FlyTipping(),
       With(At(1, 10), [](Case& c) {
         c.location.lat.reset();
         c.location.lng.reset();
         c.location.postcode = "FH2 9ZZ";
       }),
       false},
      {"far by coordinates though the postcode is the same", FlyTipping(),
       With(At(1, 500), [](Case& c) { c.location.postcode = "FH1 4AB"; }), false},
      {"same UPRN, far coordinates", FlyTipping(),
       With(At(1, 500), [](Case& c) { c.location.uprn = 100012345; }), true,
       DuplicateReason::kNearby},
  };
  probe.location.postcode = "fh1 4ab";
  probe.location.uprn = 100012345;
  for (const Row& row : rows) {
    Case p = probe;
    // The UPRN row alone shares the probe's UPRN.
    if (!row.candidate.location.uprn) p.location.uprn.reset();
    std::vector<DuplicateMatch> found = FindDuplicates(p, row.service, {row.candidate});
    EXPECT_EQ(found.size(), row.expected ? 1u : 0u) << row.name;
    if (row.expected && found.size() == 1) {
      EXPECT_EQ(found[0].reason, row.reason) << row.name;
      EXPECT_EQ(found[0].reference, row.candidate.reference) << row.name;
    }
  }
}

TEST(FindDuplicatesTest, DistanceGivenWhenBothHaveCoordinates) {
  std::vector<DuplicateMatch> found = FindDuplicates(At(0, 0), FlyTipping(), {At(1, 20)});
  ASSERT_EQ(found.size(), 1u);
  ASSERT_TRUE(found[0].distance_m.has_value());
  EXPECT_NEAR(*found[0].distance_m, 20.0, 0.01);
}

TEST(FindDuplicatesTest, RanksSameResidentFirstThenClosest) {
  Case probe = At(0, 0, 7);
  probe.values = {{"amount", {"car-boot"}}, {"waste_types", {"furniture", "tyres"}}};
  Case other_answers = At(1, 3000, 7);
  other_answers.values = {{"amount", {"lorry"}}, {"waste_types", {"asbestos"}}};
  Case same_answers = At(2, 4000, 7);
  same_answers.values = {{"amount", {"car-boot"}}, {"waste_types", {"tyres", "furniture"}}};
  std::vector<DuplicateMatch> found = FindDuplicates(
      probe, FlyTipping(), {At(3, 40), other_answers, At(4, 5), same_answers});
  std::vector<int64_t> ids;
  for (const auto& m : found) ids.push_back(m.case_id);
  EXPECT_THAT(ids, ::testing::ElementsAre(2, 1, 4, 3));
  EXPECT_DOUBLE_EQ(found[0].similarity, 1.0);
  EXPECT_LT(found[1].similarity, 0.5);
}

TEST(FindDuplicatesTest, LeavesOutItselfAndItsOriginal) {
  Case probe = At(5, 0);
  probe.duplicate_of = 1;
  EXPECT_TRUE(FindDuplicates(probe, FlyTipping(), {At(5, 0), At(1, 1)}).empty());
}

TEST(FindDuplicatesTest, SimilarityOfAnswers) {
  Case a, b;
  a.values = {{"bin_type", {"general"}}};
  b.values = {{"bin_type", {"General "}}};
  EXPECT_GT(AnswerSimilarity(a, b), 0.99);
  b.values = {{"bin_type", {"recycling"}}};
  EXPECT_LT(AnswerSimilarity(a, b), 0.01);
}

TEST(DuplicateQueryTest, AsksOnlyForWhatTheServiceChecks) {
  Case probe = At(0, 0, 7);
  probe.location.postcode = "fh1 4ab";
  DuplicateQuery q = DuplicateQueryFor(probe, FlyTipping());
  EXPECT_EQ(q.service_code, "fly-tipping");
  EXPECT_EQ(q.citizen_id, 7);
  ASSERT_TRUE(q.box.has_value());
  EXPECT_LT(q.box->min_lat, kLat);
  EXPECT_GT(q.box->max_lat, kLat);
  EXPECT_EQ(q.postcode, "FH1 4AB");
  EXPECT_EQ(q.created_from, probe.created_at - absl::Hours(24 * 30));

  DuplicateQuery off = DuplicateQueryFor(probe, FlyTipping(false));
  EXPECT_EQ(off.citizen_id, 7);
  EXPECT_FALSE(off.box.has_value());
  EXPECT_TRUE(off.postcode.empty());
  EXPECT_FALSE(off.created_from.has_value());
}

}  // namespace
}  // namespace onestop::domain
