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

std::string RedactDatabaseUrl(const std::string& url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  const size_t authority = scheme + 3;
  size_t end = url.find_first_of("/?#", authority);
  if (end == std::string::npos) end = url.size();
  const size_t at = url.rfind('@', end);
  if (at == std::string::npos || at < authority) {
    // No user info; a password may still come as a query parameter.
    const size_t pw = url.find("password=", end);
    if (pw == std::string::npos) return url;
    const size_t stop = url.find('&', pw);
    return url.substr(0, pw + 9) + "***" + (stop == std::string::npos ? "" : url.substr(stop));
  }
  const size_t colon = url.find(':', authority);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

}  // namespace onestop::app
