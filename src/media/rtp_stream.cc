#include "media/rtp_stream.h"

#include <boost/asio.hpp>

#include <array>
#include <chrono>
#include <cmath>
#include <future>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "media/dtmf.h"
#include "media/recorder.h"
#include "media/rtp.h"

namespace onestop::media {
namespace asio = boost::asio;
using asio::ip::udp;
using SteadyClock = std::chrono::steady_clock;

namespace {

constexpr auto kFrame = std::chrono::milliseconds(20);
// Set on the engine's threads: Close() from them must not wait for a strand.
thread_local bool in_media_thread = false;

uint8_t SilenceByte(Codec codec) { return codec == Codec::kPcmu ? 0xFF : 0xD5; }

// RTP timestamps compare modulo 2^32.
bool TimestampBefore(uint32_t a, uint32_t b) { return static_cast<int32_t>(a - b) < 0; }

uint32_t RandomUint32() {
  static std::mutex mu;
  static std::mt19937 generator{std::random_device{}()};
  std::lock_guard<std::mutex> lock(mu);
  return static_cast<uint32_t>(generator());
}

}  // namespace

// What streams share with their engine: the io_context and the port pool.
// Streams hold it by shared_ptr, because Asio objects (sockets, timers,
// strands) must be destroyed before their io_context and the B2BUA may keep
// a closed stream after the engine is gone.
struct EngineState {
  asio::io_context io;
  std::mutex mu;
  std::set<int> used_ports;                   // GUARDED_BY(mu)
  int next_port = 0;                          // GUARDED_BY(mu)
  std::vector<std::weak_ptr<RtpStream>> streams;  // GUARDED_BY(mu)
  std::atomic<int> open_count{0};

  void ReleasePort(int port) {
    std::lock_guard<std::mutex> lock(mu);
    used_ports.erase(port);
  }
};

namespace {

class StreamImpl final : public RtpStream {
 public:
  StreamImpl(std::shared_ptr<EngineState> engine, udp::socket socket, uint16_t port,
             asio::strand<asio::io_context::executor_type> strand)
      : engine_(std::move(engine)),
        strand_(std::move(strand)),
        socket_(std::move(socket)),
        timer_(strand_),
        port_(port),
        ssrc_(RandomUint32()),
        sequence_(static_cast<uint16_t>(RandomUint32())),
        next_timestamp_(RandomUint32()),
        detector_([this](char digit) {
          if (!closed_.load() && on_digit_) on_digit_(digit);
        }) {}

  // First member: destroyed last, after the socket, timer and strand.
  const std::shared_ptr<EngineState> engine_;

 public:
  void Start() {
    auto self = std::static_pointer_cast<StreamImpl>(shared_from_this());
    asio::post(strand_, [self] { self->Receive(); });
  }

  uint16_t local_port() const override { return port_; }

  void SetRemote(const RemoteMedia& remote) override {
    if (closed_.load()) return;
    auto self = Self();
    asio::post(strand_, [self, remote] {
      if (self->closed_.load()) return;
      boost::system::error_code error;
      const asio::ip::address address = asio::ip::make_address(remote.address, error);
      self->remote_ = remote;
      self->has_remote_ = !error;
      if (!error) self->remote_endpoint_ = udp::endpoint(address, remote.port);
      self->latched_ = false;
      self->have_jitter_ = false;
      self->EnsureTimer();
    });
  }

  void OnDigits(OnDigit on_digit) override {
    if (closed_.load()) return;
    auto self = Self();
    asio::post(strand_, [self, on_digit = std::move(on_digit)]() mutable {
      if (!self->closed_.load()) self->on_digit_ = std::move(on_digit);
    });
  }

