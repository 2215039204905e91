// /api/v1/interactions, /api/v1/agents/me, /api/v1/queues and
// /api/v1/routing-profiles: the doors into the routing engine
// (services/routing.h). Every route answers 503 when the server runs without
// a routing engine (ApiContext::routing unset).
#include <boost/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "api/api.h"
#include "api/support.h"
#include "codec/json_reader.h"
#include "codec/routing_config.h"
#include "common/status.h"
#include "common/time_format.h"
#include "api/routing_json.h"
#include "services/call_control.h"
#include "services/permissions.h"
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

// ETag of the stored version, like cases and services.
http::Response Versioned(http::Response response, int64_t version) {
  response.SetHeader("ETag", ETagFor(version));
  return response;
}

// The version a PUT of a queue or profile expects: If-Match as everywhere
// (ParseIfMatch), or If-None-Match: * for create-only (0, see
// domain::WriteTxn::PutRoutingQueue). Other If-None-Match values, or both
// headers at once, are refused rather than ignored.
absl::StatusOr<std::optional<int64_t>> ExpectedVersion(const http::Request& request) {
  std::optional<std::string> none_match = request.Header("If-None-Match");
  if (!none_match) return ParseIfMatch(request);
  if (absl::StripAsciiWhitespace(*none_match) != "*") {
    return InvalidFields("If-None-Match on PUT must be *",
                         {{"If-None-Match", "invalid", "if_none_match_star", {}}});
  }
  if (request.Header("If-Match")) {
    return InvalidFields("Give If-Match or If-None-Match, not both",
                         {{"If-None-Match", "invalid", "if_none_match_with_if_match", {}}});
  }
  return std::optional<int64_t>(0);
}

// The desk, the signed-in actor and the {id} of the path: what every
// interaction and agent route starts from.
struct OnItem {
  services::RoutingDesk* desk;
  domain::Actor actor;
  int64_t id;
};

absl::StatusOr<OnItem> OnItemOf(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(services::RoutingDesk * desk, Desk(ctx));
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(int64_t id, ParsePathId(request.PathParam("id")));
  return OnItem{desk, std::move(actor), id};
}

