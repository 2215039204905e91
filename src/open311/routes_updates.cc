// The /open311/v2 servicerequestupdates handlers (GET and POST).
#include <algorithm>
#include <exception>
#include <map>
#include <optional>
#include <spdlog/spdlog.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "common/status.h"
#include "common/time_format.h"
#include "domain/form_validation.h"
#include "open311/open311.h"
#include "open311/params.h"
#include "open311/render.h"
#include "open311/routes_internal.h"
#include "open311/status_map.h"
#include "services/case_rules.h"

namespace onestop::open311::routes_internal {

namespace {

std::string ChangeAfter(const domain::Event& e, std::string_view field) {
  for (const auto& change : e.changes) {
    if (change.field == field) return change.after;
  }
  return "";
}

Node UpdateNode(const domain::Event& e, const Case& c, CaseStatus status_then,
                std::string description) {
  return Node::Object(
      "request_update",
      {Node::Text("update_id", std::to_string(e.seq)),
       Node::Text("service_request_id", c.reference),
       Node::Text("status", std::string(ExtendedStatus(status_then))),
       Node::Text("updated_datetime", FormatRfc3339(e.at)),
       Node::Text("description", std::move(description)), Node::Text("media_url", ""),
       Node::Text("external_status_code", std::string(domain::CaseStatusName(status_then)))});
}

}  // namespace

// Staff changes (actor_id != 0) that a client may show: status changes and
// public notes. Changes made by Open311 clients themselves are not echoed.
absl::StatusOr<Reply> ListUpdates(Open311Context& ctx, http::Request& request, Format) {
  ONESTOP_ASSIGN_OR_RETURN(http::ParamList params, GetParams(request));
  ONESTOP_RETURN_IF_ERROR(RequireKey(ctx, Param(params, "api_key")).status());
  ONESTOP_RETURN_IF_ERROR(CheckJurisdiction(ctx, Param(params, "jurisdiction_id")));
  ONESTOP_ASSIGN_OR_RETURN(Window window, DateWindow(ctx, params));
  ONESTOP_ASSIGN_OR_RETURN(auto catalogue, ctx.deps.catalogue.Get());
  struct CaseInfo {
    std::optional<Case> c;
    std::vector<std::pair<int64_t, CaseStatus>> statuses;  // (seq, status from then on)
  };
  std::map<int64_t, CaseInfo> cases;
  auto info_for = [&](int64_t case_id) -> absl::StatusOr<CaseInfo*> {
    auto [it, inserted] = cases.try_emplace(case_id);
    if (!inserted) return &it->second;
    auto c = ctx.get_case.Run(ClientActor(), std::to_string(case_id));
    if (absl::IsNotFound(c.status())) return &it->second;
    if (!c.ok()) return c.status();
    if (!OnApi(catalogue->Find(c->service_code))) return &it->second;
    ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::Event> history,
                             ctx.get_case_history.Run(ClientActor(), case_id));
    for (const auto& e : history) {
      if (auto s = domain::ParseCaseStatus(ChangeAfter(e, "status"))) {
        it->second.statuses.emplace_back(e.seq, *s);
      }
    }
    it->second.c = *c;
    return &it->second;
  };
  std::vector<Node> items;
  domain::EventQuery query;
  query.entity = "case";
  query.from = window.start;
  query.to = window.EndExclusive();
  query.limit = 1000;
  while (static_cast<int>(items.size()) < ctx.options.max_requests) {
    ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::Event> events,
                             ctx.list_events.Run(ClientActor(), query));
    if (events.empty()) break;
    query.after_seq = events.back().seq;
    for (const auto& e : events) {
      if (e.actor_id == 0 || !e.case_id) continue;
      const bool status_change = e.type == "case.status_changed";
      const bool public_note = e.type == "note.added" && ChangeAfter(e, "visibility") == "public";
      if (!status_change && !public_note) continue;
      ONESTOP_ASSIGN_OR_RETURN(CaseInfo * info, info_for(*e.case_id));
      if (!info->c) continue;
      CaseStatus status_then = info->c->status;
      for (const auto& [seq, status] : info->statuses) {
        if (seq <= e.seq) status_then = status;
      }
      items.push_back(UpdateNode(e, *info->c, status_then,
                                 public_note ? ChangeAfter(e, "body") : std::string()));
      if (static_cast<int>(items.size()) >= ctx.options.max_requests) break;
    }
  }
  return Reply{200, Node::List("service_request_updates", std::move(items))};
}

