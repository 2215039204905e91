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


namespace admin_internal {

void AddErrors(View& v, const ErrorMap& errors, const std::vector<std::string>& order) {
  v.List("errors");
  for (auto& e : ErrorSummary(errors, order)) v.Add("errors", e);
}

absl::Status RequireAdmin(const domain::Actor& actor) {
  return services::Authorize(actor, services::Permission::kEditCatalogue);
}

Options TeamOptions(WebContext& ctx) {
  Options out;
  auto snapshot = ctx.deps.catalogue.Get();
  if (snapshot.ok()) {
    for (const auto& t : (*snapshot)->teams) out.push_back({t.code, t.name});
  }
  return out;
}

std::optional<int64_t> VersionOf(const http::ParamList& form) {
  int64_t version = 0;
  if (absl::SimpleAtoi(FirstValue(form, "version"), &version)) return version;
  return std::nullopt;
}

}  // namespace admin_internal

using namespace admin_internal;

namespace {

// ---- admin home ----

Result AdminHome(WebContext&, const domain::Actor& actor, http::Request&) {
  if (auto s = RequireAdmin(actor); !s.ok()) return s;
  return MakePage("admin_home", N_("Admin"), View(), "/staff/admin");
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
  add("POST", "/staff/admin/staff/{id}/sip", StaffSipSet);
  add("POST", "/staff/admin/staff/{id}/sip/remove", StaffSipRemove);
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
