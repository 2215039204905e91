// Staff desktop pages for admins and article editors:
//   - /staff/admin: the catalogue editor (services, their form fields, SLAs,
//     channels), staff users and roles, API keys (admin role only);
//   - /staff/articles: the knowledge base list and editor (all staff read;
//     editing is the services' kEditArticles).
// Every action runs the same use case as the JSON API as the signed-in actor,
// so the services' permission checks decide; pages of the admin area also
// check kEditCatalogue up front so other roles get the 403 page even for
// reads. Forms post back to themselves with the session's CSRF token
// (AddStaffRoute) and answer with a redirect on success.

#include "web/admin_internal.h"

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "domain/routing_config.h"
#include "markdown/markdown.h"
#include "services/permissions.h"
#include "web/context.h"
#include "web/form_fields.h"
#include "web/staff_internal.h"

namespace onestop::web {
namespace admin_internal {

StaffPageResult MakePage(std::string tmpl, std::string title, View v, std::string current,
                         const ErrorMap& errors) {
  StaffPageResult r;
  r.template_name = std::move(tmpl);
  r.title = std::move(title);
  r.view = std::move(v);
  r.current = std::move(current);
  r.has_error = !errors.empty();
  r.status = errors.empty() ? 200 : 400;
  return r;
}

StaffPageResult GoTo(std::string location) {
  StaffPageResult r;
  r.redirect = std::move(location);
  return r;
}

std::string Trim(const std::string& s) { return std::string(absl::StripAsciiWhitespace(s)); }

std::vector<std::string> AllValues(const http::ParamList& form, const std::string& name) {
  std::vector<std::string> out;
  for (const auto& [k, v] : form) {
    if (k == name) out.push_back(v);
  }
  return out;
}

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out;
  for (absl::string_view part : absl::StrSplit(text, absl::ByAnyChar(",\n"))) {
    std::string p(absl::StripAsciiWhitespace(part));
    if (!p.empty()) out.push_back(p);
  }
  return out;
}

View Checkboxes(const std::string& name, const std::string& label, const Options& options,
                const std::vector<std::string>& checked, const ErrorMap& errors) {
  View v;
  const std::string id = "f-" + name;
  v.Flag("is_checkboxes", true).Set("name", name).Set("id", id).Set("label", label).Flag("required", true);
  std::string described_by = id + "-hint";
  if (auto e = errors.find(name); e != errors.end()) {
    v.Set("error", e->second);
    described_by += " " + id + "-error";
  }
  v.Set("described_by", described_by);
  v.List("options");
  int index = 0;
  for (const auto& [key, text] : options) {
    View o;
    o.Set("id", index == 0 ? id : absl::StrCat(id, "-", index)).Set("name", name).Set("value", key).Set("label", text);
    o.Flag("checked", std::find(checked.begin(), checked.end(), key) != checked.end());
    v.Add("options", o);
    ++index;
  }
  return v;
}

}  // namespace admin_internal

namespace {

using namespace admin_internal;

View DateField(const std::string& name, const std::string& label, const http::ParamList& answers,
               const ErrorMap& errors) {
  View v;
  const std::string id = "f-" + name;
  v.Flag("is_date", true).Set("name", name).Set("id", id).Set("label", label).Flag("required", false);
  std::string described_by = id + "-hint";
  if (auto e = errors.find(name); e != errors.end()) {
    v.Set("error", e->second);
    described_by += " " + id + "-error";
  }
  v.Set("described_by", described_by);
  v.Set("day", FirstValue(answers, name + ".day"))
      .Set("month", FirstValue(answers, name + ".month"))
      .Set("year", FirstValue(answers, name + ".year"));
  return v;
}

}  // namespace

namespace admin_internal {

void AddErrors(View& v, const ErrorMap& errors, const std::vector<std::string>& order) {
  v.List("errors");
  for (auto& e : ErrorSummary(errors, order)) v.Add("errors", e);
}

absl::Status RequireAdmin(const domain::Actor& actor) {
  return services::Authorize(actor, services::Permission::kEditCatalogue);
}

std::optional<int64_t> VersionOf(const http::ParamList& form) {
  int64_t version = 0;
  if (absl::SimpleAtoi(FirstValue(form, "version"), &version)) return version;
  return std::nullopt;
}

}  // namespace admin_internal

