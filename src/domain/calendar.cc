#include "domain/calendar.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace onestop::domain {
namespace {

constexpr int kMinutesPerDay = 24 * 60;

int WeekdayIndex(absl::CivilDay day) {
  // absl::Weekday is monday=0 ... sunday=6, the same order as `hours`.
  return static_cast<int>(absl::GetWeekday(day));
}

// The instant a local wall-clock time names. Times skipped by a spring-forward
// change map to the transition instant (the first real instant after them);
// times repeated by a fall-back change map to their first occurrence.
absl::Time LocalToAbsolute(absl::CivilSecond local, const absl::TimeZone& zone) {
  absl::TimeZone::TimeInfo info = zone.At(local);
  if (info.kind == absl::TimeZone::TimeInfo::SKIPPED) return info.trans;
  return info.pre;
}

// A working day's hours as instants. Not working if the day is closed, a
// holiday, or its hours vanish into a skipped (spring-forward) hour.
struct Span {
  bool working = false;
  absl::Time open;
  absl::Time close;
};

bool IsWorkingDayIn(const CalendarConfig& config, absl::CivilDay day) {
  return !config.hours[WeekdayIndex(day)].closed() && !config.holidays.contains(day);
}

Span SpanOf(const CalendarConfig& config, absl::CivilDay day) {
  if (!IsWorkingDayIn(config, day)) return Span{};
  const WorkingHours& hours = config.hours[WeekdayIndex(day)];
  absl::CivilSecond midnight(day);
  Span span;
  span.open = LocalToAbsolute(midnight + hours.open_minute * 60, config.zone);
  span.close = LocalToAbsolute(midnight + hours.close_minute * 60, config.zone);
  span.working = span.open < span.close;
  return span;
}

bool HasWorkingWeekday(const CalendarConfig& config) {
  return std::any_of(config.hours.begin(), config.hours.end(),
                     [](const WorkingHours& h) { return !h.closed(); });
}

bool IsInfinite(absl::Time t) { return t == absl::InfiniteFuture() || t == absl::InfinitePast(); }

bool IsAsciiDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int ToInt(std::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

}  // namespace

CalendarConfig CalendarConfig::Default(absl::TimeZone zone, std::set<absl::CivilDay> holidays) {
  CalendarConfig config;
  config.zone = zone;
  for (int weekday = 0; weekday < 7; ++weekday) {
    config.hours[weekday] = weekday < 5 ? WorkingHours{9 * 60, 17 * 60} : WorkingHours{0, 0};
  }
  config.holidays = std::move(holidays);
  return config;
}

WorkingCalendar::WorkingCalendar(CalendarConfig config) : config_(std::move(config)) {
  // Out-of-range minutes would make the day arithmetic below spill into
  // neighbouring days; clamp them into [00:00, 24:00].
  for (WorkingHours& hours : config_.hours) {
    hours.open_minute = std::clamp(hours.open_minute, 0, kMinutesPerDay);
    hours.close_minute = std::clamp(hours.close_minute, 0, kMinutesPerDay);
  }
}

bool WorkingCalendar::IsWorkingDay(absl::CivilDay day) const {
  return IsWorkingDayIn(config_, day);
}

bool WorkingCalendar::IsWorkingTime(absl::Time t) const {
  if (IsInfinite(t)) return false;
  Span span = SpanOf(config_, absl::ToCivilDay(t, config_.zone));
  return span.working && span.open <= t && t < span.close;
}

absl::Time WorkingCalendar::NextWorkingTime(absl::Time t) const {
  if (IsInfinite(t)) return t;
  if (!HasWorkingWeekday(config_)) return absl::InfiniteFuture();
  // Terminates: some weekday has hours and the holiday set is finite.
  for (absl::CivilDay day = absl::ToCivilDay(t, config_.zone);; ++day) {
    Span span = SpanOf(config_, day);
    if (span.working && t < span.close) return std::max(t, span.open);
  }
}

absl::Time WorkingCalendar::AddWorkingTime(absl::Time t, absl::Duration d) const {
  if (d < absl::ZeroDuration()) return t;
  absl::Time cursor = NextWorkingTime(t);
  if (d == absl::ZeroDuration()) return cursor;
  if (d == absl::InfiniteDuration()) return absl::InfiniteFuture();
  absl::Duration remaining = d;
  // One iteration per working day, so long SLAs cost a few hundred steps.
  while (!IsInfinite(cursor)) {
    Span span = SpanOf(config_, absl::ToCivilDay(cursor, config_.zone));
    absl::Duration available = span.close - cursor;
    if (remaining <= available) return cursor + remaining;
    remaining -= available;
    cursor = NextWorkingTime(span.close);
  }
  return cursor;
}

absl::Time WorkingCalendar::AddWorkingDays(absl::Time t, int days) const {
  absl::Time start = NextWorkingTime(t);
  if (days <= 0 || IsInfinite(start)) return start;
  absl::CivilSecond local = absl::ToCivilSecond(start, config_.zone);
  absl::CivilDay day(local);
  absl::Duration time_of_day = absl::Seconds(local - absl::CivilSecond(day));
  // Keep the sub-second part, which civil time drops.
  absl::Duration since_epoch = start - absl::UnixEpoch();
  absl::Duration fraction = since_epoch - absl::Floor(since_epoch, absl::Seconds(1));

  Span span;
  for (int moved = 0; moved < days;) {
    ++day;
    span = SpanOf(config_, day);
    if (span.working) ++moved;
  }
  absl::Time target =
      LocalToAbsolute(absl::CivilSecond(day) + absl::ToInt64Seconds(time_of_day), config_.zone) +
      fraction;
  return std::clamp(target, span.open, span.close);
}

absl::Duration WorkingCalendar::WorkingTimeBetween(absl::Time from, absl::Time to) const {
  if (to <= from || !HasWorkingWeekday(config_)) return absl::ZeroDuration();
  if (from == absl::InfinitePast() || to == absl::InfiniteFuture()) {
    return absl::InfiniteDuration();
  }
  absl::Duration total = absl::ZeroDuration();
  for (absl::Time cursor = NextWorkingTime(from); cursor < to;) {
    Span span = SpanOf(config_, absl::ToCivilDay(cursor, config_.zone));
    total += std::min(span.close, to) - cursor;
    cursor = NextWorkingTime(span.close);
  }
  return total;
}

absl::StatusOr<std::set<absl::CivilDay>> ParseHolidayList(std::string_view text) {
  std::set<absl::CivilDay> days;
  int line_number = 0;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    ++line_number;

    if (size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    std::string trimmed(line);
    absl::StripAsciiWhitespace(&trimmed);
    if (trimmed.empty()) continue;

    std::string_view s = trimmed;
    bool shaped = s.size() == 10 && s[4] == '-' && s[7] == '-' && IsAsciiDigits(s.substr(0, 4)) &&
                  IsAsciiDigits(s.substr(5, 2)) && IsAsciiDigits(s.substr(8, 2));
    if (shaped) {
      int year = ToInt(s.substr(0, 4));
      int month = ToInt(s.substr(5, 2));
      int day_of_month = ToInt(s.substr(8, 2));
      absl::CivilDay day(year, month, day_of_month);
      // CivilDay normalises 2026-02-30 to 2026-03-02; a changed field means
      // the date does not exist.
      if (day.year() == year && day.month() == month && day.day() == day_of_month) {
        days.insert(day);
        continue;
      }
    }
    return absl::InvalidArgumentError(absl::StrCat("holiday list line ", line_number,
                                                   ": expected YYYY-MM-DD, got \"", trimmed, "\""));
  }
  return days;
}

}  // namespace onestop::domain
