// SipServer: onestop answers the council's telephone numbers itself. One
// sofia-sip user agent (its own thread, sip/sofia_loop.h) listening on UDP
// and TCP is at once
//   - the IVR: INVITEs from the council's trunks (source address allowed,
//     and digest when the trunk has credentials) or from registered phones
//     (digest) to a number of the council file's `telephony` are answered;
//     the caller hears the menus (sip/ivr.h; prompts synthesised once,
//     media::PromptCache) and picks with RFC 4733 digits or in-band tones;
//   - the queue: the chosen queue gets a voice interaction in the routing
//     engine with the caller's number (screen-pop as for any call); while it
//     waits the caller hears hold music and, every `announce_seconds`, their
//     position and the estimated wait;
//   - the registrar: staff phones REGISTER as sip:<extension>@host with
//     digest auth against the stored HA1 (domain/sip_account.h); bindings
//     live in memory with their expiry and in the store (domain::SipBinding),
//     so the node that takes over after a failover rings the phones at once;
//   - the B2BUA: when the engine offers the call to an agent, their phone is
//     rung (a new INVITE from onestop, media anchored here: RTP is relayed
//     between the legs by media::RtpStream); the phone answering accepts the
//     offer (RoutingDesk::Accept, which starts the call's contact);
//     ring-no-answer (the engine's timer), busy or decline → CANCEL and the
//     engine's next choice; caller hang-up while queued or ringing →
//     abandoned; either side's BYE ends the call (the contact gets the call's
//     duration, services::EndInteractionCall) and the agent wraps up on the
//     desk; the agent completing, transferring or requeueing on the desk
//     hangs up their leg (a transfer then rings the next agent);
//   - the desk's call control (services::CallPort): hold with music,
//     hang-up, consultative transfer (a third leg to the colleague's phone
//     that becomes the agent leg when the engine's transfer is offered to
//     them), the recording pause;
//   - calls out through `dial_uri`: a queued caller's call back (the item
//     keeps its place without a caller leg; the agent's answer dials the
//     resident) and click-to-dial (an item waiting for that agent alone);
//   - recording per the council's policy (media::CallRecorder, stored with
//     services::SaveCallRecording) and the post-call survey after the
//     agent's side hangs up (services::RecordCallSurvey).
// Every voice item it creates carries the reference "call:<node>/<n>".
// Only the node running routing (the leader) answers: a standby answers
// INVITE, REGISTER and OPTIONS with 503, so a Kamailio in front
// (deploy/kamailio/onestop.cfg) sends everything to the leader. When the
// role comes to this node (at start, or a failover) it loads the phones'
// bindings from the store and abandons the call items no call of its own
// holds (calls that died with an earlier run or with the old leader); when
// the role goes, it hangs up its calls.
//
// Threads: Start/Stop/port/stats from any thread; all call state lives on
// the sofia thread; routing events arrive on the engine's threads and are
// posted there. The inside is sip/server_impl.h (SipServer::Impl and the
// call records), defined one section a file: sip_server.cc (start / stop,
// sofia's callbacks, this class), registrar.cc, calls_in.cc,
// desk_control.cc, ivr_queue.cc, agent_leg.cc, call_back.cc, consult.cc,
// recording.cc and call_ends.cc.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "domain/telephony.h"
#include "media/rtp_stream.h"
#include "routing/live_engine.h"
#include "services/call_control.h"
#include "services/deps.h"
#include "services/routing.h"

namespace onestop::i18n {
class Catalogs;
}

namespace onestop::sip {

// A peer allowed to send calls in (the council's SIP trunk / SBC).
struct Trunk {
  std::string name;
  std::function<bool(std::string_view ip)> allows;  // source address check
  std::string username;  // non-empty: digest auth required as well
  std::string password;
};

struct SipServerOptions {
  std::string host = "127.0.0.1";
  int port = 5060;               // 0 = any free port (UDP and TCP get the same one)
  std::string public_address;    // in SDP and Contact; empty = host
  media::PortRange rtp_ports;
  int media_threads = 2;  // spacing degrades with one thread beyond ~300 calls (bench/media_bench)
  std::string realm = "onestop";
  std::vector<Trunk> trunks;
  std::string node = "node";     // this node's name (item references)
  int max_calls = 2000;          // more: 503
  absl::Duration rtp_timeout = absl::Seconds(60);  // no RTP from the caller this long: hang up
  absl::Duration max_call = absl::Hours(4);
  int min_expires = 60, max_expires = 3600;         // REGISTER
  // Where calls out go (calls back): "HOST[:PORT][;transport=tcp]" of the
  // trunk that takes them, the number as the user part. Empty: no calls out
  // (the call-back offer is not made).
  std::string dial_uri;
  // Where call recordings are written (app::RecordingsDirFor); empty = none
  // (whatever the council's policy says).
  std::string recordings_dir;
  absl::Duration dial_timeout = absl::Seconds(45);  // ringing a resident this long: given up
  // Prompts synthesised when the server starts (else on first use).
  bool warm_prompts = true;
  // Called with an agent's staff id when what their desk shows of a call
  // changes outside the routing engine (the phone's own hold, a hang-up,
  // the colleague or the resident answering), so the desk is pushed again.
  // On the SIP thread: must not block.
  std::function<void(int64_t agent_id)> call_changed;
};

struct SipStats {
  int calls = 0;          // in progress (IVR, queued, ringing, bridged)
  int bridged = 0;
  int registrations = 0;  // phones registered now
  int records = 0;        // calls still held in memory (ended ones until both legs are released)
  int open_streams = 0;   // RTP streams open
  // RFC 3550 interarrival jitter of what the bridged legs receive, 95th
  // percentile over those legs (milliseconds; refreshed every second).
  double jitter_p95_ms = 0;
  int64_t calls_total = 0;
  int64_t rejected_total = 0;  // INVITEs refused (403/404/488/503)
};

// Also the desk's services::CallPort: hold, resume, hang up, recording
// pause for the call behind a voice item of this node.
class SipServer : public services::CallPort {
 public:
  SipServer(services::Deps deps, routing::LiveEngine& engine, services::RoutingDesk& desk,
            domain::Telephony telephony, SipServerOptions options);
  ~SipServer() override;  // Stop()
  SipServer(const SipServer&) = delete;
  SipServer& operator=(const SipServer&) = delete;

  // Binds UDP+TCP, subscribes to the routing engine, warms the prompts.
  absl::Status Start();
  // Hangs up every call (BYE), shuts sofia down. Idempotent.
  void Stop();
  uint16_t port() const;  // bound port (after Start)
  SipStats stats() const;

  // services::CallPort (from any thread; waits for the SIP thread, at most 5 s).
  absl::Status Hold(int64_t item_id, bool on) override;
  absl::Status HangUp(int64_t item_id) override;
  absl::Status PauseRecording(int64_t item_id, bool paused) override;
  std::optional<services::CallState> State(int64_t item_id) const override;
  absl::StatusOr<int64_t> Dial(const domain::Actor& agent, const std::string& number,
                               std::optional<int64_t> citizen_id) override;
  absl::Status Consult(int64_t item_id, int64_t to_agent) override;
  absl::Status CompleteConsult(const domain::Actor& agent, int64_t item_id) override;
  absl::Status CancelConsult(int64_t item_id) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace onestop::sip
