// /staff/routing/queues and /staff/routing/profiles: list, create, edit and
// delete queue definitions and routing profiles, the version in a hidden
// field so a concurrent change is refused, not overwritten.

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "domain/routing_config.h"
#include "services/permissions.h"
#include "web/context.h"
#include "web/routing_words.h"
#include "web/form_fields.h"
#include "web/routing_pages.h"
#include "web/supervisor_internal.h"

namespace onestop::web::supervisor_internal {

// ---- queues ----

Result QueueList(WebContext& ctx, const domain::Actor& actor, http::Request& request) {
  ONESTOP_RETURN_IF_ERROR(services::Authorize(actor, services::Permission::kEditRouting));
  const i18n::Translator& tr = *ReaderOf(ctx, request, true).tr;
  ONESTOP_ASSIGN_OR_RETURN(services::RoutingDesk * desk, DeskOf(ctx));
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::RoutingQueue> queues, desk->ListQueues(actor));
  View v;
  v.List("queues");
  for (const domain::RoutingQueue& q : queues) {
    View row;
    auto media = routing::ParseMedia(q.media);
    row.Set("code", q.code).Set("name", q.name)
        .Set("media", media ? MediaWords(*media, tr) : q.media.c_str())
        .Set("target", HumaneDuration(absl::Seconds(q.service_level_seconds), tr))
        .Set("group", q.wallboard_group.empty() ? "–" : q.wallboard_group);
    v.Add("queues", row);
  }
  const std::string flash = request.QueryParam("flash").value_or("");
  if (flash == "saved") v.Set("flash", tr("Queue saved"));
  if (flash == "deleted") v.Set("flash", tr("Queue deleted"));
  return MakePage("routing_queues", N_("Routing queues"), v, "/staff/floor");
}

