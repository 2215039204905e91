#include "media/recorder.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "media/rtp.h"
#include "media/rtp_stream.h"
#include "media/tones.h"

namespace onestop::media {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

// A fresh directory per test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "recorder_test.XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::string File(const std::string& name) const {
    return (std::filesystem::path(path_) / name).string();
  }

 private:
  std::string path_;
};

struct Wav {
  std::string riff, wave, fmt, data;
  uint32_t riff_size = 0, fmt_size = 0, data_size = 0, sample_rate = 0, byte_rate = 0;
  uint16_t format = 0, channels = 0, block_align = 0, bits = 0;
  size_t file_size = 0;
  Pcm samples;
};

uint32_t Le32(const std::string& bytes, size_t at) {
  uint32_t value = 0;
  for (int byte_idx = 3; byte_idx >= 0; --byte_idx)
    value = (value << 8) | static_cast<uint8_t>(bytes[at + static_cast<size_t>(byte_idx)]);
  return value;
}
uint16_t Le16(const std::string& bytes, size_t at) {
  return static_cast<uint16_t>(static_cast<uint8_t>(bytes[at]) |
                               (static_cast<uint8_t>(bytes[at + 1]) << 8));
}

Wav ReadWav(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Wav wav;
  wav.file_size = bytes.size();
  if (bytes.size() < 44) return wav;
  wav.riff = bytes.substr(0, 4);
  wav.riff_size = Le32(bytes, 4);
  wav.wave = bytes.substr(8, 4);
  wav.fmt = bytes.substr(12, 4);
  wav.fmt_size = Le32(bytes, 16);
  wav.format = Le16(bytes, 20);
  wav.channels = Le16(bytes, 22);
  wav.sample_rate = Le32(bytes, 24);
  wav.byte_rate = Le32(bytes, 28);
  wav.block_align = Le16(bytes, 32);
  wav.bits = Le16(bytes, 34);
  wav.data = bytes.substr(36, 4);
  wav.data_size = Le32(bytes, 40);
  for (size_t at = 44; at + 1 < bytes.size(); at += 2)
    wav.samples.push_back(static_cast<int16_t>(Le16(bytes, at)));
  return wav;
}

void ExpectCanonicalHeader(const Wav& wav) {
  EXPECT_EQ(wav.riff, "RIFF");
  EXPECT_EQ(wav.wave, "WAVE");
  EXPECT_EQ(wav.fmt, "fmt ");
  EXPECT_EQ(wav.fmt_size, 16u);
  EXPECT_EQ(wav.format, 1);  // PCM
  EXPECT_EQ(wav.channels, 1);
  EXPECT_EQ(wav.sample_rate, 8000u);
  EXPECT_EQ(wav.byte_rate, 16000u);
  EXPECT_EQ(wav.block_align, 2);
  EXPECT_EQ(wav.bits, 16);
  EXPECT_EQ(wav.data, "data");
  EXPECT_EQ(wav.data_size, wav.file_size - 44);
  EXPECT_EQ(wav.riff_size, wav.file_size - 8);
}

// Amplitude of the `hz` component in samples [from_ms, to_ms) (Goertzel).
double ToneAmplitude(const Pcm& pcm, double hz, int from_ms, int to_ms) {
  const size_t from = static_cast<size_t>(from_ms) * 8;
  const size_t to = std::min(pcm.size(), static_cast<size_t>(to_ms) * 8);
  if (to <= from) return -1;
  const double coefficient = 2 * std::cos(2 * M_PI * hz / kSampleRate);
  double previous = 0, before_previous = 0;
  for (size_t sample_idx = from; sample_idx < to; ++sample_idx) {
    const double current = pcm[sample_idx] + coefficient * previous - before_previous;
    before_previous = previous;
    previous = current;
  }
  const double power = previous * previous + before_previous * before_previous -
                       coefficient * previous * before_previous;
  return 2 * std::sqrt(std::max(0.0, power)) / static_cast<double>(to - from);
}

double Rms(const Pcm& pcm, int from_ms, int to_ms) {
  const size_t from = static_cast<size_t>(from_ms) * 8;
  const size_t to = std::min(pcm.size(), static_cast<size_t>(to_ms) * 8);
  if (to <= from) return -1;
  double sum = 0;
  for (size_t sample_idx = from; sample_idx < to; ++sample_idx)
    sum += static_cast<double>(pcm[sample_idx]) * pcm[sample_idx];
  return std::sqrt(sum / static_cast<double>(to - from));
}

