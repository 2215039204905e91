#include "media/speech.h"

#include <espeak-ng/speak_lib.h>
#include <soxr.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "absl/strings/str_cat.h"

namespace onestop::media {
namespace {

// espeak-ng is one global engine with global state: every call goes through
// this mutex, including the synth callback's buffer.
std::mutex& EspeakMutex() {
  static std::mutex mu;
  return mu;
}
int espeak_rate = 0;          // GUARDED_BY(EspeakMutex()); 0 = not started, <0 = failed
std::vector<int16_t>* collecting = nullptr;  // GUARDED_BY(EspeakMutex())

int SynthCallback(short* wav, int samples, espeak_EVENT* /*events*/) {
  if (wav != nullptr && samples > 0 && collecting != nullptr) collecting->insert(collecting->end(), wav, wav + samples);
  return 0;  // continue
}

const char* VoiceOf(std::string_view language) {
  if (language == "en" || language == "en-gb") return "en-gb";
  if (language == "cy") return "cy";
  return nullptr;
}

absl::StatusOr<Pcm> Resample(const std::vector<int16_t>& in, int in_rate) {
  if (in.empty()) return Pcm{};
  const double ratio = static_cast<double>(kSampleRate) / in_rate;
  Pcm out(static_cast<size_t>(std::ceil(static_cast<double>(in.size()) * ratio)) + 16);
  size_t done = 0;
  const soxr_io_spec_t io = soxr_io_spec(SOXR_INT16_I, SOXR_INT16_I);
  const soxr_quality_spec_t quality = soxr_quality_spec(SOXR_HQ, 0);
  const soxr_error_t error = soxr_oneshot(in_rate, kSampleRate, 1, in.data(), in.size(), nullptr, out.data(),
                                          out.size(), &done, &io, &quality, nullptr);
  if (error != nullptr) return absl::InternalError(absl::StrCat("soxr: ", error));
  out.resize(done);
  return out;
}

// Gain to an RMS of −16 dBFS, limited so the peak stays under −1 dBFS.
void Normalise(Pcm& pcm) {
  if (pcm.empty()) return;
  double sum_squares = 0;
  int peak = 0;
  for (int16_t sample : pcm) {
    sum_squares += static_cast<double>(sample) * sample;
    peak = std::max(peak, std::abs(static_cast<int>(sample)));
  }
  const double rms = std::sqrt(sum_squares / static_cast<double>(pcm.size()));
  if (rms < 1 || peak == 0) return;
  const double gain = std::min(32767 * std::pow(10.0, -16.0 / 20) / rms, 32767 * std::pow(10.0, -1.0 / 20) / peak);
  for (int16_t& sample : pcm) {
    sample = static_cast<int16_t>(std::clamp<long>(std::lround(sample * gain), -32768, 32767));
  }
}

}  // namespace

absl::StatusOr<SharedPcm> Say(std::string_view text, std::string_view language) {
  if (text.empty()) return absl::InvalidArgumentError("empty prompt text");
  const char* voice = VoiceOf(language);
  if (voice == nullptr) return absl::InvalidArgumentError(absl::StrCat("no voice for language ", std::string(language)));
  std::vector<int16_t> wave;
  int rate = 0;
  {
    std::lock_guard<std::mutex> lock(EspeakMutex());
    if (espeak_rate == 0) {
      espeak_rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr, 0);
      if (espeak_rate > 0) espeak_SetSynthCallback(SynthCallback);
      if (espeak_rate <= 0) espeak_rate = -1;
    }
    if (espeak_rate < 0) return absl::InternalError("espeak-ng did not start (data files missing?)");
    // By language: espeak-ng's voice *names* are "English_(Great_Britain)",
    // "Welsh"; the language codes are the stable handle.
    espeak_VOICE wanted{};
    wanted.languages = voice;
    if (espeak_SetVoiceByProperties(&wanted) != EE_OK && espeak_SetVoiceByName(voice) != EE_OK) {
      return absl::InternalError(absl::StrCat("espeak-ng has no voice ", voice));
    }
    const std::string copy(text);
    collecting = &wave;
    const espeak_ERROR error = espeak_Synth(copy.c_str(), copy.size() + 1, 0, POS_CHARACTER, 0,
                                            espeakCHARS_UTF8, nullptr, nullptr);
    collecting = nullptr;
    if (error != EE_OK) return absl::InternalError("espeak-ng synthesis failed");
    rate = espeak_rate;
  }
  absl::StatusOr<Pcm> pcm = Resample(wave, rate);
  if (!pcm.ok()) return pcm.status();
  if (pcm->empty()) return absl::InternalError("espeak-ng produced no audio");
  Normalise(*pcm);
  return std::make_shared<const Pcm>(*std::move(pcm));
}

absl::StatusOr<SharedPcm> PromptCache::Get(std::string_view text, std::string_view language) {
  const std::string key = absl::StrCat(std::string(language), "\n", std::string(text));
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto found = cache_.find(key);
    if (found != cache_.end()) return found->second;
  }
  // Synthesised outside the lock; two callers racing for one prompt both
  // synthesise, and the first stored copy wins so everyone shares one pointer.
  absl::StatusOr<SharedPcm> pcm = Say(text, language);
  if (!pcm.ok()) return pcm.status();
  std::lock_guard<std::mutex> lock(mu_);
  auto [it, inserted] = cache_.emplace(key, *pcm);
  return it->second;
}

absl::Status PromptCache::Warm(const std::vector<std::pair<std::string, std::string>>& texts) {
  absl::Status first = absl::OkStatus();
  for (const auto& [text, language] : texts) {
    absl::StatusOr<SharedPcm> pcm = Get(text, language);
    if (!pcm.ok() && first.ok()) first = pcm.status();
  }
  return first;
}

size_t PromptCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return cache_.size();
}

size_t PromptCache::bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  size_t total = 0;
  for (const auto& [key, pcm] : cache_) total += pcm->size() * sizeof(int16_t);
  return total;
}

}  // namespace onestop::media
