// /api/v1/interactions, /api/v1/agents/me, /api/v1/queues and
// /api/v1/routing-profiles: the doors into the routing engine
// (services/routing.h). Every route answers 503 when the server runs without
// a routing engine (ApiContext::routing unset).
#include <boost/json.hpp>

#include "absl/strings/str_cat.h"
#include "api/api.h"
#include "api/support.h"
#include "codec/json_reader.h"
#include "common/status.h"
#include "common/time_format.h"
#include "api/routing_json.h"
#include "services/routing.h"

namespace onestop::api {
namespace {

using codec::ErrorList;
using codec::ObjectReader;
using codec::Presence;

absl::StatusOr<services::RoutingDesk*> Desk(ApiContext& ctx) {
  if (ctx.routing == nullptr) return absl::UnavailableError("routing is not running on this server");
  return ctx.routing;
}

void ReadSkillRules(ObjectReader& in, std::vector<domain::RoutingSkillRule>& out) {
  in.ForEachObject("skills", [&](ObjectReader& rule, size_t) {
    domain::RoutingSkillRule r;
    if (auto v = rule.String("skill", Presence::kRequired)) r.skill = *v;
    if (auto v = rule.Int32("min_level", Presence::kOptional, 1, 5)) r.min_level = *v;
    out.push_back(r);
  });
}

// ---- interactions ----

absl::StatusOr<http::Response> PostInteraction(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(services::RoutingDesk * desk, Desk(ctx));
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(boost::json::value body, ParseJsonBody(request));
  ErrorList errors;
  ObjectReader in(body, "", errors);
  services::InteractionRequest r;
  if (auto v = in.String("media", Presence::kRequired)) r.media = *v;
  if (auto v = in.String("queue", Presence::kRequired)) r.queue = *v;
  if (auto v = in.String("caller")) r.caller = *v;
  if (auto v = in.String("reference")) r.reference = *v;
  if (auto v = in.Int32("priority", Presence::kOptional, -100, 100)) r.priority = *v;
  ReadSkillRules(in, r.skills);
  in.Finish();
  ONESTOP_RETURN_IF_ERROR(errors.ToStatus("The interaction is not valid"));
  ONESTOP_ASSIGN_OR_RETURN(routing::Arrival arrival, desk->AddInteraction(actor, r));
  boost::json::object out{{"id", arrival.item_id},
                          {"queue", r.queue},
                          {"state", StateName(arrival.state)},
                          {"position", arrival.position}};
  http::Response response = JsonResponse(201, out);
  response.SetHeader("Location", absl::StrCat("/api/v1/interactions/", arrival.item_id));
  return response;
}

absl::StatusOr<http::Response> GetInteraction(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(services::RoutingDesk * desk, Desk(ctx));
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(int64_t id, ParsePathId(request.PathParam("id")));
  ONESTOP_ASSIGN_OR_RETURN(services::DeskItem item, desk->GetInteraction(actor, id));
  boost::json::object out = ItemToJson(item);
  out["position"] = ctx.routing_engine != nullptr ? ctx.routing_engine->Position(id) : 0;
  return JsonResponse(200, out);
}

absl::StatusOr<http::Response> AbandonInteraction(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(services::RoutingDesk * desk, Desk(ctx));
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(int64_t id, ParsePathId(request.PathParam("id")));
  ONESTOP_RETURN_IF_ERROR(desk->Abandon(actor, id));
  return JsonResponse(200, boost::json::object{{"id", id}, {"state", "abandoned"}});
}

// accept / reject / complete: the agent's own desk afterwards.
template <absl::Status (services::RoutingDesk::*Action)(const domain::Actor&, int64_t) const>
absl::StatusOr<http::Response> AgentAction(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(services::RoutingDesk * desk, Desk(ctx));
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(int64_t id, ParsePathId(request.PathParam("id")));
  ONESTOP_RETURN_IF_ERROR((desk->*Action)(actor, id));
  ONESTOP_ASSIGN_OR_RETURN(services::AgentDesk state, desk->Desk(actor));
  return JsonResponse(200, DeskToJson(state));
}

// ---- the agent's desk ----

absl::StatusOr<http::Response> GetMyDesk(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(services::RoutingDesk * desk, Desk(ctx));
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(services::AgentDesk state, desk->Desk(actor));
  return JsonResponse(200, DeskToJson(state));
}

absl::StatusOr<http::Response> PutMyPresence(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(services::RoutingDesk * desk, Desk(ctx));
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(boost::json::value body, ParseJsonBody(request));
  ErrorList errors;
  ObjectReader in(body, "", errors);
  std::string presence, reason;
  if (auto v = in.String("presence", Presence::kRequired)) presence = *v;
  if (auto v = in.String("reason")) reason = *v;
  in.Finish();
  ONESTOP_RETURN_IF_ERROR(errors.ToStatus("The presence is not valid"));
  ONESTOP_ASSIGN_OR_RETURN(services::AgentDesk state, desk->SetPresence(actor, presence, reason));
  return JsonResponse(200, DeskToJson(state));
}

absl::StatusOr<http::Response> EndMyWrapUp(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(services::RoutingDesk * desk, Desk(ctx));
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_RETURN_IF_ERROR(desk->EndWrapUp(actor));
  ONESTOP_ASSIGN_OR_RETURN(services::AgentDesk state, desk->Desk(actor));
  return JsonResponse(200, DeskToJson(state));
}

// ---- queue definitions and routing profiles ----

absl::StatusOr<http::Response> ListQueues(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(services::RoutingDesk * desk, Desk(ctx));
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::RoutingQueue> queues, desk->ListQueues(actor));
  boost::json::array items;
  for (const auto& q : queues) items.push_back(QueueToJson(q));
  return JsonResponse(200, boost::json::object{{"items", std::move(items)}, {"next", nullptr}});
}

absl::StatusOr<http::Response> GetQueue(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(services::RoutingDesk * desk, Desk(ctx));
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(domain::RoutingQueue q, desk->GetQueue(actor, request.PathParam("code")));
  return JsonResponse(200, QueueToJson(q));
}

absl::StatusOr<http::Response> PutQueue(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(services::RoutingDesk * desk, Desk(ctx));
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(boost::json::value body, ParseJsonBody(request));
  ErrorList errors;
  ObjectReader in(body, "", errors);
  domain::RoutingQueue q;
  q.code = request.PathParam("code");
  if (auto v = in.String("name", Presence::kRequired)) q.name = *v;
  if (auto v = in.String("strategy")) q.strategy = *v;
  ReadSkillRules(in, q.skills);
  in.ForEachObject("steps", [&](ObjectReader& step, size_t) {
    domain::RoutingStepRule s;
    if (auto v = step.Int32("after_seconds", Presence::kRequired, 0, 86400)) s.after_seconds = *v;
    if (auto v = step.Int32("keep_skills", Presence::kOptional, -1, 100)) s.keep_skills = *v;
    if (auto v = step.Int32("level_drop", Presence::kOptional, 0, 4)) s.level_drop = *v;
    q.steps.push_back(s);
  });
  if (auto v = in.Int32("priority_weight_seconds", Presence::kOptional, 0, 86400)) q.priority_weight_seconds = *v;
  if (auto v = in.Int32("ring_timeout_seconds", Presence::kOptional, 0, 3600)) q.ring_timeout_seconds = *v;
  if (auto v = in.Int32("wrap_up_seconds", Presence::kOptional, 0, 3600)) q.wrap_up_seconds = *v;
  if (auto v = in.Int32("service_level_seconds", Presence::kOptional, 0, 3600)) q.service_level_seconds = *v;
  in.Int("version");  // echoed back from a GET; the store assigns it
  in.Finish();
  ONESTOP_RETURN_IF_ERROR(errors.ToStatus("The queue is not valid"));
  ONESTOP_ASSIGN_OR_RETURN(domain::RoutingQueue stored, desk->PutQueue(actor, q));
  return JsonResponse(stored.version == 1 ? 201 : 200, QueueToJson(stored));
}

absl::StatusOr<http::Response> DeleteQueue(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(services::RoutingDesk * desk, Desk(ctx));
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_RETURN_IF_ERROR(desk->DeleteQueue(actor, request.PathParam("code")));
  http::Response response;
  response.status = 204;
  response.content_type.clear();
  return response;
}

absl::StatusOr<http::Response> ListProfiles(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(services::RoutingDesk * desk, Desk(ctx));
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::RoutingProfile> profiles, desk->ListProfiles(actor));
  boost::json::array items;
  for (const auto& p : profiles) items.push_back(ProfileToJson(p));
  return JsonResponse(200, boost::json::object{{"items", std::move(items)}, {"next", nullptr}});
}