// One 20 ms frame of a sine, continuous in phase across frames.
std::vector<int16_t> SineFrame(double hz, double amplitude, int64_t frame_idx) {
  std::vector<int16_t> frame(kFrameSamples);
  for (int sample_idx = 0; sample_idx < kFrameSamples; ++sample_idx) {
    const double t = static_cast<double>(frame_idx * kFrameSamples + sample_idx) / kSampleRate;
    frame[static_cast<size_t>(sample_idx)] =
        static_cast<int16_t>(amplitude * std::sin(2 * M_PI * hz * t));
  }
  return frame;
}

// A clock the test moves.
struct FakeTime {
  std::shared_ptr<std::atomic<int64_t>> ns = std::make_shared<std::atomic<int64_t>>(1'000'000'000);
  CallRecorder::NowFn Fn() const {
    return [ns = ns] { return ns->load(); };
  }
  void AdvanceMs(int64_t ms) { ns->fetch_add(ms * 1'000'000); }
};

constexpr double kAmplitude = 8000;

TEST(CallRecorderTest, MixesBothLegsIntoOneMono8kHzWav) {
  TempDir dir;
  FakeTime time;
  auto recorder = CallRecorder::CreateForTest(dir.File("calls/2026/12/07/call-1.wav"), time.Fn());
  ASSERT_TRUE(recorder.ok()) << recorder.status();
  for (int64_t frame_idx = 0; frame_idx < 150; ++frame_idx) {  // 3 s
    time.AdvanceMs(20);
    (*recorder)->Push(0, 0x1111, static_cast<uint32_t>(7000 + 160 * frame_idx),
                      SineFrame(440, kAmplitude, frame_idx));
    (*recorder)->Push(1, 0x2222, static_cast<uint32_t>(0xFFFFF000u + 160 * frame_idx),  // wraps
                      SineFrame(1000, kAmplitude, frame_idx));
  }
  const CallRecorder::Summary summary = (*recorder)->Finish();
  EXPECT_EQ(summary.duration_ms, 3000);
  EXPECT_EQ(summary.paused_ms, 0);
  EXPECT_EQ(summary.pauses, 0);
  EXPECT_EQ(summary.bytes, 44 + 3 * 16000);
  EXPECT_TRUE((*recorder)->status().ok());

  const Wav wav = ReadWav(dir.File("calls/2026/12/07/call-1.wav"));
  ExpectCanonicalHeader(wav);
  EXPECT_EQ(wav.file_size, static_cast<size_t>(summary.bytes));
  ASSERT_EQ(wav.samples.size(), 24000u);
  EXPECT_NEAR(ToneAmplitude(wav.samples, 440, 100, 2900), kAmplitude, kAmplitude * 0.05);
  EXPECT_NEAR(ToneAmplitude(wav.samples, 1000, 100, 2900), kAmplitude, kAmplitude * 0.05);
  EXPECT_LT(ToneAmplitude(wav.samples, 700, 100, 2900), kAmplitude * 0.05);
  // Audio from the first packet onwards (it arrived at 20 ms).
  EXPECT_EQ(Rms(wav.samples, 0, 20), 0);
  EXPECT_GT(Rms(wav.samples, 20, 40), kAmplitude / 2);
}

TEST(CallRecorderTest, SumSaturatesInsteadOfWrapping) {
  TempDir dir;
  FakeTime time;
  auto recorder = *CallRecorder::CreateForTest(dir.File("loud.wav"), time.Fn());
  const std::vector<int16_t> loud(kFrameSamples, 30000);
  const std::vector<int16_t> quiet_negative(kFrameSamples, -30000);
  for (int64_t frame_idx = 0; frame_idx < 50; ++frame_idx) {
    time.AdvanceMs(20);
    const bool second_half = frame_idx >= 25;
    recorder->Push(0, 1, static_cast<uint32_t>(160 * frame_idx),
                   second_half ? quiet_negative : loud);
    recorder->Push(1, 2, static_cast<uint32_t>(160 * frame_idx),
                   second_half ? quiet_negative : loud);
  }
  recorder->Finish();
  const Wav wav = ReadWav(dir.File("loud.wav"));
  ASSERT_EQ(wav.samples.size(), 8000u);
  for (size_t sample_idx = 160; sample_idx < 160 + 25 * 160; ++sample_idx)
    ASSERT_EQ(wav.samples[sample_idx], 32767);
  for (size_t sample_idx = 160 + 25 * 160; sample_idx < 8000; ++sample_idx)
    ASSERT_EQ(wav.samples[sample_idx], -32768);
}

// Silence suppression on the agent's side: no packets for 2 s, then the
// timestamps carry on 2 s later. Time must not collapse.
TEST(CallRecorderTest, AGapInOneLegIsSilenceOfItsLength) {
  TempDir dir;
  FakeTime time;
  auto recorder = *CallRecorder::CreateForTest(dir.File("gap.wav"), time.Fn());
  for (int64_t frame_idx = 0; frame_idx < 250; ++frame_idx) {  // 5 s
    time.AdvanceMs(20);
    recorder->Push(0, 0xA, static_cast<uint32_t>(160 * frame_idx),
                   SineFrame(440, kAmplitude, frame_idx));
    const bool agent_talks = frame_idx < 50 || frame_idx >= 150;
    if (agent_talks)
      recorder->Push(1, 0xB, static_cast<uint32_t>(90000 + 160 * frame_idx),
                     SineFrame(1000, kAmplitude, frame_idx));
  }
  // Then the agent's phone comes back with a new SSRC and unrelated
  // timestamps (re-INVITE, hold): placed at its arrival.
  for (int64_t frame_idx = 250; frame_idx < 300; ++frame_idx) {
    time.AdvanceMs(20);
    recorder->Push(0, 0xA, static_cast<uint32_t>(160 * frame_idx),
                   SineFrame(440, kAmplitude, frame_idx));
    if (frame_idx >= 275)
      recorder->Push(1, 0xC, static_cast<uint32_t>(12345 + 160 * frame_idx),
                     SineFrame(1000, kAmplitude, frame_idx));
  }
  const CallRecorder::Summary summary = recorder->Finish();
  EXPECT_EQ(summary.duration_ms, 6000);
  const Wav wav = ReadWav(dir.File("gap.wav"));
  ExpectCanonicalHeader(wav);
  ASSERT_EQ(wav.samples.size(), 48000u);
  // Packets land 20 ms after their frame's time (they arrive then).
  EXPECT_NEAR(ToneAmplitude(wav.samples, 440, 100, 5900), kAmplitude, kAmplitude * 0.05);
  EXPECT_NEAR(ToneAmplitude(wav.samples, 1000, 40, 1020), kAmplitude, kAmplitude * 0.05);
  EXPECT_LT(ToneAmplitude(wav.samples, 1000, 1020, 3020), kAmplitude * 0.01);
  EXPECT_NEAR(ToneAmplitude(wav.samples, 1000, 3020, 5020), kAmplitude, kAmplitude * 0.05);
  EXPECT_LT(ToneAmplitude(wav.samples, 1000, 5020, 5520), kAmplitude * 0.01);
  EXPECT_NEAR(ToneAmplitude(wav.samples, 1000, 5520, 6000), kAmplitude, kAmplitude * 0.05);
}

// The same SSRC whose timestamps jump (a phone restarting its clock, a
// buggy gateway) back by 0.6 s and later forward by 5 s: the audio keeps
// coming, at its arrival time, after at most a few dropped packets.
TEST(CallRecorderTest, TimestampJumpsReanchorAtArrival) {
  TempDir dir;
  FakeTime time;
  auto recorder = *CallRecorder::CreateForTest(dir.File("jumps.wav"), time.Fn());
  for (int64_t frame_idx = 0; frame_idx < 200; ++frame_idx) {  // 4 s
    time.AdvanceMs(20);
    int64_t timestamp = 160 * frame_idx + 100000;
    if (frame_idx >= 50) timestamp -= 4800;    // 0.6 s back
    if (frame_idx >= 125) timestamp += 40000;  // 5 s forward
    recorder->Push(0, 0xD, static_cast<uint32_t>(timestamp), SineFrame(440, kAmplitude, frame_idx));
  }
  EXPECT_EQ(recorder->Finish().duration_ms, 4000);
  const Wav wav = ReadWav(dir.File("jumps.wav"));
  ASSERT_EQ(wav.samples.size(), 32000u);
  // Nothing is lost or doubled but the packets dropped at the backward jump
  // (three, 60 ms) before re-anchoring.
  EXPECT_NEAR(ToneAmplitude(wav.samples, 440, 100, 1000), kAmplitude, kAmplitude * 0.05);
  EXPECT_EQ(Rms(wav.samples, 1020, 1080), 0);
  EXPECT_NEAR(ToneAmplitude(wav.samples, 440, 1080, 2500), kAmplitude, kAmplitude * 0.05);
  EXPECT_NEAR(ToneAmplitude(wav.samples, 440, 2500, 4000), kAmplitude, kAmplitude * 0.05);
  for (int window_ms = 40; window_ms + 20 <= 4000; window_ms += 20) {
    if (window_ms >= 1020 && window_ms < 1080) continue;
    ASSERT_GT(Rms(wav.samples, window_ms, window_ms + 20), kAmplitude / 2) << window_ms;
  }
}

// Packets that arrive late and out of order land where their timestamps
// say: the file is the same as with perfect delivery.
TEST(CallRecorderTest, JitterAndReorderingDoNotMoveAudio) {
  TempDir dir;
  auto record = [&](const std::string& name, bool jitter) {
    FakeTime time;
    auto recorder = *CallRecorder::CreateForTest(dir.File(name), time.Fn());
    std::mt19937 random(7);
    std::uniform_int_distribution<int> delay_ms(0, 120);
    // arrival ms → (channel, frame)
    std::multimap<int64_t, std::pair<int, int64_t>> arrivals;
    for (int64_t frame_idx = 0; frame_idx < 200; ++frame_idx) {
      for (int channel = 0; channel < 2; ++channel) {
        const int64_t sent = 20 * (frame_idx + 1);
        // The first packet of each leg on time: it anchors the leg.
        arrivals.emplace(sent + (jitter && frame_idx > 0 ? delay_ms(random) : 0),
                         std::make_pair(channel, frame_idx));
      }
    }
    int64_t now_ms = 0;
    for (const auto& [arrival, packet] : arrivals) {
      time.AdvanceMs(arrival - now_ms);
      now_ms = arrival;
      const auto [channel, frame_idx] = packet;
      recorder->Push(channel, 0x77 + static_cast<uint32_t>(channel),
                     static_cast<uint32_t>(160 * frame_idx),
                     SineFrame(channel == 0 ? 440 : 1000, kAmplitude, frame_idx));
    }
    time.AdvanceMs(4500 - now_ms);
    recorder->Finish();
    return ReadWav(dir.File(name)).samples;
  };
  const Pcm steady = record("steady.wav", false);
  const Pcm jittered = record("jittered.wav", true);
  ASSERT_EQ(steady.size(), 36000u);
  EXPECT_TRUE(steady == jittered);
  EXPECT_NEAR(ToneAmplitude(jittered, 440, 100, 4000), kAmplitude, kAmplitude * 0.05);
}

TEST(CallRecorderTest, PauseSilencesBothPartiesKeepsTheTimelineAndIsCounted) {
  TempDir dir;
  FakeTime time;
  auto recorder = *CallRecorder::CreateForTest(dir.File("pci.wav"), time.Fn());
  const Pcm card_digits = DtmfTones("4929123456781234", 80, 60);
  size_t digit_pos = 0;
  for (int64_t frame_idx = 0; frame_idx < 200; ++frame_idx) {  // 4 s
    time.AdvanceMs(20);
    const int64_t now_ms = 20 * (frame_idx + 1);
    if (now_ms == 1500) recorder->Pause();
    if (now_ms == 1600) recorder->Pause();  // idempotent: not a second pause
    if (now_ms == 2500) recorder->Resume();
    if (now_ms == 2600) recorder->Resume();
    if (now_ms == 3000) recorder->Pause();
    if (now_ms == 3200) recorder->Resume();
    std::vector<int16_t> caller = SineFrame(440, kAmplitude, frame_idx);
    if (recorder->paused() && digit_pos + kFrameSamples <= card_digits.size()) {
      // The caller keys the card number as in-band tones during the pause.
      caller.assign(card_digits.begin() + static_cast<std::ptrdiff_t>(digit_pos),
                    card_digits.begin() + static_cast<std::ptrdiff_t>(digit_pos + kFrameSamples));
      digit_pos += kFrameSamples;
    }
    recorder->Push(0, 1, static_cast<uint32_t>(160 * frame_idx), caller);
    recorder->Push(1, 2, static_cast<uint32_t>(160 * frame_idx),
                   SineFrame(1000, kAmplitude, frame_idx));
    if (now_ms == 2000) {
      const CallRecorder::Summary during = recorder->summary();
      EXPECT_EQ(during.paused_ms, 500);
      EXPECT_EQ(during.pauses, 1);
      EXPECT_EQ(during.duration_ms, 2000);
    }
  }
  const CallRecorder::Summary summary = recorder->Finish();
  EXPECT_EQ(summary.duration_ms, 4000);
  EXPECT_EQ(summary.paused_ms, 1200);
  EXPECT_EQ(summary.pauses, 2);
  const Wav wav = ReadWav(dir.File("pci.wav"));
  ExpectCanonicalHeader(wav);
  ASSERT_EQ(wav.samples.size(), 32000u);
  // Packets pushed at t carry [t, t + 20 ms).
  EXPECT_NEAR(ToneAmplitude(wav.samples, 440, 100, 1500), kAmplitude, kAmplitude * 0.05);
  EXPECT_NEAR(ToneAmplitude(wav.samples, 1000, 100, 1500), kAmplitude, kAmplitude * 0.05);
  EXPECT_EQ(Rms(wav.samples, 1500, 2500), 0);
  EXPECT_NEAR(ToneAmplitude(wav.samples, 440, 2500, 3000), kAmplitude, kAmplitude * 0.05);
  EXPECT_EQ(Rms(wav.samples, 3000, 3200), 0);
  EXPECT_NEAR(ToneAmplitude(wav.samples, 1000, 3200, 4000), kAmplitude, kAmplitude * 0.05);
  EXPECT_GT(digit_pos, 0u);
}

TEST(CallRecorderTest, NoPacketsAtAllIsSilenceOfTheRightLength) {
  TempDir dir;
  FakeTime time;
  auto recorder = *CallRecorder::CreateForTest(dir.File("quiet.wav"), time.Fn());
  time.AdvanceMs(2500);
  EXPECT_EQ(recorder->summary().duration_ms, 2500);
  const CallRecorder::Summary summary = recorder->Finish();
  EXPECT_EQ(summary.duration_ms, 2500);
  const Wav wav = ReadWav(dir.File("quiet.wav"));
  ExpectCanonicalHeader(wav);
  ASSERT_EQ(wav.samples.size(), 20000u);
  EXPECT_EQ(Rms(wav.samples, 0, 2500), 0);
}

// One leg only (the agent muted, or the phone suppresses silence for the
// whole call): the duration is still the call's, and the file is written
// as it goes — about once a second, header sizes included.
TEST(CallRecorderTest, OneLegOnlyKeepsTheDurationAndIsFlushedAsItGoes) {
  TempDir dir;
  FakeTime time;
  const std::string path = dir.File("one-leg.wav");
  auto recorder = *CallRecorder::CreateForTest(path, time.Fn());
  for (int64_t frame_idx = 0; frame_idx < 500; ++frame_idx) {  // 10 s
    time.AdvanceMs(20);
    recorder->Push(0, 9, static_cast<uint32_t>(160 * frame_idx),
                   SineFrame(440, kAmplitude, frame_idx));
    if (frame_idx == 249) {  // 5 s in: 4.7 s mixed (300 ms window), 4 s of it flushed
      const Wav partial = ReadWav(path);
      ExpectCanonicalHeader(partial);
      EXPECT_EQ(partial.samples.size(), 4u * 8000);
      EXPECT_EQ(recorder->summary().bytes, 44 + 4700 * 16);
    }
  }
  const CallRecorder::Summary summary = recorder->Finish();
  EXPECT_EQ(summary.duration_ms, 10000);
  const Wav wav = ReadWav(path);
  ExpectCanonicalHeader(wav);
  ASSERT_EQ(wav.samples.size(), 80000u);
  EXPECT_NEAR(ToneAmplitude(wav.samples, 440, 100, 9900), kAmplitude, kAmplitude * 0.05);
  EXPECT_LT(ToneAmplitude(wav.samples, 1000, 100, 9900), kAmplitude * 0.01);
}

TEST(CallRecorderTest, CreateFailsCleanly) {
  TempDir dir;
  // A parent "directory" that is a file: fails even as root.
  { std::ofstream(dir.File("plain-file")) << "x"; }
  auto under_a_file = CallRecorder::Create(dir.File("plain-file/calls/1.wav"));
  ASSERT_FALSE(under_a_file.ok());
  EXPECT_NE(under_a_file.status().message().find("plain-file"), std::string::npos)
      << under_a_file.status();
  // The path is a directory.
  std::filesystem::create_directories(dir.File("a-directory"));
  EXPECT_FALSE(CallRecorder::Create(dir.File("a-directory")).ok());
  // A recording never overwrites a file.
  auto first = CallRecorder::Create(dir.File("same.wav"));
  ASSERT_TRUE(first.ok()) << first.status();
  auto second = CallRecorder::Create(dir.File("same.wav"));
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kAlreadyExists);
}

