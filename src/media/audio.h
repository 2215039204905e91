// Telephone audio: 8 kHz mono 16-bit PCM, G.711 (µ-law PCMU = RTP payload
// type 0, A-law PCMA = 8) through spandsp, 20 ms frames of 160 samples.
// Stateless functions; any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace onestop::media {

inline constexpr int kSampleRate = 8000;
inline constexpr int kFrameSamples = 160;  // 20 ms

enum class Codec : uint8_t { kPcmu = 0, kPcma = 8 };
std::string_view CodecName(Codec codec);  // "PCMU", "PCMA"
std::optional<Codec> CodecOfPayloadType(int payload_type);

using Pcm = std::vector<int16_t>;
using SharedPcm = std::shared_ptr<const Pcm>;

void Encode(Codec codec, std::span<const int16_t> pcm, std::vector<uint8_t>& out);  // appends
void Decode(Codec codec, std::span<const uint8_t> g711, Pcm& out);                 // appends
// One G.711 byte re-coded (PCMU ⇄ PCMA) without going through PCM tables twice.
uint8_t Transcode(Codec from, Codec to, uint8_t byte);

// Concatenates clips with `gap_ms` of silence between them.
Pcm Join(const std::vector<SharedPcm>& clips, int gap_ms = 250);
Pcm Silence(int ms);

}  // namespace onestop::media
