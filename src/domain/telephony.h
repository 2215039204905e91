// The council's telephone front door (council file "telephony"): the numbers
// onestop answers and the IVR menus callers hear. A number leads to a first
// menu; a menu plays its prompt in the caller's language and waits for a
// digit; each digit does one thing — put the caller in a routing queue, go to
// another menu, play a recorded message (then hang up or return to a menu),
// switch the caller's language, or "speak to someone" (the operator queue).
// No digit within the menu's timeout does the menu's `on_timeout` action.
// Calls of the queues listed in `recording` are recorded and kept for that
// queue's retention; `survey`, when set, asks the caller of a covered queue
// for a 1-5 score after the agent hangs up.
// Plain values; any thread.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace onestop::domain {

// Words to be spoken, in English and (optionally) Welsh; a missing Welsh
// text falls back to English.
struct SpokenText {
  std::string en;
  std::string cy;
  const std::string& In(std::string_view lang) const { return lang == "cy" && !cy.empty() ? cy : en; }
  bool operator==(const SpokenText&) const = default;
};

enum class IvrActionKind { kQueue, kMenu, kMessage, kLanguage, kOperator };
std::string_view IvrActionKindName(IvrActionKind kind);  // "queue", "menu", "message", "language", "operator"

struct IvrAction {
  IvrActionKind kind = IvrActionKind::kOperator;
  std::string queue;     // kQueue: a routing queue code
  std::string menu;      // kMenu: the menu to go to; kLanguage/kMessage: the menu after (empty = hang up after a message, the same menu after a language change)
  std::string language;  // kLanguage: "en" or "cy"
  SpokenText message;    // kMessage: what is said
  bool operator==(const IvrAction&) const = default;
};

struct IvrOption {
  char digit = '0';  // 0-9, * or #
  IvrAction action;
  bool operator==(const IvrOption&) const = default;
};

struct IvrMenu {
  std::string id;  // lower-case letters, digits, '-' and '_'
  SpokenText prompt;
  std::vector<IvrOption> options;
  int timeout_seconds = 10;  // after the prompt ends
  IvrAction on_timeout;      // defaults to the operator queue
  // A digit no option has: say so and play the prompt again, at most this
  // many times, then do on_timeout.
  int max_retries = 2;
  const IvrOption* Option(char digit) const {
    for (const IvrOption& o : options) if (o.digit == digit) return &o;
    return nullptr;
  }
  bool operator==(const IvrMenu&) const = default;
};

struct TelephoneNumber {
  std::string number;    // as dialled, digits only (a leading + allowed): "01632960000"
  std::string name;      // "Main switchboard"
  std::string menu;      // the first menu
  std::string language = "en";  // the caller's language until they choose
  bool operator==(const TelephoneNumber&) const = default;
};

// "recording": [{"queue": "council-tax", "retention_days": 90}]: calls of
// that queue are recorded; the file and its row are deleted after
// retention_days (1..3650).
inline constexpr int kMinRecordingRetentionDays = 1;
inline constexpr int kMaxRecordingRetentionDays = 3650;
struct CallRecordingRule {
  std::string queue;
  int retention_days = 90;
  bool operator==(const CallRecordingRule&) const = default;
};

// "survey": after the agent's side hangs up, a caller of a covered queue
// hears `prompt`, presses 1 (very poor) to 5 (very good) within
// `timeout_seconds` (1..60), then hears `thanks` (empty: nothing) and the
// call ends. Any other key or no key: no answer is recorded.
struct CallSurveyPolicy {
  std::vector<std::string> queues;  // empty = every queue
  SpokenText prompt;
  SpokenText thanks;
  int timeout_seconds = 8;
  bool Covers(std::string_view queue) const {
    if (queues.empty()) return true;
    for (const std::string& q : queues) if (q == queue) return true;
    return false;
  }
  bool operator==(const CallSurveyPolicy&) const = default;
};

struct Telephony {
  std::vector<TelephoneNumber> numbers;
  std::vector<IvrMenu> menus;  // "ivr": {"menus": [...]}
  std::string operator_queue = "general";  // "speak to someone"
  // While queued: position and estimated wait every `announce_seconds`
  // (0 = only on entry), hold music between.
  int announce_seconds = 45;
  // A digit a queued caller presses to be called back (keeping their place);
  // 0 / '\0' = no callback offer.
  char callback_digit = '\0';
  // Queues whose calls are recorded (none = nothing is recorded).
  std::vector<CallRecordingRule> recording;
  // The post-call survey; nullopt = no survey.
  std::optional<CallSurveyPolicy> survey;
  // Days a call of `queue` is kept when it is recorded; nullopt = the
  // queue's calls are not recorded.
  std::optional<int> RecordingRetentionDays(std::string_view queue) const {
    for (const CallRecordingRule& rule : recording) {
      if (rule.queue == queue) return rule.retention_days;
    }
    return std::nullopt;
  }
  const IvrMenu* Menu(std::string_view id) const {
    for (const IvrMenu& m : menus) if (m.id == id) return &m;
    return nullptr;
  }
  // The number dialled (digits compared, a leading + and spaces ignored).
  const TelephoneNumber* Number(std::string_view dialled) const;
  bool operator==(const Telephony&) const = default;
};

// Checks references: every number's menu exists, every kMenu target exists,
// languages are "en"/"cy", digits are 0-9*#, unique per menu, prompts are
// not empty; recording rules name a queue once each with a retention of
// 1..3650 days; the survey's queues exist, its prompt (and thanks, when
// given) has English words and its timeout is 1..60 s. `queue_exists` says whether a routing queue code is known
// (null: queue codes are not checked). InvalidArgument naming the first
// problem (a code, e.g. "telephony.ivr.menus[main].options[1]: unknown queue").
absl::Status ValidateTelephony(const Telephony& telephony,
                               const std::function<bool(std::string_view)>& queue_exists = nullptr);

}  // namespace onestop::domain
