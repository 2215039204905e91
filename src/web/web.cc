#include "web/web.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/strings/ascii.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/time_format.h"
#include "web/context.h"

namespace onestop::web {

bool RateLimiter::Blocked(const std::string& key, absl::Time now) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = failures_.find(key);
  if (it == failures_.end()) return false;
  while (!it->second.empty() && it->second.front() < now - window_) it->second.pop_front();
  return static_cast<int>(it->second.size()) >= max_;
}

void RateLimiter::RecordFailure(const std::string& key, absl::Time now) {
  std::lock_guard<std::mutex> lock(mu_);
  if (failures_.size() > 100000) failures_.clear();  // bounded memory under a flood
  failures_[key].push_back(now);
}

WebContext::WebContext(services::Deps d, WebOptions o, Signer s,
                       std::unique_ptr<const TemplateSet> t)
    : deps(d),
      options(std::move(o)),
      signer(std::move(s)),
      catalogs(i18n::Catalogs::Default()),
      templates(std::move(t)),
      track_limiter(options.track_failures_per_window, options.track_window),
      login(d, options.session_ttl),
      authenticate(d, &session_cache),
      logout(d, &session_cache),
      list_services(d),
      get_service(d),
      register_resident(d),
      track_case(d),
      open_case(d),
      get_case(d),
      list_cases(d),
      update_case(d),
      add_note(d),
      list_notes(d),
      list_case_messages(d),
      get_case_history(d),
      check_duplicates(d),
      mark_duplicate(d),
      follow_case(d),
      get_case_links(d),
      popular_services(d),
      create_citizen(d),
      get_citizen(d),
      find_citizens(d),
      get_timeline(d),
      set_citizen_flags(d),
      list_staff_names(d),
      record_contact(d),
      list_staff(d),
      get_staff(d),
      get_article(d),
      record_article_feedback(d),
      search(d, nullptr),
      save_service(d),
      create_staff(d),
      update_staff(d),
      create_api_key(d),
      list_api_keys(d),
      revoke_api_key(d),
      create_article(d),
      update_article(d),
      list_articles(d),
      list_article_versions(d),
      mark_contact_answered(d) {}

void WebContextDeleter::operator()(WebContext* ctx) const { delete ctx; }

absl::StatusOr<WebContextPtr> MakeWebContext(services::Deps deps, WebOptions options) {
  Signer signer;
  if (!options.secret_hex.empty()) {
    auto configured = Signer::FromHex(options.secret_hex);
    if (!configured.ok()) return configured.status();
    signer = std::move(*configured);
  }
  auto templates = TemplateSet::Load(i18n::Catalogs::Default(), options.theme_dir);
  if (!templates.ok()) return templates.status();
  WebContextPtr ctx(new WebContext(deps, std::move(options), std::move(signer), std::move(*templates)));
  ctx->theme_css = ThemeCss(ctx->options.theme);
  return ctx;
}

void RegisterWebRoutes(http::Router& router, WebContext& ctx) {
  if (!ctx.options.assets_dir.empty()) {
    router.AddStaticDir("/assets", ctx.options.assets_dir, {.cache_control = "public, max-age=3600"});
  }
  RegisterThemeRoutes(router, ctx);
  RegisterPortalRoutes(router, ctx);
  RegisterStaffRoutes(router, ctx);
  RegisterKnowledgeRoutes(router, ctx);
  RegisterRoutingPages(router, ctx);
  RegisterAdminPages(router, ctx);
}

std::string DefaultAssetsDir() {
  if (const char* env = std::getenv("ONESTOP_WEB_ASSETS"); env != nullptr && *env != '\0') {
    return env;
  }
  std::error_code ec;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "";
  std::filesystem::path dir = exe.parent_path() / "web-assets";
  return std::filesystem::is_directory(dir, ec) ? dir.string() : "";
}

