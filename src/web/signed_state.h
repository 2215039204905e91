// Signer: HMAC (libsodium crypto_auth, HMAC-SHA-512-256) over short texts the
// web pages hand to the browser and must get back unchanged — the answers of
// a multi-step form carried in a hidden field, the CSRF token of a staff
// session, the idle clock in the staff cookie, the confirmation link.
//
// The key is 32 bytes: from configuration (hex, so several nodes agree) or
// random at start (then a restart invalidates forms in progress and staff
// cookies, which is acceptable for one node). Immutable after construction;
// every method is thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "http/request.h"

namespace onestop::web {

class Signer {
 public:
  // A fresh random key.
  Signer();
  // `hex_key`: 64 hex digits. InvalidArgument otherwise.
  static absl::StatusOr<Signer> FromHex(std::string_view hex_key);

  // base64url(payload) "." base64url(mac); safe in HTML attributes, cookies and URLs.
  std::string Sign(std::string_view payload) const;
  // The payload if `signed_text` was made by Sign with this key, else nullopt.
  std::optional<std::string> Verify(std::string_view signed_text) const;
  // base64url MAC of `text` (for tokens compared with Matches).
  std::string Mac(std::string_view text) const;
  // Constant-time check that `mac` is Mac(text).
  bool Matches(std::string_view text, std::string_view mac) const;

 private:
  std::string key_;  // crypto_auth_KEYBYTES bytes
};

// Form answers as one application/x-www-form-urlencoded string and back.
std::string EncodePairs(const http::ParamList& pairs);
http::ParamList DecodePairs(std::string_view text);

std::string Base64UrlEncode(std::string_view bytes);
std::optional<std::string> Base64UrlDecode(std::string_view text);

}  // namespace onestop::web
