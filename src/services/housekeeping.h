// PurgeExpiredRecords: deletes what nobody may use any more — sessions past
// their expiry and Idempotency-Key records older than the retention (24 h:
// a client retrying later than that is treated as sending a new request).
// In batches, so a large backlog never holds the writer for long. Safe on
// every node at once (deletes of rows already gone change nothing).
//
// Threads: Run may be called from any thread.
#pragma once

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/deps.h"

namespace onestop::services {

inline constexpr absl::Duration kIdempotencyRetention = absl::Hours(24);

struct PurgeReport {
  int64_t sessions = 0;
  int64_t idempotency_keys = 0;
};

class PurgeExpiredRecords {
 public:
  explicit PurgeExpiredRecords(Deps deps, int batch = 1000) : deps_(deps), batch_(batch) {}
  absl::StatusOr<PurgeReport> Run() const;

 private:
  Deps deps_;
  int batch_;
};

}  // namespace onestop::services