TEST(CallRecorderTest, FinishTwiceIsHarmlessAndLaterCallsAreIgnored) {
  TempDir dir;
  FakeTime time;
  auto recorder = *CallRecorder::CreateForTest(dir.File("twice.wav"), time.Fn());
  for (int64_t frame_idx = 0; frame_idx < 50; ++frame_idx) {
    time.AdvanceMs(20);
    recorder->Push(0, 1, static_cast<uint32_t>(160 * frame_idx),
                   SineFrame(440, kAmplitude, frame_idx));
  }
  const CallRecorder::Summary first = recorder->Finish();
  time.AdvanceMs(1000);
  recorder->Push(0, 1, 160 * 50, SineFrame(440, kAmplitude, 50));
  recorder->Pause();
  recorder->Resume();
  const CallRecorder::Summary second = recorder->Finish();
  EXPECT_EQ(first.duration_ms, 1000);
  EXPECT_EQ(second.duration_ms, first.duration_ms);
  EXPECT_EQ(second.bytes, first.bytes);
  EXPECT_EQ(second.pauses, 0);
  EXPECT_EQ(recorder->summary().bytes, first.bytes);
  EXPECT_EQ(std::filesystem::file_size(dir.File("twice.wav")), static_cast<uintmax_t>(first.bytes));
  recorder.reset();  // the destructor's Finish is harmless too
  EXPECT_EQ(ReadWav(dir.File("twice.wav")).samples.size(), 8000u);
}

