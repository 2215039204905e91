// Shared steps for creating use cases that honour an Idempotency-Key.
#pragma once

#include <optional>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/store.h"
#include "services/citizens.h"

namespace onestop::services {

// Inside a write: if `key` was used before, returns the id created then
// (InvalidArgument if it was used for a different request); nullopt if new.
absl::StatusOr<std::optional<int64_t>> FindReplay(domain::WriteTxn& txn, const IdempotencyKey& key);

// Inside the same write, after creating `id`: remembers it under `key`.
absl::Status RememberResult(domain::WriteTxn& txn, const IdempotencyKey& key, int64_t id,
                            absl::Time now);

}  // namespace onestop::services
