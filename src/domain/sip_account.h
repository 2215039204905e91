// A staff member's telephone extension: the SIP user name their phone
// registers with (sip:1001@host) and its digest credential. The password is
// never stored: only HA1 = MD5(extension ":" realm ":" password) (RFC 2617
// §3.2.2.2), which is what a registrar needs to check a digest response.
// One account per staff member; extensions are unique.
// Plain values; any thread.
#pragma once

#include <cstdint>
#include <string>

#include "absl/time/time.h"

namespace onestop::domain {

struct SipAccount {
  int64_t staff_id = 0;
  std::string extension;  // 2-8 digits, unique
  std::string realm;      // the digest realm the HA1 was made for
  std::string ha1;        // 32 lower-case hex digits
  absl::Time updated_at;
  bool operator==(const SipAccount&) const = default;
};

}  // namespace onestop::domain