absl::StatusOr<Reply> PostUpdate(Open311Context& ctx, http::Request& request, Format) {
  ONESTOP_ASSIGN_OR_RETURN(http::ParamList params, ReadPostParams(request));
  ONESTOP_RETURN_IF_ERROR(CheckParams(params));
  ONESTOP_RETURN_IF_ERROR(RequireKey(ctx, Param(params, "api_key")).status());
  ONESTOP_RETURN_IF_ERROR(CheckJurisdiction(ctx, Param(params, "jurisdiction_id")));
  std::vector<FieldError> errors;
  for (const char* required : {"service_request_id", "update_id", "status", "updated_datetime"}) {
    if (Param(params, required).empty()) {
      errors.push_back({required, "required", "open311_param_required", {{"name", required}}});
    }
  }
  const std::string description = Param(params, "description");
  if (Utf8Length(description) > kMaxDescriptionChars) {
    errors.push_back({"description", "too_long", "open311_description_length",
                      {{"max", std::to_string(kMaxDescriptionChars)}}});
  }
  const InboundStatus* rule = nullptr;
  if (std::string status = Param(params, "status"); !status.empty()) {
    rule = FindInbound(status);
    if (rule == nullptr) {
      errors.push_back(
          {"status", "invalid", "open311_unknown_status", {{"value", SanitizeText(status)}}});
    }
  }
  if (std::string at = Param(params, "updated_datetime"); !at.empty() && !ParseRfc3339(at).ok()) {
    errors.push_back({"updated_datetime", "invalid", "open311_updated_datetime_format", {}});
  }
  if (!errors.empty()) return InvalidFields("The update is not valid", errors);
  ONESTOP_ASSIGN_OR_RETURN(auto catalogue, ctx.deps.catalogue.Get());
  const std::string id = Param(params, "service_request_id");
  ONESTOP_ASSIGN_OR_RETURN(std::optional<Case> c, FindCase(ctx, id, *catalogue));
  if (!c) return NotFound("service_request_id '" + SanitizeText(id) + "' not found");
  std::optional<CaseStatus> target = TargetStatus(*rule, c->status);
  if (target && !domain::IsLegalTransition(c->status, *target)) {
    return BadRequest("status", "open311_illegal_transition",
                      {{"reference", c->reference},
                       {"status", std::string(domain::CaseStatusName(c->status))},
                       {"target", std::string(domain::CaseStatusName(*target))}});
  }
  if (!target && absl::StripAsciiWhitespace(description).empty()) {
    return InvalidFields("Empty update",
                         {{"description", "required", "open311_update_needs_description", {}}});
  }
  if (target) {
    services::CaseChanges changes;
    changes.status = *target;
    ONESTOP_RETURN_IF_ERROR(
        ctx.update_case.Run(ClientActor(), c->id, changes, std::nullopt).status());
  }
  std::optional<domain::Note> note;
  if (!absl::StripAsciiWhitespace(description).empty()) {
    ONESTOP_ASSIGN_OR_RETURN(note, ctx.add_note.Run(ClientActor(), c->id,
                                                    domain::NoteVisibility::kPublic, description));
  }
  // Our update_id: the event the update became (its seq, as in GET).
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::Event> history,
                           ctx.get_case_history.Run(ClientActor(), c->id));
  int64_t update_id = 0;
  for (const auto& e : history) {
    if (e.actor_id != 0) continue;
    if (note ? (e.type == "note.added" && ChangeAfter(e, "note_id") == std::to_string(note->id))
             : e.type == "case.status_changed") {
      update_id = e.seq;
    }
  }
  return Reply{200, Node::List("service_request_updates",
                               {Node::Object("request_update",
                                             {Node::Text("update_id", std::to_string(update_id))})})};
}

}  // namespace onestop::open311::routes_internal
