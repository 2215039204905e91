#include "services/duplicates.h"

#include "common/status.h"
#include "services/catalogue.h"
#include "services/citizens.h"
#include "services/self_service.h"
#include "services/testing/fixture.h"

namespace onestop::services {
namespace {

using domain::CaseStatus;
using domain::DuplicateReason;

constexpr double kLat = 50.8225, kLng = -0.1372;
constexpr double kMetreLat = 1.0 / 111195.08;

class DuplicatesTest : public testing::ServicesTest {
 protected:
  DuplicatesTest() {
    auto catalogue = catalogue_->Get();
    EXPECT_TRUE(catalogue.ok());
    domain::Service pothole = *(*catalogue)->Find("pothole");
    pothole.duplicates = {true, 50, 30};
    EXPECT_TRUE(SaveService(deps()).Run(domain::Actor::System(), pothole, std::nullopt).ok());
  }
  int64_t NewCitizen(const std::string& email) {
    domain::Citizen c;
    c.given_name = "Ann";
    c.family_name = "Example";
    c.emails = {email};
    auto created = CreateCitizen(deps()).Run(agent_, c, domain::Channel::kPhone);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? created->citizen.id : 0;
  }
  NewCase Pothole(double metres_north, std::optional<int64_t> citizen = std::nullopt) {
    NewCase input;
    input.service_code = "pothole";
    input.channel = domain::Channel::kPhone;
    input.citizen_id = citizen;
    input.location.lat = kLat + metres_north * kMetreLat;
    input.location.lng = kLng;
    input.location.description = "outside the library";
    return input;
  }
  NewCase Bin(int64_t citizen, const std::string& type) {
    NewCase input;
    input.service_code = "missed-bin";
    input.citizen_id = citizen;
    input.channel = domain::Channel::kPhone;
    input.values = {{"bin_type", {type}}};
    input.location.postcode = "FH1 4AB";
    return input;
  }
  domain::Case Open(const NewCase& input) {
    auto opened = OpenCase(deps()).Run(agent_, input);
    EXPECT_TRUE(opened.ok()) << opened.status();
    return opened.ok() ? opened->c : domain::Case{};
  }
  bool Resolve(int64_t id) {
    CaseChanges changes;
    changes.status = CaseStatus::kResolved;
    return UpdateCase(deps()).Run(admin_, id, changes, std::nullopt).ok();
  }
  std::vector<int64_t> Ids(const std::vector<DuplicateCandidate>& found) {
    std::vector<int64_t> ids;
    for (const auto& d : found) ids.push_back(d.c.id);
    return ids;
  }
};

TEST_F(DuplicatesTest, NearbyOpenCaseOfTheSameServiceIsFoundBeforeCreation) {
  domain::Case near = Open(Pothole(20));
  Open(Pothole(400));  // too far
  auto found = CheckDuplicates(deps()).Run(agent_, Pothole(0));
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].c.id, near.id);
  EXPECT_EQ((*found)[0].match.reason, DuplicateReason::kNearby);
  ASSERT_TRUE((*found)[0].match.distance_m.has_value());
  EXPECT_NEAR(*(*found)[0].match.distance_m, 20.0, 0.1);

  // Nothing was created.
  domain::CaseQuery all;
  auto page = store_->ListCases(all);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->items.size(), 2u);
}

TEST_F(DuplicatesTest, NearbyWindowAndClosedOriginals) {
  domain::Case old_case = Open(Pothole(5));
  clock_.Advance(absl::Hours(24 * 31));
  domain::Case closed = Open(Pothole(10));
  ASSERT_TRUE(Resolve(closed.id));
  domain::Case fresh = Open(Pothole(15));
  auto found = CheckDuplicates(deps()).Run(agent_, Pothole(0));
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(Ids(*found), std::vector<int64_t>{fresh.id});
  (void)old_case;
}

