// /api/v1/contacts (record, list) and /api/v1/events (the change feed).
#include <boost/json.hpp>

#include "absl/strings/str_cat.h"
#include "api/api.h"
#include "api/contact_json.h"
#include "api/support.h"
#include "codec/catalogue.h"
#include "common/status.h"

namespace onestop::api {
namespace {

constexpr int64_t kMaxId = int64_t{1} << 53;
constexpr int kMaxContactLimit = 200;
constexpr int kDefaultContactLimit = 50;
constexpr int kMaxEventLimit = 1000;
constexpr int kDefaultEventLimit = 100;

absl::StatusOr<http::Response> PostContactHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(services::IdempotencyKey key, IdempotencyFor(request, actor));
  ONESTOP_ASSIGN_OR_RETURN(boost::json::value body, ParseJsonBody(request));
  ONESTOP_ASSIGN_OR_RETURN(domain::Contact input, ContactFromJson(body));
  ONESTOP_ASSIGN_OR_RETURN(services::RecordContactResult result,
                           ctx.record_contact.Run(actor, std::move(input), key));
  http::Response response = JsonResponse(201, ContactToJson(result.contact));
  if (result.replayed) MarkReplayed(response);
  return response;
}

absl::StatusOr<http::Response> ListContactsHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_RETURN_IF_ERROR(RejectDuplicateQueryParams(request));
  codec::ErrorList errors;
  QueryReader query(request, errors);
  domain::ContactQuery find;
  find.citizen_id = query.Int("citizen", 1, kMaxId);
  find.case_id = query.Int("case", 1, kMaxId);
  if (auto name = query.String("channel")) {
    find.channel = domain::ParseChannel(*name);
    if (!find.channel) {
      errors.Add("channel", "invalid", "not_one_of",
                 {{"value", *name}, {"allowed", std::string(codec::ChannelNames())}});
    }
  }
  find.after_id = query.Int("after", 0, kMaxId).value_or(0);
  find.limit =
      static_cast<int>(query.Int("limit", 1, kMaxContactLimit).value_or(kDefaultContactLimit));
  ONESTOP_RETURN_IF_ERROR(errors.ToStatus("The query is not valid"));
  int limit = find.limit;
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::Contact> contacts,
                           ctx.list_contacts.Run(actor, std::move(find)));
  boost::json::array items;
  for (const domain::Contact& contact : contacts) items.push_back(ContactToJson(contact));
  boost::json::object out;
  out["items"] = std::move(items);
  // A full page may have more behind it.
  out["next"] = static_cast<int>(contacts.size()) >= limit && !contacts.empty()
                    ? boost::json::value(std::to_string(contacts.back().id))
                    : boost::json::value(nullptr);
  return JsonResponse(200, out);
}

absl::StatusOr<http::Response> GetContactHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(int64_t id, ParsePathId(request.PathParam("id")));
  ONESTOP_ASSIGN_OR_RETURN(domain::Contact contact, ctx.get_contact.Run(actor, id));
  boost::json::object out = ContactToJson(contact);
  // The call's recording (for those who may play it) and survey score.
  ONESTOP_ASSIGN_OR_RETURN(services::ContactCallDetails call,
                           services::GetContactCallDetails(ctx.deps).Run(actor, contact.id));
  AddContactCallDetails(out, call);
  return JsonResponse(200, out);
}

absl::StatusOr<http::Response> ListEventsHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_RETURN_IF_ERROR(RejectDuplicateQueryParams(request));
  codec::ErrorList errors;
  QueryReader query(request, errors);
  domain::EventQuery find;
  find.after_seq = query.Int("after", 0, INT64_MAX).value_or(0);
  find.limit = static_cast<int>(query.Int("limit", 1, kMaxEventLimit).value_or(kDefaultEventLimit));
  find.case_id = query.Int("case", 1, kMaxId);
  find.citizen_id = query.Int("citizen", 1, kMaxId);
  find.entity = query.String("entity").value_or("");
  ONESTOP_RETURN_IF_ERROR(errors.ToStatus("The query is not valid"));
  int64_t after = find.after_seq;
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::Event> events,
                           ctx.list_events.Run(actor, std::move(find)));
  boost::json::array items;
  for (const domain::Event& event : events) items.push_back(EventToJson(event));
  boost::json::object out;
  out["items"] = std::move(items);
  out["next_after"] = events.empty() ? after : events.back().seq;
  return JsonResponse(200, out);
}

}  // namespace

void RegisterContactAndEventRoutes(http::Router& router, ApiContext& ctx) {
  auto bind = [&ctx](auto fn) {
    return [&ctx, fn](http::Request& request) { return fn(ctx, request); };
  };
  AddRoute(router, "GET", "/api/v1/contacts", bind(ListContactsHandler));
  AddRoute(router, "POST", "/api/v1/contacts", bind(PostContactHandler));
  AddRoute(router, "GET", "/api/v1/contacts/{id}", bind(GetContactHandler));
  AddRoute(router, "GET", "/api/v1/events", bind(ListEventsHandler));
}

}  // namespace onestop::api
