#include "services/auth.h"

#include <sodium.h>

#include <atomic>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "common/status.h"

namespace onestop::services {
namespace {

std::atomic<unsigned long long> g_opslimit{crypto_pwhash_OPSLIMIT_INTERACTIVE};
std::atomic<size_t> g_memlimit{crypto_pwhash_MEMLIMIT_INTERACTIVE};

bool SodiumReady() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

// A hash of a random password, verified against when the email is unknown so
// that unknown accounts take as long as wrong passwords.
const std::string& DummyHash() {
  static const std::string* hash = [] {
    auto h = PasswordHasher::Hash(NewToken());
    return new std::string(h.ok() ? *h : "");
  }();
  return *hash;
}

}  // namespace

absl::StatusOr<std::string> PasswordHasher::Hash(const std::string& password) {
  if (!SodiumReady()) return absl::InternalError("libsodium failed to initialise");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), g_opslimit.load(),
                            g_memlimit.load(), crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return absl::ResourceExhaustedError("out of memory hashing a password");
  }
  return std::string(out);
}

bool PasswordHasher::Verify(const std::string& encoded_hash, const std::string& password) {
  if (!SodiumReady() || encoded_hash.empty()) return false;
  return crypto_pwhash_str_verify(encoded_hash.c_str(), password.data(), password.size()) == 0;
}

absl::Status PasswordHasher::CheckStrength(const std::string& password) {
  if (password.size() < 10) {
    return InvalidFields("password too short",
                         {{"password", "too_short", "password_min_length", {{"min", "10"}}}});
  }
  if (password.size() > 1024) {
    return InvalidFields("password too long",
                         {{"password", "too_long", "password_max_length", {{"max", "1024"}}}});
  }
  return absl::OkStatus();
}

void PasswordHasher::UseFastParametersForTest() {
  g_opslimit = crypto_pwhash_OPSLIMIT_MIN;
  g_memlimit = crypto_pwhash_MEMLIMIT_MIN;
}

std::string NewToken() {
  SodiumReady();
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  std::string out;
  absl::WebSafeBase64Escape(
      absl::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes), &out);
  return out;
}

std::string HashToken(const std::string& token) {
  SodiumReady();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

absl::StatusOr<LoginResult> Login::Run(const std::string& email, const std::string& password) const {
  const absl::Status denied = absl::UnauthenticatedError("email or password not recognised");
  if (email.empty() || password.empty() || password.size() > 1024) return denied;
  std::string normalised = absl::AsciiStrToLower(email);
  auto staff = deps_.store.GetStaffByEmail(normalised);
  if (!staff.ok()) {
    if (!absl::IsNotFound(staff.status())) return staff.status();
    PasswordHasher::Verify(DummyHash(), password);  // same cost as a real check
    return denied;
  }
  if (!PasswordHasher::Verify(staff->password_hash, password) || !staff->active) return denied;

  LoginResult result;
  result.token = NewToken();
  const absl::Time now = deps_.clock.Now();
  result.expires_at = now + ttl_;
  domain::Session session{HashToken(result.token), staff->id, now, result.expires_at};
  ONESTOP_RETURN_IF_ERROR(deps_.store.Write(
      [&](domain::WriteTxn& txn) { return txn.InsertSession(session); }));
  result.staff = *std::move(staff);
  result.staff.password_hash.clear();
  return result;
}

std::optional<AuthenticatedSession> SessionCache::Find(const std::string& token_hash,
                                                      absl::Time now) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(token_hash);
  if (it == entries_.end()) return std::nullopt;
  if (now - it->second.cached_at >= max_age_ || now >= it->second.session.expires_at) {
    entries_.erase(it);
    return std::nullopt;
  }
  return it->second.session;
}

void SessionCache::Put(const std::string& token_hash, const AuthenticatedSession& session,
                       absl::Time now) {
  std::lock_guard<std::mutex> lock(mu_);
  if (entries_.size() >= kMaxEntries) entries_.clear();  // crude, bounded, rare
  entries_[token_hash] = Entry{session, now};
}

void SessionCache::Evict(const std::string& token_hash) {
  std::lock_guard<std::mutex> lock(mu_);
  entries_.erase(token_hash);
}

void SessionCache::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  entries_.clear();
}

absl::StatusOr<domain::Actor> Authenticate::Run(const std::string& token) const {
  ONESTOP_ASSIGN_OR_RETURN(AuthenticatedSession session, RunWithSession(token));
  return session.actor;
}

absl::StatusOr<AuthenticatedSession> Authenticate::RunWithSession(const std::string& token) const {
  const absl::Status denied = absl::UnauthenticatedError("session token missing, expired or revoked");
  if (token.empty() || token.size() > 256) return denied;
  const std::string token_hash = HashToken(token);
  const absl::Time now = deps_.clock.Now();
  if (cache_ != nullptr) {
    if (auto hit = cache_->Find(token_hash, now)) return *hit;
  }
  auto session = deps_.store.GetSession(token_hash);
  if (!session.ok()) {
    if (absl::IsNotFound(session.status())) return denied;
    return session.status();
  }
  if (session->expires_at <= now) return denied;
  auto staff = deps_.store.GetStaff(session->staff_id);
  if (!staff.ok()) {
    if (absl::IsNotFound(staff.status())) return denied;
    return staff.status();
  }
  if (!staff->active) return denied;
  AuthenticatedSession result{domain::Actor{staff->id, staff->role, staff->department, true},
                              session->expires_at};
  if (cache_ != nullptr) cache_->Put(token_hash, result, now);
  return result;
}

absl::Status Logout::Run(const std::string& token) const {
  if (token.empty()) return absl::OkStatus();
  const std::string hash = HashToken(token);
  if (cache_ != nullptr) cache_->Evict(hash);
  return deps_.store.Write([&](domain::WriteTxn& txn) { return txn.DeleteSession(hash); });
}

}  // namespace onestop::services
