#include "common/status.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_split.h"

namespace onestop {
namespace {
constexpr std::string_view kFieldErrorsUrl = "type.onestop/field-errors";

// Payload encoding: one error per line, fields separated by '\x1f'.
std::string Escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\n' || c == '\x1f') {
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
    payload += Escape(e.field) + '\x1f' + Escape(e.code) + '\x1f' + Escape(e.message) + '\n';
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
    std::vector<std::string> parts = absl::StrSplit(line, '\x1f');
    if (parts.size() != 3) continue;
    out.push_back({parts[0], parts[1], parts[2]});
  }
  return out;
}

}  // namespace onestop
