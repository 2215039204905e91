// JSON ⇄ domain for contacts, events (the change feed) and staff records.
// Rendering never fails; parsing is strict (codec/json_reader.h). Staff JSON
// never carries password_hash. Stateless; safe from any thread.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "absl/status/statusor.h"
#include "domain/contact.h"
#include "domain/event.h"
#include "domain/staff.h"
#include "services/call_recordings.h"
#include "services/staff_admin.h"

namespace onestop::api {

// {id, channel, direction, at, staff_id|null, citizen_id|null, case_id|null,
//  service_code, reason, outcome, duration_seconds}
boost::json::object ContactToJson(const domain::Contact& contact);
// Adds what `details` holds to a contact's JSON: "recording":
// {duration_seconds, paused_seconds, pauses, url} (only present when the
// reader may play it, services::GetContactCallDetails) and "satisfaction"
// (1..5, when the caller answered the post-call survey).
void AddContactCallDetails(boost::json::object& contact_json,
                           const services::ContactCallDetails& details);
// The URL a contact's recording is played from.
std::string ContactRecordingUrl(int64_t contact_id);

// POST /contacts: channel and direction required; outcome defaults to
// "other"; at (RFC 3339) defaults to now (set by the use case).
absl::StatusOr<domain::Contact> ContactFromJson(const boost::json::value& json);

// {seq, at, actor_id, channel|null, entity, entity_id, entity_key, type,
//  case_id|null, citizen_id|null, changes:[{field,before,after}]}
boost::json::object EventToJson(const domain::Event& event);

// {id, email, display_name, role, department, team, skills[{code,proficiency}],
//  active, created_at, version}
boost::json::object StaffToJson(const domain::StaffUser& staff);
absl::StatusOr<services::NewStaff> NewStaffFromJson(const boost::json::value& json);
absl::StatusOr<services::StaffChanges> StaffChangesFromJson(const boost::json::value& json);

}  // namespace onestop::api
