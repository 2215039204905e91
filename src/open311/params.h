// Reading Open311 request parameters: query strings for GETs; for POSTs an
// application/x-www-form-urlencoded or multipart/form-data body (text parts;
// file parts are not stored — clients send photos as media_url) followed by
// the query string's parameters. Every name and value must be valid UTF-8,
// and a name may appear once unless it ends in "[]" (attribute[code][]).
// Then the POST /requests form itself: ParseServiceRequestForm.
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "domain/case.h"
#include "http/request.h"

namespace onestop::open311 {

// InvalidArgument (400) for an unsupported Content-Type or a malformed body.
absl::StatusOr<http::ParamList> ReadPostParams(const http::Request& request);

// Invalid UTF-8 or a repeated single-valued name → InvalidArgument.
absl::Status CheckParams(const http::ParamList& params);

// The value of `name` ("" when absent; an empty value counts as absent, as
// the spec says).
std::string Param(const http::ParamList& params, std::string_view name);

inline constexpr size_t kMaxDescriptionChars = 4000;

// The arguments of POST /requests, checked for shape (not against the
// catalogue: that is the use case's job).
struct ServiceRequestForm {
  std::string jurisdiction_id;
  std::string api_key;
  std::string service_code;
  std::optional<double> lat;
  std::optional<double> lng;
  std::string address_string;
  std::optional<int64_t> address_id;  // a UPRN
  std::string email;
  std::string device_id;
  std::string account_id;
  std::string first_name;
  std::string last_name;
  std::string phone;
  std::string description;
  std::string media_url;
  domain::FormValues attributes;  // attribute[code]=v and attribute[code][]=v1&...
};

// Field errors name the Open311 parameter ("lat", "attribute[x]", ...).
// Required: service_code; a location (lat+long, address_string or address_id).
// lat/long: decimal WGS84 in range, both or neither. description: at most
// 4000 characters. Names outside the spec are ignored.
absl::StatusOr<ServiceRequestForm> ParseServiceRequestForm(const http::ParamList& params);

// "values.bin_type" → "attribute[bin_type]", "location.lat" → "lat", ...:
// the use cases' field names in Open311 terms.
std::string Open311FieldName(std::string_view field);

}  // namespace onestop::open311
