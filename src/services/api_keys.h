// API keys for client applications (Open311 clients such as FixMyStreet):
// an admin creates one per application and may revoke it; adapters check the
// key a client sends. Only the SHA-256 of a key is stored (services/auth.h
// NewToken/HashToken); the key itself is returned once, by CreateApiKey.
// Thread-safe like every use case.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/api_key.h"
#include "domain/staff.h"
#include "services/deps.h"

namespace onestop::services {

struct CreatedApiKey {
  domain::ApiKey record;
  std::string key;  // show once; never stored or logged
};

// Admin only. `name` names the client application (1..100 characters, no
// control characters). Records an "api_key.created" event.
class CreateApiKey {
 public:
  explicit CreateApiKey(Deps deps) : deps_(deps) {}
  absl::StatusOr<CreatedApiKey> Run(const domain::Actor& actor, const std::string& name) const;

 private:
  Deps deps_;
};

// Admin only. NotFound for an unknown id; revoking a revoked key is a no-op.
class RevokeApiKey {
 public:
  explicit RevokeApiKey(Deps deps) : deps_(deps) {}
  absl::StatusOr<domain::ApiKey> Run(const domain::Actor& actor, int64_t id) const;

 private:
  Deps deps_;
};

// Admin only. Every key, newest first (hashes included: callers decide what to show).
class ListApiKeys {
 public:
  explicit ListApiKeys(Deps deps) : deps_(deps) {}
  absl::StatusOr<std::vector<domain::ApiKey>> Run(const domain::Actor& actor) const;

 private:
  Deps deps_;
};

// A key as sent by a client → its live record. PermissionDenied (one message
// for all) when the key is absent, unknown or revoked.
class CheckApiKey {
 public:
  explicit CheckApiKey(Deps deps) : deps_(deps) {}
  absl::StatusOr<domain::ApiKey> Run(const std::string& key) const;

 private:
  Deps deps_;
};

}  // namespace onestop::services
