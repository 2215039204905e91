// The staff case page (notes, status, assignment) and the work queues.
// Registered by RegisterStaffRoutes (staff.cc).

#include "web/staff_internal.h"

#include <algorithm>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "api/support.h"
#include "domain/contact.h"
#include "domain/postcode.h"
#include "services/case_rules.h"
#include "web/context.h"
#include "web/form_fields.h"

namespace onestop::web::staff_internal {

// ---- case page ----

std::string SlaText(const domain::Case& c, absl::Time now) {
  if (c.sla_paused_at) return "Paused while waiting for the resident";
  if (domain::IsFinished(c.status)) return "Stopped (" + StatusWords(c.status) + ")";
  if (!c.due_at) return "No target";
  absl::Duration left = *c.due_at - now;
  const bool overdue = left < absl::ZeroDuration();
  if (overdue) left = -left;
  const int64_t hours = absl::ToInt64Hours(left);
  std::string span = hours >= 24 ? absl::StrCat(hours / 24, " days ", hours % 24, " hours")
                                 : absl::StrCat(hours, " hours ", absl::ToInt64Minutes(left) % 60, " minutes");
  return absl::StrCat(overdue ? "Overdue by " : "Due in ", span, " (", FormatDateTime(*c.due_at), ")");
}

http::Response RenderCase(WebContext& ctx, http::Request& request, Staff& staff,
                          const std::string& ref, const ErrorMap& errors) {
  auto c = ctx.get_case.Run(staff.actor, ref);
  if (!c.ok()) return StatusPage(ctx, staff, c.status());
  auto notes = ctx.list_notes.Run(staff.actor, c->id);
  if (!notes.ok()) return StatusPage(ctx, staff, notes.status());
  auto history = ctx.get_case_history.Run(staff.actor, c->id);
  if (!history.ok()) return StatusPage(ctx, staff, history.status());
  auto service = ctx.get_service.Run(c->service_code);

  View v;
  v.Set("reference", c->reference).Set("version", std::to_string(c->version));
  v.Set("service_name", service.ok() ? service->name : c->service_code);
  v.Set("status", StatusWords(c->status)).Set("status_class", StatusTagClass(c->status));
  v.Set("sla", SlaText(*c, ctx.deps.clock.Now()));
  v.Set("summary", c->summary).Set("channel", domain::ChannelName(c->channel)).Set("team", c->team);
  std::vector<std::string> where;
  if (!c->location.postcode.empty()) where.push_back(c->location.postcode);
  if (!c->location.description.empty()) where.push_back(c->location.description);
  if (c->location.uprn) where.push_back(absl::StrCat("UPRN ", *c->location.uprn));
  v.Set("location", where.empty() ? "Not given" : absl::StrJoin(where, ", "));
  if (c->citizen_id) {
    v.Set("citizen_href", absl::StrCat("/staff/citizens/", *c->citizen_id));
    auto citizen = ctx.get_citizen.Run(staff.actor, *c->citizen_id);
    v.Set("citizen_name", citizen.ok() ? citizen->DisplayName() : "Resident");
  }
  if (service.ok()) {
    for (const auto& f : service->fields) {
      View row;
      row.Set("key", f.description.empty() ? f.code : f.description).Set("value", AnswerText(f, c->values));
      v.Add("answers", row);
    }
  }
  v.List("next_statuses");
  for (auto next : domain::NextStatuses(c->status)) {
    View option;
    option.Set("value", domain::CaseStatusName(next)).Set("label", StatusWords(next));
    v.Add("next_statuses", option);
  }
  // Assignment: supervisors and admins pick anyone; others take or release it.
  v.Set("me", std::to_string(staff.actor.staff_id));
  v.List("staff_options");
  std::string assignee_name = c->assignee_id ? absl::StrCat("Staff ", *c->assignee_id) : "Nobody";
  auto all_staff = ctx.list_staff.Run(staff.actor);
  if (all_staff.ok()) {
    for (const auto& s : *all_staff) {
      if (!s.active) continue;
      if (s.role == domain::Role::kOfficer && s.department != c->department) continue;
      View option;
      option.Set("value", std::to_string(s.id)).Set("label", s.display_name);
      option.Flag("checked", c->assignee_id && *c->assignee_id == s.id);
      v.Add("staff_options", option);
      if (c->assignee_id && *c->assignee_id == s.id) assignee_name = s.display_name;
    }
  } else if (c->assignee_id && *c->assignee_id == staff.actor.staff_id) {
    assignee_name = staff.name + " (you)";
  }
  v.Set("assignee", assignee_name);
  v.List("notes");
  for (const auto& n : *notes) {
    View item;
    const bool pub = n.visibility == domain::NoteVisibility::kPublic;
    item.Set("visibility", pub ? "Public" : "Internal").Set("tag_class", pub ? "govuk-tag--green" : "govuk-tag--grey");
    item.Set("at", FormatDateTime(n.created_at)).Set("body", n.body);
    v.Add("notes", item);
  }
  v.List("history");
  for (const auto& e : *history) {
    View item;
    std::vector<std::string> changes;
    for (const auto& ch : e.changes) changes.push_back(ch.field + ": " + ch.before + " → " + ch.after);
    item.Set("at", FormatDateTime(e.at)).Set("type", e.type).Set("changes", absl::StrJoin(changes, "; "));
    v.Add("history", item);
  }
  http::ParamList note_answers = {{"visibility", "internal"}};
  v.Add("note_fields", SimpleField("body", "Note", "textarea", note_answers, errors));
  v.Add("note_fields", SimpleField("visibility", "Who can see it", "radios", note_answers, errors, true, "",
                                   {{"internal", "Staff only"}, {"public", "Public – shown to the resident"}}));
  v.List("errors");
  for (auto& e : ErrorSummary(errors, {"body", "status"})) v.Add("errors", e);
  const std::string flash = request.QueryParam("flash").value_or("");
  if (flash == "raised") v.Set("flash", "Case raised: " + c->reference);
  if (flash == "saved") v.Set("flash", "Saved");
  return StaffPage(ctx, staff, errors.empty() ? 200 : 400, "case", "Case " + c->reference, v, "",
                   !errors.empty());
}

http::Response CaseGet(WebContext& ctx, http::Request& request, Staff& staff) {
  return RenderCase(ctx, request, staff, request.PathParam("ref"), {});
}

http::Response CaseNotePost(WebContext& ctx, http::Request& request, Staff& staff) {
  const std::string ref = request.PathParam("ref");
  auto c = ctx.get_case.Run(staff.actor, ref);
  if (!c.ok()) return StatusPage(ctx, staff, c.status());
  const http::ParamList form = FormBody(request);
  const std::string body(absl::StripAsciiWhitespace(FirstValue(form, "body")));
  if (body.empty()) return RenderCase(ctx, request, staff, ref, {{"body", "Enter the note"}});
  auto visibility = domain::ParseNoteVisibility(FirstValue(form, "visibility"))
                        .value_or(domain::NoteVisibility::kInternal);
  auto note = ctx.add_note.Run(staff.actor, c->id, visibility, body);
  if (!note.ok()) {
    if (absl::IsInvalidArgument(note.status())) {
      return RenderCase(ctx, request, staff, ref, {{"body", std::string(note.status().message())}});
    }
    return StatusPage(ctx, staff, note.status());
  }
  return Redirect("/staff/cases/" + c->reference + "?flash=saved");
}

http::Response CaseUpdatePost(WebContext& ctx, http::Request& request, Staff& staff) {
  const std::string ref = request.PathParam("ref");
  auto c = ctx.get_case.Run(staff.actor, ref);
  if (!c.ok()) return StatusPage(ctx, staff, c.status());
  const http::ParamList form = FormBody(request);
  int64_t version = 0;
  std::optional<int64_t> expected;
  if (absl::SimpleAtoi(FirstValue(form, "version"), &version)) expected = version;
  services::CaseChanges changes;
  if (request.route.ends_with("/status")) {
    auto status = domain::ParseCaseStatus(FirstValue(form, "status"));
    if (!status) return RenderCase(ctx, request, staff, ref, {{"status", "Select a new status"}});
    changes.status = *status;
  } else {
    const std::string assignee = FirstValue(form, "assignee");
    int64_t assignee_id = 0;
    if (assignee.empty()) {
      changes.assignee_id = std::optional<int64_t>();
    } else if (absl::SimpleAtoi(assignee, &assignee_id)) {
      changes.assignee_id = std::optional<int64_t>(assignee_id);
    }
  }
  auto updated = ctx.update_case.Run(staff.actor, c->id, changes, expected);
  if (!updated.ok()) {
    if (absl::IsFailedPrecondition(updated.status()) || absl::IsInvalidArgument(updated.status())) {
      return RenderCase(ctx, request, staff, ref, {{"status", std::string(updated.status().message())}});
    }
    return StatusPage(ctx, staff, updated.status());
  }
  const std::string public_note(absl::StripAsciiWhitespace(FirstValue(form, "public_note")));
  if (!public_note.empty()) {
    auto note = ctx.add_note.Run(staff.actor, c->id, domain::NoteVisibility::kPublic, public_note);
    if (!note.ok()) return StatusPage(ctx, staff, note.status());
  }
  return Redirect("/staff/cases/" + c->reference + "?flash=saved");
}

// ---- work queues ----

http::Response Queues(WebContext& ctx, http::Request& request, Staff& staff) {
  const std::string view = request.QueryParam("view").value_or("mine");
  const std::string status_filter = request.QueryParam("status").value_or("");
  const std::string service_filter = request.QueryParam("service").value_or("");
  const std::string sort = request.QueryParam("sort").value_or("due");
  domain::CaseQuery query;
  query.limit = 200;
  query.service_code = service_filter;
  if (auto s = domain::ParseCaseStatus(status_filter)) {
    query.statuses = {*s};
  } else {
    query.statuses = {domain::CaseStatus::kNew, domain::CaseStatus::kOpen, domain::CaseStatus::kInProgress,
                      domain::CaseStatus::kWaitingOnCitizen};
  }
  if (staff.actor.role == domain::Role::kOfficer) query.department = staff.actor.department;
  std::string heading = "My cases";
  const absl::Time now = ctx.deps.clock.Now();
  if (view == "team") {
    heading = "My team's cases";
    query.team = staff.team.empty() ? "-" : staff.team;
  } else if (view == "overdue") {
    heading = "Overdue cases";
    query.due_before = now;
  } else if (view == "unassigned") {
    heading = "Unassigned cases";
    query.unassigned_only = true;
  } else {
    query.assignee_id = staff.actor.staff_id;
  }
  auto page = ctx.list_cases.Run(staff.actor, query);
  if (!page.ok()) return StatusPage(ctx, staff, page.status());
  std::vector<domain::Case> cases = page->items;
  std::stable_sort(cases.begin(), cases.end(), [&](const auto& a, const auto& b) {
    if (sort == "created") return a.created_at > b.created_at;
    if (sort == "priority") return a.priority > b.priority;
    return a.due_at.value_or(absl::InfiniteFuture()) < b.due_at.value_or(absl::InfiniteFuture());
  });
  View v;
  v.Set("view", view).Set("heading", absl::StrCat(heading, " (", cases.size(), ")"));
  for (const auto& [value, label] : std::vector<std::pair<std::string, std::string>>{
           {"mine", "My cases"}, {"team", "My team's"}, {"overdue", "Overdue"}, {"unassigned", "Unassigned"}}) {
    View item;
    item.Set("value", value).Set("label", label).Flag("current", value == view);
    v.Add("views", item);
  }
  for (auto s : domain::kAllCaseStatuses) {
    View item;
    item.Set("value", domain::CaseStatusName(s)).Set("label", StatusWords(s)).Flag("checked", status_filter == domain::CaseStatusName(s));
    v.Add("status_options", item);
  }
  auto services = ctx.list_services.Run(staff.actor, std::nullopt);
  if (services.ok()) {
    for (const auto& s : *services) {
      if (staff.actor.role == domain::Role::kOfficer && s.department != staff.actor.department) continue;
      View item;
      item.Set("value", s.code).Set("label", s.name).Flag("checked", s.code == service_filter);
      v.Add("service_options", item);
    }
  }
  for (const auto& [value, label] : std::vector<std::pair<std::string, std::string>>{
           {"due", "Due soonest"}, {"created", "Newest"}, {"priority", "Priority"}}) {
    View item;
    item.Set("value", value).Set("label", label).Flag("checked", value == sort);
    v.Add("sort_options", item);
  }
  v.List("cases");
  for (const auto& c : cases) {
    View row;
    row.Set("reference", c.reference).Set("summary", c.summary).Set("status", StatusWords(c.status));
    row.Set("priority", domain::PriorityName(c.priority));
    row.Set("due", c.due_at ? FormatDateTime(*c.due_at) : "No target");
    row.Flag("overdue", c.due_at && *c.due_at < now && !domain::IsFinished(c.status));
    v.Add("cases", row);
  }
  return StaffPage(ctx, staff, 200, "queues", heading, v, "/staff/queues");
}

}  // namespace onestop::web::staff_internal