namespace {

// ---- admin home ----

Result AdminHome(WebContext&, const domain::Actor& actor, http::Request&) {
  if (auto s = RequireAdmin(actor); !s.ok()) return s;
  return MakePage("admin_home", N_("Admin"), View(), "/staff/admin");
}

// ---- staff users ----

Options RoleOptions(const i18n::Translator& tr) {
  return {{"agent", tr.Context("role", "Agent")},
          {"officer", tr.Context("role", "Officer")},
          {"supervisor", tr.Context("role", "Supervisor")},
          {"admin", tr.Context("role", "Admin")}};
}

Options DepartmentOptions(WebContext& ctx) {
  Options out;
  auto snapshot = ctx.deps.catalogue.Get();
  if (snapshot.ok()) {
    for (const auto& d : (*snapshot)->departments) out.push_back({d.code, d.name});
  }
  return out;
}

Options TeamOptions(WebContext& ctx) {
  Options out;
  auto snapshot = ctx.deps.catalogue.Get();
  if (snapshot.ok()) {
    for (const auto& t : (*snapshot)->teams) out.push_back({t.code, t.name});
  }
  return out;
}

// Skills as the form shows them: one per line, "code level".
std::string SkillLines(const std::vector<domain::Skill>& skills) {
  std::string out;
  for (const domain::Skill& skill : skills) {
    absl::StrAppend(&out, out.empty() ? "" : "\n", skill.code, " ", skill.proficiency);
  }
  return out;
}

// Parses the skills box: one skill per line, "code" or "code level" (also
// "code:level"); level 1-5, default 3; codes a-z, 0-9, - and _. Sets
// *error and returns nothing on the first bad line.
std::optional<std::vector<domain::Skill>> ParseSkillLines(const std::string& text, std::string* error,
                                                          const i18n::Translator& tr) {
  std::vector<domain::Skill> skills;
  int line_no = 0;
  for (absl::string_view raw : absl::StrSplit(text, '\n')) {
    ++line_no;
    std::string line(absl::StripAsciiWhitespace(raw));
    if (line.empty()) continue;
    std::replace(line.begin(), line.end(), ':', ' ');
    std::vector<std::string> parts = absl::StrSplit(line, ' ', absl::SkipEmpty());
    domain::Skill skill;
    skill.code = absl::AsciiStrToLower(parts[0]);
    int level = 3;
    const bool level_ok = parts.size() == 1 || (parts.size() == 2 && absl::SimpleAtoi(parts[1], &level) &&
                                                level >= 1 && level <= 5);
    if (!domain::ValidRoutingCode(skill.code) || !level_ok) {
      *error = i18n::Substitute(tr("Line {line}: enter a skill code (letters, digits and -) and a level from 1 "
                                   "to 5, for example council-tax 4"),
                                {{"line", absl::StrCat(line_no)}});
      return std::nullopt;
    }
    skill.proficiency = level;
    for (const domain::Skill& seen : skills) {
      if (seen.code == skill.code) {
        *error = i18n::Substitute(tr("Line {line}: {skill} is listed twice"),
                                  {{"line", absl::StrCat(line_no)}, {"skill", skill.code}});
        return std::nullopt;
      }
    }
    skills.push_back(skill);
  }
  return skills;
}

Result StaffList(WebContext& ctx, const domain::Actor& actor, http::Request& request) {
  if (auto s = RequireAdmin(actor); !s.ok()) return s;
  const i18n::Translator& tr = *ReaderOf(ctx, request, true).tr;
  auto all = ctx.list_staff.Run(actor);
  if (!all.ok()) return all.status();
  View v;
  v.List("staff");
  for (const auto& s : *all) {
    View row;
    row.Set("id", std::to_string(s.id)).Set("name", s.display_name).Set("email", s.email);
    row.Set("role", staff_internal::RoleWords(s.role, tr)).Set("department", s.department).Set("team", s.team);
    row.Flag("inactive", !s.active);
    v.Add("staff", row);
  }
  const std::string flash = request.QueryParam("flash").value_or("");
  if (flash == "created") v.Set("flash", tr("Staff user created"));
  if (flash == "saved") v.Set("flash", tr("Staff user saved"));
  return MakePage("admin_staff", N_("Staff users"), v, "/staff/admin");
}

Result RenderStaffForm(WebContext& ctx, const i18n::Translator& tr, const std::string& id,
                       const std::string& heading, const http::ParamList& answers, const ErrorMap& errors) {
  View v;
  const bool is_new = id.empty();
  v.Set("action", is_new ? "/staff/admin/staff/new" : "/staff/admin/staff/" + id).Set("heading", heading);
  v.Flag("is_new", is_new).Set("version", FirstValue(answers, "version"));
  AddErrors(v, errors, {"display_name", "email", "password", "role", "department", "team", "skills", "active"});
  v.Add("fields", SimpleField("display_name", tr("Full name"), "input", answers, errors));
  if (is_new) {
    v.Add("fields", SimpleField("email", tr("Email address"), "input", answers, errors));
    v.Add("fields", SimpleField("password", tr("Initial password"), "input", answers, errors, true,
                                tr("At least 10 characters; give it to them privately")));
  }
  v.Add("fields", SimpleField("role", tr("Role"), "radios", answers, errors, true, "", RoleOptions(tr)));
  v.Add("fields", SimpleField("department", tr("Department"), "select", answers, errors, false,
                              tr("Required for officers: they see only their department's cases"),
                              DepartmentOptions(ctx)));
  v.Add("fields", SimpleField("team", tr("Team"), "select", answers, errors, false, "", TeamOptions(ctx)));
  v.Add("fields", SimpleField("skills", tr("Skills"), "textarea", answers, errors, false,
                              tr("One per line: a skill code and a level from 1 (basic) to 5 (expert), for "
                                 "example council-tax 4. Calls and tasks that need a skill are offered only "
                                 "to staff who have it; a change counts at once. On the floor page skills "
                                 "are picked from a list.")));
  if (!is_new) {
    v.Add("fields", SimpleField("password", tr("New password (optional)"), "input", answers, errors, false,
                                tr("Only to reset a forgotten password: at least 10 characters; give it to them "
                                   "privately. Leave empty to keep the current one.")));
    v.Add("fields", SimpleField("active", tr("Can sign in"), "radios", answers, errors, true, "",
                                {{"yes", tr("Yes, active")}, {"no", tr("No, deactivated")}}));
  }
  return MakePage("admin_staff_form", heading, v, "/staff/admin", errors);
}

ErrorMap StaffErrors(const absl::Status& status, const i18n::Translator& tr) {
  ErrorMap errors = ErrorsFromStatus(status, nullptr, tr);
  if (absl::IsAlreadyExists(status)) errors["email"] = tr("A staff user with this email address already exists");
  if (absl::IsAborted(status)) {
    errors[""] = tr("Someone else changed this user while you were editing. Reload and try again.");
  }
  if (errors.empty()) errors[""] = std::string(status.message());
  return errors;
}

Result StaffNew(WebContext& ctx, const domain::Actor& actor, http::Request& request) {
  if (auto s = RequireAdmin(actor); !s.ok()) return s;
  const i18n::Translator& tr = *ReaderOf(ctx, request, true).tr;
  if (request.method != "POST") return RenderStaffForm(ctx, tr, "", tr("New staff user"), {{"role", "agent"}}, {});
  const http::ParamList form = FormBody(request);
  services::NewStaff input;
  input.display_name = Trim(FirstValue(form, "display_name"));
  input.email = Trim(FirstValue(form, "email"));
  input.password = FirstValue(form, "password");
  input.department = FirstValue(form, "department");
  input.team = FirstValue(form, "team");
  ErrorMap errors;
  std::string skills_error;
  if (auto skills = ParseSkillLines(FirstValue(form, "skills"), &skills_error, tr)) {
    input.skills = *skills;
  } else {
    errors["skills"] = skills_error;
  }
  auto role = domain::ParseRole(FirstValue(form, "role"));
  if (!role) errors["role"] = tr("Select the role");
  else input.role = *role;
  if (input.display_name.empty()) errors["display_name"] = tr("Enter the full name");
  if (input.email.empty()) errors["email"] = tr("Enter the email address");
  if (input.password.empty()) errors["password"] = tr("Enter an initial password");
  if (errors.empty()) {
    auto created = ctx.create_staff.Run(actor, input);
    if (created.ok()) return GoTo("/staff/admin/staff?flash=created");
    if (!absl::IsInvalidArgument(created.status()) && !absl::IsAlreadyExists(created.status())) {
      return created.status();
    }
    errors = StaffErrors(created.status(), tr);
  }
  http::ParamList kept = form;
  std::erase_if(kept, [](const auto& p) { return p.first == "password"; });
  return RenderStaffForm(ctx, tr, "", tr("New staff user"), kept, errors);
}

Result StaffEdit(WebContext& ctx, const domain::Actor& actor, http::Request& request) {
  if (auto s = RequireAdmin(actor); !s.ok()) return s;
  const i18n::Translator& tr = *ReaderOf(ctx, request, true).tr;
  int64_t id = 0;
  if (!absl::SimpleAtoi(request.PathParam("id"), &id)) return absl::NotFoundError("");
  auto user = ctx.get_staff.Run(actor, id);
  if (!user.ok()) return user.status();
  const std::string heading = i18n::Substitute(tr("Edit {name}"), {{"name", user->display_name}});
  if (request.method != "POST") {
    return RenderStaffForm(ctx, tr, std::to_string(id), heading,
                           {{"display_name", user->display_name}, {"role", std::string(domain::RoleName(user->role))},
                            {"department", user->department}, {"team", user->team},
                            {"skills", SkillLines(user->skills)},
                            {"active", user->active ? "yes" : "no"}, {"version", std::to_string(user->version)}},
                           {});
  }
  const http::ParamList form = FormBody(request);
  services::StaffChanges changes;
  ErrorMap errors;
  changes.display_name = Trim(FirstValue(form, "display_name"));
  if (changes.display_name->empty()) errors["display_name"] = tr("Enter the full name");
  auto role = domain::ParseRole(FirstValue(form, "role"));
  if (!role) errors["role"] = tr("Select the role");
  changes.role = role;
  changes.department = FirstValue(form, "department");
  changes.team = FirstValue(form, "team");
  std::string skills_error;
  if (auto skills = ParseSkillLines(FirstValue(form, "skills"), &skills_error, tr)) {
    changes.skills = *skills;
  } else {
    errors["skills"] = skills_error;
  }
  changes.active = FirstValue(form, "active") != "no";
  if (const std::string password = FirstValue(form, "password"); !password.empty()) changes.password = password;
  if (errors.empty()) {
    auto saved = ctx.update_staff.Run(actor, id, changes, VersionOf(form));
    if (saved.ok()) {
      // Routing takes the new skills now, not at the agent's next presence
      // change (a deactivated account simply leaves the engine's offers).
      if (ctx.routing_hub && ctx.routing_hub->leading() && saved->active) {
        (void)ctx.routing_hub->desk().ApplyStaffChange(actor, id);
      }
      return GoTo("/staff/admin/staff?flash=saved");
    }
    if (!absl::IsInvalidArgument(saved.status()) && !absl::IsAborted(saved.status())) return saved.status();
    errors = StaffErrors(saved.status(), tr);
  }
  http::ParamList kept = form;
  std::erase_if(kept, [](const auto& p) { return p.first == "password"; });
  return RenderStaffForm(ctx, tr, std::to_string(id), heading, kept, errors);
}

// ---- API keys ----

Result RenderApiKeys(WebContext& ctx, const i18n::Translator& tr, const domain::Actor& actor,
                     const http::ParamList& answers, const ErrorMap& errors, const std::string& new_key,
                     const std::string& flash) {
  auto keys = ctx.list_api_keys.Run(actor);
  if (!keys.ok()) return keys.status();
  View v;
  v.Set("new_key", new_key).Set("flash", flash);
  AddErrors(v, errors, {"name"});
  v.Add("fields", SimpleField("name", tr("Client application"), "input", answers, errors, true,
                              tr("For example, FixMyStreet")));
  v.List("keys");
  for (const auto& k : *keys) {
    View row;
    row.Set("id", std::to_string(k.id)).Set("name", k.name).Set("prefix", k.key_prefix);
    row.Set("created", tr.DateTime(k.created_at));
    row.Flag("revoked", k.revoked_at.has_value());
    if (k.revoked_at) row.Set("revoked_at", tr.DateTime(*k.revoked_at));
    v.Add("keys", row);
  }
  return MakePage("admin_api_keys", N_("API keys"), v, "/staff/admin", errors);
}

Result ApiKeys(WebContext& ctx, const domain::Actor& actor, http::Request& request) {
  if (auto s = RequireAdmin(actor); !s.ok()) return s;
  const i18n::Translator& tr = *ReaderOf(ctx, request, true).tr;
  if (request.method != "POST") {
    return RenderApiKeys(ctx, tr, actor, {}, {}, "",
                         request.QueryParam("flash").value_or("") == "revoked" ? tr("Key revoked") : "");
  }
  const http::ParamList form = FormBody(request);
  const std::string name = Trim(FirstValue(form, "name"));
  if (name.empty()) {
    return RenderApiKeys(ctx, tr, actor, form, {{"name", tr("Enter the client application's name")}}, "", "");
  }
  auto created = ctx.create_api_key.Run(actor, name);
  if (!created.ok()) {
    if (absl::IsInvalidArgument(created.status())) {
      return RenderApiKeys(ctx, tr, actor, form, {{"name", std::string(created.status().message())}}, "", "");
    }
    return created.status();
  }
  // Shown once, on this response only (never in a URL).
  return RenderApiKeys(ctx, tr, actor, {}, {}, created->key, "");
}

Result ApiKeyRevoke(WebContext& ctx, const domain::Actor& actor, http::Request& request) {
  if (auto s = RequireAdmin(actor); !s.ok()) return s;
  int64_t id = 0;
  if (!absl::SimpleAtoi(request.PathParam("id"), &id)) return absl::NotFoundError("");
  auto revoked = ctx.revoke_api_key.Run(actor, id);
  if (!revoked.ok()) return revoked.status();
  return GoTo("/staff/admin/api-keys?flash=revoked");
}

// ---- knowledge base ----

Result ArticleList(WebContext& ctx, const domain::Actor& actor, http::Request& request) {
  const i18n::Translator& tr = *ReaderOf(ctx, request, true).tr;
  services::ArticleFilter filter;
  const std::string audience = request.QueryParam("audience").value_or("");
  const std::string status = request.QueryParam("status").value_or("");
  filter.audience = domain::ParseArticleAudience(audience);
  filter.status = domain::ParseArticleStatus(status);
  filter.review_overdue = request.QueryParam("overdue").value_or("") == "1";
  auto articles = ctx.list_articles.Run(actor, filter);
  if (!articles.ok()) return articles.status();
  View v;
  const http::ParamList answers = {{"audience", audience}, {"status", status}};
  v.Add("filters", SimpleField("audience", tr("Audience"), "select", answers, {}, false, "",
                               {{"public", tr("Public")}, {"staff", tr("Staff only")}}));
  v.Add("filters", SimpleField("status", tr("Status"), "select", answers, {}, false, "",
                               {{"published", tr("Published")}, {"draft", tr("Draft")}}));
  v.Flag("overdue", filter.review_overdue);
  v.Flag("can_edit", services::Authorize(actor, services::Permission::kEditArticles).ok());
  v.List("articles");
  const absl::Time now = ctx.deps.clock.Now();
  for (const auto& a : *articles) {
    View row;
    row.Set("id", std::to_string(a.id)).Set("title", a.title);
    row.Set("audience", a.audience == domain::ArticleAudience::kPublic ? tr("Public") : tr("Staff only"));
    row.Set("status", a.status == domain::ArticleStatus::kPublished ? tr("Published") : tr("Draft"));
    row.Set("review", a.review_at ? tr.Date(*a.review_at) : tr("Not set"));
    row.Flag("review_overdue", a.ReviewOverdue(now));
    v.Add("articles", row);
  }
  const int64_t count = static_cast<int64_t>(articles->size());
  v.Set("count", i18n::Substitute(tr.Plural("{n} article", "{n} articles", count), {{"n", std::to_string(count)}}));
  const std::string flash = request.QueryParam("flash").value_or("");
  if (flash == "saved") v.Set("flash", tr("Article saved"));
  return MakePage("staff_articles", N_("Knowledge base"), v, "/staff/articles");
}

http::ParamList ArticleAnswers(const domain::Article& a) {
  http::ParamList out = {{"title", a.title},
                         {"summary", a.summary},
                         {"body", a.body},
                         {"audience", std::string(domain::ArticleAudienceName(a.audience))},
                         {"status", std::string(domain::ArticleStatusName(a.status))},
                         {"service_codes", absl::StrJoin(a.service_codes, ", ")},
                         {"keywords", absl::StrJoin(a.keywords, ", ")},
                         {"version", std::to_string(a.version)}};
  for (const auto& [lang, text] : a.translations) {
    out.push_back({lang + ".title", text.title});
    out.push_back({lang + ".summary", text.summary});
    out.push_back({lang + ".body", text.body});
  }
  if (a.review_at) {
    const absl::CivilDay day = absl::ToCivilDay(*a.review_at, absl::UTCTimeZone());
    out.push_back({"review.day", std::to_string(day.day())});
    out.push_back({"review.month", std::to_string(day.month())});
    out.push_back({"review.year", std::to_string(day.year())});
  }
  return out;
}

Result RenderArticle(WebContext& ctx, const i18n::Translator& tr, const domain::Actor& actor,
                     const domain::Article* article, const http::ParamList& answers, const ErrorMap& errors,
                     const std::string& flash) {
  View v;
  const bool is_new = article == nullptr;
  v.Flag("is_new", is_new).Set("flash", flash);
  v.Set("action", is_new ? "/staff/articles/new" : absl::StrCat("/staff/articles/", article->id));
  v.Set("version", FirstValue(answers, "version"));
  AddErrors(v, errors, {"title", "summary", "body", "audience", "status", "service_codes", "keywords", "review"});
  v.Add("fields", SimpleField("title", tr("Title"), "input", answers, errors));
  v.Add("fields", SimpleField("summary", tr("Summary"), "textarea", answers, errors, false,
                              tr("One or two sentences shown in search results")));
  v.Add("fields", SimpleField("body", tr("Body"), "textarea", answers, errors, true,
                              tr("Markdown: # headings, **bold**, - lists, [links](https://example.org). No HTML.")));
  v.Add("fields", SimpleField("audience", tr("Audience"), "radios", answers, errors, true, "",
                              {{"public", tr("Public – residents can read it")},
                               {"staff", tr("Staff only – a call script")}}));
  v.Add("fields", SimpleField("status", tr("Status"), "radios", answers, errors, true, "",
                              {{"draft", tr("Draft")}, {"published", tr("Published")}}));
  v.Add("fields", SimpleField("service_codes", tr("Linked services"), "input", answers, errors, false,
                              tr("Service codes separated by commas, for example missed-bin")));
  v.Add("fields", SimpleField("keywords", tr("Keywords and synonyms"), "input", answers, errors, false,
                              tr("Separated by commas. To show it as the call script for a service or a call "
                                 "queue, add script: and the code, for example script:missed-bin or script:general")));
  v.Add("fields", DateField("review", tr("Review by"), answers, errors));
  // The article in each other language; without one, residents reading that
  // language get the English text (marked lang="en").
  for (const i18n::Translator* other : OtherLanguages()) {
    const std::string& lang = other->lang();
    v.Add("fields", SimpleField(lang + ".title", InLanguage(tr("Title"), *other), "input", answers, errors, false,
                                tr("Leave the three empty to show the English article")));
    v.Add("fields", SimpleField(lang + ".summary", InLanguage(tr("Summary"), *other), "textarea", answers, errors,
                                false));
    v.Add("fields", SimpleField(lang + ".body", InLanguage(tr("Body"), *other), "textarea", answers, errors, false,
                                tr("Markdown, as above")));
  }
  // Agents read the article; only editors get the form.
  const bool can_edit = services::Authorize(actor, services::Permission::kEditArticles).ok();
  v.Flag("can_edit", can_edit);
  if (article != nullptr) {
    v.Set("id", std::to_string(article->id)).Set("title", article->title);
    v.Set("read_title", domain::TitleIn(*article, tr.lang()))
        .Set("read_summary", domain::SummaryIn(*article, tr.lang()))
        .Set("body_html", staff_internal::DemoteHeadings(markdown::RenderMarkdown(domain::BodyIn(*article, tr.lang())), 2))
        .Set("updated", tr.Date(article->updated_at))
        .Set("audience_text", article->audience == domain::ArticleAudience::kPublic
                                  ? tr("Public – residents can read it")
                                  : tr("Staff only – a call script"));
    if (article->IsPublic()) v.Set("public_href", absl::StrCat("/articles/", article->id));
    if (article->owner_id == actor.staff_id) {
      v.Flag("is_owner", true);
      v.Set("helpful_yes", std::to_string(article->helpful_yes))
          .Set("helpful_no", std::to_string(article->helpful_no))
          .Set("resolved_contacts", std::to_string(article->resolved_contacts));
    }
    auto versions = ctx.list_article_versions.Run(actor, article->id);
    v.List("versions");
    if (versions.ok()) {
      std::vector<domain::ArticleVersion> sorted = *versions;
      std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.version > b.version; });
      std::map<int64_t, std::string> names;
      auto staff = ctx.list_staff.Run(actor);
      if (staff.ok()) {
        for (const auto& s : *staff) names[s.id] = s.display_name;
      }
      for (const auto& ver : sorted) {
        View row;
        row.Set("version", std::to_string(ver.version)).Set("title", ver.title);
        row.Set("saved_at", tr.DateTime(ver.saved_at));
        row.Set("saved_by", names.contains(ver.saved_by)
                                ? names[ver.saved_by]
                                : i18n::Substitute(tr("Staff {id}"), {{"id", absl::StrCat(ver.saved_by)}}));
        row.Set("status", ver.status == domain::ArticleStatus::kPublished ? tr("published") : tr("draft"));
        v.Add("versions", row);
      }
    }
  }
  return MakePage("staff_article",
                  is_new ? N_("New article")
                         : can_edit ? i18n::Substitute(tr("Edit {name}"), {{"name", article->title}})
                                    : domain::TitleIn(*article, tr.lang()),
                  v, "/staff/articles", errors);
}

