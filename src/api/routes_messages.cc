// /api/v1/cases/{id}/messages: what the outbox sends a case's resident
// (acknowledgements, replies) with its delivery state, and an agent's or
// officer's reply by email (services/outbox.h).
#include <boost/json.hpp>

#include "api/api.h"
#include "api/support.h"
#include "codec/json_reader.h"
#include "common/status.h"
#include "common/time_format.h"

namespace onestop::api {
namespace {

boost::json::value OptTime(const std::optional<absl::Time>& t) {
  return t ? boost::json::value(FormatRfc3339(*t)) : boost::json::value(nullptr);
}

boost::json::object MessageToJson(const domain::OutboxMessage& m) {
  boost::json::object out;
  out["id"] = m.id;
  out["channel"] = std::string(domain::OutboxChannelName(m.channel));
  out["to"] = m.recipient;
  out["from"] = m.sender;
  out["template"] = m.template_code;
  out["language"] = m.language;
  out["automatic"] = m.automatic;
  const std::string& body = m.Param("body");
  out["body"] = body.empty() ? boost::json::value(nullptr) : boost::json::value(body);
  out["message_id"] = m.message_id.empty() ? boost::json::value(nullptr) : boost::json::value(m.message_id);
  out["state"] = std::string(domain::OutboxStateName(m.state));
  out["attempts"] = m.attempts;
  out["last_error"] = m.last_error.empty() ? boost::json::value(nullptr) : boost::json::value(m.last_error);
  out["created_at"] = FormatRfc3339(m.created_at);
  out["sent_at"] = OptTime(m.sent_at);
  out["delivered_at"] = OptTime(m.delivered_at);
  out["staff_id"] = m.staff_id ? boost::json::value(*m.staff_id) : boost::json::value(nullptr);
  return out;
}

absl::StatusOr<http::Response> ListMessagesHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(int64_t id, ParsePathId(request.PathParam("id")));
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::OutboxMessage> messages, ctx.list_case_messages.Run(actor, id));
  boost::json::array items;
  for (const domain::OutboxMessage& m : messages) items.push_back(MessageToJson(m));
  return JsonResponse(200, boost::json::object{{"items", std::move(items)}, {"next", nullptr}});
}

absl::StatusOr<http::Response> PostMessageHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(int64_t id, ParsePathId(request.PathParam("id")));
  ONESTOP_ASSIGN_OR_RETURN(boost::json::value body, ParseJsonBody(request));
  codec::ErrorList errors;
  codec::ObjectReader in(body, "", errors);
  std::string text;
  if (auto v = in.String("body", codec::Presence::kRequired)) text = *v;
  in.Finish();
  ONESTOP_RETURN_IF_ERROR(errors.ToStatus("The reply is not valid"));
  if (ctx.reply_to_resident == nullptr) return absl::UnavailableError("email out is not set up on this server");
  ONESTOP_ASSIGN_OR_RETURN(domain::OutboxMessage queued, ctx.reply_to_resident->Run(actor, id, text));
  if (ctx.outbox_wake) ctx.outbox_wake();
  return JsonResponse(202, MessageToJson(queued));
}

}  // namespace

void RegisterMessageRoutes(http::Router& router, ApiContext& ctx) {
  auto bind = [&ctx](auto fn) {
    return [&ctx, fn](http::Request& request) { return fn(ctx, request); };
  };
  AddRoute(router, "GET", "/api/v1/cases/{id}/messages", bind(ListMessagesHandler));
  AddRoute(router, "POST", "/api/v1/cases/{id}/messages", bind(PostMessageHandler));
}

}  // namespace onestop::api
