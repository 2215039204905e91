// The working calendar that SLA clocks run on: opening hours per weekday in a
// time zone (Europe/London by default) minus public holidays. Pure: the
// holiday list is passed in (the app loads it from data/).
//
// Thread-safe after construction (const methods only).
#pragma once

#include <array>
#include <optional>
#include <set>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace onestop::domain {

struct WorkingHours {
  // Minutes after midnight local time; open == close means closed all day.
  int open_minute = 9 * 60;
  int close_minute = 17 * 60;
  bool closed() const { return open_minute >= close_minute; }
};

struct CalendarConfig {
  absl::TimeZone zone;  // default-constructed = UTC; use LondonTimeZone()
  // Indexed by absl::Weekday as int: monday=0 ... sunday=6.
  std::array<WorkingHours, 7> hours;
  std::set<absl::CivilDay> holidays;

  // Mon–Fri 09:00–17:00, Sat/Sun closed, in `zone`, with `holidays`.
  static CalendarConfig Default(absl::TimeZone zone, std::set<absl::CivilDay> holidays);
};

class WorkingCalendar {
 public:
  explicit WorkingCalendar(CalendarConfig config);

  // True if `t` falls inside working hours on a working day.
  bool IsWorkingTime(absl::Time t) const;
  bool IsWorkingDay(absl::CivilDay day) const;

  // The first working instant at or after `t`.
  absl::Time NextWorkingTime(absl::Time t) const;

  // Adds `d` of working time to `t`. A result exactly at closing time stays at
  // closing time (not the next opening). d <= 0 returns NextWorkingTime(t)
  // for d == 0 and t for negative d.
  absl::Time AddWorkingTime(absl::Time t, absl::Duration d) const;

  // Adds `days` working days: from NextWorkingTime(t), moves forward `days`
  // working days keeping the same local time of day (clamped into that day's
  // hours). E.g. Mon 10:00 + 5 working days = next Mon 10:00 (no holidays).
  absl::Time AddWorkingDays(absl::Time t, int days) const;

  // Working time between `from` and `to` (zero if to <= from).
  absl::Duration WorkingTimeBetween(absl::Time from, absl::Time to) const;

  const CalendarConfig& config() const { return config_; }

 private:
  CalendarConfig config_;
};

// Parses the shipped holiday list: a JSON-free text format, one ISO date
// "YYYY-MM-DD" per line, '#' comments (whole-line or after the date, e.g.
// "2026-12-25  # Christmas Day") and blank lines ignored.
absl::StatusOr<std::set<absl::CivilDay>> ParseHolidayList(std::string_view text);

}  // namespace onestop::domain
