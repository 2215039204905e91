#include "media/rtp_stream.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "gtest/gtest.h"
#include "media/rtp.h"
#include "media/tones.h"

namespace onestop::media {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

// A phone on loopback: a plain POSIX UDP socket.
class TestPhone {
 public:
  TestPhone() {
    fd_ = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    socklen_t length = sizeof address;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
  }
  ~TestPhone() { close(fd_); }
  uint16_t port() const { return port_; }

  void SendTo(uint16_t port, const std::vector<uint8_t>& bytes) const {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    sendto(fd_, bytes.data(), bytes.size(), 0, reinterpret_cast<sockaddr*>(&address), sizeof address);
  }
  void SendRtp(uint16_t port, uint8_t payload_type, uint16_t sequence, uint32_t timestamp,
               const std::vector<uint8_t>& payload, bool marker = false) const {
    RtpHeader header{marker, payload_type, sequence, timestamp, 0x5EED};
    std::vector<uint8_t> packet;
    BuildRtp(header, payload, packet);
    SendTo(port, packet);
  }
  std::optional<std::vector<uint8_t>> Receive(int timeout_ms) const {
    pollfd poll_fd{fd_, POLLIN, 0};
    if (poll(&poll_fd, 1, timeout_ms) <= 0) return std::nullopt;
    std::vector<uint8_t> bytes(2048);
    const ssize_t size = recv(fd_, bytes.data(), bytes.size(), 0);
    if (size < 0) return std::nullopt;
    bytes.resize(static_cast<size_t>(size));
    return bytes;
  }
  // The next packet that parses and satisfies `wanted`, within the timeout.
  template <typename Predicate>
  std::optional<std::vector<uint8_t>> ReceiveMatching(int timeout_ms, Predicate wanted) const {
    const auto until = steady_clock::now() + milliseconds(timeout_ms);
    while (steady_clock::now() < until) {
      const int left = static_cast<int>(std::chrono::duration_cast<milliseconds>(until - steady_clock::now()).count());
      auto bytes = Receive(std::max(1, left));
      if (!bytes) continue;
      auto parsed = ParseRtp(*bytes);
      if (parsed && wanted(*parsed)) return bytes;
    }
    return std::nullopt;
  }
  // Discards what has arrived; answers the last of it.
  std::optional<std::vector<uint8_t>> Drain() const {
    std::optional<std::vector<uint8_t>> last;
    while (auto bytes = Receive(0)) last = std::move(bytes);
    return last;
  }

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

// Each test process takes its own slice of ports, so parallel test runs
// (and other people's) rarely meet.
PortRange TestPorts(int size = 40) {
  static int next = 0;
  const int first = 30000 + static_cast<int>(getpid() % 700) * 40 + next;
  next += size;
  return PortRange{first - first % 2, first - first % 2 + size - 1};
}

RemoteMedia Remote(const TestPhone& phone, Codec codec, int telephone_event_pt) {
  return RemoteMedia{"127.0.0.1", phone.port(), codec, telephone_event_pt};
}

class Digits {
 public:
  RtpStream::OnDigit Callback() {
    return [this](char digit) {
      std::lock_guard<std::mutex> lock(mu_);
      digits_ += digit;
    };
  }
  std::string WaitFor(size_t count, int timeout_ms = 3000) {
    const auto until = steady_clock::now() + milliseconds(timeout_ms);
    while (steady_clock::now() < until) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (digits_.size() >= count) return digits_;
      }
      std::this_thread::sleep_for(milliseconds(5));
    }
    std::lock_guard<std::mutex> lock(mu_);
    return digits_;
  }

 private:
  std::mutex mu_;
  std::string digits_;
};

SharedPcm Sine(int ms, double hz, double amplitude) {
  Pcm pcm(static_cast<size_t>(ms) * 8);
  for (size_t sample_idx = 0; sample_idx < pcm.size(); ++sample_idx) {
    pcm[sample_idx] = static_cast<int16_t>(amplitude * std::sin(2 * M_PI * hz * sample_idx / kSampleRate));
  }
  return std::make_shared<const Pcm>(std::move(pcm));
}

