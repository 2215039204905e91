#include "common/md5.h"

#include <nettle/md5.h>

#include <cstdint>

namespace onestop {

std::string Md5Hex(std::string_view data) {
  md5_ctx ctx;
  md5_init(&ctx);
  md5_update(&ctx, data.size(), reinterpret_cast<const uint8_t*>(data.data()));
  uint8_t digest[MD5_DIGEST_SIZE];
  md5_digest(&ctx, MD5_DIGEST_SIZE, digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * MD5_DIGEST_SIZE);
  for (uint8_t byte : digest) {
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 0xf]);
  }
  return out;
}

std::string DigestHa1(std::string_view user, std::string_view realm, std::string_view password) {
  std::string joined;
  joined.reserve(user.size() + realm.size() + password.size() + 2);
  joined.append(user).append(":").append(realm).append(":").append(password);
  return Md5Hex(joined);
}

}  // namespace onestop
