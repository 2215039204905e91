#include "api/support.h"

#include <charconv>
#include <exception>
#include <utility>

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "api/api.h"
#include "common/status.h"
#include "common/time_format.h"
#include "i18n/field_errors.h"
#include "i18n/translator.h"

namespace onestop::api {
namespace {

constexpr std::string_view kHttpStatusPayload = "type.onestop/http-status";
constexpr int64_t kMaxPathId = int64_t{1} << 53;
constexpr size_t kMaxIdempotencyKey = 255;

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

HttpError HttpErrorFor(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kInvalidArgument: return {400, "invalid-request"};
    case absl::StatusCode::kNotFound: return {404, "not-found"};
    case absl::StatusCode::kAlreadyExists: return {409, "already-exists"};
    case absl::StatusCode::kFailedPrecondition: return {409, "conflict"};
    case absl::StatusCode::kAborted: return {412, "precondition-failed"};
    case absl::StatusCode::kUnauthenticated: return {401, "unauthenticated"};
    case absl::StatusCode::kPermissionDenied: return {403, "forbidden"};
    case absl::StatusCode::kResourceExhausted: return {429, "too-many-requests"};
    case absl::StatusCode::kUnavailable: return {503, "unavailable"};
    case absl::StatusCode::kDeadlineExceeded: return {504, "timeout"};
    default: return {500, "internal"};
  }
}

absl::Status WithHttpStatus(absl::Status status, int http_status, std::string_view slug) {
  status.SetPayload(std::string(kHttpStatusPayload),
                    absl::Cord(absl::StrCat(http_status, " ", std::string(slug))));
  return status;
}

namespace {
// The explicit override, if any: {status, slug}.
std::optional<std::pair<int, std::string>> Override(const absl::Status& status) {
  auto payload = status.GetPayload(std::string(kHttpStatusPayload));
  if (!payload.has_value()) return std::nullopt;
  std::string text(*payload);
  size_t space = text.find(' ');
  auto code = ParseInt64(std::string_view(text).substr(0, space));
  if (!code || *code < 400 || *code > 599) return std::nullopt;
  return std::make_pair(static_cast<int>(*code),
                        space == std::string::npos ? std::string("error") : text.substr(space + 1));
}
}  // namespace

int HttpStatusOf(const absl::Status& status) {
  if (auto forced = Override(status)) return forced->first;
  return HttpErrorFor(status.code()).status;
}

http::Response ProblemFor(const http::Request& request, const absl::Status& status) {
  int code = HttpErrorFor(status.code()).status;
  std::string slug(HttpErrorFor(status.code()).slug);
  if (auto forced = Override(status)) {
    code = forced->first;
    slug = forced->second;
  }
  std::string detail = code >= 500 && code != 503 && code != 504
                           ? std::string("An internal error occurred. Quote the request id if "
                                         "you report it.")
                           : std::string(status.message());
  if ((code == 503 && slug != "routing-standby") || code == 504) {
    // Store-level messages may name files or hosts; keep them in the log.
    detail = code == 503 ? "The service is temporarily unavailable; try again shortly."
                         : "The request took too long.";
  }
  if (detail.empty()) detail = std::string(http::StatusReason(code));
  boost::json::object body;
  body["type"] = std::string(kProblemTypePrefix) + slug;
  body["title"] = std::string(http::StatusReason(code));
  body["status"] = code;
  body["detail"] = detail;
  body["instance"] = request.path;
  body["request_id"] = request.request_id;
  boost::json::array errors;
  if (code < 500) {
    // The API speaks English; "code" is what clients should act on.
    const i18n::Translator& english = i18n::Catalogs::Default().English();
    for (const FieldError& e : FieldErrorsOf(status)) {
      errors.push_back(boost::json::object{
          {"field", e.field}, {"code", e.code}, {"message", i18n::FieldErrorText(e, english)}});
    }
  }
  body["errors"] = std::move(errors);
  http::Response response;
  response.status = code;
  response.content_type = "application/problem+json";
  response.body = boost::json::serialize(body);
  if (code == 401) response.SetHeader("WWW-Authenticate", "Bearer");
  if (code == 503) response.SetHeader("Retry-After", "1");
  return response;
}

void LogErrorResponse(const http::Request& request, std::string_view route, int http_status,
                      std::string_view detail) {
  if (http_status >= 500) {
    spdlog::error("api_error request_id={} method={} route={} status={} detail=\"{}\"",
                  request.request_id, request.method, route, http_status,
                  http::JsonEscape(detail));
  } else {
    spdlog::info("api_error request_id={} method={} route={} status={} detail=\"{}\"",
                 request.request_id, request.method, route, http_status,
                 http::JsonEscape(detail));
  }
}

http::Response Handle(std::string_view route, http::Request& request, const ApiHandler& handler) {
  absl::Status failure;
  try {
    absl::StatusOr<http::Response> result = handler(request);
    if (result.ok()) {
      if (result->status >= 400) LogErrorResponse(request, route, result->status, "");
      return *std::move(result);
    }
    failure = result.status();
    if (failure.ok()) failure = absl::InternalError("handler returned an OK status without a value");
  } catch (const std::exception& e) {
    failure = absl::InternalError(absl::StrCat("unhandled exception: ", e.what()));
  }
  // The log keeps the internal message; the client sees ProblemFor's text.
  LogErrorResponse(request, route, HttpStatusOf(failure), std::string(failure.message()));
  return ProblemFor(request, failure);
}

void AddRoute(http::Router& router, std::string method, std::string pattern, ApiHandler handler,
              http::RouteOptions options) {
  std::string route = pattern;
  router.Add(
      std::move(method), std::move(pattern),
      [route, handler = std::move(handler)](http::Request& request) {
        return Handle(route, request, handler);
      },
      options);
}

http::Response NoContent() {
  http::Response response;
  response.status = 204;
  response.content_type.clear();
  return response;
}

http::Response JsonResponse(int status, const boost::json::value& body) {
  return http::Response::Json(status, boost::json::serialize(body));
}

std::string ETagFor(int64_t version) { return absl::StrCat("\"", version, "\""); }

absl::StatusOr<boost::json::value> ParseJsonBody(const http::Request& request) {
  std::optional<std::string> content_type = request.Header("Content-Type");
  std::string_view media = content_type ? std::string_view(*content_type) : std::string_view();
  media = Trim(media.substr(0, media.find(';')));
  if (!http::EqualsIgnoreCase(media, "application/json")) {
    return WithHttpStatus(
        absl::InvalidArgumentError("The request body must be sent as Content-Type: application/json"),
        415, "unsupported-media-type");
  }
  // codec::ParseJson rejects invalid UTF-8 and nests at most 32 levels deep
  // (Boost.JSON's default max_depth).
  absl::StatusOr<boost::json::value> parsed = codec::ParseJson(request.body);
  if (!parsed.ok()) {
    return InvalidFields(absl::StrCat("malformed JSON: ", std::string(parsed.status().message())),
                         FieldErrorsOf(parsed.status()));
  }
  if (!parsed->is_object()) {
    return InvalidFields("The request body must be a JSON object",
                         {{"", "type", "top_level_object", {}}});
  }
  return *std::move(parsed);
}

std::optional<int64_t> ParseInt64(std::string_view text) {
  if (text.empty() || text.size() > 20) return std::nullopt;
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

absl::StatusOr<int64_t> ParsePathId(std::string_view text) {
  bool digits = !text.empty() && text.size() <= 16;
  for (char c : text) digits = digits && c >= '0' && c <= '9';
  std::optional<int64_t> id = digits ? ParseInt64(text) : std::nullopt;
  if (!id || *id < 1 || *id > kMaxPathId) return absl::NotFoundError("No such resource");
  return *id;
}

absl::StatusOr<std::optional<int64_t>> ParseIfMatch(const http::Request& request) {
  std::optional<std::string> header = request.Header("If-Match");
  if (!header) return std::optional<int64_t>();
  std::string_view text = Trim(*header);
  if (text == "*") return std::optional<int64_t>();
  if (text.substr(0, 2) == "W/") text.remove_prefix(2);
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') {
    text = text.substr(1, text.size() - 2);
  }
  bool digits = !text.empty();
  for (char c : text) digits = digits && c >= '0' && c <= '9';
  std::optional<int64_t> version = digits ? ParseInt64(text) : std::nullopt;
  if (!version || *version < 0) {
    return InvalidFields("If-Match must be an entity tag such as \"3\"",
                         {{"If-Match", "invalid", "entity_tag", {}}});
  }
  return std::optional<int64_t>(*version);
}

QueryReader::QueryReader(const http::Request& request, codec::ErrorList& errors)
    : request_(request), errors_(errors) {}

std::optional<std::string> QueryReader::String(std::string_view name) {
  return request_.QueryParam(name);
}

std::optional<int64_t> QueryReader::Int(std::string_view name, int64_t min, int64_t max) {
  std::optional<std::string> text = request_.QueryParam(name);
  if (!text) return std::nullopt;
  std::optional<int64_t> value = ParseInt64(*text);
  if (!value || *value < min || *value > max) {
    errors_.Add(std::string(name), "invalid", "integer_from_to",
                {{"min", absl::StrCat(min)}, {"max", absl::StrCat(max)}});
    return std::nullopt;
  }
  return value;
}

std::optional<bool> QueryReader::Bool(std::string_view name) {
  std::optional<std::string> text = request_.QueryParam(name);
  if (!text) return std::nullopt;
  if (*text == "true" || *text == "1") return true;
  if (*text == "false" || *text == "0") return false;
  errors_.Add(std::string(name), "invalid", "true_or_false");
  return std::nullopt;
}

std::optional<absl::Time> QueryReader::Time(std::string_view name) {
  std::optional<std::string> text = request_.QueryParam(name);
  if (!text) return std::nullopt;
  absl::StatusOr<absl::Time> t = ParseRfc3339(std::string_view(*text));
  if (!t.ok()) {
    errors_.Add(std::string(name), "invalid", "rfc3339_time");
    return std::nullopt;
  }
  return *t;
}

absl::Status RejectDuplicateQueryParams(const http::Request& request) {
  if (!request.HasDuplicateQueryParam()) return absl::OkStatus();
  std::vector<FieldError> errors;
  for (size_t idx = 0; idx < request.query_params.size(); ++idx) {
    const std::string& name = request.query_params[idx].first;
    for (size_t prev = 0; prev < idx; ++prev) {
      if (request.query_params[prev].first == name) {
        errors.push_back({name, "duplicate", "parameter_once", {}});
        break;
      }
    }
  }
  return InvalidFields("A query parameter was repeated", errors);
}

absl::StatusOr<std::string> BearerToken(const http::Request& request) {
  std::optional<std::string> header = request.Header("Authorization");
  if (!header) return absl::UnauthenticatedError("Authentication required: send a bearer token");
  std::string_view text = Trim(*header);
  if (text.size() < 7 || !http::EqualsIgnoreCase(text.substr(0, 7), "Bearer ")) {
    return absl::UnauthenticatedError("The Authorization header must be 'Bearer <token>'");
  }
  std::string_view token = Trim(text.substr(7));
  if (token.empty() || token.size() > 512) {
    return absl::UnauthenticatedError("The Authorization header must be 'Bearer <token>'");
  }
  return std::string(token);
}

absl::StatusOr<domain::Actor> RequireActor(const ApiContext& ctx, const http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(std::string token, BearerToken(request));
  return ctx.authenticate.Run(token);
}

absl::StatusOr<services::IdempotencyKey> IdempotencyFor(const http::Request& request,
                                                        const domain::Actor& actor) {
  std::optional<std::string> header = request.Header("Idempotency-Key");
  if (!header) return services::IdempotencyKey{};
  bool printable = !header->empty() && header->size() <= kMaxIdempotencyKey;
  for (char c : *header) printable = printable && c >= 0x20 && c <= 0x7e;
  if (!printable) {
    return InvalidFields("Idempotency-Key must be 1 to 255 printable ASCII characters",
                         {{"Idempotency-Key", "invalid", "printable_ascii",
                           {{"min", "1"}, {"max", absl::StrCat(kMaxIdempotencyKey)}}}});
  }
  services::IdempotencyKey key;
  key.key = absl::StrCat(actor.staff_id, ":", *header);
  key.request_hash =
      services::HashToken(absl::StrCat(request.method, " ", request.path, "\n", request.body));
  return key;
}

void MarkReplayed(http::Response& response) { response.SetHeader("Idempotent-Replayed", "true"); }

}  // namespace onestop::api
