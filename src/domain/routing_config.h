// Routing configuration as the store keeps it: queue definitions and routing
// profiles. Plain values; the live routing facade (routing/live_engine.h)
// turns them into routing::QueueConfig / AgentConfig. Codes are short
// lower-case identifiers ([a-z0-9_-], 1..64), checked by ValidRoutingCode.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"

namespace onestop::domain {

// The media of routed work, in the order of RoutingProfile::capacity (and of
// routing::Media): the names the API, the council file and the log use.
inline constexpr std::array<std::string_view, 5> kRoutingMediaNames = {"voice", "chat", "email", "walk_in",
                                                                       "case_task"};

struct RoutingSkillRule {
  std::string skill;
  int min_level = 1;  // 1..5
  bool operator==(const RoutingSkillRule&) const = default;
};

// After `after_seconds` of waiting only the first `keep_skills` rules count
// (-1 = all) and each minimum drops by `level_drop`.
struct RoutingStepRule {
  int after_seconds = 0;
  int keep_skills = -1;
  int level_drop = 0;
  bool operator==(const RoutingStepRule&) const = default;
};

struct RoutingQueue {
  std::string code;
  std::string name;
  std::string strategy = "longest_idle";  // longest_idle, least_occupied, round_robin, best_fit
  std::vector<RoutingSkillRule> skills;
  std::vector<RoutingStepRule> steps;
  int priority_weight_seconds = 60;
  int ring_timeout_seconds = 20;
  int wrap_up_seconds = 0;
  int service_level_seconds = 20;
  // The medium of the queue's work (one of kRoutingMediaNames): the
  // wallboard puts voice queues first and shows no abandon rate for case
  // tasks (they are withdrawn when the case closes, not abandoned).
  std::string media = "voice";
  // The wallboard: tiles of one group sit together, groups and tiles within
  // a group in ascending order (then by name).
  std::string wallboard_group;
  int wallboard_order = 0;
  // Red / amber / green targets. Service level (% answered within
  // service_level_seconds): at or above green_pct is green, at or above
  // amber_pct amber, else red. Longest wait: at or above wait_amber_seconds
  // amber, at or above wait_red_seconds red; 0 = service_level_seconds and
  // twice that (RagWaitAmber / RagWaitRed).
  int sl_green_pct = 80;
  int sl_amber_pct = 60;
  int wait_amber_seconds = 0;
  int wait_red_seconds = 0;
  int64_t version = 1;  // assigned by the store: 1 on insert, +1 on each update
  bool operator==(const RoutingQueue&) const = default;
};

// The longest-wait thresholds in force (the defaults applied).
int RagWaitAmber(const RoutingQueue& queue);
int RagWaitRed(const RoutingQueue& queue);
// "green", "amber" or "red": the worse of the service level (a fraction
// 0..1; negative = nothing answered or abandoned yet, which does not count)
// and the longest wait now.
std::string_view RagStatus(const RoutingQueue& queue, double service_level, int64_t longest_wait_seconds);

struct RoutingProfileQueue {
  std::string queue;
  int priority = 1;  // lower first
  int delay_seconds = 0;
  bool operator==(const RoutingProfileQueue&) const = default;
};

// A routing profile applies to every staff member of `team` ("" = staff
// whose team has no profile of its own). Staff without any profile take work
// from every queue at priority 1.
struct RoutingProfile {
  std::string code;
  std::string name;
  std::string team;
  std::vector<RoutingProfileQueue> queues;
  std::array<int, 5> capacity{1, 3, 3, 1, 5};  // per kRoutingMediaNames
  int64_t version = 1;
  bool operator==(const RoutingProfile&) const = default;
};

bool ValidRoutingCode(std::string_view code);

// Text forms the stores keep in one column each ("skill:level;..." and so on;
// codes cannot contain ':' or ';'). Parsing never fails: malformed parts are skipped.
std::string FormatSkillRules(const std::vector<RoutingSkillRule>& rules);
std::vector<RoutingSkillRule> ParseSkillRules(std::string_view text);
std::string FormatStepRules(const std::vector<RoutingStepRule>& steps);
std::vector<RoutingStepRule> ParseStepRules(std::string_view text);
std::string FormatProfileQueues(const std::vector<RoutingProfileQueue>& queues);
std::vector<RoutingProfileQueue> ParseProfileQueues(std::string_view text);
std::string FormatCapacity(const std::array<int, 5>& capacity);
std::array<int, 5> ParseCapacity(std::string_view text);

}  // namespace onestop::domain
