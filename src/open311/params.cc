#include "open311/params.h"

#include <cmath>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "common/status.h"
#include "open311/multipart.h"
#include "open311/render.h"

namespace onestop::open311 {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }
bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool IsDecimal(std::string_view text) {
  // [-+]?digits[.digits] — no exponents, no hex, no "nan"/"inf".
  size_t pos = 0;
  if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) ++pos;
  size_t digits = 0;
  while (pos < text.size() && absl::ascii_isdigit(text[pos])) ++pos, ++digits;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    while (pos < text.size() && absl::ascii_isdigit(text[pos])) ++pos, ++digits;
  }
  return digits > 0 && digits <= 30 && pos == text.size();
}

}  // namespace

absl::StatusOr<http::ParamList> ReadPostParams(const http::Request& request) {
  std::string content_type = request.Header("Content-Type").value_or("");
  std::string media = absl::AsciiStrToLower(
      std::string(absl::StripAsciiWhitespace(content_type.substr(0, content_type.find(';')))));
  http::ParamList params;
  if (media == "application/x-www-form-urlencoded") {
    auto parsed = http::ParseQuery(request.body);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError("the form body is not valid "
                                        "application/x-www-form-urlencoded: " +
                                        std::string(parsed.status().message()));
    }
    params = std::move(*parsed);
  } else if (media == "multipart/form-data") {
    auto boundary = MultipartBoundary(content_type);
    if (!boundary.ok()) return boundary.status();
    auto parts = ParseMultipart(request.body, *boundary);
    if (!parts.ok()) return parts.status();
    for (auto& part : *parts) {
      if (part.has_filename) continue;  // an uploaded file: not stored (see the file comment)
      params.emplace_back(std::move(part.name), std::move(part.data));
    }
  } else {
    return absl::InvalidArgumentError(
        "send the request as application/x-www-form-urlencoded or multipart/form-data");
  }
  for (const auto& pair : request.query_params) params.push_back(pair);
  return params;
}

absl::Status CheckParams(const http::ParamList& params) {
  std::set<std::string> seen;
  for (const auto& [name, value] : params) {
    if (!IsValidUtf8(name) || !IsValidUtf8(value)) {
      return InvalidFields("Invalid UTF-8", {{SanitizeText(name), "invalid", "open311_param_utf8",
                                               {{"name", SanitizeText(name)}}}});
    }
    if (EndsWith(name, "[]")) continue;
    if (!seen.insert(name).second) {
      return InvalidFields("Duplicate parameter",
                           {{name, "duplicate", "open311_param_repeated", {{"name", name}}}});
    }
  }
  return absl::OkStatus();
}

std::string Param(const http::ParamList& params, std::string_view name) {
  for (const auto& [key, value] : params) {
    if (key == name) return value;
  }
  return "";
}

absl::StatusOr<ServiceRequestForm> ParseServiceRequestForm(const http::ParamList& params) {
  ONESTOP_RETURN_IF_ERROR(CheckParams(params));
  ServiceRequestForm form;
  std::vector<FieldError> errors;
  std::string lat, lng, address_id;
  std::set<std::string> single_attributes, multi_attributes;
  for (const auto& [name, value] : params) {
    if (StartsWith(name, "attribute[")) {
      std::string_view rest = std::string_view(name).substr(10);
      size_t close = rest.find(']');
      std::string code(rest.substr(0, close == std::string_view::npos ? 0 : close));
      std::string_view tail = close == std::string_view::npos ? "" : rest.substr(close + 1);
      if (close == std::string_view::npos || code.empty() || (tail != "" && tail != "[]")) {
        errors.push_back({name, "invalid", "open311_attribute_syntax", {}});
        continue;
      }
      bool multi = tail == "[]";
      (multi ? multi_attributes : single_attributes).insert(code);
      if (single_attributes.count(code) && multi_attributes.count(code)) {
        errors.push_back({"attribute[" + code + "]", "invalid", "open311_attribute_both",
                          {{"code", code}}});
        continue;
      }
      if (!value.empty()) form.attributes[code].push_back(value);
      continue;
    }
    if (value.empty()) continue;  // empty = absent
    if (name == "jurisdiction_id") form.jurisdiction_id = value;
    else if (name == "api_key") form.api_key = value;
    else if (name == "service_code") form.service_code = value;
    else if (name == "lat") lat = value;
    else if (name == "long") lng = value;
    else if (name == "address_string") form.address_string = value;
    else if (name == "address_id") address_id = value;
    else if (name == "email") form.email = value;
    else if (name == "device_id") form.device_id = value;
    else if (name == "account_id") form.account_id = value;
    else if (name == "first_name") form.first_name = value;
    else if (name == "last_name") form.last_name = value;
    else if (name == "phone") form.phone = value;
    else if (name == "description") form.description = value;
    else if (name == "media_url") form.media_url = value;
  }
  if (form.service_code.empty()) {
    errors.push_back(
        {"service_code", "required", "open311_param_required", {{"name", "service_code"}}});
  }
  if (!lat.empty() || !lng.empty()) {
    double lat_value = 0, lng_value = 0;
    bool lat_ok = IsDecimal(lat) && absl::SimpleAtod(lat, &lat_value) && std::isfinite(lat_value) &&
                  lat_value >= -90 && lat_value <= 90;
    bool lng_ok = IsDecimal(lng) && absl::SimpleAtod(lng, &lng_value) && std::isfinite(lng_value) &&
                  lng_value >= -180 && lng_value <= 180;
    if (lat.empty() || lng.empty()) {
      errors.push_back({lat.empty() ? "lat" : "long", "required", "open311_lat_long_together", {}});
    } else {
      if (!lat_ok) errors.push_back({"lat", "invalid", "open311_lat_range", {}});
      if (!lng_ok) errors.push_back({"long", "invalid", "open311_long_range", {}});
      if (lat_ok && lng_ok) {
        form.lat = lat_value;
        form.lng = lng_value;
      }
    }
  }
  if (!address_id.empty()) {
    int64_t uprn = 0;
    bool digits = address_id.size() <= 12;
    for (char ch : address_id) digits = digits && absl::ascii_isdigit(ch);
    if (digits && absl::SimpleAtoi(address_id, &uprn) && uprn > 0) {
      form.address_id = uprn;
    } else {
      errors.push_back({"address_id", "invalid", "open311_address_id_format", {}});
    }
  }
  const bool has_latlong = !lat.empty() || !lng.empty();
  if (!has_latlong && form.address_string.empty() && address_id.empty()) {
    errors.push_back({"lat", "required", "open311_location_required", {}});
  }
  if (Utf8Length(form.description) > kMaxDescriptionChars) {
    errors.push_back({"description", "too_long", "open311_description_length",
                      {{"max", std::to_string(kMaxDescriptionChars)}}});
  }
  if (!errors.empty()) return InvalidFields("The service request is not valid", errors);
  return form;
}

std::string Open311FieldName(std::string_view field) {
  if (StartsWith(field, "values.")) {
    std::string_view code = field.substr(7);
    return "attribute[" + std::string(code.substr(0, code.find('.'))) + "]";
  }
  if (field == "location.lat") return "lat";
  if (field == "location.lng") return "long";
  if (field == "location.uprn") return "address_id";
  if (field == "location.description") return "address_string";
  if (StartsWith(field, "media_urls")) return "media_url";
  if (field == "given_name") return "first_name";
  if (field == "family_name") return "last_name";
  if (StartsWith(field, "phones")) return "phone";
  if (StartsWith(field, "emails")) return "email";
  return std::string(field);
}

}  // namespace onestop::open311
