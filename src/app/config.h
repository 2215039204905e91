// Runtime configuration of `onestop serve`. Sources, weakest first: built-in
// defaults, the config file (--config, JSON), environment (ONESTOP_*), flags.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/calendar.h"

namespace onestop::app {

struct Config {
  std::string address = "127.0.0.1";
  int port = 8080;
  std::string database = "sqlite:var/onestop.db";
  std::string log_level = "info";
  // This node's search index directory; empty = derived from the database
  // (app/knowledge.h SearchDirFor). Each node needs its own.
  std::string search_dir;
  // This node's name among several on one database (config key "node_name",
  // flag --node-name, env ONESTOP_NODE_NAME); empty = "<hostname>-<pid>".
  std::string node_name;
  int io_threads = 0;  // 0 = one per core
  int worker_threads = 64;
  size_t body_limit_bytes = 1 << 20;
  int session_ttl_hours = 12;
  // Staff desktop cookies get the Secure flag (config key "secure_cookies",
  // env ONESTOP_SECURE_COOKIES=1): set it when nginx serves the site over TLS.
  bool secure_cookies = false;
  // Open311 jurisdiction_id (config key "jurisdiction_id", flag --jurisdiction-id);
  // empty = not configured (see open311/open311.h).
  std::string jurisdiction_id;
  // A council's template folder (config key "theme_dir", flag --theme-dir):
  // files with the same relative path as web/templates replace them.
  std::string theme_dir;
  // Working calendar: time zone, "HH:MM-HH:MM" or "closed" per weekday
  // (monday first), extra closure days on top of the bank holidays.
  std::string time_zone = "Europe/London";
  std::array<std::string, 7> hours = {"09:00-17:00", "09:00-17:00", "09:00-17:00",
                                      "09:00-17:00", "09:00-17:00", "closed",
                                      "closed"};
  std::vector<std::string> extra_holidays;
};

// Reads a JSON config file over `config` (keys as in Config; "calendar":
// {"time_zone", "hours": {"monday": "09:00-17:00", ...}, "extra_holidays": []}).
absl::Status LoadConfigFile(const std::string& path, Config& config);

// Applies ONESTOP_ADDRESS, ONESTOP_PORT, ONESTOP_DATABASE_URL, ONESTOP_LOG_LEVEL,
// ONESTOP_NODE_NAME and ONESTOP_SECURE_COOKIES.
absl::Status ApplyEnvironment(Config& config);

// The working calendar from the config and the shipped bank holidays.
absl::StatusOr<std::unique_ptr<domain::WorkingCalendar>> BuildCalendar(const Config& config);

}  // namespace onestop::app
