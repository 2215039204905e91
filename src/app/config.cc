#include "app/config.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "app/database_url.h"
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

// An IP address as bytes: 4 for IPv4 (also from "::ffff:a.b.c.d"), 16 for IPv6.
struct IpBytes {
  std::array<uint8_t, 16> bytes{};
  int size = 0;
};

std::optional<IpBytes> ParseIp(std::string_view text) {
  if (text.empty() || text.size() > 45) return std::nullopt;
  const std::string s(text);
  IpBytes ip;
  if (::inet_pton(AF_INET, s.c_str(), ip.bytes.data()) == 1) {
    ip.size = 4;
    return ip;
  }
  if (::inet_pton(AF_INET6, s.c_str(), ip.bytes.data()) == 1) {
    static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(ip.bytes.data(), kMapped, 12) == 0) {
      std::memmove(ip.bytes.data(), ip.bytes.data() + 12, 4);
      ip.size = 4;
    } else {
      ip.size = 16;
    }
    return ip;
  }
  return std::nullopt;
}

struct Cidr {
  IpBytes ip;
  int prefix_bits = 0;
};

// "192.0.2.0/24", "2001:db8::/32", or a single address (all its bits).
// An IPv4-mapped IPv6 block's prefix counts the 96 mapping bits.
std::optional<Cidr> ParseCidr(std::string_view text) {
  Cidr out;
  const size_t slash = text.find('/');
  std::optional<IpBytes> ip = ParseIp(text.substr(0, slash));
  if (!ip) return std::nullopt;
  out.ip = *ip;
  const bool mapped = ip->size == 4 && text.substr(0, slash).find(':') != std::string_view::npos;
  if (slash == std::string_view::npos) {
    out.prefix_bits = ip->size * 8;
    return out;
  }
  const std::string_view bits_text = text.substr(slash + 1);
  int bits = 0;
  if (bits_text.empty() || bits_text.size() > 3 ||
      !std::all_of(bits_text.begin(), bits_text.end(), absl::ascii_isdigit) ||
      !absl::SimpleAtoi(std::string(bits_text), &bits)) {
    return std::nullopt;
  }
  if (mapped) {
    if (bits < 96 || bits > 128) return std::nullopt;
    bits -= 96;
  }
  if (bits < 0 || bits > ip->size * 8) return std::nullopt;
  out.prefix_bits = bits;
  return out;
}

bool CidrContains(const Cidr& block, const IpBytes& ip) {
  if (block.ip.size != ip.size) return false;
  const int whole = block.prefix_bits / 8;
  if (std::memcmp(block.ip.bytes.data(), ip.bytes.data(), whole) != 0) return false;
  const int rest = block.prefix_bits % 8;
  if (rest == 0) return true;
  const uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (block.ip.bytes[whole] & mask) == (ip.bytes[whole] & mask);
}

// A host name (RFC 1123 letters, digits, '-' and '.').
bool ValidHostName(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  for (char c : host) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.') return false;
  }
  return host.front() != '-' && host.front() != '.';
}

}  // namespace

absl::Status ParseListenAddress(std::string_view key, const std::string& text, int example_port, std::string& host_out,
                                int& port_out) {
  auto bad = [&]() {
    return absl::InvalidArgumentError(absl::StrCat(std::string(key), " must look like HOST:PORT (e.g. 0.0.0.0:", example_port,
                                                   " or [::]:", example_port, "), got '", text, "'"));
  };
  std::string host;
  std::string_view port_text;
  if (text.starts_with('[')) {
    const size_t close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return bad();
    }
    host = text.substr(1, close - 1);
    std::optional<IpBytes> ip = ParseIp(host);
    if (!ip || host.find(':') == std::string::npos) return bad();
    port_text = std::string_view(text).substr(close + 2);
  } else {
    const size_t colon = text.rfind(':');
    if (colon == std::string::npos) return bad();
    host = text.substr(0, colon);
    if (host.find(':') != std::string::npos || !ValidHostName(host)) return bad();
    port_text = std::string_view(text).substr(colon + 1);
  }
  int port = -1;
  if (port_text.empty() || port_text.size() > 5 ||
      !std::all_of(port_text.begin(), port_text.end(), absl::ascii_isdigit) ||
      !absl::SimpleAtoi(std::string(port_text), &port) || port > 65535) {
    return bad();
  }
  host_out = host;
  port_out = port;
  return absl::OkStatus();
}