  void Play(std::vector<SharedPcm> clips, bool loop, OnDone on_done) override {
    if (closed_.load()) return;
    auto self = Self();
    asio::post(strand_, [self, clips = std::move(clips), loop, on_done = std::move(on_done)]() mutable {
      if (self->closed_.load()) return;
      self->clips_.clear();
      for (SharedPcm& clip : clips) {
        if (clip && !clip->empty()) self->clips_.push_back(std::move(clip));
      }
      self->clip_idx_ = 0;
      self->sample_pos_ = 0;
      self->loop_ = loop;
      self->on_done_ = std::move(on_done);
      self->playing_ = true;
      if (self->clips_.empty() && !loop) self->FinishPlayback();
    });
  }

  void StopPlaying() override {
    if (closed_.load()) return;
    auto self = Self();
    asio::post(strand_, [self] { self->StopPlayback(); });
  }

  void RelayTo(std::shared_ptr<RtpStream> peer) override {
    if (closed_.load() || !peer || peer.get() == this) return;
    auto self = Self();
    auto target = std::static_pointer_cast<StreamImpl>(std::move(peer));
    asio::post(strand_, [self, target] {
      if (self->closed_.load()) return;
      if (self->relay_peer_ && self->relay_peer_ != target) self->relay_peer_->SetFed(false);
      self->relay_peer_ = target;
      target->SetFed(true);
    });
  }

  void StopRelay() override {
    if (closed_.load()) return;
    auto self = Self();
    asio::post(strand_, [self] {
      if (self->relay_peer_) self->relay_peer_->SetFed(false);
      self->relay_peer_.reset();
    });
  }

  void RecordTo(std::shared_ptr<CallRecorder> recorder, int channel) override {
    if (closed_.load()) return;
    auto self = Self();
    asio::post(strand_, [self, recorder = std::move(recorder), channel]() mutable {
      if (self->closed_.load()) return;
      self->recorder_ = std::move(recorder);
      self->record_channel_ = channel;
    });
  }

  StreamStats stats() const override {
    StreamStats out;
    out.packets_sent = packets_sent_.load(std::memory_order_relaxed);
    out.packets_received = packets_received_.load(std::memory_order_relaxed);
    out.packets_relayed = packets_relayed_.load(std::memory_order_relaxed);
    out.packets_dropped = packets_dropped_.load(std::memory_order_relaxed);
    const int64_t last = last_received_ns_.load(std::memory_order_relaxed);
    out.last_received = last == 0 ? absl::InfinitePast() : absl::FromUnixNanos(last);
    out.jitter_ms = jitter_ms_.load(std::memory_order_relaxed);
    return out;
  }

  void Close() override {
    if (closed_.exchange(true)) return;
    engine_->open_count.fetch_sub(1);
    auto self = Self();
    if (in_media_thread) {
      asio::post(strand_, [self] { self->CloseOnStrand(); });
      return;
    }
    // From any other thread Close waits, so the port is free and no
    // callback is running when it returns.
    std::promise<void> done;
    std::future<void> finished = done.get_future();
    asio::post(strand_, [self, &done] {
      self->CloseOnStrand();
      done.set_value();
    });
    finished.wait();
  }

 private:
  enum class Kind { kAudio, kEvent };

  std::shared_ptr<StreamImpl> Self() { return std::static_pointer_cast<StreamImpl>(shared_from_this()); }

  void CloseOnStrand() {
    boost::system::error_code ignored;
    timer_.cancel();
    socket_.close(ignored);
    timer_active_ = false;
    ++timer_generation_;
    if (relay_peer_) relay_peer_->SetFed(false);
    relay_peer_.reset();
    // Dropping the callbacks breaks any cycle through their captures.
    on_digit_ = nullptr;
    on_done_ = nullptr;
    recorder_.reset();
    clips_.clear();
    engine_->ReleasePort(port_);
  }

  // --- sending -----------------------------------------------------------