namespace {

constexpr char kLangCookie[] = "lang";

std::optional<std::string> LangCookie(const http::Request& request) {
  for (const auto& [header, value] : request.headers) {
    if (!http::EqualsIgnoreCase(header, "Cookie")) continue;
    for (absl::string_view part : absl::StrSplit(value, ';')) {
      part = absl::StripAsciiWhitespace(part);
      if (absl::ConsumePrefix(&part, "lang=")) return std::string(part);
    }
  }
  return std::nullopt;
}

// The request's path and query without any `lang` parameter.
std::string PathWithoutLang(const http::Request& request) {
  std::string out = request.path;
  char sep = '?';
  for (const auto& [name, value] : request.query_params) {
    if (name == "lang") continue;
    absl::StrAppend(&out, std::string(1, sep), http::UrlEncode(name), "=", http::UrlEncode(value));
    sep = '&';
  }
  return out;
}

}  // namespace

Reader ReaderOf(const WebContext& ctx, const http::Request& request, bool staff_page) {
  Reader reader;
  reader.path = PathWithoutLang(request);
  if (auto asked = request.QueryParam("lang"); asked && ctx.catalogs.Supports(*asked)) {
    reader.tr = &ctx.catalogs.Get(*asked);
    reader.remember = true;
    return reader;
  }
  if (auto cookie = LangCookie(request); cookie && ctx.catalogs.Supports(*cookie)) {
    reader.tr = &ctx.catalogs.Get(*cookie);
    return reader;
  }
  if (!staff_page) {
    if (auto accept = request.Header("Accept-Language")) {
      std::string_view best = ctx.catalogs.Negotiate(*accept);
      if (!best.empty()) {
        reader.tr = &ctx.catalogs.Get(best);
        return reader;
      }
    }
  }
  reader.tr = &ctx.catalogs.English();
  return reader;
}

namespace {

// The layout's theme: the council's name, mark, footer and contact details
// in the reader's language (English where the theme has no translation).
void SetTheme(const WebContext& ctx, const Reader& reader, View& layout) {
  const domain::Theme& theme = ctx.options.theme;
  const i18n::Translator& tr = *reader.tr;
  const domain::ThemeText* text = nullptr;
  if (auto it = theme.translations.find(tr.lang()); it != theme.translations.end()) text = &it->second;
  auto pick = [&](const std::string domain::ThemeText::*field, const std::string& english) -> const std::string& {
    return text != nullptr && !(text->*field).empty() ? text->*field : english;
  };
  layout.Set("site_name", pick(&domain::ThemeText::name, theme.name));
  layout.Flag("has_logo", !theme.logo.empty());
  layout.Set("phone", theme.phone);
  layout.Set("opening_hours", pick(&domain::ThemeText::opening_hours, theme.opening_hours));
  const auto& links = text != nullptr && !text->footer_links.empty() ? text->footer_links : theme.footer_links;
  layout.List("footer_links");
  for (const auto& link : links) {
    View item;
    item.Set("text", link.text).Set("href", link.href);
    layout.Add("footer_links", item);
  }
  layout.Set("lang", tr.lang());
  layout.Set("current_language", tr.native_name());
  layout.List("languages");
  for (const i18n::Translator* other : ctx.catalogs.All()) {
    if (other == reader.tr) continue;
    View item;
    const char sep = reader.path.find('?') == std::string::npos ? '?' : '&';
    item.Set("href", absl::StrCat(reader.path, std::string(1, sep), "lang=", other->lang()))
        .Set("lang", other->lang())
        .Set("name", other->native_name());
    layout.Add("languages", item);
  }
}

}  // namespace

std::string SiteName(const WebContext& ctx, const i18n::Translator& tr) {
  const domain::Theme& theme = ctx.options.theme;
  if (auto it = theme.translations.find(tr.lang());
      it != theme.translations.end() && !it->second.name.empty()) {
    return it->second.name;
  }
  return theme.name;
}