absl::StatusOr<http::Response> PutProfile(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(services::RoutingDesk * desk, Desk(ctx));
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(boost::json::value body, ParseJsonBody(request));
  ErrorList errors;
  ObjectReader in(body, "", errors);
  domain::RoutingProfile p;
  p.code = request.PathParam("code");
  if (auto v = in.String("name", Presence::kRequired)) p.name = *v;
  if (auto v = in.String("team")) p.team = *v;
  in.ForEachObject("queues", [&](ObjectReader& line, size_t) {
    domain::RoutingProfileQueue q;
    if (auto v = line.String("queue", Presence::kRequired)) q.queue = *v;
    if (auto v = line.Int32("priority", Presence::kOptional, 1, 99)) q.priority = *v;
    if (auto v = line.Int32("delay_seconds", Presence::kOptional, 0, 86400)) q.delay_seconds = *v;
    p.queues.push_back(q);
  });
  in.WithObject("capacity", [&](ObjectReader& cap) {
    for (int m = 0; m < routing::kMediaCount; ++m) {
      if (auto v = cap.Int32(routing::MediaName(static_cast<routing::Media>(m)), Presence::kOptional, 0, 50)) {
        p.capacity[m] = *v;
      }
    }
  });
  in.Int("version");
  in.Finish();
  ONESTOP_RETURN_IF_ERROR(errors.ToStatus("The routing profile is not valid"));
  ONESTOP_ASSIGN_OR_RETURN(domain::RoutingProfile stored, desk->PutProfile(actor, p));
  return JsonResponse(stored.version == 1 ? 201 : 200, ProfileToJson(stored));
}