namespace {

absl::Status ParseListen(SipConfig& sip) {
  return ParseListenAddress("sip.listen", sip.listen, 5060, sip.listen_host, sip.listen_port);
}

absl::Status ParseRtpPorts(SipConfig& sip) {
  const std::string& text = sip.rtp_ports;
  const size_t dash = text.find('-');
  int first = 0, last = 0;
  auto number = [](std::string_view digits, int& out) {
    return !digits.empty() && digits.size() <= 5 &&
           std::all_of(digits.begin(), digits.end(), absl::ascii_isdigit) &&
           absl::SimpleAtoi(std::string(digits), &out);
  };
  if (dash == std::string::npos || !number(std::string_view(text).substr(0, dash), first) ||
      !number(std::string_view(text).substr(dash + 1), last)) {
    return absl::InvalidArgumentError("sip.rtp_ports must look like 20000-20999, got '" + text +
                                      "'");
  }
  if (first < 1024 || last > 65535 || first >= last || first % 2 != 0) {
    return absl::InvalidArgumentError(
        "sip.rtp_ports must be FIRST-LAST with FIRST even, FIRST < LAST, both in 1024..65535, got "
        "'" +
        text + "'");
  }
  sip.rtp_first = first;
  sip.rtp_last = last;
  return absl::OkStatus();
}

absl::Status ReadSip(const boost::json::value& value, SipConfig& sip) {
  for (const auto& [key, v] : value.as_object()) {
    if (key == "listen") {
      sip.listen = v.as_string().c_str();
    } else if (key == "rtp_ports") {
      sip.rtp_ports = v.as_string().c_str();
    } else if (key == "public_address") {
      sip.public_address = v.as_string().c_str();
    } else if (key == "realm") {
      sip.realm = v.as_string().c_str();
    } else if (key == "dial") {
      sip.dial = v.as_string().c_str();
    } else if (key == "trunks") {
      sip.trunks.clear();
      for (const auto& t : v.as_array()) {
        SipTrunk trunk;
        for (const auto& [tkey, tv] : t.as_object()) {
          if (tkey == "name") {
            trunk.name = tv.as_string().c_str();
          } else if (tkey == "addresses") {
            for (const auto& a : tv.as_array()) trunk.addresses.emplace_back(a.as_string().c_str());
          } else if (tkey == "username") {
            trunk.username = tv.as_string().c_str();
          } else if (tkey == "password") {
            trunk.password = tv.as_string().c_str();
          } else {
            return absl::InvalidArgumentError("unknown sip.trunks key '" + std::string(tkey) + "'");
          }
        }
        sip.trunks.push_back(std::move(trunk));
      }
    } else {
      return absl::InvalidArgumentError("unknown sip key '" + std::string(key) + "'");
    }
  }
  return absl::OkStatus();
}

}  // namespace

