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
#include "domain/reference.h"
#include "i18n/field_errors.h"
#include "services/case_rules.h"
#include "web/context.h"
#include "web/form_fields.h"

namespace onestop::web::staff_internal {

// ---- case page ----

namespace {

// A count in a message with {n} ("3 days").
std::string Count(const char* text, int64_t n) { return i18n::Substitute(text, {{"n", std::to_string(n)}}); }

const char* PriorityWords(domain::Priority priority, const i18n::Translator& tr) {
  switch (priority) {
    case domain::Priority::kLow: return tr("low");
    case domain::Priority::kNormal: return tr("normal");
    case domain::Priority::kHigh: return tr("high");
    case domain::Priority::kUrgent: return tr("urgent");
  }
  return tr("normal");
}

}  // namespace

std::string SlaText(const domain::Case& c, absl::Time now, const i18n::Translator& tr) {
  if (c.sla_paused_at) return tr("Paused while waiting for the resident");
  if (domain::IsFinished(c.status)) {
    return i18n::Substitute(tr("Stopped ({status})"), {{"status", StaffStatusWords(c.status, tr)}});
  }
  if (!c.due_at) return tr("No target");
  absl::Duration left = *c.due_at - now;
  const bool overdue = left < absl::ZeroDuration();
  if (overdue) left = -left;
  const int64_t hours = absl::ToInt64Hours(left);
  const int64_t minutes = absl::ToInt64Minutes(left) % 60;
  std::string span = hours >= 24 ? absl::StrCat(Count(tr.Plural("{n} day", "{n} days", hours / 24), hours / 24), " ",
                                                Count(tr.Plural("{n} hour", "{n} hours", hours % 24), hours % 24))
                                 : absl::StrCat(Count(tr.Plural("{n} hour", "{n} hours", hours), hours), " ",
                                                Count(tr.Plural("{n} minute", "{n} minutes", minutes), minutes));
  return i18n::Substitute(overdue ? tr("Overdue by {time} ({date})") : tr("Due in {time} ({date})"),
                          {{"time", span}, {"date", tr.DateTime(*c.due_at)}});
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
  const i18n::Translator& tr = staff.tr();
  auto names_for_team = [&](const std::string& code) -> std::string {
    if (code.empty()) return tr("No team");
    if (auto snapshot = ctx.deps.catalogue.Get(); snapshot.ok()) {
      if (const domain::Team* team = (*snapshot)->FindTeam(code)) return team->name;
    }
    return code;
  };

  View v;
  v.Set("reference", c->reference).Set("version", std::to_string(c->version));
  v.Set("service_name", service.ok() ? service->name : c->service_code);
  v.Set("status", StaffStatusWords(c->status, tr)).Set("status_class", StatusTagClass(c->status));
  v.Set("sla", SlaText(*c, ctx.deps.clock.Now(), tr));
  v.Set("summary", c->summary).Set("channel", ChannelText(c->channel, tr));
  v.Set("team", names_for_team(c->team));
  std::vector<std::string> where;
  if (!c->location.postcode.empty()) where.push_back(c->location.postcode);
  if (!c->location.description.empty()) where.push_back(c->location.description);
  if (c->location.uprn) {
    where.push_back(i18n::Substitute(tr("UPRN {uprn}"), {{"uprn", absl::StrCat(*c->location.uprn)}}));
  }
  v.Set("location", where.empty() ? tr("Not given") : absl::StrJoin(where, ", "));
  if (c->citizen_id) {
    v.Set("citizen_href", absl::StrCat("/staff/citizens/", *c->citizen_id));
    auto citizen = ctx.get_citizen.Run(staff.actor, *c->citizen_id);
    v.Set("citizen_name", citizen.ok() ? citizen->DisplayName() : tr("Resident"));
  }
  if (service.ok()) {
    for (const auto& f : service->fields) {
      View row;
      row.Set("key", f.description.empty() ? f.code : f.description).Set("value", AnswerText(f, c->values, tr));
      v.Add("answers", row);
    }
  }
  v.List("next_statuses");
  for (auto next : domain::NextStatuses(c->status)) {
    View option;
    option.Set("value", domain::CaseStatusName(next)).Set("label", StaffStatusWords(next, tr));
    v.Add("next_statuses", option);
  }
  // Assignment: supervisors and admins pick anyone; others take or release it.
  v.Set("me", std::to_string(staff.actor.staff_id));
  v.List("staff_options");
  NameLookup names = NamesFor(ctx, staff);
  for (const auto& e : *history) AddArticleName(ctx, staff, e, names);
  std::string assignee_name = c->assignee_id ? StaffNameOf(*c->assignee_id, names, tr) : tr("Nobody");
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
    assignee_name = i18n::Substitute(tr("{name} (you)"), {{"name", staff.name}});
  }
  v.Set("assignee", assignee_name);
  v.List("notes");
  for (const auto& n : *notes) {
    View item;
    const bool pub = n.visibility == domain::NoteVisibility::kPublic;
    item.Set("visibility", pub ? tr("Public") : tr("Internal")).Set("tag_class", pub ? "govuk-tag--green" : "govuk-tag--grey");
    item.Set("at", tr.DateTime(n.created_at)).Set("body", n.body);
    v.Add("notes", item);
  }
  // What the resident was sent (the outbox), oldest first, and the reply form.
  auto messages = ctx.list_case_messages.Run(staff.actor, c->id);
  if (!messages.ok()) return StatusPage(ctx, staff, messages.status());
  v.List("messages");
  for (const domain::OutboxMessage& m : *messages) {
    View item;
    const bool ack = m.template_code == domain::kTemplateCaseAcknowledgement;
    const bool text = m.channel == domain::OutboxChannel::kSms;
    item.Set("kind", ack ? tr("Automatic acknowledgement") : text ? tr("Reply by text message") : tr("Reply"));
    item.Set("at", tr.DateTime(m.created_at)).Set("to", m.recipient).Set("body", m.Param("body"));
    switch (m.state) {
      case domain::OutboxState::kQueued:
        item.Set("state", m.attempts > 0 ? tr("Waiting to be sent again") : tr("Queued"))
            .Set("state_class", "govuk-tag--yellow");
        break;
      case domain::OutboxState::kSent:
        item.Set("state", tr("Sent")).Set("state_class", "govuk-tag--blue");
        break;
      case domain::OutboxState::kDelivered:
        item.Set("state", tr("Delivered")).Set("state_class", "govuk-tag--green");
        break;
      case domain::OutboxState::kFailed:
        item.Set("state", tr("Not sent")).Set("state_class", "govuk-tag--red");
        break;
    }
    v.Add("messages", item);
  }
  if (ctx.reply_to_resident != nullptr && c->citizen_id) {
    auto resident = ctx.get_citizen.Run(staff.actor, *c->citizen_id);
    std::optional<std::pair<domain::OutboxChannel, std::string>> route;
    if (resident.ok()) route = services::ReplyRoute(*resident, ctx.reply_to_resident->channels());
    if (route) {
      v.Set("reply_to", i18n::Substitute(route->first == domain::OutboxChannel::kEmail ? tr("By email to {address}")
                                                                                       : tr("By text message to {number}"),
                                         {{"address", route->second}, {"number", route->second}}));
      http::ParamList reply_answers;
      if (request.method == "POST" && errors.contains("reply")) {
        reply_answers.push_back({"reply", FirstValue(FormBody(request), "reply")});
      }
      v.Add("reply_fields",
            SimpleField("reply", tr("Your reply"), "textarea", reply_answers, errors, true,
                        route->first == domain::OutboxChannel::kEmail
                            ? tr("Sent by email in the same thread, with the case reference in the subject.")
                            : tr("Sent as a text message with the case reference. Keep it short.")));
    }
  }
  // The history in words (event_words.h), newest first.
  v.List("history");
  for (auto it = history->rbegin(); it != history->rend(); ++it) {
    EventWords words = DescribeEvent(*it, names, tr);
    View item;
    item.Set("at", tr.DateTime(it->at)).Set("who", words.who);
    for (const auto& sentence : words.sentences) {
      View line;
      line.Set("text", sentence);
      item.Add("sentences", line);
    }
    v.Add("history", item);
  }
  // Duplicates: the original this case repeats, the cases that repeat it,
  // and the form to mark it a duplicate (while it is still open).
  auto links = ctx.get_case_links.Run(staff.actor, *c);
  if (!links.ok()) return StatusPage(ctx, staff, links.status());
  if (links->original) v.Set("duplicate_of", links->original->reference);
  for (const domain::Case& d : links->duplicates) {
    View item;
    item.Set("reference", d.reference);
    v.Add("duplicates", item);
  }
  if (!links->followers.empty()) {
    const int64_t n = static_cast<int64_t>(links->followers.size());
    v.Set("followers", Count(tr.Plural("{n} other resident is kept informed",
                                       "{n} other residents are kept informed", n), n));
  }
  v.Flag("can_mark_duplicate", !c->duplicate_of && domain::IsDuplicateCandidateStatus(c->status));
  http::ParamList original_answers;
  if (auto it = errors.find("original"); it != errors.end()) {
    original_answers.push_back({"original", request.method == "POST" ? FirstValue(FormBody(request), "original") : ""});
  }
  v.Add("duplicate_fields", SimpleField("original", tr("Reference of the original case"), "input",
                                        original_answers, errors, true,
                                        tr("The case this one repeats, like 4K7P-9QX3. This case will be closed.")));
  http::ParamList note_answers = {{"visibility", "internal"}};
  v.Add("note_fields", SimpleField("body", tr("Note"), "textarea", note_answers, errors));
  v.Add("note_fields", SimpleField("visibility", tr("Who can see it"), "radios", note_answers, errors, true, "",
                                   {{"internal", tr("Staff only")},
                                    {"public", tr("Public – shown to the resident")}}));
  v.List("errors");
  for (auto& e : ErrorSummary(errors, {"body", "reply", "status", "original"})) v.Add("errors", e);
  const std::string flash = request.QueryParam("flash").value_or("");
  if (flash == "raised") {
    v.Set("flash", i18n::Substitute(tr("Case raised: {reference}"), {{"reference", c->reference}}));
  }
  if (flash == "saved") v.Set("flash", tr("Saved"));
  if (flash == "replied") v.Set("flash", tr("Your reply is on its way to the resident"));
  if (flash == "linked") {
    v.Set("flash", i18n::Substitute(tr("The resident is linked to {reference} and will be kept informed"),
                                    {{"reference", c->reference}}));
  }
  if (flash == "duplicate") {
    v.Set("flash", i18n::Substitute(tr("Closed as a duplicate of {reference}"),
                                    {{"reference", links->original ? links->original->reference : ""}}));
  }
  return StaffPage(ctx, staff, errors.empty() ? 200 : 400, "case",
                   i18n::Substitute(tr("Case {reference}"), {{"reference", c->reference}}), v, "", !errors.empty());
}

