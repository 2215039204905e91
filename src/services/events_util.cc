#include "services/events_util.h"

#include "common/time_format.h"

namespace onestop::services {

domain::Event MakeEvent(const domain::Actor& actor, absl::Time at, std::string entity,
                        int64_t entity_id, std::string type) {
  domain::Event e;
  e.at = at;
  e.actor_id = actor.staff_id;
  e.entity = std::move(entity);
  e.entity_id = entity_id;
  e.type = std::move(type);
  return e;
}

void AddChange(std::vector<domain::FieldChange>& changes, const std::string& field,
               const std::string& before, const std::string& after) {
  if (before != after) changes.push_back({field, before, after});
}

domain::Event CaseEvent(const domain::Actor& actor, absl::Time at, const domain::Case& c, std::string type) {
  domain::Event e = MakeEvent(actor, at, "case", c.id, std::move(type));
  e.entity_key = c.reference;
  e.case_id = c.id;
  e.citizen_id = c.citizen_id;
  return e;
}

domain::Event ContactEvent(const domain::Actor& actor, absl::Time at, const domain::Contact& c, std::string type) {
  domain::Event e = MakeEvent(actor, at, "contact", c.id, std::move(type));
  e.channel = c.channel;
  e.citizen_id = c.citizen_id;
  e.case_id = c.case_id;
  return e;
}

std::string OptionalIdText(const std::optional<int64_t>& id) {
  return id ? std::to_string(*id) : std::string();
}

std::string OptionalTimeText(const std::optional<absl::Time>& t) {
  return t ? FormatRfc3339(*t) : std::string();
}

}  // namespace onestop::services
