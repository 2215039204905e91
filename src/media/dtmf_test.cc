#include "media/dtmf.h"

#include <string>

#include "gtest/gtest.h"
#include "media/tones.h"

namespace onestop::media {
namespace {

// The packets a phone sends for one key press (RFC 4733 §5): a start, some
// continuations with growing durations, and the end packet three times, all
// with the timestamp of the event's start; each packet has the next
// sequence number.
void PressKey(DtmfDetector& detector, uint32_t timestamp, uint8_t event, uint16_t& sequence) {
  for (uint16_t duration : {160, 320, 480, 640}) {
    detector.OnTelephoneEvent(timestamp, sequence++, TelephoneEvent{event, false, 10, duration});
  }
  for (int repeat = 0; repeat < 3; ++repeat) {
    detector.OnTelephoneEvent(timestamp, sequence++, TelephoneEvent{event, true, 10, 800});
  }
}

TEST(DtmfDetectorTest, OneDigitPerTelephoneEvent) {
  std::string digits;
  DtmfDetector detector([&](char digit) { digits += digit; });
  uint16_t sequence = 65530;  // wraps around during the test
  PressKey(detector, 1000, 1, sequence);
  EXPECT_EQ(digits, "1");
  PressKey(detector, 2600, 1, sequence);  // the same key again: a new event timestamp
  PressKey(detector, 4200, 11, sequence);
  PressKey(detector, 5800, 10, sequence);
  EXPECT_EQ(digits, "11#*");
}

// sipp's play_dtmf sends a second press with the first one's timestamp
// when no audio went out in between (seen on the wire: both presses at
// ts 24400, sequence numbers 1240-1252 then 1273-1285).
TEST(DtmfDetectorTest, ASecondPressWithTheSameTimestampAfterTheEndIsANewDigit) {
  std::string digits;
  DtmfDetector detector([&](char digit) { digits += digit; });
  uint16_t sequence = 1240;
  PressKey(detector, 24400, 2, sequence);
  sequence += 20;
  PressKey(detector, 24400, 10, sequence);
  EXPECT_EQ(digits, "2*");
}

// A continuation of the press that arrives after its end packets (the
// network reordered it) is not another press; nor is a lone late end.
TEST(DtmfDetectorTest, ReorderedPacketsOfOnePressAreOneDigit) {
  std::string digits;
  DtmfDetector detector([&](char digit) { digits += digit; });
  detector.OnTelephoneEvent(8000, 100, TelephoneEvent{5, false, 10, 160});
  detector.OnTelephoneEvent(8000, 102, TelephoneEvent{5, true, 10, 480});
  detector.OnTelephoneEvent(8000, 101, TelephoneEvent{5, false, 10, 320});  // late
  detector.OnTelephoneEvent(8000, 103, TelephoneEvent{5, true, 10, 480});
  detector.OnTelephoneEvent(8000, 104, TelephoneEvent{5, true, 10, 480});
  EXPECT_EQ(digits, "5");
}

TEST(DtmfDetectorTest, InBandTones) {
  std::string digits;
  DtmfDetector detector([&](char digit) { digits += digit; });
  const Pcm tones = DtmfTones("159#");
  ASSERT_GT(tones.size(), 4u * 1600);
  // In 20 ms frames, as a stream hands them over.
  for (size_t offset = 0; offset < tones.size(); offset += kFrameSamples) {
    const size_t length = std::min<size_t>(kFrameSamples, tones.size() - offset);
    detector.OnAudio(std::span<const int16_t>(tones.data() + offset, length));
  }
  EXPECT_EQ(digits, "159#");
}

TEST(DtmfDetectorTest, SilenceAndMusicGiveNoDigits) {
  std::string digits;
  DtmfDetector detector([&](char digit) { digits += digit; });
  const Pcm silence = Silence(1000);
  detector.OnAudio(silence);
  EXPECT_EQ(digits, "");
}

}  // namespace
}  // namespace onestop::media