// The form → an article (onto `base`); errors for what the page itself can tell.
domain::Article ArticleFromForm(const http::ParamList& form, domain::Article base, ErrorMap& errors,
                                const i18n::Translator& tr) {
  base.title = Trim(FirstValue(form, "title"));
  if (base.title.empty()) errors["title"] = tr("Enter the title");
  base.summary = Trim(FirstValue(form, "summary"));
  base.body = FirstValue(form, "body");
  if (Trim(base.body).empty()) errors["body"] = tr("Enter the body");
  auto audience = domain::ParseArticleAudience(FirstValue(form, "audience"));
  if (!audience) errors["audience"] = tr("Select the audience");
  else base.audience = *audience;
  auto status = domain::ParseArticleStatus(FirstValue(form, "status"));
  if (!status) errors["status"] = tr("Select the status");
  else base.status = *status;
  base.service_codes = SplitList(FirstValue(form, "service_codes"));
  base.keywords = SplitList(FirstValue(form, "keywords"));
  for (const i18n::Translator* other : OtherLanguages()) {
    const std::string& lang = other->lang();
    domain::ArticleText text{Trim(FirstValue(form, lang + ".title")), Trim(FirstValue(form, lang + ".summary")),
                             FirstValue(form, lang + ".body")};
    if (text.title.empty() && text.summary.empty() && Trim(text.body).empty()) {
      base.translations.erase(lang);
      continue;
    }
    if (text.title.empty()) errors[lang + ".title"] = tr("Enter the title in this language, or leave all three empty");
    if (Trim(text.body).empty()) {
      errors[lang + ".body"] = tr("Enter the body in this language, or leave all three empty");
    }
    base.translations[lang] = std::move(text);
  }
  const std::string d = Trim(FirstValue(form, "review.day")), m = Trim(FirstValue(form, "review.month")),
                    y = Trim(FirstValue(form, "review.year"));
  base.review_at.reset();
  if (!d.empty() || !m.empty() || !y.empty()) {
    int day = 0, month = 0, year = 0;
    if (!absl::SimpleAtoi(d, &day) || !absl::SimpleAtoi(m, &month) || !absl::SimpleAtoi(y, &year) ||
        year < 2000 || year > 2200) {
      errors["review"] = tr("Review date must be a real date");
    } else {
      const absl::CivilDay civil(year, month, day);
      if (civil.day() != day || civil.month() != month) {
        errors["review"] = tr("Review date must be a real date");
      } else {
        base.review_at = absl::FromCivil(civil, absl::UTCTimeZone());
      }
    }
  }
  return base;
}

