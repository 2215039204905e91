#include "domain/form_validation.h"

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/status.h"

namespace onestop::domain {
namespace {

constexpr size_t kMaxStringChars = 1000;
constexpr size_t kMaxTextChars = 10000;
constexpr size_t kMaxNumberLength = 64;  // longer "numbers" are junk, not precision

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), IsDigit);
}

int ToInt(std::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

// Number of UTF-8 characters, or nullopt if `s` is not valid UTF-8.
std::optional<size_t> Utf8Length(std::string_view s) {
  size_t count = 0;
  for (size_t pos = 0; pos < s.size(); ++count) {
    auto byte = static_cast<unsigned char>(s[pos]);
    size_t extra = 0;
    uint32_t code_point = 0;
    if (byte < 0x80) {
      extra = 0;
      code_point = byte;
    } else if ((byte & 0xE0) == 0xC0) {
      extra = 1;
      code_point = byte & 0x1F;
    } else if ((byte & 0xF0) == 0xE0) {
      extra = 2;
      code_point = byte & 0x0F;
    } else if ((byte & 0xF8) == 0xF0) {
      extra = 3;
      code_point = byte & 0x07;
    } else {
      return std::nullopt;
    }
    if (pos + extra >= s.size()) return std::nullopt;  // truncated sequence
    for (size_t i = 1; i <= extra; ++i) {
      auto next = static_cast<unsigned char>(s[pos + i]);
      if ((next & 0xC0) != 0x80) return std::nullopt;
      code_point = (code_point << 6) | (next & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    static constexpr uint32_t kMinForLength[] = {0, 0x80, 0x800, 0x10000};
    if (code_point < kMinForLength[extra] || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return std::nullopt;
    }
    pos += extra + 1;
  }
  return count;
}

bool HasControlChar(std::string_view s, bool allow_line_breaks_and_tabs) {
  for (unsigned char c : s) {
    if (c >= 0x20 && c != 0x7F) continue;
    if (allow_line_breaks_and_tabs && (c == '\n' || c == '\r' || c == '\t')) continue;
    return true;
  }
  return false;
}

// Decimal with optional sign and fraction, no exponent: [+-]?[0-9]+(\.[0-9]+)?
// Canonical: no leading '+', no trailing zeros in the fraction (and no '.'
// left behind). Other digits are kept as typed ("007" stays "007").
std::optional<std::string> CanonicalNumber(std::string_view s) {
  if (s.size() > kMaxNumberLength) return std::nullopt;
  std::string_view sign;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    if (s[0] == '-') sign = "-";
    s.remove_prefix(1);
  }
  size_t dot = s.find('.');
  std::string_view whole = s.substr(0, dot);
  std::string_view fraction =
      dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
  if (!AllDigits(whole)) return std::nullopt;
  if (dot != std::string_view::npos && !AllDigits(fraction)) return std::nullopt;
  while (!fraction.empty() && fraction.back() == '0') fraction.remove_suffix(1);
  std::string out = std::string(sign) + std::string(whole);
  if (!fraction.empty()) {
    out.push_back('.');
    out.append(fraction);
  }
  return out;
}

// A valid calendar date from "YYYY-MM-DD", or nullopt.
std::optional<absl::CivilDay> ParseDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !AllDigits(s.substr(0, 4)) ||
      !AllDigits(s.substr(5, 2)) || !AllDigits(s.substr(8, 2))) {
    return std::nullopt;
  }
  int year = ToInt(s.substr(0, 4));
  int month = ToInt(s.substr(5, 2));
  int day_of_month = ToInt(s.substr(8, 2));
  absl::CivilDay day(year, month, day_of_month);
  // CivilDay normalises (Feb 30 -> Mar 2); a changed field means no such date.
  if (day.year() != year || day.month() != month || day.day() != day_of_month) return std::nullopt;
  return day;
}

