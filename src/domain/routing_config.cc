#include "domain/routing_config.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace onestop::domain {
namespace {

int ToInt(std::string_view text, int fallback) {
  int value = 0;
  return absl::SimpleAtoi(std::string(text), &value) ? value : fallback;
}

std::vector<std::vector<std::string>> Split(std::string_view text) {
  std::vector<std::vector<std::string>> out;
  std::vector<std::string> parts = absl::StrSplit(std::string(text), ';', absl::SkipEmpty());
  for (const std::string& part : parts) {
    std::vector<std::string> fields = absl::StrSplit(part, ':');
    out.push_back(std::move(fields));
  }
  return out;
}

}  // namespace

int RagWaitAmber(const RoutingQueue& queue) {
  return queue.wait_amber_seconds > 0 ? queue.wait_amber_seconds : std::max(1, queue.service_level_seconds);
}

int RagWaitRed(const RoutingQueue& queue) {
  return queue.wait_red_seconds > 0 ? queue.wait_red_seconds : 2 * RagWaitAmber(queue);
}

std::string_view RagStatus(const RoutingQueue& queue, double service_level, int64_t longest_wait_seconds) {
  int level = 0;  // 0 green, 1 amber, 2 red
  if (service_level >= 0) {
    const double pct = service_level * 100;
    if (pct < queue.sl_amber_pct) {
      level = 2;
    } else if (pct < queue.sl_green_pct) {
      level = 1;
    }
  }
  if (longest_wait_seconds >= RagWaitRed(queue)) {
    level = 2;
  } else if (longest_wait_seconds >= RagWaitAmber(queue)) {
    level = std::max(level, 1);
  }
  return level == 2 ? "red" : level == 1 ? "amber" : "green";
}

bool ValidRoutingCode(std::string_view code) {
  if (code.empty() || code.size() > 64) return false;
  for (char ch : code) {
    bool ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
    if (!ok) return false;
  }
  return true;
}

std::string FormatSkillRules(const std::vector<RoutingSkillRule>& rules) {
  std::vector<std::string> parts;
  for (const RoutingSkillRule& r : rules) parts.push_back(absl::StrCat(r.skill, ":", r.min_level));
  return absl::StrJoin(parts, ";");
}

std::vector<RoutingSkillRule> ParseSkillRules(std::string_view text) {
  std::vector<RoutingSkillRule> out;
  for (const auto& fields : Split(text)) {
    if (fields.size() == 2) out.push_back({fields[0], ToInt(fields[1], 1)});
  }
  return out;
}

std::string FormatStepRules(const std::vector<RoutingStepRule>& steps) {
  std::vector<std::string> parts;
  for (const RoutingStepRule& s : steps) {
    parts.push_back(absl::StrCat(s.after_seconds, ":", s.keep_skills, ":", s.level_drop));
  }
  return absl::StrJoin(parts, ";");
}

std::vector<RoutingStepRule> ParseStepRules(std::string_view text) {
  std::vector<RoutingStepRule> out;
  for (const auto& f : Split(text)) {
    if (f.size() == 3) out.push_back({ToInt(f[0], 0), ToInt(f[1], -1), ToInt(f[2], 0)});
  }
  return out;
}

std::string FormatProfileQueues(const std::vector<RoutingProfileQueue>& queues) {
  std::vector<std::string> parts;
  for (const RoutingProfileQueue& q : queues) {
    parts.push_back(absl::StrCat(q.queue, ":", q.priority, ":", q.delay_seconds));
  }
  return absl::StrJoin(parts, ";");
}

std::vector<RoutingProfileQueue> ParseProfileQueues(std::string_view text) {
  std::vector<RoutingProfileQueue> out;
  for (const auto& f : Split(text)) {
    if (f.size() == 3) out.push_back({f[0], ToInt(f[1], 1), ToInt(f[2], 0)});
  }
  return out;
}

std::string FormatCapacity(const std::array<int, 5>& capacity) {
  return absl::StrJoin(capacity, ";");
}

std::array<int, 5> ParseCapacity(std::string_view text) {
  std::array<int, 5> out{1, 3, 3, 1, 5};
  std::vector<std::string> parts = absl::StrSplit(std::string(text), ';');
  for (size_t i = 0; i < parts.size() && i < out.size(); ++i) out[i] = ToInt(parts[i], out[i]);
  return out;
}

}  // namespace onestop::domain
