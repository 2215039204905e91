// WebContext: what the page handlers share (internal to src/web). Owns one
// instance of each use case the pages call, the Signer and the tracking rate
// limiter. See web.h for the threading rules.
#pragma once

#include <deque>
#include <functional>
#include <optional>
#include <mutex>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "domain/staff.h"
#include "http/request.h"
#include "services/api_keys.h"
#include "services/articles.h"
#include "services/auth.h"
#include "services/cases.h"
#include "services/call_control.h"
#include "services/catalogue.h"
#include "services/citizens.h"
#include "services/contacts.h"
#include "services/duplicates.h"
#include "services/outbox.h"
#include "services/popular_services.h"
#include "services/self_service.h"
#include "services/staff_admin.h"
#include "web/routing_pages.h"
#include "web/signed_state.h"
#include "web/template_set.h"
#include "i18n/translator.h"
#include "web/view.h"
#include "web/web.h"

namespace onestop::web {

// Counts failed attempts per key (the caller's address) in a sliding window.
class RateLimiter {
 public:
  RateLimiter(int max_failures, absl::Duration window) : max_(max_failures), window_(window) {}
  bool Blocked(const std::string& key, absl::Time now);
  void RecordFailure(const std::string& key, absl::Time now);

 private:
  int max_;
  absl::Duration window_;
  std::mutex mu_;
  absl::flat_hash_map<std::string, std::deque<absl::Time>> failures_;  // guarded by mu_
};

// Who reads one page: the language chosen for the request and what the
// layout needs to offer the others. The language is, in order: ?lang= on any
// URL (remembered in the essential `lang` cookie), the cookie, and — on a
// first visit to a resident page — Accept-Language; else English. Staff pages
// ignore Accept-Language: the desktop stays English unless a staff member
// picks another language.
struct Reader {
  const i18n::Translator* tr = nullptr;
  bool remember = false;   // ?lang= named a language: set the cookie
  std::string path;        // the request's path and query without `lang`, for the switch links
};
Reader ReaderOf(const WebContext& ctx, const http::Request& request, bool staff_page);

class WebContext {
 public:
  WebContext(services::Deps deps, WebOptions options, Signer signer,
             std::unique_ptr<const TemplateSet> templates);

  services::Deps deps;
  WebOptions options;
  Signer signer;
  const i18n::Catalogs& catalogs;
  std::unique_ptr<const TemplateSet> templates;
  std::string theme_css;  // /theme.css: the theme's colours (CSP allows no inline styles)
  RateLimiter track_limiter;
  services::SessionCache session_cache;

