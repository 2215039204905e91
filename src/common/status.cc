#include "common/status.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_split.h"

namespace onestop {
namespace {
constexpr std::string_view kFieldErrorsUrl = "type.onestop/field-errors";

// Payload encoding: one error per line, its parts (field, code, reason,
// params) separated by '\x1f'; params are name '\x1e' value, each pair
// ended by '\x1d'.
constexpr char kPartSep = '\x1f';
constexpr char kNameSep = '\x1e';
constexpr char kPairEnd = '\x1d';

std::string Escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\n' || c == kPartSep || c == kNameSep || c == kPairEnd) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}
}  // namespace

absl::Status InvalidFields(std::string_view message, const std::vector<FieldError>& errors) {
  absl::Status status = absl::InvalidArgumentError(std::string(message));
  std::string payload;
  for (const FieldError& e : errors) {
    payload += Escape(e.field) + kPartSep + Escape(e.code) + kPartSep + Escape(e.reason) + kPartSep;
    for (const auto& [name, value] : e.params) {
      payload += Escape(name) + kNameSep + Escape(value) + kPairEnd;
    }
    payload += '\n';
  }
  status.SetPayload(std::string(kFieldErrorsUrl), absl::Cord(payload));
  return status;
}

std::vector<FieldError> FieldErrorsOf(const absl::Status& status) {
  std::vector<FieldError> out;
  auto payload = status.GetPayload(std::string(kFieldErrorsUrl));
  if (!payload.has_value()) return out;
  std::string text(*payload);
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    std::vector<std::string> parts = absl::StrSplit(line, kPartSep);
    if (parts.size() != 4) continue;
    FieldError error{parts[0], parts[1], parts[2], {}};
    for (absl::string_view pair : absl::StrSplit(parts[3], kPairEnd, absl::SkipEmpty())) {
      std::pair<std::string, std::string> param =
          absl::StrSplit(pair, absl::MaxSplits(kNameSep, 1));
      error.params.push_back(std::move(param));
    }
    out.push_back(std::move(error));
  }
  return out;
}

}  // namespace onestop