TEST(RtpStreamTest, PlaysAClipIn20msPacketsThenSilence) {
  MediaEngine engine("127.0.0.1", TestPorts(), 2);
  auto opened = engine.Open();
  ASSERT_TRUE(opened.ok()) << opened.status();
  std::shared_ptr<RtpStream> stream = *opened;
  EXPECT_EQ(stream->local_port() % 2, 0);
  EXPECT_EQ(engine.open_streams(), 1);
  TestPhone phone;
  const SharedPcm clip = Sine(1000, 440, 8000);
  std::atomic<int> done{0};
  stream->Play({clip}, false, [&done] { done.fetch_add(1); });
  stream->SetRemote(Remote(phone, Codec::kPcma, 101));

  std::vector<RtpPacketView> packets;
  std::vector<std::vector<uint8_t>> storage;
  const auto start = steady_clock::now();
  while (steady_clock::now() - start < milliseconds(1500)) {
    auto bytes = phone.Receive(200);
    if (!bytes) continue;
    storage.push_back(*bytes);
  }
  for (const auto& bytes : storage) {
    auto parsed = ParseRtp(bytes);
    ASSERT_TRUE(parsed.has_value());
    packets.push_back(*parsed);
  }
  // About 75 in 1.5 s; loose bounds because the machine is shared.
  ASSERT_GE(packets.size(), 50u);
  EXPECT_LE(packets.size(), 90u);
  for (size_t packet_idx = 1; packet_idx < packets.size(); ++packet_idx) {
    EXPECT_EQ(packets[packet_idx].header.sequence, static_cast<uint16_t>(packets[packet_idx - 1].header.sequence + 1));
    EXPECT_EQ(packets[packet_idx].header.timestamp, packets[packet_idx - 1].header.timestamp + 160);
    EXPECT_EQ(packets[packet_idx].header.ssrc, packets[0].header.ssrc);
    EXPECT_EQ(packets[packet_idx].header.payload_type, 8);
    EXPECT_EQ(packets[packet_idx].payload.size(), 160u);
  }
  // The first 50 frames are the clip, byte for byte; then A-law silence.
  std::vector<uint8_t> expected;
  Encode(Codec::kPcma, *clip, expected);
  for (size_t packet_idx = 0; packet_idx < 50; ++packet_idx) {
    ASSERT_TRUE(std::equal(packets[packet_idx].payload.begin(), packets[packet_idx].payload.end(),
                           expected.begin() + static_cast<std::ptrdiff_t>(packet_idx * 160)))
        << "frame " << packet_idx;
  }
  for (size_t packet_idx = 50; packet_idx < packets.size(); ++packet_idx) {
    for (uint8_t byte : packets[packet_idx].payload) ASSERT_EQ(byte, 0xD5);
  }
  EXPECT_EQ(done.load(), 1);
  stream->Close();
  stream->Close();  // idempotent
  // Read after Close: the count is taken after each send returns.
  EXPECT_GE(stream->stats().packets_sent, packets.size());
  EXPECT_EQ(engine.open_streams(), 0);
}

TEST(RtpStreamTest, LoopingNeverEndsAndEmptyListIsSilence) {
  MediaEngine engine("127.0.0.1", TestPorts(), 1);
  auto stream = *engine.Open();
  TestPhone phone;
  std::atomic<int> done{0};
  stream->Play({Sine(100, 440, 8000)}, true, [&done] { done.fetch_add(1); });
  stream->SetRemote(Remote(phone, Codec::kPcmu, -1));
  std::this_thread::sleep_for(milliseconds(400));
  EXPECT_EQ(done.load(), 0);
  stream->Play({}, false);
  std::this_thread::sleep_for(milliseconds(100));
  phone.Drain();
  auto bytes = phone.Receive(500);
  ASSERT_TRUE(bytes.has_value());
  auto parsed = ParseRtp(*bytes);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->header.payload_type, 0);
  for (uint8_t byte : parsed->payload) EXPECT_EQ(byte, 0xFF);
}

