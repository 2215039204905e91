// Shared plumbing for the JSON API handlers: the one status → HTTP table,
// problem+json bodies, request body parsing, path ids, If-Match, query
// parameters, bearer authentication and Idempotency-Key handling.
//
// Handlers are written as functions returning absl::StatusOr<http::Response>;
// Handle() turns a non-OK status into an RFC 9457 problem response (and logs
// one line for every 4xx/5xx). Everything here is stateless and thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "codec/json_reader.h"
#include "domain/staff.h"
#include "http/request.h"
#include "http/router.h"
#include "services/citizens.h"

namespace onestop::api {

struct ApiContext;

// ---- errors ----

// One row of the status table.
struct HttpError {
  int status;             // HTTP status code
  std::string_view slug;  // last segment of the problem type URI
};
// InvalidArgument 400, NotFound 404, AlreadyExists 409, FailedPrecondition
// 409, Aborted 412, Unauthenticated 401, PermissionDenied 403,
// ResourceExhausted 429, Unavailable 503, DeadlineExceeded 504, else 500.
HttpError HttpErrorFor(absl::StatusCode code);

// The HTTP status for `status`: the table above, unless the adapter forced
// another one with WithHttpStatus (415 for a wrong Content-Type).
int HttpStatusOf(const absl::Status& status);
// Attaches an explicit HTTP status (and problem slug) to a non-OK status.
absl::Status WithHttpStatus(absl::Status status, int http_status, std::string_view slug);

inline constexpr std::string_view kProblemTypePrefix = "https://onestop.invalid/problems/";

// The application/problem+json response for a non-OK `status`. 5xx details
// are replaced by a generic sentence; 401 adds `WWW-Authenticate: Bearer`.
http::Response ProblemFor(const http::Request& request, const absl::Status& status);

// Logs one structured line for a 4xx/5xx response (never bodies or tokens).
void LogErrorResponse(const http::Request& request, std::string_view route, int http_status,
                      std::string_view detail);

using ApiHandler = std::function<absl::StatusOr<http::Response>(http::Request&)>;
// Runs `handler`, turning errors (and stray exceptions) into problem
// responses and logging every 4xx/5xx.
http::Response Handle(std::string_view route, http::Request& request, const ApiHandler& handler);

// Registers `handler` wrapped in Handle() (route label = pattern).
void AddRoute(http::Router& router, std::string method, std::string pattern, ApiHandler handler,
              http::RouteOptions options = {});

// ---- responses ----

http::Response JsonResponse(int status, const boost::json::value& body);
// 204 No Content: no body, no Content-Type.
http::Response NoContent();
// `"<version>"`.
std::string ETagFor(int64_t version);

// ---- request parsing ----

// Requires Content-Type application/json (parameters allowed; 415 otherwise),
// parses the body (malformed JSON / bad UTF-8 / nesting deeper than 32 → 400)
// and requires a top-level object.
absl::StatusOr<boost::json::value> ParseJsonBody(const http::Request& request);

// A path id: decimal digits only, 1..2^53. Anything else → NotFound.
absl::StatusOr<int64_t> ParsePathId(std::string_view text);

// If-Match: absent or `*` → nullopt (any version); `"n"`, `W/"n"` or bare n
// → n; anything else → InvalidArgument.
absl::StatusOr<std::optional<int64_t>> ParseIfMatch(const http::Request& request);

// Query-parameter readers that collect errors (field = parameter name).
class QueryReader {
 public:
  QueryReader(const http::Request& request, codec::ErrorList& errors);
  std::optional<std::string> String(std::string_view name);
  // A decimal integer in [min, max]; otherwise an "invalid" error.
  std::optional<int64_t> Int(std::string_view name, int64_t min, int64_t max);
  // "true"/"false"/"1"/"0".
  std::optional<bool> Bool(std::string_view name);
  // An RFC 3339 timestamp.
  std::optional<absl::Time> Time(std::string_view name);

 private:
  const http::Request& request_;
  codec::ErrorList& errors_;
};

// Rejects repeated query parameters ("?limit=1&limit=2") with a field error.
absl::Status RejectDuplicateQueryParams(const http::Request& request);

// The bearer token of `Authorization: Bearer <token>`; Unauthenticated if
// absent or malformed.
absl::StatusOr<std::string> BearerToken(const http::Request& request);
// Bearer token → Actor through services::Authenticate.
absl::StatusOr<domain::Actor> RequireActor(const ApiContext& ctx, const http::Request& request);

// The services::IdempotencyKey for a creating POST: empty when the header is
// absent; InvalidArgument unless it is 1..255 printable ASCII characters.
absl::StatusOr<services::IdempotencyKey> IdempotencyFor(const http::Request& request,
                                                        const domain::Actor& actor);
// Marks a replayed response.
void MarkReplayed(http::Response& response);

// Decimal integer text → int64 (whole text, optional leading '-'); nullopt otherwise.
std::optional<int64_t> ParseInt64(std::string_view text);

}  // namespace onestop::api