// The body {"<field>": n}, n ≥ 1 (`format_reason` otherwise): the one id a
// route needs.
absl::StatusOr<int64_t> IdInBody(http::Request& request, const char* field, const char* format_reason,
                                 const char* message) {
  ONESTOP_ASSIGN_OR_RETURN(boost::json::value body, ParseJsonBody(request));
  ErrorList errors;
  ObjectReader in(body, "", errors);
  std::optional<int64_t> id = in.Int(field, Presence::kRequired);
  in.Finish();
  if (id && *id < 1) errors.Add(field, "invalid", format_reason);
  ONESTOP_RETURN_IF_ERROR(errors.ToStatus(message));
  return *id;
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
  codec::ReadSkillRules(in, r.skills);
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

// The interaction as GET shows it.
absl::StatusOr<http::Response> InteractionResponse(ApiContext& ctx, services::RoutingDesk& desk,
                                                   const domain::Actor& actor, int64_t id) {
  ONESTOP_ASSIGN_OR_RETURN(services::DeskItem item, desk.GetInteraction(actor, id));
  boost::json::object out = ItemToJson(item);
  out["position"] = ctx.routing_engine != nullptr ? ctx.routing_engine->Position(id) : 0;
  // The telephone call behind it, for the agent who holds it.
  if (ctx.routing_engine != nullptr && ctx.calls != nullptr && item.item.media == routing::Media::kVoice) {
    if (std::optional<services::CallState> call = services::ControlCall(*ctx.routing_engine, ctx.calls).State(actor, id)) {
      out["call"] = boost::json::object{{"bridged", call->bridged},
                                        {"on_hold", call->on_hold},
                                        {"recording", call->recording},
                                        {"recording_paused", call->recording_paused},
                                        {"callback", call->callback},
                                        {"outbound", call->outbound},
                                        {"survey", call->survey},
                                        {"consult_agent_id", call->consult_agent_id},
                                        {"consult_connected", call->consult_connected}};
    }
  }
  return JsonResponse(200, out);
}

// POST /api/v1/calls {"number", "citizen_id"?}: click-to-dial. The agent's
// phone rings first; 201 with the new voice interaction.
absl::StatusOr<http::Response> PostCall(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(services::RoutingDesk * desk, Desk(ctx));
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(boost::json::value body, ParseJsonBody(request));
  ErrorList errors;
  ObjectReader in(body, "", errors);
  std::optional<std::string> number = in.String("number", Presence::kRequired);
  std::optional<int64_t> citizen_id = in.Int("citizen_id");
  in.Finish();
  ONESTOP_RETURN_IF_ERROR(errors.ToStatus("The call is not valid"));
  if (ctx.routing_engine == nullptr) return absl::UnavailableError("routing is not running on this server");
  if (citizen_id) {
    // The resident must be one the agent may read (NotFound otherwise).
    ONESTOP_RETURN_IF_ERROR(ctx.get_citizen.Run(actor, *citizen_id).status());
  }
  ONESTOP_ASSIGN_OR_RETURN(int64_t id, services::DialNumber(*ctx.routing_engine, ctx.calls).Run(actor, *number, citizen_id));
  ONESTOP_ASSIGN_OR_RETURN(http::Response response, InteractionResponse(ctx, *desk, actor, id));
  response.status = 201;
  response.SetHeader("Location", absl::StrCat("/api/v1/interactions/", id));
  return response;
}

// POST /api/v1/interactions/{id}/consult {"agent_id"}: a consultative
// transfer starts (the caller holds, the colleague's phone rings).
absl::StatusOr<http::Response> ConsultInteraction(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(OnItem on, OnItemOf(ctx, request));
  auto& [desk, actor, id] = on;
  ONESTOP_ASSIGN_OR_RETURN(int64_t agent_id,
                           IdInBody(request, "agent_id", "agent_id_format", "The consult is not valid"));
  if (ctx.routing_engine == nullptr) return absl::UnavailableError("routing is not running on this server");
  ONESTOP_RETURN_IF_ERROR(services::ControlCall(*ctx.routing_engine, ctx.calls).Consult(actor, id, agent_id));
  return InteractionResponse(ctx, *desk, actor, id);
}

// POST /api/v1/interactions/{id}/hold, /resume, /hangup, /recording/pause,
// /recording/resume: the agent's control of the call (services/call_control.h).
absl::StatusOr<http::Response> ControlInteractionCall(ApiContext& ctx, http::Request& request,
                                                      services::ControlCall::Action action) {
  ONESTOP_ASSIGN_OR_RETURN(OnItem on, OnItemOf(ctx, request));
  auto& [desk, actor, id] = on;
  if (ctx.routing_engine == nullptr) return absl::UnavailableError("routing is not running on this server");
  ONESTOP_RETURN_IF_ERROR(services::ControlCall(*ctx.routing_engine, ctx.calls).Run(actor, id, action));
  return InteractionResponse(ctx, *desk, actor, id);
}

absl::StatusOr<http::Response> GetInteraction(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(OnItem on, OnItemOf(ctx, request));
  auto& [desk, actor, id] = on;
  return InteractionResponse(ctx, *desk, actor, id);
}

// {"queue": code} or {"agent_id": n}, exactly one: the interaction afterwards.
absl::StatusOr<http::Response> TransferInteraction(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(OnItem on, OnItemOf(ctx, request));
  auto& [desk, actor, id] = on;
  ONESTOP_ASSIGN_OR_RETURN(boost::json::value body, ParseJsonBody(request));
  ErrorList errors;
  ObjectReader in(body, "", errors);
  std::optional<std::string> queue = in.String("queue");
  std::optional<int64_t> agent_id = in.Int("agent_id");
  in.Finish();
  if (errors.empty() && queue.has_value() == agent_id.has_value()) {
    errors.Add("", "invalid", "queue_or_agent");
  }
  ONESTOP_RETURN_IF_ERROR(errors.ToStatus("The transfer is not valid"));
  if (queue) {
    ONESTOP_RETURN_IF_ERROR(desk->TransferToQueue(actor, id, *queue));
  } else {
    ONESTOP_RETURN_IF_ERROR(desk->TransferToAgent(actor, id, *agent_id));
  }
  return InteractionResponse(ctx, *desk, actor, id);
}

absl::StatusOr<http::Response> RequeueInteraction(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(OnItem on, OnItemOf(ctx, request));
  auto& [desk, actor, id] = on;
  ONESTOP_RETURN_IF_ERROR(desk->Requeue(actor, id));
  return InteractionResponse(ctx, *desk, actor, id);
}

absl::StatusOr<http::Response> AbandonInteraction(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(OnItem on, OnItemOf(ctx, request));
  auto& [desk, actor, id] = on;
  ONESTOP_RETURN_IF_ERROR(desk->Abandon(actor, id));
  return JsonResponse(200, boost::json::object{{"id", id}, {"state", "abandoned"}});
}

// accept / reject / complete: the agent's own desk afterwards.
template <absl::Status (services::RoutingDesk::*Action)(const domain::Actor&, int64_t) const>
absl::StatusOr<http::Response> AgentAction(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(OnItem on, OnItemOf(ctx, request));
  auto& [desk, actor, id] = on;
  ONESTOP_RETURN_IF_ERROR((desk->*Action)(actor, id));
  ONESTOP_ASSIGN_OR_RETURN(services::AgentDesk state, desk->Desk(actor));
  return JsonResponse(200, DeskToJson(state));
}

// POST .../complete, with an optional wrap-up body {"disposition",
// "service_code", "note"} recorded on the interaction's contact.
absl::StatusOr<http::Response> CompleteInteraction(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(OnItem on, OnItemOf(ctx, request));
  auto& [desk, actor, id] = on;
  services::WrapUp wrap_up;
  if (!request.body.empty()) {
    ONESTOP_ASSIGN_OR_RETURN(boost::json::value body, ParseJsonBody(request));
    ErrorList errors;
    ObjectReader in(body, "", errors);
    if (auto v = in.String("disposition")) wrap_up.disposition = *v;
    if (auto v = in.String("service_code")) wrap_up.service_code = *v;
    if (auto v = in.String("note")) wrap_up.note = *v;
    in.Finish();
    ONESTOP_RETURN_IF_ERROR(errors.ToStatus("The wrap-up is not valid"));
  }
  ONESTOP_RETURN_IF_ERROR(desk->Complete(actor, id, wrap_up));
  ONESTOP_ASSIGN_OR_RETURN(services::AgentDesk state, desk->Desk(actor));
  return JsonResponse(200, DeskToJson(state));
}

// PUT .../citizen {"citizen_id": n}: who the agent's connected interaction is with.
absl::StatusOr<http::Response> PutInteractionCitizen(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(OnItem on, OnItemOf(ctx, request));
  auto& [desk, actor, id] = on;
  ONESTOP_ASSIGN_OR_RETURN(int64_t citizen_id,
                           IdInBody(request, "citizen_id", "citizen_id_format", "The request is not valid"));
  ONESTOP_RETURN_IF_ERROR(desk->LinkCitizen(actor, id, citizen_id));
  return InteractionResponse(ctx, *desk, actor, id);
}

// GET /api/v1/dispositions: the council's wrap-up codes, optionally those
// for ?queue= and ?service_code=.
absl::StatusOr<http::Response> ListDispositions(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(services::RoutingDesk * desk, Desk(ctx));
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_RETURN_IF_ERROR(services::Authorize(actor, services::Permission::kRouteWork));
  routing::ItemView item;
  item.queue = request.QueryParam("queue").value_or("");
  boost::json::array items;
  for (const domain::Disposition* d : desk->DispositionsFor(item, request.QueryParam("service_code").value_or(""))) {
    boost::json::array queues, services;
    for (const auto& q : d->queues) queues.push_back(boost::json::value(q));
    for (const auto& s : d->services) services.push_back(boost::json::value(s));
    items.push_back(boost::json::object{{"code", d->code},
                                        {"name", d->name},
                                        {"outcome", std::string(domain::ContactOutcomeName(d->outcome))},
                                        {"avoidable", d->avoidable},
                                        {"queues", std::move(queues)},
                                        {"services", std::move(services)}});
  }
  return JsonResponse(200, boost::json::object{{"items", std::move(items)}});
}

// PUT /api/v1/agents/{id}/state {"state", "reason"}: a supervisor sets an
// agent's state (available, on_break with a reason, offline, end_wrap_up),
// as on the floor page; the agent's state afterwards.
absl::StatusOr<http::Response> PutAgentState(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(OnItem on, OnItemOf(ctx, request));
  auto& [desk, actor, id] = on;
  ONESTOP_ASSIGN_OR_RETURN(boost::json::value body, ParseJsonBody(request));
  ErrorList errors;
  ObjectReader in(body, "", errors);
  std::string state, reason;
  if (auto v = in.String("state", Presence::kRequired)) state = *v;
  if (auto v = in.String("reason")) reason = *v;
  in.Finish();
  ONESTOP_RETURN_IF_ERROR(errors.ToStatus("The state is not valid"));
  ONESTOP_RETURN_IF_ERROR(desk->SetAgentState(actor, id, state, reason));
  std::optional<routing::AgentView> agent =
      ctx.routing_engine != nullptr ? ctx.routing_engine->Agent(id) : std::nullopt;
  if (!agent) return absl::NotFoundError(absl::StrCat("agent ", id, " is not on the floor"));
  return JsonResponse(200, boost::json::object{{"agent_id", agent->id},
                                               {"name", agent->name},
                                               {"presence", std::string(routing::PresenceName(agent->chosen))},
                                               {"state", std::string(routing::PresenceName(agent->shown))},
                                               {"reason", agent->reason}});
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
  return Versioned(JsonResponse(200, QueueToJson(q)), q.version);
}

absl::StatusOr<http::Response> PutQueue(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(services::RoutingDesk * desk, Desk(ctx));
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(std::optional<int64_t> expected, ExpectedVersion(request));
  ONESTOP_ASSIGN_OR_RETURN(boost::json::value body, ParseJsonBody(request));
  ErrorList errors;
  ObjectReader in(body, "", errors);
  domain::RoutingQueue q;
  q.code = request.PathParam("code");
  codec::ReadRoutingQueue(in, q);
  in.Finish();
  ONESTOP_RETURN_IF_ERROR(errors.ToStatus("The queue is not valid"));
  ONESTOP_ASSIGN_OR_RETURN(domain::RoutingQueue stored, desk->PutQueue(actor, q, expected));
  return Versioned(JsonResponse(stored.version == 1 ? 201 : 200, QueueToJson(stored)), stored.version);
}

absl::StatusOr<http::Response> DeleteQueue(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(services::RoutingDesk * desk, Desk(ctx));
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_RETURN_IF_ERROR(desk->DeleteQueue(actor, request.PathParam("code")));
  return NoContent();
}

absl::StatusOr<http::Response> ListProfiles(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(services::RoutingDesk * desk, Desk(ctx));
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::RoutingProfile> profiles, desk->ListProfiles(actor));
  boost::json::array items;
  for (const auto& p : profiles) items.push_back(ProfileToJson(p));
  return JsonResponse(200, boost::json::object{{"items", std::move(items)}, {"next", nullptr}});
}

