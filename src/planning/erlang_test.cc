#include "planning/erlang.h"

#include <cmath>

#include "gtest/gtest.h"

namespace onestop::planning {
namespace {

TEST(ErlangTest, ErlangBKnownValues) {
  EXPECT_NEAR(ErlangB(1, 1.0), 0.5, 1e-12);
  EXPECT_NEAR(ErlangB(2, 1.0), 0.2, 1e-12);
  EXPECT_DOUBLE_EQ(ErlangB(0, 3.0), 1.0);
}

TEST(ErlangTest, ErlangCSingleServerIsRho) {
  EXPECT_NEAR(ErlangC(1, 0.6), 0.6, 1e-12);
  EXPECT_DOUBLE_EQ(ErlangC(5, 5.0), 1.0);  // unstable: everyone waits
}

// The worked example of the reference note (pyworkforce tests, Call Centre Helper).
TEST(ErlangTest, WorkedExample) {
  StaffingRequest q{.arrivals = 100, .interval_seconds = 1800, .aht_seconds = 180,
                    .target_service_level = 0.8, .within_seconds = 20, .shrinkage = 0.3,
                    .max_occupancy = 0.85};
  auto r = SolveStaffing(q);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_DOUBLE_EQ(r->traffic, 10.0);
  EXPECT_EQ(r->agents, 14);
  EXPECT_NEAR(r->service_level, 0.888, 0.0005);
  EXPECT_NEAR(r->occupancy, 0.714, 0.0005);
  EXPECT_NEAR(r->p_wait, 0.174, 0.0005);
  EXPECT_EQ(r->scheduled, 20);
  EXPECT_NEAR(ServiceLevel(13, 10.0, 180, 20), 0.7956, 0.0005);  // 13 just misses
}

TEST(ErlangTest, OccupancyCapBinds) {
  // 10 Erlangs with a 60-s target met by 11–12 agents, but a 70% cap needs 15.
  StaffingRequest q{.arrivals = 100, .interval_seconds = 1800, .aht_seconds = 180,
                    .target_service_level = 0.5, .within_seconds = 60, .max_occupancy = 0.7};
  auto r = SolveStaffing(q);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->agents, 15);
  EXPECT_LE(r->occupancy, 0.7);
  EXPECT_EQ(OccupancyFloor(10.0, 0.85), 12);
  EXPECT_EQ(ApplyShrinkage(14, 0.3), 20);
}

TEST(ErlangTest, LargeNStable) {
  const double a = 9500.0;
  const double c = ErlangC(10000, a);
  EXPECT_TRUE(std::isfinite(c));
  EXPECT_GT(c, 0.0);
  EXPECT_LT(c, 1.0);
  const double b = ErlangB(10000, a);
  EXPECT_GT(b, 0.0);
  EXPECT_LT(b, 0.01);
  // Tiny load on many agents: nobody waits, no NaN.
  EXPECT_NEAR(ErlangC(10000, 10.0), 0.0, 1e-300);
  EXPECT_NEAR(ServiceLevel(10000, 9900.0, 180, 20),
              1 - ErlangC(10000, 9900.0) * std::exp(-100.0 * 20 / 180), 1e-12);
  StaffingRequest q{.arrivals = 9500.0 * 1800 / 180, .interval_seconds = 1800,
                    .aht_seconds = 180, .target_service_level = 0.8, .within_seconds = 20};
  auto r = SolveStaffing(q);
  ASSERT_TRUE(r.ok());
  EXPECT_GT(r->agents, 9500);
  EXPECT_LT(r->agents, 9700);
  EXPECT_GE(r->service_level, 0.8);
  EXPECT_LT(ServiceLevel(r->agents - 1, 9500.0, 180, 20), 0.8);
}

TEST(ErlangTest, ErlangAWithoutPatienceMatchesErlangC) {
  auto a = ErlangA(14, 100.0 / 1800, 180, 0, 20);
  EXPECT_NEAR(a.p_wait, ErlangC(14, 10.0), 1e-9);
  EXPECT_NEAR(a.asa_seconds, AverageSpeedOfAnswer(14, 10.0, 180), 1e-6);
  EXPECT_NEAR(a.service_level, ServiceLevel(14, 10.0, 180, 20), 1e-9);
  EXPECT_NEAR(a.p_abandon, 0.0, 1e-12);
}

TEST(ErlangTest, ErlangAVeryPatientApproachesErlangC) {
  auto a = ErlangA(14, 100.0 / 1800, 180, 1e9, 20);
  EXPECT_NEAR(a.p_wait, ErlangC(14, 10.0), 1e-4);
  EXPECT_NEAR(a.service_level, ServiceLevel(14, 10.0, 180, 20), 1e-4);
}

TEST(ErlangTest, ErlangAInternalConsistency) {
  const double lambda = 12.0 / 60, aht = 60, patience = 30;  // 12 Erlangs on 11 agents
  auto a = ErlangA(11, lambda, aht, patience, 20);
  EXPECT_GT(a.p_wait, 0.3);
  EXPECT_LT(a.p_wait, 1.0);
  EXPECT_GT(a.p_abandon, 0.0);
  EXPECT_LT(a.p_abandon, a.p_wait);
  // Carried load equals agents busy: occupancy·N = λ(1−Pab)·AHT, and < 1.
  EXPECT_LT(a.occupancy, 1.0);
  EXPECT_LT(a.service_level, 1.0 - a.p_abandon);
  EXPECT_GT(a.service_level, 1.0 - a.p_wait);
  // Overloaded with patience stays finite (always stable).
  auto over = ErlangA(5, 1.0, 60, 30, 20);
  EXPECT_TRUE(std::isfinite(over.asa_seconds));
  EXPECT_GT(over.p_abandon, 0.8);
}

TEST(ErlangTest, ErlangALargeN) {
  auto a = ErlangA(2000, 1990.0 / 180, 180, 120, 20);
  EXPECT_TRUE(std::isfinite(a.service_level));
  EXPECT_GT(a.service_level, 0.0);
  EXPECT_LE(a.service_level, 1.0);
}

TEST(ErlangTest, StaffingWithPatienceNeedsNoMoreThanAFewMore) {
  StaffingRequest q{.arrivals = 100, .interval_seconds = 1800, .aht_seconds = 180,
                    .target_service_level = 0.8, .within_seconds = 20,
                    .patience_seconds = 120.0};
  auto r = SolveStaffing(q);
  ASSERT_TRUE(r.ok());
  EXPECT_GE(r->service_level, 0.8);
  EXPECT_GE(r->agents, 12);
  EXPECT_LE(r->agents, 15);
}

TEST(ErlangTest, RejectsNonsense) {
  EXPECT_FALSE(SolveStaffing({.arrivals = -1}).ok());
  EXPECT_FALSE(SolveStaffing({.arrivals = 1, .shrinkage = 1.0}).ok());
  EXPECT_FALSE(SolveStaffing({.arrivals = 1, .target_service_level = 1.5}).ok());
}

}  // namespace
}  // namespace onestop::planning
