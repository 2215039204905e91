#include "services/housekeeping.h"

#include <filesystem>
#include <system_error>
#include <vector>

#include "common/status.h"
#include "domain/call_recording.h"

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
  if (!recordings_dir_.empty()) ONESTOP_RETURN_IF_ERROR(PurgeRecordings(now, report));
  return report;
}

absl::Status PurgeExpiredRecords::PurgeRecordings(absl::Time now, PurgeReport& report) const {
  const std::filesystem::path dir(recordings_dir_);
  while (true) {
    ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::CallRecording> expired,
                             deps_.store.ListExpiredCallRecordings(now, batch_));
    std::vector<int64_t> removed;
    for (const domain::CallRecording& recording : expired) {
      // A stored path is checked when saved; one that is not (an older
      // writer, a hand-edited row) is never joined to the directory.
      if (domain::ValidRecordingPath(recording.path)) {
        std::error_code ec;
        std::filesystem::remove(dir / recording.path, ec);  // false, no error: already gone
        if (ec) {
          ++report.recordings_failed;
          continue;
        }
      }
      removed.push_back(recording.id);
    }
    if (!removed.empty()) {
      ONESTOP_RETURN_IF_ERROR(deps_.store.Write([&](domain::WriteTxn& txn) -> absl::Status {
        for (int64_t id : removed) {
          absl::Status status = txn.DeleteCallRecording(id);
          // Another node may have deleted it first.
          if (!status.ok() && !absl::IsNotFound(status)) return status;
        }
        return absl::OkStatus();
      }));
      report.recordings += static_cast<int64_t>(removed.size());
    }
    // A short batch was the last; a batch of files that all failed would
    // come back the same, so stop rather than spin.
    if (static_cast<int>(expired.size()) < batch_ || removed.empty()) return absl::OkStatus();
  }
}

}  // namespace onestop::services
