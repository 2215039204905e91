// Loads a council file (the demo council by default) into a store through
// the ordinary use cases, as the system actor. Idempotent: running it again
// changes nothing that is already there. The file's theme (checked by
// domain::ValidateTheme before anything is written) replaces the stored one
// (app/theme.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "codec/theme.h"
#include "services/deps.h"

namespace onestop::app {

struct SeedReport {
  int departments = 0;
  int teams = 0;
  int services = 0;
  int staff_created = 0;
  int sip_accounts_created = 0;  // staff phone extensions ("sip" of a staff entry)
  int citizens_created = 0;
  int routing_queues_created = 0;
  int routing_profiles_created = 0;
  bool theme_stored = false;
  int dispositions = 0;  // wrap-up codes stored (all of the file's, replacing what was there)
  int mailboxes = 0;               // the file's "mailboxes", replacing what was there
  bool telephony_stored = false;  // the file's "telephony", replacing what was there
  // "email / password (role)" of each staff login in the file, for the demo banner.
  std::vector<std::string> logins;
};

// `files` reads what the council file names by relative path (its logo):
// DemoCouncilFiles() for data::kDemoCouncil, FilesNextTo(path) for a file.
// `sip_realm`: the digest realm the staff SIP accounts' HA1 is made for
// (the registrar's realm; ApiContext::sip_realm).
absl::StatusOr<SeedReport> SeedCouncil(services::Deps deps, std::string_view council_json,
                                       const codec::FileReader& files = {},
                                       std::string_view sip_realm = "onestop");

// The files the compiled-in demo council names ("theme/fairhaven-logo.svg").
codec::FileReader DemoCouncilFiles();
// Files relative to the directory of the council file at `council_path`.
codec::FileReader FilesNextTo(const std::string& council_path);

}  // namespace onestop::app
