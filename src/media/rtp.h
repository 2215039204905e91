// RTP packets (RFC 3550) and telephone-events (RFC 4733): parse and build,
// no I/O. Parse functions never read past the buffer and answer nullopt for
// anything malformed (version ≠ 2, truncated header, CSRC/extension/padding
// lengths beyond the packet). Any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace onestop::media {

struct RtpHeader {
  bool marker = false;
  uint8_t payload_type = 0;
  uint16_t sequence = 0;
  uint32_t timestamp = 0;
  uint32_t ssrc = 0;
};

struct RtpPacketView {
  RtpHeader header;
  std::span<const uint8_t> payload;  // into the parsed buffer
};

std::optional<RtpPacketView> ParseRtp(std::span<const uint8_t> packet);
// Appends a 12-byte header and the payload to `out` (cleared first).
void BuildRtp(const RtpHeader& header, std::span<const uint8_t> payload, std::vector<uint8_t>& out);

// RFC 4733 §2.3 event payload (4 bytes). Events 0-9 = digits, 10 = '*', 11 = '#'.
struct TelephoneEvent {
  uint8_t event = 0;
  bool end = false;
  uint8_t volume = 10;
  uint16_t duration = 0;  // in timestamp units (1/8000 s)
};
std::optional<TelephoneEvent> ParseTelephoneEvent(std::span<const uint8_t> payload);
void BuildTelephoneEvent(const TelephoneEvent& event, std::vector<uint8_t>& out);  // appends 4 bytes
// '0'-'9', '*', '#' (and 'A'-'D' for 12-15); '\0' for other events.
char DigitOfEvent(uint8_t event);
int EventOfDigit(char digit);  // -1 for a non-digit

}  // namespace onestop::media
