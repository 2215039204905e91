// The IVR of one call: walks the council's menus (domain/telephony.h) on the
// caller's digits and on time, and says what to do next — play some words,
// put the caller in a queue, or hang up. No audio and no SIP here: the call
// plays the words (media::PromptCache) and feeds back digits, "the words
// have been played" and the clock. Digits pressed while a prompt plays are
// taken at once (barge-in). Fixed phrases ("Please hold …") are message ids
// translated into the caller's language here, at the edge.
//
// Not thread-safe: one per call, used on the SIP thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "domain/telephony.h"

namespace onestop::i18n {
class Catalogs;
}

namespace onestop::sip {

struct Words {
  std::string text;
  std::string language;  // "en" / "cy"
  bool operator==(const Words&) const = default;
};

struct IvrStep {
  enum class Kind { kPlay, kQueue, kHangup };
  Kind kind = Kind::kPlay;
  std::vector<Words> say;  // kPlay: the words; kQueue: said before the queue's music
  std::string queue;       // kQueue
};

class Ivr {
 public:
  // `telephony`, `number` and `catalogs` outlive the Ivr.
  Ivr(const domain::Telephony& telephony, const domain::TelephoneNumber& number, const i18n::Catalogs& catalogs);

  IvrStep Start();
  // The words of the last kPlay have been played: a menu starts its
  // timeout; a message goes on to its next menu (or hangs up).
  std::optional<IvrStep> OnPlayed(absl::Time now);
  std::optional<IvrStep> OnDigit(char digit, absl::Time now);
  // The menu's timeout: its on_timeout action.
  std::optional<IvrStep> OnTick(absl::Time now);
  absl::Time deadline() const { return deadline_; }

  const std::string& language() const { return language_; }
  const std::string& menu() const { return menu_; }
  // Every digit the caller pressed, in order ("19" …), for the contact's record.
  const std::string& digits() const { return digits_; }
  bool finished() const { return finished_; }

 private:
  IvrStep Do(const domain::IvrAction& action);
  IvrStep EnterMenu(const std::string& id, std::vector<Words> before = {});
  IvrStep Queue(const std::string& queue);

  const domain::Telephony& telephony_;
  const i18n::Catalogs& catalogs_;
  std::string language_;
  std::string menu_;
  std::string after_message_;  // menu to enter when the message has played; "" = hang up
  bool in_message_ = false;
  bool finished_ = false;
  int retries_ = 0;
  std::string digits_;
  absl::Time deadline_ = absl::InfiniteFuture();
};

// The words a queued caller hears now and then: their place and the
// estimated wait (rounded up to whole minutes; none when unknown).
std::vector<Words> QueueAnnouncement(const i18n::Catalogs& catalogs, const std::string& language, int position,
                                     std::optional<absl::Duration> estimated_wait);

}  // namespace onestop::sip
