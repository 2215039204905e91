// The web front doors, server-rendered in the GOV.UK Design System look:
//   - the resident portal (no login): /, /services, /services/{code}, the
//     report journey under /services/{code}/report, /track;
//   - the staff desktop under /staff (login at /staff/login): contact screen,
//     resident single view, raising cases, case page, work queues, the
//     knowledge base (/staff/articles) and, for admins, /staff/admin
//     (catalogue editor, staff users, API keys).
// Like the JSON API these are thin adapters: every page calls the same
// services use cases with the signed-in actor, so role and department checks
// are the services' own.
//
// State without JavaScript: a report's answers travel between steps in one
// hidden field signed with an HMAC (Signer), so the server keeps no drafts.
// Staff sessions are the core's session tokens in an HttpOnly, SameSite=Lax
// cookie whose value also carries the time of the last request (signed) for
// the idle timeout; the CSRF token of a session is an HMAC of its token hash.
//
// WebContext owns the use cases and the signer; it must outlive the Router
// the routes are registered on. Thread-safe (use cases and Signer are; the
// tracking rate limiter has its own mutex).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "domain/search_index.h"
#include "domain/theme.h"
#include "http/router.h"
#include "mail/smtp_transport.h"
#include "services/deps.h"
#include "services/outbox.h"
#include "services/call_control.h"
#include "services/routing.h"

namespace onestop::web {

struct WebOptions {
  std::string assets_dir;                 // GOV.UK Frontend + our CSS/JS; "" = none served
  std::string secret_hex;                 // 64 hex digits; "" = a random key per process
  domain::Theme theme = domain::DefaultTheme();  // the council's name, mark, colours, footer (validated)
  std::string theme_dir;                  // "" or a folder of templates replacing ours by relative path
  absl::Duration session_ttl = absl::Hours(12);
  absl::Duration idle_timeout = absl::Minutes(30);
  bool secure_cookies = false;            // add Secure (set when served over TLS)
  int track_failures_per_window = 10;     // wrong tracking attempts per address ...
  absl::Duration track_window = absl::Minutes(15);  // ... per this long
  std::string sip_realm = "onestop";      // digest realm of staff phone extensions (admin staff page)
};

class WebContext;
struct WebContextDeleter {
  void operator()(WebContext* ctx) const;
};
using WebContextPtr = std::unique_ptr<WebContext, WebContextDeleter>;

// Builds the context (loads and compiles the templates); InvalidArgument for a
// malformed secret or a theme dir template that is unknown or does not parse
// (the message names the file and line).
absl::StatusOr<WebContextPtr> MakeWebContext(services::Deps deps, WebOptions options);

// Registers every page route (and /assets when assets_dir is set).
void RegisterWebRoutes(http::Router& router, WebContext& ctx);

// Points the portal's /search at this node's index (call before serving;
// until then /search says search is unavailable).
void SetSearchIndex(WebContext& ctx, domain::SearchIndex* index);

// Gives the wallboard and the desktop's routing channel their engine (call
// before serving; until then they say routing is not running). Both must
// outlive the context.
void SetRouting(WebContext& ctx, services::RoutingDesk* desk, routing::LiveEngine* engine);
// The telephone whose calls the interaction bar controls (null: none).
void SetCallPort(WebContext& ctx, services::CallPort* calls);

// The words of the mail the outbox sends (src/mail/smtp_transport.h), from
// the templates web/templates/mail_<template code>.mustache in the message's
// language, with the council's name; the subject carries "[Ref XXXX-XXXX]".
// The context must outlive the renderer.
mail::MailRenderer MailRendererFor(const WebContext& ctx);
// Replies by email from the staff case page (unset: the form is not shown),
// and the outbox sender's wake-up. Call before serving.
void SetMailOut(WebContext& ctx, services::ReplyToResident* reply, std::function<void()> wake);
// What the telephone calls when an agent's call changes outside the routing
// engine: pushes that agent's desk again (sip::SipServerOptions::call_changed).
// The context must outlive it.
std::function<void(int64_t agent_id)> DeskRefresher(WebContext& ctx);

// Where the build puts the static assets: $ONESTOP_WEB_ASSETS if set, else
// "web-assets" next to the running binary.
std::string DefaultAssetsDir();

}  // namespace onestop::web
