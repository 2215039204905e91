// Store suite: duplicate candidates (Store::FindDuplicateCandidates on the
// v8 indexes), a case's duplicates, followers, and a service's duplicate rule.
#include <algorithm>
#include <vector>

#include "absl/time/time.h"
#include "tests/store/store_suite.h"

namespace onestop::store_test {
namespace {

using domain::Case;
using domain::CaseStatus;
using domain::Citizen;

const absl::Time kAt = absl::FromUnixSeconds(1'800'000'000);

Case Report(const std::string& service, double lat, double lng, CaseStatus status = CaseStatus::kOpen) {
  Case c = FullCase();
  c.service_code = service;
  c.status = status;
  c.citizen_id.reset();
  c.duplicate_of.reset();
  c.location.uprn.reset();
  c.location.postcode = "";
  c.location.lat = lat;
  c.location.lng = lng;
  c.created_at = c.updated_at = kAt;
  return c;
}

std::vector<int64_t> Ids(const std::vector<Case>& cases) {
  std::vector<int64_t> ids;
  for (const Case& c : cases) ids.push_back(c.id);
  return ids;
}

}  // namespace

TEST_P(StoreSuite, DuplicateCandidatesByBoxUprnPostcodeAndResident) {
  const int64_t ann = AddCitizen(FullCitizen());
  Case in_box = AddCase(Report("fly-tipping", 51.0001, -0.1001));
  AddCase(Report("fly-tipping", 51.01, -0.1001));                            // lat outside
  AddCase(Report("fly-tipping", 51.0001, -0.12));                            // lng outside
  AddCase(Report("graffiti", 51.0001, -0.1001));                             // other service
  AddCase(Report("fly-tipping", 51.0001, -0.1001, CaseStatus::kResolved));   // finished
  AddCase(Report("fly-tipping", 51.0001, -0.1001, CaseStatus::kCancelled));  // finished
  Case old = Report("fly-tipping", 51.0001, -0.1001);
  old.created_at = kAt - absl::Hours(24 * 40);
  AddCase(old);                                                              // too old
  Case at_uprn = Report("fly-tipping", 52, 1);
  at_uprn.location.uprn = 100012345678;
  at_uprn = AddCase(at_uprn);
  Case in_postcode = Report("fly-tipping", 53, 1);
  in_postcode.location.lat.reset();
  in_postcode.location.lng.reset();
  in_postcode.location.postcode = "FH1 4AB";
  in_postcode = AddCase(in_postcode);
  Case anns = Report("fly-tipping", 54, 1);
  anns.citizen_id = ann;
  anns.created_at = kAt - absl::Hours(24 * 400);  // the same resident: any age
  anns = AddCase(anns);
  Case anns_closed = anns;
  anns_closed.status = CaseStatus::kClosed;
  AddCase(anns_closed);

  domain::DuplicateQuery q;
  q.service_code = "fly-tipping";
  q.box = domain::LatLngBox{51.0, 51.001, -0.101, -0.099};
  q.created_from = kAt - absl::Hours(24 * 30);
  auto found = store().FindDuplicateCandidates(q);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(Ids(*found), std::vector<int64_t>{in_box.id});
  EXPECT_EQ((*found)[0], in_box);

  q.uprn = 100012345678;
  q.postcode = "FH1 4AB";
  q.citizen_id = ann;
  found = store().FindDuplicateCandidates(q);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(Ids(*found), (std::vector<int64_t>{in_box.id, at_uprn.id, in_postcode.id, anns.id}));

  domain::DuplicateQuery none;
  none.service_code = "pothole";
  none.citizen_id = ann;
  found = store().FindDuplicateCandidates(none);
  ASSERT_TRUE(found.ok());
  EXPECT_TRUE(found->empty());
}

TEST_P(StoreSuite, DuplicatesOfACaseAndFollowers) {
  const int64_t ann = AddCitizen(FullCitizen());
  Citizen other = FullCitizen();
  other.emails = {"bob@example.org"};
  other.phones = {"07700900999"};
  const int64_t bob = AddCitizen(other);
  Case original = AddCase(Report("pothole", 51, 0));
  Case dup = Report("pothole", 51, 0, CaseStatus::kClosed);
  dup.duplicate_of = original.id;
  dup = AddCase(dup);
  auto dups = store().ListDuplicatesOf(original.id);
  ASSERT_TRUE(dups.ok()) << dups.status();
  EXPECT_EQ(Ids(*dups), std::vector<int64_t>{dup.id});

  domain::CaseFollower f{original.id, bob, dup.id, domain::Channel::kPhone, kAt, 3};
  bool added = false, again = true;
  STORE_ASSERT_OK(store().Write([&](domain::WriteTxn& txn) -> absl::Status {
    auto a = txn.AddFollower(f);
    if (!a.ok()) return a.status();
    added = *a;
    domain::CaseFollower g{original.id, ann, std::nullopt, domain::Channel::kWeb, kAt + absl::Seconds(1), 0};
    auto b = txn.AddFollower(g);
    if (!b.ok()) return b.status();
    auto c = txn.AddFollower(f);  // already following
    if (!c.ok()) return c.status();
    again = *c;
    return absl::OkStatus();
  }));
  EXPECT_TRUE(added);
  EXPECT_FALSE(again);
  auto followers = store().ListFollowers(original.id);
  ASSERT_TRUE(followers.ok()) << followers.status();
  ASSERT_EQ(followers->size(), 2u);
  EXPECT_EQ((*followers)[0], f);
  EXPECT_EQ((*followers)[1].citizen_id, ann);
  EXPECT_FALSE((*followers)[1].via_case_id.has_value());

  absl::Status missing = store().Write([&](domain::WriteTxn& txn) -> absl::Status {
    return txn.AddFollower({original.id, 99999999, std::nullopt, domain::Channel::kWeb, kAt, 0}).status();
  });
  EXPECT_TRUE(absl::IsNotFound(missing)) << missing;
}

TEST_P(StoreSuite, ServiceDuplicateRuleRoundTrips) {
  domain::Service s;
  s.code = "graffiti";
  s.name = "Report graffiti";
  s.department = "highways";
  s.duplicates = {true, 75, 14};
  STORE_ASSERT_OK(store().Write([&](domain::WriteTxn& txn) { return txn.UpsertService(s).status(); }));
  auto got = store().GetService("graffiti");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->duplicates, s.duplicates);
}

}  // namespace onestop::store_test
