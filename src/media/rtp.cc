#include "media/rtp.h"

namespace onestop::media {

std::optional<RtpPacketView> ParseRtp(std::span<const uint8_t> packet) {
  constexpr size_t kFixedHeader = 12;
  if (packet.size() < kFixedHeader) return std::nullopt;
  const uint8_t first = packet[0];
  if ((first >> 6) != 2) return std::nullopt;
  const bool padding = (first & 0x20) != 0;
  const bool extension = (first & 0x10) != 0;
  const size_t csrc_count = first & 0x0f;
  size_t offset = kFixedHeader + 4 * csrc_count;
  if (offset > packet.size()) return std::nullopt;
  if (extension) {
    if (offset + 4 > packet.size()) return std::nullopt;
    const size_t words = (size_t{packet[offset + 2]} << 8) | packet[offset + 3];
    offset += 4 + 4 * words;
    if (offset > packet.size()) return std::nullopt;
  }
  size_t end = packet.size();
  if (padding) {
    const size_t pad = packet[end - 1];
    if (pad == 0 || pad > end - offset) return std::nullopt;
    end -= pad;
  }
  RtpPacketView view;
  view.header.marker = (packet[1] & 0x80) != 0;
  view.header.payload_type = packet[1] & 0x7f;
  view.header.sequence = static_cast<uint16_t>((packet[2] << 8) | packet[3]);
  view.header.timestamp = (uint32_t{packet[4]} << 24) | (uint32_t{packet[5]} << 16) |
                          (uint32_t{packet[6]} << 8) | packet[7];
  view.header.ssrc = (uint32_t{packet[8]} << 24) | (uint32_t{packet[9]} << 16) |
                     (uint32_t{packet[10]} << 8) | packet[11];
  view.payload = packet.subspan(offset, end - offset);
  return view;
}

void BuildRtp(const RtpHeader& header, std::span<const uint8_t> payload, std::vector<uint8_t>& out) {
  out.clear();
  out.reserve(12 + payload.size());
  out.push_back(0x80);
  out.push_back(static_cast<uint8_t>((header.marker ? 0x80 : 0) | (header.payload_type & 0x7f)));
  out.push_back(static_cast<uint8_t>(header.sequence >> 8));
  out.push_back(static_cast<uint8_t>(header.sequence));
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(header.timestamp >> shift));
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(header.ssrc >> shift));
  out.insert(out.end(), payload.begin(), payload.end());
}

std::optional<TelephoneEvent> ParseTelephoneEvent(std::span<const uint8_t> payload) {
  if (payload.size() < 4) return std::nullopt;
  TelephoneEvent event;
  event.event = payload[0];
  event.end = (payload[1] & 0x80) != 0;
  event.volume = payload[1] & 0x3f;
  event.duration = static_cast<uint16_t>((payload[2] << 8) | payload[3]);
  return event;
}

void BuildTelephoneEvent(const TelephoneEvent& event, std::vector<uint8_t>& out) {
  out.push_back(event.event);
  out.push_back(static_cast<uint8_t>((event.end ? 0x80 : 0) | (event.volume & 0x3f)));
  out.push_back(static_cast<uint8_t>(event.duration >> 8));
  out.push_back(static_cast<uint8_t>(event.duration));
}

char DigitOfEvent(uint8_t event) {
  if (event <= 9) return static_cast<char>('0' + event);
  if (event == 10) return '*';
  if (event == 11) return '#';
  if (event <= 15) return static_cast<char>('A' + (event - 12));
  return '\0';
}

int EventOfDigit(char digit) {
  if (digit >= '0' && digit <= '9') return digit - '0';
  if (digit == '*') return 10;
  if (digit == '#') return 11;
  if (digit >= 'A' && digit <= 'D') return 12 + (digit - 'A');
  if (digit >= 'a' && digit <= 'd') return 12 + (digit - 'a');
  return -1;
}

}  // namespace onestop::media
