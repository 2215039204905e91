#include "media/speech.h"

#include <cmath>

#include "gtest/gtest.h"

namespace onestop::media {
namespace {

double Seconds(const Pcm& pcm) { return static_cast<double>(pcm.size()) / kSampleRate; }

double RmsDbfs(const Pcm& pcm) {
  double sum = 0;
  for (int16_t sample : pcm) sum += static_cast<double>(sample) * sample;
  return 20 * std::log10(std::sqrt(sum / static_cast<double>(pcm.size())) / 32768);
}

TEST(SpeechTest, EnglishAndWelshPrompts) {
  for (const auto& [text, language] : {std::pair{"Press one", "en"}, std::pair{"Pwyswch un", "cy"}}) {
    const absl::StatusOr<SharedPcm> pcm = Say(text, language);
    ASSERT_TRUE(pcm.ok()) << pcm.status();
    EXPECT_GE(Seconds(**pcm), 0.5) << text;
    EXPECT_LE(Seconds(**pcm), 3.0) << text;
    EXPECT_NEAR(RmsDbfs(**pcm), -16, 2.5) << text;
  }
}

TEST(SpeechTest, LongerTextIsLonger) {
  const auto short_prompt = Say("Hello", "en");
  const auto long_prompt = Say("Hello, you are through to the council. Please hold.", "en");
  ASSERT_TRUE(short_prompt.ok());
  ASSERT_TRUE(long_prompt.ok());
  EXPECT_GT((*long_prompt)->size(), 2 * (*short_prompt)->size());
}

TEST(SpeechTest, BadInput) {
  EXPECT_EQ(Say("", "en").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Say("Bonjour", "fr").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(PromptCacheTest, SecondGetIsTheSamePointer) {
  PromptCache cache;
  const auto first = cache.Get("Press one", "en");
  ASSERT_TRUE(first.ok());
  const auto second = cache.Get("Press one", "en");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(first->get(), second->get());
  const auto welsh = cache.Get("Press one", "cy");
  ASSERT_TRUE(welsh.ok());
  EXPECT_NE(first->get(), welsh->get());
  EXPECT_NE(**first, **welsh);  // the Welsh voice reads it differently
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.bytes(), ((*first)->size() + (*welsh)->size()) * 2);
  const absl::Status warmed = cache.Warm({{"Press two", "en"}, {"x", "xx"}, {"Pwyswch dau", "cy"}});
  EXPECT_EQ(warmed.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(cache.size(), 4u);
}

}  // namespace
}  // namespace onestop::media
