// Private to src/web: what the supervisor pages share — the wallboard
// (supervisor_wallboard.cc), the floor (supervisor_floor.cc), the queue and
// profile editors (supervisor_routing.cc) — and their handlers, registered
// by RegisterSupervisorPages (supervisor_pages.cc). The page plumbing
// (MakePage, GoTo, Trim, AddErrors, VersionOf, Options) is the admin pages'
// (admin_internal.h).
#pragma once

#include <map>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "domain/staff.h"
#include "http/request.h"
#include "i18n/translator.h"
#include "services/routing.h"
#include "web/admin_internal.h"
#include "web/context.h"
#include "web/form_fields.h"
#include "web/routing_pages.h"
#include "web/view.h"

namespace onestop::web::supervisor_internal {

using namespace admin_internal;  // Result, Options and the page plumbing

inline constexpr int kSkillRowsSpare = 3;  // empty rows to add skills with
inline constexpr int kStepRowsSpare = 2;

// The routing desk of this node; Unavailable without routing or on a standby.
absl::StatusOr<services::RoutingDesk*> DeskOf(WebContext& ctx);
Options MediaOptions(const i18n::Translator& tr);
Options StrategyOptions(const i18n::Translator& tr);
Options LevelOptions(const i18n::Translator& tr);
std::string Percent(double share);
// A <select> of its own (rows of skills, steps, profile lines), and an input.
View Select(const std::string& name, const std::string& label, const Options& options,
            const std::string& selected, const std::string& empty_label, const ErrorMap& errors);
View Input(const std::string& name, const std::string& label, const std::string& value, const ErrorMap& errors);
// A whole number from the form; an error under `name` when it is not one.
int IntOf(const http::ParamList& form, const std::string& name, int fallback, int min, int max, ErrorMap& errors,
          const i18n::Translator& tr);

// Queue code → name (floor and profile pages); a refused routing save in
// words for the form ("someone else changed it" for a stale version).
std::map<std::string, std::string> QueueNames(services::RoutingDesk& desk, const domain::Actor& actor);
ErrorMap RoutingErrors(const absl::Status& status, const i18n::Translator& tr, const char* changed_message);

Result WallboardPage(WebContext& ctx, const domain::Actor& actor, http::Request& request);
Result FloorPage(WebContext& ctx, const domain::Actor& actor, http::Request& request);
Result AgentPage(WebContext& ctx, const domain::Actor& actor, http::Request& request);
Result AgentStatePost(WebContext& ctx, const domain::Actor& actor, http::Request& request);
Result QueueList(WebContext& ctx, const domain::Actor& actor, http::Request& request);
Result QueueEdit(WebContext& ctx, const domain::Actor& actor, http::Request& request);
Result QueueDelete(WebContext& ctx, const domain::Actor& actor, http::Request& request);
Result ProfileList(WebContext& ctx, const domain::Actor& actor, http::Request& request);
Result ProfileEdit(WebContext& ctx, const domain::Actor& actor, http::Request& request);
Result ProfileDelete(WebContext& ctx, const domain::Actor& actor, http::Request& request);

}  // namespace onestop::web::supervisor_internal
