// Test helpers for FieldError lists: a matcher on (field, code) and a
// readable printer, so failures show "fields[2].datatype/invalid" instead of
// bytes. Tests only.
#pragma once

#include <ostream>
#include <string>

#include "common/status.h"
#include "gmock/gmock.h"

namespace onestop {

inline void PrintTo(const FieldError& error, std::ostream* os) {
  *os << error.field << "/" << error.code << " (" << error.reason;
  for (const auto& [name, value] : error.params) *os << " " << name << "=" << value;
  *os << ")";
}

namespace codec {

// Matches a FieldError with this field path and code.
inline auto Error(const std::string& field, const std::string& code) {
  return ::testing::AllOf(::testing::Field(&FieldError::field, field),
                          ::testing::Field(&FieldError::code, code));
}

}  // namespace codec
}  // namespace onestop