absl::StatusOr<http::Response> GetProfile(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(services::RoutingDesk * desk, Desk(ctx));
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(domain::RoutingProfile p, desk->GetProfile(actor, request.PathParam("code")));
  return Versioned(JsonResponse(200, ProfileToJson(p)), p.version);
}

absl::StatusOr<http::Response> PutProfile(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(services::RoutingDesk * desk, Desk(ctx));
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(std::optional<int64_t> expected, ExpectedVersion(request));
  ONESTOP_ASSIGN_OR_RETURN(boost::json::value body, ParseJsonBody(request));
  ErrorList errors;
  ObjectReader in(body, "", errors);
  domain::RoutingProfile p;
  p.code = request.PathParam("code");
  codec::ReadRoutingProfile(in, p);
  in.Finish();
  ONESTOP_RETURN_IF_ERROR(errors.ToStatus("The routing profile is not valid"));
  ONESTOP_ASSIGN_OR_RETURN(domain::RoutingProfile stored, desk->PutProfile(actor, p, expected));
  return Versioned(JsonResponse(stored.version == 1 ? 201 : 200, ProfileToJson(stored)), stored.version);
}

absl::StatusOr<http::Response> DeleteProfile(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(services::RoutingDesk * desk, Desk(ctx));
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_RETURN_IF_ERROR(desk->DeleteProfile(actor, request.PathParam("code")));
  return NoContent();
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
    if (t.ok()) from = *t; else errors.push_back({"from", "invalid", "give_rfc3339_time", {}});
  }
  if (auto v = request.QueryParam("to")) {
    auto t = ParseRfc3339(*v);
    if (t.ok()) to = *t; else errors.push_back({"to", "invalid", "give_rfc3339_time", {}});
  }
  if (auto v = request.QueryParam("interval_minutes")) {
    auto n = ParseInt64(*v);
    if (n && *n >= 5 && *n <= 1440) interval = static_cast<int>(*n);
    else errors.push_back({"interval_minutes", "out_of_range", "interval_range",
                           {{"min", "5"}, {"max", "1440"}}});
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

// 503 from a standby: which node leads routing, when the store knows.
absl::Status StandbyProblem(ApiContext& ctx) {
  std::string detail = "Routing runs on one node at a time and this node is a standby.";
  if (ctx.routing != nullptr) {
    if (auto leader = ctx.routing->Leader(); leader.ok() && leader->has_value()) {
      detail = absl::StrCat(detail, " The leader is node ", (*leader)->node, " (since ",
                            FormatRfc3339((*leader)->since), "); try again there.");
    }
  }
  return WithHttpStatus(absl::UnavailableError(detail), 503, "routing-standby");
}

// GET /api/v1/routing/leader: which node runs the routing engine.
absl::StatusOr<http::Response> GetLeader(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(services::RoutingDesk * desk, Desk(ctx));
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_RETURN_IF_ERROR(desk->CanSeeLeader(actor));
  ONESTOP_ASSIGN_OR_RETURN(std::optional<domain::LeaderInfo> leader, desk->Leader());
  boost::json::object out{{"node", ctx.node_name},
                          {"leading", ctx.routing_engine != nullptr && ctx.routing_engine->leading()}};
  if (leader) {
    out["leader"] = boost::json::object{{"node", leader->node},
                                        {"epoch", leader->epoch},
                                        {"since", FormatRfc3339(leader->since)}};
  } else {
    out["leader"] = nullptr;
  }
  return JsonResponse(200, out);
}

}  // namespace

