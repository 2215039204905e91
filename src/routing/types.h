// Routing vocabulary: media, presence, strategies, queue and agent
// configuration, work items and the queue_log-like routing event. Plain
// values, no behaviour beyond name conversions.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"

namespace onestop::routing {

enum class Media : uint8_t { kVoice, kChat, kEmail, kWalkIn, kCaseTask };
inline constexpr int kMediaCount = 5;
std::string_view MediaName(Media m);  // "voice", "chat", "email", "walk_in", "case_task"
std::optional<Media> ParseMedia(std::string_view name);
// Voice and walk-in take the whole agent (a call uses 100% of capacity).
inline bool IsExclusive(Media m) { return m == Media::kVoice || m == Media::kWalkIn; }

// What the agent chose (offline / available / on break); busy and wrap-up are
// derived from the work the agent holds and shown by DisplayPresence.
enum class Presence : uint8_t { kOffline, kAvailable, kOnBreak, kBusy, kWrapUp };
std::string_view PresenceName(Presence p);  // "offline", "available", "on_break", "busy", "wrap_up"
std::optional<Presence> ParsePresence(std::string_view name);

enum class Strategy : uint8_t { kLongestIdle, kLeastOccupied, kRoundRobin, kBestFit };
std::string_view StrategyName(Strategy s);  // "longest_idle", "least_occupied", "round_robin", "best_fit"
std::optional<Strategy> ParseStrategy(std::string_view name);

struct SkillRequirement {
  std::string skill;
  int min_level = 1;  // 1..5
  bool operator==(const SkillRequirement&) const = default;
};

// An expanding skill step: once an item has waited `after_seconds`, only its
// first `keep_skills` requirements still count (-1 = all) and each minimum
// level drops by `level_drop` (never below 1). Steps are applied in order of
// after_seconds; keep_skills = 0 lets any agent of the queue take the item.
struct SkillStep {
  int after_seconds = 0;
  int keep_skills = -1;
  int level_drop = 0;
  bool operator==(const SkillStep&) const = default;
};

struct QueueConfig {
  std::string id;  // stable code, e.g. "council-tax"
  std::string name;
  Strategy strategy = Strategy::kLongestIdle;
  std::vector<SkillRequirement> skills;  // default requirements of items without their own
  std::vector<SkillStep> steps;
  int priority_weight_seconds = 60;  // one point of item priority = this many seconds of waiting
  int ring_timeout_seconds = 20;     // offer → no-answer after this; 0 = never times out
  int wrap_up_seconds = 0;           // after complete; 0 = straight back to available
  int service_level_seconds = 20;    // the Y of X/Y on the wallboard
  // The medium of the queue's usual work: which agents count as able to
  // take it (QueueView::available_eligible). Items of any medium may enter.
  Media media = Media::kVoice;
  bool operator==(const QueueConfig&) const = default;
};

// One line of a routing profile: the agent takes work from `queue`, queues
// with a lower `priority` number first; an item becomes visible to this agent
// only after it has waited `delay_seconds`.
struct ProfileEntry {
  std::string queue;
  int priority = 1;
  int delay_seconds = 0;
  bool operator==(const ProfileEntry&) const = default;
};

struct AgentSkill {
  std::string skill;
  int level = 3;  // 1..5
  bool operator==(const AgentSkill&) const = default;
};

struct AgentConfig {
  int64_t id = 0;  // staff id
  std::string name;
  std::vector<AgentSkill> skills;
  std::array<int, kMediaCount> capacity{1, 3, 3, 1, 5};  // per Media
  std::vector<ProfileEntry> profile;
  bool operator==(const AgentConfig&) const = default;
};

struct NewItem {
  Media media = Media::kVoice;
  std::string queue;
  int priority = 0;                      // higher = sooner
  std::vector<SkillRequirement> skills;  // empty: the queue's defaults
  std::string caller;                    // caller id / phone number, free text
  std::string reference;                 // e.g. a case reference for case tasks
  // Non-zero: the item waits for this agent only (a call out the agent
  // asked for: click-to-dial), as a transfer to an agent does.
  int64_t to_agent = 0;
};

// One routing event with Asterisk queue_log-like fields. `type` is one of:
// enter, offer, connect(wait, ring), reject, no_answer(ring), complete(wait,
// talk), wrap_up_end, abandon(wait, position, original_position),
// transfer(to_queue | to_agent), requeue, presence(presence, reason).
// Times are in seconds. Together with the queue and agent configuration the
// sequence of events is enough to rebuild the engine (Engine::Replay).
struct RoutingEvent {
  absl::Time at;
  std::string type;
  int64_t item_id = 0;
  std::string queue;
  int64_t agent_id = 0;
  Media media = Media::kVoice;
  int priority = 0;
  std::vector<SkillRequirement> skills;
  std::string caller;
  std::string reference;
  double wait_seconds = 0;
  double ring_seconds = 0;
  double talk_seconds = 0;
  int position = 0;
  int original_position = 0;
  std::string presence;
  std::string reason;
  std::string to_queue;
  int64_t to_agent = 0;
  int wrap_up_seconds = 0;
  bool operator==(const RoutingEvent&) const = default;
};

// Receives every event the engine emits, on the engine's thread, while the
// engine call is still running: implementations must not call back into the
// engine.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void OnEvent(const RoutingEvent& event) = 0;
};

}  // namespace onestop::routing
