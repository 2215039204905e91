// /api/v1/session: log in, see who you are, log out.
#include <boost/json.hpp>

#include "api/api.h"
#include "api/contact_json.h"
#include "api/support.h"
#include "codec/json_reader.h"
#include "common/status.h"
#include "common/time_format.h"

namespace onestop::api {
namespace {

absl::StatusOr<http::Response> PostSession(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(boost::json::value body, ParseJsonBody(request));
  codec::ErrorList errors;
  codec::ObjectReader in(body, "", errors);
  std::optional<std::string> email = in.String("email", codec::Presence::kRequired);
  std::optional<std::string> password = in.String("password", codec::Presence::kRequired);
  in.Finish();
  ONESTOP_RETURN_IF_ERROR(errors.ToStatus("Give an email and a password"));
  ONESTOP_ASSIGN_OR_RETURN(services::LoginResult login, ctx.login.Run(*email, *password));
  boost::json::object out;
  out["token"] = login.token;
  out["expires_at"] = FormatRfc3339(login.expires_at);
  out["staff"] = StaffToJson(login.staff);
  http::Response response = JsonResponse(201, out);
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

absl::StatusOr<http::Response> GetSession(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(std::string token, BearerToken(request));
  ONESTOP_ASSIGN_OR_RETURN(services::AuthenticatedSession session,
                           ctx.authenticate.RunWithSession(token));
  const domain::Actor& actor = session.actor;
  ONESTOP_ASSIGN_OR_RETURN(domain::StaffUser staff, ctx.get_staff.Run(actor, actor.staff_id));
  boost::json::object out;
  out["staff"] = StaffToJson(staff);
  out["expires_at"] = FormatRfc3339(session.expires_at);
  http::Response response = JsonResponse(200, out);
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

absl::StatusOr<http::Response> DeleteSession(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(std::string token, BearerToken(request));
  ONESTOP_RETURN_IF_ERROR(ctx.logout.Run(token));
  return NoContent();
}

}  // namespace

void RegisterSessionRoutes(http::Router& router, ApiContext& ctx) {
  AddRoute(router, "POST", "/api/v1/session",
           [&ctx](http::Request& request) { return PostSession(ctx, request); });
  AddRoute(router, "GET", "/api/v1/session",
           [&ctx](http::Request& request) { return GetSession(ctx, request); });
  AddRoute(router, "DELETE", "/api/v1/session",
           [&ctx](http::Request& request) { return DeleteSession(ctx, request); });
}

}  // namespace onestop::api
