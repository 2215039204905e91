// Rules shared by the case use cases: SLA due times on the working calendar,
// location checks, default summaries.
#pragma once

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "domain/calendar.h"
#include "domain/case.h"
#include "domain/service.h"

namespace onestop::services {

// When a case opened at `opened` on `service` is due (nullopt: no target).
std::optional<absl::Time> DueTime(const domain::WorkingCalendar& calendar,
                                  const domain::Service& service, absl::Time opened);

// Stops the SLA clock (entering waiting_on_citizen) / starts it again.
void PauseSla(const domain::WorkingCalendar& calendar, domain::Case& c, absl::Time now);
void ResumeSla(const domain::WorkingCalendar& calendar, domain::Case& c, absl::Time now);

// Normalises the postcode and checks ranges; field names "location.*".
absl::Status NormaliseAndValidateLocation(domain::Location& location);

// Checks media URLs: at most 10, http(s), at most 2000 characters each.
absl::Status ValidateMediaUrls(const std::vector<std::string>& urls, const std::string& field);

// "Missed bin collection — 12 Mill Lane" style one-liner for queues.
std::string DefaultSummary(const domain::Service& service, const domain::FormValues& values,
                           const domain::Location& location);

}  // namespace onestop::services
