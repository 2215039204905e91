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

// Where a registered phone is now: the registrar's binding of an extension
// to the Contact its phone last REGISTERed (one per extension: the phone
// that registered last rings). Kept in the store so that the node that takes
// over the telephone after a failover rings the phones at once instead of
// waiting up to an hour for them to register again.
struct SipBinding {
  std::string extension;
  int64_t staff_id = 0;
  std::string contact;  // the SIP URI INVITEs go to
  absl::Time expires_at;
  std::string node;     // the node that accepted the REGISTER
  absl::Time updated_at;
  bool operator==(const SipBinding&) const = default;
};

}  // namespace onestop::domain
