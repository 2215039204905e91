#include "services/popular_services.h"

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "common/status.h"
#include "services/catalogue.h"

namespace onestop::services {

absl::StatusOr<std::vector<std::string>> PopularServices::Run(int limit) const {
  ONESTOP_ASSIGN_OR_RETURN(auto catalogue, deps_.catalogue.Get());
  std::vector<std::string> out;
  std::set<std::string> seen;
  auto add = [&](const std::string& code) {
    if (static_cast<int>(out.size()) >= limit || seen.count(code)) return;
    const domain::Service* s = catalogue->Find(code);
    if (s == nullptr || !s->active || !s->OfferedOn(domain::Channel::kWeb)) return;
    seen.insert(code);
    out.push_back(code);
  };
  ONESTOP_ASSIGN_OR_RETURN(std::optional<std::string> chosen,
                           deps_.store.GetSetting(kPopularServicesSetting));
  if (chosen) {
    for (absl::string_view line : absl::StrSplit(*chosen, '\n', absl::SkipEmpty())) {
      add(std::string(absl::StripAsciiWhitespace(line)));
    }
    if (!out.empty()) return out;
  }
  std::vector<std::pair<std::string, int64_t>> counts;
  {
    std::lock_guard<std::mutex> lock(mu_);
    const absl::Time now = deps_.clock.Now();
    if (now - counted_at_ >= ttl_) {
      ONESTOP_ASSIGN_OR_RETURN(counts_, deps_.store.CountCasesByService());
      counted_at_ = now;
    }
    counts = counts_;
  }
  for (const auto& [code, n] : counts) add(code);
  // Few or no cases yet: one obvious way in to each department.
  std::set<std::string> departments;
  for (const std::string& code : out) departments.insert(catalogue->Find(code)->department);
  std::vector<domain::Service> all = catalogue->services;
  std::sort(all.begin(), all.end(),
            [](const domain::Service& a, const domain::Service& b) { return a.name < b.name; });
  for (const domain::Service& s : all) {
    if (!s.active || !s.OfferedOn(domain::Channel::kWeb)) continue;
    if (departments.insert(s.department).second) add(s.code);
  }
  return out;
}

}  // namespace onestop::services
