#include "services/housekeeping.h"

#include "common/status.h"

namespace onestop::services {

absl::StatusOr<PurgeReport> PurgeExpiredRecords::Run() const {
  const absl::Time now = deps_.clock.Now();
  PurgeReport report;
  // A batch per write; stop when a batch comes back short.
  for (int64_t deleted = batch_; deleted == batch_;) {
    ONESTOP_RETURN_IF_ERROR(deps_.store.Write([&](domain::WriteTxn& txn) -> absl::Status {
      ONESTOP_ASSIGN_OR_RETURN(deleted, txn.DeleteExpiredSessions(now, batch_));
      return absl::OkStatus();
    }));
    report.sessions += deleted;
  }
  for (int64_t deleted = batch_; deleted == batch_;) {
    ONESTOP_RETURN_IF_ERROR(deps_.store.Write([&](domain::WriteTxn& txn) -> absl::Status {
      ONESTOP_ASSIGN_OR_RETURN(deleted, txn.DeleteIdempotencyBefore(now - kIdempotencyRetention, batch_));
      return absl::OkStatus();
    }));
    report.idempotency_keys += deleted;
  }
  return report;
}

}  // namespace onestop::services
