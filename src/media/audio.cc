#include "media/audio.h"

#include <spandsp.h>

namespace onestop::media {

std::string_view CodecName(Codec codec) { return codec == Codec::kPcmu ? "PCMU" : "PCMA"; }

std::optional<Codec> CodecOfPayloadType(int payload_type) {
  if (payload_type == 0) return Codec::kPcmu;
  if (payload_type == 8) return Codec::kPcma;
  return std::nullopt;
}

void Encode(Codec codec, std::span<const int16_t> pcm, std::vector<uint8_t>& out) {
  out.reserve(out.size() + pcm.size());
  if (codec == Codec::kPcmu) {
    for (int16_t sample : pcm) out.push_back(linear_to_ulaw(sample));
  } else {
    for (int16_t sample : pcm) out.push_back(linear_to_alaw(sample));
  }
}

void Decode(Codec codec, std::span<const uint8_t> g711, Pcm& out) {
  out.reserve(out.size() + g711.size());
  if (codec == Codec::kPcmu) {
    for (uint8_t byte : g711) out.push_back(ulaw_to_linear(byte));
  } else {
    for (uint8_t byte : g711) out.push_back(alaw_to_linear(byte));
  }
}

uint8_t Transcode(Codec from, Codec to, uint8_t byte) {
  if (from == to) return byte;
  return from == Codec::kPcmu ? ulaw_to_alaw(byte) : alaw_to_ulaw(byte);
}

Pcm Silence(int ms) { return Pcm(static_cast<size_t>(ms > 0 ? ms : 0) * kSampleRate / 1000, 0); }

Pcm Join(const std::vector<SharedPcm>& clips, int gap_ms) {
  Pcm out;
  const Pcm gap = Silence(gap_ms);
  bool first = true;
  for (const SharedPcm& clip : clips) {
    if (!clip) continue;
    if (!first) out.insert(out.end(), gap.begin(), gap.end());
    out.insert(out.end(), clip->begin(), clip->end());
    first = false;
  }
  return out;
}

}  // namespace onestop::media
