// Default bodies of the optional Store/WriteTxn methods (see store.h).
#include "domain/store.h"

namespace onestop::domain {
namespace {
absl::Status NoRouting() { return absl::UnimplementedError("this store does not keep routing configuration"); }
}  // namespace

absl::Status WriteTxn::PutRoutingQueue(const RoutingQueue&) { return NoRouting(); }
absl::Status WriteTxn::DeleteRoutingQueue(const std::string&) { return NoRouting(); }
absl::Status WriteTxn::PutRoutingProfile(const RoutingProfile&) { return NoRouting(); }
absl::Status WriteTxn::DeleteRoutingProfile(const std::string&) { return NoRouting(); }
absl::StatusOr<std::vector<RoutingQueue>> Store::ListRoutingQueues() { return NoRouting(); }
absl::StatusOr<std::vector<RoutingProfile>> Store::ListRoutingProfiles() { return NoRouting(); }

}  // namespace onestop::domain
