#include "onestop_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include "http/testing/test_client.h"

#ifndef ONESTOP_BINARY_PATH
#define ONESTOP_BINARY_PATH "onestop"
#endif

namespace onestop::integration {
namespace {

constexpr std::string_view kListeningPrefix = "listening on http://";
constexpr std::string_view kSipListeningPrefix = "sip listening on ";
constexpr std::string_view kLmtpListeningPrefix = "lmtp listening on ";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

// argv for execv, built before fork (nothing but async-signal-safe calls may
// run in the child between fork and exec).
struct Argv {
  explicit Argv(const std::vector<std::string>& args) : strings(args) {
    for (std::string& s : strings) pointers.push_back(s.data());
    pointers.push_back(nullptr);
  }
  std::vector<std::string> strings;
  std::vector<char*> pointers;
};

// Waits for `pid` up to `timeout`; returns the raw wait status, or nullopt.
std::optional<int> WaitFor(pid_t pid, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    int status = 0;
    pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) return status;
    if (done < 0 && errno != EINTR) return std::nullopt;
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

int ExitCodeOf(int wait_status) {
  return WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1;
}

// A fresh schema in $ONESTOP_TEST_POSTGRES_URL; returns a URL whose
// connections use it (search_path).
std::string FreshPostgresSchema() {
  static int counter = 0;
  std::string base = getenv("ONESTOP_TEST_POSTGRES_URL");
  std::string schema = "it_" + std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" +
                       std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
  PGconn* conn = PQconnectdb(base.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    ADD_FAILURE() << "cannot connect to " << base << ": " << PQerrorMessage(conn);
  } else {
    PGresult* result = PQexec(conn, ("CREATE SCHEMA " + schema).c_str());
    if (PQresultStatus(result) != PGRES_COMMAND_OK) {
      ADD_FAILURE() << "CREATE SCHEMA: " << PQerrorMessage(conn);
    }
    PQclear(result);
  }
  PQfinish(conn);
  return base + (base.find('?') == std::string::npos ? "?" : "&") +
         "options=-csearch_path%3D" + schema;
}

std::string MakeTempDir() {
  const char* base = getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/onestop-it-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    ADD_FAILURE() << "mkdtemp(" << pattern << "): " << strerror(errno);
    return "";
  }
  return pattern;
}

}  // namespace

OnestopProcess::OnestopProcess() : dir_(MakeTempDir()) {
  database_url_ = UsesPostgres() && SkipReason().empty() ? FreshPostgresSchema()
                                                         : "sqlite:" + database_path();
}

OnestopProcess::OnestopProcess(std::string database_url)
    : dir_(MakeTempDir()), database_url_(std::move(database_url)) {}

bool OnestopProcess::UsesPostgres() {
  const char* store = getenv("ONESTOP_TEST_STORE");
  return store != nullptr && std::string(store) == "postgres";
}

std::string OnestopProcess::SkipReason() {
  const char* url = getenv("ONESTOP_TEST_POSTGRES_URL");
  if (UsesPostgres() && (url == nullptr || *url == '\0')) {
    return "ONESTOP_TEST_POSTGRES_URL is not set: PostgreSQL integration tests skipped "
           "(run them with scripts/with-postgres.sh, as `make test` does)";
  }
  return "";
}

