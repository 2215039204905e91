// Staff authentication: Argon2id password hashes (libsodium crypto_pwhash)
// and opaque random session tokens of which only the SHA-256 is stored.
#pragma once

#include <string>

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

// Bearer token → Actor. Unauthenticated for unknown, expired or revoked
// tokens and disabled staff.
class Authenticate {
 public:
  explicit Authenticate(Deps deps) : deps_(deps) {}
  absl::StatusOr<domain::Actor> Run(const std::string& token) const;

 private:
  Deps deps_;
};

// DELETE /session: revokes the token (idempotent).
class Logout {
 public:
  explicit Logout(Deps deps) : deps_(deps) {}
  absl::Status Run(const std::string& token) const;

 private:
  Deps deps_;
};

}  // namespace onestop::services
