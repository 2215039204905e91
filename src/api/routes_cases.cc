// /api/v1/cases and the case's notes, attachments and events.
#include <boost/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "api/api.h"
#include "api/case_json.h"
#include "api/contact_json.h"
#include "api/support.h"
#include "services/routing.h"
#include "common/status.h"

namespace onestop::api {
namespace {

constexpr int kMaxCaseLimit = 200;
constexpr int kDefaultCaseLimit = 50;

// Renders a case with its service's field datatypes (plain strings if the
// catalogue cannot be read just now: the case itself is still right).
boost::json::object RenderCase(ApiContext& ctx, const domain::Case& c) {
  absl::StatusOr<std::shared_ptr<const services::Catalogue::Snapshot>> snapshot =
      ctx.deps.catalogue.Get();
  const domain::Service* service = snapshot.ok() ? (*snapshot)->Find(c.service_code) : nullptr;
  return CaseToJson(c, service);
}

// One case as POST, GET and PATCH answer it: the case and the cases marked
// duplicates of it (lists leave those out), with its ETag.
absl::StatusOr<http::Response> CaseResponse(ApiContext& ctx, const domain::Actor& actor, int status,
                                            const domain::Case& c) {
  ONESTOP_ASSIGN_OR_RETURN(services::CaseLinks links, ctx.get_case_links.Run(actor, c));
  boost::json::object out = RenderCase(ctx, c);
  boost::json::array duplicates;
  for (const domain::Case& d : links.duplicates) {
    duplicates.push_back(boost::json::object{{"id", d.id}, {"reference", d.reference}});
  }
  out["duplicates"] = std::move(duplicates);
  http::Response response = JsonResponse(status, out);
  response.SetHeader("ETag", ETagFor(c.version));
  return response;
}

absl::StatusOr<domain::CaseQuery> CaseQueryFrom(const http::Request& request,
                                                const domain::Actor& actor) {
  ONESTOP_RETURN_IF_ERROR(RejectDuplicateQueryParams(request));
  codec::ErrorList errors;
  QueryReader query(request, errors);
  domain::CaseQuery out;
  if (auto statuses = query.String("status")) {
    for (absl::string_view name : absl::StrSplit(*statuses, ',', absl::SkipEmpty())) {
      std::optional<domain::CaseStatus> status = domain::ParseCaseStatus(std::string(name));
      if (!status) {
        errors.Add("status", "invalid", "not_a_case_status", {{"value", std::string(name)}});
        continue;
      }
      out.statuses.push_back(*status);
    }
  }
  out.service_code = query.String("service").value_or("");
  out.team = query.String("team").value_or("");
  out.department = query.String("department").value_or("");
  if (auto assignee = query.String("assignee")) {
    if (*assignee == "me") {
      out.assignee_id = actor.staff_id;
    } else if (auto id = query.Int("assignee", 1, int64_t{1} << 53)) {
      out.assignee_id = *id;
    }
  }
  out.unassigned_only = query.Bool("unassigned").value_or(false);
  if (out.unassigned_only && out.assignee_id) {
    errors.Add("unassigned", "invalid", "assignee_or_unassigned");
  }
  out.citizen_id = query.Int("citizen", 1, int64_t{1} << 53);
  out.due_before = query.Time("due_before");
  out.text = query.String("q").value_or("");
  out.after_id = query.Int("after", 0, int64_t{1} << 53).value_or(0);
  out.limit = static_cast<int>(query.Int("limit", 1, kMaxCaseLimit).value_or(kDefaultCaseLimit));
  ONESTOP_RETURN_IF_ERROR(errors.ToStatus("The query is not valid"));
  return out;
}

absl::StatusOr<http::Response> ListCasesHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(domain::CaseQuery query, CaseQueryFrom(request, actor));
  ONESTOP_ASSIGN_OR_RETURN(domain::CasePage page, ctx.list_cases.Run(actor, std::move(query)));
  boost::json::array items;
  for (const domain::Case& c : page.items) items.push_back(RenderCase(ctx, c));
  boost::json::object out;
  out["items"] = std::move(items);
  out["next"] = page.next_after_id > 0 ? boost::json::value(std::to_string(page.next_after_id))
                                       : boost::json::value(nullptr);
  return JsonResponse(200, out);
}

absl::StatusOr<http::Response> PostCaseHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(services::IdempotencyKey key, IdempotencyFor(request, actor));
  ONESTOP_ASSIGN_OR_RETURN(boost::json::value body, ParseJsonBody(request));
  ONESTOP_ASSIGN_OR_RETURN(services::NewCase input, NewCaseFromJson(body));
  if (input.interaction_id) {
    // Raised during a call: only by the agent connected to it (its one
    // contact then records the case).
    absl::StatusOr<services::DeskItem> item =
        ctx.routing != nullptr ? ctx.routing->GetInteraction(actor, *input.interaction_id)
                               : absl::StatusOr<services::DeskItem>(absl::NotFoundError(""));
    if (!item.ok() || item->item.state != routing::ItemState::kConnected ||
        item->item.agent_id != actor.staff_id) {
      return InvalidFields("The case is not valid",
                           {{"interaction_id", "invalid", "interaction_not_connected", {}}});
    }
  }
  ONESTOP_ASSIGN_OR_RETURN(services::OpenCaseResult result, ctx.open_case.Run(actor, input, key));
  ONESTOP_ASSIGN_OR_RETURN(http::Response response, CaseResponse(ctx, actor, 201, result.c));
  response.SetHeader("Location", absl::StrCat("/api/v1/cases/", result.c.id));
  if (result.replayed) MarkReplayed(response);
  return response;
}

