// A recorded telephone call and a caller's post-call survey answer (tables
// call_recordings / call_surveys). The SIP server records the calls of the
// queues the council's telephony policy lists (domain/telephony.h
// Telephony::recording) as a mono 8 kHz 16-bit WAV file in the node's
// recordings directory, and stores one CallRecording row per file with the
// time after which housekeeping deletes file and row. The card-payment pause
// (PCI DSS) leaves silence in the file: `paused_ms` and `pauses` say how much
// and how often.
//
// Plain values; any thread.
#pragma once

#include <cstdint>
#include <string>

#include "absl/time/time.h"

namespace onestop::domain {

struct CallRecording {
  int64_t id = 0;
  int64_t interaction_id = 0;  // the routed interaction (routing item id) recorded
  int64_t contact_id = 0;      // the interaction's contact; 0 = none (stored NULL)
  std::string queue;           // the routing queue the call came through
  // The file, relative to the recordings directory ("2026/12/07/123.wav"):
  // no "..", not absolute (see ValidRecordingPath).
  std::string path;
  absl::Time started_at;
  int64_t duration_ms = 0;  // of the whole file, pauses included
  int64_t paused_ms = 0;    // silence written while recording was paused
  int pauses = 0;           // how many times it was paused
  int64_t bytes = 0;        // of the file
  absl::Time delete_after;  // housekeeping deletes file and row after this
  bool operator==(const CallRecording&) const = default;
};

inline constexpr int kMinSurveyScore = 1;  // very poor
inline constexpr int kMaxSurveyScore = 5;  // very good

struct CallSurvey {
  int64_t id = 0;
  int64_t interaction_id = 0;  // one answer per interaction
  int64_t contact_id = 0;      // the interaction's contact; 0 = none (stored NULL)
  std::string queue;
  int64_t agent_id = 0;  // the staff member who took the call
  int score = 0;         // kMinSurveyScore..kMaxSurveyScore
  absl::Time answered_at;
  bool operator==(const CallSurvey&) const = default;
};

// started_at + retention_days whole days.
inline absl::Time RecordingDeleteAfter(absl::Time started_at, int retention_days) {
  return started_at + absl::Hours(24) * retention_days;
}

// A path a recording may have: relative, non-empty, at most 255 bytes,
// segments of A-Z a-z 0-9 - _ . that are not "." or "..".
bool ValidRecordingPath(const std::string& path);

}  // namespace onestop::domain
