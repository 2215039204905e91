#include "sip/sdp.h"

#include <gtest/gtest.h>

namespace onestop::sip {
namespace {

TEST(SdpTest, ReadsAudioCodecsAndTelephoneEvent) {
  const std::string body =
      "v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\n"
      "m=audio 40000 RTP/AVP 18 8 0 96\r\na=rtpmap:18 G729/8000\r\na=rtpmap:8 PCMA/8000\r\n"
      "a=rtpmap:0 PCMU/8000\r\na=rtpmap:96 telephone-event/8000\r\na=fmtp:96 0-16\r\n";
  absl::StatusOr<SdpAudio> sdp = ParseSdp(body);
  ASSERT_TRUE(sdp.ok()) << sdp.status();
  EXPECT_EQ(sdp->address, "192.0.2.10");
  EXPECT_EQ(sdp->port, 40000);
  ASSERT_EQ(sdp->codecs.size(), 2u);
  EXPECT_EQ(sdp->codecs[0], media::Codec::kPcma);
  EXPECT_EQ(sdp->codecs[1], media::Codec::kPcmu);
  EXPECT_EQ(sdp->telephone_event_pt, 96);
  EXPECT_FALSE(sdp->hold);
}

TEST(SdpTest, StaticPayloadsWithoutRtpmapAndMediaLevelAddress) {
  const std::string body =
      "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n"
      "m=audio 5004 RTP/AVP 0\r\nc=IN IP4 198.51.100.7\r\na=sendonly\r\n";
  absl::StatusOr<SdpAudio> sdp = ParseSdp(body);
  ASSERT_TRUE(sdp.ok()) << sdp.status();
  EXPECT_EQ(sdp->address, "198.51.100.7");
  ASSERT_EQ(sdp->codecs.size(), 1u);
  EXPECT_EQ(sdp->codecs[0], media::Codec::kPcmu);
  EXPECT_EQ(sdp->telephone_event_pt, -1);
  EXPECT_TRUE(sdp->hold);
}

TEST(SdpTest, RefusesWhatWeCannotAnswer) {
  EXPECT_FALSE(ParseSdp("").ok());
  EXPECT_FALSE(ParseSdp("hello").ok());
  EXPECT_FALSE(ParseSdp("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\n"
                        "m=video 5000 RTP/AVP 96\r\n").ok());
  EXPECT_FALSE(ParseSdp("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\n"
                        "m=audio 5000 RTP/AVP 18\r\na=rtpmap:18 G729/8000\r\n").ok());
  EXPECT_FALSE(ParseSdp("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n").ok());
  std::string huge = "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\nm=audio 5000 RTP/AVP";
  for (int i = 0; i < 5000; ++i) huge += " 99";
  huge += "\r\n";
  EXPECT_FALSE(ParseSdp(huge).ok());
}

TEST(SdpTest, AnswerRoundTrips) {
  SdpAudio offer;
  offer.address = "192.0.2.10";
  offer.port = 40000;
  offer.codecs = {media::Codec::kPcmu, media::Codec::kPcma};
  offer.telephone_event_pt = 101;
  const std::string text = WriteSdp(AnswerTo(offer, "127.0.0.1", 20002, 7));
  absl::StatusOr<SdpAudio> back = ParseSdp(text);
  ASSERT_TRUE(back.ok()) << back.status() << "\n" << text;
  EXPECT_EQ(back->address, "127.0.0.1");
  EXPECT_EQ(back->port, 20002);
  ASSERT_EQ(back->codecs.size(), 1u);
  EXPECT_EQ(back->codecs[0], media::Codec::kPcmu);
  EXPECT_EQ(back->telephone_event_pt, 101);
  EXPECT_NE(text.find("a=sendrecv"), std::string::npos);
}

// `make run` listens on 5060, which sofia leaves out of its contact URL: the
// server once refused to start because it read no port there.
TEST(SipUrlPortTest, DefaultPortIsLeftOut) {
  EXPECT_EQ(SipUrlPort(nullptr), 5060);
  EXPECT_EQ(SipUrlPort(""), 5060);
  EXPECT_EQ(SipUrlPort("41302"), 41302);
  EXPECT_EQ(SipUrlPort("70000"), 0);
  EXPECT_EQ(SipUrlPort("x"), 0);
}

}  // namespace
}  // namespace onestop::sip
