#include "media/tones.h"

#include <spandsp.h>

#include <array>
#include <cmath>
#include <numbers>
#include <string>

namespace onestop::media {
namespace {

// Rounds to a multiple of 1/20 Hz so every partial completes a whole number
// of cycles in the 20 s loop: the loop is exactly periodic, hence no click.
constexpr double kLoopSeconds = 20.0;
double LoopFrequency(double hz) { return std::round(hz * kLoopSeconds) / kLoopSeconds; }

Pcm MakeHoldMusic() {
  // C major, A minor, F major, G major, each centred in its own 5 s slot and
  // cross-faded with raised-cosine envelopes that sum to one, so the level
  // stays even and the chords morph into each other.
  const std::array<std::array<double, 4>, 4> chords = {{
      {130.81, 261.63, 329.63, 392.00},  // C3 C4 E4 G4
      {110.00, 220.00, 261.63, 329.63},  // A2 A3 C4 E4
      {87.31, 174.61, 220.00, 261.63},   // F2 F3 A3 C4
      {98.00, 196.00, 246.94, 293.66},   // G2 G3 B3 D4
  }};
  const std::array<double, 4> partial_level = {0.30, 0.28, 0.22, 0.20};
  constexpr double kSlot = kLoopSeconds / 4;
  const size_t total = static_cast<size_t>(kLoopSeconds * kSampleRate);
  std::vector<double> mix(total, 0.0);
  double peak = 0;
  for (size_t chord_idx = 0; chord_idx < chords.size(); ++chord_idx) {
    const double centre = kSlot * (static_cast<double>(chord_idx) + 0.5);
    std::array<double, 4> freq{};
    for (size_t note_idx = 0; note_idx < 4; ++note_idx) freq[note_idx] = LoopFrequency(chords[chord_idx][note_idx]);
    for (size_t sample_idx = 0; sample_idx < total; ++sample_idx) {
      const double t = static_cast<double>(sample_idx) / kSampleRate;
      double distance = std::fabs(t - centre);
      distance = std::min(distance, kLoopSeconds - distance);  // circular
      if (distance >= kSlot) continue;
      const double envelope = 0.5 * (1 + std::cos(std::numbers::pi * distance / kSlot));
      double value = 0;
      for (size_t note_idx = 0; note_idx < 4; ++note_idx) {
        // A slow (0.25 Hz, whole cycles per loop) swell on each note.
        const double swell = 0.85 + 0.15 * std::sin(2 * std::numbers::pi * 0.25 * t + note_idx);
        value += partial_level[note_idx] * swell * std::sin(2 * std::numbers::pi * freq[note_idx] * t);
      }
      mix[sample_idx] += envelope * value;
    }
  }
  for (double value : mix) peak = std::max(peak, std::fabs(value));
  // Peak at about −9 dBFS: quieter than prompts, as callers expect.
  const double gain = peak > 0 ? 0.35 * 32767 / peak : 0;
  Pcm out(total);
  for (size_t sample_idx = 0; sample_idx < total; ++sample_idx) {
    out[sample_idx] = static_cast<int16_t>(std::lround(mix[sample_idx] * gain));
  }
  return out;
}

}  // namespace

SharedPcm HoldMusic() {
  static const SharedPcm music = std::make_shared<const Pcm>(MakeHoldMusic());
  return music;
}

Pcm Beep(int ms, int hz) {
  const int samples = std::max(0, ms) * kSampleRate / 1000;
  const int ramp = std::min(samples / 2, 5 * kSampleRate / 1000);  // 5 ms fade in/out
  Pcm out(static_cast<size_t>(samples));
  for (int sample_idx = 0; sample_idx < samples; ++sample_idx) {
    double envelope = 1.0;
    if (ramp > 0 && sample_idx < ramp) envelope = static_cast<double>(sample_idx) / ramp;
    if (ramp > 0 && samples - 1 - sample_idx < ramp) envelope = static_cast<double>(samples - 1 - sample_idx) / ramp;
    out[static_cast<size_t>(sample_idx)] = static_cast<int16_t>(
        std::lround(envelope * 0.3 * 32767 * std::sin(2 * std::numbers::pi * hz * sample_idx / kSampleRate)));
  }
  return out;
}

Pcm DtmfTones(std::string_view digits, int tone_ms, int gap_ms) {
  Pcm out;
  dtmf_tx_state_t* tx = dtmf_tx_init(nullptr);
  if (tx == nullptr) return out;
  dtmf_tx_set_timing(tx, tone_ms, gap_ms);
  const std::string text(digits);
  dtmf_tx_put(tx, text.c_str(), static_cast<int>(text.size()));
  int16_t frame[kFrameSamples];
  for (;;) {
    const int produced = dtmf_tx(tx, frame, kFrameSamples);
    if (produced <= 0) break;
    out.insert(out.end(), frame, frame + produced);
  }
  dtmf_tx_free(tx);
  // A trailing gap so a detector sees the last tone end.
  const Pcm tail = Silence(gap_ms);
  out.insert(out.end(), tail.begin(), tail.end());
  return out;
}

}  // namespace onestop::media
