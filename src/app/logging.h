// Structured logs: one JSON object per line on stderr, UTC timestamps.
// {"time":"2026-11-25T09:30:00.123Z","level":"info","msg":"..."}
#pragma once

#include <string>

#include "absl/status/status.h"

namespace onestop::app {

// level: trace, debug, info, warn, error, critical, off.
absl::Status SetUpLogging(const std::string& level);

}  // namespace onestop::app
