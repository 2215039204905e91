// The one table between our case statuses and Open311: the GeoReport v2
// `status` (open | closed) and mySociety's extended statuses used by
// servicerequestupdates. docs/open311.md shows the same table; change both.
//
// Outbound (our status → what clients see):
//   new                 open    open
//   open                open    open
//   in_progress         open    in_progress
//   waiting_on_citizen  open    investigating
//   resolved            closed  fixed
//   closed              closed  closed
//   cancelled           closed  cancelled
//
// Inbound (an update POSTed by a client, status in upper or lower case; "open
// case" = new, open, in_progress or waiting_on_citizen):
//   status                                      open case →   finished case →
//   OPEN, REOPEN                                (no change)   open (reopen)
//   IN_PROGRESS, ACTION_SCHEDULED, PLANNED,
//   INVESTIGATING                               in_progress   open (reopen)
//   FOR_TRIAGE                                  (no change)   (no change)
//   FIXED, CLOSED, DUPLICATE, NO_FURTHER_ACTION,
//   NOT_COUNCILS_RESPONSIBILITY,
//   INTERNAL_REFERRAL                           resolved      (no change)
//   CANCELLED                                   cancelled     (no change)
// A change the case status machine does not allow (a cancelled case cannot
// reopen) is refused with 400 and nothing is recorded.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "domain/case.h"

namespace onestop::open311 {

struct OutboundStatus {
  domain::CaseStatus status;
  std::string_view open311;   // "open" | "closed"
  std::string_view extended;  // mySociety extended status, lower case
};
inline constexpr OutboundStatus kOutboundStatuses[] = {
    {domain::CaseStatus::kNew, "open", "open"},
    {domain::CaseStatus::kOpen, "open", "open"},
    {domain::CaseStatus::kInProgress, "open", "in_progress"},
    {domain::CaseStatus::kWaitingOnCitizen, "open", "investigating"},
    {domain::CaseStatus::kResolved, "closed", "fixed"},
    {domain::CaseStatus::kClosed, "closed", "closed"},
    {domain::CaseStatus::kCancelled, "closed", "cancelled"},
};

struct InboundStatus {
  std::string_view extended;  // upper case, as mySociety clients send it
  std::optional<domain::CaseStatus> when_open;      // nullopt: no change
  std::optional<domain::CaseStatus> when_finished;  // nullopt: no change
};
inline constexpr InboundStatus kInboundStatuses[] = {
    {"OPEN", std::nullopt, domain::CaseStatus::kOpen},
    {"REOPEN", std::nullopt, domain::CaseStatus::kOpen},
    {"IN_PROGRESS", domain::CaseStatus::kInProgress, domain::CaseStatus::kOpen},
    {"ACTION_SCHEDULED", domain::CaseStatus::kInProgress, domain::CaseStatus::kOpen},
    {"PLANNED", domain::CaseStatus::kInProgress, domain::CaseStatus::kOpen},
    {"INVESTIGATING", domain::CaseStatus::kInProgress, domain::CaseStatus::kOpen},
    {"FOR_TRIAGE", std::nullopt, std::nullopt},
    {"FIXED", domain::CaseStatus::kResolved, std::nullopt},
    {"CLOSED", domain::CaseStatus::kResolved, std::nullopt},
    {"DUPLICATE", domain::CaseStatus::kResolved, std::nullopt},
    {"NO_FURTHER_ACTION", domain::CaseStatus::kResolved, std::nullopt},
    {"NOT_COUNCILS_RESPONSIBILITY", domain::CaseStatus::kResolved, std::nullopt},
    {"INTERNAL_REFERRAL", domain::CaseStatus::kResolved, std::nullopt},
    {"CANCELLED", domain::CaseStatus::kCancelled, std::nullopt},
};

const OutboundStatus& Outbound(domain::CaseStatus status);
// "open" / "closed".
std::string_view Open311Status(domain::CaseStatus status);
std::string_view ExtendedStatus(domain::CaseStatus status);
// Our statuses that show as `open311` ("open" / "closed"); empty if unknown.
std::vector<domain::CaseStatus> CaseStatusesFor(std::string_view open311);

// The row for a client's status (case-insensitive); nullptr if unknown.
const InboundStatus* FindInbound(std::string_view status);
// The status an update moves a case in `current` to; nullopt: leave it.
std::optional<domain::CaseStatus> TargetStatus(const InboundStatus& rule,
                                               domain::CaseStatus current);

}  // namespace onestop::open311
