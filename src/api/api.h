// The JSON API adapter (/api/v1/...): parses a request, calls one services
// use case and maps the result (or its Status, through the one table in
// support.h) to JSON. No business rules live here.
//
// ApiContext owns one instance of every use case; the app constructs it once
// with the Deps it wires and keeps it alive for as long as the Router that
// handlers were registered on. Use cases are thread-safe, so handlers may run
// on any number of threads at once.
#pragma once

#include <functional>

#include "absl/time/time.h"
#include "domain/store.h"
#include "http/metrics.h"
#include "http/router.h"
#include "services/outbox.h"
#include "services/api_keys.h"
#include "services/articles.h"
#include "services/auth.h"
#include "services/cases.h"
#include "services/catalogue.h"
#include "services/citizens.h"
#include "services/contacts.h"
#include "services/duplicates.h"
#include "services/deps.h"
#include "services/events.h"
#include "services/call_control.h"
#include "services/routing.h"
#include "services/staff_admin.h"

namespace onestop::api {

struct ApiContext {
  explicit ApiContext(services::Deps deps, absl::Duration session_ttl = absl::Hours(12));

  services::Deps deps;
  services::SessionCache session_cache;

  // Sessions.
  services::Login login;
  services::Authenticate authenticate;
  services::Logout logout;
  // Catalogue.
  services::ListServices list_services;
  services::GetService get_service;
  services::SaveService save_service;
  services::SaveDepartment save_department;
  services::SaveTeam save_team;
  // Citizens.
  services::CreateCitizen create_citizen;
  services::GetCitizen get_citizen;
  services::UpdateCitizen update_citizen;
  services::FindCitizens find_citizens;
  services::MergeCitizens merge_citizens;
  services::UnmergeCitizens unmerge_citizens;
  services::GetMerge get_merge;
  services::GetTimeline get_timeline;
  // Cases.
  services::OpenCase open_case;
  services::GetCase get_case;
  services::ListCases list_cases;
  services::UpdateCase update_case;
  services::AddNote add_note;
  services::ListNotes list_notes;
  services::AddAttachment add_attachment;
  services::ListAttachments list_attachments;
  services::GetCaseHistory get_case_history;
  // Duplicates (services/duplicates.h).
  services::CheckDuplicates check_duplicates;
  services::MarkDuplicate mark_duplicate;
  services::FollowCase follow_case;
  services::GetCaseLinks get_case_links;
  // Contacts and events.
  services::RecordContact record_contact;
  services::ListContacts list_contacts;
  services::GetContact get_contact;
  services::ListEvents list_events;
  // Staff.
  services::CreateStaff create_staff;
  services::UpdateStaff update_staff;
  services::ListStaff list_staff;
  services::GetStaff get_staff;
  // API keys for client applications (Open311).
  services::CreateApiKey create_api_key;
  services::RevokeApiKey revoke_api_key;
  services::ListApiKeys list_api_keys;
  // Knowledge base and search. `search` answers 503 until the app sets
  // search_index (before serving); search_wake, when set, nudges the search
  // indexer after this process writes an article.
  services::CreateArticle create_article;
  services::UpdateArticle update_article;
  services::GetArticle get_article;
  services::ListArticles list_articles;
  services::ListArticleVersions list_article_versions;
  services::RecordArticleFeedback record_article_feedback;
  services::MarkContactAnswered mark_contact_answered;
  services::Search search;
  std::function<void()> search_wake;
  // Points `search` at the node's index (call before serving).
  void SetSearchIndex(domain::SearchIndex* index) { search.SetIndex(index); }
  // Routing: set by the app when it runs the routing engine (both outlive
  // the router); while unset the routing routes answer 503.
  services::RoutingDesk* routing = nullptr;
  routing::LiveEngine* routing_engine = nullptr;
  // The telephone of this node (sip::SipServer) for hold, hang-up and the
  // recording pause of calls; unset: those routes answer 503.
  services::CallPort* calls = nullptr;
  std::string node_name;  // this node, as GET /api/v1/routing/leader names it
  // The digest realm staff SIP accounts are set for (PUT /api/v1/staff/{id}/sip);
  // set by the app from its config before serving.
  std::string sip_realm = "onestop";
  // Where call recordings are read from (GET /api/v1/contacts/{id}/recording;
  // app::RecordingsDirFor); set by the app before serving. Empty: every
  // recording answers 404.
  std::string recordings_dir;
  // Email out (services/outbox.h): replies to a case's resident; set by the
  // app when it sends mail (unset: POST …/messages answers 503), and the
  // outbox sender's wake-up so a reply goes at once.
  services::ListCaseMessages list_case_messages;
  services::ReplyToResident* reply_to_resident = nullptr;
  std::function<void()> outbox_wake;
};

// Registers every /api/v1 route. `ctx` must outlive `router`.
void RegisterApiRoutes(http::Router& router, ApiContext& ctx);

// GET /healthz (inline, cheap), GET /readyz (store Ping → 200/503) and
// GET /metrics (Prometheus text). `metrics` and `store` must outlive `router`.
void RegisterSystemRoutes(http::Router& router, http::Metrics& metrics, domain::Store& store);

// The per-resource registration functions RegisterApiRoutes calls.
void RegisterSessionRoutes(http::Router& router, ApiContext& ctx);
void RegisterCatalogueRoutes(http::Router& router, ApiContext& ctx);
void RegisterCitizenRoutes(http::Router& router, ApiContext& ctx);
void RegisterCaseRoutes(http::Router& router, ApiContext& ctx);
void RegisterDuplicateRoutes(http::Router& router, ApiContext& ctx);
void RegisterContactAndEventRoutes(http::Router& router, ApiContext& ctx);
void RegisterStaffRoutes(http::Router& router, ApiContext& ctx);
void RegisterApiKeyRoutes(http::Router& router, ApiContext& ctx);
void RegisterArticleRoutes(http::Router& router, ApiContext& ctx);
void RegisterRoutingRoutes(http::Router& router, ApiContext& ctx);
void RegisterSipAccountRoutes(http::Router& router, ApiContext& ctx);
void RegisterRecordingRoutes(http::Router& router, ApiContext& ctx);
void RegisterMessageRoutes(http::Router& router, ApiContext& ctx);

}  // namespace onestop::api
