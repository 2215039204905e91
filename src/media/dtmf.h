// DTMF detection for one direction of a call. RFC 4733 telephone-events are
// turned into one digit per event (the first packet of a new event timestamp
// reports it; retransmitted end packets and continuation packets do not
// repeat it). In-band tones are detected with spandsp's dtmf_rx on the
// decoded audio when the caller did not offer telephone-event.
// Not thread-safe: one detector per stream, used on the stream's thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>

#include "media/rtp.h"

namespace onestop::media {

class DtmfDetector {
 public:
  using OnDigit = std::function<void(char digit)>;
  explicit DtmfDetector(OnDigit on_digit);
  ~DtmfDetector();
  DtmfDetector(const DtmfDetector&) = delete;
  DtmfDetector& operator=(const DtmfDetector&) = delete;

  // A telephone-event packet. Its RTP timestamp identifies the event; a
  // packet that starts again (not an end packet, newer than the last end
  // packet) with the timestamp of an event that has ended is a new key
  // press too: some senders (sipp's play_dtmf) reuse the timestamp when
  // no audio frame was sent in between.
  void OnTelephoneEvent(uint32_t rtp_timestamp, uint16_t sequence, const TelephoneEvent& event);
  // Decoded audio (any length) for in-band detection.
  void OnAudio(std::span<const int16_t> pcm);

 private:
  struct Inband;
  OnDigit on_digit_;
  bool have_event_ = false;
  uint32_t last_event_timestamp_ = 0;
  bool ended_ = false;       // the last event's end packet has been seen
  uint16_t end_sequence_ = 0;  // the newest end packet of the last event
  std::unique_ptr<Inband> inband_;
};

}  // namespace onestop::media
