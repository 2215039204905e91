// The event feed: every change, in commit order, for audit and for channels
// that follow it (GET /api/v1/events?after=).
#pragma once

#include <vector>

#include "absl/status/statusor.h"
#include "domain/event.h"
#include "domain/staff.h"
#include "services/deps.h"

namespace onestop::services {

class ListEvents {
 public:
  explicit ListEvents(Deps deps) : deps_(deps) {}
  absl::StatusOr<std::vector<domain::Event>> Run(const domain::Actor& actor,
                                                 domain::EventQuery query) const;

 private:
  Deps deps_;
};

}  // namespace onestop::services
