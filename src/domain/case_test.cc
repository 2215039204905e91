#include "domain/case.h"

#include <set>
#include <string>
#include <utility>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace onestop::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using S = CaseStatus;

// The table from case.h, written out independently of the implementation.
const std::set<std::pair<S, S>>& LegalTransitions() {
  static const std::set<std::pair<S, S>> legal = {
      {S::kNew, S::kOpen},
      {S::kNew, S::kInProgress},
      {S::kNew, S::kWaitingOnCitizen},
      {S::kNew, S::kResolved},
      {S::kNew, S::kCancelled},
      {S::kOpen, S::kInProgress},
      {S::kOpen, S::kWaitingOnCitizen},
      {S::kOpen, S::kResolved},
      {S::kOpen, S::kCancelled},
      {S::kInProgress, S::kOpen},
      {S::kInProgress, S::kWaitingOnCitizen},
      {S::kInProgress, S::kResolved},
      {S::kInProgress, S::kCancelled},
      {S::kWaitingOnCitizen, S::kOpen},
      {S::kWaitingOnCitizen, S::kInProgress},
      {S::kWaitingOnCitizen, S::kResolved},
      {S::kWaitingOnCitizen, S::kCancelled},
      {S::kResolved, S::kClosed},
      {S::kResolved, S::kOpen},
      {S::kClosed, S::kOpen},
  };
  return legal;
}

TEST(CaseStatusTest, EveryPairMatchesTheTable) {
  int legal_count = 0;
  for (S from : kAllCaseStatuses) {
    for (S to : kAllCaseStatuses) {
      bool expected = LegalTransitions().contains({from, to});
      EXPECT_EQ(IsLegalTransition(from, to), expected)
          << CaseStatusName(from) << " -> " << CaseStatusName(to);
      legal_count += expected;
    }
  }
  EXPECT_EQ(legal_count, 20);
}

TEST(CaseStatusTest, NoStatusTransitionsToItself) {
  for (S s : kAllCaseStatuses) EXPECT_FALSE(IsLegalTransition(s, s)) << CaseStatusName(s);
}

TEST(CaseStatusTest, NothingLeadsBackToNew) {
  for (S s : kAllCaseStatuses) EXPECT_FALSE(IsLegalTransition(s, S::kNew)) << CaseStatusName(s);
}

TEST(CaseStatusTest, NextStatuses) {
  EXPECT_THAT(NextStatuses(S::kNew), ElementsAre(S::kOpen, S::kInProgress, S::kWaitingOnCitizen,
                                                 S::kResolved, S::kCancelled));
  EXPECT_THAT(NextStatuses(S::kOpen),
              ElementsAre(S::kInProgress, S::kWaitingOnCitizen, S::kResolved, S::kCancelled));
  EXPECT_THAT(NextStatuses(S::kInProgress),
              ElementsAre(S::kOpen, S::kWaitingOnCitizen, S::kResolved, S::kCancelled));
  EXPECT_THAT(NextStatuses(S::kWaitingOnCitizen),
              ElementsAre(S::kOpen, S::kInProgress, S::kResolved, S::kCancelled));
  EXPECT_THAT(NextStatuses(S::kResolved), ElementsAre(S::kOpen, S::kClosed));
  EXPECT_THAT(NextStatuses(S::kClosed), ElementsAre(S::kOpen));
  EXPECT_THAT(NextStatuses(S::kCancelled), IsEmpty());
  for (S from : kAllCaseStatuses) {
    for (S to : NextStatuses(from)) EXPECT_TRUE(IsLegalTransition(from, to));
  }
}

TEST(CaseStatusTest, IsFinished) {
  EXPECT_FALSE(IsFinished(S::kNew));
  EXPECT_FALSE(IsFinished(S::kOpen));
  EXPECT_FALSE(IsFinished(S::kInProgress));
  EXPECT_FALSE(IsFinished(S::kWaitingOnCitizen));
  EXPECT_TRUE(IsFinished(S::kResolved));
  EXPECT_TRUE(IsFinished(S::kClosed));
  EXPECT_TRUE(IsFinished(S::kCancelled));
}

TEST(CaseStatusTest, NamesRoundTrip) {
  EXPECT_EQ(CaseStatusName(S::kNew), "new");
  EXPECT_EQ(CaseStatusName(S::kOpen), "open");
  EXPECT_EQ(CaseStatusName(S::kInProgress), "in_progress");
  EXPECT_EQ(CaseStatusName(S::kWaitingOnCitizen), "waiting_on_citizen");
  EXPECT_EQ(CaseStatusName(S::kResolved), "resolved");
  EXPECT_EQ(CaseStatusName(S::kClosed), "closed");
  EXPECT_EQ(CaseStatusName(S::kCancelled), "cancelled");
  std::set<std::string_view> names;
  for (S s : kAllCaseStatuses) {
    EXPECT_EQ(ParseCaseStatus(CaseStatusName(s)), s);
    names.insert(CaseStatusName(s));
  }
  EXPECT_EQ(names.size(), std::size(kAllCaseStatuses));
  EXPECT_EQ(ParseCaseStatus("Open"), std::nullopt);
  EXPECT_EQ(ParseCaseStatus(""), std::nullopt);
  EXPECT_EQ(ParseCaseStatus("in-progress"), std::nullopt);
}

TEST(CasePriorityTest, NamesRoundTrip) {
  EXPECT_EQ(PriorityName(Priority::kLow), "low");
  EXPECT_EQ(PriorityName(Priority::kNormal), "normal");
  EXPECT_EQ(PriorityName(Priority::kHigh), "high");
  EXPECT_EQ(PriorityName(Priority::kUrgent), "urgent");
  for (Priority p : {Priority::kLow, Priority::kNormal, Priority::kHigh, Priority::kUrgent}) {
    EXPECT_EQ(ParsePriority(PriorityName(p)), p);
  }
  EXPECT_EQ(ParsePriority("URGENT"), std::nullopt);
  EXPECT_EQ(ParsePriority(""), std::nullopt);
}

TEST(CaseNoteVisibilityTest, NamesRoundTrip) {
  EXPECT_EQ(NoteVisibilityName(NoteVisibility::kInternal), "internal");
  EXPECT_EQ(NoteVisibilityName(NoteVisibility::kPublic), "public");
  EXPECT_EQ(ParseNoteVisibility("internal"), NoteVisibility::kInternal);
  EXPECT_EQ(ParseNoteVisibility("public"), NoteVisibility::kPublic);
  EXPECT_EQ(ParseNoteVisibility("private"), std::nullopt);
}

TEST(CaseLocationTest, Empty) {
  Location location;
  EXPECT_TRUE(location.empty());
  location.description = "by the bus stop";
  EXPECT_FALSE(location.empty());
  location = Location{};
  location.lat = 51.5;
  EXPECT_FALSE(location.empty());
}

}  // namespace
}  // namespace onestop::domain