Result ArticleNew(WebContext& ctx, const domain::Actor& actor, http::Request& request) {
  if (auto s = services::Authorize(actor, services::Permission::kEditArticles); !s.ok()) return s;
  const i18n::Translator& tr = *ReaderOf(ctx, request, true).tr;
  if (request.method != "POST") {
    return RenderArticle(ctx, tr, actor, nullptr, {{"audience", "public"}, {"status", "draft"}}, {}, "");
  }
  const http::ParamList form = FormBody(request);
  ErrorMap errors;
  domain::Article article = ArticleFromForm(form, domain::Article(), errors, tr);
  if (errors.empty()) {
    auto created = ctx.create_article.Run(actor, article);
    if (created.ok()) return GoTo(absl::StrCat("/staff/articles/", created->id, "?flash=saved"));
    if (!absl::IsInvalidArgument(created.status())) return created.status();
    errors = ErrorsFromStatus(created.status(), nullptr, tr);
    if (errors.empty()) errors[""] = std::string(created.status().message());
  }
  return RenderArticle(ctx, tr, actor, nullptr, form, errors, "");
}

Result ArticleEdit(WebContext& ctx, const domain::Actor& actor, http::Request& request) {
  const i18n::Translator& tr = *ReaderOf(ctx, request, true).tr;
  int64_t id = 0;
  if (!absl::SimpleAtoi(request.PathParam("id"), &id)) return absl::NotFoundError("");
  auto article = ctx.get_article.Run(actor, id);
  if (!article.ok()) return article.status();
  if (request.method != "POST") {
    return RenderArticle(ctx, tr, actor, &*article, ArticleAnswers(*article), {},
                         request.QueryParam("flash").value_or("") == "saved" ? tr("Article saved") : "");
  }
  const http::ParamList form = FormBody(request);
  ErrorMap errors;
  domain::Article updated = ArticleFromForm(form, *article, errors, tr);
  if (errors.empty()) {
    auto saved = ctx.update_article.Run(actor, updated, VersionOf(form));
    if (saved.ok()) return GoTo(absl::StrCat("/staff/articles/", saved->id, "?flash=saved"));
    if (absl::IsAborted(saved.status())) {
      errors[""] = tr("Someone else changed this article while you were editing it. Your changes were not saved: "
                      "reload the page to see the current version.");
    } else if (absl::IsInvalidArgument(saved.status())) {
      errors = ErrorsFromStatus(saved.status(), nullptr, tr);
      if (errors.empty()) errors[""] = std::string(saved.status().message());
    } else {
      return saved.status();
    }
  }
  return RenderArticle(ctx, tr, actor, &*article, form, errors, "");
}

}  // namespace

