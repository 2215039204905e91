// JSON ⇄ domain conversion for the service catalogue: Service (with its form
// fields and SLA), Department and Team. Used by the council file loader
// (council_file.h) and the HTTP API. The wire format is documented in
// docs/catalogue-format.md.
//
// *ToJson never fails and emits every key, so the output reads back through
// *FromJson unchanged. *FromJson is strict (see json_reader.h for the error
// codes): it reports every problem at once as InvalidFields, with field names
// such as "fields[2].datatype" (indices are those of the input array).
//
// The Read* variants do the same into a caller's ErrorList under a path
// prefix, for documents that embed catalogue entries ("services[3].name").
// Stateless; safe to call from any thread.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string_view>

#include "absl/status/statusor.h"
#include "codec/json_reader.h"
#include "domain/service.h"

namespace onestop::codec {

boost::json::object ServiceToJson(const domain::Service& service);
// Reads and validates (domain::ValidateServiceDefinition plus the Open311 rule
// that field orders are positive and unique). Defaults: description, group,
// default_team "", keywords [], interaction_type "applications_for_services",
// channels all seven, sla {0, working_days} (no target), allow_anonymous
// false, active true, version 0, fields [], translations {} (on the service,
// each field and each allowed value: codec/translations.h). Fields come back
// sorted by order.
absl::StatusOr<domain::Service> ServiceFromJson(const boost::json::value& json);
std::optional<domain::Service> ReadService(const boost::json::value& json, std::string_view path,
                                           ErrorList& errors);

boost::json::object DepartmentToJson(const domain::Department& department);
// Requires code ([a-z0-9-], 1-64) and name.
absl::StatusOr<domain::Department> DepartmentFromJson(const boost::json::value& json);
std::optional<domain::Department> ReadDepartment(const boost::json::value& json,
                                                 std::string_view path, ErrorList& errors);

boost::json::object TeamToJson(const domain::Team& team);
// Requires code ([a-z0-9-], 1-64), name and department (a department code;
// whether it exists is the caller's business).
absl::StatusOr<domain::Team> TeamFromJson(const boost::json::value& json);
std::optional<domain::Team> ReadTeam(const boost::json::value& json, std::string_view path,
                                     ErrorList& errors);

// "phone, face_to_face, web, ..." — the accepted names, for error messages.
std::string_view ChannelNames();
std::string_view InteractionTypeNames();
std::string_view DatatypeNames();
std::string_view SlaUnitNames();

}  // namespace onestop::codec