OnestopProcess::~OnestopProcess() {
  Kill();
  if (!dir_.empty() && getenv("ONESTOP_KEEP_TEST_DIRS") == nullptr) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

std::string OnestopProcess::BinaryPath() {
  const char* env = getenv("ONESTOP_BINARY");
  return env != nullptr && *env != '\0' ? std::string(env) : std::string(ONESTOP_BINARY_PATH);
}

CommandResult OnestopProcess::Run(const std::vector<std::string>& args,
                                  const std::string& stdin_text, std::chrono::seconds timeout) {
  CommandResult result;
  std::vector<std::string> full = {BinaryPath()};
  full.insert(full.end(), args.begin(), args.end());
  Argv argv(full);

  // stdout/stderr go to temporary files so a chatty child cannot block on a
  // full pipe while we wait for it.
  char out_path[] = "/tmp/onestop-it-out-XXXXXX";
  char err_path[] = "/tmp/onestop-it-err-XXXXXX";
  int out_fd = mkstemp(out_path);
  int err_fd = mkstemp(err_path);
  int in_pipe[2] = {-1, -1};
  if (out_fd < 0 || err_fd < 0 || pipe2(in_pipe, O_CLOEXEC) != 0) {
    ADD_FAILURE() << "cannot set up the child's files: " << strerror(errno);
    return result;
  }
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in_pipe[0], STDIN_FILENO);
    dup2(out_fd, STDOUT_FILENO);
    dup2(err_fd, STDERR_FILENO);
    execv(argv.pointers[0], argv.pointers.data());
    _exit(127);
  }
  close(in_pipe[0]);
  close(out_fd);
  close(err_fd);
  if (pid < 0) {
    close(in_pipe[1]);
    ADD_FAILURE() << "fork: " << strerror(errno);
    return result;
  }
  // The password is one short line: it fits the pipe buffer, so this cannot
  // block on a child that does not read.
  size_t written = 0;
  while (written < stdin_text.size()) {
    ssize_t n = write(in_pipe[1], stdin_text.data() + written, stdin_text.size() - written);
    if (n <= 0) break;
    written += static_cast<size_t>(n);
  }
  close(in_pipe[1]);
  std::optional<int> status = WaitFor(pid, timeout);
  if (!status) {
    kill(pid, SIGKILL);
    WaitFor(pid, std::chrono::seconds(5));
    ADD_FAILURE() << "onestop " << (args.empty() ? "" : args[0]) << " did not finish within "
                  << timeout.count() << " s";
  } else {
    result.exit_code = ExitCodeOf(*status);
  }
  result.out = ReadFile(out_path);
  result.err = ReadFile(err_path);
  unlink(out_path);
  unlink(err_path);
  return result;
}

bool OnestopProcess::Seed() {
  CommandResult seeded =
      Run({"seed-demo", "--database", database_url(), "--log-level", "warn"}, "",
          std::chrono::seconds(60));
  if (seeded.exit_code != 0) {
    ADD_FAILURE() << "onestop seed-demo exited " << seeded.exit_code << "\nstdout:\n"
                  << seeded.out << "\nstderr:\n"
                  << seeded.err;
    return false;
  }
  return true;
}

bool OnestopProcess::Start(std::chrono::seconds timeout) {
  if (pid_ > 0) {
    ADD_FAILURE() << "Start() while the server is running";
    return false;
  }
  // Each server gets its own search index directory, as each node of a
  // deployment must (several test servers may share one PostgreSQL database).
  std::vector<std::string> args = {BinaryPath(), "serve", "--port", "0", "--address", "127.0.0.1", "--database",
                                   database_url(), "--log-level", "info", "--search-dir", dir_ + "/search"};
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  Argv argv(args);
  int out_pipe[2] = {-1, -1};
  if (pipe2(out_pipe, O_CLOEXEC) != 0) {
    ADD_FAILURE() << "pipe: " << strerror(errno);
    return false;
  }
  // Append, so a restarted server's log follows the first one's.
  int log_fd = open(log_path().c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (log_fd < 0 || null_fd < 0) {
    ADD_FAILURE() << "cannot open " << log_path() << ": " << strerror(errno);
    return false;
  }
  pid_t pid = fork();
  if (pid == 0) {
    dup2(null_fd, STDIN_FILENO);
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(log_fd, STDERR_FILENO);
    execv(argv.pointers[0], argv.pointers.data());
    _exit(127);
  }
  close(out_pipe[1]);
  close(log_fd);
  close(null_fd);
  if (pid < 0) {
    close(out_pipe[0]);
    ADD_FAILURE() << "fork: " << strerror(errno);
    return false;
  }
  pid_ = pid;
  stdout_fd_ = out_pipe[0];

  // Read stdout until the listening line (or EOF / timeout).
  std::string seen;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    size_t line_end = seen.find('\n');
    while (line_end != std::string::npos) {
      std::string line = seen.substr(0, line_end);
      seen.erase(0, line_end + 1);
      if (line.find(kLmtpListeningPrefix) != std::string::npos) {
        size_t colon = line.rfind(':');
        int p = colon == std::string::npos ? 0 : atoi(line.c_str() + colon + 1);
        if (p > 0 && p <= 65535) lmtp_port_ = static_cast<uint16_t>(p);
        line_end = seen.find('\n');
        continue;
      }
      if (size_t sip = line.find(kSipListeningPrefix); sip != std::string::npos) {
        size_t colon = line.rfind(':');
        int p = colon == std::string::npos ? 0 : atoi(line.c_str() + colon + 1);
        if (p > 0 && p <= 65535) sip_port_ = static_cast<uint16_t>(p);
        line_end = seen.find('\n');
        continue;
      }
      size_t at = line.find(kListeningPrefix);
      if (at != std::string::npos) {
        std::string host_port = line.substr(at + kListeningPrefix.size());
        size_t colon = host_port.rfind(':');
        int port = colon == std::string::npos ? 0 : atoi(host_port.c_str() + colon + 1);
        if (port <= 0 || port > 65535) {
          ADD_FAILURE() << "cannot read a port from: " << line;
          Kill();
          return false;
        }
        port_ = static_cast<uint16_t>(port);
        return true;
      }
      line_end = seen.find('\n');
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ADD_FAILURE() << "onestop serve did not print its listening line within " << timeout.count()
                    << " s; stdout so far: " << seen << "\nlog:\n"
                    << ReadLog();
      Kill();
      return false;
    }
    pollfd pfd{stdout_fd_, POLLIN, 0};
    int ready = poll(&pfd, 1, static_cast<int>(std::min<int64_t>(left.count(), 200)));
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    char chunk[512];
    ssize_t n = read(stdout_fd_, chunk, sizeof chunk);
    if (n <= 0) break;  // EOF: the server exited
    seen.append(chunk, static_cast<size_t>(n));
  }
  std::optional<int> status = WaitFor(pid_, std::chrono::seconds(5));
  ADD_FAILURE() << "onestop serve exited before listening (exit "
                << (status ? ExitCodeOf(*status) : -1) << "); stdout: " << seen << "\nlog:\n"
                << ReadLog();
  if (status) pid_ = -1;
  Kill();
  return false;
}

