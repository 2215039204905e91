// Reading routing queue definitions and routing profiles from JSON: the one
// shape the API (PUT /api/v1/queues/{code}, /api/v1/routing-profiles/{code})
// and the council file's "routing" section share. The code comes from
// outside the object (the URL, or the file's "code" member); "version" is
// accepted and ignored (echoed from a GET; the store assigns it). Semantic
// checks (known strategy, queues named by profiles) stay with the routing
// engine (routing/live_engine.h ToQueueConfig, LiveEngine::PutProfile).
#pragma once

#include "codec/json_reader.h"
#include "domain/routing_config.h"

namespace onestop::codec {

// "skills": [{"skill", "min_level" (1-5, default 1)}] — a queue's or an
// interaction's required skills.
void ReadSkillRules(ObjectReader& in, std::vector<domain::RoutingSkillRule>& out);
// Reads every member except "code" into `queue` ("name" required).
void ReadRoutingQueue(ObjectReader& in, domain::RoutingQueue& queue);
// Reads every member except "code" into `profile` ("name" required;
// "capacity": {"voice": n, "chat": n, "email": n, "walk_in": n, "case_task": n}).
void ReadRoutingProfile(ObjectReader& in, domain::RoutingProfile& profile);

}  // namespace onestop::codec