void RegisterRoutingRoutes(http::Router& router, ApiContext& ctx) {
  // On a standby node the engine answers Unavailable: say so with a problem
  // type of its own (and Retry-After) so a client or load balancer retries
  // on the leader.
  auto bind = [&ctx](auto fn) {
    return [&ctx, fn](http::Request& request) -> absl::StatusOr<http::Response> {
      absl::StatusOr<http::Response> response = fn(ctx, request);
      if (response.ok() || response.status().code() != absl::StatusCode::kUnavailable ||
          ctx.routing_engine == nullptr || ctx.routing_engine->leading()) {
        return response;
      }
      return StandbyProblem(ctx);
    };
  };
  AddRoute(router, "POST", "/api/v1/interactions", bind(PostInteraction));
  AddRoute(router, "GET", "/api/v1/interactions/{id}", bind(GetInteraction));
  AddRoute(router, "POST", "/api/v1/interactions/{id}/abandon", bind(AbandonInteraction));
  AddRoute(router, "POST", "/api/v1/interactions/{id}/accept",
           bind(AgentAction<&services::RoutingDesk::Accept>));
  AddRoute(router, "POST", "/api/v1/interactions/{id}/reject",
           bind(AgentAction<&services::RoutingDesk::Reject>));
  AddRoute(router, "POST", "/api/v1/interactions/{id}/complete", bind(CompleteInteraction));
  AddRoute(router, "PUT", "/api/v1/interactions/{id}/citizen", bind(PutInteractionCitizen));
  AddRoute(router, "GET", "/api/v1/dispositions", bind(ListDispositions));
  AddRoute(router, "POST", "/api/v1/interactions/{id}/transfer", bind(TransferInteraction));
  AddRoute(router, "POST", "/api/v1/interactions/{id}/requeue", bind(RequeueInteraction));
  AddRoute(router, "POST", "/api/v1/calls", bind(PostCall));
  AddRoute(router, "POST", "/api/v1/interactions/{id}/consult", bind(ConsultInteraction));
  using CallAction = services::ControlCall::Action;
  for (const auto& [path, action] : std::vector<std::pair<std::string, CallAction>>{
           {"/api/v1/interactions/{id}/hold", CallAction::kHold},
           {"/api/v1/interactions/{id}/resume", CallAction::kResume},
           {"/api/v1/interactions/{id}/hangup", CallAction::kHangUp},
           {"/api/v1/interactions/{id}/recording/pause", CallAction::kPauseRecording},
           {"/api/v1/interactions/{id}/recording/resume", CallAction::kResumeRecording},
           {"/api/v1/interactions/{id}/consult/complete", CallAction::kCompleteConsult},
           {"/api/v1/interactions/{id}/consult/cancel", CallAction::kCancelConsult}}) {
    AddRoute(router, "POST", path, bind([action](ApiContext& c, http::Request& request) {
      return ControlInteractionCall(c, request, action);
    }));
  }
  AddRoute(router, "GET", "/api/v1/routing/leader", bind(GetLeader));
  AddRoute(router, "GET", "/api/v1/agents/me", bind(GetMyDesk));
  AddRoute(router, "PUT", "/api/v1/agents/me/presence", bind(PutMyPresence));
  AddRoute(router, "POST", "/api/v1/agents/me/wrap-up/end", bind(EndMyWrapUp));
  AddRoute(router, "PUT", "/api/v1/agents/{id}/state", bind(PutAgentState));
  AddRoute(router, "GET", "/api/v1/queues", bind(ListQueues));
  AddRoute(router, "GET", "/api/v1/queues/stats", bind(QueueStats));
  AddRoute(router, "GET", "/api/v1/queues/{code}", bind(GetQueue));
  AddRoute(router, "PUT", "/api/v1/queues/{code}", bind(PutQueue));
  AddRoute(router, "DELETE", "/api/v1/queues/{code}", bind(DeleteQueue));
  AddRoute(router, "GET", "/api/v1/routing-profiles", bind(ListProfiles));
  AddRoute(router, "GET", "/api/v1/routing-profiles/{code}", bind(GetProfile));
  AddRoute(router, "PUT", "/api/v1/routing-profiles/{code}", bind(PutProfile));
  AddRoute(router, "DELETE", "/api/v1/routing-profiles/{code}", bind(DeleteProfile));
}

}  // namespace onestop::api
