#include "media/dtmf.h"

#include <string>

#include "gtest/gtest.h"
#include "media/tones.h"

namespace onestop::media {
namespace {

// The packets a phone sends for one key press (RFC 4733 §5): a start, some
// continuations with growing durations, and the end packet three times, all
// with the timestamp of the event's start.
void PressKey(DtmfDetector& detector, uint32_t timestamp, uint8_t event) {
  for (uint16_t duration : {160, 320, 480, 640}) {
    detector.OnTelephoneEvent(timestamp, TelephoneEvent{event, false, 10, duration});
  }
  for (int repeat = 0; repeat < 3; ++repeat) {
    detector.OnTelephoneEvent(timestamp, TelephoneEvent{event, true, 10, 800});
  }
}

TEST(DtmfDetectorTest, OneDigitPerTelephoneEvent) {
  std::string digits;
  DtmfDetector detector([&](char digit) { digits += digit; });
  PressKey(detector, 1000, 1);
  EXPECT_EQ(digits, "1");
  PressKey(detector, 2600, 1);  // the same key again: a new event timestamp
  PressKey(detector, 4200, 11);
  PressKey(detector, 5800, 10);
  EXPECT_EQ(digits, "11#*");
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
