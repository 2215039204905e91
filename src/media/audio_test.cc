#include "media/audio.h"

#include <cmath>

#include "gtest/gtest.h"
#include "media/tones.h"

namespace onestop::media {
namespace {

TEST(AudioTest, G711RoundTripStaysClose) {
  Pcm pcm;
  for (int sample_idx = 0; sample_idx < 800; ++sample_idx) {
    pcm.push_back(static_cast<int16_t>(12000 * std::sin(sample_idx * 0.07)));
  }
  for (Codec codec : {Codec::kPcmu, Codec::kPcma}) {
    std::vector<uint8_t> encoded;
    Encode(codec, pcm, encoded);
    ASSERT_EQ(encoded.size(), pcm.size());
    Pcm decoded;
    Decode(codec, encoded, decoded);
    ASSERT_EQ(decoded.size(), pcm.size());
    for (size_t sample_idx = 0; sample_idx < pcm.size(); ++sample_idx) {
      // G.711 keeps about 3 % of the magnitude (plus a small step near zero).
      EXPECT_NEAR(decoded[sample_idx], pcm[sample_idx], 40 + std::abs(pcm[sample_idx]) / 16) << CodecName(codec);
    }
  }
}

TEST(AudioTest, TranscodeMatchesDecodeEncode) {
  for (int byte = 0; byte < 256; ++byte) {
    const auto alaw = static_cast<uint8_t>(byte);
    Pcm linear;
    Decode(Codec::kPcma, std::span<const uint8_t>(&alaw, 1), linear);
    const uint8_t ulaw = Transcode(Codec::kPcma, Codec::kPcmu, alaw);
    Pcm back;
    Decode(Codec::kPcmu, std::span<const uint8_t>(&ulaw, 1), back);
    EXPECT_NEAR(back[0], linear[0], 8 + std::abs(linear[0]) / 16);
    EXPECT_EQ(Transcode(Codec::kPcma, Codec::kPcma, alaw), alaw);
  }
}

TEST(AudioTest, PayloadTypesAndNames) {
  EXPECT_EQ(CodecOfPayloadType(0), Codec::kPcmu);
  EXPECT_EQ(CodecOfPayloadType(8), Codec::kPcma);
  EXPECT_EQ(CodecOfPayloadType(101), std::nullopt);
  EXPECT_EQ(CodecName(Codec::kPcma), "PCMA");
}

TEST(AudioTest, JoinPutsGapsBetweenClips) {
  auto one = std::make_shared<const Pcm>(Pcm(100, 1));
  auto two = std::make_shared<const Pcm>(Pcm(50, 2));
  const Pcm joined = Join({one, two}, 10);
  ASSERT_EQ(joined.size(), 100u + 80u + 50u);
  EXPECT_EQ(joined[99], 1);
  EXPECT_EQ(joined[100], 0);
  EXPECT_EQ(joined[180], 2);
  EXPECT_EQ(Silence(20).size(), 160u);
}

TEST(TonesTest, HoldMusicLoopsWithoutAClick) {
  const SharedPcm music = HoldMusic();
  ASSERT_EQ(music->size(), 20u * kSampleRate);
  EXPECT_EQ(HoldMusic().get(), music.get());
  // The step across the loop point is no bigger than the biggest step inside.
  int max_step = 0;
  for (size_t sample_idx = 1; sample_idx < music->size(); ++sample_idx) {
    max_step = std::max(max_step, std::abs((*music)[sample_idx] - (*music)[sample_idx - 1]));
  }
  EXPECT_LE(std::abs(music->front() - music->back()), max_step);
  int peak = 0;
  for (int16_t sample : *music) peak = std::max(peak, std::abs(static_cast<int>(sample)));
  EXPECT_GT(peak, 5000);
  EXPECT_LT(peak, 20000);
}

TEST(TonesTest, BeepLength) { EXPECT_EQ(Beep(200).size(), 1600u); }

}  // namespace
}  // namespace onestop::media
