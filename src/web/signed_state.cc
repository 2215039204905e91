#include "web/signed_state.h"

#include <sodium.h>

#include <stdexcept>

namespace onestop::web {

namespace {
void EnsureSodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}
}  // namespace

Signer::Signer() {
  EnsureSodium();
  key_.resize(crypto_auth_KEYBYTES);
  crypto_auth_keygen(reinterpret_cast<unsigned char*>(key_.data()));
}

absl::StatusOr<Signer> Signer::FromHex(std::string_view hex_key) {
  EnsureSodium();
  Signer signer;
  size_t len = 0;
  if (hex_key.size() != 2 * crypto_auth_KEYBYTES ||
      sodium_hex2bin(reinterpret_cast<unsigned char*>(signer.key_.data()), signer.key_.size(),
                     hex_key.data(), hex_key.size(), nullptr, &len, nullptr) != 0 ||
      len != crypto_auth_KEYBYTES) {
    return absl::InvalidArgumentError("the web secret must be 64 hex digits");
  }
  return signer;
}

std::string Base64UrlEncode(std::string_view bytes) {
  const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), variant);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::optional<std::string> Base64UrlDecode(std::string_view text) {
  std::string out(text.size(), '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
    return std::nullopt;
  }
  out.resize(len);
  return out;
}

std::string Signer::Mac(std::string_view text) const {
  unsigned char mac[crypto_auth_BYTES];
  crypto_auth(mac, reinterpret_cast<const unsigned char*>(text.data()), text.size(),
              reinterpret_cast<const unsigned char*>(key_.data()));
  return Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(mac), sizeof mac));
}

bool Signer::Matches(std::string_view text, std::string_view mac) const {
  std::optional<std::string> raw = Base64UrlDecode(mac);
  if (!raw || raw->size() != crypto_auth_BYTES) return false;
  return crypto_auth_verify(reinterpret_cast<const unsigned char*>(raw->data()),
                            reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                            reinterpret_cast<const unsigned char*>(key_.data())) == 0;
}

std::string Signer::Sign(std::string_view payload) const {
  return Base64UrlEncode(payload) + "." + Mac(payload);
}

std::optional<std::string> Signer::Verify(std::string_view signed_text) const {
  size_t dot = signed_text.rfind('.');
  if (dot == std::string_view::npos) return std::nullopt;
  std::optional<std::string> payload = Base64UrlDecode(signed_text.substr(0, dot));
  if (!payload || !Matches(*payload, signed_text.substr(dot + 1))) return std::nullopt;
  return payload;
}

std::string EncodePairs(const http::ParamList& pairs) {
  std::string out;
  for (const auto& [name, value] : pairs) {
    if (!out.empty()) out += '&';
    out += http::UrlEncode(name) + "=" + http::UrlEncode(value);
  }
  return out;
}

http::ParamList DecodePairs(std::string_view text) {
  auto parsed = http::ParseQuery(text);
  return parsed.ok() ? *parsed : http::ParamList{};
}

}  // namespace onestop::web
