// The Open311 GeoReport v2 adapter (/open311/v2/...) with mySociety's
// servicerequestupdates extension: parses a request, calls services use cases
// (the same rules as every other channel) and renders the result as XML or
// JSON by suffix (render.h). Status mapping: status_map.h. Errors are Open311
// error lists: 400 bad input, 403 missing/invalid api_key, 404 unknown
// resource or jurisdiction.
//
// Open311Context owns one instance of each use case it calls; the app builds
// it once and keeps it alive as long as the Router. Handlers run on any
// number of threads at once (use cases are thread-safe).
#pragma once

#include <string>

#include "domain/staff.h"
#include "http/router.h"
#include "services/api_keys.h"
#include "services/cases.h"
#include "services/duplicates.h"
#include "services/catalogue.h"
#include "services/citizens.h"
#include "services/deps.h"
#include "services/events.h"

namespace onestop::open311 {

struct Open311Options {
  // Empty: not configured — requests without jurisdiction_id are accepted and
  // any jurisdiction_id given is unknown (404). Set: that one (or none) is
  // accepted, any other → 404.
  std::string jurisdiction_id;
  std::string contact = "Customer services, via the council website";
  std::string key_service = "Ask the council for an API key (onestop create-api-key)";
  std::string changeset = "2026-01-01T00:00:00Z";  // of our discovery document
  int max_requests = 1000;                         // GET requests answers at most this many
  int max_days = 90;                               // widest start_date..end_date window
};

// How the services layer sees an Open311 client: no staff member (id 0, so
// its changes are told apart from staff changes in the event log), with an
// agent's rights to raise and read cases and register residents.
domain::Actor ClientActor();

struct Open311Context {
  Open311Context(services::Deps deps, Open311Options options);

  services::Deps deps;
  Open311Options options;
  services::ListServices list_services;
  services::GetService get_service;
  services::OpenCase open_case;
  services::GetCase get_case;
  services::ListCases list_cases;
  services::UpdateCase update_case;
  services::AddNote add_note;
  services::CreateCitizen create_citizen;
  services::FindCitizens find_citizens;
  services::ListEvents list_events;
  services::GetCaseHistory get_case_history;
  services::CheckApiKey check_api_key;
  services::CheckDuplicates check_duplicates;
  services::FollowCase follow_case;
};

// Registers every /open311/v2 route. `ctx` must outlive `router`.
void RegisterOpen311Routes(http::Router& router, Open311Context& ctx);

}  // namespace onestop::open311
