// JSON ⇄ domain for cases, notes and attachments as the /api/v1 wire format
// has them (see docs/openapi.yaml). Rendering never fails; parsing is strict
// (codec/json_reader.h): unknown keys, wrong types and bad enum names come
// back together as InvalidFields. Stateless; safe from any thread.
#pragma once

#include <optional>
#include <string>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "absl/status/statusor.h"
#include "codec/json_reader.h"
#include "domain/case.h"
#include "domain/service.h"
#include "services/cases.h"

namespace onestop::api {

// Case JSON. `service` (may be null) gives each form field's datatype so
// numbers render as JSON numbers and multivaluelists as arrays; values of
// unknown fields render as strings.
boost::json::object CaseToJson(const domain::Case& c, const domain::Service* service);
// One form value, rendered per datatype (exposed for tests).
boost::json::value FormValueToJson(const std::vector<std::string>& values,
                                   std::optional<domain::Datatype> datatype);

boost::json::value LocationToJson(const domain::Location& location);  // null when empty
// Reads {uprn?, lat?, lng?, description?, postcode?} at `reader`.
domain::Location ReadLocation(codec::ObjectReader& reader);

// "values" object: strings as they are, numbers as canonical text (integers
// exactly, doubles shortest round-trip), arrays of strings for multi-valued
// fields; anything else is a "type" error at "values.<code>".
domain::FormValues ReadFormValues(const boost::json::value& json, const std::string& path,
                                  codec::ErrorList& errors);
// Canonical text of a JSON number ("12", "-3", "0.1").
std::string NumberText(const boost::json::value& number);

// POST /cases body.
absl::StatusOr<services::NewCase> NewCaseFromJson(const boost::json::value& json);
// PATCH /cases/{id} body (assignee_id: null = unassign; location: null = clear).
absl::StatusOr<services::CaseChanges> CaseChangesFromJson(const boost::json::value& json);

boost::json::object NoteToJson(const domain::Note& note);
struct NewNote {
  domain::NoteVisibility visibility = domain::NoteVisibility::kInternal;
  std::string body;
};
absl::StatusOr<NewNote> NewNoteFromJson(const boost::json::value& json);

boost::json::object AttachmentToJson(const domain::Attachment& attachment);
// {"filename","content_type","size_bytes","url","sha256"}: ids and times are
// set by the use case.
absl::StatusOr<domain::Attachment> AttachmentFromJson(const boost::json::value& json);

// Optional time as RFC 3339 or null.
boost::json::value TimeOrNull(const std::optional<absl::Time>& t);
boost::json::value IdOrNull(const std::optional<int64_t>& id);

}  // namespace onestop::api