bool OnestopProcess::Alive() {
  if (pid_ <= 0) return false;
  int status = 0;
  pid_t done = waitpid(pid_, &status, WNOHANG);
  if (done == pid_) {
    pid_ = -1;
    if (stdout_fd_ >= 0) close(stdout_fd_);
    stdout_fd_ = -1;
    return false;
  }
  return true;
}

int OnestopProcess::Stop(std::chrono::seconds timeout) {
  if (pid_ <= 0) {
    ADD_FAILURE() << "Stop() without a running server";
    return -1;
  }
  kill(pid_, SIGTERM);
  std::optional<int> status = WaitFor(pid_, timeout);
  int code = -1;
  if (!status) {
    ADD_FAILURE() << "onestop serve did not stop within " << timeout.count()
                  << " s of SIGTERM; killing it";
    kill(pid_, SIGKILL);
    WaitFor(pid_, std::chrono::seconds(5));
  } else {
    code = ExitCodeOf(*status);
    if (WIFSIGNALED(*status)) {
      ADD_FAILURE() << "onestop serve died of signal " << WTERMSIG(*status);
    }
  }
  pid_ = -1;
  if (stdout_fd_ >= 0) close(stdout_fd_);
  stdout_fd_ = -1;
  port_ = 0;
  return code;
}

void OnestopProcess::Kill() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    WaitFor(pid_, std::chrono::seconds(10));
    pid_ = -1;
  }
  if (stdout_fd_ >= 0) close(stdout_fd_);
  stdout_fd_ = -1;
}

std::string OnestopProcess::ReadLog() const { return ReadFile(log_path()); }

std::string OnestopProcess::Login(const std::string& email, const std::string& password) const {
  http::TestClient client(port_);
  boost::json::object body{{"email", email}, {"password", password}};
  http::Response response =
      client.Send("POST", "/api/v1/session", boost::json::serialize(body),
                  {{"Content-Type", "application/json"}});
  if (response.status != 201) {
    ADD_FAILURE() << "login as " << email << " gave " << response.status << ": " << response.body;
    return "";
  }
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(response.body, ec);
  const boost::json::value* token =
      !ec && parsed.is_object() ? parsed.get_object().if_contains("token") : nullptr;
  if (token == nullptr || !token->is_string() || token->get_string().empty()) {
    ADD_FAILURE() << "login as " << email << ": no token in " << response.body;
    return "";
  }
  return std::string(token->get_string());
}

}  // namespace onestop::integration