// Two legs bridged: A's caller talks PCMA, B's PCMU. Each phone sends
// packets whose samples are a constant that identifies the packet.
TEST(RtpStreamTest, BridgeRelaysBothWaysWithTranscoding) {
  MediaEngine engine("127.0.0.1", TestPorts(), 2);
  auto a = *engine.Open();
  auto b = *engine.Open();
  TestPhone phone_a;
  TestPhone phone_b;
  a->SetRemote(Remote(phone_a, Codec::kPcma, 101));
  b->SetRemote(Remote(phone_b, Codec::kPcmu, 96));
  b->Play({HoldMusic()}, true);
  std::this_thread::sleep_for(milliseconds(100));
  BridgeStreams(a, b);
  std::this_thread::sleep_for(milliseconds(50));
  phone_a.Drain();
  // The last hold-music packet B sent before the bridge.
  const std::optional<std::vector<uint8_t>> last_played = phone_b.Drain();
  ASSERT_TRUE(last_played.has_value());
  const RtpHeader played = ParseRtp(*last_played)->header;

  auto constant_packet = [](Codec codec, int value) {
    const Pcm pcm(160, static_cast<int16_t>(value));
    std::vector<uint8_t> payload;
    Encode(codec, pcm, payload);
    return payload;
  };
  constexpr int kPackets = 25;
  std::vector<RtpPacketView> at_b;
  std::vector<std::vector<uint8_t>> storage_b;
  std::vector<std::vector<uint8_t>> storage_a;
  for (int packet_idx = 0; packet_idx < kPackets; ++packet_idx) {
    phone_a.SendRtp(a->local_port(), 8, static_cast<uint16_t>(100 + packet_idx), 5000 + 160 * packet_idx,
                    constant_packet(Codec::kPcma, 1000 + 200 * packet_idx));
    phone_b.SendRtp(b->local_port(), 0, static_cast<uint16_t>(700 + packet_idx), 9000 + 160 * packet_idx,
                    constant_packet(Codec::kPcmu, -1000 - 200 * packet_idx));
    std::this_thread::sleep_for(milliseconds(20));
    while (auto bytes = phone_b.Receive(0)) storage_b.push_back(*bytes);
    while (auto bytes = phone_a.Receive(0)) storage_a.push_back(*bytes);
  }
  std::this_thread::sleep_for(milliseconds(100));
  while (auto bytes = phone_b.Receive(0)) storage_b.push_back(*bytes);
  while (auto bytes = phone_a.Receive(0)) storage_a.push_back(*bytes);

  // Phone B hears A's audio as PCMU, every packet, in order, in B's own RTP
  // numbering; and no hold music once bridged.
  auto check = [&](const std::vector<std::vector<uint8_t>>& storage, uint8_t payload_type, Codec codec, int sign) {
    ASSERT_EQ(storage.size(), static_cast<size_t>(kPackets));
    std::optional<RtpHeader> previous;
    for (size_t packet_idx = 0; packet_idx < storage.size(); ++packet_idx) {
      auto parsed = ParseRtp(storage[packet_idx]);
      ASSERT_TRUE(parsed.has_value());
      EXPECT_EQ(parsed->header.payload_type, payload_type);
      EXPECT_NE(parsed->header.ssrc, 0x5EEDu);
      Pcm decoded;
      Decode(codec, parsed->payload, decoded);
      ASSERT_EQ(decoded.size(), 160u);
      const int expected = sign * (1000 + 200 * static_cast<int>(packet_idx));
      for (int16_t sample : decoded) ASSERT_NEAR(sample, expected, 3 + std::abs(expected) / 16);
      if (previous) {
        EXPECT_EQ(parsed->header.sequence, static_cast<uint16_t>(previous->sequence + 1));
        EXPECT_EQ(parsed->header.timestamp, previous->timestamp + 160);
        EXPECT_EQ(parsed->header.ssrc, previous->ssrc);
      }
      previous = parsed->header;
    }
  };
  check(storage_b, 0, Codec::kPcmu, 1);
  // Switching from playback to relay keeps B's numbering going.
  const RtpHeader first_relayed = ParseRtp(storage_b.front())->header;
  EXPECT_EQ(first_relayed.ssrc, played.ssrc);
  EXPECT_EQ(first_relayed.sequence, static_cast<uint16_t>(played.sequence + 1));
  EXPECT_GT(static_cast<int32_t>(first_relayed.timestamp - played.timestamp), 0);
  check(storage_a, 8, Codec::kPcma, -1);
  EXPECT_EQ(a->stats().packets_received, static_cast<uint64_t>(kPackets));
  EXPECT_EQ(a->stats().packets_relayed, static_cast<uint64_t>(kPackets));
  EXPECT_EQ(b->stats().packets_relayed, static_cast<uint64_t>(kPackets));
  EXPECT_GE(a->stats().jitter_ms, 0.0);
  EXPECT_NE(a->stats().last_received, absl::InfinitePast());

  // Unbridged, B goes back to its own packets (silence), with timestamps
  // that keep moving forward.
  const uint32_t last_relayed_ts = ParseRtp(storage_b.back())->header.timestamp;
  const uint16_t last_relayed_seq = ParseRtp(storage_b.back())->header.sequence;
  a->StopRelay();
  auto after = phone_b.ReceiveMatching(1000, [](const RtpPacketView&) { return true; });
  ASSERT_TRUE(after.has_value());
  auto parsed = ParseRtp(*after);
  EXPECT_EQ(parsed->header.sequence, static_cast<uint16_t>(last_relayed_seq + 1));
  EXPECT_GT(static_cast<int32_t>(parsed->header.timestamp - last_relayed_ts), 0);
  for (uint8_t byte : parsed->payload) EXPECT_EQ(byte, 0xFF);
}

