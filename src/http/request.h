// Request and Response: the plain structs every HTTP handler sees.
//
// The server fills a Request from the wire (Boost.Beast stays inside the .cc
// files) and turns the handler's Response back into bytes. Both are value
// types with no threading rules of their own: a Request belongs to the one
// handler call that receives it.
//
// Also here: URL decoding and application/x-www-form-urlencoded parsing (used
// for query strings and for Open311 POST bodies) and the RFC 9457
// `application/problem+json` error body every layer uses for HTTP errors.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace onestop::http {

using HeaderList = std::vector<std::pair<std::string, std::string>>;
using ParamList = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;          // "GET", "POST", ... as sent (case-sensitive per RFC 9110)
  std::string target;          // raw request-target: "/api/v1/cases?status=open"
  std::string path;            // percent-decoded path, no query: "/api/v1/cases"
  std::string query;           // raw query string without '?': "status=open"
  ParamList query_params;      // decoded query pairs in order (filled by SetTarget)
  HeaderList headers;          // as received; names keep their case
  std::string body;
  std::string request_id;      // echoed as X-Request-Id
  std::string remote_address;  // peer IP, e.g. "127.0.0.1"
  ParamList path_params;       // {"id", "123"} for "/api/v1/cases/{id}"
  std::string route;           // matched pattern, e.g. "/api/v1/cases/{id}"; empty if none

  // Sets target, path, query and query_params from a raw request-target.
  // InvalidArgument for a target that is not origin-form ("/...") or carries
  // a bad %-escape in its path or query.
  absl::Status SetTarget(std::string raw_target);

  // First header with this name, compared case-insensitively.
  std::optional<std::string> Header(std::string_view name) const;
  // Decoded path parameter; empty if the route has no such parameter.
  std::string PathParam(std::string_view name) const;
  // First decoded value of a query parameter (from query_params).
  std::optional<std::string> QueryParam(std::string_view name) const;
  // Every decoded value of a query parameter, in order.
  std::vector<std::string> QueryParams(std::string_view name) const;
  // True if some query parameter name occurs more than once (APIs that take
  // single values reject "?status=open&status=closed" rather than guess).
  bool HasDuplicateQueryParam() const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  HeaderList headers;  // extra headers; the server adds Content-Length, X-Request-Id, security headers
  std::string body;

  // Replaces any header of that name (case-insensitive) or appends it.
  void SetHeader(std::string name, std::string value);
  // Adds a header even if one of that name is there (Set-Cookie).
  void AddHeader(std::string name, std::string value) { headers.emplace_back(std::move(name), std::move(value)); }
  std::optional<std::string> Header(std::string_view name) const;

  static Response Json(int status, std::string body);
  static Response Text(int status, std::string body);  // text/plain; charset=utf-8
  static Response Html(int status, std::string body);  // text/html; charset=utf-8
};

// An `application/problem+json` response:
// {"type":"about:blank","title":"Not Found","status":404,"detail":"..."}
// `detail` is shown to the client; keep it free of secrets.
Response ProblemResponse(int status, std::string_view detail);

// Standard reason phrase for a status code ("Not Found"); "Unknown" if none.
std::string_view StatusReason(int status);

// Percent-decodes `text`. With plus_as_space, '+' becomes ' ' (form encoding).
// InvalidArgument for a truncated or non-hex escape ("%2", "%zz").
absl::StatusOr<std::string> UrlDecode(std::string_view text, bool plus_as_space = false);

// Percent-encodes everything outside RFC 3986 unreserved characters.
std::string UrlEncode(std::string_view text);

// Parses application/x-www-form-urlencoded text ("a=1&b=x+y&c") into decoded
// pairs in order. Empty pieces ("a=1&&b=2") are skipped; a piece without '='
// gives an empty value. InvalidArgument on a bad %-escape.
absl::StatusOr<ParamList> ParseQuery(std::string_view text);

// Escapes `text` for use inside a JSON string literal (no surrounding quotes).
std::string JsonEscape(std::string_view text);

// ASCII case-insensitive equality (header names).
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace onestop::http