http::Response Page(const WebContext& ctx, const Reader& reader, int status,
                    const std::string& template_name, const std::string& title, View view,
                    bool has_error, const View* frame) {
  const i18n::Translator& tr = *reader.tr;
  View layout = frame != nullptr ? *frame : View();
  SetTheme(ctx, reader, layout);
  view.Set("site_name", SiteName(ctx, tr));
  if (layout.fields().find("home_href") == layout.fields().end()) layout.Set("home_href", "/");
  layout.Set("title", title).Flag("has_error", has_error);
  // A page holding answers not yet saved (the report journey) switches
  // language by posting its form, so the answers come along.
  if (auto form = view.fields().find("lang_form"); form != view.fields().end()) {
    layout.Set("lang_form", form->second.text);
  }
  layout.Set("content", ctx.templates->Render(template_name, view, tr));
  http::Response response = http::Response::Html(status, ctx.templates->Render("layout", layout, tr));
  response.SetHeader("Cache-Control", "no-store");
  response.SetHeader("Content-Language", tr.lang());
  response.SetHeader("Vary", "Accept-Language, Cookie");
  response.SetHeader("X-Frame-Options", "DENY");
  response.SetHeader("Content-Security-Policy",
                     "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                     "base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
  if (reader.remember) {
    // Essential: it only remembers the language the reader picked.
    response.AddHeader("Set-Cookie", absl::StrCat(kLangCookie, "=", tr.lang(),
                                                  "; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax",
                                                  ctx.options.secure_cookies ? "; Secure" : ""));
  }
  return response;
}

http::Response Redirect(const std::string& location) {
  http::Response response;
  response.status = 303;
  response.content_type = "text/plain; charset=utf-8";
  response.SetHeader("Location", location);
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

std::string FormatDate(absl::Time t) { return i18n::Catalogs::Default().English().Date(t); }

std::string FormatDateTime(absl::Time t) {
  return i18n::Catalogs::Default().English().DateTime(t);
}

std::string SlaInWords(const domain::Service& service, const i18n::Translator& tr) {
  if (service.sla.amount <= 0) return "";
  const bool days = service.sla.unit == domain::SlaUnit::kWorkingDays;
  const char* text =
      days ? tr.Plural("We aim to deal with it within {n} working day (Monday to Friday, not bank holidays).",
                       "We aim to deal with it within {n} working days (Monday to Friday, not bank holidays).",
                       service.sla.amount)
           : tr.Plural("We aim to deal with it within {n} working hour (Monday to Friday, not bank holidays).",
                       "We aim to deal with it within {n} working hours (Monday to Friday, not bank holidays).",
                       service.sla.amount);
  return i18n::Substitute(text, {{"n", std::to_string(service.sla.amount)}});
}

std::string StatusWords(domain::CaseStatus status, const i18n::Translator& tr) {
  switch (status) {
    case domain::CaseStatus::kNew: return tr("Received");
    case domain::CaseStatus::kOpen: return tr("Open");
    case domain::CaseStatus::kInProgress: return tr("In progress");
    case domain::CaseStatus::kWaitingOnCitizen: return tr("Waiting for you");
    case domain::CaseStatus::kResolved: return tr("Resolved");
    case domain::CaseStatus::kClosed: return tr("Closed");
    case domain::CaseStatus::kCancelled: return tr("Cancelled");
  }
  return "";
}

std::string StaffStatusWords(domain::CaseStatus status, const i18n::Translator& tr) {
  // "Waiting for you" is what the resident reads; staff wait on the resident.
  if (status == domain::CaseStatus::kWaitingOnCitizen) return tr("Waiting on the resident");
  return StatusWords(status, tr);
}

std::string StatusTagClass(domain::CaseStatus status) {
  switch (status) {
    case domain::CaseStatus::kNew: return "govuk-tag--blue";
    case domain::CaseStatus::kOpen:
    case domain::CaseStatus::kInProgress: return "govuk-tag--light-blue";
    case domain::CaseStatus::kWaitingOnCitizen: return "govuk-tag--yellow";
    case domain::CaseStatus::kResolved: return "govuk-tag--green";
    case domain::CaseStatus::kClosed:
    case domain::CaseStatus::kCancelled: return "govuk-tag--grey";
  }
  return "";
}

http::ParamList FormBody(const http::Request& request) {
  auto parsed = http::ParseQuery(request.body);
  return parsed.ok() ? *parsed : http::ParamList{};
}

}  // namespace onestop::web
