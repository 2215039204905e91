// JSON ⇄ domain for citizens, citizen merges and the single-view timeline
// (/api/v1/citizens..., /api/v1/citizen-merges...). Rendering never fails;
// parsing is strict (codec/json_reader.h). Stateless; safe from any thread.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "absl/status/statusor.h"
#include "domain/case.h"
#include "domain/citizen.h"
#include "domain/service.h"
#include "services/citizens.h"

namespace onestop::api {

boost::json::object CitizenToJson(const domain::Citizen& citizen);
boost::json::object AddressToJson(const domain::Address& address);

// POST /citizens body: the citizen's details plus an optional "channel" (the
// channel the registration came through).
struct NewCitizen {
  domain::Citizen citizen;
  std::optional<domain::Channel> channel;
};
absl::StatusOr<NewCitizen> NewCitizenFromJson(const boost::json::value& json);

// PATCH /citizens/{id}: applies the keys present in `json` to `citizen`
// (lists are replaced whole; preferred_channel null clears it; consent keys
// merge one by one). Same strictness as creation.
absl::Status ApplyCitizenPatch(const boost::json::value& json, domain::Citizen& citizen);

boost::json::object MergeToJson(const domain::CitizenMerge& merge);
// POST /citizen-merges {"from","into"}.
struct MergeRequest {
  int64_t from = 0;
  int64_t into = 0;
};
absl::StatusOr<MergeRequest> MergeRequestFromJson(const boost::json::value& json);

// One timeline entry: {"at","kind":"contact"|"case"|"event", <kind>: {...}}.
// `service_for` finds the service of a case (may return null).
using ServiceLookup = std::function<const domain::Service*(const std::string& code)>;
boost::json::object TimelineEntryToJson(const services::TimelineEntry& entry,
                                        const ServiceLookup& service_for);

}  // namespace onestop::api
