// The inside of SipServer (sip/sip_server.h), for the files of src/sip that
// define it: the call records and SipServer::Impl, whose member functions
// are defined one section a file (each section below names its file).
// Internal to src/sip: nothing else includes it.
#pragma once

#include <sofia-sip/nua.h>
#include <sofia-sip/su_wait.h>
#include <sofia-sip/url.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/sip_account.h"
#include "domain/staff.h"
#include "domain/telephony.h"
#include "media/audio.h"
#include "media/rtp_stream.h"
#include "media/speech.h"
#include "routing/live_engine.h"
#include "services/call_control.h"
#include "services/deps.h"
#include "services/routing.h"
#include "sip/digest.h"
#include "sip/ivr.h"
#include "sip/sip_server.h"
#include "sip/sofia_loop.h"

namespace onestop::sip {

inline constexpr char kSdpType[] = "application/sdp";

// kCallback: the caller asked to be called back and hung up; the item keeps
// its place in the queue with no caller leg. kDialling: the agent's phone
// answered a call back and the resident is being rung through the trunk.
// kSurvey: the agent hung up and the caller answers the post-call question.
enum class Phase { kIvr, kQueued, kRinging, kBridged, kCallback, kDialling, kSurvey, kEnded };

struct Leg {
  nua_handle_t* nh = nullptr;
  std::shared_ptr<media::RtpStream> rtp;
  bool answered = false;
  bool cancelled = false;  // we sent CANCEL (or BYE after a late 200)

  // Ends our side once: BYE when answered, else CANCEL (nothing without a
  // handle, or when already done).
  void Drop() {
    if (nh == nullptr || cancelled) return;
    cancelled = true;
    if (answered) {
      nua_bye(nh, TAG_END());
    } else {
      nua_cancel(nh, TAG_END());
    }
  }
};

struct Call {
  uint64_t id = 0;
  Phase phase = Phase::kIvr;
  Leg caller;
  Leg agent;
  // Consultative transfer: the colleague's phone, talking with the agent
  // while the caller holds; becomes the agent leg when the transfer completes.
  Leg consult;
  int64_t consult_agent = 0;
  bool consult_handover = false;  // the engine was told: its offer to consult_agent adopts the leg
  std::string caller_number;
  std::string dialled;
  std::string reference;  // "call:<node>/<id>"
  std::unique_ptr<Ivr> ivr;
  std::string language = "en";
  int64_t item_id = 0;
  std::string queue;
  int64_t agent_id = 0;  // ringing or bridged
  int64_t contact_agent = 0;  // the agent whose answer started the contact
  absl::Time started;
  absl::Time answered_at;   // our 200 to the caller
  absl::Time bridged_at;
  absl::Time next_announce = absl::InfiniteFuture();
  uint64_t play_token = 0;
  bool call_end_recorded = false;
  bool on_hold = false;
  bool awaiting_answer = false;    // delayed offer: our SDP went in the 200, the answer comes in the ACK
  bool callback = false;           // the caller asked to be called back (or a call out: no caller leg yet)
  bool outbound = false;           // click-to-dial: the agent's call out
  std::optional<int64_t> citizen_id;  // click-to-dial: the resident the agent rang from
  // Recording (the queue's policy): both legs into one file.
  std::shared_ptr<media::CallRecorder> recorder;
  std::string recording_path;  // relative to the recordings directory
  absl::Time recording_started;
  int retention_days = 0;
  // The post-call survey.
  absl::Time survey_deadline = absl::InfiniteFuture();
  bool survey_answered = false;
  absl::Time dial_deadline = absl::InfiniteFuture();  // kDialling: give up ringing the resident
};

struct Binding {
  int64_t staff_id = 0;
  std::string extension;
  std::string contact;  // URL to send INVITEs to
  absl::Time expires;
  domain::Actor actor;
};

// The source address of the request nua is handling ("" when unknown).
std::string SourceIp(nua_t* nua);
// The user part of a SIP URL ("" when none).
std::string UrlUser(const url_t* url);

struct SipServer::Impl {
  // The constructor and UpdateStats are defined in sip/sip_server.cc.
  Impl(services::Deps d, routing::LiveEngine& e, services::RoutingDesk& k, domain::Telephony t, SipServerOptions o);

  services::Deps deps;
  routing::LiveEngine& engine;
  services::RoutingDesk& desk;
  domain::Telephony telephony;
  SipServerOptions options;
  DigestAuth auth;
  const i18n::Catalogs& catalogs;
  std::vector<std::string> trunk_ha1;

  SofiaLoop loop;
  std::unique_ptr<media::MediaEngine> media;
  media::PromptCache prompts;
  media::SharedPcm music;
  std::thread warmer;
  std::atomic<bool> stopping{false};

