#include "media/dtmf.h"

#include <spandsp.h>

namespace onestop::media {

struct DtmfDetector::Inband {
  dtmf_rx_state_t* rx = nullptr;
  ~Inband() {
    if (rx != nullptr) dtmf_rx_free(rx);
  }
};

DtmfDetector::DtmfDetector(OnDigit on_digit) : on_digit_(std::move(on_digit)) {}
DtmfDetector::~DtmfDetector() = default;

void DtmfDetector::OnTelephoneEvent(uint32_t rtp_timestamp, uint16_t sequence, const TelephoneEvent& event) {
  // Every packet of one event (start, continuations, the three end
  // retransmissions) carries the event's start timestamp (RFC 4733 §2.5.1).
  // A continuation arriving late (reordered) is older than the end packet;
  // one newer than it starts another press with a reused timestamp.
  const bool newer_than_end = static_cast<int16_t>(static_cast<uint16_t>(sequence - end_sequence_)) > 0;
  if (have_event_ && rtp_timestamp == last_event_timestamp_ && !(ended_ && !event.end && newer_than_end)) {
    if (event.end && (!ended_ || newer_than_end)) {
      ended_ = true;
      end_sequence_ = sequence;
    }
    return;
  }
  have_event_ = true;
  last_event_timestamp_ = rtp_timestamp;
  ended_ = event.end;
  end_sequence_ = sequence;
  const char digit = DigitOfEvent(event.event);
  if (digit != '\0' && on_digit_) on_digit_(digit);
}

void DtmfDetector::OnAudio(std::span<const int16_t> pcm) {
  if (!inband_) {
    inband_ = std::make_unique<Inband>();
    inband_->rx = dtmf_rx_init(
        nullptr,
        [](void* user_data, const char* digits, int len) {
          auto* self = static_cast<DtmfDetector*>(user_data);
          for (int digit_idx = 0; digit_idx < len; ++digit_idx) {
            if (self->on_digit_) self->on_digit_(digits[digit_idx]);
          }
        },
        this);
    if (inband_->rx == nullptr) return;
  }
  if (inband_->rx == nullptr || pcm.empty()) return;
  dtmf_rx(inband_->rx, pcm.data(), static_cast<int>(pcm.size()));
}

}  // namespace onestop::media
