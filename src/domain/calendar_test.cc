#include "domain/calendar.h"

#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/time_format.h"
#include "gtest/gtest.h"

namespace onestop::domain {
namespace {

using absl::CivilDay;
using absl::CivilSecond;

const absl::TimeZone& London() { return LondonTimeZone(); }

// An instant given as London wall-clock time.
absl::Time Local(int y, int m, int d, int hh = 0, int mm = 0, int ss = 0) {
  return absl::FromCivil(CivilSecond(y, m, d, hh, mm, ss), London());
}

CivilSecond ToLocal(absl::Time t) { return absl::ToCivilSecond(t, London()); }

std::string Show(absl::Time t) { return absl::FormatTime("%Y-%m-%d %H:%M:%E*S %Z", t, London()); }

// The relevant England & Wales bank holidays, typed in from GOV.UK so these
// tests do not depend on the data file (which has its own test below).
std::set<CivilDay> SomeBankHolidays() {
  return {CivilDay(2026, 1, 1),   CivilDay(2026, 4, 3),   CivilDay(2026, 4, 6),
          CivilDay(2026, 5, 4),   CivilDay(2026, 5, 25),  CivilDay(2026, 8, 31),
          CivilDay(2026, 12, 25), CivilDay(2026, 12, 28), CivilDay(2027, 1, 1),
          CivilDay(2027, 12, 27), CivilDay(2027, 12, 28), CivilDay(2028, 1, 3)};
}

WorkingCalendar LondonCalendar() {
  return WorkingCalendar(CalendarConfig::Default(London(), SomeBankHolidays()));
}

// A calendar open the same hours every day of the week, no holidays.
WorkingCalendar EveryDay(int open_minute, int close_minute) {
  CalendarConfig config = CalendarConfig::Default(London(), {});
  for (WorkingHours& hours : config.hours) hours = {open_minute, close_minute};
  return WorkingCalendar(config);
}

TEST(CalendarConfigTest, DefaultIsMondayToFridayNineToFive) {
  CalendarConfig config = CalendarConfig::Default(London(), {CivilDay(2026, 12, 25)});
  for (int weekday = 0; weekday < 5; ++weekday) {
    EXPECT_EQ(config.hours[weekday].open_minute, 9 * 60);
    EXPECT_EQ(config.hours[weekday].close_minute, 17 * 60);
    EXPECT_FALSE(config.hours[weekday].closed());
  }
  EXPECT_TRUE(config.hours[5].closed());
  EXPECT_TRUE(config.hours[6].closed());
  EXPECT_EQ(config.zone, London());
  EXPECT_EQ(config.holidays.size(), 1u);
}

TEST(CalendarTest, LondonZoneIsLoaded) {
  // Guards every other test: without tzdata LondonTimeZone() falls back to UTC.
  EXPECT_EQ(London().name(), "Europe/London");
}

TEST(CalendarTest, IsWorkingDay) {
  WorkingCalendar cal = LondonCalendar();
  EXPECT_TRUE(cal.IsWorkingDay(CivilDay(2026, 1, 5)));     // Monday
  EXPECT_TRUE(cal.IsWorkingDay(CivilDay(2026, 1, 9)));     // Friday
  EXPECT_FALSE(cal.IsWorkingDay(CivilDay(2026, 1, 10)));   // Saturday
  EXPECT_FALSE(cal.IsWorkingDay(CivilDay(2026, 1, 11)));   // Sunday
  EXPECT_FALSE(cal.IsWorkingDay(CivilDay(2026, 1, 1)));    // New Year's Day
  EXPECT_FALSE(cal.IsWorkingDay(CivilDay(2026, 4, 3)));    // Good Friday
  EXPECT_FALSE(cal.IsWorkingDay(CivilDay(2026, 12, 28)));  // Boxing Day (substitute)
}

TEST(CalendarTest, IsWorkingTimeBoundaries) {
  WorkingCalendar cal = LondonCalendar();
  EXPECT_FALSE(cal.IsWorkingTime(Local(2026, 1, 6, 8, 59, 59)));
  EXPECT_TRUE(cal.IsWorkingTime(Local(2026, 1, 6, 9, 0, 0)));
  EXPECT_TRUE(cal.IsWorkingTime(Local(2026, 1, 6, 16, 59, 59)));
  EXPECT_FALSE(cal.IsWorkingTime(Local(2026, 1, 6, 17, 0, 0)));   // closing time is closed
  EXPECT_FALSE(cal.IsWorkingTime(Local(2026, 1, 10, 12, 0, 0)));  // Saturday
  EXPECT_FALSE(cal.IsWorkingTime(Local(2026, 5, 4, 12, 0, 0)));   // bank holiday
  EXPECT_FALSE(cal.IsWorkingTime(absl::InfiniteFuture()));
  EXPECT_FALSE(cal.IsWorkingTime(absl::InfinitePast()));
}

TEST(CalendarTest, IsWorkingTimeFollowsLocalTimeNotUtc) {
  WorkingCalendar cal = LondonCalendar();
  absl::Time summer_0830_utc =
      absl::FromCivil(CivilSecond(2026, 7, 7, 8, 30, 0), absl::UTCTimeZone());
  absl::Time winter_0830_utc =
      absl::FromCivil(CivilSecond(2026, 1, 6, 8, 30, 0), absl::UTCTimeZone());
  EXPECT_TRUE(cal.IsWorkingTime(summer_0830_utc));   // 09:30 BST
  EXPECT_FALSE(cal.IsWorkingTime(winter_0830_utc));  // 08:30 GMT
  absl::Time summer_1630_utc =
      absl::FromCivil(CivilSecond(2026, 7, 7, 16, 30, 0), absl::UTCTimeZone());
  EXPECT_FALSE(cal.IsWorkingTime(summer_1630_utc));  // 17:30 BST
}

TEST(CalendarTest, NextWorkingTime) {
  WorkingCalendar cal = LondonCalendar();
  // Inside hours: unchanged.
  EXPECT_EQ(cal.NextWorkingTime(Local(2026, 1, 6, 11, 15, 7)), Local(2026, 1, 6, 11, 15, 7));
  // Before opening: opening the same day.
  EXPECT_EQ(cal.NextWorkingTime(Local(2026, 1, 6, 7, 0)), Local(2026, 1, 6, 9, 0));
  EXPECT_EQ(cal.NextWorkingTime(Local(2026, 1, 6, 0, 0)), Local(2026, 1, 6, 9, 0));
  // After closing: the next morning.
  EXPECT_EQ(cal.NextWorkingTime(Local(2026, 1, 6, 17, 0)), Local(2026, 1, 7, 9, 0));
  EXPECT_EQ(cal.NextWorkingTime(Local(2026, 1, 6, 23, 59, 59)), Local(2026, 1, 7, 9, 0));
  // Friday evening and the weekend: Monday morning.
  EXPECT_EQ(cal.NextWorkingTime(Local(2026, 1, 9, 17, 0)), Local(2026, 1, 12, 9, 0));
  EXPECT_EQ(cal.NextWorkingTime(Local(2026, 1, 10, 12, 0)), Local(2026, 1, 12, 9, 0));
  EXPECT_EQ(cal.NextWorkingTime(Local(2026, 1, 11, 23, 0)), Local(2026, 1, 12, 9, 0));
  // Easter: Thursday evening -> Tuesday (Good Friday and Easter Monday off).
  EXPECT_EQ(cal.NextWorkingTime(Local(2026, 4, 2, 18, 0)), Local(2026, 4, 7, 9, 0));
  // Christmas 2026: Christmas Eve Thursday evening -> Tuesday 29th.
  EXPECT_EQ(cal.NextWorkingTime(Local(2026, 12, 24, 17, 30)), Local(2026, 12, 29, 9, 0));
  // Sub-second precision is kept.
  absl::Time precise = Local(2026, 1, 6, 10, 0) + absl::Microseconds(123);
  EXPECT_EQ(cal.NextWorkingTime(precise), precise);
  EXPECT_EQ(cal.NextWorkingTime(absl::InfiniteFuture()), absl::InfiniteFuture());
}

TEST(CalendarTest, NoWorkingDaysAtAll) {
  CalendarConfig config = CalendarConfig::Default(London(), {});
  for (WorkingHours& hours : config.hours) hours = {0, 0};
  WorkingCalendar cal(config);
  absl::Time t = Local(2026, 1, 6, 10, 0);
  EXPECT_EQ(cal.NextWorkingTime(t), absl::InfiniteFuture());
  EXPECT_EQ(cal.AddWorkingTime(t, absl::Hours(1)), absl::InfiniteFuture());
  EXPECT_EQ(cal.AddWorkingDays(t, 1), absl::InfiniteFuture());
  EXPECT_EQ(cal.WorkingTimeBetween(t, t + absl::Hours(100)), absl::ZeroDuration());
}

TEST(CalendarTest, FridayAfternoonPlusTwoHoursIsMondayMorning) {
  WorkingCalendar cal = LondonCalendar();
  absl::Time due = cal.AddWorkingTime(Local(2026, 1, 9, 16, 30), absl::Hours(2));
  EXPECT_EQ(due, Local(2026, 1, 12, 10, 30)) << Show(due);
}

TEST(CalendarTest, AddWorkingTimeWithinAndAcrossDays) {
  WorkingCalendar cal = LondonCalendar();
  EXPECT_EQ(cal.AddWorkingTime(Local(2026, 1, 6, 10, 0), absl::Hours(3)), Local(2026, 1, 6, 13, 0));
  EXPECT_EQ(cal.AddWorkingTime(Local(2026, 1, 6, 16, 0), absl::Minutes(61)),
            Local(2026, 1, 7, 9, 1));
  EXPECT_EQ(cal.AddWorkingTime(Local(2026, 1, 6, 9, 0), absl::Hours(16)), Local(2026, 1, 7, 17, 0));
  EXPECT_EQ(cal.AddWorkingTime(Local(2026, 1, 5, 9, 0), absl::Hours(40)), Local(2026, 1, 9, 17, 0));
  EXPECT_EQ(cal.AddWorkingTime(Local(2026, 1, 5, 9, 0), absl::Hours(40) + absl::Seconds(1)),
            Local(2026, 1, 12, 9, 0, 1));
}

TEST(CalendarTest, ResultExactlyAtClosingStaysAtClosing) {
  WorkingCalendar cal = LondonCalendar();
  EXPECT_EQ(cal.AddWorkingTime(Local(2026, 1, 6, 16, 0), absl::Hours(1)), Local(2026, 1, 6, 17, 0));
  EXPECT_EQ(cal.AddWorkingTime(Local(2026, 1, 9, 9, 0), absl::Hours(8)), Local(2026, 1, 9, 17, 0));
}

TEST(CalendarTest, StartOutsideHours) {
  WorkingCalendar cal = LondonCalendar();
  // Before opening: the clock starts at 09:00.
  EXPECT_EQ(cal.AddWorkingTime(Local(2026, 1, 6, 7, 0), absl::Minutes(30)),
            Local(2026, 1, 6, 9, 30));
  // After closing: the next morning.
  EXPECT_EQ(cal.AddWorkingTime(Local(2026, 1, 6, 20, 0), absl::Hours(1)), Local(2026, 1, 7, 10, 0));
  // Weekend: Monday.
  EXPECT_EQ(cal.AddWorkingTime(Local(2026, 1, 10, 10, 0), absl::Hours(1)),
            Local(2026, 1, 12, 10, 0));
}

TEST(CalendarTest, ZeroAndNegativeDurations) {
  WorkingCalendar cal = LondonCalendar();
  absl::Time saturday = Local(2026, 1, 10, 10, 0);
  EXPECT_EQ(cal.AddWorkingTime(saturday, absl::ZeroDuration()), Local(2026, 1, 12, 9, 0));
  EXPECT_EQ(cal.AddWorkingTime(saturday, -absl::Hours(1)), saturday);
  EXPECT_EQ(cal.AddWorkingTime(saturday, absl::InfiniteDuration()), absl::InfiniteFuture());
  EXPECT_EQ(cal.AddWorkingDays(saturday, 0), Local(2026, 1, 12, 9, 0));
  EXPECT_EQ(cal.AddWorkingDays(saturday, -3), Local(2026, 1, 12, 9, 0));
}

TEST(CalendarTest, BankHolidayMonday) {
  WorkingCalendar cal = LondonCalendar();
  // Early May bank holiday, Monday 4 May 2026.
  EXPECT_EQ(cal.AddWorkingTime(Local(2026, 5, 1, 16, 0), absl::Hours(2)), Local(2026, 5, 5, 10, 0));
  EXPECT_EQ(cal.AddWorkingDays(Local(2026, 5, 1, 10, 0), 1), Local(2026, 5, 5, 10, 0));
  EXPECT_EQ(cal.WorkingTimeBetween(Local(2026, 5, 1, 16, 0), Local(2026, 5, 5, 10, 0)),
            absl::Hours(2));
}

TEST(CalendarTest, ChristmasHolidayRuns) {
  WorkingCalendar cal = LondonCalendar();
  // 2026: Christmas Friday, Boxing Day substitute Monday 28th.
  EXPECT_EQ(cal.AddWorkingTime(Local(2026, 12, 24, 16, 0), absl::Hours(2)),
            Local(2026, 12, 29, 10, 0));
  // 2027: Christmas Saturday, substitutes Monday 27th and Tuesday 28th.
  EXPECT_EQ(cal.AddWorkingTime(Local(2027, 12, 24, 16, 0), absl::Hours(2)),
            Local(2027, 12, 29, 10, 0));
  // New Year's Day 2028 is a Saturday: substitute Monday 3 January.
  EXPECT_EQ(cal.AddWorkingTime(Local(2027, 12, 31, 16, 0), absl::Hours(2)),
            Local(2028, 1, 4, 10, 0));
  // The week of 21 December 2026 has four working days.
  EXPECT_EQ(cal.WorkingTimeBetween(Local(2026, 12, 21), Local(2026, 12, 28)), absl::Hours(32));
}

TEST(CalendarTest, SpringForwardWeekend) {
  // Clocks go forward at 01:00 GMT on Sunday 29 March 2026.
  WorkingCalendar cal = LondonCalendar();
  absl::Time friday = Local(2026, 3, 27, 16, 0);  // GMT
  absl::Time due = cal.AddWorkingTime(friday, absl::Hours(2));
  EXPECT_EQ(ToLocal(due), CivilSecond(2026, 3, 30, 10, 0, 0)) << Show(due);  // BST
  EXPECT_EQ(due - friday, absl::Hours(24 * 2 + 18 - 1));  // one hour fewer on the wall clock
  EXPECT_EQ(cal.WorkingTimeBetween(friday, due), absl::Hours(2));
  EXPECT_EQ(ToLocal(cal.AddWorkingDays(Local(2026, 3, 27, 10, 0), 1)),
            CivilSecond(2026, 3, 30, 10, 0, 0));
  // 09:00 BST is 08:00 UTC.
  EXPECT_EQ(cal.NextWorkingTime(Local(2026, 3, 28, 12, 0)),
            absl::FromCivil(CivilSecond(2026, 3, 30, 8, 0, 0), absl::UTCTimeZone()));
}

TEST(CalendarTest, FallBackWeekend) {
  // Clocks go back at 02:00 BST on Sunday 25 October 2026.
  WorkingCalendar cal = LondonCalendar();
  absl::Time friday = Local(2026, 10, 23, 16, 0);  // BST
  absl::Time due = cal.AddWorkingTime(friday, absl::Hours(2));
  EXPECT_EQ(ToLocal(due), CivilSecond(2026, 10, 26, 10, 0, 0)) << Show(due);  // GMT
  EXPECT_EQ(due - friday, absl::Hours(24 * 2 + 18 + 1));
  EXPECT_EQ(cal.WorkingTimeBetween(friday, due), absl::Hours(2));
  EXPECT_EQ(ToLocal(cal.AddWorkingDays(Local(2026, 10, 23, 10, 0), 1)),
            CivilSecond(2026, 10, 26, 10, 0, 0));
}

TEST(CalendarTest, RoundTheClockCalendarCountsRealHoursOnChangeDays) {
  WorkingCalendar cal = EveryDay(0, 24 * 60);
  // The spring-forward day has 23 hours, the fall-back day 25.
  EXPECT_EQ(cal.WorkingTimeBetween(Local(2026, 3, 29), Local(2026, 3, 30)), absl::Hours(23));
  EXPECT_EQ(cal.WorkingTimeBetween(Local(2026, 10, 25), Local(2026, 10, 26)), absl::Hours(25));
  // 24 working hours from Saturday noon GMT lands at Sunday 13:00 BST.
  EXPECT_EQ(ToLocal(cal.AddWorkingTime(Local(2026, 3, 28, 12, 0), absl::Hours(24))),
            CivilSecond(2026, 3, 29, 13, 0, 0));
  // Midnight-to-midnight days join up: a week is 7 * 24 hours bar the hour lost.
  EXPECT_EQ(cal.WorkingTimeBetween(Local(2026, 3, 23), Local(2026, 3, 30)),
            absl::Hours(7 * 24 - 1));
  EXPECT_TRUE(cal.IsWorkingTime(Local(2026, 3, 29, 0, 30)));
  EXPECT_TRUE(cal.IsWorkingTime(Local(2026, 3, 29, 23, 59)));
}

TEST(CalendarTest, HoursInsideTheSkippedHour) {
  // 01:30-01:45 does not exist on 29 March 2026 in London.
  WorkingCalendar cal = EveryDay(90, 105);
  EXPECT_EQ(cal.WorkingTimeBetween(Local(2026, 3, 29), Local(2026, 3, 30)), absl::ZeroDuration());
  EXPECT_EQ(cal.WorkingTimeBetween(Local(2026, 3, 28), Local(2026, 3, 29)), absl::Minutes(15));
  EXPECT_EQ(ToLocal(cal.NextWorkingTime(Local(2026, 3, 28, 2, 0))),
            CivilSecond(2026, 3, 30, 1, 30, 0));
  // Hours that straddle the skipped hour lose it: 00:30-02:30 is one real hour.
  WorkingCalendar straddling = EveryDay(30, 150);
  EXPECT_EQ(straddling.WorkingTimeBetween(Local(2026, 3, 29), Local(2026, 3, 30)), absl::Hours(1));
  // ... and gain the repeated hour in autumn: 00:30-02:30 is three real hours.
  EXPECT_EQ(straddling.WorkingTimeBetween(Local(2026, 10, 25), Local(2026, 10, 26)),
            absl::Hours(3));
}

TEST(CalendarTest, AddWorkingDaysKeepsTimeOfDay) {
  WorkingCalendar cal = LondonCalendar();
  EXPECT_EQ(cal.AddWorkingDays(Local(2026, 1, 5, 10, 0), 5), Local(2026, 1, 12, 10, 0));
  EXPECT_EQ(cal.AddWorkingDays(Local(2026, 1, 9, 10, 0), 1), Local(2026, 1, 12, 10, 0));
  EXPECT_EQ(cal.AddWorkingDays(Local(2026, 1, 6, 14, 25, 13), 2), Local(2026, 1, 8, 14, 25, 13));
  // Starting outside hours starts from the next opening.
  EXPECT_EQ(cal.AddWorkingDays(Local(2026, 1, 10, 12, 0), 1), Local(2026, 1, 13, 9, 0));
  EXPECT_EQ(cal.AddWorkingDays(Local(2026, 1, 6, 18, 0), 1), Local(2026, 1, 8, 9, 0));
  // Holidays are skipped.
  EXPECT_EQ(cal.AddWorkingDays(Local(2026, 12, 23, 11, 0), 2), Local(2026, 12, 29, 11, 0));
  // Sub-second precision is kept.
  absl::Time precise = Local(2026, 1, 6, 10, 0) + absl::Milliseconds(250);
  EXPECT_EQ(cal.AddWorkingDays(precise, 1), Local(2026, 1, 7, 10, 0) + absl::Milliseconds(250));
}

TEST(CalendarTest, AddWorkingDaysClampsIntoShorterHours) {
  CalendarConfig config = CalendarConfig::Default(London(), {});
  config.hours[static_cast<int>(absl::Weekday::friday)] = {9 * 60, 12 * 60};
  config.hours[static_cast<int>(absl::Weekday::monday)] = {10 * 60, 17 * 60};
  WorkingCalendar cal(config);
  EXPECT_EQ(cal.AddWorkingDays(Local(2026, 1, 8, 15, 0), 1), Local(2026, 1, 9, 12, 0));
  EXPECT_EQ(cal.AddWorkingDays(Local(2026, 1, 9, 9, 30), 1), Local(2026, 1, 12, 10, 0));
}

TEST(CalendarTest, LongSlaTwoHundredWorkingDays) {
  // Day 1 is Monday 5 January 2026; the 200th working day (England & Wales
  // bank holidays excluded) is Friday 16 October 2026 (checked in Python).
  WorkingCalendar cal = LondonCalendar();
  absl::Time start = Local(2026, 1, 5, 9, 0);
  EXPECT_EQ(cal.AddWorkingDays(start, 199), Local(2026, 10, 16, 9, 0));
  EXPECT_EQ(cal.AddWorkingDays(start, 200), Local(2026, 10, 19, 9, 0));
  EXPECT_EQ(cal.AddWorkingTime(start, absl::Hours(200 * 8)), Local(2026, 10, 16, 17, 0));
  EXPECT_EQ(cal.WorkingTimeBetween(start, Local(2026, 10, 16, 17, 0)), absl::Hours(200 * 8));
}

TEST(CalendarTest, WorkingTimeBetween) {
  WorkingCalendar cal = LondonCalendar();
  EXPECT_EQ(cal.WorkingTimeBetween(Local(2026, 1, 9, 16, 30), Local(2026, 1, 12, 10, 30)),
            absl::Hours(2));
  EXPECT_EQ(cal.WorkingTimeBetween(Local(2026, 1, 12, 10, 30), Local(2026, 1, 9, 16, 30)),
            absl::ZeroDuration());
  absl::Time t = Local(2026, 1, 6, 10, 0);
  EXPECT_EQ(cal.WorkingTimeBetween(t, t), absl::ZeroDuration());
  EXPECT_EQ(cal.WorkingTimeBetween(Local(2026, 1, 10), Local(2026, 1, 12)), absl::ZeroDuration());
  EXPECT_EQ(cal.WorkingTimeBetween(Local(2026, 1, 6, 7, 0), Local(2026, 1, 6, 8, 0)),
            absl::ZeroDuration());
  EXPECT_EQ(cal.WorkingTimeBetween(Local(2026, 1, 6, 7, 0), Local(2026, 1, 6, 9, 30)),
            absl::Minutes(30));
  EXPECT_EQ(cal.WorkingTimeBetween(Local(2026, 1, 5), Local(2026, 1, 12)), absl::Hours(40));
  // All of 2026: 261 weekdays less 8 bank holidays.
  EXPECT_EQ(cal.WorkingTimeBetween(Local(2026, 1, 1), Local(2027, 1, 1)), absl::Hours(253 * 8));
  EXPECT_EQ(cal.WorkingTimeBetween(absl::InfinitePast(), t), absl::InfiniteDuration());
}

// WorkingTimeBetween(t, AddWorkingTime(t, d)) == d, for many random t and d,
// and the result is never before t, never outside working hours (closing time
// aside) and grows with d.
void CheckAddAndBetweenAgree(const WorkingCalendar& cal, absl::Time range_start,
                             absl::Duration range, absl::Duration max_duration, int samples,
                             uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int64_t> start_offset(0, absl::ToInt64Milliseconds(range));
  std::uniform_int_distribution<int64_t> duration_ms(0, absl::ToInt64Milliseconds(max_duration));
  for (int sample_idx = 0; sample_idx < samples; ++sample_idx) {
    absl::Time t = range_start + absl::Milliseconds(start_offset(rng));
    // Every fourth sample uses whole minutes, which hit boundaries exactly.
    absl::Duration d = absl::Milliseconds(duration_ms(rng));
    if (sample_idx % 4 == 0) d = absl::Floor(d, absl::Minutes(1));
    absl::Time due = cal.AddWorkingTime(t, d);
    ASSERT_EQ(cal.WorkingTimeBetween(t, due), d) << "t=" << Show(t) << " d=" << d;
    ASSERT_GE(due, t);
    if (d > absl::ZeroDuration()) {
      // The last millisecond counted was working time (so `due` is inside
      // hours or exactly at a closing time).
      ASSERT_TRUE(cal.IsWorkingTime(due - absl::Milliseconds(1))) << "due=" << Show(due);
      absl::Time later = cal.AddWorkingTime(t, d + absl::Milliseconds(1));
      ASSERT_GT(later, due);
    } else {
      ASSERT_EQ(due, cal.NextWorkingTime(t));
    }
  }
}

TEST(CalendarPropertyTest, AddWorkingTimeAndWorkingTimeBetweenAgree) {
  WorkingCalendar cal(CalendarConfig::Default(London(), SomeBankHolidays()));
  CheckAddAndBetweenAgree(cal, Local(2025, 12, 1), absl::Hours(24 * 500), absl::Hours(8 * 30), 3000,
                          20261225);
}

TEST(CalendarPropertyTest, AgreeAcrossClockChangesWithNightHours) {
  // Hours around the 01:00-02:00 transitions exercise the skipped and repeated hours.
  WorkingCalendar night = EveryDay(30, 180);
  CheckAddAndBetweenAgree(night, Local(2026, 3, 20), absl::Hours(24 * 14), absl::Hours(30), 1500,
                          329);
  CheckAddAndBetweenAgree(night, Local(2026, 10, 18), absl::Hours(24 * 14), absl::Hours(30), 1500,
                          1025);
  WorkingCalendar all_day = EveryDay(0, 24 * 60);
  CheckAddAndBetweenAgree(all_day, Local(2026, 3, 20), absl::Hours(24 * 230), absl::Hours(24 * 60),
                          1500, 7);
}

TEST(CalendarParseHolidayListTest, ParsesDatesCommentsAndBlankLines) {
  auto days = ParseHolidayList(
      "# England and Wales\n"
      "\n"
      "2026-12-25  # Christmas Day\n"
      "2026-12-28\r\n"
      "   2027-01-01   \n"
      "2026-12-25 # repeated, harmless\n"
      "\t# indented comment\n"
      "2028-02-29");
  ASSERT_TRUE(days.ok()) << days.status();
  EXPECT_EQ(*days, (std::set<CivilDay>{CivilDay(2026, 12, 25), CivilDay(2026, 12, 28),
                                       CivilDay(2027, 1, 1), CivilDay(2028, 2, 29)}));
}

TEST(CalendarParseHolidayListTest, EmptyTextIsNoHolidays) {
  auto days = ParseHolidayList("");
  ASSERT_TRUE(days.ok());
  EXPECT_TRUE(days->empty());
  EXPECT_TRUE(ParseHolidayList("# nothing yet\n\n")->empty());
}

TEST(CalendarParseHolidayListTest, RejectsBadLinesNamingTheLine) {
  for (std::string_view bad :
       {"2026-02-30", "2027-02-29", "2026-13-01", "2026-00-10", "2026-1-01", "26-12-25",
        "2026/12/25", "2026-12-25x", "Christmas", "2026-12-25 2026-12-26", "+026-12-25"}) {
    std::string text = "2026-12-25\n# comment\n" + std::string(bad) + "\n";
    auto days = ParseHolidayList(text);
    ASSERT_FALSE(days.ok()) << bad;
    EXPECT_EQ(days.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(days.status().message().find("line 3"), std::string_view::npos) << days.status();
  }
}

// The shipped list, data/bank-holidays-england-and-wales.txt.
class CalendarShippedHolidaysTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* source_dir = std::getenv("ONESTOP_SOURCE_DIR");
    if (source_dir == nullptr) GTEST_SKIP() << "ONESTOP_SOURCE_DIR not set (ctest sets it)";
    std::string path = std::string(source_dir) + "/data/bank-holidays-england-and-wales.txt";
    std::ifstream in(path);
    ASSERT_TRUE(in) << "cannot open " << path;
    std::stringstream text;
    text << in.rdbuf();
    auto parsed = ParseHolidayList(text.str());
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    days_ = *std::move(parsed);
  }
  std::set<CivilDay> days_;
};

TEST_F(CalendarShippedHolidaysTest, EightAYearPlusTheSpecialDays) {
  std::map<int, int> per_year;
  for (CivilDay day : days_) ++per_year[static_cast<int>(day.year())];
  for (int year = 2020; year <= 2030; ++year) {
    int expected = year == 2022 ? 10 : year == 2023 ? 9 : 8;
    EXPECT_EQ(per_year[year], expected) << year;
  }
  EXPECT_EQ(per_year.size(), 11u);  // nothing outside 2020-2030
  EXPECT_EQ(days_.size(), 11u * 8 + 3);
}

TEST_F(CalendarShippedHolidaysTest, AllAreWeekdays) {
  for (CivilDay day : days_) {
    absl::Weekday weekday = absl::GetWeekday(day);
    EXPECT_NE(weekday, absl::Weekday::saturday) << day;
    EXPECT_NE(weekday, absl::Weekday::sunday) << day;
  }
}

TEST_F(CalendarShippedHolidaysTest, KnownDates) {
  for (CivilDay day : {
           CivilDay(2020, 5, 8),                            // VE Day (early May moved from the 4th)
           CivilDay(2020, 12, 28),                          // Boxing Day substitute (Saturday)
           CivilDay(2021, 12, 27), CivilDay(2021, 12, 28),  // Christmas on Saturday
           CivilDay(2022, 1, 3),                            // New Year on Saturday
           CivilDay(2022, 6, 2),   CivilDay(2022, 6, 3),    // Platinum Jubilee
           CivilDay(2022, 9, 19),                           // State Funeral
           CivilDay(2022, 12, 26), CivilDay(2022, 12, 27),  // Christmas on Sunday
           CivilDay(2023, 1, 2),                            // New Year on Sunday
           CivilDay(2023, 5, 1),   CivilDay(2023, 5, 8),    // early May, Coronation
           CivilDay(2024, 3, 29),  CivilDay(2024, 4, 1),    // Easter 2024
           CivilDay(2025, 4, 18),  CivilDay(2025, 4, 21),   // Easter 2025
           CivilDay(2025, 5, 5),   CivilDay(2025, 5, 26),
           CivilDay(2025, 8, 25),  CivilDay(2026, 4, 3),
           CivilDay(2026, 4, 6),                            // Easter 2026
           CivilDay(2026, 12, 25), CivilDay(2026, 12, 28),  // Boxing Day on Saturday
           CivilDay(2027, 3, 26),  CivilDay(2027, 3, 29),   // Easter 2027
           CivilDay(2027, 12, 27), CivilDay(2027, 12, 28),
           CivilDay(2028, 1, 3),                           // New Year on Saturday
           CivilDay(2030, 4, 19),  CivilDay(2030, 4, 22),  // Easter 2030
       }) {
    EXPECT_TRUE(days_.contains(day)) << day;
  }
  // Days the specials replaced are working days.
  EXPECT_FALSE(days_.contains(CivilDay(2020, 5, 4)));
  EXPECT_FALSE(days_.contains(CivilDay(2022, 5, 30)));
}

TEST_F(CalendarShippedHolidaysTest, WorksAsACalendar) {
  WorkingCalendar cal(CalendarConfig::Default(London(), days_));
  EXPECT_EQ(cal.AddWorkingTime(Local(2022, 6, 1, 16, 0), absl::Hours(2)), Local(2022, 6, 6, 10, 0));
  EXPECT_EQ(cal.AddWorkingDays(Local(2026, 12, 24, 10, 0), 1), Local(2026, 12, 29, 10, 0));
}

}  // namespace
}  // namespace onestop::domain