// sip.dial: HOST[:PORT][;transport=udp|tcp], HOST an IP ([v6]) or a name.
bool ValidDial(std::string_view text) {
  std::string_view target = text;
  if (const size_t semi = text.find(';'); semi != std::string_view::npos) {
    const std::string_view params = text.substr(semi);
    if (params != ";transport=udp" && params != ";transport=tcp") return false;
    target = text.substr(0, semi);
  }
  std::string host;
  std::string_view port_text;
  if (target.starts_with('[')) {
    const size_t close = target.find(']');
    if (close == std::string_view::npos) return false;
    host = std::string(target.substr(1, close - 1));
    if (!ParseIp(host)) return false;
    if (close + 1 < target.size()) {
      if (target[close + 1] != ':') return false;
      port_text = target.substr(close + 2);
      if (port_text.empty()) return false;
    }
  } else {
    const size_t colon = target.find(':');
    host = std::string(target.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = target.substr(colon + 1);
      if (port_text.empty()) return false;
    }
    if (host.empty() || !(ParseIp(host) || ValidHostName(host))) return false;
  }
  if (!port_text.empty()) {
    int port = 0;
    if (port_text.size() > 5 || !std::all_of(port_text.begin(), port_text.end(), absl::ascii_isdigit) ||
        !absl::SimpleAtoi(std::string(port_text), &port) || port < 1 || port > 65535) {
      return false;
    }
  }
  return true;
}

absl::Status ResolveSipConfig(SipConfig& sip) {
  ONESTOP_RETURN_IF_ERROR(ParseRtpPorts(sip));
  if (sip.listen.empty()) {
    sip.listen_host.clear();
    sip.listen_port = 0;
  } else {
    ONESTOP_RETURN_IF_ERROR(ParseListen(sip));
  }
  if (!sip.public_address.empty() && !ParseIp(sip.public_address) &&
      !ValidHostName(sip.public_address)) {
    return absl::InvalidArgumentError(
        "sip.public_address must be an IP address or a host name, got '" + sip.public_address +
        "'");
  }
  if (sip.realm.empty()) return absl::InvalidArgumentError("sip.realm must not be empty");
  if (!sip.dial.empty() && !ValidDial(sip.dial)) {
    return absl::InvalidArgumentError("sip.dial must look like HOST[:PORT][;transport=tcp], got '" + sip.dial + "'");
  }
  std::set<std::string> names;
  for (size_t idx = 0; idx < sip.trunks.size(); ++idx) {
    const SipTrunk& trunk = sip.trunks[idx];
    const std::string at = absl::StrCat("sip.trunks[", idx, "]");
    if (trunk.name.empty()) return absl::InvalidArgumentError(at + ".name must not be empty");
    if (!names.insert(trunk.name).second) {
      return absl::InvalidArgumentError(at + ".name '" + trunk.name + "' is used twice");
    }
    if (trunk.addresses.empty()) {
      return absl::InvalidArgumentError(at + " (" + trunk.name + ") needs at least one address");
    }
    for (const std::string& address : trunk.addresses) {
      if (!ParseCidr(address)) {
        return absl::InvalidArgumentError(at + ".addresses: '" + address +
                                          "' is not an IP address or CIDR block");
      }
    }
    if (trunk.username.empty() != trunk.password.empty()) {
      return absl::InvalidArgumentError(at + " (" + trunk.name +
                                        ") needs both a username and a password, or neither");
    }
  }
  if (!sip.listen.empty() && sip.trunks.empty()) {
    sip.trunks.push_back(SipTrunk{"local", {"127.0.0.1", "::1"}, "", ""});
  }
  return absl::OkStatus();
}

bool TrunkAllows(const SipTrunk& trunk, std::string_view ip) {
  std::optional<IpBytes> address = ParseIp(ip);
  if (!address) return false;
  for (const std::string& entry : trunk.addresses) {
    std::optional<Cidr> block = ParseCidr(entry);
    if (block && CidrContains(*block, *address)) return true;
  }
  return false;
}

