#include "app/database_url.h"

#include "absl/strings/match.h"

namespace onestop::app {

absl::StatusOr<DatabaseUrl> ParseDatabaseUrl(const std::string& url) {
  DatabaseUrl out;
  out.url = url;
  if (absl::StartsWith(url, "sqlite://")) {
    out.kind = DatabaseUrl::Kind::kSqlite;
    out.path = url.substr(9);
  } else if (absl::StartsWith(url, "sqlite:")) {
    out.kind = DatabaseUrl::Kind::kSqlite;
    out.path = url.substr(7);
  } else if (absl::StartsWith(url, "postgresql://") || absl::StartsWith(url, "postgres://")) {
    out.kind = DatabaseUrl::Kind::kPostgres;
  } else {
    return absl::InvalidArgumentError("database URL must start with sqlite: or postgresql:// (got '" +
                                      url + "')");
  }
  if (out.kind == DatabaseUrl::Kind::kSqlite && out.path.empty()) {
    return absl::InvalidArgumentError("sqlite: URL needs a file path, e.g. sqlite:var/onestop.db");
  }
  return out;
}

}  // namespace onestop::app
