// MD5 as lower-case hex, and the HTTP/SIP digest HA1 built from it
// (RFC 2617 §3.2.2.2: HA1 = MD5(user ":" realm ":" password)). MD5 is here
// only because SIP digest authentication (RFC 3261 §22.4) requires it; never
// use it for anything that needs collision resistance. Backed by nettle.
// Pure functions; any thread.
#pragma once

#include <string>
#include <string_view>

namespace onestop {

// 32 lower-case hex digits.
std::string Md5Hex(std::string_view data);

// Md5Hex(user ":" realm ":" password).
std::string DigestHa1(std::string_view user, std::string_view realm, std::string_view password);

}  // namespace onestop
