// The LMTP protocol's pieces that need no connection (internal to
// src/mail; RFC 2033 over RFC 5321 syntax): parsing paths and sizes, and the
// reply to a recipient after DATA. Pure functions; any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace onestop::mail::lmtp_protocol {

// Digits only (no sign, no spaces), fitting in 64 bits.
bool ParseSize(std::string_view text, uint64_t* size);

// Parses `<path> [params]` after "FROM:" / "TO:" (RFC 5321 4.1.2): the
// address (a source route dropped) and the parameters after it.
bool ParsePath(std::string_view text, std::string* address, std::string_view* params);

// The reply to one recipient after DATA, from Deliver's status for it.
std::string DeliveryReply(const absl::Status& status, std::string_view recipient);

}  // namespace onestop::mail::lmtp_protocol