  // Sofia thread only.
  nua_t* nua = nullptr;
  su_timer_t* timer = nullptr;
  uint16_t bound_port = 0;
  uint64_t next_call = 1;
  uint64_t ticks = 0;
  bool shut_down = false;
  absl::flat_hash_map<uint64_t, std::unique_ptr<Call>> calls;
  absl::flat_hash_map<nua_handle_t*, std::pair<uint64_t, bool>> legs;  // handle → (call, is agent leg)
  absl::flat_hash_map<int64_t, uint64_t> call_of_item;
  absl::flat_hash_map<std::string, Binding> bindings;  // by extension (the store has them too)
  bool leading = false;  // this node ran routing at the last tick
  absl::flat_hash_map<int64_t, std::string> extension_of_staff;
  absl::flat_hash_map<std::string, std::pair<absl::Time, int>> auth_failures;  // by source ip
  int listener = 0;

  mutable std::mutex stats_mu;
  SipStats stats;  // GUARDED_BY(stats_mu)

  void UpdateStats();
  // What the agent's bar shows of the call changed without a routing
  // event (hold from the phone, a hang-up, the colleague or the resident
  // answering): options.call_changed for each agent it concerns.
  void DeskChanged(const Call& call);

  // ---- start / stop ---------------------------------------------------
  // Defined in sip/sip_server.cc.

  absl::Status Setup(su_root_t* root);
  void Teardown(su_root_t* root);

  // Items this node created in an earlier life are calls that died with it.
  void AbandonOrphans();

  // The routing role came to this node (it answers the telephone from now:
  // the phones' bindings are loaded from the store, the calls an earlier
  // leader left in the engine abandoned) or went from it (its calls are
  // hung up: nothing can route them). From Tick.
  void OnLeadership(bool now_leading);

  // OPTIONS outside a call: 200 while this node runs the telephone, else
  // 503 (Kamailio's dispatcher probes keep only the leader active).
  void OnOptions(nua_t* n, nua_handle_t* nh);

  // ---- sofia callbacks -------------------------------------------------
  // Defined in sip/sip_server.cc.

  static void Callback(nua_event_t event, int status, char const* phrase, nua_t* nua, nua_magic_t* magic,
                       nua_handle_t* nh, nua_hmagic_t*, sip_t const* sip, tagi_t tags[]);
  static void OnTimer(su_root_magic_t*, su_timer_t*, su_timer_arg_t* arg);
  void OnEvent(nua_event_t event, int status, char const* phrase, nua_t* n, nua_handle_t* nh, sip_t const* sip,
               tagi_t tags[]);

  // ---- registrar -------------------------------------------------------
  // Defined in sip/registrar.cc.

  bool Throttled(const std::string& ip, absl::Time now);
  void CountFailure(const std::string& ip, absl::Time now);

  // Checks the request's digest against the account of its user; answers
  // 401 (challenge) or 403 itself and returns nullopt when it does not hold.
  std::optional<domain::SipAccount> Authenticate(nua_t* n, nua_handle_t* nh, sip_t const* sip, const char* method,
                                                 const std::string& ip);
  void OnRegister(nua_t* n, nua_handle_t* nh, sip_t const* sip);
  void RemoveBinding(const std::string& extension);
  // The bindings in the store (every node's registrar writes them) replace
  // this node's older ones.
  void LoadBindings();
  // Behind a trunk (Kamailio) every phone's REGISTER has the trunk's
  // address: failures are counted per phone (the address in its own Via).
  std::string ThrottleKey(sip_t const* sip, const std::string& ip) const;
  const Binding* BindingOf(int64_t staff_id);

  // ---- calls in --------------------------------------------------------
  // Defined in sip/calls_in.cc.

  void Refuse(nua_t* n, nua_handle_t* nh, int status, const char* phrase, const std::string& why);

  // Which trunk the request came from; -1 none.
  int TrunkOf(const std::string& ip) const;
  void OnInvite(nua_t* n, nua_handle_t* nh, sip_t const* sip);

  // A re-INVITE (hold, codec change, session refresh): new remote media,
  // our SDP unchanged.
  void OnReInvite(nua_handle_t* nh, uint64_t call_id, bool agent_leg, sip_t const* sip);

  Call* Find(uint64_t id);
  void OnState(nua_handle_t* nh, int state);

  // The ACK of a delayed-offer call carries the caller's answer to our
  // offer; without a usable one the call cannot have audio: BYE.
  void OnAck(nua_handle_t* nh, sip_t const* sip);

  // SIP INFO digits (phones that send neither RFC 4733 nor tones):
  // application/dtmf-relay "Signal=5" or application/dtmf "5".
  void OnInfo(nua_handle_t* nh, sip_t const* sip);

  // ---- the desk's call control (services::CallPort) ---------------------
  // Defined in sip/desk_control.cc.