absl::StatusOr<http::Response> GetCaseHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  std::string id_or_reference = request.PathParam("id");
  bool numeric = !id_or_reference.empty();
  for (char ch : id_or_reference) numeric = numeric && ch >= '0' && ch <= '9';
  if (numeric) ONESTOP_RETURN_IF_ERROR(ParsePathId(id_or_reference).status());
  absl::StatusOr<domain::Case> c = ctx.get_case.Run(actor, id_or_reference);
  // Text that is not a reference is just an unknown case.
  if (absl::IsInvalidArgument(c.status())) return absl::NotFoundError("No such case");
  ONESTOP_RETURN_IF_ERROR(c.status());
  return CaseResponse(ctx, actor, 200, *c);
}

absl::StatusOr<http::Response> PatchCaseHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(int64_t id, ParsePathId(request.PathParam("id")));
  ONESTOP_ASSIGN_OR_RETURN(std::optional<int64_t> expected, ParseIfMatch(request));
  ONESTOP_ASSIGN_OR_RETURN(boost::json::value body, ParseJsonBody(request));
  ONESTOP_ASSIGN_OR_RETURN(services::CaseChanges changes, CaseChangesFromJson(body));
  ONESTOP_ASSIGN_OR_RETURN(domain::Case updated,
                           ctx.update_case.Run(actor, id, changes, expected));
  return CaseResponse(ctx, actor, 200, updated);
}

absl::StatusOr<http::Response> ListNotesHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(int64_t id, ParsePathId(request.PathParam("id")));
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::Note> notes, ctx.list_notes.Run(actor, id));
  boost::json::array items;
  for (const domain::Note& note : notes) items.push_back(NoteToJson(note));
  return JsonResponse(200, boost::json::object{{"items", std::move(items)}, {"next", nullptr}});
}

absl::StatusOr<http::Response> PostNoteHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(int64_t id, ParsePathId(request.PathParam("id")));
  ONESTOP_ASSIGN_OR_RETURN(boost::json::value body, ParseJsonBody(request));
  ONESTOP_ASSIGN_OR_RETURN(NewNote input, NewNoteFromJson(body));
  ONESTOP_ASSIGN_OR_RETURN(domain::Note note,
                           ctx.add_note.Run(actor, id, input.visibility, input.body));
  return JsonResponse(201, NoteToJson(note));
}

absl::StatusOr<http::Response> ListAttachmentsHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(int64_t id, ParsePathId(request.PathParam("id")));
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::Attachment> attachments,
                           ctx.list_attachments.Run(actor, id));
  boost::json::array items;
  for (const domain::Attachment& a : attachments) items.push_back(AttachmentToJson(a));
  return JsonResponse(200, boost::json::object{{"items", std::move(items)}, {"next", nullptr}});
}

absl::StatusOr<http::Response> PostAttachmentHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(int64_t id, ParsePathId(request.PathParam("id")));
  ONESTOP_ASSIGN_OR_RETURN(boost::json::value body, ParseJsonBody(request));
  ONESTOP_ASSIGN_OR_RETURN(domain::Attachment input, AttachmentFromJson(body));
  ONESTOP_ASSIGN_OR_RETURN(domain::Attachment saved,
                           ctx.add_attachment.Run(actor, id, std::move(input)));
  return JsonResponse(201, AttachmentToJson(saved));
}

absl::StatusOr<http::Response> ListCaseEventsHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(int64_t id, ParsePathId(request.PathParam("id")));
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::Event> events, ctx.get_case_history.Run(actor, id));
  boost::json::array items;
  for (const domain::Event& event : events) items.push_back(EventToJson(event));
  return JsonResponse(200, boost::json::object{{"items", std::move(items)}, {"next", nullptr}});
}

}  // namespace

void RegisterCaseRoutes(http::Router& router, ApiContext& ctx) {
  auto bind = [&ctx](auto fn) {
    return [&ctx, fn](http::Request& request) { return fn(ctx, request); };
  };
  AddRoute(router, "GET", "/api/v1/cases", bind(ListCasesHandler));
  AddRoute(router, "POST", "/api/v1/cases", bind(PostCaseHandler));
  AddRoute(router, "GET", "/api/v1/cases/{id}", bind(GetCaseHandler));
  AddRoute(router, "PATCH", "/api/v1/cases/{id}", bind(PatchCaseHandler));
  AddRoute(router, "GET", "/api/v1/cases/{id}/notes", bind(ListNotesHandler));
  AddRoute(router, "POST", "/api/v1/cases/{id}/notes", bind(PostNoteHandler));
  AddRoute(router, "GET", "/api/v1/cases/{id}/attachments", bind(ListAttachmentsHandler));
  AddRoute(router, "POST", "/api/v1/cases/{id}/attachments", bind(PostAttachmentHandler));
  AddRoute(router, "GET", "/api/v1/cases/{id}/events", bind(ListCaseEventsHandler));
}

}  // namespace onestop::api
