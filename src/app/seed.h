// Loads a council file (the demo council by default) into a store through
// the ordinary use cases, as the system actor. Idempotent: running it again
// changes nothing that is already there.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "services/deps.h"

namespace onestop::app {

struct SeedReport {
  int departments = 0;
  int teams = 0;
  int services = 0;
  int staff_created = 0;
  int citizens_created = 0;
  int routing_queues_created = 0;
  int routing_profiles_created = 0;
  // "email / password (role)" of each staff login in the file, for the demo banner.
  std::vector<std::string> logins;
};

absl::StatusOr<SeedReport> SeedCouncil(services::Deps deps, std::string_view council_json);

}  // namespace onestop::app
