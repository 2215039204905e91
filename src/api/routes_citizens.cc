// /api/v1/citizens (register, find, read, update, timeline) and
// /api/v1/citizen-merges (merge, read, reverse).
#include <boost/json.hpp>

#include "absl/strings/str_cat.h"
#include "api/api.h"
#include "api/citizen_json.h"
#include "api/support.h"
#include "common/status.h"
#include "services/permissions.h"

namespace onestop::api {
namespace {

constexpr int64_t kMaxId = int64_t{1} << 53;
constexpr int kMaxCitizenLimit = 200;
constexpr int kMaxTimelineLimit = 500;
constexpr int kDefaultTimelineLimit = 200;

http::Response CitizenResponse(int status, const domain::Citizen& citizen) {
  http::Response response = JsonResponse(status, CitizenToJson(citizen));
  response.SetHeader("ETag", ETagFor(citizen.version));
  return response;
}

absl::StatusOr<http::Response> PostCitizenHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(services::IdempotencyKey key, IdempotencyFor(request, actor));
  ONESTOP_ASSIGN_OR_RETURN(boost::json::value body, ParseJsonBody(request));
  ONESTOP_ASSIGN_OR_RETURN(NewCitizen input, NewCitizenFromJson(body));
  ONESTOP_ASSIGN_OR_RETURN(
      services::CreateCitizenResult result,
      ctx.create_citizen.Run(actor, std::move(input.citizen), input.channel, key));
  boost::json::object out = CitizenToJson(result.citizen);
  boost::json::array duplicates;
  for (const domain::Citizen& other : result.possible_duplicates) {
    duplicates.push_back(boost::json::object{{"id", other.id}, {"name", other.DisplayName()}});
  }
  out["possible_duplicates"] = std::move(duplicates);
  http::Response response = JsonResponse(201, out);
  response.SetHeader("ETag", ETagFor(result.citizen.version));
  response.SetHeader("Location", absl::StrCat("/api/v1/citizens/", result.citizen.id));
  if (result.replayed) MarkReplayed(response);
  return response;
}

absl::StatusOr<http::Response> FindCitizensHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_RETURN_IF_ERROR(RejectDuplicateQueryParams(request));
  codec::ErrorList errors;
  QueryReader query(request, errors);
  domain::CitizenQuery find;
  find.phone = query.String("phone").value_or("");
  find.email = query.String("email").value_or("");
  find.postcode = query.String("postcode").value_or("");
  find.name = query.String("name").value_or("");
  find.limit = static_cast<int>(query.Int("limit", 1, kMaxCitizenLimit).value_or(50));
  ONESTOP_RETURN_IF_ERROR(errors.ToStatus("The query is not valid"));
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::Citizen> found,
                           ctx.find_citizens.Run(actor, std::move(find)));
  boost::json::array items;
  for (const domain::Citizen& citizen : found) items.push_back(CitizenToJson(citizen));
  return JsonResponse(200, boost::json::object{{"items", std::move(items)}, {"next", nullptr}});
}

absl::StatusOr<http::Response> GetCitizenHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(int64_t id, ParsePathId(request.PathParam("id")));
  ONESTOP_ASSIGN_OR_RETURN(domain::Citizen citizen, ctx.get_citizen.Run(actor, id));
  return CitizenResponse(200, citizen);
}

absl::StatusOr<http::Response> PatchCitizenHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(int64_t id, ParsePathId(request.PathParam("id")));
  ONESTOP_ASSIGN_OR_RETURN(std::optional<int64_t> if_match, ParseIfMatch(request));
  ONESTOP_ASSIGN_OR_RETURN(boost::json::value body, ParseJsonBody(request));
  ONESTOP_ASSIGN_OR_RETURN(domain::Citizen citizen, ctx.get_citizen.Run(actor, id));
  // The patch applies to the version read here, so without If-Match a
  // concurrent edit still fails (412) rather than being silently overwritten.
  int64_t expected = if_match.value_or(citizen.version);
  ONESTOP_RETURN_IF_ERROR(ApplyCitizenPatch(body, citizen));
  ONESTOP_ASSIGN_OR_RETURN(domain::Citizen updated,
                           ctx.update_citizen.Run(actor, std::move(citizen), expected));
  return CitizenResponse(200, updated);
}

