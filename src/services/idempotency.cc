#include "services/idempotency.h"

#include "absl/strings/numbers.h"
#include "common/status.h"

namespace onestop::services {

absl::StatusOr<std::optional<int64_t>> FindReplay(domain::WriteTxn& txn,
                                                  const IdempotencyKey& key) {
  if (key.empty()) return std::optional<int64_t>();
  ONESTOP_ASSIGN_OR_RETURN(auto record, txn.GetIdempotency(key.key));
  if (!record) return std::optional<int64_t>();
  if (record->request_hash != key.request_hash) {
    return InvalidFields("Idempotency-Key reused for a different request",
                         {{"Idempotency-Key", "reused", "idempotency_key_reused", {}}});
  }
  int64_t id = 0;
  if (!absl::SimpleAtoi(record->body, &id)) {
    return absl::InternalError("corrupt idempotency record");
  }
  return std::optional<int64_t>(id);
}

absl::Status RememberResult(domain::WriteTxn& txn, const IdempotencyKey& key, int64_t id,
                            absl::Time now) {
  if (key.empty()) return absl::OkStatus();
  domain::IdempotencyRecord record;
  record.key = key.key;
  record.request_hash = key.request_hash;
  record.status = 201;
  record.body = std::to_string(id);
  record.created_at = now;
  return txn.PutIdempotency(record);
}

}  // namespace onestop::services
