// /api/v1/services, /departments, /teams: public reads, admin writes.
#include <boost/json.hpp>

#include "absl/strings/str_cat.h"
#include "api/api.h"
#include "api/support.h"
#include "codec/catalogue.h"
#include "common/status.h"

namespace onestop::api {
namespace {

boost::json::object Items(boost::json::array items) {
  boost::json::object out;
  out["items"] = std::move(items);
  out["next"] = nullptr;
  return out;
}

http::Response ServiceResponse(int status, const domain::Service& service) {
  http::Response response = JsonResponse(status, codec::ServiceToJson(service));
  response.SetHeader("ETag", ETagFor(service.version));
  return response;
}

absl::StatusOr<http::Response> ListServicesHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_RETURN_IF_ERROR(RejectDuplicateQueryParams(request));
  codec::ErrorList errors;
  QueryReader query(request, errors);
  std::optional<domain::Channel> channel;
  if (auto name = query.String("channel")) {
    channel = domain::ParseChannel(*name);
    if (!channel) {
      errors.Add("channel", "invalid", "not_one_of",
                 {{"value", *name}, {"allowed", std::string(codec::ChannelNames())}});
    }
  }
  bool include_inactive = query.Bool("include_inactive").value_or(false);
  ONESTOP_RETURN_IF_ERROR(errors.ToStatus("The query is not valid"));
  domain::Actor actor = domain::Actor::Public();
  if (include_inactive) {
    ONESTOP_ASSIGN_OR_RETURN(actor, RequireActor(ctx, request));
  }
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::Service> services,
                           ctx.list_services.Run(actor, channel, include_inactive));
  boost::json::array items;
  for (const domain::Service& service : services) items.push_back(codec::ServiceToJson(service));
  return JsonResponse(200, Items(std::move(items)));
}

absl::StatusOr<http::Response> GetServiceHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Service service,
                           ctx.get_service.Run(request.PathParam("code")));
  return ServiceResponse(200, service);
}

absl::StatusOr<http::Response> PostServiceHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(boost::json::value body, ParseJsonBody(request));
  ONESTOP_ASSIGN_OR_RETURN(domain::Service service, codec::ServiceFromJson(body));
  // POST creates: expected version 0 means "must not exist yet", so an
  // existing code is a conflict, not a silent replace.
  ONESTOP_ASSIGN_OR_RETURN(domain::Service saved, ctx.save_service.Run(actor, service, 0));
  http::Response response = ServiceResponse(201, saved);
  response.SetHeader("Location", absl::StrCat("/api/v1/services/", saved.code));
  return response;
}

// The body's "code", when given, must match the path.
absl::Status CheckCodeMatchesPath(const boost::json::value& body, const std::string& code) {
  const boost::json::value* given = body.get_object().if_contains("code");
  if (given != nullptr && given->is_string() && std::string(given->get_string()) != code) {
    return InvalidFields("The code in the body differs from the code in the path",
                         {{"code", "invalid", "code_matches_path", {}}});
  }
  return absl::OkStatus();
}

// Fills in "code" from the path when the body leaves it out.
void DefaultCodeFromPath(boost::json::value& body, const std::string& code) {
  boost::json::object& object = body.get_object();
  if (!object.contains("code")) object["code"] = code;
}

absl::StatusOr<http::Response> PutServiceHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(std::optional<int64_t> expected, ParseIfMatch(request));
  ONESTOP_ASSIGN_OR_RETURN(boost::json::value body, ParseJsonBody(request));
  std::string code = request.PathParam("code");
  ONESTOP_RETURN_IF_ERROR(CheckCodeMatchesPath(body, code));
  DefaultCodeFromPath(body, code);
  ONESTOP_ASSIGN_OR_RETURN(domain::Service service, codec::ServiceFromJson(body));
  ONESTOP_ASSIGN_OR_RETURN(domain::Service saved, ctx.save_service.Run(actor, service, expected));
  return ServiceResponse(200, saved);
}

absl::StatusOr<http::Response> ListDepartmentsHandler(ApiContext& ctx, http::Request&) {
  ONESTOP_ASSIGN_OR_RETURN(auto snapshot, ctx.deps.catalogue.Get());
  boost::json::array items;
  for (const domain::Department& d : snapshot->departments) items.push_back(codec::DepartmentToJson(d));
  return JsonResponse(200, Items(std::move(items)));
}

absl::StatusOr<http::Response> ListTeamsHandler(ApiContext& ctx, http::Request&) {
  ONESTOP_ASSIGN_OR_RETURN(auto snapshot, ctx.deps.catalogue.Get());
  boost::json::array items;
  for (const domain::Team& t : snapshot->teams) items.push_back(codec::TeamToJson(t));
  return JsonResponse(200, Items(std::move(items)));
}

absl::StatusOr<http::Response> PutDepartmentHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(boost::json::value body, ParseJsonBody(request));
  std::string code = request.PathParam("code");
  ONESTOP_RETURN_IF_ERROR(CheckCodeMatchesPath(body, code));
  DefaultCodeFromPath(body, code);
  ONESTOP_ASSIGN_OR_RETURN(domain::Department department, codec::DepartmentFromJson(body));
  ONESTOP_RETURN_IF_ERROR(ctx.save_department.Run(actor, department));
  return JsonResponse(200, codec::DepartmentToJson(department));
}

absl::StatusOr<http::Response> PutTeamHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(boost::json::value body, ParseJsonBody(request));
  std::string code = request.PathParam("code");
  ONESTOP_RETURN_IF_ERROR(CheckCodeMatchesPath(body, code));
  DefaultCodeFromPath(body, code);
  ONESTOP_ASSIGN_OR_RETURN(domain::Team team, codec::TeamFromJson(body));
  ONESTOP_RETURN_IF_ERROR(ctx.save_team.Run(actor, team));
  return JsonResponse(200, codec::TeamToJson(team));
}

}  // namespace

void RegisterCatalogueRoutes(http::Router& router, ApiContext& ctx) {
  auto bind = [&ctx](auto fn) {
    return [&ctx, fn](http::Request& request) { return fn(ctx, request); };
  };
  AddRoute(router, "GET", "/api/v1/services", bind(ListServicesHandler));
  AddRoute(router, "POST", "/api/v1/services", bind(PostServiceHandler));
  AddRoute(router, "GET", "/api/v1/services/{code}", bind(GetServiceHandler));
  AddRoute(router, "PUT", "/api/v1/services/{code}", bind(PutServiceHandler));
  AddRoute(router, "GET", "/api/v1/departments", bind(ListDepartmentsHandler));
  AddRoute(router, "PUT", "/api/v1/departments/{code}", bind(PutDepartmentHandler));
  AddRoute(router, "GET", "/api/v1/teams", bind(ListTeamsHandler));
  AddRoute(router, "PUT", "/api/v1/teams/{code}", bind(PutTeamHandler));
}

}  // namespace onestop::api
