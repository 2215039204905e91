// RTP for the B2BUA: each call leg has one RtpStream — a UDP socket on an
// even port of the configured range (RTCP's odd port is reserved with it and
// ignored) — that either plays audio to the remote party (prompts, hold
// music: 20 ms G.711 packets sent against absolute deadlines, so spacing does
// not drift) or relays what it receives to another stream (the bridge: the
// other leg sends it on with its own SSRC, sequence and timestamps, re-coding
// PCMU⇄PCMA when the legs differ and mapping telephone-event payload types).
// Received telephone-events and in-band tones become digits (DtmfDetector).
// Received audio can also go to a CallRecorder (RecordTo), one channel per leg.
// Source latching (symmetric RTP, for callers behind NAT whose SDP carries a
// private address): after SetRemote, the first well-formed packet whose
// payload type is the codec or the telephone-event type fixes the source
// (address and port, whatever they are); from then on only that source is
// accepted and the stream sends there instead of to the SDP address.
// Packets before SetRemote, from other sources, malformed or of another
// payload type are counted as dropped. SetRemote again (re-INVITE) unlatches.
//
// MediaEngine owns the Asio io_context and its threads and the port pool.
// Every RtpStream method may be called from any thread (they post to the
// stream's strand); callbacks (digits, end of playback) run on media
// threads and must be quick — post to your own thread. Close() called from
// a non-media thread waits for the strand: when it returns the port is free
// and no callback is running; called from a media thread (inside a
// callback) it finishes asynchronously. A stream may outlive its engine
// (the engine closes it; every later call is a no-op).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "media/audio.h"

namespace onestop::media {

struct PortRange {
  int first = 20000;  // even
  int last = 20999;
};

struct RemoteMedia {
  std::string address;  // IPv4/IPv6 literal from the SDP c= line
  uint16_t port = 0;
  Codec codec = Codec::kPcma;
  int telephone_event_pt = -1;  // -1: the party did not offer RFC 4733 (in-band DTMF then)
};

struct StreamStats {
  uint64_t packets_sent = 0;
  uint64_t packets_received = 0;  // accepted (right source and payload type)
  uint64_t packets_relayed = 0;  // received here and sent on by the bridged stream
  uint64_t packets_dropped = 0;  // wrong source, malformed, unknown payload type
  absl::Time last_received = absl::InfinitePast();
  // Interarrival jitter of received packets (RFC 3550 §6.4.1), milliseconds.
  double jitter_ms = 0;
};

class MediaEngine;
class CallRecorder;

class RtpStream : public std::enable_shared_from_this<RtpStream> {
 public:
  using OnDigit = std::function<void(char digit)>;
  using OnDone = std::function<void()>;

  virtual ~RtpStream() = default;
  virtual uint16_t local_port() const = 0;
  // Where to send, and what the remote party understands. Until set, the
  // stream receives but sends nothing.
  virtual void SetRemote(const RemoteMedia& remote) = 0;
  virtual void OnDigits(OnDigit on_digit) = 0;
  // Plays the clips one after another (replacing whatever played), then
  // calls on_done and sends silence packets (they keep NAT bindings and the
  // far end's jitter buffer alive); with loop = true starts again at the
  // first clip and never calls on_done. An empty list is silence.
  virtual void Play(std::vector<SharedPcm> clips, bool loop, OnDone on_done = nullptr) = 0;
  // While a peer relays into this stream nothing it plays is sent (the
  // relay start clears it); clips given during the relay start when it ends.
  virtual void StopPlaying() = 0;  // silence, no on_done
  // Audio (and telephone-events) received here are sent on by `peer` to
  // peer's remote party; peer stops its own playback while it relays.
  // One direction: BridgeStreams does both.
  virtual void RelayTo(std::shared_ptr<RtpStream> peer) = 0;
  virtual void StopRelay() = 0;
  // Recording (CallRecorder): the decoded audio this stream receives — what
  // its party says, PCMA/PCMU → linear PCM — is pushed to `recorder` as
  // `channel` (0 = caller leg, 1 = agent leg), placed by the packets' RTP
  // timestamps; nullptr stops. Telephone-events are not audio and are never
  // recorded (in-band DTMF is audio: the recorder's PCI pause silences it).
  // Independent of playback and relay; when not recording, receiving costs
  // one null check. The stream never finishes the recorder: its owner does.
  virtual void RecordTo(std::shared_ptr<CallRecorder> recorder, int channel) = 0;
  virtual StreamStats stats() const = 0;
  // Releases the port; idempotent. Callbacks stop.
  virtual void Close() = 0;

 protected:
  friend class MediaEngine;
  RtpStream() = default;
};

// Both ways: a's audio goes to b's party and b's to a's; both stop playing.
void BridgeStreams(const std::shared_ptr<RtpStream>& a, const std::shared_ptr<RtpStream>& b);

class MediaEngine {
 public:
  // `bind_address`: the local address RTP sockets bind (e.g. "127.0.0.1");
  // `threads`: Asio threads running the streams.
  MediaEngine(std::string bind_address, PortRange ports, int threads = 1);
  ~MediaEngine();  // closes every stream, joins the threads
  MediaEngine(const MediaEngine&) = delete;
  MediaEngine& operator=(const MediaEngine&) = delete;

  // ResourceExhausted when no even port of the range is free.
  absl::StatusOr<std::shared_ptr<RtpStream>> Open();
  int open_streams() const;
  const std::string& bind_address() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace onestop::media
