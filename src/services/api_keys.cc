#include "services/api_keys.h"

#include "absl/strings/ascii.h"
#include "common/status.h"
#include "services/auth.h"
#include "services/events_util.h"
#include "services/permissions.h"

namespace onestop::services {
namespace {

// Managing client keys is an admin task, like managing staff logins.
constexpr Permission kManageApiKeys = Permission::kEditStaff;

absl::Status ValidateKeyName(const std::string& name) {
  bool ok = !absl::StripAsciiWhitespace(name).empty() && name.size() <= 100;
  for (unsigned char ch : name) ok = ok && ch >= 0x20 && ch != 0x7f;
  if (!ok) {
    return InvalidFields("The key name is not valid",
                         {{"name", "invalid", "api_key_name", {{"min", "1"}, {"max", "100"}}}});
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<CreatedApiKey> CreateApiKey::Run(const domain::Actor& actor,
                                                const std::string& name) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, kManageApiKeys));
  ONESTOP_RETURN_IF_ERROR(ValidateKeyName(name));
  CreatedApiKey out;
  out.key = NewToken();
  out.record.name = std::string(absl::StripAsciiWhitespace(name));
  out.record.key_hash = HashToken(out.key);
  out.record.key_prefix = out.key.substr(0, 8);
  out.record.created_by = actor.staff_id;
  out.record.created_at = deps_.clock.Now();
  ONESTOP_RETURN_IF_ERROR(deps_.store.Write([&](domain::WriteTxn& txn) -> absl::Status {
    ONESTOP_ASSIGN_OR_RETURN(out.record.id, txn.InsertApiKey(out.record));
    domain::Event e =
        MakeEvent(actor, out.record.created_at, "api_key", out.record.id, "api_key.created");
    e.entity_key = out.record.key_prefix;
    AddChange(e.changes, "name", "", out.record.name);
    return txn.AppendEvent(e).status();
  }));
  return out;
}

absl::StatusOr<domain::ApiKey> RevokeApiKey::Run(const domain::Actor& actor, int64_t id) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, kManageApiKeys));
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::ApiKey> keys, deps_.store.ListApiKeys());
  const domain::ApiKey* found = nullptr;
  for (const auto& key : keys) {
    if (key.id == id) found = &key;
  }
  if (found == nullptr) return absl::NotFoundError("API key " + std::to_string(id) + " not found");
  domain::ApiKey key = *found;
  if (key.revoked_at) return key;
  const absl::Time now = deps_.clock.Now();
  ONESTOP_RETURN_IF_ERROR(deps_.store.Write([&](domain::WriteTxn& txn) -> absl::Status {
    ONESTOP_RETURN_IF_ERROR(txn.RevokeApiKey(id, now));
    domain::Event e = MakeEvent(actor, now, "api_key", id, "api_key.revoked");
    e.entity_key = key.key_prefix;
    AddChange(e.changes, "revoked_at", "", OptionalTimeText(now));
    return txn.AppendEvent(e).status();
  }));
  key.revoked_at = now;
  return key;
}

absl::StatusOr<std::vector<domain::ApiKey>> ListApiKeys::Run(const domain::Actor& actor) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, kManageApiKeys));
  return deps_.store.ListApiKeys();
}

absl::StatusOr<domain::ApiKey> CheckApiKey::Run(const std::string& key) const {
  const absl::Status denied =
      absl::PermissionDeniedError("a valid api_key is required for this request");
  if (key.empty() || key.size() > 200) return denied;
  auto found = deps_.store.GetApiKeyByHash(HashToken(key));
  if (absl::IsNotFound(found.status())) return denied;
  if (!found.ok()) return found.status();
  if (found->revoked_at) return denied;
  return found;
}

}  // namespace onestop::services
