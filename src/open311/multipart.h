// A small, strict multipart/form-data parser (RFC 7578 over RFC 2046) for
// Open311 POST bodies, which clients send as multipart when they attach a
// photo. It reads a complete body already in memory (the server caps body
// size) and never reads past it: every search is bounded by the body, every
// part header block by MultipartLimits::max_header_bytes, the number of parts
// by max_parts. Malformed input is an InvalidArgument saying what is wrong.
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace onestop::open311 {

struct MultipartPart {
  std::string name;          // Content-Disposition name (required)
  std::string filename;      // set for file parts
  bool has_filename = false;
  std::string content_type;  // the part's Content-Type, if given
  std::string data;          // the part's body, exactly
};

struct MultipartLimits {
  size_t max_parts = 100;
  size_t max_header_bytes = 8 * 1024;  // per part
};

// The boundary of a `multipart/form-data; boundary=...` Content-Type value
// (quoted or not). InvalidArgument if it is not multipart/form-data or the
// boundary is missing or not 1..70 characters.
absl::StatusOr<std::string> MultipartBoundary(std::string_view content_type);

// Splits `body` into its parts. A preamble before the first delimiter and an
// epilogue after the closing one are ignored; the closing delimiter is required.
absl::StatusOr<std::vector<MultipartPart>> ParseMultipart(std::string_view body,
                                                          std::string_view boundary,
                                                          const MultipartLimits& limits = {});

}  // namespace onestop::open311