http::Response CaseGet(WebContext& ctx, http::Request& request, Staff& staff) {
  return RenderCase(ctx, request, staff, request.PathParam("ref"), {});
}

http::Response CaseNotePost(WebContext& ctx, http::Request& request, Staff& staff) {
  const i18n::Translator& tr = staff.tr();
  const std::string ref = request.PathParam("ref");
  auto c = ctx.get_case.Run(staff.actor, ref);
  if (!c.ok()) return StatusPage(ctx, staff, c.status());
  const http::ParamList form = FormBody(request);
  const std::string body(absl::StripAsciiWhitespace(FirstValue(form, "body")));
  if (body.empty()) return RenderCase(ctx, request, staff, ref, {{"body", tr("Enter the note")}});
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

http::Response CaseReplyPost(WebContext& ctx, http::Request& request, Staff& staff) {
  const i18n::Translator& tr = staff.tr();
  const std::string ref = request.PathParam("ref");
  auto c = ctx.get_case.Run(staff.actor, ref);
  if (!c.ok()) return StatusPage(ctx, staff, c.status());
  if (ctx.reply_to_resident == nullptr) return StatusPage(ctx, staff, absl::UnavailableError("no email out"));
  const http::ParamList form = FormBody(request);
  const std::string body(absl::StripAsciiWhitespace(FirstValue(form, "reply")));
  if (body.empty()) return RenderCase(ctx, request, staff, ref, {{"reply", tr("Enter your reply")}});
  auto queued = ctx.reply_to_resident->Run(staff.actor, c->id, body);
  if (!queued.ok()) {
    if (absl::IsInvalidArgument(queued.status())) {
      std::vector<FieldError> fields = FieldErrorsOf(queued.status());
      const std::string words = fields.empty() ? tr("Check your reply") : i18n::FieldErrorText(fields.front(), tr);
      return RenderCase(ctx, request, staff, ref, {{"reply", words}});
    }
    return StatusPage(ctx, staff, queued.status());
  }
  if (ctx.outbox_wake) ctx.outbox_wake();
  return Redirect("/staff/cases/" + c->reference + "?flash=replied");
}

http::Response CaseDuplicatePost(WebContext& ctx, http::Request& request, Staff& staff) {
  const i18n::Translator& tr = staff.tr();
  const std::string ref = request.PathParam("ref");
  auto c = ctx.get_case.Run(staff.actor, ref);
  if (!c.ok()) return StatusPage(ctx, staff, c.status());
  const http::ParamList form = FormBody(request);
  const std::string original_ref =
      absl::AsciiStrToUpper(absl::StripAsciiWhitespace(FirstValue(form, "original")));
  auto unknown = [&] {
    return RenderCase(ctx, request, staff, ref,
                      {{"original", i18n::FieldErrorText({"original", "invalid", "duplicate_reference_unknown", {}}, tr)}});
  };
  if (original_ref.empty()) {
    return RenderCase(ctx, request, staff, ref, {{"original", tr("Enter the reference of the original case")}});
  }
  // The reference's check symbol catches a mistyped character.
  if (!domain::DecodeCaseReference(original_ref).ok()) return unknown();
  auto original = ctx.get_case.Run(staff.actor, original_ref);
  if (absl::IsNotFound(original.status())) return unknown();
  if (!original.ok()) return StatusPage(ctx, staff, original.status());
  int64_t version = 0;
  std::optional<int64_t> expected;
  if (absl::SimpleAtoi(FirstValue(form, "version"), &version)) expected = version;
  auto marked = ctx.mark_duplicate.Run(staff.actor, c->id, original->id, expected);
  if (!marked.ok()) {
    std::vector<FieldError> field_errors = FieldErrorsOf(marked.status());
    if (!field_errors.empty()) {
      return RenderCase(ctx, request, staff, ref, {{"original", i18n::FieldErrorText(field_errors[0], tr)}});
    }
    return StatusPage(ctx, staff, marked.status());
  }
  return Redirect("/staff/cases/" + c->reference + "?flash=duplicate");
}

http::Response CaseUpdatePost(WebContext& ctx, http::Request& request, Staff& staff) {
  const i18n::Translator& tr = staff.tr();
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
    if (!status) return RenderCase(ctx, request, staff, ref, {{"status", tr("Select a new status")}});
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
  const i18n::Translator& tr = staff.tr();
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
  const char* heading = N_("My cases");  // a message id: translated below and by StaffPage
  const absl::Time now = ctx.deps.clock.Now();
  if (view == "team") {
    heading = N_("My team's cases");
    query.team = staff.team.empty() ? "-" : staff.team;
  } else if (view == "overdue") {
    heading = N_("Overdue cases");
    query.due_before = now;
  } else if (view == "unassigned") {
    heading = N_("Unassigned cases");
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
  v.Set("view", view).Set("heading", absl::StrCat(tr(heading), " (", cases.size(), ")"));
  for (const auto& [value, label] : std::vector<std::pair<std::string, std::string>>{
           {"mine", tr("My cases")}, {"team", tr("My team's")}, {"overdue", tr("Overdue")},
           {"unassigned", tr("Unassigned")}}) {
    View item;
    item.Set("value", value).Set("label", label).Flag("current", value == view);
    v.Add("views", item);
  }
  for (auto s : domain::kAllCaseStatuses) {
    View item;
    item.Set("value", domain::CaseStatusName(s)).Set("label", StaffStatusWords(s, tr)).Flag("checked", status_filter == domain::CaseStatusName(s));
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
           {"due", tr("Due soonest")}, {"created", tr("Newest")}, {"priority", tr("Priority")}}) {
    View item;
    item.Set("value", value).Set("label", label).Flag("checked", value == sort);
    v.Add("sort_options", item);
  }
  v.List("cases");
  for (const auto& c : cases) {
    View row;
    row.Set("reference", c.reference).Set("summary", c.summary).Set("status", StaffStatusWords(c.status, tr));
    row.Set("priority", PriorityWords(c.priority, tr));
    row.Set("due", c.due_at ? tr.DateTime(*c.due_at) : tr("No target"));
    row.Flag("overdue", c.due_at && *c.due_at < now && !domain::IsFinished(c.status));
    v.Add("cases", row);
  }
  return StaffPage(ctx, staff, 200, "queues", heading, v, "/staff/queues");
}

}  // namespace onestop::web::staff_internal
