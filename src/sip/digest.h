// SIP digest authentication (RFC 3261 §22, RFC 2617 with qop=auth) for
// phones registering and trunks that authenticate. Nonces are stateless:
// "<unix seconds>.<HMAC-SHA256(secret, seconds)>", valid for `nonce_ttl`,
// so any number of challenges costs no memory; an expired one, or one this
// object did not make (another node's, or from before a restart), is
// answered with a fresh challenge marked stale=true (the phone retries
// without asking its user). The credential is the stored HA1 (domain/sip_account.h).
//
// Threads: any (the secret is immutable after construction).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <memory>
#include <string_view>

#include "absl/time/time.h"

struct msg_auth_s;

namespace onestop::sip {

class DigestAuth {
 public:
  DigestAuth(std::string realm, absl::Duration nonce_ttl = absl::Minutes(5));

  const std::string& realm() const { return realm_; }
  // The WWW-Authenticate / Proxy-Authenticate value.
  std::string Challenge(absl::Time now, bool stale = false) const;

  enum class Result { kOk, kMissing, kWrongRealm, kStale, kBad };
  struct Check {
    Result result = Result::kMissing;
    std::string username;  // from the header, when there is one
  };
  // Reads the first Authorization header for our realm: username and, once
  // the caller has found the user's HA1, verifies it with Verify().
  Check Read(const msg_auth_s* authorization, absl::Time now) const;
  // True when the response matches HA1 for `method` (e.g. "REGISTER").
  bool Verify(const msg_auth_s* authorization, std::string_view ha1, std::string_view method) const;

 private:
  std::string Nonce(int64_t seconds) const;
  std::string realm_;
  absl::Duration ttl_;
  std::array<unsigned char, 32> secret_{};
};

}  // namespace onestop::sip
