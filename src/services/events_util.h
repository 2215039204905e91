// Helpers for building events and field changes inside use cases.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "domain/case.h"
#include "domain/contact.h"
#include "domain/event.h"
#include "domain/staff.h"

namespace onestop::services {

// Starts an event of `type` on `entity` by `actor` at `at`.
domain::Event MakeEvent(const domain::Actor& actor, absl::Time at, std::string entity,
                        int64_t entity_id, std::string type);

// Appends a FieldChange when before != after.
void AddChange(std::vector<domain::FieldChange>& changes, const std::string& field,
               const std::string& before, const std::string& after);

// An event on a case (entity key the reference; case and citizen set) and
// on a contact (channel, citizen and case set).
domain::Event CaseEvent(const domain::Actor& actor, absl::Time at, const domain::Case& c, std::string type);
domain::Event ContactEvent(const domain::Actor& actor, absl::Time at, const domain::Contact& c, std::string type);

std::string OptionalIdText(const std::optional<int64_t>& id);
std::string OptionalTimeText(const std::optional<absl::Time>& t);

}  // namespace onestop::services