TEST(RtpStreamTest, TelephoneEventsBecomeDigitsAndAreForwardedWithThePeersPayloadType) {
  MediaEngine engine("127.0.0.1", TestPorts(), 2);
  auto a = *engine.Open();
  auto b = *engine.Open();
  auto c = *engine.Open();
  TestPhone phone_a;
  TestPhone phone_b;
  TestPhone phone_c;
  Digits digits_a;
  a->OnDigits(digits_a.Callback());
  a->SetRemote(Remote(phone_a, Codec::kPcma, 101));
  b->SetRemote(Remote(phone_b, Codec::kPcma, 96));
  c->SetRemote(Remote(phone_c, Codec::kPcmu, -1));  // no RFC 4733 on this leg
  a->RelayTo(b);
  std::this_thread::sleep_for(milliseconds(50));
  phone_b.Drain();

  auto press = [&](uint16_t first_sequence, uint32_t timestamp, uint8_t event) {
    uint16_t sequence = first_sequence;
    for (uint16_t duration : {160, 320, 480}) {
      std::vector<uint8_t> payload;
      BuildTelephoneEvent(TelephoneEvent{event, false, 10, duration}, payload);
      phone_a.SendRtp(a->local_port(), 101, sequence++, timestamp, payload, duration == 160);
    }
    for (int repeat = 0; repeat < 3; ++repeat) {
      std::vector<uint8_t> payload;
      BuildTelephoneEvent(TelephoneEvent{event, true, 10, 640}, payload);
      phone_a.SendRtp(a->local_port(), 101, sequence++, timestamp, payload);
    }
  };
  press(10, 16000, 5);
  press(16, 17600, 5);
  press(22, 19200, 11);
  EXPECT_EQ(digits_a.WaitFor(3), "55#");

  std::vector<RtpPacketView> forwarded;
  std::vector<std::vector<uint8_t>> storage;
  while (auto bytes = phone_b.Receive(300)) storage.push_back(*bytes);
  for (const auto& bytes : storage) forwarded.push_back(*ParseRtp(bytes));
  ASSERT_EQ(forwarded.size(), 18u);
  for (size_t packet_idx = 0; packet_idx < forwarded.size(); ++packet_idx) {
    EXPECT_EQ(forwarded[packet_idx].header.payload_type, 96);
    auto event = ParseTelephoneEvent(forwarded[packet_idx].payload);
    ASSERT_TRUE(event.has_value());
    EXPECT_EQ(event->event, packet_idx < 12 ? 5 : 11);
    EXPECT_EQ(event->end, packet_idx % 6 >= 3);
    // One timestamp per event; events 1600 apart as sent.
    EXPECT_EQ(forwarded[packet_idx].header.timestamp,
              forwarded[0].header.timestamp + 1600 * static_cast<uint32_t>(packet_idx / 6));
  }

  // Relaying to a leg without telephone-event: the events are dropped there.
  a->StopRelay();
  a->RelayTo(c);
  std::this_thread::sleep_for(milliseconds(50));
  phone_c.Drain();
  press(28, 20800, 1);
  EXPECT_EQ(digits_a.WaitFor(4), "55#1");
  auto event_packet = phone_c.ReceiveMatching(300, [](const RtpPacketView& view) { return view.header.payload_type != 0; });
  EXPECT_FALSE(event_packet.has_value());
}

