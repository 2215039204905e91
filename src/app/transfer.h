// Moving a whole council between stores: `onestop export` (from --database
// to --to) and `onestop import` (from --from into --database), SQLite ⇄
// PostgreSQL in either direction. Both stores are migrated to the latest
// schema first; the destination must hold no council yet. Every table is
// copied row by row in one destination transaction (all or nothing) with
// bound parameters, showing a progress bar on `progress`; then the number
// generators are moved on (case numbers, row ids, event seq) and every
// table's row count is compared with the source.
//
// Run it with the servers stopped (the source should not change meanwhile).
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "absl/status/statusor.h"

namespace onestop::app {

struct TransferReport {
  int tables = 0;
  int64_t rows = 0;  // copied, and verified equal in the destination
};

absl::StatusOr<TransferReport> TransferCouncil(const std::string& from_url,
                                               const std::string& to_url, std::ostream& progress);

}  // namespace onestop::app