static Result RenderQueue(const domain::Actor& actor, const i18n::Translator& tr, services::RoutingDesk& desk,
                   const domain::RoutingQueue& q, bool is_new, const ErrorMap& errors) {
  ONESTOP_ASSIGN_OR_RETURN(std::vector<std::string> known, desk.KnownSkills(actor));
  View v;
  const std::string heading =
      is_new ? tr("New routing queue") : i18n::Substitute(tr("Edit {name}"), {{"name", q.name}});
  v.Set("heading", heading).Flag("is_new", is_new).Set("code", q.code).Set("version", absl::StrCat(q.version));
  v.Set("action", is_new ? std::string("/staff/routing/queues/new") : "/staff/routing/queues/" + q.code);
  AddErrors(v, errors, {"code", "name", "media", "strategy", "service_level_seconds", "ring_timeout_seconds",
                        "wrap_up_seconds", "priority_weight_seconds", "skill_0", "after_0", "wallboard_group",
                        "wallboard_order", "sl_green_pct", "sl_amber_pct", "wait_amber_seconds",
                        "wait_red_seconds"});
  http::ParamList answers = {{"code", q.code}, {"name", q.name}, {"media", q.media}, {"strategy", q.strategy}};
  if (is_new) v.Add("fields", SimpleField("code", tr("Code"), "input", answers, errors, true,
                                          tr("Lower-case letters, digits and hyphens, for example council-tax. "
                                             "It cannot be changed later.")));
  v.Add("fields", SimpleField("name", tr("Name"), "input", answers, errors));
  v.Add("fields", SimpleField("media", tr("Kind of work"), "radios", answers, errors, true, "", MediaOptions(tr)));
  v.Add("fields", SimpleField("strategy", tr("Who is offered the next one"), "radios", answers, errors, true, "",
                              StrategyOptions(tr)));
  auto number = [&](const char* name, const char* label, int value) {
    View f = Input(name, tr(label), absl::StrCat(value), errors);
    v.Add("numbers", f);
  };
  number("service_level_seconds", N_("Service level target, in seconds"), q.service_level_seconds);
  number("ring_timeout_seconds", N_("Ring time before the next agent is tried, in seconds (0 = no limit)"),
         q.ring_timeout_seconds);
  number("wrap_up_seconds", N_("Wrap-up time, in seconds"), q.wrap_up_seconds);
  number("priority_weight_seconds", N_("Seconds of waiting one point of priority is worth"),
         q.priority_weight_seconds);
  Options skill_options;
  for (const std::string& code : known) skill_options.push_back({code, code});
  const int rows = static_cast<int>(q.skills.size()) + kSkillRowsSpare;
  for (int row = 0; row < rows; ++row) {
    const std::string n = absl::StrCat(row + 1);
    const bool has = row < static_cast<int>(q.skills.size());
    View r;
    r.Child("skill", Select(absl::StrCat("skill_", row), i18n::Substitute(tr("Skill {n}"), {{"n", n}}),
                            skill_options, has ? q.skills[row].skill : "", tr("No skill"), errors));
    r.Child("level", Select(absl::StrCat("level_", row),
                            i18n::Substitute(tr("Lowest level for skill {n}"), {{"n", n}}), LevelOptions(tr),
                            has ? absl::StrCat(q.skills[row].min_level) : "1", "", errors));
    v.Add("skill_rows", r);
  }
  Options keep_options = {{"-1", tr("Keep all the skills")}, {"0", tr("Drop every skill: any agent of the queue")}};
  for (int k = 1; k < 5; ++k) {
    keep_options.push_back({absl::StrCat(k), i18n::Substitute(tr("Keep only the first {n}"), {{"n", absl::StrCat(k)}})});
  }
  Options drop_options;
  for (int d = 0; d <= 4; ++d) drop_options.push_back({absl::StrCat(d), absl::StrCat(d)});
  const int step_rows = static_cast<int>(q.steps.size()) + kStepRowsSpare;
  for (int row = 0; row < step_rows; ++row) {
    const std::string n = absl::StrCat(row + 1);
    const bool has = row < static_cast<int>(q.steps.size());
    View r;
    r.Child("after", Input(absl::StrCat("after_", row), i18n::Substitute(tr("Step {n}: after (seconds)"), {{"n", n}}),
                           has ? absl::StrCat(q.steps[row].after_seconds) : "", errors));
    r.Child("keep", Select(absl::StrCat("keep_", row), i18n::Substitute(tr("Step {n}: skills"), {{"n", n}}),
                           keep_options, has ? absl::StrCat(q.steps[row].keep_skills) : "-1", "", errors));
    r.Child("drop", Select(absl::StrCat("drop_", row),
                           i18n::Substitute(tr("Step {n}: lower each level by"), {{"n", n}}), drop_options,
                           has ? absl::StrCat(q.steps[row].level_drop) : "0", "", errors));
    v.Add("step_rows", r);
  }
  v.Child("group_field", Input("wallboard_group", tr("Wallboard group (optional)"), q.wallboard_group, errors));
  auto board = [&](const char* name, const char* label, int value) {
    v.Add("board_numbers", Input(name, tr(label), absl::StrCat(value), errors));
  };
  board("wallboard_order", N_("Place on the wallboard (lower first)"), q.wallboard_order);
  board("sl_green_pct", N_("Green at a service level of at least (%)"), q.sl_green_pct);
  board("sl_amber_pct", N_("Amber at a service level of at least (%)"), q.sl_amber_pct);
  board("wait_amber_seconds", N_("Amber when the longest wait reaches (seconds, 0 = the target)"),
        q.wait_amber_seconds);
  board("wait_red_seconds", N_("Red when the longest wait reaches (seconds, 0 = twice the amber wait)"),
        q.wait_red_seconds);
  return MakePage("routing_queue_form", heading, v, "/staff/floor", errors);
}

