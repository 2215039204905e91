#include "services/case_rules.h"

#include "absl/strings/match.h"
#include "common/status.h"
#include "domain/postcode.h"

namespace onestop::services {

std::optional<absl::Time> DueTime(const domain::WorkingCalendar& calendar,
                                  const domain::Service& service, absl::Time opened) {
  if (service.sla.amount <= 0) return std::nullopt;
  if (service.sla.unit == domain::SlaUnit::kWorkingHours) {
    return calendar.AddWorkingTime(opened, absl::Hours(service.sla.amount));
  }
  // N working days, expressed as working time so that a deadline falling on
  // an opening time reads as the close of the previous working day — the
  // same instant in working time, and what pausing and resuming produce.
  const absl::Time end = calendar.AddWorkingDays(opened, service.sla.amount);
  return calendar.AddWorkingTime(opened, calendar.WorkingTimeBetween(opened, end));
}

void PauseSla(const domain::WorkingCalendar& calendar, domain::Case& c, absl::Time now) {
  if (!c.due_at || c.sla_paused_at) return;
  if (now <= *c.due_at) {
    c.sla_remaining = calendar.WorkingTimeBetween(now, *c.due_at);
  } else {
    // Already overdue: remember by how much, so resuming keeps it overdue.
    c.sla_remaining = -calendar.WorkingTimeBetween(*c.due_at, now);
  }
  c.sla_paused_at = now;
}

void ResumeSla(const domain::WorkingCalendar& calendar, domain::Case& c, absl::Time now) {
  if (!c.sla_paused_at) return;
  if (c.sla_remaining > absl::ZeroDuration()) {
    c.due_at = calendar.AddWorkingTime(now, c.sla_remaining);
  } else {
    c.due_at = now + c.sla_remaining;
  }
  c.sla_paused_at.reset();
  c.sla_remaining = absl::ZeroDuration();
}

absl::Status NormaliseAndValidateLocation(domain::Location& location) {
  std::vector<FieldError> errors;
  if (location.uprn && (*location.uprn < 1 || *location.uprn > 999999999999)) {
    errors.push_back({"location.uprn", "invalid", "uprn_digits", {}});
  }
  if (location.lat.has_value() != location.lng.has_value()) {
    errors.push_back({"location", "invalid", "lat_lng_pair", {}});
  }
  if (location.lat && !(*location.lat >= -90 && *location.lat <= 90)) {
    errors.push_back({"location.lat", "invalid", "latitude_range", {}});
  }
  if (location.lng && !(*location.lng >= -180 && *location.lng <= 180)) {
    errors.push_back({"location.lng", "invalid", "longitude_range", {}});
  }
  if (location.description.size() > 1000) {
    errors.push_back(
        {"location.description", "too_long", "location_description_length", {{"max", "1000"}}});
  }
  if (!location.postcode.empty()) {
    auto postcode = domain::NormalisePostcode(location.postcode);
    if (!postcode) {
      errors.push_back({"location.postcode", "invalid", "postcode_format", {}});
    } else {
      location.postcode = *postcode;
    }
  }
  if (!errors.empty()) return InvalidFields("The location is not valid", errors);
  return absl::OkStatus();
}

absl::Status ValidateMediaUrls(const std::vector<std::string>& urls, const std::string& field) {
  std::vector<FieldError> errors;
  if (urls.size() > 10) {
    errors.push_back({field, "too_many", "too_many_media_urls", {{"max", "10"}}});
  }
  for (size_t i = 0; i < urls.size() && i < 10; ++i) {
    const std::string& url = urls[i];
    if (url.size() > 2000 ||
        !(absl::StartsWith(url, "https://") || absl::StartsWith(url, "http://"))) {
      errors.push_back({field + "[" + std::to_string(i) + "]", "invalid", "media_url",
                        {{"max", "2000"}}});
    }
  }
  if (!errors.empty()) return InvalidFields("The media URLs are not valid", errors);
  return absl::OkStatus();
}

std::string DefaultSummary(const domain::Service& service, const domain::FormValues& values,
                           const domain::Location& location) {
  std::string detail = location.description;
  if (detail.empty()) {
    for (const auto& field : service.fields) {
      auto it = values.find(field.code);
      if (it == values.end() || it->second.empty()) continue;
      if (field.datatype == domain::Datatype::kString || field.datatype == domain::Datatype::kText) {
        detail = it->second.front();
        break;
      }
    }
  }
  if (detail.empty()) detail = location.postcode;
  std::string summary = service.name;
  if (!detail.empty()) summary += " — " + detail;
  if (summary.size() > 200) {
    size_t cut = 197;
    while (cut > 0 && (static_cast<unsigned char>(summary[cut]) & 0xC0) == 0x80) --cut;
    summary = summary.substr(0, cut) + "...";
  }
  return summary;
}

}  // namespace onestop::services
