// /api/v1/staff/{id}/sip: a staff member's phone extension (admins only).
// PUT sets it ({"extension","password"}), GET reads it, DELETE removes it.
// Responses carry {"staff_id","extension","realm","updated_at"}: never the
// password or the HA1 (services/sip_accounts.h).
#include <boost/json.hpp>

#include "api/api.h"
#include "api/support.h"
#include "codec/json_reader.h"
#include "common/status.h"
#include "common/time_format.h"
#include "services/sip_accounts.h"

namespace onestop::api {
namespace {

struct SipInput {
  std::string extension;
  std::string password;
};

absl::StatusOr<SipInput> SipInputFromJson(const boost::json::value& json) {
  codec::ErrorList errors;
  codec::ObjectReader in(json, "", errors);
  SipInput out;
  if (auto v = in.String("extension", codec::Presence::kRequired)) out.extension = *v;
  if (auto v = in.String("password", codec::Presence::kRequired)) out.password = *v;
  in.Finish();
  ONESTOP_RETURN_IF_ERROR(errors.ToStatus("The phone extension is not valid"));
  return out;
}

// The only place a SipAccount becomes JSON: ha1 is left out on purpose.
boost::json::object SipAccountToJson(const domain::SipAccount& account) {
  boost::json::object out;
  out["staff_id"] = account.staff_id;
  out["extension"] = account.extension;
  out["realm"] = account.realm;
  out["updated_at"] = FormatRfc3339(account.updated_at);
  return out;
}

absl::StatusOr<http::Response> PutSipHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(int64_t id, ParsePathId(request.PathParam("id")));
  ONESTOP_ASSIGN_OR_RETURN(boost::json::value body, ParseJsonBody(request));
  ONESTOP_ASSIGN_OR_RETURN(SipInput input, SipInputFromJson(body));
  // Built per request: the app sets ctx.sip_realm after constructing the
  // context, and the use case is two references and a string.
  ONESTOP_ASSIGN_OR_RETURN(domain::SipAccount account,
                           services::SetSipAccount(ctx.deps, ctx.sip_realm)
                               .Run(actor, id, input.extension, input.password));
  http::Response response = JsonResponse(200, SipAccountToJson(account));
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

absl::StatusOr<http::Response> GetSipHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(int64_t id, ParsePathId(request.PathParam("id")));
  ONESTOP_ASSIGN_OR_RETURN(domain::SipAccount account,
                           services::GetSipAccount(ctx.deps).Run(actor, id));
  http::Response response = JsonResponse(200, SipAccountToJson(account));
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

absl::StatusOr<http::Response> DeleteSipHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(int64_t id, ParsePathId(request.PathParam("id")));
  ONESTOP_RETURN_IF_ERROR(services::RemoveSipAccount(ctx.deps).Run(actor, id));
  return NoContent();
}

}  // namespace

void RegisterSipAccountRoutes(http::Router& router, ApiContext& ctx) {
  auto bind = [&ctx](auto fn) {
    return [&ctx, fn](http::Request& request) { return fn(ctx, request); };
  };
  AddRoute(router, "PUT", "/api/v1/staff/{id}/sip", bind(PutSipHandler));
  AddRoute(router, "GET", "/api/v1/staff/{id}/sip", bind(GetSipHandler));
  AddRoute(router, "DELETE", "/api/v1/staff/{id}/sip", bind(DeleteSipHandler));
}

}  // namespace onestop::api
