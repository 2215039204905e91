// Status helpers shared by every layer.
//
// Expected failures travel as absl::Status. Validation failures carry a
// field-by-field list as a payload so adapters (HTTP problem bodies, web
// forms, Open311 errors) can show each field's error without parsing text.
//
// Conventions for codes (the HTTP adapter maps them in one table):
//   InvalidArgument     bad input (400; field errors attached where known)
//   NotFound            unknown id (404)
//   AlreadyExists       duplicate (409)
//   FailedPrecondition  illegal state change (409)
//   Aborted             concurrent edit: stale version / If-Match mismatch (412)
//   Unauthenticated     no or expired credentials (401)
//   PermissionDenied    role does not allow it (403)
//   ResourceExhausted   too large / too many (413 / 429)
//   Unavailable         store down, shutting down (503)
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace onestop {

// One field's problem, as codes: the words are chosen at the edge, in the
// reader's language (i18n::FieldErrorText). Nothing here is English prose.
struct FieldError {
  std::string field;   // e.g. "values.bin_type" or "email"
  std::string code;    // the kind: "required", "invalid", "not_allowed", "unknown", "duplicate"…
  std::string reason;  // what exactly, a stable snake_case key: "postcode_format", "uprn_digits"
  // Values the words need, e.g. {"max", "200"}; names match the {placeholders}
  // of the reason's message.
  std::vector<std::pair<std::string, std::string>> params;
  bool operator==(const FieldError&) const = default;
};

// An InvalidArgument status with field errors attached. `message` is a
// summary for developers and logs, never shown to residents.
absl::Status InvalidFields(std::string_view message, const std::vector<FieldError>& errors);

// The field errors attached to `status` (empty if none).
std::vector<FieldError> FieldErrorsOf(const absl::Status& status);

}  // namespace onestop

// Returns early from the enclosing function if `expr` is not OK.
#define ONESTOP_RETURN_IF_ERROR(expr)            \
  do {                                           \
    ::absl::Status onestop_status_ = (expr);     \
    if (!onestop_status_.ok()) return onestop_status_; \
  } while (0)

#define ONESTOP_CONCAT_INNER_(a, b) a##b
#define ONESTOP_CONCAT_(a, b) ONESTOP_CONCAT_INNER_(a, b)
// ONESTOP_ASSIGN_OR_RETURN(auto x, FunctionReturningStatusOr());
#define ONESTOP_ASSIGN_OR_RETURN(lhs, expr) \
  ONESTOP_ASSIGN_OR_RETURN_IMPL_(ONESTOP_CONCAT_(onestop_statusor_, __LINE__), lhs, expr)
#define ONESTOP_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                   \
  if (!tmp.ok()) return tmp.status();                  \
  lhs = std::move(tmp).value()
