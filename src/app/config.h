// Runtime configuration of `onestop serve`. Sources, weakest first: built-in
// defaults, the config file (--config, JSON), environment (ONESTOP_*), flags.
#pragma once

#include <array>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/calendar.h"

namespace onestop::app {

// A SIP peer allowed to send calls in (a carrier's session border
// controller, a PBX, a Kamailio in front): requests from any of its
// addresses are accepted, after digest authentication when a username is
// set.
struct SipTrunk {
  std::string name;                    // for logs: "carrier", "local"
  std::vector<std::string> addresses;  // IPv4/IPv6 literals or CIDR: "192.0.2.10", "2001:db8::/32"
  std::string username;                // empty = the address allow-list alone
  std::string password;
  bool operator==(const SipTrunk&) const = default;
};

// The SIP front end (config key "sip", docs/deploy.md#telephony-sip). Empty
// `listen` = no SIP. Call ResolveSipConfig after the last source (file,
// environment, flags) has been applied: it checks the values, fills
// rtp_first/rtp_last and adds the default trunk.
struct SipConfig {
  std::string listen;                      // "HOST:PORT" (UDP and TCP); "[::1]:5060" for IPv6
  std::string rtp_ports = "20000-20999";   // "FIRST-LAST": FIRST even, FIRST < LAST, 1024..65535
  int rtp_first = 20000;                   // from rtp_ports
  int rtp_last = 20999;
  std::string public_address;  // written in SDP and Contact; empty = the listen host
  std::string realm = "onestop";  // digest authentication realm
  // Peers whose calls are accepted. None configured while `listen` is set:
  // one trunk "local" trusting 127.0.0.1 (and ::1) only, added by
  // ResolveSipConfig.
  std::vector<SipTrunk> trunks;
  // Where calls out (call backs) are sent: "HOST[:PORT][;transport=tcp]" —
  // the council's SBC or carrier, the number dialled as the user part.
  // Empty = no calls out: callers are not offered a call back.
  std::string dial;
  // From `listen`, by ResolveSipConfig: the host without brackets, the port.
  std::string listen_host;
  int listen_port = 0;
};

struct Config {
  std::string address = "127.0.0.1";
  int port = 8080;
  std::string database = "sqlite:var/onestop.db";
  std::string log_level = "info";
  // This node's search index directory; empty = derived from the database
  // (app/knowledge.h SearchDirFor). Each node needs its own.
  std::string search_dir;
  // Where call recordings are written and read (config key "recordings_dir",
  // flag --recordings-dir, env ONESTOP_RECORDINGS_DIR); empty = derived from
  // the database (RecordingsDirFor). Nodes sharing a database must share
  // this directory (a network file system), or a recording made on one node
  // cannot be played or purged from another.
  std::string recordings_dir;
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
  SipConfig sip;
  // Email in over LMTP (config key "lmtp_listen", flag --lmtp-listen, env
  // ONESTOP_LMTP_LISTEN): "HOST:PORT" the council's MTA delivers to; empty =
  // no email in. The mailboxes come from the council file (app/mailboxes.h).
  std::string lmtp_listen;
  // Email out (config keys "smtp_url", "smtp_username", "smtp_password",
  // "mail_from"; flag --smtp-url; env ONESTOP_SMTP_URL, ONESTOP_SMTP_PASSWORD):
  // the council's relay, smtp://host:port or smtps://host:port (STARTTLS is
  // required unless the relay is on loopback); empty = nothing is sent (the
  // outbox keeps every message queued). mail_from is the address replies
  // come from when a case has no mailbox of its own ("" = the first mailbox).
  std::string smtp_url;
  std::string smtp_username;
  std::string smtp_password;
  std::string mail_from;
  // Texts out through GOV.UK Notify (config key "notify": {"base_url",
  // "api_key", "templates": {"case_reply": "<template id>", "case_reply.cy":
  // …}, "callback_token"}; env ONESTOP_NOTIFY_API_KEY,
  // ONESTOP_NOTIFY_CALLBACK_TOKEN). No api_key = no texts.
  struct Notify {
    std::string base_url = "https://api.notifications.service.gov.uk";
    std::string api_key;
    std::map<std::string, std::string> templates;
    std::string callback_token;
  } notify;
};

// Reads a JSON config file over `config` (keys as in Config; "calendar":
// {"time_zone", "hours": {"monday": "09:00-17:00", ...}, "extra_holidays": []}).
absl::Status LoadConfigFile(const std::string& path, Config& config);

// Applies ONESTOP_ADDRESS, ONESTOP_PORT, ONESTOP_DATABASE_URL, ONESTOP_LOG_LEVEL,
// ONESTOP_NODE_NAME, ONESTOP_SECURE_COOKIES, ONESTOP_SIP_LISTEN and
// ONESTOP_RECORDINGS_DIR.
absl::Status ApplyEnvironment(Config& config);

// Checks `sip` and completes it: listen is "" or HOST:PORT (port 1..65535,
// or 0 for any free port); rtp_ports parses into rtp_first/rtp_last;
// public_address, when set, is an IP literal or host name; each trunk has a
// name, at least one valid address or CIDR block, and a password when it
// has a username. With `listen` set and no trunks, adds the "local" trunk
// (127.0.0.1, ::1). InvalidArgument naming the key. Idempotent.
absl::Status ResolveSipConfig(SipConfig& sip);

// "HOST:PORT" or "[v6]:PORT" as a listener takes it (sip.listen,
// lmtp_listen); InvalidArgument naming `key` otherwise.
absl::Status ParseListenAddress(std::string_view key, const std::string& text, int example_port, std::string& host,
                                int& port);

// True if `ip` (an IPv4 or IPv6 literal, e.g. a request's source address)
// is one of the trunk's addresses or inside one of its CIDR blocks. An
// IPv4-mapped IPv6 address ("::ffff:192.0.2.1") is compared as IPv4.
// Unparseable input is never allowed.
bool TrunkAllows(const SipTrunk& trunk, std::string_view ip);
// The first trunk allowing `ip`, or null.
const SipTrunk* FindTrunk(const SipConfig& sip, std::string_view ip);

// The call recordings directory: config.recordings_dir when set; else, for
// a SQLite database, "<stem>.recordings" beside its file
// ("var/onestop.db" -> "var/onestop.recordings"); else (PostgreSQL)
// "var/recordings-<16 hex digits of FNV-1a of the URL without its
// password>", so test databases on one machine do not share one.
std::string RecordingsDirFor(const Config& config);

// The working calendar from the config and the shipped bank holidays.
absl::StatusOr<std::unique_ptr<domain::WorkingCalendar>> BuildCalendar(const Config& config);

}  // namespace onestop::app
