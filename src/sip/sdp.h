// SDP for a media-anchoring B2BUA (RFC 4566, offer/answer RFC 3264): read
// the remote party's audio description (address, port, G.711 codecs in its
// order of preference, the telephone-event payload type) with sofia's SDP
// parser, and write our own offers and answers (one audio stream, G.711 in
// 20 ms packets, RFC 4733 events). Stateless; any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "media/audio.h"

namespace onestop::sip {

struct SdpAudio {
  std::string address;  // c= (media level, else session level)
  uint16_t port = 0;    // 0: the stream is refused/disabled
  std::vector<media::Codec> codecs;  // G.711 payloads offered, in the party's order
  int telephone_event_pt = -1;
  bool hold = false;  // a=sendonly/inactive or c=0.0.0.0
};

// InvalidArgument when the body is not SDP, has no audio stream, or no
// G.711 codec (then the caller answers 488 Not Acceptable Here).
absl::StatusOr<SdpAudio> ParseSdp(std::string_view body);

struct SdpOut {
  std::string address;  // ours (sip.public_address or the RTP bind address)
  uint16_t port = 0;
  std::vector<media::Codec> codecs;  // one in an answer, several in an offer
  int telephone_event_pt = 101;      // -1: none
  uint64_t session_id = 1;
  uint64_t version = 1;
};
std::string WriteSdp(const SdpOut& sdp);

// Our answer to an offer: the first G.711 codec of the offer, and
// telephone-event with the offer's payload type when it has one.
SdpOut AnswerTo(const SdpAudio& offer, std::string address, uint16_t port, uint64_t session_id);

// The port of a SIP URL's port part (sofia leaves it out — null — when it is
// SIP's default 5060); 0 when it is not a port.
uint16_t SipUrlPort(const char* url_port);

}  // namespace onestop::sip
