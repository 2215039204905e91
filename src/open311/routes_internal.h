// Private to the /open311/v2 handlers (routes*.cc): what the handler files
// share — replies and the Run wrapper, the common checks, the date window and
// case lookup, and the handlers RegisterOpen311Routes wires up.
#ifndef ONESTOP_OPEN311_ROUTES_INTERNAL_H_
#define ONESTOP_OPEN311_ROUTES_INTERNAL_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "open311/open311.h"
#include "open311/params.h"
#include "open311/render.h"

namespace onestop::open311::routes_internal {

using domain::Case;
using domain::CaseStatus;
using Snapshot = services::Catalogue::Snapshot;

// ---- errors and replies (routes.cc) ----

http::Response ErrorResponse(Format format, const absl::Status& status);
absl::Status NotFound(std::string what);
// InvalidArgument with one "invalid" field error (reason and params; the
// words are in i18n/field_errors.cc).
absl::Status BadRequest(std::string field, std::string reason,
                        std::vector<std::pair<std::string, std::string>> params = {});

struct Reply {
  int status = 200;
  Node body;
};
using Handler = std::function<absl::StatusOr<Reply>(http::Request&, Format)>;

http::Response Run(std::string_view route, http::Request& request, Format format,
                   const Handler& handler);

// ---- shared checks (routes.cc) ----

absl::Status CheckJurisdiction(const Open311Context& ctx, const std::string& given);
absl::StatusOr<domain::ApiKey> RequireKey(const Open311Context& ctx, const std::string& key);
absl::StatusOr<http::ParamList> GetParams(const http::Request& request);
// Splits "a.json" into ("a", kJson); false if the suffix is not a format.
bool SplitSuffix(std::string_view file, std::string* stem, Format* format);
bool OnApi(const domain::Service* service);

// ---- discovery and services (routes.cc) ----

absl::StatusOr<Reply> Discovery(Open311Context& ctx, http::Request& request, Format);
absl::StatusOr<Reply> ListServicesHandler(Open311Context& ctx, http::Request& request, Format);
absl::StatusOr<Reply> ServiceDefinition(Open311Context& ctx, http::Request& request,
                                        const std::string& code);

// ---- requests and tokens (routes_requests.cc) ----

// Both ends inclusive (Open311's start_date/end_date).
struct Window {
  absl::Time start;
  absl::Time end;
  // The exclusive upper bound the store's [from, to) ranges take: the
  // microsecond after `end` (the stores keep whole microseconds).
  absl::Time EndExclusive() const { return absl::FromUnixMicros(absl::ToUnixMicros(end) + 1); }
};

// start_date/end_date: both or neither (default: the last max_days days),
// end after start, at most max_days apart.
absl::StatusOr<Window> DateWindow(const Open311Context& ctx, const http::ParamList& params);
// A case visible through Open311 (its service is offered on the api channel).
absl::StatusOr<std::optional<Case>> FindCase(Open311Context& ctx, const std::string& id,
                                             const Snapshot& catalogue);

absl::StatusOr<Reply> ListRequests(Open311Context& ctx, http::Request& request, Format);
absl::StatusOr<Reply> GetRequest(Open311Context& ctx, http::Request& request,
                                 const std::string& id);
absl::StatusOr<Reply> GetToken(Open311Context& ctx, http::Request& request,
                               const std::string& token);
absl::StatusOr<Reply> PostRequest(Open311Context& ctx, http::Request& request, Format);

// ---- servicerequestupdates (routes_updates.cc) ----

absl::StatusOr<Reply> ListUpdates(Open311Context& ctx, http::Request& request, Format);
absl::StatusOr<Reply> PostUpdate(Open311Context& ctx, http::Request& request, Format);

}  // namespace onestop::open311::routes_internal

#endif  // ONESTOP_OPEN311_ROUTES_INTERNAL_H_