  void EnsureTimer() {
    if (timer_active_ || fed_ || !has_remote_ || closed_.load()) return;
    timer_active_ = true;
    const uint64_t generation = ++timer_generation_;
    const auto now = SteadyClock::now();
    if (sent_any_) {
      // Time passed without packets from us (relaying, or no remote): move
      // the timestamp on by that much so it keeps pace with the clock.
      const auto idle = std::chrono::duration_cast<std::chrono::milliseconds>(now - last_send_time_);
      const int64_t frames = idle / kFrame;
      if (frames > 1) next_timestamp_ += static_cast<uint32_t>((frames - 1) * kFrameSamples);
      marker_next_ = true;
    }
    deadline_ = now;
    Tick(generation);
  }

  void Tick(uint64_t generation) {
    SendFrame();
    deadline_ += kFrame;
    const auto now = SteadyClock::now();
    // After a long stall (debugger, overload) start afresh instead of bursting.
    if (deadline_ + 5 * kFrame < now) deadline_ = now + kFrame;
    timer_.expires_at(deadline_);
    auto self = Self();
    timer_.async_wait([self, generation](const boost::system::error_code& error) {
      if (error || self->closed_.load() || generation != self->timer_generation_) return;
      self->Tick(generation);
    });
  }

  void SendFrame() {
    if (!has_remote_) return;
    std::array<int16_t, kFrameSamples> pcm{};
    bool audio = false;
    if (playing_ && !clips_.empty()) {
      audio = true;
      size_t filled = 0;
      while (filled < pcm.size() && playing_) {
        const Pcm& clip = *clips_[clip_idx_];
        const size_t take = std::min(pcm.size() - filled, clip.size() - sample_pos_);
        std::copy_n(clip.begin() + static_cast<std::ptrdiff_t>(sample_pos_), take, pcm.begin() + static_cast<std::ptrdiff_t>(filled));
        filled += take;
        sample_pos_ += take;
        if (sample_pos_ >= clip.size()) {
          sample_pos_ = 0;
          ++clip_idx_;
          if (clip_idx_ >= clips_.size()) {
            clip_idx_ = 0;
            if (!loop_) {
              // The rest of this frame stays silent; on_done after sending it.
              playing_ = false;
            }
          }
        }
      }
    }
    payload_.clear();
    if (audio) {
      Encode(remote_.codec, pcm, payload_);
    } else {
      payload_.assign(kFrameSamples, SilenceByte(remote_.codec));
    }
    RtpHeader header;
    header.marker = marker_next_ || !sent_any_;
    header.payload_type = static_cast<uint8_t>(remote_.codec);
    header.sequence = sequence_++;
    header.timestamp = next_timestamp_;
    header.ssrc = ssrc_;
    next_timestamp_ += kFrameSamples;
    marker_next_ = false;
    Send(header, payload_);
    if (audio && !playing_) FinishPlayback();
  }

  void Send(const RtpHeader& header, std::span<const uint8_t> payload) {
    BuildRtp(header, payload, packet_);
    boost::system::error_code error;
    socket_.send_to(asio::buffer(packet_), latched_ ? latched_endpoint_ : remote_endpoint_, 0, error);
    sent_any_ = true;
    last_send_time_ = SteadyClock::now();
    if (!error) packets_sent_.fetch_add(1, std::memory_order_relaxed);
  }

  void FinishPlayback() {
    playing_ = false;
    clips_.clear();
    OnDone done = std::move(on_done_);
    on_done_ = nullptr;
    if (done && !closed_.load()) done();
  }

  void StopPlayback() {
    playing_ = false;
    clips_.clear();
    on_done_ = nullptr;
  }

  // Another stream relays into this one (or stops doing so).
  void SetFed(bool fed) {
    auto self = Self();
    asio::post(strand_, [self, fed] {
      if (self->closed_.load() || self->fed_ == fed) return;
      self->fed_ = fed;
      if (fed) {
        self->StopPlayback();
        self->timer_active_ = false;
        ++self->timer_generation_;
        self->timer_.cancel();
        self->relay_map_valid_ = false;
      } else {
        self->EnsureTimer();
      }
    });
  }

