#include "open311/status_map.h"

#include "absl/strings/ascii.h"

namespace onestop::open311 {

const OutboundStatus& Outbound(domain::CaseStatus status) {
  for (const auto& row : kOutboundStatuses) {
    if (row.status == status) return row;
  }
  return kOutboundStatuses[0];  // unreachable: every status has a row (tested)
}

std::string_view Open311Status(domain::CaseStatus status) { return Outbound(status).open311; }
std::string_view ExtendedStatus(domain::CaseStatus status) { return Outbound(status).extended; }

std::vector<domain::CaseStatus> CaseStatusesFor(std::string_view open311) {
  std::vector<domain::CaseStatus> out;
  for (const auto& row : kOutboundStatuses) {
    if (row.open311 == open311) out.push_back(row.status);
  }
  return out;
}

const InboundStatus* FindInbound(std::string_view status) {
  const std::string upper = absl::AsciiStrToUpper(std::string(status));
  for (const auto& row : kInboundStatuses) {
    if (row.extended == upper) return &row;
  }
  return nullptr;
}

std::optional<domain::CaseStatus> TargetStatus(const InboundStatus& rule,
                                               domain::CaseStatus current) {
  std::optional<domain::CaseStatus> target =
      domain::IsFinished(current) ? rule.when_finished : rule.when_open;
  if (target == current) return std::nullopt;
  return target;
}

}  // namespace onestop::open311
