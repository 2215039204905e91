// Generated audio: the music a queued or held caller hears (a calm,
// deterministic loop of soft chords, royalty-free because we make it), a
// short beep, and DTMF digits as tones (spandsp dtmf_tx; tests use them for
// in-band detection). 8 kHz PCM. Any thread.
#pragma once

#include <string_view>

#include "media/audio.h"

namespace onestop::media {

SharedPcm HoldMusic();       // about 20 s, loops without a click
Pcm Beep(int ms = 200, int hz = 1000);
Pcm DtmfTones(std::string_view digits, int tone_ms = 100, int gap_ms = 100);

}  // namespace onestop::media