  // Called on the source stream's strand; continues on ours.
  void Forward(std::shared_ptr<StreamImpl> from, Kind kind, Codec from_codec, RtpHeader in,
               std::span<const uint8_t> payload) {
    auto self = Self();
    asio::post(strand_, [self, from = std::move(from), kind, from_codec, in,
                         bytes = std::vector<uint8_t>(payload.begin(), payload.end())]() mutable {
      self->SendRelayed(*from, kind, from_codec, in, bytes);
    });
  }

  void SendRelayed(StreamImpl& from, Kind kind, Codec from_codec, const RtpHeader& in, std::vector<uint8_t>& bytes) {
    if (closed_.load() || !has_remote_ || !fed_) return;
    RtpHeader out;
    if (kind == Kind::kEvent) {
      if (remote_.telephone_event_pt < 0) return;  // this party cannot take RFC 4733
      out.payload_type = static_cast<uint8_t>(remote_.telephone_event_pt);
    } else {
      out.payload_type = static_cast<uint8_t>(remote_.codec);
      if (from_codec != remote_.codec) {
        for (uint8_t& byte : bytes) byte = Transcode(from_codec, remote_.codec, byte);
      }
    }
    // Our timestamps follow the source's (so event packets keep sharing one
    // timestamp and gaps stay gaps), offset to continue our own sequence.
    const bool resync = !relay_map_valid_ || in.ssrc != relay_map_ssrc_ ||
                        std::abs(static_cast<int32_t>(in.timestamp + relay_offset_ - next_timestamp_)) > 10 * kSampleRate;
    if (resync) {
      relay_offset_ = next_timestamp_ - in.timestamp;
      relay_map_ssrc_ = in.ssrc;
      relay_map_valid_ = true;
      marker_next_ = true;
    }
    out.timestamp = in.timestamp + relay_offset_;
    out.marker = in.marker || marker_next_;
    marker_next_ = false;
    out.sequence = sequence_++;
    out.ssrc = ssrc_;
    if (kind == Kind::kAudio) {
      const uint32_t after = out.timestamp + static_cast<uint32_t>(bytes.size());
      if (TimestampBefore(next_timestamp_, after)) next_timestamp_ = after;
    } else if (TimestampBefore(next_timestamp_, out.timestamp + 1)) {
      next_timestamp_ = out.timestamp + kFrameSamples;
    }
    Send(out, bytes);
    from.packets_relayed_.fetch_add(1, std::memory_order_relaxed);
  }

  // --- receiving ---------------------------------------------------------

  void Receive() {
    if (closed_.load()) return;
    auto self = Self();
    socket_.async_receive_from(asio::buffer(receive_buffer_), sender_,
                               [self](const boost::system::error_code& error, size_t size) {
                                 if (error == asio::error::operation_aborted || self->closed_.load()) return;
                                 if (!error) self->OnPacket(size);
                                 self->Receive();
                               });
  }

  void Drop() { packets_dropped_.fetch_add(1, std::memory_order_relaxed); }

  void OnPacket(size_t size) {
    if (!has_remote_) return Drop();
    if (latched_ && sender_ != latched_endpoint_) return Drop();
    const std::optional<RtpPacketView> packet = ParseRtp(std::span<const uint8_t>(receive_buffer_.data(), size));
    if (!packet) return Drop();
    const int payload_type = packet->header.payload_type;
    const bool is_audio = payload_type == static_cast<int>(remote_.codec);
    const bool is_event = remote_.telephone_event_pt >= 0 && payload_type == remote_.telephone_event_pt;
    if (!is_audio && !is_event) return Drop();
    if (!latched_) {
      // Symmetric RTP: the first valid packet fixes the source, and we send
      // there from now on (callers behind NAT announce a private address).
      latched_ = true;
      latched_endpoint_ = sender_;
    }
    packets_received_.fetch_add(1, std::memory_order_relaxed);
    last_received_ns_.store(absl::ToUnixNanos(absl::Now()), std::memory_order_relaxed);
    if (is_audio) {
      UpdateJitter(packet->header);
      const bool in_band_dtmf = remote_.telephone_event_pt < 0;
      if (in_band_dtmf || recorder_) {
        decoded_.clear();
        Decode(remote_.codec, packet->payload, decoded_);
      }
      if (in_band_dtmf) detector_.OnAudio(decoded_);
      if (recorder_) recorder_->Push(record_channel_, packet->header.ssrc, packet->header.timestamp, decoded_);
      if (relay_peer_) relay_peer_->Forward(Self(), Kind::kAudio, remote_.codec, packet->header, packet->payload);
    } else {
      const std::optional<TelephoneEvent> event = ParseTelephoneEvent(packet->payload);
      if (!event) return;
      detector_.OnTelephoneEvent(packet->header.timestamp, packet->header.sequence, *event);
      if (relay_peer_) relay_peer_->Forward(Self(), Kind::kEvent, remote_.codec, packet->header, packet->payload);
    }
  }

