// PurgeExpiredRecords: deletes what nobody may use any more — sessions past
// their expiry, Idempotency-Key records older than the retention (24 h:
// a client retrying later than that is treated as sending a new request)
// and call recordings past their delete_after (the council's retention for
// the call's queue, domain/telephony.h). In batches, so a large backlog
// never holds the writer for long. Safe on every node at once (deletes of
// rows already gone change nothing).
//
// A recording goes file first, then row: a crash in between leaves a row
// whose file is missing, which the next run deletes (a missing file is not
// an error). A file that cannot be removed (permissions, I/O) keeps its row
// for the next run and is counted in recordings_failed. Recordings are
// only purged when a recordings directory is given: the files are relative
// to it (app::RecordingsDirFor).
//
// Threads: Run may be called from any thread.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/deps.h"

namespace onestop::services {

inline constexpr absl::Duration kIdempotencyRetention = absl::Hours(24);

struct PurgeReport {
  int64_t sessions = 0;
  int64_t idempotency_keys = 0;
  int64_t recordings = 0;         // files and rows deleted
  int64_t recordings_failed = 0;  // files that could not be removed (rows kept)
};

class PurgeExpiredRecords {
 public:
  // Sessions and idempotency keys only.
  explicit PurgeExpiredRecords(Deps deps, int batch = 1000) : deps_(deps), batch_(batch) {}
  // Also the call recordings whose files are under `recordings_dir`.
  PurgeExpiredRecords(Deps deps, std::string recordings_dir, int batch = 1000)
      : deps_(deps), batch_(batch), recordings_dir_(std::move(recordings_dir)) {}
  absl::StatusOr<PurgeReport> Run() const;

 private:
  absl::Status PurgeRecordings(absl::Time now, PurgeReport& report) const;

  Deps deps_;
  int batch_;
  std::string recordings_dir_;  // empty = recordings are not purged
};

}  // namespace onestop::services