TEST_F(DuplicatesTest, SameResidentsOpenCaseRankedBySimilarAnswers) {
  int64_t ann = NewCitizen("ann@example.com");
  int64_t bob = NewCitizen("bob@example.com");
  domain::Case recycling = Open(Bin(ann, "recycling"));
  domain::Case general = Open(Bin(ann, "general"));
  Open(Bin(bob, "general"));  // someone else's: missed bins have no nearby rule
  auto found = CheckDuplicates(deps()).Run(agent_, Bin(ann, "general"));
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(Ids(*found), (std::vector<int64_t>{general.id, recycling.id}));
  EXPECT_EQ((*found)[0].match.reason, DuplicateReason::kSameResidentService);
  EXPECT_FALSE((*found)[0].match.distance_m.has_value());
}

TEST_F(DuplicatesTest, ThePublicSeesOnlyNearbyMatches) {
  int64_t ann = NewCitizen("ann@example.com");
  Open(Bin(ann, "general"));
  domain::Case near = Open(Pothole(10, ann));
  auto bins = CheckDuplicates(deps()).Run(domain::Actor::Public(), Bin(ann, "general"));
  ASSERT_TRUE(bins.ok()) << bins.status();
  EXPECT_TRUE(bins->empty());
  NewCase web = Pothole(0, ann);
  web.channel = domain::Channel::kWeb;
  auto potholes = CheckDuplicates(deps()).Run(domain::Actor::Public(), web);
  ASSERT_TRUE(potholes.ok());
  EXPECT_EQ(Ids(*potholes), std::vector<int64_t>{near.id});
}

TEST_F(DuplicatesTest, OfficersSeeOnlyTheirDepartment) {
  Open(Pothole(10));
  auto waste = CheckDuplicates(deps()).Run(waste_officer_, Pothole(0));
  ASSERT_TRUE(waste.ok());
  EXPECT_TRUE(waste->empty());
  auto roads = CheckDuplicates(deps()).Run(highways_officer_, Pothole(0));
  ASSERT_TRUE(roads.ok());
  EXPECT_EQ(roads->size(), 1u);
}

TEST_F(DuplicatesTest, InvalidInputIsRefusedLikeOpenCase) {
  NewCase bad = Pothole(0);
  bad.service_code = "no-such-service";
  auto found = CheckDuplicates(deps()).Run(agent_, bad);
  EXPECT_TRUE(absl::IsInvalidArgument(found.status()));
  EXPECT_EQ(FieldErrorsOf(found.status())[0].field, "service_code");
}

TEST_F(DuplicatesTest, ForCaseChecksAStoredCase) {
  domain::Case a = Open(Pothole(0));
  domain::Case b = Open(Pothole(30));
  auto found = CheckDuplicates(deps()).ForCase(agent_, b.id);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(Ids(*found), std::vector<int64_t>{a.id});
  EXPECT_TRUE(absl::IsNotFound(CheckDuplicates(deps()).ForCase(waste_officer_, b.id).status()));
}

