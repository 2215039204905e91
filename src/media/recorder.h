// CallRecorder: one recorded call — both legs of a bridged call mixed into
// one WAV file (RIFF, PCM 16-bit little-endian, 8000 Hz, mono: the two legs
// summed with saturation), which browsers' <audio> play as it is.
//
// Who calls it: src/sip creates a recorder per call when the queue's policy
// says to record, hands it to both legs with RtpStream::RecordTo (channel 0
// the caller's leg, 1 the agent's), calls Pause()/Resume() for card payments
// (PCI DSS) and Finish() when the call ends. The streams push the decoded
// audio they receive from their party; telephone-events are never pushed.
// The streams do not finish the recorder: its owner does (closing a stream
// only stops that leg's pushes).
//
// Threads: every method may be called from any thread; one mutex guards the
// state (the two media strands push concurrently). The file write — 16 KB
// once a second, normally to the page cache — happens under that mutex.
//
// Timeline (mixing and alignment). The file's timeline is the recorder's
// monotonic clock (std::chrono::steady_clock) from Create() to Finish():
// duration_ms is that wall time, whatever the legs sent. Each packet is placed
// by its RTP timestamp, anchored to arrival time: the first packet of a leg
// (and of a new SSRC) lands at its arrival time; the following ones at
// anchor + (timestamp − anchor timestamp). So jitter and reordering do not
// move audio, and a gap in the timestamps (silence suppression, hold) stays a
// gap of silence as long as it was. When a packet's timestamp-derived place
// strays more than 250 ms from its arrival time (a timestamp jump, a restarted
// phone, clock drift of the far end) the leg is re-anchored at its arrival —
// except a packet older than the last one, which is dropped as late (three in
// a row re-anchor).
// The mix is written 300 ms behind real time (the jitter window): audio that
// arrives later than that is dropped. A leg that sends nothing at all is
// silence. Each leg has a fixed 8192-sample ring (about 1 s), so memory is
// bounded whatever a leg does; a stretch with no packets from either leg is
// written as silence when the next packet (or Finish) arrives.
//
// Pause (PCI DSS): while paused every pushed packet of both legs is dropped,
// so nothing either party says — including in-band DTMF tones of card digits
// — reaches the file; the timeline keeps running (silence). Audio already
// received before the pause (at most the jitter window ahead) is kept.
// paused_ms and the number of pauses are counted; Pause/Resume are
// idempotent (a second Pause neither counts nor restarts the clock).
//
// File: created with O_EXCL (a recording never overwrites another file),
// mode 0640, parent directories created. The header is written at Create
// with zero sizes and rewritten with the true RIFF and data sizes at every
// flush (about once a second) and at Finish, so a crash leaves a valid file
// up to the last flush. A write error stops the recording (logged once with
// spdlog, kept in status(); later audio is dropped); nothing throws.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace onestop::media {

class CallRecorder {
 public:
  struct Summary {
    int64_t duration_ms = 0;  // the timeline: Create → now (or → Finish)
    int64_t paused_ms = 0;    // time spent paused, the current pause included
    int pauses = 0;           // Pause() calls that started a pause
    int64_t bytes = 0;        // WAV header + audio produced so far (flushed or buffered)
  };

  // Monotonic nanoseconds; tests pass their own clock.
  using NowFn = std::function<int64_t()>;

  static constexpr int kChannels = 2;  // 0 = caller leg, 1 = agent leg

  // Creates the parent directories and the file (which must not exist) and
  // writes the header. Errors: the directory or file cannot be created,
  // AlreadyExists, or the header cannot be written.
  static absl::StatusOr<std::shared_ptr<CallRecorder>> Create(std::string path);
  static absl::StatusOr<std::shared_ptr<CallRecorder>> CreateForTest(std::string path, NowFn now);

  ~CallRecorder();  // Finish()
  CallRecorder(const CallRecorder&) = delete;
  CallRecorder& operator=(const CallRecorder&) = delete;

  // Decoded audio (8 kHz linear PCM) one leg received in one RTP packet.
  // `channel` 0 or 1 (anything else is ignored); `ssrc` and
  // `rtp_timestamp` from the packet's header. Ignored after Finish.
  void Push(int channel, uint32_t ssrc, uint32_t rtp_timestamp, std::span<const int16_t> pcm);

  void Pause();
  void Resume();
  bool paused() const;

  // Writes what is buffered, fixes the RIFF/data sizes, closes the file.
  // Idempotent: later calls return the same summary.
  Summary Finish();
  Summary summary() const;
  // OK, or the write error that stopped the recording.
  absl::Status status() const;
  const std::string& path() const { return path_; }

 private:
  struct Leg {
    std::vector<int16_t> ring;  // sample at position p lives at ring[p % kRing]
    bool anchored = false;
    uint32_t ssrc = 0;
    // Where the last packet's first sample went, and its RTP timestamp: the
    // next packet goes (its timestamp − that one's) further on.
    int64_t last_position = 0;
    uint32_t last_timestamp = 0;
    int late_run = 0;  // packets dropped in a row as too old
  };

  CallRecorder(std::string path, int fd, NowFn now);
  int64_t NowPosition() const;      // samples since Create, by the clock
  void CommitTo(int64_t position);  // mix [committed_, position) into buffer_
  void Flush();                     // buffer_ → file, header sizes
  void Fail(const std::string& what, int error_number);
  Summary SummaryLocked() const;

  const std::string path_;
  const NowFn now_;
  const int64_t start_ns_;

  mutable std::mutex mu_;
  int fd_;                        // GUARDED_BY(mu_); -1 when closed
  bool finished_ = false;         // GUARDED_BY(mu_)
  absl::Status status_;           // GUARDED_BY(mu_)
  Leg legs_[kChannels];           // GUARDED_BY(mu_)
  int64_t committed_ = 0;         // GUARDED_BY(mu_): samples mixed so far
  int64_t flushed_bytes_ = 0;     // GUARDED_BY(mu_): audio bytes in the file
  std::vector<uint8_t> buffer_;   // GUARDED_BY(mu_): mixed, not yet written
  bool paused_ = false;           // GUARDED_BY(mu_)
  int64_t pause_started_ns_ = 0;  // GUARDED_BY(mu_)
  int64_t paused_ns_ = 0;         // GUARDED_BY(mu_): finished pauses
  int pauses_ = 0;                // GUARDED_BY(mu_)
  int64_t end_ns_ = 0;            // GUARDED_BY(mu_): Finish time
  uint64_t late_samples_ = 0;     // GUARDED_BY(mu_): arrived behind the window
};

}  // namespace onestop::media