absl::StatusOr<http::Response> TimelineHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(int64_t id, ParsePathId(request.PathParam("id")));
  ONESTOP_RETURN_IF_ERROR(RejectDuplicateQueryParams(request));
  codec::ErrorList errors;
  QueryReader query(request, errors);
  int limit = static_cast<int>(query.Int("limit", 1, kMaxTimelineLimit).value_or(kDefaultTimelineLimit));
  ONESTOP_RETURN_IF_ERROR(errors.ToStatus("The query is not valid"));
  ONESTOP_ASSIGN_OR_RETURN(std::vector<services::TimelineEntry> entries,
                           ctx.get_timeline.Run(actor, id, limit));
  absl::StatusOr<std::shared_ptr<const services::Catalogue::Snapshot>> snapshot =
      ctx.deps.catalogue.Get();
  ServiceLookup lookup = [&snapshot](const std::string& code) -> const domain::Service* {
    return snapshot.ok() ? (*snapshot)->Find(code) : nullptr;
  };
  boost::json::array items;
  for (const services::TimelineEntry& entry : entries) {
    items.push_back(TimelineEntryToJson(entry, lookup));
  }
  return JsonResponse(200, boost::json::object{{"items", std::move(items)}, {"next", nullptr}});
}

absl::StatusOr<http::Response> PostMergeHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(boost::json::value body, ParseJsonBody(request));
  ONESTOP_ASSIGN_OR_RETURN(MergeRequest input, MergeRequestFromJson(body));
  if (input.from > kMaxId || input.into > kMaxId) return absl::NotFoundError("No such citizen");
  ONESTOP_ASSIGN_OR_RETURN(domain::CitizenMerge merge,
                           ctx.merge_citizens.Run(actor, input.from, input.into));
  http::Response response = JsonResponse(201, MergeToJson(merge));
  response.SetHeader("Location", absl::StrCat("/api/v1/citizen-merges/", merge.id));
  return response;
}

absl::StatusOr<http::Response> GetMergeHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(int64_t id, ParsePathId(request.PathParam("id")));
  ONESTOP_ASSIGN_OR_RETURN(domain::CitizenMerge merge, ctx.get_merge.Run(actor, id));
  return JsonResponse(200, MergeToJson(merge));
}

absl::StatusOr<http::Response> ReverseMergeHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(int64_t id, ParsePathId(request.PathParam("id")));
  ONESTOP_ASSIGN_OR_RETURN(domain::CitizenMerge merge, ctx.unmerge_citizens.Run(actor, id));
  return JsonResponse(200, MergeToJson(merge));
}

}  // namespace

void RegisterCitizenRoutes(http::Router& router, ApiContext& ctx) {
  auto bind = [&ctx](auto fn) {
    return [&ctx, fn](http::Request& request) { return fn(ctx, request); };
  };
  AddRoute(router, "GET", "/api/v1/citizens", bind(FindCitizensHandler));
  AddRoute(router, "POST", "/api/v1/citizens", bind(PostCitizenHandler));
  AddRoute(router, "GET", "/api/v1/citizens/{id}", bind(GetCitizenHandler));
  AddRoute(router, "PATCH", "/api/v1/citizens/{id}", bind(PatchCitizenHandler));
  AddRoute(router, "GET", "/api/v1/citizens/{id}/timeline", bind(TimelineHandler));
  AddRoute(router, "POST", "/api/v1/citizen-merges", bind(PostMergeHandler));
  AddRoute(router, "GET", "/api/v1/citizen-merges/{id}", bind(GetMergeHandler));
  AddRoute(router, "POST", "/api/v1/citizen-merges/{id}/reverse", bind(ReverseMergeHandler));
}

}  // namespace onestop::api