TEST_F(DuplicatesTest, MarkDuplicateClosesPointsAndFollows) {
  int64_t ann = NewCitizen("ann@example.com");
  int64_t bob = NewCitizen("bob@example.com");
  domain::Case original = Open(Pothole(0, ann));
  domain::Case dup = Open(Pothole(10, bob));
  auto marked = MarkDuplicate(deps()).Run(highways_officer_, dup.id, original.id);
  ASSERT_TRUE(marked.ok()) << marked.status();
  EXPECT_EQ(marked->duplicate.status, CaseStatus::kClosed);
  EXPECT_EQ(marked->duplicate.duplicate_of, original.id);
  EXPECT_TRUE(marked->duplicate.closed_at.has_value());

  auto stored = store_->GetCase(dup.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(*stored, marked->duplicate);

  auto followers = store_->ListFollowers(original.id);
  ASSERT_TRUE(followers.ok());
  ASSERT_EQ(followers->size(), 1u);
  EXPECT_EQ((*followers)[0].citizen_id, bob);
  EXPECT_EQ((*followers)[0].via_case_id, dup.id);

  auto links = GetCaseLinks(deps()).Run(agent_, original);
  ASSERT_TRUE(links.ok());
  ASSERT_EQ(links->duplicates.size(), 1u);
  EXPECT_EQ(links->duplicates[0].id, dup.id);
  auto back = GetCaseLinks(deps()).Run(agent_, *stored);
  ASSERT_TRUE(back.ok());
  ASSERT_TRUE(back->original.has_value());
  EXPECT_EQ(back->original->id, original.id);

  domain::EventQuery events;
  events.case_id = dup.id;
  auto history = store_->ListEvents(events);
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history->back().type, "case.status_changed");
  events.case_id = original.id;
  history = store_->ListEvents(events);
  ASSERT_TRUE(history.ok());
  std::vector<std::string> types;
  for (const auto& e : *history) types.push_back(e.type);
  EXPECT_THAT(types, ::testing::ElementsAre("case.created", "case.duplicate_added",
                                            "case.follower_added"));

  // A marked duplicate is no longer a candidate.
  auto found = CheckDuplicates(deps()).Run(agent_, Pothole(5));
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(Ids(*found), std::vector<int64_t>{original.id});
}

TEST_F(DuplicatesTest, MarkDuplicateRefusals) {
  domain::Case a = Open(Pothole(0));
  domain::Case b = Open(Pothole(10));
  domain::Case c = Open(Pothole(20));
  auto reason = [](const absl::Status& s) {
    auto errors = FieldErrorsOf(s);
    return errors.empty() ? std::string() : errors[0].reason;
  };
  auto self = MarkDuplicate(deps()).Run(agent_, a.id, a.id);
  EXPECT_TRUE(absl::IsFailedPrecondition(self.status()));
  EXPECT_EQ(reason(self.status()), "duplicate_of_itself");
  EXPECT_TRUE(absl::IsNotFound(MarkDuplicate(deps()).Run(agent_, a.id, 999999).status()));
  EXPECT_TRUE(absl::IsNotFound(MarkDuplicate(deps()).Run(agent_, 999999, a.id).status()));
  EXPECT_TRUE(absl::IsNotFound(MarkDuplicate(deps()).Run(waste_officer_, b.id, a.id).status()));

  ASSERT_TRUE(MarkDuplicate(deps()).Run(agent_, b.id, a.id).ok());
  auto again = MarkDuplicate(deps()).Run(agent_, b.id, c.id);
  EXPECT_EQ(reason(again.status()), "duplicate_already_marked");
  auto cycle = MarkDuplicate(deps()).Run(agent_, a.id, b.id);
  EXPECT_EQ(reason(cycle.status()), "duplicate_cycle");

  ASSERT_TRUE(Resolve(c.id));
  auto closed_original = MarkDuplicate(deps()).Run(agent_, a.id, c.id);
  EXPECT_EQ(reason(closed_original.status()), "duplicate_original_finished");
  auto finished = MarkDuplicate(deps()).Run(agent_, c.id, a.id);
  EXPECT_EQ(reason(finished.status()), "duplicate_case_finished");
}

TEST_F(DuplicatesTest, MarkingAnOriginalMovesItsDuplicates) {
  domain::Case a = Open(Pothole(0));
  domain::Case b = Open(Pothole(10));
  domain::Case c = Open(Pothole(20));
  ASSERT_TRUE(MarkDuplicate(deps()).Run(agent_, b.id, a.id).ok());
  ASSERT_TRUE(MarkDuplicate(deps()).Run(agent_, a.id, c.id).ok());
  auto moved = store_->GetCase(b.id);
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved->duplicate_of, c.id);
  auto children = store_->ListDuplicatesOf(c.id);
  ASSERT_TRUE(children.ok());
  EXPECT_EQ(children->size(), 2u);
}