TEST(RtpStreamTest, InBandDigitsWhenNoTelephoneEvent) {
  MediaEngine engine("127.0.0.1", TestPorts(), 1);
  auto stream = *engine.Open();
  TestPhone phone;
  Digits digits;
  stream->OnDigits(digits.Callback());
  stream->SetRemote(Remote(phone, Codec::kPcmu, -1));
  std::this_thread::sleep_for(milliseconds(30));
  const Pcm tones = DtmfTones("159#");
  for (size_t offset = 0, packet_idx = 0; offset + 160 <= tones.size(); offset += 160, ++packet_idx) {
    std::vector<uint8_t> payload;
    Encode(Codec::kPcmu, std::span<const int16_t>(tones.data() + offset, 160), payload);
    phone.SendRtp(stream->local_port(), 0, static_cast<uint16_t>(packet_idx), static_cast<uint32_t>(offset), payload);
    std::this_thread::sleep_for(milliseconds(2));
  }
  EXPECT_EQ(digits.WaitFor(4), "159#");
}

TEST(RtpStreamTest, OnlyTheLatchedSourceIsAccepted) {
  MediaEngine engine("127.0.0.1", TestPorts(), 1);
  auto stream = *engine.Open();
  TestPhone phone;
  TestPhone intruder;
  const std::vector<uint8_t> silence(160, 0xD5);
  // Before SetRemote nothing is accepted.
  phone.SendRtp(stream->local_port(), 8, 1, 0, silence);
  std::this_thread::sleep_for(milliseconds(50));
  EXPECT_EQ(stream->stats().packets_dropped, 1u);
  stream->SetRemote(Remote(phone, Codec::kPcma, 101));
  std::this_thread::sleep_for(milliseconds(30));
  phone.SendRtp(stream->local_port(), 8, 2, 160, silence);
  std::this_thread::sleep_for(milliseconds(30));
  intruder.SendRtp(stream->local_port(), 8, 3, 320, silence);
  phone.SendRtp(stream->local_port(), 18, 4, 480, silence);  // G.729: not offered
  phone.SendTo(stream->local_port(), {0x80, 8, 0});          // malformed
  std::this_thread::sleep_for(milliseconds(50));
  const StreamStats stats = stream->stats();
  EXPECT_EQ(stats.packets_received, 1u);
  EXPECT_EQ(stats.packets_dropped, 4u);
}

TEST(RtpStreamTest, PortExhaustionAndRelease) {
  const PortRange range = TestPorts(2);  // one even port
  MediaEngine engine("127.0.0.1", range, 1);
  auto first = engine.Open();
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ((*first)->local_port(), range.first);
  auto second = engine.Open();
  EXPECT_EQ(second.status().code(), absl::StatusCode::kResourceExhausted);
  (*first)->Close();
  auto again = engine.Open();
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ((*again)->local_port(), range.first);
}

TEST(RtpStreamTest, PortTakenByAnotherProgramIsSkipped) {
  const PortRange range = TestPorts(4);
  // Someone else holds the first even port.
  TestPhone squatter;
  const int fd = socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(range.first));
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  MediaEngine engine("127.0.0.1", range, 1);
  auto stream = engine.Open();
  ASSERT_TRUE(stream.ok());
  EXPECT_EQ((*stream)->local_port(), range.first + 2);
  EXPECT_EQ(engine.Open().status().code(), absl::StatusCode::kResourceExhausted);
  close(fd);
}

TEST(RtpStreamTest, NoCallbacksAfterCloseAndStreamsOutliveTheEngine) {
  std::shared_ptr<RtpStream> a;
  std::shared_ptr<RtpStream> b;
  TestPhone phone;
  Digits digits;
  {
    MediaEngine engine("127.0.0.1", TestPorts(), 2);
    a = *engine.Open();
    b = *engine.Open();
    a->OnDigits(digits.Callback());
    a->SetRemote(Remote(phone, Codec::kPcma, 101));
    b->SetRemote(Remote(phone, Codec::kPcma, 101));
    BridgeStreams(a, b);
    std::this_thread::sleep_for(milliseconds(30));
    a->Close();
    std::vector<uint8_t> payload;
    BuildTelephoneEvent(TelephoneEvent{3, false, 10, 160}, payload);
    phone.SendRtp(a->local_port(), 101, 1, 0, payload);
    std::this_thread::sleep_for(milliseconds(50));
    EXPECT_EQ(digits.WaitFor(1, 100), "");
    // b is still open when the engine goes: the engine closes it.
  }
  // Every call on a closed stream is a no-op.
  b->Play({HoldMusic()}, true);
  b->SetRemote(Remote(phone, Codec::kPcmu, -1));
  b->Close();
  a->Close();
  EXPECT_EQ(b->stats().packets_received, 0u);
}

}  // namespace
}  // namespace onestop::media
