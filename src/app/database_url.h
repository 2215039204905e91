// Database URLs: "sqlite:PATH" (also "sqlite://PATH") and "postgresql://..."
// (also "postgres://..."). The one place that knows the schemes.
#pragma once

#include <string>

#include "absl/status/statusor.h"

namespace onestop::app {

struct DatabaseUrl {
  enum class Kind { kSqlite, kPostgres };
  Kind kind = Kind::kSqlite;
  std::string path;  // SQLite file path
  std::string url;   // the full URL as given
};

absl::StatusOr<DatabaseUrl> ParseDatabaseUrl(const std::string& url);

// The URL with any password replaced by "***", for logs and messages:
// "postgresql://app:secret@db/onestop" -> "postgresql://app:***@db/onestop".
std::string RedactDatabaseUrl(const std::string& url);

}  // namespace onestop::app
