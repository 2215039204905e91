#include "services/events.h"

#include <algorithm>

#include "common/status.h"
#include "services/permissions.h"

namespace onestop::services {

absl::StatusOr<std::vector<domain::Event>> ListEvents::Run(const domain::Actor& actor,
                                                           domain::EventQuery query) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kReadEvents));
  query.limit = std::clamp(query.limit, 1, 1000);
  if (query.after_seq < 0) query.after_seq = 0;
  return deps_.store.ListEvents(query);
}

}  // namespace onestop::services
