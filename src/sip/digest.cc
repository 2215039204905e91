#include "sip/digest.h"

#include <sodium.h>

#include <sofia-sip/auth_digest.h>
#include <sofia-sip/msg_types.h>
#include <sofia-sip/su_alloc.h>
#include <sofia-sip/su_string.h>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace onestop::sip {
namespace {

// auth_response_t with its strings owned by a sofia home.
struct Response {
  su_home_t* home = static_cast<su_home_t*>(su_home_new(sizeof(su_home_t)));
  auth_response_t ar{};
  bool ok = false;
  explicit Response(const msg_auth_t* au) {
    ar.ar_size = sizeof(ar);
    if (au == nullptr || au->au_scheme == nullptr || !su_casematch(au->au_scheme, "Digest")) return;
    ok = auth_digest_response_get(home, &ar, au->au_params) >= 0 && ar.ar_username != nullptr &&
         ar.ar_realm != nullptr && ar.ar_nonce != nullptr && ar.ar_response != nullptr && ar.ar_uri != nullptr;
  }
  ~Response() { su_home_unref(home); }
};

// The first Digest header for `realm` (a phone may send several).
const msg_auth_t* ForRealm(const msg_auth_t* au, const std::string& realm, Response** out,
                           std::unique_ptr<Response>& holder) {
  for (; au != nullptr; au = au->au_next) {
    holder = std::make_unique<Response>(au);
    if (holder->ok && realm == holder->ar.ar_realm) {
      *out = holder.get();
      return au;
    }
  }
  holder.reset();
  return nullptr;
}

}  // namespace

DigestAuth::DigestAuth(std::string realm, absl::Duration nonce_ttl) : realm_(std::move(realm)), ttl_(nonce_ttl) {
  randombytes_buf(secret_.data(), secret_.size());
}

std::string DigestAuth::Nonce(int64_t seconds) const {
  const std::string stamp = absl::StrCat(seconds);
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, secret_.data(), secret_.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(stamp.data()), stamp.size());
  crypto_auth_hmacsha256_final(&state, mac);
  return absl::StrCat(stamp, ".", absl::BytesToHexString(absl::string_view(reinterpret_cast<char*>(mac), 16)));
}

std::string DigestAuth::Challenge(absl::Time now, bool stale) const {
  return absl::StrCat("Digest realm=\"", realm_, "\", nonce=\"", Nonce(absl::ToUnixSeconds(now)),
                      "\", algorithm=MD5, qop=\"auth\"", stale ? ", stale=true" : "");
}

DigestAuth::Check DigestAuth::Read(const msg_auth_s* authorization, absl::Time now) const {
  Check check;
  if (authorization == nullptr) return check;
  Response* response = nullptr;
  std::unique_ptr<Response> holder;
  if (ForRealm(authorization, realm_, &response, holder) == nullptr) {
    check.result = Result::kWrongRealm;
    return check;
  }
  check.username = response->ar.ar_username;
  const std::string_view nonce = response->ar.ar_nonce;
  const size_t dot = nonce.find('.');
  int64_t seconds = 0;
  if (dot == std::string_view::npos || !absl::SimpleAtoi(absl::string_view(nonce.data(), dot), &seconds)) {
    check.result = Result::kBad;
    return check;
  }
  if (Nonce(seconds) != nonce) {
    // Not one of ours: another node's (the phone registered through it
    // before a failover) or this node's before a restart. A fresh challenge,
    // not a refusal: the phone retries with it (and a guess at a nonce gains
    // nothing, the response is never checked against it).
    check.result = Result::kStale;
    return check;
  }
  const absl::Time issued = absl::FromUnixSeconds(seconds);
  if (issued > now + absl::Seconds(5) || now - issued > ttl_) {
    check.result = Result::kStale;
    return check;
  }
  if (response->ar.ar_algorithm != nullptr && !response->ar.ar_md5) {
    check.result = Result::kBad;  // MD5-sess and others: we only offer MD5
    return check;
  }
  check.result = Result::kOk;
  return check;
}

bool DigestAuth::Verify(const msg_auth_s* authorization, std::string_view ha1, std::string_view method) const {
  Response* response = nullptr;
  std::unique_ptr<Response> holder;
  if (ForRealm(authorization, realm_, &response, holder) == nullptr || ha1.size() != 32) return false;
  auth_hexmd5_t stored{};
  std::copy(ha1.begin(), ha1.end(), stored);
  auth_hexmd5_t expected{};
  const std::string method_name(method);
  if (auth_digest_response(&response->ar, expected, stored, method_name.c_str(), nullptr, 0) < 0) return false;
  const std::string_view got = response->ar.ar_response;
  return got.size() == 32 && sodium_memcmp(got.data(), expected, 32) == 0;
}

}  // namespace onestop::sip
