// Duplicates: GET /api/v1/cases/{id}/duplicates, POST
// /api/v1/cases/duplicate-check (a case body; nothing is created) and POST
// /api/v1/cases/{id}/duplicate-of {"case_id": N}.
#include <cmath>

#include <boost/json.hpp>

#include "absl/strings/str_cat.h"
#include "api/api.h"
#include "api/case_json.h"
#include "api/support.h"
#include "common/status.h"
#include "common/time_format.h"

namespace onestop::api {
namespace {

// {"id", "reference", "reason", "distance_m"} — distance_m in metres (one
// decimal) when both cases have coordinates, otherwise null (always null for
// a same_resident_service match without coordinates, and for a nearby match
// found by UPRN or postcode) — plus the original's status, service, summary
// and creation time for showing it.
boost::json::object DuplicatesJson(const std::vector<services::DuplicateCandidate>& found) {
  boost::json::array items;
  for (const services::DuplicateCandidate& d : found) {
    boost::json::object item;
    item["id"] = d.c.id;
    item["reference"] = d.c.reference;
    item["reason"] = std::string(domain::DuplicateReasonName(d.match.reason));
    if (d.match.distance_m) {
      item["distance_m"] = std::round(*d.match.distance_m * 10) / 10;
    } else {
      item["distance_m"] = nullptr;
    }
    item["status"] = std::string(domain::CaseStatusName(d.c.status));
    item["service_code"] = d.c.service_code;
    item["summary"] = d.c.summary;
    item["created_at"] = FormatRfc3339(d.c.created_at);
    items.push_back(std::move(item));
  }
  return boost::json::object{{"items", std::move(items)}};
}

absl::StatusOr<http::Response> ListDuplicatesHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(int64_t id, ParsePathId(request.PathParam("id")));
  ONESTOP_ASSIGN_OR_RETURN(std::vector<services::DuplicateCandidate> found,
                           ctx.check_duplicates.ForCase(actor, id));
  return JsonResponse(200, DuplicatesJson(found));
}

absl::StatusOr<http::Response> DuplicateCheckHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(boost::json::value body, ParseJsonBody(request));
  ONESTOP_ASSIGN_OR_RETURN(services::NewCase input, NewCaseFromJson(body));
  ONESTOP_ASSIGN_OR_RETURN(std::vector<services::DuplicateCandidate> found,
                           ctx.check_duplicates.Run(actor, input));
  return JsonResponse(200, DuplicatesJson(found));
}

absl::StatusOr<http::Response> MarkDuplicateHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(int64_t id, ParsePathId(request.PathParam("id")));
  ONESTOP_ASSIGN_OR_RETURN(std::optional<int64_t> expected, ParseIfMatch(request));
  ONESTOP_ASSIGN_OR_RETURN(boost::json::value body, ParseJsonBody(request));
  codec::ErrorList errors;
  codec::ObjectReader in(body, "", errors);
  std::optional<int64_t> original = in.Int("case_id", codec::Presence::kRequired);
  in.Finish();
  if (original && (*original < 1 || *original > (int64_t{1} << 53))) {
    errors.Add("case_id", "invalid", "integer_from_to",
               {{"min", "1"}, {"max", absl::StrCat(int64_t{1} << 53)}});
  }
  ONESTOP_RETURN_IF_ERROR(errors.ToStatus("The request is not valid"));
  ONESTOP_ASSIGN_OR_RETURN(services::MarkDuplicateResult result,
                           ctx.mark_duplicate.Run(actor, id, *original, expected));
  absl::StatusOr<std::shared_ptr<const services::Catalogue::Snapshot>> snapshot =
      ctx.deps.catalogue.Get();
  const domain::Service* service =
      snapshot.ok() ? (*snapshot)->Find(result.duplicate.service_code) : nullptr;
  http::Response response = JsonResponse(200, CaseToJson(result.duplicate, service));
  response.SetHeader("ETag", ETagFor(result.duplicate.version));
  return response;
}

}  // namespace

void RegisterDuplicateRoutes(http::Router& router, ApiContext& ctx) {
  auto bind = [&ctx](auto fn) {
    return [&ctx, fn](http::Request& request) { return fn(ctx, request); };
  };
  AddRoute(router, "POST", "/api/v1/cases/duplicate-check", bind(DuplicateCheckHandler));
  AddRoute(router, "GET", "/api/v1/cases/{id}/duplicates", bind(ListDuplicatesHandler));
  AddRoute(router, "POST", "/api/v1/cases/{id}/duplicate-of", bind(MarkDuplicateHandler));
}

}  // namespace onestop::api
