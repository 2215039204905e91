#include "common/periodic.h"

#include <atomic>
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

namespace onestop {
namespace {

TEST(PeriodicTest, RunsRightAwayThenStopsWithoutWaitingForTheNextRound) {
  std::atomic<int> runs{0};
  {
    Periodic periodic(absl::Hours(1), [&runs] { ++runs; });
    for (int i = 0; i < 500 && runs.load() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_EQ(runs.load(), 1);
  }  // must not wait an hour
  EXPECT_EQ(runs.load(), 1);
}

TEST(PeriodicTest, RunsAgainEachIntervalAndCanWaitBeforeTheFirst) {
  std::atomic<int> runs{0};
  {
    Periodic periodic(absl::Milliseconds(5), [&runs] { ++runs; });
    for (int i = 0; i < 500 && runs.load() < 3; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_GE(runs.load(), 3);
  }
  std::atomic<int> later{0};
  { Periodic periodic(absl::Hours(1), [&later] { ++later; }, /*run_now=*/false); }
  EXPECT_EQ(later.load(), 0);
}

}  // namespace
}  // namespace onestop
