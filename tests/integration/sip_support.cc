#include "sip_support.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace onestop::integration {
namespace {

std::string Tail(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  return s.size() > 6000 ? s.substr(s.size() - 6000) : s;
}

// posix_spawnp with stdout+stderr to `log`, stdin from /dev/null, and the
// working directory `cwd` when not empty; -1 when it could not start.
// With `own_group`, the child leads a process group of its own (so that it
// and whatever it forks can be killed together).
pid_t Spawn(const std::string& program, std::vector<std::string> argv, const std::string& log,
            const std::string& cwd, bool own_group = false) {
  std::vector<char*> ptrs;
  for (std::string& a : argv) ptrs.push_back(a.data());
  ptrs.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  if (own_group) {
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
  }
  pid_t pid = -1;
  if (posix_spawnp(&pid, program.c_str(), &actions, &attr, ptrs.data(), environ) != 0) pid = -1;
  posix_spawnattr_destroy(&attr);
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

}  // namespace

std::string ScenarioDir() {
  const char* src = std::getenv("ONESTOP_SOURCE_DIR");
  return std::string(src != nullptr ? src : ONESTOP_SOURCE_DIR) + "/tests/sip/scenarios";
}

namespace {

bool UdpBindable(uint16_t port) {
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  const bool ok = bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  close(fd);
  return ok;
}

}  // namespace

// From 61000-64999, above the kernel's ephemeral range (32768-60999 by
// default): a port handed out here cannot be taken by someone's bind(0)
// before sipp binds it (the day test starts dozens of sipp runs at once).
// Each process starts at its own place in the range and moves on by 4, so
// parallel ctest processes rarely meet, and when they do the bind check
// moves on.
uint16_t FreeUdpPort(bool pair) {
  static std::atomic<uint32_t> next{static_cast<uint32_t>(getpid()) * 2654435761u % 4000u};
  for (int attempt = 0; attempt < 1000; ++attempt) {
    uint16_t port = static_cast<uint16_t>(61000 + next.fetch_add(4) % 3996);
    port -= port % 2;
    if (UdpBindable(port) && (!pair || UdpBindable(port + 2))) return port;
  }
  return 0;
}

bool HearsSpeech(RtpSocket& audio) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < end) {
    std::optional<RtpSocket::Packet> p = audio.Receive(std::chrono::milliseconds(200));
    if (!p) continue;
    int differing = 0;
    for (uint8_t b : p->payload) differing += (b != 0xD5 && b != 0x55 && b != 0xFF && b != 0x7F) ? 1 : 0;
    if (differing > 40) return true;
  }
  return false;
}

// ---- Child ----

Child::Child(const std::string& program, std::vector<std::string> args, std::string log) : log_(std::move(log)) {
  std::vector<std::string> argv = {program};
  argv.insert(argv.end(), args.begin(), args.end());
  pid_ = Spawn(program, std::move(argv), log_, "", /*own_group=*/true);
}

Child::~Child() {
  if (pid_ > 0) {
    kill(-pid_, SIGKILL);  // and the processes it forked (Kamailio's workers)
    waitpid(pid_, nullptr, 0);
  }
}

std::string Child::Log() const { return Tail(log_); }

// ---- Sipp ----

Sipp::Sipp(const std::string& scenario, std::vector<std::string> args, const std::string& dir,
           const std::string& cwd) {
  log_ = dir + "/sipp-" + scenario + "-" + std::to_string(counter_++) + ".log";
  std::vector<std::string> argv = {"sipp", "-sf", ScenarioDir() + "/" + scenario + ".xml", "-nostdin",
                                   "-mp", std::to_string(FreeUdpPort(true)), "-cp",
                                   std::to_string(FreeUdpPort())};
  if (std::find(args.begin(), args.end(), "-p") == args.end()) {
    argv.push_back("-p");
    argv.push_back(std::to_string(FreeUdpPort()));
  }
  argv.insert(argv.end(), args.begin(), args.end());
  pid_ = Spawn("sipp", std::move(argv), log_, cwd);
}

Sipp::~Sipp() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

int Sipp::Wait(std::chrono::seconds timeout) {
  if (pid_ <= 0) return -1;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return -2;  // still running
}

