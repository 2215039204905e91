// Test helper: a child process (a fake service, an SMTP sink) that listens
// on a free loopback port and says so on its first stdout line, "PORT <n>".
// Each PortChild is its own process (ctest runs tests in parallel), stopped
// (SIGTERM, then waited for) by the destructor. Test-only, header-only.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

extern char** environ;

namespace onestop::test_support {

// The source tree: ONESTOP_SOURCE_DIR (ctest sets it), else the compiled-in
// ONESTOP_FALLBACK_SOURCE_DIR when the test target defines it.
inline std::filesystem::path SourceDir() {
  const char* source = std::getenv("ONESTOP_SOURCE_DIR");
#ifdef ONESTOP_FALLBACK_SOURCE_DIR
  if (source == nullptr) source = ONESTOP_FALLBACK_SOURCE_DIR;
#endif
  return std::filesystem::path(source != nullptr ? source : ".");
}

class PortChild {
 public:
  // Runs `args` (args[0] looked up on PATH); check ok() before use.
  explicit PortChild(std::vector<std::string> args) {
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) return;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    const int spawned = ::posix_spawnp(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    if (spawned != 0) {
      pid_ = -1;
      ::close(out[0]);
      return;
    }
    stdout_fd_ = out[0];
    port_ = ReadPort();
  }

  ~PortChild() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
    if (stdout_fd_ >= 0) ::close(stdout_fd_);
  }

  PortChild(const PortChild&) = delete;
  PortChild& operator=(const PortChild&) = delete;

  bool ok() const { return port_ > 0; }
  int port() const { return port_; }

 private:
  // The first stdout line, "PORT <n>", within 15 s.
  int ReadPort() {
    std::string line;
    for (int waited_ms = 0; waited_ms < 15000 && line.find('\n') == std::string::npos;) {
      pollfd fd{stdout_fd_, POLLIN, 0};
      const int ready = ::poll(&fd, 1, 100);
      if (ready < 0) return 0;
      if (ready == 0) {
        waited_ms += 100;
        continue;
      }
      char buffer[64];
      const ssize_t got = ::read(stdout_fd_, buffer, sizeof buffer);
      if (got <= 0) return 0;
      line.append(buffer, static_cast<size_t>(got));
    }
    if (line.rfind("PORT ", 0) != 0) return 0;
    return std::atoi(line.c_str() + 5);
  }

  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  int port_ = 0;
};

}  // namespace onestop::test_support
