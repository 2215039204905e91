// The portal home's "Popular services": the council's choice (the setting
// `popular_services`, one service code per line, from the council file's
// `popular_services`), else the services with most cases, topped up with the
// first service of each department. Only active services offered on the web.
//
// The case counts are cached for `ttl` (a GROUP BY over every case is not
// for each page view). Thread-safe.
#pragma once

#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/deps.h"

namespace onestop::services {

inline constexpr char kPopularServicesSetting[] = "popular_services";

class PopularServices {
 public:
  explicit PopularServices(Deps deps, absl::Duration ttl = absl::Minutes(10)) : deps_(deps), ttl_(ttl) {}
  // At most `limit` service codes, in the order to show them.
  absl::StatusOr<std::vector<std::string>> Run(int limit = 8) const;

 private:
  Deps deps_;
  absl::Duration ttl_;
  mutable std::mutex mu_;
  mutable absl::Time counted_at_ = absl::InfinitePast();                 // guarded by mu_
  mutable std::vector<std::pair<std::string, int64_t>> counts_;         // guarded by mu_
};

}  // namespace onestop::services