TEST_F(DuplicatesTest, FollowCaseByStaffRecordsAContact) {
  int64_t ann = NewCitizen("ann@example.com");
  int64_t bob = NewCitizen("bob@example.com");
  domain::Case original = Open(Pothole(0, ann));
  FollowRequest request{original.id, bob, domain::Channel::kPhone, true, std::nullopt};
  auto followed = FollowCase(deps()).Run(agent_, request);
  ASSERT_TRUE(followed.ok()) << followed.status();
  EXPECT_TRUE(followed->added);
  ASSERT_TRUE(followed->contact_id.has_value());
  domain::ContactQuery contacts;
  contacts.case_id = original.id;
  auto found = store_->ListContacts(contacts);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 2u);  // the one that raised it, and Bob's
  EXPECT_EQ(found->back().citizen_id, bob);
  EXPECT_EQ(found->back().outcome, domain::ContactOutcome::kCaseUpdated);

  auto again = FollowCase(deps()).Run(agent_, request);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->added);
  auto followers = store_->ListFollowers(original.id);
  ASSERT_TRUE(followers.ok());
  EXPECT_EQ(followers->size(), 1u);
}

TEST_F(DuplicatesTest, ThePublicFollowsOnlyAReportTheyWereShown) {
  int64_t bob = NewCitizen("bob@example.com");
  domain::Case near = Open(Pothole(10));
  domain::Case far = Open(Pothole(900));
  NewCase report = Pothole(0);
  report.channel = domain::Channel::kWeb;
  FollowRequest ok{near.id, bob, domain::Channel::kWeb, false, report};
  auto followed = FollowCase(deps()).Run(domain::Actor::Public(), ok);
  ASSERT_TRUE(followed.ok()) << followed.status();
  EXPECT_TRUE(followed->added);
  FollowRequest sneaky{far.id, bob, domain::Channel::kWeb, false, report};
  EXPECT_TRUE(absl::IsNotFound(FollowCase(deps()).Run(domain::Actor::Public(), sneaky).status()));
  FollowRequest no_report{near.id, bob, domain::Channel::kWeb, false, std::nullopt};
  EXPECT_FALSE(FollowCase(deps()).Run(domain::Actor::Public(), no_report).ok());
}

TEST_F(DuplicatesTest, TrackingADuplicateShowsTheOriginalAndFollowersTrackIt) {
  int64_t ann = NewCitizen("ann@example.com");
  int64_t bob = NewCitizen("bob@example.com");
  domain::Case original = Open(Pothole(0, ann));
  domain::Case dup = Open(Pothole(10, bob));
  ASSERT_TRUE(MarkDuplicate(deps()).Run(agent_, dup.id, original.id).ok());
  ASSERT_TRUE(AddNote(deps()).Run(agent_, original.id, domain::NoteVisibility::kPublic, "Filled in").ok());
  ASSERT_TRUE(AddNote(deps()).Run(agent_, original.id, domain::NoteVisibility::kInternal, "secret").ok());

  auto tracked = TrackCase(deps()).Run(dup.reference, "bob@example.com");
  ASSERT_TRUE(tracked.ok()) << tracked.status();
  EXPECT_EQ(tracked->status, CaseStatus::kClosed);
  ASSERT_TRUE(tracked->original.has_value());
  EXPECT_EQ(tracked->original->reference, original.reference);
  ASSERT_EQ(tracked->original->public_notes.size(), 1u);
  EXPECT_EQ(tracked->original->public_notes[0].body, "Filled in");

  // Bob follows the original now, so his email finds it too; a stranger's does not.
  auto followed = TrackCase(deps()).Run(original.reference, "bob@example.com");
  ASSERT_TRUE(followed.ok()) << followed.status();
  EXPECT_FALSE(followed->original.has_value());
  EXPECT_TRUE(absl::IsNotFound(TrackCase(deps()).Run(original.reference, "eve@example.com").status()));
}

}  // namespace
}  // namespace onestop::services