static domain::RoutingQueue QueueFromForm(const http::ParamList& form, domain::RoutingQueue q, ErrorMap& errors,
                                   const i18n::Translator& tr) {
  q.name = Trim(FirstValue(form, "name"));
  if (q.name.empty()) errors["name"] = tr("Enter the queue's name");
  q.media = FirstValue(form, "media");
  q.strategy = FirstValue(form, "strategy");
  q.service_level_seconds = IntOf(form, "service_level_seconds", 20, 0, 604800, errors, tr);
  q.ring_timeout_seconds = IntOf(form, "ring_timeout_seconds", 20, 0, 3600, errors, tr);
  q.wrap_up_seconds = IntOf(form, "wrap_up_seconds", 0, 0, 3600, errors, tr);
  q.priority_weight_seconds = IntOf(form, "priority_weight_seconds", 60, 0, 86400, errors, tr);
  q.skills.clear();
  for (int row = 0; row < 50; ++row) {
    const std::string name = absl::StrCat("skill_", row);
    if (std::none_of(form.begin(), form.end(), [&](const auto& p) { return p.first == name; })) break;
    const std::string skill = FirstValue(form, name);
    if (skill.empty()) continue;
    q.skills.push_back({skill, IntOf(form, absl::StrCat("level_", row), 1, 1, 5, errors, tr)});
  }
  q.steps.clear();
  for (int row = 0; row < 50; ++row) {
    const std::string name = absl::StrCat("after_", row);
    if (std::none_of(form.begin(), form.end(), [&](const auto& p) { return p.first == name; })) break;
    if (Trim(FirstValue(form, name)).empty()) continue;
    domain::RoutingStepRule step;
    step.after_seconds = IntOf(form, name, 0, 0, 86400, errors, tr);
    step.keep_skills = IntOf(form, absl::StrCat("keep_", row), -1, -1, 100, errors, tr);
    step.level_drop = IntOf(form, absl::StrCat("drop_", row), 0, 0, 4, errors, tr);
    q.steps.push_back(step);
  }
  std::sort(q.steps.begin(), q.steps.end(),
            [](const auto& a, const auto& b) { return a.after_seconds < b.after_seconds; });
  q.wallboard_group = Trim(FirstValue(form, "wallboard_group"));
  q.wallboard_order = IntOf(form, "wallboard_order", 0, -1000, 1000, errors, tr);
  q.sl_green_pct = IntOf(form, "sl_green_pct", 80, 0, 100, errors, tr);
  q.sl_amber_pct = IntOf(form, "sl_amber_pct", 60, 0, 100, errors, tr);
  q.wait_amber_seconds = IntOf(form, "wait_amber_seconds", 0, 0, 604800, errors, tr);
  q.wait_red_seconds = IntOf(form, "wait_red_seconds", 0, 0, 604800, errors, tr);
  return q;
}

constexpr char kQueueChanged[] =
    N_("Someone else changed this queue while you were editing. Reload the page to see their changes.");

Result QueueEdit(WebContext& ctx, const domain::Actor& actor, http::Request& request) {
  ONESTOP_RETURN_IF_ERROR(services::Authorize(actor, services::Permission::kEditRouting));
  const i18n::Translator& tr = *ReaderOf(ctx, request, true).tr;
  ONESTOP_ASSIGN_OR_RETURN(services::RoutingDesk * desk, DeskOf(ctx));
  const std::string code = request.PathParam("code");
  const bool is_new = code.empty();
  domain::RoutingQueue q;
  if (!is_new) {
    ONESTOP_ASSIGN_OR_RETURN(q, desk->GetQueue(actor, code));
  }
  if (request.method != "POST") return RenderQueue(actor, tr, *desk, q, is_new, {});
  const http::ParamList form = FormBody(request);
  ErrorMap errors;
  domain::RoutingQueue edited = QueueFromForm(form, q, errors, tr);
  if (is_new) {
    edited.code = Trim(FirstValue(form, "code"));
    if (edited.code.empty()) errors["code"] = tr("Enter a code for the queue");
  }
  if (errors.empty()) {
    const int64_t expected = is_new ? 0 : VersionOf(form).value_or(-1);
    absl::StatusOr<domain::RoutingQueue> saved = desk->PutQueue(actor, edited, expected);
    if (saved.ok()) return GoTo("/staff/routing/queues?flash=saved");
    if (!absl::IsInvalidArgument(saved.status()) && !absl::IsAborted(saved.status())) return saved.status();
    if (absl::IsAborted(saved.status()) && is_new) {
      errors["code"] = tr("A queue with this code already exists");
    } else {
      errors = RoutingErrors(saved.status(), tr, kQueueChanged);
    }
    if (absl::IsAborted(saved.status()) && !is_new) {
      // Show what is stored now; the supervisor redoes their change on it.
      absl::StatusOr<domain::RoutingQueue> current = desk->GetQueue(actor, code);
      if (current.ok()) return RenderQueue(actor, tr, *desk, *current, false, errors);
    }
  }
  if (!is_new) edited.version = VersionOf(form).value_or(q.version);
  return RenderQueue(actor, tr, *desk, edited, is_new, errors);
}

Result QueueDelete(WebContext& ctx, const domain::Actor& actor, http::Request& request) {
  ONESTOP_RETURN_IF_ERROR(services::Authorize(actor, services::Permission::kEditRouting));
  const i18n::Translator& tr = *ReaderOf(ctx, request, true).tr;
  ONESTOP_ASSIGN_OR_RETURN(services::RoutingDesk * desk, DeskOf(ctx));
  const std::string code = request.PathParam("code");
  ONESTOP_ASSIGN_OR_RETURN(domain::RoutingQueue q, desk->GetQueue(actor, code));
  absl::Status status = desk->DeleteQueue(actor, code);
  if (status.ok()) return GoTo("/staff/routing/queues?flash=deleted");
  if (!absl::IsFailedPrecondition(status)) return status;
  return RenderQueue(actor, tr, *desk, q, false,
                     {{"", tr("This queue still holds interactions; it can be deleted once it is empty.")}});
}