// RFC 3339 date-time: YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM), 'T' and
// 'Z' in either case. Leap seconds (":60") are not accepted.
std::optional<absl::Time> ParseRfc3339DateTime(std::string_view s) {
  if (s.size() < 20) return std::nullopt;
  std::optional<absl::CivilDay> day = ParseDate(s.substr(0, 10));
  if (!day || (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':' ||
      !AllDigits(s.substr(11, 2)) || !AllDigits(s.substr(14, 2)) || !AllDigits(s.substr(17, 2))) {
    return std::nullopt;
  }
  int hour = ToInt(s.substr(11, 2));
  int minute = ToInt(s.substr(14, 2));
  int second = ToInt(s.substr(17, 2));
  if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
  std::string_view rest = s.substr(19);

  absl::Duration fraction = absl::ZeroDuration();
  if (!rest.empty() && rest[0] == '.') {
    size_t digits = 1;
    while (digits < rest.size() && IsDigit(rest[digits])) ++digits;
    std::string_view fraction_digits = rest.substr(1, digits - 1);
    if (fraction_digits.empty() || fraction_digits.size() > 9) return std::nullopt;
    int64_t nanos = 0;
    for (size_t i = 0; i < 9; ++i) {
      nanos = nanos * 10 + (i < fraction_digits.size() ? fraction_digits[i] - '0' : 0);
    }
    fraction = absl::Nanoseconds(nanos);
    rest.remove_prefix(digits);
  }

  absl::Duration offset = absl::ZeroDuration();
  if (rest == "Z" || rest == "z") {
    // UTC
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':' &&
             AllDigits(rest.substr(1, 2)) && AllDigits(rest.substr(4, 2))) {
    int offset_hours = ToInt(rest.substr(1, 2));
    int offset_minutes = ToInt(rest.substr(4, 2));
    if (offset_hours > 23 || offset_minutes > 59) return std::nullopt;
    offset = absl::Hours(offset_hours) + absl::Minutes(offset_minutes);
    if (rest[0] == '-') offset = -offset;
  } else {
    return std::nullopt;
  }
  absl::CivilSecond local(day->year(), day->month(), day->day(), hour, minute, second);
  return absl::FromCivil(local, absl::UTCTimeZone()) - offset + fraction;
}

// Canonical datetime value: plain dates unchanged, date-times as RFC 3339 UTC
// with whole seconds ("2026-11-25T08:30:00Z"), or with the fraction when one
// was given ("2026-11-25T08:30:00.25Z").
std::optional<std::string> CanonicalDatetime(std::string_view s) {
  if (s.size() == 10) {
    if (!ParseDate(s)) return std::nullopt;
    return std::string(s);
  }
  std::optional<absl::Time> t = ParseRfc3339DateTime(s);
  if (!t) return std::nullopt;
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E*SZ", *t, absl::UTCTimeZone());
}

bool IsAllowedKey(const FormField& field, std::string_view key) {
  return std::any_of(field.values.begin(), field.values.end(),
                     [&](const AllowedValue& v) { return v.key == key; });
}

std::string FieldName(std::string_view code) { return "values." + std::string(code); }

// Validates one field's non-blank, trimmed values; returns the canonical
// values or adds an error.
std::optional<std::vector<std::string>> CheckField(const FormField& field,
                                                   const std::vector<std::string>& values,
                                                   std::vector<FieldError>& errors) {
  auto fail = [&](std::string code, std::string reason,
                  std::vector<std::pair<std::string, std::string>> params = {}) {
    errors.push_back(
        {FieldName(field.code), std::move(code), std::move(reason), std::move(params)});
    return std::nullopt;
  };
  if (field.datatype != Datatype::kMultiValueList && values.size() > 1) {
    return fail("invalid", "one_answer_only");
  }
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const std::string& value : values) {
    switch (field.datatype) {
      case Datatype::kString:
      case Datatype::kText: {
        bool is_text = field.datatype == Datatype::kText;
        std::optional<size_t> length = Utf8Length(value);
        if (!length || HasControlChar(value, /*allow_line_breaks_and_tabs=*/is_text)) {
          return fail("invalid", is_text ? "answer_characters" : "answer_one_line");
        }
        size_t limit = is_text ? kMaxTextChars : kMaxStringChars;
        if (*length > limit) {
          return fail("too_long", "answer_length", {{"max", absl::StrCat(limit)}});
        }
        out.push_back(value);
        break;
      }
      case Datatype::kNumber: {
        std::optional<std::string> number = CanonicalNumber(value);
        if (!number) return fail("invalid", "number_format");
        out.push_back(*std::move(number));
        break;
      }
      case Datatype::kDatetime: {
        std::optional<std::string> datetime = CanonicalDatetime(value);
        if (!datetime) {
          return fail("invalid", "datetime_format");
        }
        out.push_back(*std::move(datetime));
        break;
      }
      case Datatype::kSingleValueList:
      case Datatype::kMultiValueList:
        if (!IsAllowedKey(field, value)) {
          return fail("not_allowed", "not_a_choice", {{"value", value}});
        }
        if (seen.insert(value).second) out.push_back(value);
        break;
    }
  }
  return out;
}

}  // namespace

// Values are trimmed of surrounding ASCII whitespace before checking, so a
// value of only whitespace counts as blank; the canonical values are trimmed.
absl::StatusOr<FormValues> ValidateFormValues(const Service& service, const FormValues& values) {
  std::vector<FieldError> errors;
  FormValues canonical;
  for (const FormField& field : service.fields) {
    std::vector<std::string> given;
    if (auto it = values.find(field.code); it != values.end()) {
      for (const std::string& raw : it->second) {
        std::string value(raw);
        absl::StripAsciiWhitespace(&value);
        if (!value.empty()) given.push_back(std::move(value));
      }
    }
    if (given.empty()) {
      if (field.required) {
        errors.push_back({FieldName(field.code), "required", "answer_required", {}});
      }
      continue;
    }
    if (auto checked = CheckField(field, given, errors))
      canonical[field.code] = *std::move(checked);
  }
  for (const auto& [code, unused] : values) {
    if (service.FindField(code) == nullptr) {
      errors.push_back({FieldName(code), "unknown", "unknown_question", {}});
    }
  }
  if (!errors.empty()) return InvalidFields("Some answers are not valid", errors);
  return canonical;
}

}  // namespace onestop::domain