  // RFC 3550 §6.4.1 and appendix A.8, in timestamp units.
  void UpdateJitter(const RtpHeader& header) {
    const auto arrival_units = std::chrono::duration_cast<std::chrono::microseconds>(
                                   SteadyClock::now().time_since_epoch()).count() * kSampleRate / 1000000;
    const int64_t transit = arrival_units - static_cast<int64_t>(header.timestamp);
    if (!have_jitter_ || header.ssrc != jitter_ssrc_) {
      have_jitter_ = true;
      jitter_ssrc_ = header.ssrc;
      last_transit_ = transit;
      jitter_ = 0;
      return;
    }
    // The 32-bit timestamp difference, so wrap-around is harmless.
    const int64_t delta = static_cast<int32_t>(static_cast<uint32_t>(transit - last_transit_));
    last_transit_ = transit;
    jitter_ += (std::fabs(static_cast<double>(delta)) - jitter_) / 16;
    jitter_ms_.store(jitter_ * 1000 / kSampleRate, std::memory_order_relaxed);
  }

  asio::strand<asio::io_context::executor_type> strand_;
  udp::socket socket_;
  asio::steady_timer timer_;
  const uint16_t port_;
  std::atomic<bool> closed_{false};

  // Everything below is touched on strand_ only.
  RemoteMedia remote_;
  bool has_remote_ = false;
  udp::endpoint remote_endpoint_;
  bool latched_ = false;
  udp::endpoint latched_endpoint_;
  OnDigit on_digit_;

  uint32_t ssrc_;
  uint16_t sequence_;
  uint32_t next_timestamp_;
  bool sent_any_ = false;
  bool marker_next_ = false;
  SteadyClock::time_point last_send_time_;
  SteadyClock::time_point deadline_;
  bool timer_active_ = false;
  uint64_t timer_generation_ = 0;
  std::vector<uint8_t> payload_;
  std::vector<uint8_t> packet_;

  std::vector<SharedPcm> clips_;
  size_t clip_idx_ = 0;
  size_t sample_pos_ = 0;
  bool loop_ = false;
  bool playing_ = false;
  OnDone on_done_;

  bool fed_ = false;  // another stream relays into this one: no playback
  bool relay_map_valid_ = false;
  uint32_t relay_map_ssrc_ = 0;
  uint32_t relay_offset_ = 0;
  std::shared_ptr<StreamImpl> relay_peer_;

  std::shared_ptr<CallRecorder> recorder_;  // null: not recording
  int record_channel_ = 0;

  std::array<uint8_t, 2048> receive_buffer_{};
  udp::endpoint sender_;
  Pcm decoded_;
  DtmfDetector detector_;
  bool have_jitter_ = false;
  uint32_t jitter_ssrc_ = 0;
  int64_t last_transit_ = 0;
  double jitter_ = 0;