// The disk fills (here: a file size limit) part-way: the recording stops,
// status() says why, nothing crashes, and what was written stays a valid WAV.
TEST(CallRecorderDeathTest, AWriteErrorStopsTheRecording) {
  TempDir dir;
  const std::string path = dir.File("full.wav");
  EXPECT_EXIT(
      {
        std::signal(SIGXFSZ, SIG_IGN);
        rlimit limit{};
        limit.rlim_cur = limit.rlim_max = 44 + 2 * 16000 + 1000;
        setrlimit(RLIMIT_FSIZE, &limit);
        FakeTime time;
        auto recorder = *CallRecorder::CreateForTest(path, time.Fn());
        for (int64_t frame_idx = 0; frame_idx < 300; ++frame_idx) {
          time.AdvanceMs(20);
          recorder->Push(0, 1, static_cast<uint32_t>(160 * frame_idx),
                         SineFrame(440, kAmplitude, frame_idx));
        }
        const CallRecorder::Summary summary = recorder->Finish();
        const bool stopped = !recorder->status().ok() && summary.bytes <= 44 + 3 * 16000 &&
                             summary.duration_ms < 6000;
        std::_Exit(stopped ? 0 : 1);
      },
      testing::ExitedWithCode(0), "");
  // The child's file: the flushes before the error, a consistent header.
  const Wav wav = ReadWav(path);
  ExpectCanonicalHeader(wav);
  EXPECT_EQ(wav.samples.size(), 2u * 8000);
}