  void SetHold(Call& call, bool on);
  Call* CallOfItem(int64_t item_id);
  absl::Status Hold(int64_t item_id, bool on);
  absl::Status HangUp(int64_t item_id);
  absl::Status PauseRecording(int64_t item_id, bool paused);

  // Click-to-dial: the call waits in the engine for the agent alone; the
  // offer rings their phone and their answer dials the resident (DialBack).
  absl::StatusOr<int64_t> Dial(const domain::Actor& actor, const std::string& number,
                               std::optional<int64_t> citizen_id);
  std::optional<services::CallState> State(int64_t item_id);

  // ---- the IVR and the queue -------------------------------------------
  // Defined in sip/ivr_queue.cc.

  std::vector<media::SharedPcm> Clips(const std::vector<Words>& words);
  void Play(Call& call, const std::vector<Words>& words, bool then_music);
  void PlayMusic(Call& call);
  void OnPlayed(uint64_t id, uint64_t token);

  // "To keep your place and be called back, press star." — when calls back
  // can be made and this caller's number can be rung.
  std::vector<Words> CallbackOffer(const Call& call) const;
  void OnDigit(uint64_t id, char digit);
  void Run(Call& call, const IvrStep& step);
  void Enqueue(Call& call, const std::string& queue, std::vector<Words> say);
  std::optional<absl::Duration> EstimatedWait(const std::string& queue, int position);

  // Synthesises every prompt once (the warm-up thread at start).
  void Warm();

  // ---- the agent's leg -------------------------------------------------
  // Defined in sip/agent_leg.cc.

  void OnRoutingEvents(const std::vector<routing::RoutingEvent>& events);

  // Where a call waits for an agent: with its caller on the line, or (a call
  // back) without.
  static Phase WaitingPhase(const Call& call);
  void RingAgent(Call& call, int64_t agent_id);
  void OnInviteResponse(nua_handle_t* nh, int status, sip_t const* sip);

  // Says `words` on the agent's phone, then hangs it up; the call is over
  // for the telephone.
  void AgentHears(Call& call, const std::string& words);
  void CancelAgent(Call& call);
  void ReleaseAgentLeg(Call& call);

  // The agent's phone refused (busy, decline, unreachable): the engine's next choice.
  void AgentFailed(Call& call);

  // ---- calling back ------------------------------------------------------
  // Defined in sip/call_back.cc.

  // A call out whose agent's phone did not answer: it goes (abandoned).
  void GiveUpCallOut(Call& call);

  // The caller pressed the call-back digit while queued: they keep their
  // place without staying on the line.
  void RequestCallback(Call& call);

  // The agent answered a call back: ring the resident through the trunk,
  // the agent hearing that it is under way.
  void DialBack(Call& call);
  void OnResidentAnswer(nua_handle_t* nh, uint64_t call_id, int status, sip_t const* sip);

  // The resident's leg of a call back went (no answer, busy, hung up before
  // answering): the agent hears so and their phone is hung up; the item
  // stays theirs to complete on the desk with what happened.
  void ResidentUnreachable(Call& call);
  void DropResidentLeg(Call& call);

  // ---- consultative transfer --------------------------------------------
  // Defined in sip/consult.cc.

  absl::Status Consult(int64_t item_id, int64_t to_agent);
  void OnConsultAnswer(Call& call, int status, sip_t const* sip);

  // The colleague's phone went (declined, no answer, hung up): the caller
  // and the agent talk again — unless the hand-over already happened.
  void ConsultGone(Call& call);
  void DropConsult(Call& call);
  absl::Status CancelConsult(int64_t item_id);

  // The agent completes the consultative transfer: the engine moves the
  // item to the colleague (TransferToAgent) and its offer adopts the
  // colleague's leg, already talking, as the call's agent leg.
  absl::Status CompleteConsult(int64_t item_id, const domain::Actor& actor);
  void AdoptConsult(Call& call);

  // ---- recording (the queue's policy) and the PCI pause ------------------
  // Defined in sip/recording.cc.

  void StartRecording(Call& call);
  void FinishRecording(Call& call);

  // ---- the post-call survey ----------------------------------------------
  // Defined in sip/recording.cc.

  // The agent's side ended a bridged call: the caller answers the survey
  // when their queue has one, else the call ends.
  void AgentLeft(Call& call);
  void OnSurveyDigit(Call& call, char digit);

  // ---- ends --------------------------------------------------------------
  // Defined in sip/call_ends.cc.

  void CallerGone(Call& call);

  // Either side ended a bridged call, or the agent completed it on the desk.
  void EndCall(Call& call);
  void RecordCallEnd(Call& call);
  void HangUpAll(Call& call);
  void MaybeForget(Call& call);

  // Every second: the jitter the bridged legs see, for /metrics.
  void MeasureJitter();
  void Tick();
  void OnHangUp(nua_handle_t* nh);
};

}  // namespace onestop::sip