// ---- profiles ----

Result ProfileList(WebContext& ctx, const domain::Actor& actor, http::Request& request) {
  ONESTOP_RETURN_IF_ERROR(services::Authorize(actor, services::Permission::kEditRouting));
  const i18n::Translator& tr = *ReaderOf(ctx, request, true).tr;
  ONESTOP_ASSIGN_OR_RETURN(services::RoutingDesk * desk, DeskOf(ctx));
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::RoutingProfile> profiles, desk->ListProfiles(actor));
  const std::map<std::string, std::string> queue_names = QueueNames(*desk, actor);
  std::map<std::string, std::string> team_names;
  for (const auto& [code, name] : TeamOptions(ctx)) team_names[code] = name;
  View v;
  v.List("profiles");
  for (const domain::RoutingProfile& p : profiles) {
    std::vector<std::string> queues;
    for (const domain::RoutingProfileQueue& line : p.queues) {
      auto name = queue_names.find(line.queue);
      queues.push_back(name != queue_names.end() ? name->second : line.queue);
    }
    auto team = team_names.find(p.team);
    View row;
    row.Set("code", p.code).Set("name", p.name)
        .Set("team", p.team.empty() ? tr("Staff whose team has no profile") : team != team_names.end() ? team->second : p.team)
        .Set("queues", queues.empty() ? std::string("–") : absl::StrJoin(queues, ", "));
    v.Add("profiles", row);
  }
  const std::string flash = request.QueryParam("flash").value_or("");
  if (flash == "saved") v.Set("flash", tr("Routing profile saved"));
  if (flash == "deleted") v.Set("flash", tr("Routing profile deleted"));
  return MakePage("routing_profiles", N_("Routing profiles"), v, "/staff/floor");
}

static Result RenderProfile(WebContext& ctx, const domain::Actor& actor, const i18n::Translator& tr,
                     services::RoutingDesk& desk, const domain::RoutingProfile& p, bool is_new,
                     const ErrorMap& errors) {
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::RoutingQueue> queues, desk.ListQueues(actor));
  View v;
  const std::string heading =
      is_new ? tr("New routing profile") : i18n::Substitute(tr("Edit {name}"), {{"name", p.name}});
  v.Set("heading", heading).Flag("is_new", is_new).Set("code", p.code).Set("version", absl::StrCat(p.version));
  v.Set("action", is_new ? std::string("/staff/routing/profiles/new") : "/staff/routing/profiles/" + p.code);
  AddErrors(v, errors, {"code", "name", "team", "queues", "capacity"});
  http::ParamList answers = {{"code", p.code}, {"name", p.name}, {"team", p.team}};
  if (is_new) v.Add("fields", SimpleField("code", tr("Code"), "input", answers, errors, true,
                                          tr("Lower-case letters, digits and hyphens, for example contact-centre. "
                                             "It cannot be changed later.")));
  v.Add("fields", SimpleField("name", tr("Name"), "input", answers, errors));
  v.Add("fields", SimpleField("team", tr("Team"), "select", answers, errors, false,
                              tr("Its staff take work by this profile unless they have one of their own"),
                              TeamOptions(ctx)));
  Options priorities;
  for (int n = 1; n <= 9; ++n) priorities.push_back({absl::StrCat(n), absl::StrCat(n)});
  if (auto e = errors.find("queues"); e != errors.end()) v.Set("queues_error", e->second);
  for (size_t idx = 0; idx < queues.size(); ++idx) {
    const domain::RoutingQueue& q = queues[idx];
    const domain::RoutingProfileQueue* line = nullptr;
    for (const auto& l : p.queues) {
      if (l.queue == q.code) line = &l;
    }
    View r;
    r.Set("code", q.code).Set("name", q.name).Set("id", absl::StrCat("f-queue-", idx)).Flag("checked", line != nullptr);
    r.Child("priority", Select(absl::StrCat("priority_", q.code),
                               i18n::Substitute(tr("Priority of {queue} (1 first)"), {{"queue", q.name}}),
                               priorities, line ? absl::StrCat(line->priority) : "1", "", errors));
    r.Child("delay", Input(absl::StrCat("delay_", q.code),
                           i18n::Substitute(tr("Delay for {queue}, in seconds"), {{"queue", q.name}}),
                           line ? absl::StrCat(line->delay_seconds) : "0", errors));
    v.Add("queue_rows", r);
  }
  for (int m = 0; m < routing::kMediaCount; ++m) {
    const auto media = static_cast<routing::Media>(m);
    v.Add("capacity", Input(absl::StrCat("capacity_", std::string(routing::MediaName(media))),
                            i18n::Substitute(tr("{media} at once"), {{"media", MediaWords(media, tr)}}),
                            absl::StrCat(p.capacity[m]), errors));
  }
  return MakePage("routing_profile_form", heading, v, "/staff/floor", errors);
}