void RegisterAdminPages(http::Router& router, WebContext& ctx) {
  using Fn = Result (*)(WebContext&, const domain::Actor&, http::Request&);
  auto add = [&](const char* method, const char* pattern, Fn fn) {
    AddStaffRoute(router, ctx, method, pattern,
                  [&ctx, fn](const domain::Actor& actor, http::Request& r) { return fn(ctx, actor, r); });
  };
  add("GET", "/staff/admin", AdminHome);
  add("GET", "/staff/admin/services", ServiceList);
  add("GET", "/staff/admin/services/new", ServiceNew);
  add("POST", "/staff/admin/services/new", ServiceNew);
  add("GET", "/staff/admin/services/{code}", ServiceEdit);
  add("POST", "/staff/admin/services/{code}", ServiceEdit);
  add("GET", "/staff/admin/services/{code}/fields/{field}", FieldEdit);
  add("POST", "/staff/admin/services/{code}/fields/{field}", FieldEdit);
  add("POST", "/staff/admin/services/{code}/fields/{field}/remove", FieldRemove);
  add("GET", "/staff/admin/staff", StaffList);
  add("GET", "/staff/admin/staff/new", StaffNew);
  add("POST", "/staff/admin/staff/new", StaffNew);
  add("GET", "/staff/admin/staff/{id}", StaffEdit);
  add("POST", "/staff/admin/staff/{id}", StaffEdit);
  add("GET", "/staff/admin/api-keys", ApiKeys);
  add("POST", "/staff/admin/api-keys", ApiKeys);
  add("POST", "/staff/admin/api-keys/{id}/revoke", ApiKeyRevoke);
  add("GET", "/staff/articles", ArticleList);
  add("GET", "/staff/articles/new", ArticleNew);
  add("POST", "/staff/articles/new", ArticleNew);
  add("GET", "/staff/articles/{id}", ArticleEdit);
  add("POST", "/staff/articles/{id}", ArticleEdit);
}

}  // namespace onestop::web
