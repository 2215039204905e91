#include "api/api.h"

#include <boost/json.hpp>

#include "api/support.h"

namespace onestop::api {

ApiContext::ApiContext(services::Deps d, absl::Duration session_ttl)
    : deps(d),
      login(d, session_ttl),
      authenticate(d, &session_cache),
      logout(d, &session_cache),
      list_services(d),
      get_service(d),
      save_service(d),
      save_department(d),
      save_team(d),
      create_citizen(d),
      get_citizen(d),
      update_citizen(d),
      find_citizens(d),
      merge_citizens(d),
      unmerge_citizens(d),
      get_merge(d),
      get_timeline(d),
      open_case(d),
      get_case(d),
      list_cases(d),
      update_case(d),
      add_note(d),
      list_notes(d),
      add_attachment(d),
      list_attachments(d),
      get_case_history(d),
      check_duplicates(d),
      mark_duplicate(d),
      follow_case(d),
      get_case_links(d),
      record_contact(d),
      list_contacts(d),
      get_contact(d),
      list_events(d),
      create_staff(d),
      update_staff(d),
      list_staff(d),
      get_staff(d),
      create_api_key(d),
      revoke_api_key(d),
      list_api_keys(d),
      create_article(d),
      update_article(d),
      get_article(d),
      list_articles(d),
      list_article_versions(d),
      record_article_feedback(d),
      mark_contact_answered(d),
      search(d, nullptr),
      list_case_messages(d) {}

void RegisterApiRoutes(http::Router& router, ApiContext& ctx) {
  RegisterSessionRoutes(router, ctx);
  RegisterCatalogueRoutes(router, ctx);
  RegisterCitizenRoutes(router, ctx);
  RegisterCaseRoutes(router, ctx);
  RegisterDuplicateRoutes(router, ctx);
  RegisterContactAndEventRoutes(router, ctx);
  RegisterStaffRoutes(router, ctx);
  RegisterApiKeyRoutes(router, ctx);
  RegisterArticleRoutes(router, ctx);
  RegisterRoutingRoutes(router, ctx);
  RegisterSipAccountRoutes(router, ctx);
  RegisterRecordingRoutes(router, ctx);
  RegisterMessageRoutes(router, ctx);
}

void RegisterSystemRoutes(http::Router& router, http::Metrics& metrics, domain::Store& store) {
  // Liveness: answered on the I/O thread, touches nothing.
  router.Add(
      "GET", "/healthz",
      [](http::Request&) { return http::Response::Json(200, R"({"status":"ok"})"); },
      http::RouteOptions{.blocking = false});
  // Readiness: a round trip to the store (may block, so on the worker pool).
  AddRoute(router, "GET", "/readyz", [&store](http::Request&) -> absl::StatusOr<http::Response> {
    absl::Status ping = store.Ping();
    if (!ping.ok()) {
      return absl::UnavailableError(std::string("store not ready: ") + std::string(ping.message()));
    }
    return http::Response::Json(200, R"({"status":"ready"})");
  });
  // Gauge callbacks registered by the app may read the store: worker pool.
  router.Add("GET", "/metrics", [&metrics](http::Request&) {
    http::Response response;
    response.status = 200;
    response.content_type = std::string(http::Metrics::kContentType);
    response.body = metrics.Render();
    response.SetHeader("Cache-Control", "no-store");
    return response;
  });
}

}  // namespace onestop::api
