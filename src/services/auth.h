// Staff authentication: Argon2id password hashes (libsodium crypto_pwhash)
// and opaque random session tokens of which only the SHA-256 is stored.
#pragma once

#include <mutex>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/staff.h"
#include "services/deps.h"

namespace onestop::services {

// Argon2id via libsodium. Thread-safe. The cost defaults to libsodium's
// "interactive" limits; tests may lower it (ForTest) to keep suites fast.
class PasswordHasher {
 public:
  static absl::StatusOr<std::string> Hash(const std::string& password);
  static bool Verify(const std::string& encoded_hash, const std::string& password);
  // Minimum length and maximum length checks for new passwords.
  static absl::Status CheckStrength(const std::string& password);
  static void UseFastParametersForTest();
};

// 32 random bytes, base64url without padding (43 chars).
std::string NewToken();
// Lower-case hex SHA-256 of `token`.
std::string HashToken(const std::string& token);

struct LoginResult {
  std::string token;  // give to the client once; never stored or logged
  absl::Time expires_at;
  domain::StaffUser staff;
};

// POST /session: email + password → a new session token.
class Login {
 public:
  explicit Login(Deps deps, absl::Duration session_ttl = absl::Hours(12))
      : deps_(deps), ttl_(session_ttl) {}
  // Unauthenticated with one message for unknown email, wrong password and
  // disabled account alike.
  absl::StatusOr<LoginResult> Run(const std::string& email, const std::string& password) const;

 private:
  Deps deps_;
  absl::Duration ttl_;
};

struct AuthenticatedSession {
  domain::Actor actor;
  absl::Time expires_at;
};

// Recently checked sessions, so a request does not cost two store reads.
// An entry is trusted for `max_age` (expiry is still checked against the
// clock on every hit); a logout through this process evicts at once, so the
// staleness is bounded by max_age only for changes made by other nodes or to
// the staff record (disabling an account). Thread-safe.
class SessionCache {
 public:
  explicit SessionCache(absl::Duration max_age = absl::Seconds(2)) : max_age_(max_age) {}
  std::optional<AuthenticatedSession> Find(const std::string& token_hash, absl::Time now);
  void Put(const std::string& token_hash, const AuthenticatedSession& session, absl::Time now);
  void Evict(const std::string& token_hash);
  void Clear();

 private:
  struct Entry {
    AuthenticatedSession session;
    absl::Time cached_at;
  };
  static constexpr size_t kMaxEntries = 10000;
  absl::Duration max_age_;
  std::mutex mu_;
  absl::flat_hash_map<std::string, Entry> entries_;  // guarded by mu_
};

// Bearer token → Actor. Unauthenticated for unknown, expired or revoked
// tokens and disabled staff.
class Authenticate {
 public:
  explicit Authenticate(Deps deps, SessionCache* cache = nullptr) : deps_(deps), cache_(cache) {}
  absl::StatusOr<domain::Actor> Run(const std::string& token) const;
  absl::StatusOr<AuthenticatedSession> RunWithSession(const std::string& token) const;

 private:
  Deps deps_;
  SessionCache* cache_;
};

// DELETE /session: revokes the token (idempotent).
class Logout {
 public:
  explicit Logout(Deps deps, SessionCache* cache = nullptr) : deps_(deps), cache_(cache) {}
  absl::Status Run(const std::string& token) const;

 private:
  Deps deps_;
  SessionCache* cache_;
};

}  // namespace onestop::services