const SipTrunk* FindTrunk(const SipConfig& sip, std::string_view ip) {
  for (const SipTrunk& trunk : sip.trunks) {
    if (TrunkAllows(trunk, ip)) return &trunk;
  }
  return nullptr;
}

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
      } else if (key == "recordings_dir") {
        config.recordings_dir = value.as_string().c_str();
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
      } else if (key == "lmtp_listen") {
        config.lmtp_listen = value.as_string().c_str();
      } else if (key == "smtp_url") {
        config.smtp_url = value.as_string().c_str();
      } else if (key == "smtp_username") {
        config.smtp_username = value.as_string().c_str();
      } else if (key == "smtp_password") {
        config.smtp_password = value.as_string().c_str();
      } else if (key == "mail_from") {
        config.mail_from = value.as_string().c_str();
      } else if (key == "notify") {
        for (const auto& [nkey, nvalue] : value.as_object()) {
          if (nkey == "base_url") {
            config.notify.base_url = nvalue.as_string().c_str();
          } else if (nkey == "api_key") {
            config.notify.api_key = nvalue.as_string().c_str();
          } else if (nkey == "callback_token") {
            config.notify.callback_token = nvalue.as_string().c_str();
          } else if (nkey == "templates") {
            config.notify.templates.clear();
            for (const auto& [code, id] : nvalue.as_object()) {
              config.notify.templates[std::string(code)] = id.as_string().c_str();
            }
          } else {
            return absl::InvalidArgumentError("unknown notify key '" + std::string(nkey) + "'");
          }
        }
      } else if (key == "sip") {
        ONESTOP_RETURN_IF_ERROR(ReadSip(value, config.sip));
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
  if (absl::Status s = ResolveSipConfig(config.sip); !s.ok()) {
    return absl::InvalidArgumentError("config file " + path + ": " + std::string(s.message()));
  }
  return absl::OkStatus();
}

absl::Status ApplyEnvironment(Config& config) {
  if (const char* v = std::getenv("ONESTOP_ADDRESS"); v && *v) config.address = v;
  if (const char* v = std::getenv("ONESTOP_DATABASE_URL"); v && *v) config.database = v;
  if (const char* v = std::getenv("ONESTOP_LOG_LEVEL"); v && *v) config.log_level = v;
  if (const char* v = std::getenv("ONESTOP_NODE_NAME"); v && *v) config.node_name = v;
  if (const char* v = std::getenv("ONESTOP_RECORDINGS_DIR"); v && *v) config.recordings_dir = v;
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
  if (const char* v = std::getenv("ONESTOP_SIP_DIAL"); v && *v) config.sip.dial = v;
  if (const char* v = std::getenv("ONESTOP_LMTP_LISTEN"); v && *v) config.lmtp_listen = v;
  if (const char* v = std::getenv("ONESTOP_SMTP_URL"); v && *v) config.smtp_url = v;
  if (const char* v = std::getenv("ONESTOP_SMTP_PASSWORD"); v && *v) config.smtp_password = v;
  if (const char* v = std::getenv("ONESTOP_NOTIFY_API_KEY"); v && *v) config.notify.api_key = v;
  if (const char* v = std::getenv("ONESTOP_NOTIFY_CALLBACK_TOKEN"); v && *v) config.notify.callback_token = v;
  if (const char* v = std::getenv("ONESTOP_SIP_LISTEN"); v && *v) {
    config.sip.listen = v;
    if (absl::Status s = ResolveSipConfig(config.sip); !s.ok()) {
      return absl::InvalidArgumentError("ONESTOP_SIP_LISTEN: " + std::string(s.message()));
    }
  }
  return absl::OkStatus();
}

std::string RecordingsDirFor(const Config& config) {
  if (!config.recordings_dir.empty()) return config.recordings_dir;
  absl::StatusOr<DatabaseUrl> url = ParseDatabaseUrl(config.database);
  if (url.ok() && url->kind == DatabaseUrl::Kind::kSqlite) {
    std::filesystem::path path(url->path);
    return (path.parent_path() / (path.stem().string() + ".recordings")).string();
  }
  uint64_t hash = 1469598103934665603ull;
  for (unsigned char c : RedactDatabaseUrl(config.database)) {
    hash = (hash ^ c) * 1099511628211ull;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  return absl::StrCat("var/recordings-", hex);
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
