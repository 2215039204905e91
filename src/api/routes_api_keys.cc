// /api/v1/api-keys: keys for client applications such as FixMyStreet (admin).
// The key itself appears once, in the 201 of the POST; lists show its prefix.
#include <boost/json.hpp>

#include "absl/strings/str_cat.h"
#include "api/api.h"
#include "api/support.h"
#include "codec/json_reader.h"
#include "common/status.h"
#include "common/time_format.h"

namespace onestop::api {
namespace {

using codec::ErrorList;
using codec::ObjectReader;
using codec::Presence;

boost::json::object ApiKeyToJson(const domain::ApiKey& key) {
  boost::json::object out{{"id", key.id},
                          {"name", key.name},
                          {"key_prefix", key.key_prefix},
                          {"created_by", key.created_by},
                          {"created_at", FormatRfc3339(key.created_at)},
                          {"revoked_at", nullptr},
                          {"active", !key.revoked_at.has_value()}};
  if (key.revoked_at) out["revoked_at"] = FormatRfc3339(*key.revoked_at);
  return out;
}

absl::StatusOr<http::Response> ListApiKeysHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::ApiKey> keys, ctx.list_api_keys.Run(actor));
  boost::json::array items;
  for (const domain::ApiKey& key : keys) items.push_back(ApiKeyToJson(key));
  return JsonResponse(200, boost::json::object{{"items", std::move(items)}, {"next", nullptr}});
}

absl::StatusOr<http::Response> PostApiKeyHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(boost::json::value body, ParseJsonBody(request));
  ErrorList errors;
  ObjectReader in(body, "", errors);
  std::string name;
  if (auto v = in.String("name", Presence::kRequired)) name = *v;
  in.Finish();
  ONESTOP_RETURN_IF_ERROR(errors.ToStatus("The API key request is not valid"));
  ONESTOP_ASSIGN_OR_RETURN(services::CreatedApiKey created, ctx.create_api_key.Run(actor, name));
  boost::json::object out = ApiKeyToJson(created.record);
  out["key"] = created.key;
  http::Response response = JsonResponse(201, out);
  response.SetHeader("Location", absl::StrCat("/api/v1/api-keys/", created.record.id));
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

absl::StatusOr<http::Response> DeleteApiKeyHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(int64_t id, ParsePathId(request.PathParam("id")));
  ONESTOP_ASSIGN_OR_RETURN(domain::ApiKey key, ctx.revoke_api_key.Run(actor, id));
  return JsonResponse(200, ApiKeyToJson(key));
}

}  // namespace

void RegisterApiKeyRoutes(http::Router& router, ApiContext& ctx) {
  auto bind = [&ctx](auto fn) {
    return [&ctx, fn](http::Request& request) { return fn(ctx, request); };
  };
  AddRoute(router, "GET", "/api/v1/api-keys", bind(ListApiKeysHandler));
  AddRoute(router, "POST", "/api/v1/api-keys", bind(PostApiKeyHandler));
  AddRoute(router, "DELETE", "/api/v1/api-keys/{id}", bind(DeleteApiKeyHandler));
}

}  // namespace onestop::api
