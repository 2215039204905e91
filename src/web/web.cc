#include "web/web.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "absl/strings/str_cat.h"
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

WebContext::WebContext(services::Deps d, WebOptions o, Signer s)
    : deps(d),
      options(std::move(o)),
      signer(std::move(s)),
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
      get_case_history(d),
      create_citizen(d),
      get_citizen(d),
      find_citizens(d),
      get_timeline(d),
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
  return WebContextPtr(new WebContext(deps, std::move(options), std::move(signer)));
}

void RegisterWebRoutes(http::Router& router, WebContext& ctx) {
  if (!ctx.options.assets_dir.empty()) {
    router.AddStaticDir("/assets", ctx.options.assets_dir, {.cache_control = "public, max-age=3600"});
  }
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

http::Response Page(const WebContext& ctx, int status, const std::string& template_name,
                    const std::string& title, View view, bool has_error, const View* frame) {
  view.Set("site_name", ctx.options.site_name);
  View layout = frame != nullptr ? *frame : View();
  layout.Set("site_name", ctx.options.site_name);
  if (layout.fields().find("home_href") == layout.fields().end()) layout.Set("home_href", "/");
  layout.Set("title", title).Flag("has_error", has_error);
  layout.Set("content", Render(template_name, view));
  http::Response response = http::Response::Html(status, Render("layout", layout));
  response.SetHeader("Cache-Control", "no-store");
  response.SetHeader("X-Frame-Options", "DENY");
  response.SetHeader("Content-Security-Policy",
                     "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                     "base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
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

namespace {
const absl::TimeZone& London() {
  static const absl::TimeZone* tz = [] {
    auto* zone = new absl::TimeZone;
    if (!absl::LoadTimeZone("Europe/London", zone)) *zone = absl::UTCTimeZone();
    return zone;
  }();
  return *tz;
}
}  // namespace

std::string FormatDate(absl::Time t) {
  std::string s = absl::FormatTime("%e %B %Y", t, London());
  return s.front() == ' ' ? s.substr(1) : s;
}

std::string FormatDateTime(absl::Time t) {
  absl::CivilMinute m = absl::ToCivilMinute(t, London());
  int hour12 = m.hour() % 12 == 0 ? 12 : m.hour() % 12;
  std::string minutes = m.minute() < 10 ? "0" + std::to_string(m.minute()) : std::to_string(m.minute());
  return absl::StrCat(FormatDate(t), " at ", hour12, ":", minutes,
                      m.hour() < 12 ? "am" : "pm");
}

std::string SlaInWords(const domain::Service& service) {
  if (service.sla.amount <= 0) return "";
  const bool days = service.sla.unit == domain::SlaUnit::kWorkingDays;
  const std::string unit = days ? "working day" : "working hour";
  return absl::StrCat("We aim to deal with it within ", service.sla.amount, " ", unit,
                      service.sla.amount == 1 ? "" : "s",
                      " (Monday to Friday, not bank holidays).");
}

std::string StatusWords(domain::CaseStatus status) {
  switch (status) {
    case domain::CaseStatus::kNew: return "Received";
    case domain::CaseStatus::kOpen: return "Open";
    case domain::CaseStatus::kInProgress: return "In progress";
    case domain::CaseStatus::kWaitingOnCitizen: return "Waiting for you";
    case domain::CaseStatus::kResolved: return "Resolved";
    case domain::CaseStatus::kClosed: return "Closed";
    case domain::CaseStatus::kCancelled: return "Cancelled";
  }
  return "";
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
