// Request ids and the headers the server owns: small rules the Beast server
// applies to every message, kept apart so they can be read and tested alone.
#pragma once

#include <string>
#include <string_view>

namespace onestop::http {

// The client's X-Request-Id when it is a sane token (1-64 of [A-Za-z0-9._-]),
// otherwise a fresh random 16-hex-digit id. Pass "" when the header is absent.
std::string ChooseRequestId(std::string_view client_value);

// Headers a handler may not set: the server owns message framing.
bool IsServerOwnedHeader(std::string_view name);

}  // namespace onestop::http
