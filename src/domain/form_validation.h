// Validates form answers against a service's field definitions, the same way
// for every channel (web form, agent desktop, Open311, API).
#pragma once

#include "absl/status/statusor.h"
#include "domain/case.h"
#include "domain/service.h"

namespace onestop::domain {

// Checks `values` against `service.fields` and returns the canonical values:
// - unknown field code                     -> error code "unknown"
// - required field missing or blank        -> "required"
// - more than one value for a non-multi    -> "invalid"
// - string: <= 1000 chars; text: <= 10000 chars, no control chars except \n \r \t
//                                          -> "too_long" / "invalid"
// - number: decimal (optional sign, fraction, no exponent) -> "invalid";
//   canonical form strips leading '+' and trailing zeros of the fraction
// - datetime: RFC 3339 ("2026-11-25T09:30:00Z" / "+01:00") or a plain date
//   "YYYY-MM-DD" -> "invalid"; canonical form RFC 3339 UTC ("...Z"), plain
//   dates stay "YYYY-MM-DD"
// - singlevaluelist / multivaluelist: each value must be an allowed key
//                                          -> "not_allowed"; multi de-duplicated
// - blank optional values are dropped.
// Errors are returned together as InvalidFields with field names
// "values.<code>".
absl::StatusOr<FormValues> ValidateFormValues(const Service& service, const FormValues& values);

}  // namespace onestop::domain
