// Spoken prompts: text → 8 kHz PCM with espeak-ng (voice "en-gb" for "en",
// "cy" for Welsh), resampled from espeak's 22.05 kHz with libsoxr, level
// normalised to about −16 dBFS. espeak-ng is one global engine: Say() takes a
// process-wide mutex. PromptCache keeps each (language, text) once, so a
// menu's prompt is synthesised at start-up (Warm) or on first use and then
// shared by every call (SharedPcm is immutable).
//
// Threads: any.
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "media/audio.h"

namespace onestop::media {

// InvalidArgument for empty text or an unknown language; Internal when
// espeak-ng cannot start (its data files missing).
absl::StatusOr<SharedPcm> Say(std::string_view text, std::string_view language);

class PromptCache {
 public:
  absl::StatusOr<SharedPcm> Get(std::string_view text, std::string_view language);
  // Synthesises every (text, language) now; the first error is returned,
  // the others are still tried.
  absl::Status Warm(const std::vector<std::pair<std::string, std::string>>& texts);
  size_t size() const;
  size_t bytes() const;  // PCM held

 private:
  mutable std::mutex mu_;
  absl::flat_hash_map<std::string, SharedPcm> cache_;  // "<lang>\n<text>"
};

}  // namespace onestop::media
