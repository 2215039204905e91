// /api/v1/staff: staff accounts (list, create, read, update).
#include <boost/json.hpp>

#include "absl/strings/str_cat.h"
#include "api/api.h"
#include "api/contact_json.h"
#include "api/support.h"
#include "routing/live_engine.h"
#include "services/routing.h"
#include "common/status.h"

namespace onestop::api {
namespace {

http::Response StaffResponse(int status, const domain::StaffUser& staff) {
  http::Response response = JsonResponse(status, StaffToJson(staff));
  response.SetHeader("ETag", ETagFor(staff.version));
  return response;
}

absl::StatusOr<http::Response> ListStaffHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::StaffUser> staff, ctx.list_staff.Run(actor));
  boost::json::array items;
  for (const domain::StaffUser& member : staff) items.push_back(StaffToJson(member));
  return JsonResponse(200, boost::json::object{{"items", std::move(items)}, {"next", nullptr}});
}

absl::StatusOr<http::Response> PostStaffHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(boost::json::value body, ParseJsonBody(request));
  ONESTOP_ASSIGN_OR_RETURN(services::NewStaff input, NewStaffFromJson(body));
  ONESTOP_ASSIGN_OR_RETURN(domain::StaffUser staff, ctx.create_staff.Run(actor, input));
  http::Response response = StaffResponse(201, staff);
  response.SetHeader("Location", absl::StrCat("/api/v1/staff/", staff.id));
  return response;
}

absl::StatusOr<http::Response> GetStaffHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(int64_t id, ParsePathId(request.PathParam("id")));
  ONESTOP_ASSIGN_OR_RETURN(domain::StaffUser staff, ctx.get_staff.Run(actor, id));
  return StaffResponse(200, staff);
}

absl::StatusOr<http::Response> PatchStaffHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(int64_t id, ParsePathId(request.PathParam("id")));
  ONESTOP_ASSIGN_OR_RETURN(std::optional<int64_t> expected, ParseIfMatch(request));
  ONESTOP_ASSIGN_OR_RETURN(boost::json::value body, ParseJsonBody(request));
  ONESTOP_ASSIGN_OR_RETURN(services::StaffChanges changes, StaffChangesFromJson(body));
  ONESTOP_ASSIGN_OR_RETURN(domain::StaffUser staff,
                           ctx.update_staff.Run(actor, id, changes, expected));
  // Routing takes new skills and profile now, as from the admin pages (a
  // standby node or a server without routing leaves it to the leader's next
  // reload of the agent).
  if (ctx.routing != nullptr && ctx.routing_engine != nullptr && ctx.routing_engine->leading() && staff.active) {
    (void)ctx.routing->ApplyStaffChange(actor, id);
  }
  return StaffResponse(200, staff);
}

}  // namespace

void RegisterStaffRoutes(http::Router& router, ApiContext& ctx) {
  auto bind = [&ctx](auto fn) {
    return [&ctx, fn](http::Request& request) { return fn(ctx, request); };
  };
  AddRoute(router, "GET", "/api/v1/staff", bind(ListStaffHandler));
  AddRoute(router, "POST", "/api/v1/staff", bind(PostStaffHandler));
  AddRoute(router, "GET", "/api/v1/staff/{id}", bind(GetStaffHandler));
  AddRoute(router, "PATCH", "/api/v1/staff/{id}", bind(PatchStaffHandler));
}

}  // namespace onestop::api