constexpr char kProfileChanged[] =
    N_("Someone else changed this routing profile while you were editing. Reload the page to see their changes.");

Result ProfileEdit(WebContext& ctx, const domain::Actor& actor, http::Request& request) {
  ONESTOP_RETURN_IF_ERROR(services::Authorize(actor, services::Permission::kEditRouting));
  const i18n::Translator& tr = *ReaderOf(ctx, request, true).tr;
  ONESTOP_ASSIGN_OR_RETURN(services::RoutingDesk * desk, DeskOf(ctx));
  const std::string code = request.PathParam("code");
  const bool is_new = code.empty();
  domain::RoutingProfile p;
  if (!is_new) {
    ONESTOP_ASSIGN_OR_RETURN(p, desk->GetProfile(actor, code));
  }
  if (request.method != "POST") return RenderProfile(ctx, actor, tr, *desk, p, is_new, {});
  const http::ParamList form = FormBody(request);
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::RoutingQueue> queues, desk->ListQueues(actor));
  ErrorMap errors;
  domain::RoutingProfile edited = p;
  if (is_new) {
    edited.code = Trim(FirstValue(form, "code"));
    if (edited.code.empty()) errors["code"] = tr("Enter a code for the routing profile");
  }
  edited.name = Trim(FirstValue(form, "name"));
  if (edited.name.empty()) errors["name"] = tr("Enter the routing profile's name");
  edited.team = FirstValue(form, "team");
  std::set<std::string> chosen;
  for (const auto& [k, value] : form) {
    if (k == "queues") chosen.insert(value);
  }
  edited.queues.clear();
  for (const domain::RoutingQueue& q : queues) {
    if (!chosen.contains(q.code)) continue;
    edited.queues.push_back({q.code, IntOf(form, "priority_" + q.code, 1, 1, 99, errors, tr),
                             IntOf(form, "delay_" + q.code, 0, 0, 86400, errors, tr)});
  }
  for (int m = 0; m < routing::kMediaCount; ++m) {
    edited.capacity[m] = IntOf(form, absl::StrCat("capacity_", std::string(routing::MediaName(static_cast<routing::Media>(m)))),
                               edited.capacity[m], 0, 50, errors, tr);
  }
  if (errors.empty()) {
    const int64_t expected = is_new ? 0 : VersionOf(form).value_or(-1);
    absl::StatusOr<domain::RoutingProfile> saved = desk->PutProfile(actor, edited, expected);
    if (saved.ok()) return GoTo("/staff/routing/profiles?flash=saved");
    if (!absl::IsInvalidArgument(saved.status()) && !absl::IsAborted(saved.status())) return saved.status();
    if (absl::IsAborted(saved.status()) && is_new) {
      errors["code"] = tr("A routing profile with this code already exists");
    } else {
      errors = RoutingErrors(saved.status(), tr, kProfileChanged);
    }
    if (absl::IsAborted(saved.status()) && !is_new) {
      absl::StatusOr<domain::RoutingProfile> current = desk->GetProfile(actor, code);
      if (current.ok()) return RenderProfile(ctx, actor, tr, *desk, *current, false, errors);
    }
  }
  if (!is_new) edited.version = VersionOf(form).value_or(p.version);
  return RenderProfile(ctx, actor, tr, *desk, edited, is_new, errors);
}

Result ProfileDelete(WebContext& ctx, const domain::Actor& actor, http::Request& request) {
  ONESTOP_RETURN_IF_ERROR(services::Authorize(actor, services::Permission::kEditRouting));
  ONESTOP_ASSIGN_OR_RETURN(services::RoutingDesk * desk, DeskOf(ctx));
  ONESTOP_RETURN_IF_ERROR(desk->DeleteProfile(actor, request.PathParam("code")));
  return GoTo("/staff/routing/profiles?flash=deleted");
}

}  // namespace onestop::web::supervisor_internal
