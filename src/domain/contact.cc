#include "domain/contact.h"

namespace onestop::domain {

std::string_view DirectionName(Direction d) {
  return d == Direction::kOutbound ? "outbound" : "inbound";
}

std::optional<Direction> ParseDirection(std::string_view name) {
  if (name == "inbound") return Direction::kInbound;
  if (name == "outbound") return Direction::kOutbound;
  return std::nullopt;
}

std::string_view ContactOutcomeName(ContactOutcome o) {
  switch (o) {
    case ContactOutcome::kResolvedFirstContact: return "resolved_first_contact";
    case ContactOutcome::kCaseRaised: return "case_raised";
    case ContactOutcome::kCaseUpdated: return "case_updated";
    case ContactOutcome::kInformationGiven: return "information_given";
    case ContactOutcome::kTransferred: return "transferred";
    case ContactOutcome::kAbandoned: return "abandoned";
    case ContactOutcome::kOther: return "other";
  }
  return "other";
}

std::optional<ContactOutcome> ParseContactOutcome(std::string_view name) {
  for (int i = 0; i <= static_cast<int>(ContactOutcome::kOther); ++i) {
    auto o = static_cast<ContactOutcome>(i);
    if (ContactOutcomeName(o) == name) return o;
  }
  return std::nullopt;
}

}  // namespace onestop::domain
