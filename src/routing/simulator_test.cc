// The real engine, run by the simulator, against the Erlang oracle.
// Runs are long enough that the standard error of each figure is well under
// 0.005 (checked across seeds while writing the test), so ±0.02 is a >4σ
// margin; seeds are fixed so the test is deterministic.
#include "routing/simulator.h"

#include "gtest/gtest.h"
#include "planning/erlang.h"

namespace onestop::routing {
namespace {

struct Point {
  int agents;
  double arrivals_per_hour;
  double aht;
  double hours;
};

class ErlangCAgreement : public ::testing::TestWithParam<Point> {};

TEST_P(ErlangCAgreement, PWaitAndServiceLevelWithin002) {
  const Point p = GetParam();
  auto r = Simulate({.agents = p.agents, .arrivals_per_hour = p.arrivals_per_hour,
                     .aht_seconds = p.aht, .hours = p.hours, .seed = 7});
  ASSERT_TRUE(r.ok()) << r.status();
  const double traffic = p.arrivals_per_hour / 3600 * p.aht;
  EXPECT_NEAR(r->p_wait, planning::ErlangC(p.agents, traffic), 0.02);
  EXPECT_NEAR(r->service_level_20s, planning::ServiceLevel(p.agents, traffic, p.aht, 20), 0.02);
  EXPECT_NEAR(r->occupancy, traffic / p.agents, 0.02);
  EXPECT_EQ(r->abandoned, 0);
}

INSTANTIATE_TEST_SUITE_P(Points, ErlangCAgreement,
                         ::testing::Values(Point{14, 200, 180, 150},   // the worked example
                                           Point{5, 90, 120, 240},     // small team, A = 3
                                           Point{30, 500, 180, 40}));  // A = 25

TEST(ErlangAAgreement, WithPatience) {
  // 12 Erlangs on 12 agents would be unstable without abandons.
  const int agents = 12;
  const double per_hour = 240, aht = 180, patience = 120;
  auto r = Simulate({.agents = agents, .arrivals_per_hour = per_hour, .aht_seconds = aht,
                     .hours = 100, .seed = 11, .patience_seconds = patience});
  ASSERT_TRUE(r.ok()) << r.status();
  auto a = planning::ErlangA(agents, per_hour / 3600, aht, patience, 20);
  EXPECT_NEAR(r->p_wait, a.p_wait, 0.02);
  EXPECT_NEAR(r->service_level_20s, a.service_level, 0.02);
  EXPECT_NEAR(static_cast<double>(r->abandoned) / r->offered, a.p_abandon, 0.02);
  EXPECT_GT(r->abandoned, 0);
}

TEST(Simulator, DeterministicForASeed) {
  SimulationConfig c{.agents = 5, .arrivals_per_hour = 100, .aht_seconds = 150, .hours = 10, .seed = 3};
  auto a = Simulate(c);
  auto b = Simulate(c);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->offered, b->offered);
  EXPECT_EQ(a->answered, b->answered);
  EXPECT_DOUBLE_EQ(a->asa_seconds, b->asa_seconds);
}

TEST(Simulator, RejectsNonsense) {
  EXPECT_FALSE(Simulate({.agents = 0}).ok());
  EXPECT_FALSE(Simulate({.agents = 1, .hours = -1}).ok());
}

}  // namespace
}  // namespace onestop::routing