// --- end to end: two bridged RtpStreams, phones on loopback ---------------

class Phone {
 public:
  Phone() {
    fd_ = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    socklen_t length = sizeof address;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
  }
  ~Phone() { close(fd_); }
  uint16_t port() const { return port_; }
  void Send(uint16_t to_port, const RtpHeader& header, std::span<const uint8_t> payload) {
    BuildRtp(header, payload, packet_);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(to_port);
    sendto(fd_, packet_.data(), packet_.size(), 0, reinterpret_cast<sockaddr*>(&address),
           sizeof address);
    uint8_t discard[2048];
    while (recv(fd_, discard, sizeof discard, 0) > 0) {
    }
  }

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
  std::vector<uint8_t> packet_;
};

PortRange TestPorts() {
  const int first = 36000 + static_cast<int>(getpid() % 700) * 40;
  return PortRange{first, first + 39};
}

int64_t MsSince(steady_clock::time_point start) {
  return std::chrono::duration_cast<milliseconds>(steady_clock::now() - start).count();
}

TEST(CallRecorderTest, BridgedCallOverUdpRecordsBothPartiesAndThePause) {
  TempDir dir;
  MediaEngine engine("127.0.0.1", TestPorts(), 2);
  auto caller_leg = *engine.Open();
  auto agent_leg = *engine.Open();
  Phone caller;
  Phone agent;
  caller_leg->SetRemote(RemoteMedia{"127.0.0.1", caller.port(), Codec::kPcma, 101});
  agent_leg->SetRemote(RemoteMedia{"127.0.0.1", agent.port(), Codec::kPcmu, 101});
  BridgeStreams(caller_leg, agent_leg);
  const auto created = steady_clock::now();
  auto recorder = CallRecorder::Create(dir.File("recordings/call.wav"));
  ASSERT_TRUE(recorder.ok()) << recorder.status();
  caller_leg->RecordTo(*recorder, 0);
  agent_leg->RecordTo(*recorder, 1);

  // 4 s of 20 ms packets from both phones against absolute deadlines. From
  // 600 to 900 ms the caller sends only RFC 4733 events (digit 5); the agent
  // pauses the recording from 1500 to 2500 ms.
  std::this_thread::sleep_for(milliseconds(200));
  const auto start = steady_clock::now();
  const int64_t offset_ms = std::chrono::duration_cast<milliseconds>(start - created).count();
  std::vector<uint8_t> payload;
  bool paused = false, resumed = false;
  for (int64_t frame_idx = 0; frame_idx < 200; ++frame_idx) {
    std::this_thread::sleep_until(start + milliseconds(20 * frame_idx));
    const int64_t at_ms = 20 * frame_idx;
    if (at_ms >= 1500 && !paused) {
      (*recorder)->Pause();
      paused = true;
    }
    if (at_ms >= 2500 && !resumed) {
      (*recorder)->Resume();
      resumed = true;
    }
    const uint32_t timestamp = static_cast<uint32_t>(50000 + 160 * frame_idx);
    const auto sequence = static_cast<uint16_t>(frame_idx);
    payload.clear();
    if (at_ms >= 600 && at_ms < 900) {
      const TelephoneEvent event{5, at_ms >= 880, 10,
                                 static_cast<uint16_t>(8 * (at_ms - 600 + 20))};
      BuildTelephoneEvent(event, payload);
      caller.Send(caller_leg->local_port(),
                  RtpHeader{at_ms == 600, 101, sequence, 50000 + 160 * 30, 0xCA11}, payload);
    } else {
      Encode(Codec::kPcma, SineFrame(440, kAmplitude, frame_idx), payload);
      caller.Send(caller_leg->local_port(), RtpHeader{false, 8, sequence, timestamp, 0xCA11},
                  payload);
    }
    payload.clear();
    Encode(Codec::kPcmu, SineFrame(1000, kAmplitude, frame_idx), payload);
    agent.Send(agent_leg->local_port(), RtpHeader{false, 0, sequence, timestamp, 0xA6E7}, payload);
  }
  std::this_thread::sleep_for(milliseconds(200));
  const CallRecorder::Summary summary = (*recorder)->Finish();
  const int64_t elapsed_ms = MsSince(created);
  caller_leg->Close();
  agent_leg->Close();

  EXPECT_NEAR(static_cast<double>(summary.duration_ms), static_cast<double>(elapsed_ms), 50);
  EXPECT_GE(summary.duration_ms, offset_ms + 4000);
  EXPECT_NEAR(static_cast<double>(summary.paused_ms), 1000, 60);
  EXPECT_EQ(summary.pauses, 1);
  const Wav wav = ReadWav(dir.File("recordings/call.wav"));
  ExpectCanonicalHeader(wav);
  EXPECT_EQ(static_cast<int64_t>(wav.file_size), summary.bytes);
  EXPECT_EQ(static_cast<int64_t>(wav.samples.size()) / 8, summary.duration_ms);
  // Windows on the sender's timeline, with 60-100 ms of slack for loopback
  // scheduling on a shared machine; G.711 costs a few percent of amplitude.
  auto at = [&](int ms) { return static_cast<int>(offset_ms) + ms; };
  EXPECT_NEAR(ToneAmplitude(wav.samples, 440, at(100), at(550)), kAmplitude, kAmplitude * 0.1);
  EXPECT_NEAR(ToneAmplitude(wav.samples, 1000, at(100), at(550)), kAmplitude, kAmplitude * 0.1);
  // Telephone-events are not audio: only the agent is heard, no DTMF pair.
  EXPECT_LT(ToneAmplitude(wav.samples, 440, at(700), at(850)), kAmplitude * 0.05);
  EXPECT_LT(ToneAmplitude(wav.samples, 770, at(700), at(850)), kAmplitude * 0.05);
  EXPECT_LT(ToneAmplitude(wav.samples, 1336, at(700), at(850)), kAmplitude * 0.05);
  EXPECT_NEAR(ToneAmplitude(wav.samples, 1000, at(700), at(850)), kAmplitude, kAmplitude * 0.1);
  // The pause: silence for its length.
  EXPECT_LT(Rms(wav.samples, at(1600), at(2400)), 1.0);
  EXPECT_NEAR(ToneAmplitude(wav.samples, 440, at(2600), at(3900)), kAmplitude, kAmplitude * 0.1);
  EXPECT_NEAR(ToneAmplitude(wav.samples, 1000, at(2600), at(3900)), kAmplitude, kAmplitude * 0.1);
  // After the phones stop: silence to the end.
  EXPECT_LT(Rms(wav.samples, at(4100), at(4150)), 1.0);
}

