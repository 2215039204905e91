// API keys for client applications (Open311 clients such as FixMyStreet, and
// other integrations). Only the SHA-256 of a key is stored; the key itself is
// shown once, when it is created.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/time/time.h"

namespace onestop::domain {

struct ApiKey {
  int64_t id = 0;
  std::string name;        // the client application, e.g. "FixMyStreet"
  std::string key_hash;    // hex SHA-256 of the key (unique)
  std::string key_prefix;  // first 8 characters of the key, to tell keys apart in lists
  int64_t created_by = 0;  // staff id; 0 = the command line
  absl::Time created_at;
  std::optional<absl::Time> revoked_at;
  bool operator==(const ApiKey&) const = default;
};

}  // namespace onestop::domain