absl::StatusOr<http::Response> DeleteProfile(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(services::RoutingDesk * desk, Desk(ctx));
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_RETURN_IF_ERROR(desk->DeleteProfile(actor, request.PathParam("code")));
  http::Response response;
  response.status = 204;
  response.content_type.clear();
  return response;
}

// ---- statistics ----

absl::StatusOr<http::Response> QueueStats(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(services::RoutingDesk * desk, Desk(ctx));
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_RETURN_IF_ERROR(RejectDuplicateQueryParams(request));
  std::vector<FieldError> errors;
  absl::Time from = desk->StartOfToday();
  absl::Time to = from + absl::Hours(24);
  int interval = 30;
  if (auto v = request.QueryParam("from")) {
    auto t = ParseRfc3339(*v);
    if (t.ok()) from = *t; else errors.push_back({"from", "invalid", "Give an RFC 3339 time"});
  }
  if (auto v = request.QueryParam("to")) {
    auto t = ParseRfc3339(*v);
    if (t.ok()) to = *t; else errors.push_back({"to", "invalid", "Give an RFC 3339 time"});
  }
  if (auto v = request.QueryParam("interval_minutes")) {
    auto n = ParseInt64(*v);
    if (n && *n >= 5 && *n <= 1440) interval = static_cast<int>(*n);
    else errors.push_back({"interval_minutes", "out_of_range", "Interval is 5 to 1440 minutes"});
  }
  if (!errors.empty()) return InvalidFields("The statistics query is not valid", errors);
  ONESTOP_ASSIGN_OR_RETURN(services::StatsReport report, desk->Stats(actor, from, to, interval));
  boost::json::array totals, intervals;
  for (const services::QueueStats& s : report.totals) {
    boost::json::object o = FiguresToJson(s.figures);
    o["queue"] = s.queue;
    totals.push_back(std::move(o));
  }
  for (const services::QueueStats& s : report.intervals) {
    boost::json::object o = FiguresToJson(s.figures);
    o["queue"] = s.queue;
    o["from"] = FormatRfc3339(s.from);
    o["to"] = FormatRfc3339(s.to);
    intervals.push_back(std::move(o));
  }
  return JsonResponse(200, boost::json::object{{"from", FormatRfc3339(report.from)},
                                               {"to", FormatRfc3339(report.to)},
                                               {"interval_minutes", report.interval_minutes},
                                               {"totals", std::move(totals)},
                                               {"intervals", std::move(intervals)}});
}

}  // namespace

void RegisterRoutingRoutes(http::Router& router, ApiContext& ctx) {
  auto bind = [&ctx](auto fn) {
    return [&ctx, fn](http::Request& request) { return fn(ctx, request); };
  };
  AddRoute(router, "POST", "/api/v1/interactions", bind(PostInteraction));
  AddRoute(router, "GET", "/api/v1/interactions/{id}", bind(GetInteraction));
  AddRoute(router, "POST", "/api/v1/interactions/{id}/abandon", bind(AbandonInteraction));
  AddRoute(router, "POST", "/api/v1/interactions/{id}/accept",
           bind(AgentAction<&services::RoutingDesk::Accept>));
  AddRoute(router, "POST", "/api/v1/interactions/{id}/reject",
           bind(AgentAction<&services::RoutingDesk::Reject>));
  AddRoute(router, "POST", "/api/v1/interactions/{id}/complete",
           bind(AgentAction<&services::RoutingDesk::Complete>));
  AddRoute(router, "GET", "/api/v1/agents/me", bind(GetMyDesk));
  AddRoute(router, "PUT", "/api/v1/agents/me/presence", bind(PutMyPresence));
  AddRoute(router, "POST", "/api/v1/agents/me/wrap-up/end", bind(EndMyWrapUp));
  AddRoute(router, "GET", "/api/v1/queues", bind(ListQueues));
  AddRoute(router, "GET", "/api/v1/queues/stats", bind(QueueStats));
  AddRoute(router, "GET", "/api/v1/queues/{code}", bind(GetQueue));
  AddRoute(router, "PUT", "/api/v1/queues/{code}", bind(PutQueue));
  AddRoute(router, "DELETE", "/api/v1/queues/{code}", bind(DeleteQueue));
  AddRoute(router, "GET", "/api/v1/routing-profiles", bind(ListProfiles));
  AddRoute(router, "PUT", "/api/v1/routing-profiles/{code}", bind(PutProfile));
  AddRoute(router, "DELETE", "/api/v1/routing-profiles/{code}", bind(DeleteProfile));
}

}  // namespace onestop::api
