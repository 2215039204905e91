// Helpers shared by the telephone's integration tests (sip_test.cc,
// sip_day_test.cc): sipp (Debian sip-tester) run in the background as the
// resident's phone or a staff phone, the test's own RTP sockets as the audio
// end of a phone, free UDP ports for sipp's sockets, G.711 DTMF tones, and a
// small synchronous WebSocket client for the staff channels (/staff/ws/desk,
// /staff/ws/wallboard).
//
// Threads: each object is used by one thread at a time; Sipp and Child kill
// their process when destroyed.
#pragma once

#include <netinet/in.h>
#include <sys/types.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace onestop::integration {

// tests/sip/scenarios in the source tree.
std::string ScenarioDir();

// A UDP port nobody uses right now, from 61000-64999 (for sipp's own
// sockets: left alone it takes 5060, 6000, 6002 and 8888, which `make run`
// or a parallel test may hold). With `pair`, an even port whose port + 2 is
// free too (sipp's media).
uint16_t FreeUdpPort(bool pair = false);

// A program run in the background with its output in `log`; killed, with
// every process it forked, when the object goes.
class Child {
 public:
  Child(const std::string& program, std::vector<std::string> args, std::string log);
  ~Child();
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  std::string Log() const;  // the last 6,000 characters

 private:
  pid_t pid_ = -1;
  std::string log_;
};

// A sipp run in the background (scenario tests/sip/scenarios/<scenario>.xml,
// log in `dir`); Wait() returns its exit code (0 = every call of the scenario
// passed). sipp's media port (-mp) and control port (-cp) are chosen free,
// and its SIP port (-p) too unless `args` has one. With `cwd`, sipp runs
// there (relative file names in a scenario, such as rtp_stream's, are
// looked up there).
class Sipp {
 public:
  Sipp(const std::string& scenario, std::vector<std::string> args, const std::string& dir,
       const std::string& cwd = "");
  ~Sipp();
  Sipp(const Sipp&) = delete;
  Sipp& operator=(const Sipp&) = delete;
  int Wait(std::chrono::seconds timeout = std::chrono::seconds(60));
  // Asks sipp to end (SIGUSR1: no new calls, the calls in progress end
  // their scenarios) and waits for it, as Wait.
  int Finish(std::chrono::seconds timeout = std::chrono::seconds(60));
  bool running() const { return pid_ > 0; }
  std::string Log() const;  // the last 6,000 characters
  const std::string& log_path() const { return log_; }
  // From the final statistics sipp prints when it ends: the cumulative
  // "Successful call" / "Failed call" counts (-1 when not printed).
  int64_t SuccessfulCalls() const;
  int64_t FailedCalls() const;

 private:
  int64_t Count(const std::string& row) const;
  static inline int counter_ = 0;
  pid_t pid_ = -1;
  std::string log_;
};

// The audio end of a phone: receives RTP, remembers where it came from, and
// sends G.711 frames or RFC 4733 events back there.
class RtpSocket {
 public:
  RtpSocket();
  ~RtpSocket();
  RtpSocket(const RtpSocket&) = delete;
  RtpSocket& operator=(const RtpSocket&) = delete;
  uint16_t port() const { return port_; }

  struct Packet {
    uint8_t pt = 0;
    uint16_t seq = 0;
    uint32_t ts = 0;
    std::vector<uint8_t> payload;
  };
  // Next RTP packet within `timeout`.
  std::optional<Packet> Receive(std::chrono::milliseconds timeout);
  // Receives for `d`, counting packets and those carrying sound (not
  // G.711 silence).
  struct Heard {
    int packets = 0;
    int loud = 0;
    std::vector<Packet> sample;
  };
  Heard Listen(std::chrono::milliseconds d, uint8_t silence_byte);
  bool has_peer() const { return have_peer_; }
  void Send(uint8_t pt, bool marker, const std::vector<uint8_t>& payload);
  void SendAudio(uint8_t pt, uint8_t byte);
  // One RFC 4733 digit: three packets of the event, then three end packets
  // (all with the event's timestamp), as phones send it.
  void SendDigit(char digit, uint8_t pt = 101);

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
  sockaddr_in peer_{};
  bool have_peer_ = false;
  uint16_t seq_ = 1000;
  uint32_t ts_ = 160000;
};

// Waits (up to 10 s) until the socket hears speech — the menu's prompt —
// not the silence a stream sends before the call is up: a digit pressed
// before the menu starts is not heard.
bool HearsSpeech(RtpSocket& audio);

// G.711 µ-law of one linear sample (ITU-T G.711), for in-band tones.
uint8_t LinearToUlaw(int sample);
// 20 ms µ-law frames of a DTMF digit (two sines, 120 ms) and then silence.
std::vector<std::vector<uint8_t>> DtmfFrames(char digit);

// A small synchronous WebSocket client (Boost.Beast) for the staff channels,
// signed in with a bearer token. error()/status() tell whether the
// handshake was refused.
class StaffSocket {
 public:
  StaffSocket(uint16_t port, const std::string& target, const std::string& token);
  const boost::system::error_code& error() const { return ec_; }
  unsigned status() const { return response_.result_int(); }
  void Send(const boost::json::object& message);
  // The next JSON object message within `timeout` (nullopt: none came, or
  // the socket failed).
  std::optional<boost::json::object> Read(std::chrono::milliseconds timeout);
  // Reads messages until one satisfies `want`, for at most `timeout`.
  std::optional<boost::json::object> ReadUntil(const std::function<bool(const boost::json::object&)>& want,
                                               std::chrono::milliseconds timeout = std::chrono::seconds(10));

 private:
  boost::asio::io_context io_;
  boost::beast::websocket::stream<boost::asio::ip::tcp::socket> ws_;
  boost::beast::websocket::response_type response_;
  boost::system::error_code ec_;
  bool broken_ = false;
};

}  // namespace onestop::integration
