// The telephone, end to end through the real binary: `onestop serve
// --sip-listen 127.0.0.1:0` on the seeded demo council, sipp (Debian
// sip-tester) as the resident's phone and as the agent's registered phone,
// and the test's own UDP sockets as the audio of both (the SDP sipp sends
// names them), so the test hears the IVR, presses digits by RFC 4733 and
// checks that audio is relayed both ways once the call is bridged. The
// routing engine's items, the contact (one per call, with its duration) and
// the events are asserted through the API, as well as the SIP outcomes.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

#include "api_client.h"

extern char** environ;

namespace onestop::integration {
namespace {

constexpr char kNumber[] = "01632960000";
constexpr char kExtension[] = "1001";
constexpr char kSipPassword[] = "phone-secret-1001";

std::string ScenarioDir() {
  const char* src = std::getenv("ONESTOP_SOURCE_DIR");
  return std::string(src != nullptr ? src : ONESTOP_SOURCE_DIR) + "/tests/sip/scenarios";
}

// A UDP port nobody uses right now (for sipp's own sockets: left alone it
// takes 5060, 6000, 6002 and 8888, which `make run` or a parallel test may
// hold). With `pair`, an even port whose port + 2 is free too (sipp's media).
uint16_t FreeUdpPort(bool pair = false) {
  for (int attempt = 0; attempt < 50; ++attempt) {
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    const uint16_t port = ntohs(a.sin_port);
    if (!pair) {
      close(fd);
      return port;
    }
    bool ok = port % 2 == 0 && port < 65000;
    if (ok) {
      int fd2 = socket(AF_INET, SOCK_DGRAM, 0);
      sockaddr_in b = a;
      b.sin_port = htons(port + 2);
      ok = bind(fd2, reinterpret_cast<sockaddr*>(&b), sizeof b) == 0;
      close(fd2);
    }
    close(fd);
    if (ok) return port;
  }
  return 0;
}



// A program run in the background with its output in `log`; killed when
// the object goes.
class Child {
 public:
  Child(const std::string& program, std::vector<std::string> args, std::string log) : log_(std::move(log)) {
    std::vector<std::string> argv = {program};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> ptrs;
    for (std::string& a : argv) ptrs.push_back(a.data());
    ptrs.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    if (posix_spawnp(&pid_, program.c_str(), &actions, nullptr, ptrs.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
  }
  ~Child() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  std::string Log() const {
    std::ifstream in(log_);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string s = ss.str();
    return s.size() > 6000 ? s.substr(s.size() - 6000) : s;
  }

 private:
  pid_t pid_ = -1;
  std::string log_;
};

// A sipp run in the background; Wait() returns its exit code (0 = every call
// of the scenario passed).
class Sipp {
 public:
  Sipp(const std::string& scenario, std::vector<std::string> args, const std::string& dir) {
    log_ = dir + "/sipp-" + scenario + "-" + std::to_string(counter_++) + ".log";
    std::vector<std::string> argv = {"sipp", "-sf", ScenarioDir() + "/" + scenario + ".xml", "-nostdin",
                                     "-mp", std::to_string(FreeUdpPort(true)), "-cp",
                                     std::to_string(FreeUdpPort())};
    if (std::find(args.begin(), args.end(), "-p") == args.end()) {
      argv.push_back("-p");
      argv.push_back(std::to_string(FreeUdpPort()));
    }
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> ptrs;
    for (std::string& a : argv) ptrs.push_back(a.data());
    ptrs.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    if (posix_spawnp(&pid_, "sipp", &actions, nullptr, ptrs.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
  }
  ~Sipp() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  int Wait(std::chrono::seconds timeout = std::chrono::seconds(60)) {
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
  std::string Log() const {
    std::ifstream in(log_);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string s = ss.str();
    return s.size() > 6000 ? s.substr(s.size() - 6000) : s;
  }

 private:
  static inline int counter_ = 0;
  pid_t pid_ = -1;
  std::string log_;
};

// The audio end of a phone: receives RTP, remembers where it came from, and
// sends G.711 frames or RFC 4733 events back there.
class RtpSocket {
 public:
  RtpSocket() {
    fd_ = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
  }
  ~RtpSocket() { close(fd_); }
  uint16_t port() const { return port_; }

  struct Packet {
    uint8_t pt = 0;
    uint16_t seq = 0;
    uint32_t ts = 0;
    std::vector<uint8_t> payload;
  };
  // Next RTP packet within `timeout`.
  std::optional<Packet> Receive(std::chrono::milliseconds timeout) {
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
  // Receives for `d`, counting packets and those carrying sound (not
  // G.711 silence).
  struct Heard {
    int packets = 0;
    int loud = 0;
    std::vector<Packet> sample;
  };
  Heard Listen(std::chrono::milliseconds d, uint8_t silence_byte) {
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
  bool has_peer() const { return have_peer_; }
  void Send(uint8_t pt, bool marker, const std::vector<uint8_t>& payload) {
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
  void SendAudio(uint8_t pt, uint8_t byte) {
    Send(pt, false, std::vector<uint8_t>(160, byte));
    ts_ += 160;
  }
  // One RFC 4733 digit: three packets of the event, then three end packets
  // (all with the event's timestamp), as phones send it.
  void SendDigit(char digit, uint8_t pt = 101) {
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

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
  sockaddr_in peer_{};
  bool have_peer_ = false;
  uint16_t seq_ = 1000;
  uint32_t ts_ = 160000;
};


// G.711 µ-law of one linear sample (ITU-T G.711), for in-band tones.
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

// 20 ms µ-law frames of a DTMF digit (two sines, 120 ms) and then silence.
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

class SipTest : public ServerSuite {
 public:
  static void SetUpTestSuite() {
    tokens_.clear();
    services_.clear();
    if (!OnestopProcess::SkipReason().empty()) return;
    server_ = std::make_unique<OnestopProcess>();
    server_->set_extra_args({"--sip-listen", "127.0.0.1:0"});
    started_ = server_->Seed() && server_->Start();
    if (started_ && server_->sip_port() == 0) {
      ADD_FAILURE() << "the server did not print its SIP port; log:\n" << server_->ReadLog();
      started_ = false;
    }
  }

 protected:
  static std::string Target() { return "127.0.0.1:" + std::to_string(server().sip_port()); }

  static int64_t StaffId(const std::string& email) {
    Api admin = ApiAs(kAdmin);
    Reply list = admin.Get("/api/v1/staff");
    EXPECT_EQ(list.status, 200) << list;
    if (list.status != 200) return 0;
    const boost::json::value& items = list.json.is_object() && list.json.as_object().contains("items")
                                          ? list.json.at("items")
                                          : list.json;
    for (const auto& s : items.as_array()) {
      if (s.at("email").as_string() == email) return s.at("id").as_int64();
    }
    ADD_FAILURE() << "no staff " << email;
    return 0;
  }

  // The agent's phone: SIP account set by the admin, registered with sipp
  // from `phone_port` (the port the answering sipp then listens on).
  static void RegisterPhone(uint16_t phone_port) {
    Api admin = ApiAs(kAdmin);
    const int64_t id = StaffId(kAgent);
    Reply put = admin.Put("/api/v1/staff/" + std::to_string(id) + "/sip",
                          boost::json::object{{"extension", kExtension}, {"password", kSipPassword}});
    ASSERT_EQ(put.status, 200) << put;
    Sipp reg("register", {"-p", std::to_string(phone_port), "-key", "ext", kExtension, "-au", kExtension, "-ap",
                          kSipPassword, "-key", "expires", "300", "-m", "1", "-timeout", "15", Target()},
             server().dir());
    ASSERT_EQ(reg.Wait(), 0) << reg.Log();
  }

  // Ends the agent's wrap-up after a completed call (the demo queues have
  // 20-30 s of it), so the next test's call is offered at once.
  static void EndWrapUp(Api& agent) { (void)agent.Post("/api/v1/agents/me/wrap-up/end", boost::json::object{}); }

  static void SetPresence(Api& agent, const std::string& presence) {
    Reply r = agent.Put("/api/v1/agents/me/presence", boost::json::object{{"presence", presence}});
    ASSERT_EQ(r.status, 200) << r;
  }

  // The voice items offered to or held by the agent now.
  static std::vector<boost::json::object> DeskItems(Api& agent) {
    std::vector<boost::json::object> out;
    Reply desk = agent.Get("/api/v1/agents/me");
    if (desk.status != 200) return out;
    if (!desk.json.as_object().contains("items")) return out;
    for (const auto& i : desk.json.at("items").as_array()) out.push_back(i.as_object());
    return out;
  }

  // The types of the routing events of item `item_id` after `after`.
  static std::vector<std::string> RoutingTypes(Api& api, int64_t after, int64_t item_id = 0) {
    std::vector<std::string> types;
    for (const auto& e : EventsAfter(api, after)) {
      if (e.at("entity").as_string() != "routing") continue;
      if (item_id != 0 && (!e.contains("entity_id") || e.at("entity_id").as_int64() != item_id)) continue;
      types.push_back(std::string(e.at("type").as_string()));
    }
    return types;
  }
  static bool Has(const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
  }
  // The queue's ring timeout (the engine's ring-no-answer).
  static void SetRingTimeout(const std::string& queue, int seconds) {
    Api supervisor = ApiAs(kSupervisor);
    Reply q = supervisor.Get("/api/v1/queues/" + queue);
    ASSERT_EQ(q.status, 200) << q;
    boost::json::object body = q.json.as_object();
    body["ring_timeout_seconds"] = seconds;
    body.erase("code");
    body.erase("version");
    Reply put = supervisor.Put("/api/v1/queues/" + queue, body, {{"If-Match", q.Header("ETag")}});
    ASSERT_EQ(put.status, 200) << put;
  }
  // The first item in the agent's desk (any state), 0 when none.
  static int64_t OfferedItem(Api& agent) {
    for (const auto& i : DeskItems(agent)) return i.at("id").as_int64();
    return 0;
  }

  template <typename F>
  static bool WaitUntil(F f, std::chrono::milliseconds timeout = std::chrono::milliseconds(15000)) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < end) {
      if (f()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return f();
  }
};

TEST_F(SipTest, UnknownNumberAndStrangersAreRefused) {
  // An INVITE for a number the council does not have: 404, and sipp counts a failed call.
  RtpSocket audio;
  Sipp wrong("caller", {"-s", "09999999999", "-key", "caller", "07700900555", "-key", "rtpport",
                        std::to_string(audio.port()), "-set", "holdms", "1000", "-m", "1", "-timeout", "10",
                        Target()},
             server().dir());
  EXPECT_EQ(wrong.Wait(), 1) << wrong.Log();
  EXPECT_NE(wrong.Log().find("404"), std::string::npos) << wrong.Log();
  // A phone registering with the wrong password: 403.
  Sipp bad("register", {"-key", "ext", "1001", "-au", "1001", "-ap", "wrong-password", "-key", "expires", "300",
                        "-m", "1", "-timeout", "10", Target()},
           server().dir());
  EXPECT_EQ(bad.Wait(), 1) << bad.Log();
}

TEST_F(SipTest, CallerPressesOneAndTheAgentsPhoneAnswers) {
  const uint16_t phone_port = FreeUdpPort();
  ASSERT_NO_FATAL_FAILURE(RegisterPhone(phone_port));
  Api agent = ApiAs(kAgent);
  ASSERT_NO_FATAL_FAILURE(SetPresence(agent, "available"));
  RtpSocket caller_audio;
  RtpSocket agent_audio;
  Sipp phone("agent_answer", {"-p", std::to_string(phone_port), "-key", "rtpport",
                              std::to_string(agent_audio.port()), "-m", "1", "-timeout", "60", Target()},
             server().dir());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // sipp binds its port
  const int64_t seq_before = LastEventSeq(agent);
  Sipp caller("caller", {"-s", kNumber, "-key", "caller", "07700900101", "-key", "rtpport",
                         std::to_string(caller_audio.port()), "-set", "holdms", "9000", "-m", "1", "-timeout",
                         "60", Target()},
              server().dir());

  // The menu's prompt (PCMA, the caller's first codec): mostly sound.
  RtpSocket::Heard prompt = caller_audio.Listen(std::chrono::milliseconds(1500), 0xD5);
  EXPECT_GE(prompt.packets, 60) << "about 50 packets a second expected";
  EXPECT_GE(prompt.loud, prompt.packets / 3) << "the prompt should be speech, not silence";
  ASSERT_FALSE(prompt.sample.empty());
  EXPECT_EQ(prompt.sample[0].pt, 8);
  for (size_t i = 1; i < prompt.sample.size(); ++i) {
    EXPECT_EQ(prompt.sample[i].seq, static_cast<uint16_t>(prompt.sample[i - 1].seq + 1));
    EXPECT_EQ(prompt.sample[i].ts, prompt.sample[i - 1].ts + 160);
  }
  // Press 1: council tax.
  caller_audio.SendDigit('1');

  // The agent's phone rings and answers; the item is connected to the agent.
  int64_t item_id = 0;
  ASSERT_TRUE(WaitUntil([&] {
    for (const auto& i : DeskItems(agent)) {
      if (i.at("state").as_string() == "connected" && i.at("media").as_string() == "voice") {
        item_id = i.at("id").as_int64();
        return true;
      }
    }
    return false;
  })) << "the call never reached the agent; server log:\n"
      << server().ReadLog().substr(server().ReadLog().size() > 5000 ? server().ReadLog().size() - 5000 : 0);
  Reply item = agent.Get("/api/v1/interactions/" + std::to_string(item_id));
  ASSERT_EQ(item.status, 200) << item;
  EXPECT_EQ(item.json.at("media").as_string(), "voice");
  EXPECT_EQ(item.json.at("queue").as_string(), "council-tax");
  EXPECT_EQ(item.json.at("caller").as_string(), "07700900101");
  for (const auto& i : DeskItems(agent)) {
    if (i.at("id").as_int64() != item_id) continue;
    ASSERT_TRUE(i.at("citizen").is_object()) << "screen-pop by the caller's number";
    EXPECT_EQ(i.at("citizen").at("name").as_string(), "Margaret Okafor");
  }

  // Audio both ways: the caller's frames reach the agent's phone (re-coded
  // PCMA → PCMU: the phone answered PCMU), and the agent's reach the caller.
  while (caller_audio.Receive(std::chrono::milliseconds(30))) {
  }
  std::atomic<bool> talking{true};
  std::thread caller_talks([&] {
    while (talking) {
      caller_audio.SendAudio(8, 0x55 ^ 0x2A);  // an A-law byte far from silence
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  int relayed_to_agent = 0;
  const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(1500);
  std::vector<uint8_t> agent_payload;
  while (std::chrono::steady_clock::now() < end) {
    if (auto p = agent_audio.Receive(std::chrono::milliseconds(100)); p && p->pt == 0) {
      ++relayed_to_agent;
      agent_payload = p->payload;
      agent_audio.SendAudio(0, 0x10);  // the agent speaks (µ-law, loud)
    }
  }
  talking = false;
  caller_talks.join();
  EXPECT_GE(relayed_to_agent, 40) << "the caller's audio should reach the agent's phone";
  ASSERT_FALSE(agent_payload.empty());
  EXPECT_NE(agent_payload[0], 0xFF) << "what the caller said, not silence";
  RtpSocket::Heard from_agent = caller_audio.Listen(std::chrono::milliseconds(300), 0xD5);
  EXPECT_GE(from_agent.loud, 5) << "the agent's audio should reach the caller";

  // The caller hangs up (sipp's BYE after 9 s): both sipp runs pass.
  EXPECT_EQ(caller.Wait(), 0) << caller.Log();
  EXPECT_EQ(phone.Wait(), 0) << phone.Log();

  // One contact for the call, on the phone channel, with the call's duration;
  // the agent still holds the item for the wrap-up.
  Reply held = agent.Get("/api/v1/interactions/" + std::to_string(item_id));
  ASSERT_EQ(held.status, 200) << held;
  EXPECT_EQ(held.json.at("state").as_string(), "connected");
  ASSERT_TRUE(held.json.as_object().contains("contact_id")) << held;
  const std::string contact_path = "/api/v1/contacts/" + std::to_string(held.json.at("contact_id").as_int64());
  Reply contact;
  ASSERT_TRUE(WaitUntil([&] {
    contact = agent.Get(contact_path);
    return contact.status == 200 && contact.json.at("duration_seconds").as_int64() > 0;
  })) << contact;
  EXPECT_EQ(contact.json.at("interaction_id").as_int64(), item_id);
  EXPECT_EQ(contact.json.at("channel").as_string(), "phone");
  EXPECT_GE(contact.json.at("duration_seconds").as_int64(), 2);
  EXPECT_LE(contact.json.at("duration_seconds").as_int64(), 12);
  const int64_t call_seconds = contact.json.at("duration_seconds").as_int64();
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  Reply done = agent.Post("/api/v1/interactions/" + std::to_string(item_id) + "/complete",
                          boost::json::object{{"disposition", "answered_first_time"}});
  if (done.status == 400) {
    done = agent.Post("/api/v1/interactions/" + std::to_string(item_id) + "/complete", boost::json::object{});
  }
  ASSERT_EQ(done.status, 200) << done;
  Reply after = agent.Get(contact_path);
  ASSERT_EQ(after.status, 200) << after;
  EXPECT_EQ(after.json.at("duration_seconds").as_int64(), call_seconds) << "the wrap-up keeps the call's length";
  EndWrapUp(agent);

  // The routing events of the call: enter council-tax, offer, connect.
  std::vector<std::string> types;
  for (const auto& e : EventsAfter(agent, seq_before)) {
    if (e.at("entity").as_string() == "routing" && e.contains("entity_id") &&
        e.at("entity_id").as_int64() == item_id) {
      types.push_back(std::string(e.at("type").as_string()));
    }
  }
  ASSERT_FALSE(types.empty());
  EXPECT_EQ(types.front(), "routing.enter");
  EXPECT_NE(std::find(types.begin(), types.end(), "routing.offer"), types.end());
  EXPECT_NE(std::find(types.begin(), types.end(), "routing.connect"), types.end());
  ASSERT_NO_FATAL_FAILURE(SetPresence(agent, "offline"));
}

TEST_F(SipTest, CallerHangingUpInTheQueueIsAbandoned) {
  Api agent = ApiAs(kAgent);
  ASSERT_NO_FATAL_FAILURE(SetPresence(agent, "offline"));
  RtpSocket audio;
  const int64_t seq_before = LastEventSeq(agent);
  Sipp caller("caller", {"-s", kNumber, "-key", "caller", "07700900202", "-key", "rtpport",
                         std::to_string(audio.port()), "-set", "holdms", "4000", "-m", "1", "-timeout", "30",
                         Target()},
              server().dir());
  ASSERT_TRUE(WaitUntil([&] { return audio.Receive(std::chrono::milliseconds(200)).has_value(); }));
  audio.SendDigit('2');  // bins: nobody is available
  EXPECT_EQ(caller.Wait(), 0) << caller.Log();
  bool abandoned = false;
  ASSERT_TRUE(WaitUntil([&] {
    for (const auto& e : EventsAfter(agent, seq_before)) {
      if (e.at("type").as_string() == "routing.abandon") abandoned = true;
    }
    return abandoned;
  })) << "the call should be recorded as abandoned";
}


TEST_F(SipTest, RingNoAnswerCancelsThePhone) {
  ASSERT_NO_FATAL_FAILURE(SetRingTimeout("council-tax", 3));
  const uint16_t phone_port = FreeUdpPort();
  ASSERT_NO_FATAL_FAILURE(RegisterPhone(phone_port));
  Api agent = ApiAs(kAgent);
  ASSERT_NO_FATAL_FAILURE(SetPresence(agent, "available"));
  Sipp phone("agent_no_answer", {"-p", std::to_string(phone_port), "-m", "1", "-timeout", "30", Target()},
             server().dir());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const int64_t seq_before = LastEventSeq(agent);
  RtpSocket audio;
  Sipp caller("caller", {"-s", kNumber, "-key", "caller", "07700900303", "-key", "rtpport",
                         std::to_string(audio.port()), "-set", "holdms", "7000", "-m", "1", "-timeout", "30",
                         Target()},
              server().dir());
  ASSERT_TRUE(WaitUntil([&] { return audio.Receive(std::chrono::milliseconds(200)).has_value(); }));
  audio.SendDigit('1');
  // The phone rang for the queue's 3 s, then onestop CANCELled it (sipp's
  // scenario passes only on the CANCEL).
  EXPECT_EQ(phone.Wait(std::chrono::seconds(20)), 0) << phone.Log();
  EXPECT_EQ(caller.Wait(), 0) << caller.Log();
  std::vector<std::string> types;
  ASSERT_TRUE(WaitUntil([&] {
    types = RoutingTypes(agent, seq_before);
    return Has(types, "routing.abandon");
  }));
  EXPECT_TRUE(Has(types, "routing.offer"));
  EXPECT_TRUE(Has(types, "routing.no_answer")) << "the engine's ring-no-answer";
  EXPECT_FALSE(Has(types, "routing.connect"));
  ASSERT_NO_FATAL_FAILURE(SetPresence(agent, "offline"));
  ASSERT_NO_FATAL_FAILURE(SetRingTimeout("council-tax", 20));
}

TEST_F(SipTest, BusyPhoneIsARejectAndTheCallerKeepsWaiting) {
  const uint16_t phone_port = FreeUdpPort();
  ASSERT_NO_FATAL_FAILURE(RegisterPhone(phone_port));
  Api agent = ApiAs(kAgent);
  ASSERT_NO_FATAL_FAILURE(SetPresence(agent, "available"));
  Sipp phone("agent_busy", {"-p", std::to_string(phone_port), "-m", "1", "-timeout", "30", Target()},
             server().dir());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const int64_t seq_before = LastEventSeq(agent);
  RtpSocket audio;
  Sipp caller("caller", {"-s", kNumber, "-key", "caller", "07700900404", "-key", "rtpport",
                         std::to_string(audio.port()), "-set", "holdms", "5000", "-m", "1", "-timeout", "30",
                         Target()},
              server().dir());
  ASSERT_TRUE(WaitUntil([&] { return audio.Receive(std::chrono::milliseconds(200)).has_value(); }));
  audio.SendDigit('1');
  EXPECT_EQ(phone.Wait(std::chrono::seconds(20)), 0) << phone.Log();
  // Still on the line after the refusal: hold music (sound) keeps coming.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  RtpSocket::Heard waiting = audio.Listen(std::chrono::milliseconds(800), 0xD5);
  EXPECT_GE(waiting.packets, 30);
  EXPECT_EQ(caller.Wait(), 0) << caller.Log();
  std::vector<std::string> types;
  ASSERT_TRUE(WaitUntil([&] {
    types = RoutingTypes(agent, seq_before);
    return Has(types, "routing.abandon");
  }));
  EXPECT_TRUE(Has(types, "routing.reject")) << "486 from the phone is the agent's reject";
  ASSERT_NO_FATAL_FAILURE(SetPresence(agent, "offline"));
}

TEST_F(SipTest, InBandDigitsAndTheAgentHangingUp) {
  const uint16_t phone_port = FreeUdpPort();
  ASSERT_NO_FATAL_FAILURE(RegisterPhone(phone_port));
  Api agent = ApiAs(kAgent);
  ASSERT_NO_FATAL_FAILURE(SetPresence(agent, "available"));
  RtpSocket caller_audio;
  RtpSocket agent_audio;
  Sipp phone("agent_hangs_up", {"-p", std::to_string(phone_port), "-key", "rtpport",
                                std::to_string(agent_audio.port()), "-set", "talkms", "1500", "-m", "1",
                                "-timeout", "40", Target()},
             server().dir());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  Sipp caller("caller_inband", {"-s", kNumber, "-key", "caller", "07700900101", "-key", "rtpport",
                                std::to_string(caller_audio.port()), "-m", "1", "-timeout", "40", Target()},
              server().dir());
  ASSERT_TRUE(WaitUntil([&] { return caller_audio.Receive(std::chrono::milliseconds(200)).has_value(); }));
  for (const auto& frame : DtmfFrames('1')) {
    caller_audio.Send(0, false, frame);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  int64_t item_id = 0;
  std::string citizen;
  ASSERT_TRUE(WaitUntil([&] {
    for (const auto& i : DeskItems(agent)) {
      if (i.at("state").as_string() == "connected") {
        item_id = i.at("id").as_int64();
        if (i.at("citizen").is_object()) citizen = std::string(i.at("citizen").at("name").as_string());
        return true;
      }
    }
    return false;
  })) << "the in-band 1 should have put the call through to the council tax queue";
  EXPECT_EQ(citizen, "Margaret Okafor") << "screen-pop by the caller's number";
  // The agent's phone hangs up after 1.5 s: onestop ends the caller's leg too.
  EXPECT_EQ(phone.Wait(), 0) << phone.Log();
  EXPECT_EQ(caller.Wait(std::chrono::seconds(15)), 0) << caller.Log();
  Reply held = agent.Get("/api/v1/interactions/" + std::to_string(item_id));
  ASSERT_EQ(held.status, 200) << held;
  EXPECT_EQ(held.json.at("state").as_string(), "connected") << "held for the wrap-up";
  Reply done = agent.Post("/api/v1/interactions/" + std::to_string(item_id) + "/complete", boost::json::object{});
  EXPECT_EQ(done.status, 200) << done;
  EndWrapUp(agent);
  ASSERT_NO_FATAL_FAILURE(SetPresence(agent, "offline"));
}

TEST_F(SipTest, NoDigitGoesToTheGeneralQueue) {
  Api agent = ApiAs(kAgent);
  ASSERT_NO_FATAL_FAILURE(SetPresence(agent, "offline"));
  const int64_t seq_before = LastEventSeq(agent);
  RtpSocket audio;
  Sipp caller("caller", {"-s", kNumber, "-key", "caller", "07700900505", "-key", "rtpport",
                         std::to_string(audio.port()), "-set", "holdms", "45000", "-m", "1", "-timeout", "60",
                         Target()},
              server().dir());
  // The prompt plays, then 10 s without a digit: the call joins `general`.
  bool entered = false;
  std::string queue;
  ASSERT_TRUE(WaitUntil(
      [&] {
        while (audio.Receive(std::chrono::milliseconds(1))) {
        }
        for (const auto& e : EventsAfter(agent, seq_before)) {
          if (e.at("type").as_string() != "routing.enter") continue;
          queue = std::string(e.at("entity_key").as_string());  // a routing event's queue
          entered = true;
        }
        return entered;
      },
      std::chrono::milliseconds(45000)));
  EXPECT_EQ(queue, "general");
  EXPECT_EQ(caller.Wait(), 0) << caller.Log();
}

TEST_F(SipTest, HostileSipIsAnsweredAndBounded) {
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(server().sip_port());
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  auto send = [&](const std::string& m) {
    sendto(fd, m.data(), m.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
  };
  // Garbage, a truncated request, an enormous header, a flood of INVITEs
  // for numbers the council does not have.
  send("\x01\x02\x03 not sip at all");
  send("INVITE sip:01632960000@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK1\r\n");
  send("OPTIONS sip:x@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKbig\r\nX-Big: " +
       std::string(60000, 'a') + "\r\n\r\n");
  for (int i = 0; i < 300; ++i) {
    send("INVITE sip:0999" + std::to_string(i) + "@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKf" +
         std::to_string(i) + "\r\nFrom: <sip:a@127.0.0.1>;tag=" + std::to_string(i) +
         "\r\nTo: <sip:0999@127.0.0.1>\r\nCall-ID: flood" + std::to_string(i) +
         "\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
  }
  close(fd);
  // It still answers properly: an unknown number is 404 for sipp.
  RtpSocket audio;
  Sipp wrong("caller", {"-s", "09999999999", "-key", "caller", "07700900555", "-key", "rtpport",
                        std::to_string(audio.port()), "-set", "holdms", "1000", "-m", "1", "-timeout", "10",
                        Target()},
             server().dir());
  EXPECT_EQ(wrong.Wait(), 1) << wrong.Log();
  EXPECT_NE(wrong.Log().find("404"), std::string::npos) << wrong.Log();
  EXPECT_TRUE(server().Alive());
  Reply health = Api(port(), "").Get("/healthz");
  EXPECT_EQ(health.status, 200);
}


// baresip (Debian baresip-core), a real softphone, registered as the agent's
// extension with auto-answer and a tone as its microphone: it answers, and
// the caller hears it.
TEST_F(SipTest, BaresipSoftphoneAnswersAndTheCallerHearsIt) {
  Api admin = ApiAs(kAdmin);
  const int64_t id = StaffId(kAgent);
  Reply put = admin.Put("/api/v1/staff/" + std::to_string(id) + "/sip",
                        boost::json::object{{"extension", kExtension}, {"password", kSipPassword}});
  ASSERT_EQ(put.status, 200) << put;
  const std::string dir = server().dir() + "/baresip";
  ASSERT_EQ(system(("mkdir -p " + dir + " && sox -q -n -r 8000 -c 1 -b 16 -e signed-integer " + dir +
                    "/mic.wav synth 30 sine 440 vol 0.5").c_str()),
            0);
  const uint16_t phone_port = FreeUdpPort();
  {
    std::ofstream config(dir + "/config");
    config << "poll_method epoll\nsip_listen 127.0.0.1:" << phone_port << "\nsip_transports udp\n"
           << "audio_player aufile," << dir << "/heard.wav\naudio_source aufile," << dir << "/mic.wav\n"
           << "audio_alert aufile,/dev/null\nausrc_srate 8000\nauplay_srate 8000\nnet_interface 127.0.0.1\n"
           << "dns_server 127.0.0.1:53\nmodule_path /usr/lib/baresip/modules\nmodule g711.so\n"
           << "module aufile.so\nmodule menu.so\nmodule_app account.so\n";
    std::ofstream accounts(dir + "/accounts");
    accounts << "<sip:" << kExtension << "@" << Target() << ";transport=udp>;auth_pass=" << kSipPassword
             << ";answermode=auto;regint=300;audio_codecs=PCMA\n";
  }
  Child phone("baresip", {"-f", dir}, server().dir() + "/baresip.log");
  Api agent = ApiAs(kAgent);
  ASSERT_TRUE(WaitUntil([&] { return server().ReadLog().find("extension 1001 registered") != std::string::npos ||
                                     phone.Log().find("200 OK") != std::string::npos; }))
      << phone.Log();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  ASSERT_NO_FATAL_FAILURE(SetPresence(agent, "available"));
  RtpSocket audio;
  Sipp caller("caller", {"-s", kNumber, "-key", "caller", "07700900606", "-key", "rtpport",
                         std::to_string(audio.port()), "-set", "holdms", "6000", "-m", "1", "-timeout", "30",
                         Target()},
              server().dir());
  ASSERT_TRUE(WaitUntil([&] { return audio.Receive(std::chrono::milliseconds(200)).has_value(); }));
  audio.SendDigit('1');
  int64_t item_id = 0;
  ASSERT_TRUE(WaitUntil([&] {
    for (const auto& i : DeskItems(agent)) {
      if (i.at("state").as_string() == "connected") item_id = i.at("id").as_int64();
    }
    return item_id != 0;
  })) << phone.Log();
  // The 440 Hz tone from baresip's "microphone", relayed to the caller.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  RtpSocket::Heard heard = audio.Listen(std::chrono::milliseconds(1000), 0xD5);
  EXPECT_GE(heard.packets, 40);
  EXPECT_GE(heard.loud, 30) << "the softphone's audio should reach the caller";
  EXPECT_EQ(caller.Wait(), 0) << caller.Log();
  ASSERT_TRUE(WaitUntil([&] { return phone.Log().find("terminated") != std::string::npos; })) << phone.Log();
  Reply done = agent.Post("/api/v1/interactions/" + std::to_string(item_id) + "/complete", boost::json::object{});
  EXPECT_EQ(done.status, 200) << done;
  EndWrapUp(agent);
  ASSERT_NO_FATAL_FAILURE(SetPresence(agent, "offline"));
}

}  // namespace
}  // namespace onestop::integration
