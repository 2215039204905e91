// OnestopProcess: the real `onestop` binary, run as a child process for
// integration tests that talk HTTP to it over loopback.
//
// Each instance owns a fresh temporary directory holding its SQLite database
// (t.db) and the server's stderr (server.log, JSON lines). With
// ONESTOP_TEST_STORE=postgres the database is instead a fresh schema in
// $ONESTOP_TEST_POSTGRES_URL (scripts/with-postgres.sh); a second instance
// may share the first one's database (several nodes on one PostgreSQL). Seed() loads the
// demo council with `onestop seed-demo`; Start() runs `onestop serve --port 0`
// and waits for the "listening on http://127.0.0.1:PORT" line on stdout;
// Stop() sends SIGTERM and returns the exit status (0 = graceful shutdown).
// Start() may be called again after Stop() on the same database, which is how
// the durability tests restart the server. The destructor kills a server that
// is still running and removes the directory (kept when ONESTOP_KEEP_TEST_DIRS
// is set, for post-mortems).
//
// The binary is $ONESTOP_BINARY, else the path CMake compiled in
// (ONESTOP_BINARY_PATH).
//
// Threads: an OnestopProcess is driven from one thread (the test's); the
// server it runs is of course shared by any number of client threads.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace onestop::integration {

// The outcome of running the binary as a one-shot command.
struct CommandResult {
  int exit_code = -1;  // -1: did not exit normally (signal, timeout, exec failure)
  std::string out;     // stdout
  std::string err;     // stderr
};

class OnestopProcess {
 public:
  OnestopProcess();
  // Another node on an existing database (a database_url() of another process).
  explicit OnestopProcess(std::string database_url);
  ~OnestopProcess();

  // True when ONESTOP_TEST_STORE=postgres: the suite runs on PostgreSQL.
  static bool UsesPostgres();
  // Non-empty when the suite should be skipped: PostgreSQL was asked for but
  // ONESTOP_TEST_POSTGRES_URL is not set.
  static std::string SkipReason();
  OnestopProcess(const OnestopProcess&) = delete;
  OnestopProcess& operator=(const OnestopProcess&) = delete;

  // The binary under test.
  static std::string BinaryPath();

  // Runs `onestop <args...>` to completion with `stdin_text` on its stdin.
  static CommandResult Run(const std::vector<std::string>& args, const std::string& stdin_text = "",
                           std::chrono::seconds timeout = std::chrono::seconds(60));

  // `onestop seed-demo --database <url> --log-level warn`; true on exit 0.
  // Failures are reported with ADD_FAILURE.
  bool Seed();
  // Starts `onestop serve` on the database; true once it listens.
  bool Start(std::chrono::seconds timeout = std::chrono::seconds(20));
  // SIGTERM, then waits; returns the exit code, or -1 if it died by a signal
  // or had to be killed after `timeout`.
  int Stop(std::chrono::seconds timeout = std::chrono::seconds(20));
  // True while the child has not exited (reaps it if it has).
  bool Alive();

  uint16_t port() const { return port_; }
  // Arguments added to `onestop serve` by Start() (e.g. --sip-listen 127.0.0.1:0).
  void set_extra_args(std::vector<std::string> args) { extra_args_ = std::move(args); }
  // The SIP port from the server's "sip listening on HOST:PORT" line; 0 without SIP.
  uint16_t sip_port() const { return sip_port_; }
  // The LMTP port from "lmtp listening on HOST:PORT"; 0 without email in.
  uint16_t lmtp_port() const { return lmtp_port_; }
  const std::string& dir() const { return dir_; }
  std::string database_path() const { return dir_ + "/t.db"; }
  std::string database_url() const { return database_url_; }
  // Everything the server has written to stderr so far (all runs).
  std::string ReadLog() const;
  std::string log_path() const { return dir_ + "/server.log"; }

  // POST /api/v1/session; returns the bearer token, or "" (with ADD_FAILURE)
  // if the login fails.
  std::string Login(const std::string& email, const std::string& password) const;

  // SIGKILL, as a crash: no graceful shutdown. Start() may follow.
  void Kill();

 private:

  std::string dir_;
  std::string database_url_;
  pid_t pid_ = -1;
  int stdout_fd_ = -1;  // read end of the child's stdout, kept open while it runs
  uint16_t port_ = 0;
  uint16_t sip_port_ = 0;
  uint16_t lmtp_port_ = 0;
  std::vector<std::string> extra_args_;
};

}  // namespace onestop::integration