int Sipp::Finish(std::chrono::seconds timeout) {
  if (pid_ > 0) kill(pid_, SIGUSR1);
  return Wait(timeout);
}

std::string Sipp::Log() const { return Tail(log_); }

int64_t Sipp::Count(const std::string& row) const {
  // "  Successful call        |        0                  |       12  ": the
  // last printed table's cumulative column.
  std::ifstream in(log_);
  std::string line;
  int64_t count = -1;
  while (std::getline(in, line)) {
    if (line.find(row) == std::string::npos) continue;
    const size_t last_bar = line.rfind('|');
    if (last_bar == std::string::npos) continue;
    count = std::strtoll(line.c_str() + last_bar + 1, nullptr, 10);
  }
  return count;
}

int64_t Sipp::SuccessfulCalls() const { return Count("Successful call"); }
int64_t Sipp::FailedCalls() const { return Count("Failed call"); }

// ---- RtpSocket ----

RtpSocket::RtpSocket() {
  fd_ = socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
  port_ = ntohs(a.sin_port);
}

RtpSocket::~RtpSocket() { close(fd_); }

std::optional<RtpSocket::Packet> RtpSocket::Receive(std::chrono::milliseconds timeout) {
  pollfd p{fd_, POLLIN, 0};
  if (poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return std::nullopt;
  uint8_t buf[2048];
  sockaddr_in from{};
  socklen_t len = sizeof from;
  ssize_t n = recvfrom(fd_, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &len);
  if (n < 12) return std::nullopt;
  peer_ = from;
  have_peer_ = true;
  Packet pk;
  pk.pt = buf[1] & 0x7f;
  pk.seq = static_cast<uint16_t>((buf[2] << 8) | buf[3]);
  pk.ts = (uint32_t(buf[4]) << 24) | (uint32_t(buf[5]) << 16) | (uint32_t(buf[6]) << 8) | buf[7];
  pk.payload.assign(buf + 12, buf + n);
  return pk;
}

RtpSocket::Heard RtpSocket::Listen(std::chrono::milliseconds d, uint8_t silence_byte) {
  Heard h;
  const auto end = std::chrono::steady_clock::now() + d;
  while (std::chrono::steady_clock::now() < end) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
    std::optional<Packet> p = Receive(std::max(left, std::chrono::milliseconds(1)));
    if (!p) continue;
    ++h.packets;
    int differing = 0;
    for (uint8_t b : p->payload) differing += (b != silence_byte && b != (silence_byte ^ 0x80) ? 1 : 0);
    if (differing > 40) ++h.loud;
    if (h.sample.size() < 5) h.sample.push_back(*p);
  }
  return h;
}

void RtpSocket::Send(uint8_t pt, bool marker, const std::vector<uint8_t>& payload) {
  if (!have_peer_) return;
  std::vector<uint8_t> b(12 + payload.size());
  b[0] = 0x80;
  b[1] = static_cast<uint8_t>((marker ? 0x80 : 0) | pt);
  b[2] = seq_ >> 8;
  b[3] = seq_ & 0xff;
  b[4] = ts_ >> 24;
  b[5] = (ts_ >> 16) & 0xff;
  b[6] = (ts_ >> 8) & 0xff;
  b[7] = ts_ & 0xff;
  b[8] = 0x12;
  b[9] = 0x34;
  b[10] = 0x56;
  b[11] = static_cast<uint8_t>(port_ & 0xff);
  std::copy(payload.begin(), payload.end(), b.begin() + 12);
  ++seq_;
  sendto(fd_, b.data(), b.size(), 0, reinterpret_cast<const sockaddr*>(&peer_), sizeof peer_);
}

void RtpSocket::SendAudio(uint8_t pt, uint8_t byte) {
  Send(pt, false, std::vector<uint8_t>(160, byte));
  ts_ += 160;
}