  services::Login login;
  services::Authenticate authenticate;
  services::Logout logout;
  services::ListServices list_services;
  services::GetService get_service;
  services::RegisterResident register_resident;
  services::TrackCase track_case;
  services::OpenCase open_case;
  services::GetCase get_case;
  services::ListCases list_cases;
  services::UpdateCase update_case;
  services::AddNote add_note;
  services::ListNotes list_notes;
  services::ListCaseMessages list_case_messages;
  // Email out (SetMailOut): replies from the case page; null = not offered.
  services::ReplyToResident* reply_to_resident = nullptr;
  std::function<void()> outbox_wake;
  services::GetCaseHistory get_case_history;
  services::CheckDuplicates check_duplicates;
  services::MarkDuplicate mark_duplicate;
  services::FollowCase follow_case;
  services::GetCaseLinks get_case_links;
  services::PopularServices popular_services;
  services::CreateCitizen create_citizen;
  services::GetCitizen get_citizen;
  services::FindCitizens find_citizens;
  services::GetTimeline get_timeline;
  services::SetCitizenFlags set_citizen_flags;
  services::ListStaffNames list_staff_names;
  services::RecordContact record_contact;
  services::ListStaff list_staff;
  services::GetStaff get_staff;
  // Knowledge pages (knowledge_pages.cc); `search` answers Unavailable until
  // the app calls SetSearchIndex.
  services::GetArticle get_article;
  services::RecordArticleFeedback record_article_feedback;
  services::Search search;
  // Admin and knowledge-base pages of the staff desktop (admin_pages.cc).
  services::SaveService save_service;
  services::CreateStaff create_staff;
  services::UpdateStaff update_staff;
  services::CreateApiKey create_api_key;
  services::ListApiKeys list_api_keys;
  services::RevokeApiKey revoke_api_key;
  services::CreateArticle create_article;
  services::UpdateArticle update_article;
  services::ListArticles list_articles;
  services::ListArticleVersions list_article_versions;
  services::MarkContactAnswered mark_contact_answered;
  // Routing pages and channels (routing_pages.cc); null until SetRouting.
  std::unique_ptr<RoutingHub> routing_hub;
  // The telephone of this node (hold, hang-up, recording pause from the
  // bar); null without one. Set with SetCallPort.
  services::CallPort* calls = nullptr;
};

// Rendering helpers shared by the portal and the staff pages.
// Renders `template_name` in the layout, in the reader's language, with the
// council's theme; remembers a language picked with ?lang=.
http::Response Page(const WebContext& ctx, const Reader& reader, int status,
                    const std::string& template_name, const std::string& title, View view,
                    bool has_error = false, const View* frame = nullptr);
// The council's name in the language of `tr`.
std::string SiteName(const WebContext& ctx, const i18n::Translator& tr);
// The stylesheet of a theme's colours (served at /theme.css).
std::string ThemeCss(const domain::Theme& theme);
http::Response Redirect(const std::string& location);
std::string FormatDate(absl::Time t);       // English: "27 March 2026" (staff pages)
std::string FormatDateTime(absl::Time t);   // English: "27 March 2026 at 9:30am"
std::string SlaInWords(const domain::Service& service, const i18n::Translator& tr);
std::string StatusWords(domain::CaseStatus status, const i18n::Translator& tr);       // as residents read it
std::string StaffStatusWords(domain::CaseStatus status, const i18n::Translator& tr);  // as staff read it
std::string StatusTagClass(domain::CaseStatus status);
// The posted form body, or empty on a malformed body.
http::ParamList FormBody(const http::Request& request);

void RegisterPortalRoutes(http::Router& router, WebContext& ctx);
void RegisterThemeRoutes(http::Router& router, WebContext& ctx);
void RegisterStaffRoutes(http::Router& router, WebContext& ctx);
void RegisterKnowledgeRoutes(http::Router& router, WebContext& ctx);
void RegisterRoutingPages(http::Router& router, WebContext& ctx);
void RegisterAdminPages(http::Router& router, WebContext& ctx);

// Staff pages of other files (routing_pages.cc) share the desktop's session
// handling (staff.cc). SignedInStaff: the actor of a valid staff session
// cookie. AddStaffPage: GET `pattern` for signed-in staff (else a redirect to
// the login), `build`'s page rendered in the staff layout, its error status
// as the desktop's error page.
struct StaffPageResult {
  int status = 200;
  std::string template_name;
  std::string title;
  std::string current;  // nav href to mark current
  View view;
  bool has_error = false;
  std::string redirect;  // AddStaffRoute only: non-empty → 303 here instead of a page
};
std::optional<domain::Actor> SignedInStaff(WebContext& ctx, const http::Request& request);
void AddStaffPage(http::Router& router, WebContext& ctx, const char* pattern,
                  std::function<absl::StatusOr<StaffPageResult>(const domain::Actor&, http::Request&)> build);
// Like AddStaffPage for any method; a POST must carry the session's CSRF token
// (else the "form has expired" page), and a result with `redirect` set answers
// with that redirect.
void AddStaffRoute(http::Router& router, WebContext& ctx, const char* method, const char* pattern,
                   std::function<absl::StatusOr<StaffPageResult>(const domain::Actor&, http::Request&)> build);

}  // namespace onestop::web