TEST(CallRecorderTest, OneLegSendingNothingOverUdpStillGivesTheDuration) {
  TempDir dir;
  MediaEngine engine("127.0.0.1", TestPorts(), 1);
  auto caller_leg = *engine.Open();
  auto agent_leg = *engine.Open();
  Phone caller;
  Phone agent;  // never sends (on hold, or silence suppression throughout)
  caller_leg->SetRemote(RemoteMedia{"127.0.0.1", caller.port(), Codec::kPcmu, -1});
  agent_leg->SetRemote(RemoteMedia{"127.0.0.1", agent.port(), Codec::kPcmu, -1});
  BridgeStreams(caller_leg, agent_leg);
  const auto created = steady_clock::now();
  auto recorder = *CallRecorder::Create(dir.File("one-leg.wav"));
  caller_leg->RecordTo(recorder, 0);
  agent_leg->RecordTo(recorder, 1);
  std::this_thread::sleep_for(milliseconds(100));
  const auto start = steady_clock::now();
  const int64_t offset_ms = std::chrono::duration_cast<milliseconds>(start - created).count();
  std::vector<uint8_t> payload;
  for (int64_t frame_idx = 0; frame_idx < 100; ++frame_idx) {  // 2 s
    std::this_thread::sleep_until(start + milliseconds(20 * frame_idx));
    if (frame_idx == 50) caller_leg->RecordTo(nullptr, 0);  // stops recording this leg
    payload.clear();
    Encode(Codec::kPcmu, SineFrame(440, kAmplitude, frame_idx), payload);
    caller.Send(caller_leg->local_port(),
                RtpHeader{false, 0, static_cast<uint16_t>(frame_idx),
                          static_cast<uint32_t>(160 * frame_idx), 0x1234},
                payload);
  }
  std::this_thread::sleep_for(milliseconds(500));
  const CallRecorder::Summary summary = recorder->Finish();
  const int64_t elapsed_ms = MsSince(created);
  EXPECT_NEAR(static_cast<double>(summary.duration_ms), static_cast<double>(elapsed_ms), 50);
  EXPECT_GE(summary.duration_ms, offset_ms + 2400);
  const Wav wav = ReadWav(dir.File("one-leg.wav"));
  ExpectCanonicalHeader(wav);
  EXPECT_EQ(static_cast<int64_t>(wav.samples.size()) / 8, summary.duration_ms);
  const int from = static_cast<int>(offset_ms);
  EXPECT_NEAR(ToneAmplitude(wav.samples, 440, from + 100, from + 900), kAmplitude,
              kAmplitude * 0.1);
  EXPECT_LT(ToneAmplitude(wav.samples, 1000, from + 100, from + 900), kAmplitude * 0.02);
  EXPECT_LT(Rms(wav.samples, from + 1100, from + 2400), 1.0);  // RecordTo(nullptr)
  caller_leg->Close();
  agent_leg->Close();
}

}  // namespace
}  // namespace onestop::media
