#include "media/rtp.h"

#include "gtest/gtest.h"

namespace onestop::media {
namespace {

std::vector<uint8_t> Packet(std::vector<uint8_t> header_start, size_t total) {
  header_start.resize(total, 0);
  return header_start;
}

TEST(RtpTest, BuildThenParse) {
  RtpHeader header;
  header.marker = true;
  header.payload_type = 8;
  header.sequence = 65535;
  header.timestamp = 0xDEADBEEF;
  header.ssrc = 0x01020304;
  const std::vector<uint8_t> payload(160, 0xD5);
  std::vector<uint8_t> packet{1, 2, 3};
  BuildRtp(header, payload, packet);
  ASSERT_EQ(packet.size(), 172u);
  const auto parsed = ParseRtp(packet);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_TRUE(parsed->header.marker);
  EXPECT_EQ(parsed->header.payload_type, 8);
  EXPECT_EQ(parsed->header.sequence, 65535);
  EXPECT_EQ(parsed->header.timestamp, 0xDEADBEEFu);
  EXPECT_EQ(parsed->header.ssrc, 0x01020304u);
  EXPECT_EQ(parsed->payload.size(), 160u);
}

TEST(RtpTest, CsrcExtensionAndPaddingAreSkipped) {
  // V=2 P=1 X=1 CC=1, then one CSRC, a 1-word extension, 4 payload bytes, 3 padding.
  std::vector<uint8_t> packet = {0xB1, 0x00, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3,  // fixed
                                 9, 9, 9, 9,                                // CSRC
                                 0xBE, 0xDE, 0, 1, 7, 7, 7, 7,              // extension
                                 'a', 'b', 'c', 'd', 0, 0, 3};
  const auto parsed = ParseRtp(packet);
  ASSERT_TRUE(parsed.has_value());
  ASSERT_EQ(parsed->payload.size(), 4u);
  EXPECT_EQ(parsed->payload[0], 'a');
  EXPECT_EQ(parsed->payload[3], 'd');
}

TEST(RtpTest, MalformedPacketsAreRejected) {
  EXPECT_FALSE(ParseRtp({}).has_value());
  EXPECT_FALSE(ParseRtp(Packet({0x80, 0}, 11)).has_value());            // truncated header
  EXPECT_FALSE(ParseRtp(Packet({0x40, 0}, 20)).has_value());            // version 1
  EXPECT_FALSE(ParseRtp(Packet({0xC0, 0}, 20)).has_value());            // version 3
  EXPECT_FALSE(ParseRtp(Packet({0x8F, 0}, 12 + 4 * 14)).has_value());   // 15 CSRCs, room for 14
  EXPECT_TRUE(ParseRtp(Packet({0x8F, 0}, 12 + 4 * 15)).has_value());    // exactly fits
  EXPECT_FALSE(ParseRtp(Packet({0x90, 0}, 14)).has_value());            // extension header cut
  {
    auto packet = Packet({0x90, 0}, 12 + 4 + 8);
    packet[12 + 3] = 3;  // 3 words announced, 2 present
    EXPECT_FALSE(ParseRtp(packet).has_value());
    packet[12 + 3] = 2;
    EXPECT_TRUE(ParseRtp(packet).has_value());
  }
  {
    auto packet = Packet({0xA0, 0}, 12 + 4);
    packet.back() = 5;  // padding longer than the 4-byte payload
    EXPECT_FALSE(ParseRtp(packet).has_value());
    packet.back() = 0;  // padding count of zero is invalid too
    EXPECT_FALSE(ParseRtp(packet).has_value());
    packet.back() = 4;
    const auto parsed = ParseRtp(packet);
    ASSERT_TRUE(parsed.has_value());
    EXPECT_TRUE(parsed->payload.empty());
  }
}

TEST(RtpTest, TelephoneEventRoundTrip) {
  TelephoneEvent event;
  event.event = 11;
  event.end = true;
  event.volume = 13;
  event.duration = 1280;
  std::vector<uint8_t> payload;
  BuildTelephoneEvent(event, payload);
  ASSERT_EQ(payload.size(), 4u);
  EXPECT_EQ(payload[1], 0x8D);
  const auto parsed = ParseTelephoneEvent(payload);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->event, 11);
  EXPECT_TRUE(parsed->end);
  EXPECT_EQ(parsed->volume, 13);
  EXPECT_EQ(parsed->duration, 1280);
  EXPECT_FALSE(ParseTelephoneEvent(std::span<const uint8_t>(payload.data(), 3)).has_value());
}

TEST(RtpTest, DigitsAndEvents) {
  const std::string digits = "0123456789*#ABCD";
  for (char digit : digits) {
    const int event = EventOfDigit(digit);
    ASSERT_GE(event, 0) << digit;
    EXPECT_EQ(DigitOfEvent(static_cast<uint8_t>(event)), digit);
  }
  EXPECT_EQ(EventOfDigit('x'), -1);
  EXPECT_EQ(DigitOfEvent(16), '\0');
}

}  // namespace
}  // namespace onestop::media
