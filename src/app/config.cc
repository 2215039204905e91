#include "app/config.h"

#include <boost/json.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/time/civil_time.h"
#include "common/status.h"
#include "common/time_format.h"
#include "data/embedded.h"

namespace onestop::app {
namespace {

constexpr const char* kDayNames[7] = {"monday", "tuesday",  "wednesday", "thursday",
                                      "friday", "saturday", "sunday"};

absl::StatusOr<domain::WorkingHours> ParseHours(const std::string& text) {
  if (text == "closed") return domain::WorkingHours{0, 0};
  int h1, m1, h2, m2;
  char dash;
  std::istringstream in(text);
  char colon1, colon2;
  if (text.size() != 11 || !(in >> h1 >> colon1 >> m1 >> dash >> h2 >> colon2 >> m2) ||
      colon1 != ':' || colon2 != ':' || dash != '-' || h1 < 0 || h1 > 24 || h2 < 0 || h2 > 24 ||
      m1 < 0 || m1 > 59 || m2 < 0 || m2 > 59 || h1 * 60 + m1 >= h2 * 60 + m2 ||
      h2 * 60 + m2 > 24 * 60) {
    return absl::InvalidArgumentError("working hours must look like 09:00-17:00 or closed, got '" +
                                      text + "'");
  }
  return domain::WorkingHours{h1 * 60 + m1, h2 * 60 + m2};
}

}  // namespace

absl::Status LoadConfigFile(const std::string& path, Config& config) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError("cannot read config file " + path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  boost::system::error_code ec;
  boost::json::value root = boost::json::parse(buffer.str(), ec);
  if (ec || !root.is_object()) {
    return absl::InvalidArgumentError("config file " + path + " is not a JSON object: " +
                                      ec.message());
  }
  try {
    for (const auto& [key, value] : root.as_object()) {
      if (key == "address") {
        config.address = value.as_string().c_str();
      } else if (key == "port") {
        config.port = static_cast<int>(value.as_int64());
      } else if (key == "database") {
        config.database = value.as_string().c_str();
      } else if (key == "search_dir") {
        config.search_dir = value.as_string().c_str();
      } else if (key == "node_name") {
        config.node_name = value.as_string().c_str();
      } else if (key == "log_level") {
        config.log_level = value.as_string().c_str();
      } else if (key == "io_threads") {
        config.io_threads = static_cast<int>(value.as_int64());
      } else if (key == "worker_threads") {
        config.worker_threads = static_cast<int>(value.as_int64());
      } else if (key == "body_limit_bytes") {
        config.body_limit_bytes = static_cast<size_t>(value.as_int64());
      } else if (key == "session_ttl_hours") {
        config.session_ttl_hours = static_cast<int>(value.as_int64());
      } else if (key == "secure_cookies") {
        config.secure_cookies = value.as_bool();
      } else if (key == "jurisdiction_id") {
        config.jurisdiction_id = value.as_string().c_str();
      } else if (key == "theme_dir") {
        config.theme_dir = value.as_string().c_str();
      } else if (key == "calendar") {
        for (const auto& [ckey, cvalue] : value.as_object()) {
          if (ckey == "time_zone") {
            config.time_zone = cvalue.as_string().c_str();
          } else if (ckey == "hours") {
            for (const auto& [day, hours] : cvalue.as_object()) {
              int index = -1;
              for (int i = 0; i < 7; ++i) {
                if (day == kDayNames[i]) index = i;
              }
              if (index < 0) {
                return absl::InvalidArgumentError("unknown weekday '" + std::string(day) + "'");
              }
              config.hours[index] = hours.as_string().c_str();
            }
          } else if (ckey == "extra_holidays") {
            config.extra_holidays.clear();
            for (const auto& day : cvalue.as_array()) {
              config.extra_holidays.emplace_back(day.as_string().c_str());
            }
          } else {
            return absl::InvalidArgumentError("unknown calendar key '" + std::string(ckey) + "'");
          }
        }
      } else {
        return absl::InvalidArgumentError("unknown config key '" + std::string(key) + "'");
      }
    }
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError("config file " + path + " has a value of the wrong type: " +
                                      e.what());
  }
  return absl::OkStatus();
}

absl::Status ApplyEnvironment(Config& config) {
  if (const char* v = std::getenv("ONESTOP_ADDRESS"); v && *v) config.address = v;
  if (const char* v = std::getenv("ONESTOP_DATABASE_URL"); v && *v) config.database = v;
  if (const char* v = std::getenv("ONESTOP_LOG_LEVEL"); v && *v) config.log_level = v;
  if (const char* v = std::getenv("ONESTOP_NODE_NAME"); v && *v) config.node_name = v;
  if (const char* v = std::getenv("ONESTOP_SECURE_COOKIES"); v && *v) {
    const std::string text(v);
    if (text == "1" || text == "true") {
      config.secure_cookies = true;
    } else if (text == "0" || text == "false") {
      config.secure_cookies = false;
    } else {
      return absl::InvalidArgumentError("ONESTOP_SECURE_COOKIES must be 1, 0, true or false");
    }
  }
  if (const char* v = std::getenv("ONESTOP_PORT"); v && *v) {
    if (!absl::SimpleAtoi(v, &config.port)) {
      return absl::InvalidArgumentError("ONESTOP_PORT must be a number");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<domain::WorkingCalendar>> BuildCalendar(const Config& config) {
  absl::TimeZone zone;
  if (config.time_zone == "Europe/London") {
    zone = LondonTimeZone();
  } else if (!absl::LoadTimeZone(config.time_zone, &zone)) {
    return absl::InvalidArgumentError("unknown time zone '" + config.time_zone + "'");
  }
  ONESTOP_ASSIGN_OR_RETURN(auto holidays,
                           domain::ParseHolidayList(data::kBankHolidaysEnglandWales));
  for (const auto& text : config.extra_holidays) {
    absl::CivilDay day;
    if (!absl::ParseCivilTime(text, &day)) {
      return absl::InvalidArgumentError("extra holiday must be YYYY-MM-DD, got '" + text + "'");
    }
    holidays.insert(day);
  }
  domain::CalendarConfig calendar = domain::CalendarConfig::Default(zone, std::move(holidays));
  for (int i = 0; i < 7; ++i) {
    ONESTOP_ASSIGN_OR_RETURN(calendar.hours[i], ParseHours(config.hours[i]));
  }
  return std::make_unique<domain::WorkingCalendar>(std::move(calendar));
}

}  // namespace onestop::app
