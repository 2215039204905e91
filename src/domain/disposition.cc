#include "domain/disposition.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "domain/routing_config.h"

namespace onestop::domain {
namespace {

bool Lists(const std::vector<std::string>& codes, std::string_view code) {
  return codes.empty() || std::find(codes.begin(), codes.end(), code) != codes.end();
}

}  // namespace

std::vector<const Disposition*> DispositionsFor(const std::vector<Disposition>& all,
                                                std::string_view queue,
                                                std::string_view service_code) {
  std::vector<const Disposition*> out;
  for (const Disposition& d : all) {
    if (!queue.empty() && !Lists(d.queues, queue)) continue;
    if (!service_code.empty() && !Lists(d.services, service_code)) continue;
    out.push_back(&d);
  }
  return out;
}

const Disposition* FindDisposition(const std::vector<Disposition>& all, std::string_view code) {
  for (const Disposition& d : all) {
    if (d.code == code) return &d;
  }
  return nullptr;
}

absl::Status ValidateDispositions(const std::vector<Disposition>& all) {
  std::vector<FieldError> errors;
  std::set<std::string> seen;
  for (size_t i = 0; i < all.size(); ++i) {
    const Disposition& d = all[i];
    const std::string at = absl::StrCat("dispositions[", i, "]");
    if (!ValidRoutingCode(d.code)) {
      errors.push_back({at + ".code", "invalid", "disposition_code_format", {}});
    } else if (!seen.insert(d.code).second) {
      errors.push_back({at + ".code", "duplicate", "disposition_code_repeated", {{"code", d.code}}});
    }
    if (d.name.empty() || d.name.size() > 200) {
      errors.push_back({at + ".name", "required", "disposition_name_required", {}});
    }
    for (size_t q = 0; q < d.queues.size(); ++q) {
      if (!ValidRoutingCode(d.queues[q])) {
        errors.push_back({absl::StrCat(at, ".queues[", q, "]"), "invalid", "queue_code_format", {}});
      }
    }
    for (size_t s = 0; s < d.services.size(); ++s) {
      if (d.services[s].empty()) {
        errors.push_back({absl::StrCat(at, ".services[", s, "]"), "invalid", "service_code_format", {}});
      }
    }
  }
  if (!errors.empty()) return InvalidFields("The dispositions are not valid", errors);
  return absl::OkStatus();
}

}  // namespace onestop::domain
