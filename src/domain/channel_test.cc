#include "domain/channel.h"

#include <set>
#include <string_view>

#include "gtest/gtest.h"

namespace onestop::domain {
namespace {

TEST(ChannelTest, WireNames) {
  EXPECT_EQ(ChannelName(Channel::kPhone), "phone");
  EXPECT_EQ(ChannelName(Channel::kFaceToFace), "face_to_face");
  EXPECT_EQ(ChannelName(Channel::kWeb), "web");
  EXPECT_EQ(ChannelName(Channel::kTv), "tv");
  EXPECT_EQ(ChannelName(Channel::kEmail), "email");
  EXPECT_EQ(ChannelName(Channel::kSms), "sms");
  EXPECT_EQ(ChannelName(Channel::kApi), "api");
}

TEST(ChannelTest, NamesRoundTripAndAreDistinct) {
  std::set<std::string_view> names;
  for (Channel c : kAllChannels) {
    EXPECT_EQ(ParseChannel(ChannelName(c)), c) << ChannelName(c);
    names.insert(ChannelName(c));
  }
  EXPECT_EQ(names.size(), std::size(kAllChannels));
}

TEST(ChannelTest, RejectsUnknownNames) {
  for (std::string_view bad : {"", "Phone", "face-to-face", "unknown", "telephone", " web"}) {
    EXPECT_EQ(ParseChannel(bad), std::nullopt) << bad;
  }
}

TEST(ChannelTest, OnlyFaceToFaceIsNotElectronic) {
  for (Channel c : kAllChannels) EXPECT_EQ(IsElectronic(c), c != Channel::kFaceToFace);
}

}  // namespace
}  // namespace onestop::domain
