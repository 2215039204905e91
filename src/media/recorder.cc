#include "media/recorder.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "media/audio.h"

namespace onestop::media {
namespace {

constexpr int64_t kRing = 8192;                       // samples per leg, ~1 s
constexpr int64_t kDelay = kSampleRate * 300 / 1000;  // the jitter window behind real time
constexpr int64_t kStray = kSampleRate * 250 / 1000;  // re-anchor beyond this
constexpr int kLateRun = 3;  // packets behind the window in a row before re-anchoring
constexpr size_t kFlushBytes = 2 * kSampleRate;  // one second of audio
constexpr size_t kHeaderBytes = 44;

void PutLe32(uint8_t* out, uint32_t value) {
  for (int byte_idx = 0; byte_idx < 4; ++byte_idx)
    out[byte_idx] = static_cast<uint8_t>(value >> (8 * byte_idx));
}
void PutLe16(uint8_t* out, uint16_t value) {
  out[0] = static_cast<uint8_t>(value);
  out[1] = static_cast<uint8_t>(value >> 8);
}

// The canonical 44-byte header of a PCM WAV file (RIFF, fmt, data).
std::array<uint8_t, kHeaderBytes> WavHeader(uint32_t data_bytes) {
  std::array<uint8_t, kHeaderBytes> header{};
  uint8_t* out = header.data();
  std::memcpy(out, "RIFF", 4);
  PutLe32(out + 4, 36 + data_bytes);
  std::memcpy(out + 8, "WAVE", 4);
  std::memcpy(out + 12, "fmt ", 4);
  PutLe32(out + 16, 16);               // fmt chunk size
  PutLe16(out + 20, 1);                // PCM
  PutLe16(out + 22, 1);                // mono
  PutLe32(out + 24, kSampleRate);      // sample rate
  PutLe32(out + 28, kSampleRate * 2);  // byte rate
  PutLe16(out + 32, 2);                // block align
  PutLe16(out + 34, 16);               // bits per sample
  std::memcpy(out + 36, "data", 4);
  PutLe32(out + 40, data_bytes);
  return header;
}

// Writes all of `bytes` at the file's position; errno on failure.
int WriteAll(int fd, const uint8_t* bytes, size_t size) {
  while (size > 0) {
    const ssize_t written = ::write(fd, bytes, size);
    if (written < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    bytes += written;
    size -= static_cast<size_t>(written);
  }
  return 0;
}

int PwriteAll(int fd, const uint8_t* bytes, size_t size, off_t offset) {
  while (size > 0) {
    const ssize_t written = ::pwrite(fd, bytes, size, offset);
    if (written < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    bytes += written;
    size -= static_cast<size_t>(written);
    offset += written;
  }
  return 0;
}

int64_t SteadyNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

absl::StatusOr<std::shared_ptr<CallRecorder>> CallRecorder::Create(std::string path) {
  return CreateForTest(std::move(path), SteadyNanos);
}

absl::StatusOr<std::shared_ptr<CallRecorder>> CallRecorder::CreateForTest(std::string path,
                                                                          NowFn now) {
  const std::filesystem::path file(path);
  if (file.has_parent_path()) {
    std::error_code error;
    std::filesystem::create_directories(file.parent_path(), error);
    if (error) {
      return absl::ErrnoToStatus(error.value(),
                                 absl::StrCat("cannot create the directory of recording ", path));
    }
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) return absl::ErrnoToStatus(errno, absl::StrCat("cannot create recording ", path));
  const auto header = WavHeader(0);
  if (const int error = WriteAll(fd, header.data(), header.size()); error != 0) {
    ::close(fd);
    ::unlink(path.c_str());
    return absl::ErrnoToStatus(error, absl::StrCat("cannot write recording ", path));
  }
  return std::shared_ptr<CallRecorder>(new CallRecorder(std::move(path), fd, std::move(now)));
}

CallRecorder::CallRecorder(std::string path, int fd, NowFn now)
    : path_(std::move(path)), now_(std::move(now)), start_ns_(now_()), fd_(fd) {
  for (Leg& leg : legs_) leg.ring.assign(kRing, 0);
  buffer_.reserve(kFlushBytes + 2 * kFrameSamples);
}

CallRecorder::~CallRecorder() { Finish(); }

int64_t CallRecorder::NowPosition() const {
  return std::max<int64_t>(0, (now_() - start_ns_) * kSampleRate / 1'000'000'000);
}

void CallRecorder::Push(int channel, uint32_t ssrc, uint32_t rtp_timestamp,
                        std::span<const int16_t> pcm) {
  if (channel < 0 || channel >= kChannels) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (finished_ || fd_ < 0) return;
  const int64_t now_position = NowPosition();
  CommitTo(now_position - kDelay);
  // PCI pause: nothing either party says while paused is kept. The timeline
  // goes on (CommitTo above), so the pause becomes silence.
  if (paused_ || fd_ < 0) return;
  Leg& leg = legs_[channel];
  int64_t position = now_position;
  if (leg.anchored && leg.ssrc == ssrc) {
    // The 32-bit timestamp difference, so wrap-around is harmless.
    const int32_t step = static_cast<int32_t>(rtp_timestamp - leg.last_timestamp);
    position = leg.last_position + step;
    if (position < now_position - kStray) {
      // An old packet overtaken by newer ones is too late for the mix; but
      // several in a row mean the timestamps went back: re-anchor.
      if (step < 0 && leg.late_run < kLateRun) {
        ++leg.late_run;
        late_samples_ += pcm.size();
        return;
      }
      position = now_position;
    } else if (position > now_position + kStray) {
      position = now_position;
    }
  }
  leg.anchored = true;
  leg.late_run = 0;
  leg.ssrc = ssrc;
  leg.last_position = position;
  leg.last_timestamp = rtp_timestamp;
  const int64_t pcm_size = static_cast<int64_t>(pcm.size());
  for (int64_t sample_idx = 0; sample_idx < pcm_size; ++sample_idx) {
    const int64_t at = position + sample_idx;
    if (at < committed_ || at >= committed_ + kRing) {
      ++late_samples_;
      continue;
    }
    leg.ring[static_cast<size_t>(at % kRing)] = pcm[static_cast<size_t>(sample_idx)];
  }
}

void CallRecorder::CommitTo(int64_t position) {
  // In runs that neither wrap the rings nor cross a flush boundary.
  while (committed_ < position && fd_ >= 0) {
    const int64_t slot = committed_ % kRing;
    const int64_t room = static_cast<int64_t>(kFlushBytes - buffer_.size()) / 2;
    const int64_t count = std::min({position - committed_, kRing - slot, room});
    const size_t used = buffer_.size();
    buffer_.resize(used + static_cast<size_t>(2 * count));
    uint8_t* out = buffer_.data() + used;
    int16_t* caller = legs_[0].ring.data() + slot;
    int16_t* agent = legs_[1].ring.data() + slot;
    for (int64_t sample_idx = 0; sample_idx < count; ++sample_idx) {
      const int mixed = std::clamp(caller[sample_idx] + agent[sample_idx], -32768, 32767);
      const auto sample = static_cast<uint16_t>(static_cast<int16_t>(mixed));
      out[2 * sample_idx] = static_cast<uint8_t>(sample);
      out[2 * sample_idx + 1] = static_cast<uint8_t>(sample >> 8);
    }
    std::fill_n(caller, count, 0);
    std::fill_n(agent, count, 0);
    committed_ += count;
    if (buffer_.size() >= kFlushBytes) Flush();
  }
}

void CallRecorder::Flush() {
  if (fd_ < 0) return;
  if (!buffer_.empty()) {
    if (const int error = WriteAll(fd_, buffer_.data(), buffer_.size()); error != 0) {
      // Cut a partial write off, so the file stays what its header says.
      if (::ftruncate(fd_, static_cast<off_t>(kHeaderBytes) + flushed_bytes_) != 0) {
        spdlog::debug("call recording {}: cannot truncate after a failed write", path_);
      }
      return Fail("cannot write", error);
    }
    flushed_bytes_ += static_cast<int64_t>(buffer_.size());
    buffer_.clear();
  }
  const auto header = WavHeader(static_cast<uint32_t>(flushed_bytes_));
  if (const int error = PwriteAll(fd_, header.data(), header.size(), 0); error != 0) {
    return Fail("cannot update the header of", error);
  }
}

void CallRecorder::Fail(const std::string& what, int error_number) {
  status_ = absl::ErrnoToStatus(error_number, absl::StrCat(what, " recording ", path_));
  spdlog::warn("call recording stopped: {} {}: {}", what, path_, std::strerror(error_number));
  ::close(fd_);
  fd_ = -1;
  buffer_.clear();
}

void CallRecorder::Pause() {
  std::lock_guard<std::mutex> lock(mu_);
  if (finished_ || paused_) return;
  paused_ = true;
  pause_started_ns_ = now_();
  ++pauses_;
}

void CallRecorder::Resume() {
  std::lock_guard<std::mutex> lock(mu_);
  if (finished_ || !paused_) return;
  paused_ = false;
  paused_ns_ += now_() - pause_started_ns_;
}

bool CallRecorder::paused() const {
  std::lock_guard<std::mutex> lock(mu_);
  return paused_;
}

CallRecorder::Summary CallRecorder::Finish() {
  std::lock_guard<std::mutex> lock(mu_);
  if (finished_) return SummaryLocked();
  end_ns_ = now_();
  if (paused_) {
    paused_ = false;
    paused_ns_ += end_ns_ - pause_started_ns_;
  }
  // Everything up to now, the jitter window included; audio that arrived
  // early (ahead of now) is dropped with the rings.
  CommitTo(std::max<int64_t>(0, (end_ns_ - start_ns_) * kSampleRate / 1'000'000'000));
  Flush();
  if (fd_ >= 0) {
    if (::close(fd_) != 0) Fail("cannot close", errno);
    fd_ = -1;
  }
  finished_ = true;
  if (late_samples_ > 0) {
    spdlog::debug("call recording {}: {} samples arrived too late for the mix", path_,
                  late_samples_);
  }
  return SummaryLocked();
}

CallRecorder::Summary CallRecorder::summary() const {
  std::lock_guard<std::mutex> lock(mu_);
  return SummaryLocked();
}

absl::Status CallRecorder::status() const {
  std::lock_guard<std::mutex> lock(mu_);
  return status_;
}

CallRecorder::Summary CallRecorder::SummaryLocked() const {
  Summary summary;
  const bool running = !finished_ && fd_ >= 0;
  const int64_t now_ns = finished_ ? end_ns_ : now_();
  const int64_t audio_bytes = flushed_bytes_ + static_cast<int64_t>(buffer_.size());
  // Stopped (finished, or by a write error): the length of what the file holds.
  summary.duration_ms =
      running ? (now_ns - start_ns_) / 1'000'000 : audio_bytes / 2 * 1000 / kSampleRate;
  summary.paused_ms = (paused_ns_ + (paused_ ? now_ns - pause_started_ns_ : 0)) / 1'000'000;
  summary.pauses = pauses_;
  summary.bytes = static_cast<int64_t>(kHeaderBytes) + audio_bytes;
  return summary;
}

}  // namespace onestop::media