  std::atomic<uint64_t> packets_sent_{0};
  std::atomic<uint64_t> packets_received_{0};
  std::atomic<uint64_t> packets_relayed_{0};
  std::atomic<uint64_t> packets_dropped_{0};
  std::atomic<int64_t> last_received_ns_{0};
  std::atomic<double> jitter_ms_{0};
};

}  // namespace

struct MediaEngine::Impl {
  std::shared_ptr<EngineState> state = std::make_shared<EngineState>();
  std::string bind_address;
  PortRange ports;
  asio::executor_work_guard<asio::io_context::executor_type> work{state->io.get_executor()};
  std::vector<std::thread> threads;
};

void BridgeStreams(const std::shared_ptr<RtpStream>& a, const std::shared_ptr<RtpStream>& b) {
  a->RelayTo(b);
  b->RelayTo(a);
}

MediaEngine::MediaEngine(std::string bind_address, PortRange ports, int threads) : impl_(std::make_unique<Impl>()) {
  impl_->bind_address = std::move(bind_address);
  impl_->ports = ports;
  impl_->state->next_port = ports.first + (ports.first % 2);
  for (int thread_idx = 0; thread_idx < std::max(1, threads); ++thread_idx) {
    impl_->threads.emplace_back([state = impl_->state.get()] {
      in_media_thread = true;
      state->io.run();
    });
  }
}

MediaEngine::~MediaEngine() {
  std::vector<std::weak_ptr<RtpStream>> streams;
  {
    std::lock_guard<std::mutex> lock(impl_->state->mu);
    streams.swap(impl_->state->streams);
  }
  for (const std::weak_ptr<RtpStream>& weak : streams) {
    if (std::shared_ptr<RtpStream> stream = weak.lock()) stream->Close();
  }
  impl_->work.reset();
  for (std::thread& thread : impl_->threads) thread.join();
}

absl::StatusOr<std::shared_ptr<RtpStream>> MediaEngine::Open() {
  boost::system::error_code error;
  const asio::ip::address address = asio::ip::make_address(impl_->bind_address, error);
  if (error) return absl::InvalidArgumentError(absl::StrCat("bad RTP bind address ", impl_->bind_address));
  EngineState& state = *impl_->state;
  std::lock_guard<std::mutex> lock(state.mu);
  const int first = impl_->ports.first + (impl_->ports.first % 2);
  const int last = impl_->ports.last;
  if (first > last) return absl::ResourceExhaustedError("empty RTP port range");
  const int count = (last - first) / 2 + 1;
  for (int attempt = 0; attempt < count; ++attempt) {
    int port = state.next_port;
    if (port < first || port > last) port = first;
    state.next_port = port + 2;
    if (state.used_ports.contains(port)) continue;
    auto strand = asio::make_strand(state.io);
    udp::socket socket(strand);
    socket.open(address.is_v4() ? udp::v4() : udp::v6(), error);
    if (error) return absl::InternalError(absl::StrCat("cannot open a UDP socket: ", error.message()));
    socket.bind(udp::endpoint(address, static_cast<uint16_t>(port)), error);
    if (error) continue;  // taken by another program: the next even port
    socket.non_blocking(true, error);
    auto stream = std::make_shared<StreamImpl>(impl_->state, std::move(socket), static_cast<uint16_t>(port), strand);
    state.used_ports.insert(port);
    state.open_count.fetch_add(1);
    // Forget closed streams now and then so the list stays the size of the calls.
    if (state.streams.size() > 64 && state.streams.size() > 2 * state.used_ports.size()) {
      std::erase_if(state.streams, [](const std::weak_ptr<RtpStream>& weak) { return weak.expired(); });
    }
    state.streams.push_back(stream);
    stream->Start();
    return std::shared_ptr<RtpStream>(std::move(stream));
  }
  return absl::ResourceExhaustedError(
      absl::StrCat("no free even RTP port in ", impl_->ports.first, "-", impl_->ports.last));
}

int MediaEngine::open_streams() const { return impl_->state->open_count.load(); }
const std::string& MediaEngine::bind_address() const { return impl_->bind_address; }

}  // namespace onestop::media