void RtpSocket::SendDigit(char digit, uint8_t pt) {
  const uint8_t event = digit == '*' ? 10 : digit == '#' ? 11 : static_cast<uint8_t>(digit - '0');
  for (int i = 0; i < 6; ++i) {
    const bool end = i >= 3;
    const uint16_t duration = static_cast<uint16_t>(160 * (i + 1));
    Send(pt, i == 0, {event, static_cast<uint8_t>((end ? 0x80 : 0) | 10), static_cast<uint8_t>(duration >> 8),
                      static_cast<uint8_t>(duration & 0xff)});
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ts_ += 960;
}

// ---- tones ----

uint8_t LinearToUlaw(int sample) {
  constexpr int kBias = 0x84, kClip = 32635;
  const int sign = sample < 0 ? 0x80 : 0;
  if (sample < 0) sample = -sample;
  if (sample > kClip) sample = kClip;
  sample += kBias;
  int exponent = 7;
  for (int mask = 0x4000; (sample & mask) == 0 && exponent > 0; mask >>= 1) --exponent;
  const int mantissa = (sample >> (exponent + 3)) & 0x0F;
  return static_cast<uint8_t>(~(sign | (exponent << 4) | mantissa));
}

std::vector<std::vector<uint8_t>> DtmfFrames(char digit) {
  static const int low[] = {941, 697, 697, 697, 770, 770, 770, 852, 852, 852};
  static const int high[] = {1336, 1209, 1336, 1477, 1209, 1336, 1477, 1209, 1336, 1477};
  const int d = digit - '0';
  std::vector<std::vector<uint8_t>> frames;
  for (int f = 0; f < 12; ++f) {
    std::vector<uint8_t> frame(160);
    for (int i = 0; i < 160; ++i) {
      const int n = f * 160 + i;
      const double t = n / 8000.0;
      const double v = f < 6 ? 6000 * (std::sin(2 * M_PI * low[d] * t) + std::sin(2 * M_PI * high[d] * t)) : 0;
      frame[i] = LinearToUlaw(static_cast<int>(v));
    }
    frames.push_back(std::move(frame));
  }
  return frames;
}

// ---- StaffSocket ----

StaffSocket::StaffSocket(uint16_t port, const std::string& target, const std::string& token) : ws_(io_) {
  namespace beast = boost::beast;
  boost::asio::ip::tcp::resolver resolver(io_);
  boost::asio::connect(ws_.next_layer(), resolver.resolve("127.0.0.1", std::to_string(port)), ec_);
  if (ec_) return;
  ws_.set_option(beast::websocket::stream_base::decorator([token](beast::websocket::request_type& req) {
    req.set(beast::http::field::authorization, "Bearer " + token);
  }));
  ws_.handshake(response_, "127.0.0.1", target, ec_);
}

void StaffSocket::Send(const boost::json::object& message) {
  if (ec_ || broken_) return;
  boost::system::error_code ec;
  ws_.write(boost::asio::buffer(boost::json::serialize(message)), ec);
  if (ec) broken_ = true;
}

std::optional<boost::json::object> StaffSocket::Read(std::chrono::milliseconds timeout) {
  if (ec_ || broken_) return std::nullopt;
  // Asynchronous read with a deadline, so a missing message fails the test
  // instead of hanging it; a read cut short by the deadline breaks the
  // stream (Beast cannot resume it), so the socket is closed then.
  boost::beast::flat_buffer buffer;
  bool done = false;
  boost::system::error_code ec;
  ws_.async_read(buffer, [&](boost::system::error_code read_ec, size_t) {
    ec = read_ec;
    done = true;
  });
  io_.restart();
  io_.run_for(timeout);
  if (!done) {
    broken_ = true;
    boost::system::error_code ignored;
    ws_.next_layer().close(ignored);
    io_.restart();
    io_.run();
    return std::nullopt;
  }
  if (ec) {
    broken_ = true;
    return std::nullopt;
  }
  boost::system::error_code parse_ec;
  boost::json::value value = boost::json::parse(boost::beast::buffers_to_string(buffer.data()), parse_ec);
  if (parse_ec || !value.is_object()) return boost::json::object{};
  return value.as_object();
}

std::optional<boost::json::object> StaffSocket::ReadUntil(
    const std::function<bool(const boost::json::object&)>& want, std::chrono::milliseconds timeout) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
    std::optional<boost::json::object> message = Read(std::max(left, std::chrono::milliseconds(1)));
    if (!message) return std::nullopt;
    if (want(*message)) return message;
  }
  return std::nullopt;
}

}  // namespace onestop::integration
