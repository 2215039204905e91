#include "sip/sip_server.h"

#include <sofia-sip/msg_addr.h>
#include <sofia-sip/nta_tag.h>
#include <sofia-sip/nua.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/sip_tag.h>
#include <sofia-sip/su_tag_io.h>
#include <sofia-sip/su_wait.h>
#include <sofia-sip/tport_tag.h>
#include <sofia-sip/url.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/md5.h"
#include "domain/sip_account.h"
#include "i18n/translator.h"
#include "domain/call_recording.h"
#include "media/recorder.h"
#include "media/speech.h"
#include "media/tones.h"
#include "services/call_recordings.h"
#include "services/interactions.h"
#include "services/sip_accounts.h"
#include "sip/digest.h"
#include "sip/ivr.h"
#include "sip/sdp.h"
#include "sip/sofia_loop.h"
#include "spdlog/spdlog.h"

namespace onestop::sip {
namespace {

constexpr char kUserAgent[] = "onestop";
constexpr char kSdpType[] = "application/sdp";

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

std::string SourceIp(nua_t* nua) {
  msg_t* msg = nua_current_request(nua);
  if (msg == nullptr) return "";
  su_addrinfo_t* ai = msg_addrinfo(msg);
  if (ai == nullptr || ai->ai_addr == nullptr) return "";
  char buf[64] = {};
  const su_sockaddr_t* su = reinterpret_cast<const su_sockaddr_t*>(ai->ai_addr);
  if (su->su_family == AF_INET) {
    su_inet_ntop(AF_INET, &su->su_sin.sin_addr, buf, sizeof buf);
  } else if (su->su_family == AF_INET6) {
    su_inet_ntop(AF_INET6, &su->su_sin6.sin6_addr, buf, sizeof buf);
  }
  return buf;
}

std::string UrlUser(const url_t* url) { return url != nullptr && url->url_user != nullptr ? url->url_user : ""; }

std::string Digits(std::string_view s) {
  std::string out;
  for (char c : s) {
    if ((c >= '0' && c <= '9') || c == '+') out.push_back(c);
  }
  return out.substr(0, 32);
}

}  // namespace

struct SipServer::Impl {
  Impl(services::Deps d, routing::LiveEngine& e, services::RoutingDesk& k, domain::Telephony t, SipServerOptions o)
      : deps(d), engine(e), desk(k), telephony(std::move(t)), options(std::move(o)), auth(options.realm),
        catalogs(i18n::Catalogs::Default()) {
    if (options.public_address.empty()) options.public_address = options.host;
    for (Trunk& trunk : options.trunks) {
      if (!trunk.username.empty()) trunk_ha1.push_back(DigestHa1(trunk.username, options.realm, trunk.password));
      else trunk_ha1.push_back("");
    }
  }

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
  absl::flat_hash_map<std::string, Binding> bindings;  // by extension
  absl::flat_hash_map<int64_t, std::string> extension_of_staff;
  absl::flat_hash_map<std::string, std::pair<absl::Time, int>> auth_failures;  // by source ip
  int listener = 0;

  mutable std::mutex stats_mu;
  SipStats stats;  // GUARDED_BY(stats_mu)

  void UpdateStats() {
    std::lock_guard<std::mutex> lock(stats_mu);
    stats.calls = 0;
    stats.bridged = 0;
    for (const auto& [id, call] : calls) {
      if (call->phase != Phase::kEnded) ++stats.calls;
      if (call->phase == Phase::kBridged) ++stats.bridged;
    }
    stats.registrations = static_cast<int>(bindings.size());
    stats.records = static_cast<int>(calls.size());
    stats.open_streams = media ? media->open_streams() : 0;
  }

  // ---- start / stop ---------------------------------------------------

  absl::Status Setup(su_root_t* root) {
    const std::string url = absl::StrCat("sip:", options.host.find(':') != std::string::npos
                                                     ? absl::StrCat("[", options.host, "]")
                                                     : options.host,
                                         ":", options.port);
    nua = nua_create(root, &Impl::Callback, reinterpret_cast<nua_magic_t*>(this), NUTAG_URL(url.c_str()),
                     NUTAG_MEDIA_ENABLE(0), NUTAG_APPL_METHOD("REGISTER"),
                     NUTAG_ALLOW("INVITE, ACK, BYE, CANCEL, OPTIONS, REGISTER, INFO"), NUTAG_AUTOANSWER(0),
                     NUTAG_USER_AGENT(kUserAgent), TPTAG_UDP_RMEM(4 * 1024 * 1024),
                     NTATAG_MAXSIZE(64 * 1024), TAG_END());
    if (nua == nullptr) return absl::UnavailableError(absl::StrCat("cannot listen for SIP on ", url));
    nua_get_params(nua, TAG_ANY(), TAG_END());
    for (int i = 0; i < 50 && bound_port == 0; ++i) su_root_step(root, 100);
    if (bound_port == 0) return absl::InternalError("sofia-sip did not report its port");
    timer = su_timer_create(su_root_task(root), 100);
    su_timer_set_for_ever(timer, &Impl::OnTimer, reinterpret_cast<su_timer_arg_t*>(this));
    return absl::OkStatus();
  }

  void Teardown(su_root_t* root) {
    if (timer != nullptr) {
      su_timer_destroy(timer);
      timer = nullptr;
    }
    for (auto& [id, call] : calls) HangUpAll(*call);
    nua_shutdown(nua);
    for (int i = 0; i < 100 && !shut_down; ++i) su_root_step(root, 50);
    for (auto& [id, call] : calls) {
      if (call->caller.rtp) call->caller.rtp->Close();
      if (call->agent.rtp) call->agent.rtp->Close();
    }
    nua_destroy(nua);
    nua = nullptr;
    calls.clear();
    legs.clear();
  }

  // Items this node created in an earlier life are calls that died with it.
  void AbandonOrphans() {
    const std::string prefix = absl::StrCat("call:", options.node, "/");
    for (const routing::ItemView& item : engine.ItemsOf(routing::Media::kVoice)) {
      if (!absl::StartsWith(item.reference, "call:")) continue;
      if (absl::Status s = engine.Abandon(item.id); !s.ok()) {
        spdlog::warn("sip: cannot abandon the orphaned call item {}: {}", item.id, s.ToString());
      } else {
        spdlog::info("sip: abandoned call item {} left from an earlier run", item.id);
      }
    }
  }

  // ---- sofia callbacks -------------------------------------------------

  static void Callback(nua_event_t event, int status, char const* phrase, nua_t* nua, nua_magic_t* magic,
                       nua_handle_t* nh, nua_hmagic_t*, sip_t const* sip, tagi_t tags[]) {
    reinterpret_cast<Impl*>(magic)->OnEvent(event, status, phrase, nua, nh, sip, tags);
  }

  static void OnTimer(su_root_magic_t*, su_timer_t*, su_timer_arg_t* arg) { reinterpret_cast<Impl*>(arg)->Tick(); }

  void OnEvent(nua_event_t event, int status, char const* phrase, nua_t* n, nua_handle_t* nh, sip_t const* sip,
               tagi_t tags[]) {
    switch (event) {
      case nua_r_get_params: {
        sip_contact_t const* contact = nullptr;
        tl_gets(tags, NTATAG_CONTACT_REF(contact), TAG_END());
        if (contact != nullptr) bound_port = SipUrlPort(contact->m_url->url_port);
        break;
      }
      case nua_i_invite:
        OnInvite(n, nh, sip);
        break;
      case nua_i_register:
        OnRegister(n, nh, sip);
        break;
      case nua_r_invite:
        OnInviteResponse(nh, status, sip);
        break;
      case nua_i_state: {
        int state = nua_callstate_init;
        tl_gets(tags, NUTAG_CALLSTATE_REF(state), TAG_END());
        OnState(nh, state);
        break;
      }
      case nua_i_bye:
      case nua_i_cancel:
        OnHangUp(nh);
        break;
      case nua_i_ack:
        OnAck(nh, sip);
        break;
      case nua_r_shutdown:
        if (status >= 200) shut_down = true;
        break;
      case nua_i_info:
        if (nh != nullptr && !legs.contains(nh)) {
          nua_handle_destroy(nh);
        } else if (nh != nullptr) {
          OnInfo(nh, sip);
        }
        break;
      default:
        // Requests nua does not answer itself and we do not serve (MESSAGE,
        // SUBSCRIBE …) come with a handle of their own: nua has answered
        // them 405/501; release it.
        if (nh != nullptr && !legs.contains(nh) &&
            (event == nua_i_options || event == nua_i_message || event == nua_i_subscribe ||
             event == nua_i_notify || event == nua_i_refer || event == nua_i_publish || event == nua_i_method ||
             event == nua_i_update || event == nua_i_prack || event == nua_i_error)) {
          nua_handle_destroy(nh);
        }
        break;
    }
    (void)phrase;
  }

  // ---- registrar -------------------------------------------------------

  bool Throttled(const std::string& ip, absl::Time now) {
    auto it = auth_failures.find(ip);
    if (it == auth_failures.end()) return false;
    if (now - it->second.first > absl::Minutes(1)) {
      auth_failures.erase(it);
      return false;
    }
    return it->second.second >= 20;
  }
  void CountFailure(const std::string& ip, absl::Time now) {
    if (auth_failures.size() > 10000) auth_failures.clear();  // bounded under a flood
    auto& [since, count] = auth_failures[ip];
    if (count == 0 || now - since > absl::Minutes(1)) {
      since = now;
      count = 0;
    }
    ++count;
  }

  // Checks the request's digest against the account of its user; answers
  // 401 (challenge) or 403 itself and returns nullopt when it does not hold.
  std::optional<domain::SipAccount> Authenticate(nua_t* n, nua_handle_t* nh, sip_t const* sip, const char* method,
                                                 const std::string& ip) {
    const absl::Time now = deps.clock.Now();
    if (Throttled(ip, now)) {
      nua_respond(nh, SIP_403_FORBIDDEN, NUTAG_WITH_THIS(n), TAG_END());
      return std::nullopt;
    }
    DigestAuth::Check check = auth.Read(sip->sip_authorization, now);
    if (check.result == DigestAuth::Result::kMissing || check.result == DigestAuth::Result::kWrongRealm ||
        check.result == DigestAuth::Result::kStale) {
      const std::string challenge = auth.Challenge(now, check.result == DigestAuth::Result::kStale);
      nua_respond(nh, SIP_401_UNAUTHORIZED, NUTAG_WITH_THIS(n), SIPTAG_WWW_AUTHENTICATE_STR(challenge.c_str()),
                  TAG_END());
      return std::nullopt;
    }
    absl::StatusOr<domain::SipAccount> account = absl::NotFoundError("");
    // NotFound for an unknown extension or a disabled staff member.
    if (check.result == DigestAuth::Result::kOk) account = services::FindSipAccount(deps.store).Run(check.username);
    if (!account.ok() || account->realm != options.realm ||
        !auth.Verify(sip->sip_authorization, account->ha1, method)) {
      CountFailure(ip, now);
      spdlog::info("sip: {} from {} refused: bad credentials", method, ip);
      nua_respond(nh, SIP_403_FORBIDDEN, NUTAG_WITH_THIS(n), TAG_END());
      return std::nullopt;
    }
    return *account;
  }

  void OnRegister(nua_t* n, nua_handle_t* nh, sip_t const* sip) {
    const std::string ip = SourceIp(n);
    if (sip == nullptr || sip->sip_to == nullptr) {
      nua_respond(nh, SIP_400_BAD_REQUEST, NUTAG_WITH_THIS(n), TAG_END());
      nua_handle_destroy(nh);
      return;
    }
    std::optional<domain::SipAccount> account = Authenticate(n, nh, sip, "REGISTER", ip);
    if (!account) {
      nua_handle_destroy(nh);
      return;
    }
    const std::string to_user = UrlUser(sip->sip_to->a_url);
    if (to_user != account->extension) {
      nua_respond(nh, SIP_403_FORBIDDEN, NUTAG_WITH_THIS(n), TAG_END());
      nua_handle_destroy(nh);
      return;
    }
    const absl::Time now = deps.clock.Now();
    int expires = options.max_expires;
    if (sip->sip_expires != nullptr) expires = static_cast<int>(std::min<unsigned long>(sip->sip_expires->ex_delta, 86400));
    sip_contact_t const* contact = sip->sip_contact;
    if (contact != nullptr && contact->m_expires != nullptr) {
      int e = 0;
      if (absl::SimpleAtoi(contact->m_expires, &e)) expires = e;
    }
    if (contact == nullptr) {
      // A query: answer with the current binding.
      auto it = bindings.find(account->extension);
      if (it != bindings.end()) {
        nua_respond(nh, SIP_200_OK, NUTAG_WITH_THIS(n), SIPTAG_CONTACT_STR(absl::StrCat("<", it->second.contact, ">").c_str()), TAG_END());
      } else {
        nua_respond(nh, SIP_200_OK, NUTAG_WITH_THIS(n), TAG_END());
      }
      nua_handle_destroy(nh);
      return;
    }
    if (contact->m_url->url_type == url_any || expires == 0) {  // "*" or expires=0: unregister
      RemoveBinding(account->extension);
      nua_respond(nh, SIP_200_OK, NUTAG_WITH_THIS(n), TAG_END());
      nua_handle_destroy(nh);
      spdlog::info("sip: extension {} unregistered", account->extension);
      return;
    }
    if (expires < options.min_expires) {
      const std::string min = absl::StrCat(options.min_expires);
      nua_respond(nh, SIP_423_INTERVAL_TOO_BRIEF, NUTAG_WITH_THIS(n), SIPTAG_MIN_EXPIRES_STR(min.c_str()), TAG_END());
      nua_handle_destroy(nh);
      return;
    }
    expires = std::min(expires, options.max_expires);
    absl::StatusOr<domain::StaffUser> staff = deps.store.GetStaff(account->staff_id);
    if (!staff.ok() || !staff->active) {
      nua_respond(nh, SIP_403_FORBIDDEN, NUTAG_WITH_THIS(n), TAG_END());
      nua_handle_destroy(nh);
      return;
    }
    char* url_text = url_as_string(nua_handle_home(nh), contact->m_url);
    Binding binding;
    binding.staff_id = account->staff_id;
    binding.extension = account->extension;
    binding.contact = url_text != nullptr ? url_text : "";
    binding.expires = now + absl::Seconds(expires);
    binding.actor = domain::Actor{staff->id, staff->role, staff->department, true};
    const bool fresh = !bindings.contains(account->extension);
    // One binding per extension: the phone that registered last rings.
    extension_of_staff[account->staff_id] = account->extension;
    bindings[account->extension] = binding;
    const std::string contact_out = absl::StrCat("<", binding.contact, ">;expires=", expires);
    nua_respond(nh, SIP_200_OK, NUTAG_WITH_THIS(n), SIPTAG_CONTACT_STR(contact_out.c_str()), TAG_END());
    nua_handle_destroy(nh);
    if (fresh) spdlog::info("sip: extension {} registered (staff {}, {} s)", account->extension, account->staff_id, expires);
    UpdateStats();
  }

  void RemoveBinding(const std::string& extension) {
    auto it = bindings.find(extension);
    if (it == bindings.end()) return;
    extension_of_staff.erase(it->second.staff_id);
    bindings.erase(it);
    UpdateStats();
  }

  const Binding* BindingOf(int64_t staff_id) {
    auto it = extension_of_staff.find(staff_id);
    if (it == extension_of_staff.end()) return nullptr;
    auto b = bindings.find(it->second);
    if (b == bindings.end()) return nullptr;
    if (b->second.expires < deps.clock.Now()) {
      RemoveBinding(it->second);
      return nullptr;
    }
    return &b->second;
  }

  // ---- calls in --------------------------------------------------------

  void Refuse(nua_t* n, nua_handle_t* nh, int status, const char* phrase, const std::string& why) {
    nua_respond(nh, status, phrase, NUTAG_WITH_THIS(n), TAG_END());
    nua_handle_destroy(nh);
    {
      std::lock_guard<std::mutex> lock(stats_mu);
      ++stats.rejected_total;
    }
    spdlog::debug("sip: INVITE refused {} ({})", status, why);
  }

  // Which trunk the request came from; -1 none.
  int TrunkOf(const std::string& ip) const {
    for (size_t i = 0; i < options.trunks.size(); ++i) {
      if (options.trunks[i].allows && options.trunks[i].allows(ip)) return static_cast<int>(i);
    }
    return -1;
  }

  void OnInvite(nua_t* n, nua_handle_t* nh, sip_t const* sip) {
    if (auto leg = legs.find(nh); leg != legs.end()) {
      OnReInvite(nh, leg->second.first, leg->second.second, sip);
      return;
    }
    if (sip == nullptr || sip->sip_request == nullptr || sip->sip_from == nullptr) {
      Refuse(n, nh, SIP_400_BAD_REQUEST, "malformed");
      return;
    }
    const std::string ip = SourceIp(n);
    const int trunk = TrunkOf(ip);
    if (trunk >= 0 && !options.trunks[trunk].username.empty()) {
      // The trunk authenticates as well as coming from its address.
      const absl::Time now = deps.clock.Now();
      DigestAuth::Check check = auth.Read(sip->sip_authorization, now);
      if (check.result != DigestAuth::Result::kOk) {
        const std::string challenge = auth.Challenge(now, check.result == DigestAuth::Result::kStale);
        nua_respond(nh, SIP_401_UNAUTHORIZED, NUTAG_WITH_THIS(n), SIPTAG_WWW_AUTHENTICATE_STR(challenge.c_str()),
                    TAG_END());
        nua_handle_destroy(nh);
        return;
      }
      if (check.username != options.trunks[trunk].username ||
          !auth.Verify(sip->sip_authorization, trunk_ha1[trunk], "INVITE")) {
        CountFailure(ip, now);
        Refuse(n, nh, SIP_403_FORBIDDEN, "trunk credentials");
        return;
      }
    } else if (trunk < 0) {
      // Not a trunk: a registered phone calling in (digest), else refused.
      std::optional<domain::SipAccount> account = Authenticate(n, nh, sip, "INVITE", ip);
      if (!account) {
        nua_handle_destroy(nh);
        return;
      }
    }
    if (!engine.leading()) {
      Refuse(n, nh, SIP_503_SERVICE_UNAVAILABLE, "this node does not run routing");
      return;
    }
    int active = 0;
    for (const auto& [id, call] : calls) active += call->phase != Phase::kEnded;
    if (active >= options.max_calls) {
      Refuse(n, nh, SIP_503_SERVICE_UNAVAILABLE, "too many calls");
      return;
    }
    const std::string dialled = Digits(UrlUser(sip->sip_request->rq_url));
    const domain::TelephoneNumber* number = telephony.Number(dialled);
    if (number == nullptr) {
      Refuse(n, nh, SIP_404_NOT_FOUND, "not one of the council's numbers");
      return;
    }
    // No SDP: a delayed offer (RFC 3261 §13.2.1) — our offer goes in the
    // 200 and the caller's answer comes in the ACK.
    const bool delayed_offer = sip->sip_payload == nullptr || sip->sip_payload->pl_len == 0;
    absl::StatusOr<SdpAudio> offer = absl::InvalidArgumentError("no SDP offer");
    if (!delayed_offer) {
      offer = ParseSdp(std::string_view(sip->sip_payload->pl_data, sip->sip_payload->pl_len));
      if (!offer.ok()) {
        Refuse(n, nh, SIP_488_NOT_ACCEPTABLE, std::string(offer.status().message()));
        return;
      }
    }
    absl::StatusOr<std::shared_ptr<media::RtpStream>> rtp = media->Open();
    if (!rtp.ok()) {
      Refuse(n, nh, SIP_503_SERVICE_UNAVAILABLE, "no RTP port free");
      return;
    }
    auto call = std::make_unique<Call>();
    call->id = next_call++;
    call->caller.nh = nh;
    call->caller.rtp = *rtp;
    call->caller_number = Digits(UrlUser(sip->sip_from->a_url));
    call->dialled = dialled;
    call->reference = absl::StrCat("call:", options.node, "/", call->id);
    call->started = deps.clock.Now();
    call->ivr = std::make_unique<Ivr>(telephony, *number, catalogs);
    call->language = number->language;
    call->awaiting_answer = delayed_offer;
    const uint64_t id = call->id;
    (*rtp)->OnDigits([this, id](char digit) { loop.Post([this, id, digit] { OnDigit(id, digit); }); });
    std::string answer;
    if (delayed_offer) {
      SdpOut ours;
      ours.address = options.public_address;
      ours.port = (*rtp)->local_port();
      ours.codecs = {media::Codec::kPcma, media::Codec::kPcmu};
      ours.session_id = id;
      answer = WriteSdp(ours);
    } else {
      (*rtp)->SetRemote({offer->address, offer->port, offer->codecs.front(), offer->telephone_event_pt});
      answer = WriteSdp(AnswerTo(*offer, options.public_address, (*rtp)->local_port(), id));
    }
    legs[nh] = {id, false};
    calls[id] = std::move(call);
    nua_respond(nh, SIP_200_OK, NUTAG_WITH_THIS(n), SIPTAG_CONTENT_TYPE_STR(kSdpType),
                SIPTAG_PAYLOAD_STR(answer.c_str()), TAG_END());
    {
      std::lock_guard<std::mutex> lock(stats_mu);
      ++stats.calls_total;
    }
    UpdateStats();
  }

  // A re-INVITE (hold, codec change, session refresh): new remote media,
  // our SDP unchanged.
  void OnReInvite(nua_handle_t* nh, uint64_t call_id, bool agent_leg, sip_t const* sip) {
    Call* call = Find(call_id);
    if (call == nullptr) {
      nua_respond(nh, SIP_481_NO_TRANSACTION, TAG_END());
      return;
    }
    const bool consult_leg = call->consult.nh == nh;
    Leg& leg = consult_leg ? call->consult : agent_leg ? call->agent : call->caller;
    if (sip != nullptr && sip->sip_payload != nullptr && sip->sip_payload->pl_len > 0) {
      absl::StatusOr<SdpAudio> offer =
          ParseSdp(std::string_view(sip->sip_payload->pl_data, sip->sip_payload->pl_len));
      if (!offer.ok()) {
        nua_respond(nh, SIP_488_NOT_ACCEPTABLE, TAG_END());
        return;
      }
      if (!offer->hold) leg.rtp->SetRemote({offer->address, offer->port, offer->codecs.front(), offer->telephone_event_pt});
      SdpOut ours = AnswerTo(*offer, options.public_address, leg.rtp->local_port(), call_id);
      ours.version = 2;
      const std::string answer = WriteSdp(ours);
      nua_respond(nh, SIP_200_OK, SIPTAG_CONTENT_TYPE_STR(kSdpType), SIPTAG_PAYLOAD_STR(answer.c_str()), TAG_END());
      // The agent pressing hold on their phone: the caller hears music, as
      // from the desk; taking it off hold bridges them again.
      if (agent_leg && !consult_leg && call->consult.nh == nullptr && call->phase == Phase::kBridged &&
          offer->hold != call->on_hold) {
        SetHold(*call, offer->hold);
      }
      return;
    }
    nua_respond(nh, SIP_200_OK, TAG_END());
  }

  // ---- the desk's call control (services::CallPort) ---------------------

  void SetHold(Call& call, bool on) {
    call.on_hold = on;
    if (!call.caller.rtp || !call.agent.rtp) return;
    if (on) {
      call.caller.rtp->StopRelay();
      call.agent.rtp->StopRelay();
      PlayMusic(call);
      call.agent.rtp->Play({}, false);
    } else {
      ++call.play_token;
      media::BridgeStreams(call.caller.rtp, call.agent.rtp);
    }
    spdlog::info("sip: call {} {}", call.id, on ? "on hold" : "off hold");
  }

  Call* CallOfItem(int64_t item_id) {
    auto it = call_of_item.find(item_id);
    return it == call_of_item.end() ? nullptr : Find(it->second);
  }

  absl::Status Hold(int64_t item_id, bool on) {
    Call* call = CallOfItem(item_id);
    if (call == nullptr || call->phase == Phase::kEnded) return absl::NotFoundError("no call for the interaction");
    if (call->phase != Phase::kBridged) return absl::FailedPreconditionError("the call is not connected");
    if (call->on_hold == on) return absl::FailedPreconditionError(on ? "already on hold" : "not on hold");
    SetHold(*call, on);
    return absl::OkStatus();
  }

  absl::Status HangUp(int64_t item_id) {
    Call* call = CallOfItem(item_id);
    if (call == nullptr || call->phase == Phase::kEnded) return absl::NotFoundError("no call for the interaction");
    if (call->phase == Phase::kDialling) {
      DropResidentLeg(*call);
      CancelAgent(*call);
      call->phase = Phase::kEnded;
      return absl::OkStatus();
    }
    if (call->phase == Phase::kSurvey) return absl::NotFoundError("the agent's side has ended");
    AgentLeft(*call);
    return absl::OkStatus();
  }

  absl::Status PauseRecording(int64_t item_id, bool paused) {
    Call* call = CallOfItem(item_id);
    if (call == nullptr || call->phase == Phase::kEnded) return absl::NotFoundError("no call for the interaction");
    if (!call->recorder) return absl::FailedPreconditionError("the call is not recorded");
    if (call->recorder->paused() == paused) {
      return absl::FailedPreconditionError(paused ? "the recording is paused already" : "the recording is not paused");
    }
    if (paused) {
      call->recorder->Pause();
    } else {
      call->recorder->Resume();
    }
    spdlog::info("sip: recording of call {} {}", call->id, paused ? "paused for a card payment" : "resumed");
    return absl::OkStatus();
  }

  // Click-to-dial: the call waits in the engine for the agent alone; the
  // offer rings their phone and their answer dials the resident (DialBack).
  absl::StatusOr<int64_t> Dial(const domain::Actor& actor, const std::string& number,
                               std::optional<int64_t> citizen_id) {
    if (options.dial_uri.empty()) return absl::FailedPreconditionError("calls out are not configured (sip.dial)");
    if (BindingOf(actor.staff_id) == nullptr) return absl::FailedPreconditionError("no phone registered");
    for (const auto& [id, c] : calls) {
      if (c->phase != Phase::kEnded && (c->agent_id == actor.staff_id || c->contact_agent == actor.staff_id)) {
        return absl::FailedPreconditionError("already on a call");
      }
    }
    if (!engine.leading()) return absl::UnavailableError("this node does not run routing");
    auto call = std::make_unique<Call>();
    call->id = next_call++;
    call->phase = Phase::kCallback;
    call->callback = true;
    call->outbound = true;
    call->citizen_id = citizen_id;
    call->caller_number = number;
    call->dialled = telephony.numbers.empty() ? "anonymous" : telephony.numbers.front().number;
    if (!telephony.numbers.empty()) call->language = telephony.numbers.front().language;
    call->reference = absl::StrCat("call:", options.node, "/", call->id);
    call->started = deps.clock.Now();
    call->queue = telephony.operator_queue;
    routing::NewItem item;
    item.media = routing::Media::kVoice;
    item.queue = call->queue;
    item.caller = number;
    item.reference = call->reference;
    item.to_agent = actor.staff_id;
    absl::StatusOr<routing::Arrival> arrival = engine.AddItem(item);
    if (!arrival.ok()) return arrival.status();
    call->item_id = arrival->item_id;
    call_of_item[call->item_id] = call->id;
    spdlog::info("sip: agent {} calls out (call {}, item {})", actor.staff_id, call->id, call->item_id);
    calls[call->id] = std::move(call);
    UpdateStats();
    return arrival->item_id;
  }

  std::optional<services::CallState> State(int64_t item_id) {
    Call* call = CallOfItem(item_id);
    if (call == nullptr) return std::nullopt;
    services::CallState st;
    st.bridged = call->phase == Phase::kBridged;
    st.on_hold = call->on_hold;
    st.callback = call->callback && !call->outbound;
    st.outbound = call->outbound;
    st.recording = call->recorder != nullptr;
    st.recording_paused = call->recorder != nullptr && call->recorder->paused();
    st.survey = call->phase == Phase::kSurvey;
    st.consult_agent_id = call->consult_agent;
    st.consult_connected = call->consult.answered;
    return st;
  }

  Call* Find(uint64_t id) {
    auto it = calls.find(id);
    return it == calls.end() ? nullptr : it->second.get();
  }

  void OnState(nua_handle_t* nh, int state) {
    auto leg = legs.find(nh);
    if (leg == legs.end()) {
      if (state == nua_callstate_terminated) nua_handle_destroy(nh);
      return;
    }
    const auto [call_id, agent_leg] = leg->second;
    Call* call = Find(call_id);
    if (state == nua_callstate_ready && call != nullptr && !agent_leg && !call->caller.answered &&
        call->phase == Phase::kIvr && call->ivr) {
      // The caller's ACK: the call is up and the menu starts.
      call->caller.answered = true;
      call->answered_at = deps.clock.Now();
      Run(*call, call->ivr->Start());
    }
    if (state == nua_callstate_terminated) {
      legs.erase(leg);
      nua_handle_destroy(nh);
      if (call == nullptr) return;
      if (agent_leg) {
        if (call->consult.nh == nh) {
          ConsultGone(*call);
        } else if (call->agent.nh == nh) {
          const bool was_bridged = call->phase == Phase::kBridged;
          const bool cancelled = call->agent.cancelled;
          ReleaseAgentLeg(*call);
          if (was_bridged) {
            AgentLeft(*call);  // the agent hung up
          } else if (call->phase == Phase::kRinging && !cancelled) {
            AgentFailed(*call);
          } else if (call->phase == Phase::kDialling) {
            DropResidentLeg(*call);  // the agent gave up on the call back
            call->phase = Phase::kEnded;
          }
        }
      } else if (call->caller.nh == nh) {
        call->caller.nh = nullptr;
        CallerGone(*call);
        if (call->callback && (call->phase == Phase::kQueued || call->phase == Phase::kRinging)) {
          // Waits on without a line: the RTP port goes back to the pool.
          if (call->caller.rtp) call->caller.rtp->Close();
          call->caller = Leg{};
          if (call->phase == Phase::kQueued) call->phase = Phase::kCallback;
          UpdateStats();
        } else if (call->phase == Phase::kEnded && call->caller.rtp && call->agent.nh != nullptr) {
          // The agent's leg still plays a last word; the resident's port is free now.
          call->caller.rtp->StopRelay();
        }
      }
      MaybeForget(*call);
    }
  }

  void OnHangUp(nua_handle_t* nh) {
    auto leg = legs.find(nh);
    if (leg == legs.end()) return;
    Call* call = Find(leg->second.first);
    if (call == nullptr) return;
    if (leg->second.second) {
      if (call->phase == Phase::kBridged && call->agent.nh == nh) AgentLeft(*call);
    } else {
      CallerGone(*call);
    }
  }

  // The ACK of a delayed-offer call carries the caller's answer to our
  // offer; without a usable one the call cannot have audio: BYE.
  void OnAck(nua_handle_t* nh, sip_t const* sip) {
    auto leg = legs.find(nh);
    if (leg == legs.end() || leg->second.second) return;
    Call* call = Find(leg->second.first);
    if (call == nullptr || !call->awaiting_answer) return;
    call->awaiting_answer = false;
    absl::StatusOr<SdpAudio> answer = absl::InvalidArgumentError("no SDP in the ACK");
    if (sip != nullptr && sip->sip_payload != nullptr && sip->sip_payload->pl_len > 0) {
      answer = ParseSdp(std::string_view(sip->sip_payload->pl_data, sip->sip_payload->pl_len));
    }
    if (!answer.ok()) {
      spdlog::info("sip: call {} (delayed offer) answered without usable SDP: {}", call->id,
                   answer.status().ToString());
      CallerGone(*call);
      HangUpAll(*call);
      return;
    }
    call->caller.rtp->SetRemote({answer->address, answer->port, answer->codecs.front(), answer->telephone_event_pt});
  }

  // SIP INFO digits (phones that send neither RFC 4733 nor tones):
  // application/dtmf-relay "Signal=5" or application/dtmf "5".
  void OnInfo(nua_handle_t* nh, sip_t const* sip) {
    if (sip == nullptr || sip->sip_payload == nullptr || sip->sip_content_type == nullptr ||
        sip->sip_content_type->c_type == nullptr || sip->sip_payload->pl_len > 256) {
      return;
    }
    const std::string type = absl::AsciiStrToLower(sip->sip_content_type->c_type);
    const absl::string_view body(sip->sip_payload->pl_data, sip->sip_payload->pl_len);
    absl::string_view value;
    if (type == "application/dtmf-relay") {
      const size_t at = absl::AsciiStrToLower(std::string(body)).find("signal=");
      if (at == std::string::npos) return;
      value = absl::StripLeadingAsciiWhitespace(body.substr(at + 7));
    } else if (type == "application/dtmf") {
      value = absl::StripLeadingAsciiWhitespace(body);
    } else {
      return;
    }
    if (value.empty()) return;
    const char digit = value[0];
    if (!((digit >= '0' && digit <= '9') || digit == '*' || digit == '#')) return;
    auto leg = legs.find(nh);
    if (leg == legs.end() || leg->second.second) return;  // digits count from the caller's leg
    OnDigit(leg->second.first, digit);
  }

  // ---- the IVR and the queue -------------------------------------------

  std::vector<media::SharedPcm> Clips(const std::vector<Words>& words) {
    std::vector<media::SharedPcm> out;
    for (const Words& w : words) {
      if (w.text.empty()) continue;
      absl::StatusOr<media::SharedPcm> pcm = prompts.Get(w.text, w.language);
      if (pcm.ok()) {
        out.push_back(*pcm);
      } else {
        spdlog::warn("sip: cannot synthesise a prompt: {}", pcm.status().ToString());
      }
    }
    return out;
  }

  void Play(Call& call, const std::vector<Words>& words, bool then_music) {
    const uint64_t token = ++call.play_token;
    const uint64_t id = call.id;
    std::vector<media::SharedPcm> clips = Clips(words);
    if (!call.caller.rtp) return;
    call.caller.rtp->Play(std::move(clips), false, [this, id, token] {
      loop.Post([this, id, token] { OnPlayed(id, token); });
    });
    (void)then_music;
  }

  void PlayMusic(Call& call) {
    ++call.play_token;
    if (call.caller.rtp) call.caller.rtp->Play({music}, true);
  }

  void OnPlayed(uint64_t id, uint64_t token) {
    Call* call = Find(id);
    if (call == nullptr || call->play_token != token) return;
    if (call->phase == Phase::kIvr) {
      if (std::optional<IvrStep> step = call->ivr->OnPlayed(deps.clock.Now())) Run(*call, *step);
    } else if (call->phase == Phase::kSurvey) {
      if (call->survey_answered) {
        HangUpAll(*call);  // thanked
      } else {
        call->survey_deadline = deps.clock.Now() + absl::Seconds(telephony.survey->timeout_seconds);
      }
    } else if (call->callback && call->caller.nh != nullptr && !call->caller.cancelled &&
               (call->phase == Phase::kQueued || call->phase == Phase::kRinging)) {
      // The call-back confirmation has been said: we hang up for them.
      call->caller.cancelled = true;
      nua_bye(call->caller.nh, TAG_END());
    } else if (call->phase == Phase::kQueued || call->phase == Phase::kRinging) {
      PlayMusic(*call);
    }
  }

  // "To keep your place and be called back, press star." — when calls back
  // can be made and this caller's number can be rung.
  std::vector<Words> CallbackOffer(const Call& call) const {
    if (telephony.callback_digit == '\0' || options.dial_uri.empty() || call.callback ||
        call.caller_number.size() < 3) {
      return {};
    }
    const i18n::Translator& tr = catalogs.Get(call.language);
    std::string key(1, telephony.callback_digit);
    if (telephony.callback_digit == '*') key = tr(N_("star"));
    if (telephony.callback_digit == '#') key = tr(N_("hash"));
    return {{i18n::Substitute(tr(N_("To keep your place and be called back, press {key}.")), {{"key", key}}),
             call.language}};
  }

  void OnDigit(uint64_t id, char digit) {
    Call* call = Find(id);
    if (call == nullptr) return;
    if (call->phase == Phase::kIvr && !call->caller.answered) return;  // before the ACK: nothing asked yet
    spdlog::debug("sip: call {} digit {} (phase {})", id, digit, static_cast<int>(call->phase));
    if (call->phase == Phase::kIvr) {
      if (std::optional<IvrStep> step = call->ivr->OnDigit(digit, deps.clock.Now())) Run(*call, *step);
    } else if (call->phase == Phase::kSurvey) {
      OnSurveyDigit(*call, digit);
    } else if ((call->phase == Phase::kQueued || call->phase == Phase::kRinging) && call->caller.nh != nullptr &&
               !call->callback && telephony.callback_digit != '\0' && digit == telephony.callback_digit) {
      RequestCallback(*call);
    }
  }

  void Run(Call& call, const IvrStep& step) {
    call.language = call.ivr->language();
    switch (step.kind) {
      case IvrStep::Kind::kPlay:
        Play(call, step.say, false);
        break;
      case IvrStep::Kind::kHangup:
        HangUpAll(call);
        break;
      case IvrStep::Kind::kQueue:
        Enqueue(call, step.queue, step.say);
        break;
    }
  }

  void Enqueue(Call& call, const std::string& queue, std::vector<Words> say) {
    routing::NewItem item;
    item.media = routing::Media::kVoice;
    item.queue = queue;
    item.caller = call.caller_number;
    item.reference = call.reference;
    absl::StatusOr<routing::Arrival> arrival = engine.AddItem(item);
    if (!arrival.ok()) {
      spdlog::warn("sip: call {} cannot join queue {}: {}", call.id, queue, arrival.status().ToString());
      const i18n::Translator& tr = catalogs.Get(call.language);
      call.phase = Phase::kIvr;
      call.ivr = nullptr;
      Play(call, {{tr(N_("Sorry, we cannot take your call at the moment. Please try again later.")), call.language}},
           false);
      call.phase = Phase::kEnded;  // hang up once it is said (Tick)
      call.next_announce = deps.clock.Now() + absl::Seconds(6);
      return;
    }
    call.item_id = arrival->item_id;
    call.queue = queue;
    call.phase = Phase::kQueued;
    call_of_item[call.item_id] = call.id;
    if (arrival->position > 0) {
      std::vector<Words> more = QueueAnnouncement(catalogs, call.language, arrival->position, EstimatedWait(queue, arrival->position));
      say.insert(say.end(), more.begin(), more.end());
      std::vector<Words> offer = CallbackOffer(call);
      say.insert(say.end(), offer.begin(), offer.end());
    }
    Play(call, say, true);
    call.next_announce = telephony.announce_seconds > 0
                             ? deps.clock.Now() + absl::Seconds(telephony.announce_seconds)
                             : absl::InfiniteFuture();
  }

  std::optional<absl::Duration> EstimatedWait(const std::string& queue, int position) {
    double aht = 0;
    if (auto today = engine.FiguresToday(); today.contains(queue)) aht = today[queue].aht();
    if (aht <= 0) {
      if (auto all = engine.Figures(); all.contains(queue)) aht = all[queue].aht();
    }
    if (aht <= 0) return std::nullopt;
    int staffed = 0;
    for (const routing::QueueView& q : engine.QueueViews()) {
      if (q.id != queue) continue;
      staffed = q.agents_by_state[static_cast<int>(routing::Presence::kAvailable)] +
                q.agents_by_state[static_cast<int>(routing::Presence::kBusy)] +
                q.agents_by_state[static_cast<int>(routing::Presence::kWrapUp)];
    }
    if (staffed <= 0) return std::nullopt;
    return absl::Seconds(aht * position / staffed);
  }

  // ---- the agent's leg -------------------------------------------------

  void OnRoutingEvents(const std::vector<routing::RoutingEvent>& events) {
    for (const routing::RoutingEvent& e : events) {
      auto it = call_of_item.find(e.item_id);
      if (it == call_of_item.end()) continue;
      Call* call = Find(it->second);
      if (call == nullptr || call->phase == Phase::kEnded) continue;
      if (e.type == "offer") {
        if (call->consult_handover && call->consult_agent == e.agent_id && call->consult.answered) {
          AdoptConsult(*call);
        } else {
          RingAgent(*call, e.agent_id);
        }
      } else if (e.type == "no_answer" || e.type == "reject") {
        if (call->phase == Phase::kRinging && call->agent_id == e.agent_id) {
          CancelAgent(*call);
          call->phase = WaitingPhase(*call);
          call->agent_id = 0;
          if (call->outbound) GiveUpCallOut(*call);  // the agent did not take their own call out
        }
      } else if (e.type == "complete") {
        if (call->phase != Phase::kSurvey) EndCall(*call);  // the survey goes on after the wrap-up
      } else if (e.type == "transfer" && call->consult_handover && e.to_agent == call->consult_agent) {
        // The consultative transfer's hand-over: the first agent's phone is
        // hung up, the caller keeps their music until the colleague's offer.
        if (call->agent.nh != nullptr && !call->agent.cancelled) {
          call->agent.cancelled = true;
          nua_bye(call->agent.nh, TAG_END());
        }
        call->phase = Phase::kQueued;
        call->agent_id = 0;
      } else if (e.type == "transfer" || e.type == "requeue") {
        if (call->phase == Phase::kBridged || call->phase == Phase::kRinging) {
          DropConsult(*call);
          CancelAgent(*call);
          call->phase = WaitingPhase(*call);
          call->agent_id = 0;
          call->on_hold = false;
          if (call->caller.nh != nullptr) {
            const i18n::Translator& tr = catalogs.Get(call->language);
            Play(*call, {{tr(N_("Please hold while we transfer your call.")), call->language}}, true);
          }
        } else if (call->phase == Phase::kDialling) {
          DropResidentLeg(*call);
          CancelAgent(*call);
          call->phase = Phase::kCallback;
          call->agent_id = 0;
        }
      }
    }
    UpdateStats();
  }

  // Where a call waits for an agent: with its caller on the line, or (a call
  // back) without.
  static Phase WaitingPhase(const Call& call) {
    return call.callback && call.caller.nh == nullptr ? Phase::kCallback : Phase::kQueued;
  }

  void RingAgent(Call& call, int64_t agent_id) {
    if (call.agent.nh != nullptr) CancelAgent(call);
    const Binding* binding = BindingOf(agent_id);
    if (binding == nullptr) {
      // The agent has no phone registered: the engine offers the call on.
      spdlog::info("sip: agent {} has no phone registered; call {} goes to the next agent", agent_id, call.id);
      if (absl::Status s = engine.Reject(call.item_id, agent_id); !s.ok()) {
        spdlog::warn("sip: reject for call {}: {}", call.id, s.ToString());
      }
      return;
    }
    absl::StatusOr<std::shared_ptr<media::RtpStream>> rtp = media->Open();
    if (!rtp.ok()) {
      (void)engine.Reject(call.item_id, agent_id);
      return;
    }
    SdpOut offer;
    offer.address = options.public_address;
    offer.port = (*rtp)->local_port();
    offer.codecs = {media::Codec::kPcma, media::Codec::kPcmu};
    offer.session_id = call.id * 2 + 1;
    const std::string sdp = WriteSdp(offer);
    const std::string host = options.public_address.find(':') != std::string::npos
                                 ? absl::StrCat("[", options.public_address, "]")
                                 : options.public_address;
    // A call back shows the agent the resident's number too; the Subject says which.
    const std::string from = absl::StrCat("<sip:", call.caller_number.empty() ? "anonymous" : call.caller_number,
                                          "@", host, ">");
    const std::string to = absl::StrCat("<sip:", binding->extension, "@", host, ">");
    nua_handle_t* nh = nua_handle(nua, nullptr, SIPTAG_TO_STR(to.c_str()), SIPTAG_FROM_STR(from.c_str()), TAG_END());
    if (nh == nullptr) {
      (*rtp)->Close();
      (void)engine.Reject(call.item_id, agent_id);
      return;
    }
    call.agent = Leg{};
    call.agent.nh = nh;
    call.agent.rtp = *rtp;
    call.agent_id = agent_id;
    call.phase = Phase::kRinging;
    legs[nh] = {call.id, true};
    const std::string info = absl::StrCat("onestop-interaction=", call.item_id,
                                          call.caller.nh == nullptr ? (call.outbound ? ";call-out" : ";callback") : "");
    nua_invite(nh, NUTAG_URL(binding->contact.c_str()), SIPTAG_CONTENT_TYPE_STR(kSdpType),
               SIPTAG_PAYLOAD_STR(sdp.c_str()), SIPTAG_SUBJECT_STR(info.c_str()), TAG_END());
  }

  void OnInviteResponse(nua_handle_t* nh, int status, sip_t const* sip) {
    auto leg = legs.find(nh);
    if (leg == legs.end()) return;
    if (!leg->second.second) {
      OnResidentAnswer(nh, leg->second.first, status, sip);
      return;
    }
    Call* call = Find(leg->second.first);
    if (call != nullptr && call->consult.nh == nh) {
      OnConsultAnswer(*call, status, sip);
      return;
    }
    if (call == nullptr || call->agent.nh != nh) return;
    if (status < 200 || status >= 300) return;  // 1xx; failures end in OnState(terminated)
    if (call->phase != Phase::kRinging || call->agent.cancelled) {
      // Answered after we gave up on it (CANCEL crossed the 200): hang up.
      call->agent.cancelled = true;
      nua_bye(nh, TAG_END());
      return;
    }
    absl::StatusOr<SdpAudio> answer = absl::InvalidArgumentError("no SDP");
    if (sip != nullptr && sip->sip_payload != nullptr && sip->sip_payload->pl_len > 0) {
      answer = ParseSdp(std::string_view(sip->sip_payload->pl_data, sip->sip_payload->pl_len));
    }
    if (!answer.ok()) {
      spdlog::warn("sip: agent {} answered call {} without usable SDP", call->agent_id, call->id);
      call->agent.cancelled = true;
      nua_bye(nh, TAG_END());
      (void)engine.Reject(call->item_id, call->agent_id);
      call->phase = WaitingPhase(*call);
      return;
    }
    call->agent.answered = true;
    call->agent.rtp->SetRemote({answer->address, answer->port, answer->codecs.front(), answer->telephone_event_pt});
    // The phone's answer is the agent's accept (unless they accepted on the desk already).
    std::optional<routing::ItemView> item = engine.Item(call->item_id);
    absl::Status accepted = absl::OkStatus();
    if (!item || item->agent_id != call->agent_id || item->state != routing::ItemState::kConnected) {
      const Binding* binding = BindingOf(call->agent_id);
      domain::Actor actor = binding != nullptr ? binding->actor : domain::Actor{call->agent_id, domain::Role::kAgent, "", true};
      accepted = desk.Accept(actor, call->item_id);
    }
    if (!accepted.ok()) {
      spdlog::info("sip: call {} answered by agent {} but not theirs any more: {}", call->id, call->agent_id,
                   accepted.ToString());
      call->agent.cancelled = true;
      nua_bye(nh, TAG_END());
      return;
    }
    call->contact_agent = call->agent_id;
    if (call->outbound && call->citizen_id) {
      // The resident the agent rang from: the contact is theirs.
      const Binding* binding = BindingOf(call->agent_id);
      if (binding != nullptr) {
        if (absl::Status s = desk.LinkCitizen(binding->actor, call->item_id, *call->citizen_id); !s.ok()) {
          spdlog::info("sip: call out {} not linked to the resident: {}", call->id, s.ToString());
        }
      }
    }
    if (call->caller.nh == nullptr) {
      DialBack(*call);  // a call back: the agent is on the line, now the resident
      return;
    }
    call->phase = Phase::kBridged;
    call->bridged_at = deps.clock.Now();
    ++call->play_token;
    media::BridgeStreams(call->caller.rtp, call->agent.rtp);
    StartRecording(*call);
    UpdateStats();
  }

  // ---- calling back ------------------------------------------------------

  // A call out whose agent's phone did not answer: it goes (abandoned).
  void GiveUpCallOut(Call& call) {
    spdlog::info("sip: call out {} not taken by agent's phone", call.id);
    call.phase = Phase::kEnded;
    if (absl::Status s = engine.Abandon(call.item_id); !s.ok()) {
      spdlog::warn("sip: abandon of call out {}: {}", call.id, s.ToString());
    }
  }

  // The caller pressed the call-back digit while queued: they keep their
  // place without staying on the line.
  void RequestCallback(Call& call) {
    const i18n::Translator& tr = catalogs.Get(call.language);
    if (call.caller_number.size() < 3 || options.dial_uri.empty()) {
      Play(call, {{tr(N_("Sorry, we cannot call you back on this number. Please stay on the line.")), call.language}},
           true);
      return;
    }
    call.callback = true;
    call.next_announce = absl::InfiniteFuture();
    spdlog::info("sip: call {} asked to be called back (item {})", call.id, call.item_id);
    Play(call,
         {{tr(N_("Thank you. You keep your place in the queue and we will call you back on the number you are "
                 "calling from. You can hang up now.")),
           call.language}},
         false);
    // Hung up for them once the words are said (OnPlayed), if they have not.
  }

  // The agent answered a call back: ring the resident through the trunk,
  // the agent hearing that it is under way.
  void DialBack(Call& call) {
    const i18n::Translator& tr = catalogs.Get(call.language);
    absl::StatusOr<std::shared_ptr<media::RtpStream>> rtp = media->Open();
    nua_handle_t* nh = nullptr;
    if (rtp.ok()) {
      const std::string host = options.public_address.find(':') != std::string::npos
                                   ? absl::StrCat("[", options.public_address, "]")
                                   : options.public_address;
      const std::string from = absl::StrCat("<sip:", call.dialled, "@", host, ">");
      const std::string to = absl::StrCat("<sip:", call.caller_number, "@", options.dial_uri, ">");
      nh = nua_handle(nua, nullptr, SIPTAG_TO_STR(to.c_str()), SIPTAG_FROM_STR(from.c_str()), TAG_END());
    }
    if (nh == nullptr) {
      if (rtp.ok()) (*rtp)->Close();
      spdlog::warn("sip: cannot dial back call {}", call.id);
      AgentHears(call, tr(N_("Sorry, the call could not be made. Please complete it on your desk.")));
      return;
    }
    call.caller = Leg{};
    call.caller.nh = nh;
    call.caller.rtp = *rtp;
    call.phase = Phase::kDialling;
    call.dial_deadline = deps.clock.Now() + options.dial_timeout;
    legs[nh] = {call.id, false};
    const uint64_t id = call.id;
    (*rtp)->OnDigits([this, id](char digit) { loop.Post([this, id, digit] { OnDigit(id, digit); }); });
    SdpOut offer;
    offer.address = options.public_address;
    offer.port = (*rtp)->local_port();
    offer.codecs = {media::Codec::kPcma, media::Codec::kPcmu};
    offer.session_id = call.id * 2;
    const std::string sdp = WriteSdp(offer);
    const std::string url = absl::StrCat("sip:", call.caller_number, "@", options.dial_uri);
    spdlog::info("sip: calling back call {} for agent {}", call.id, call.agent_id);
    nua_invite(nh, NUTAG_URL(url.c_str()), SIPTAG_CONTENT_TYPE_STR(kSdpType), SIPTAG_PAYLOAD_STR(sdp.c_str()),
               TAG_END());
    call.agent.rtp->Play(
        Clips({{call.outbound ? tr(N_("Calling the resident.")) : tr(N_("Calling the resident back.")), call.language}}),
        false);
    UpdateStats();
  }

  void OnResidentAnswer(nua_handle_t* nh, uint64_t call_id, int status, sip_t const* sip) {
    Call* call = Find(call_id);
    if (call == nullptr || call->caller.nh != nh || call->phase != Phase::kDialling) return;
    if (status < 200 || status >= 300) return;  // failures end in OnState(terminated)
    absl::StatusOr<SdpAudio> answer = absl::InvalidArgumentError("no SDP");
    if (sip != nullptr && sip->sip_payload != nullptr && sip->sip_payload->pl_len > 0) {
      answer = ParseSdp(std::string_view(sip->sip_payload->pl_data, sip->sip_payload->pl_len));
    }
    if (!answer.ok()) {
      call->caller.cancelled = true;
      nua_bye(nh, TAG_END());
      return;
    }
    call->caller.rtp->SetRemote({answer->address, answer->port, answer->codecs.front(), answer->telephone_event_pt});
    call->caller.answered = true;
    call->answered_at = deps.clock.Now();
    call->phase = Phase::kBridged;
    call->bridged_at = call->answered_at;
    call->dial_deadline = absl::InfiniteFuture();
    ++call->play_token;
    media::BridgeStreams(call->caller.rtp, call->agent.rtp);
    StartRecording(*call);
    spdlog::info("sip: call back {} answered", call->id);
    UpdateStats();
  }

  // The resident's leg of a call back went (no answer, busy, hung up before
  // answering): the agent hears so and their phone is hung up; the item
  // stays theirs to complete on the desk with what happened.
  void ResidentUnreachable(Call& call) {
    const i18n::Translator& tr = catalogs.Get(call.language);
    spdlog::info("sip: call back {} not answered", call.id);
    AgentHears(call, tr(N_("The resident did not answer. Please complete the call on your desk.")));
  }

  void DropResidentLeg(Call& call) {
    if (call.caller.nh != nullptr && !call.caller.cancelled) {
      call.caller.cancelled = true;
      if (call.caller.answered) {
        nua_bye(call.caller.nh, TAG_END());
      } else {
        nua_cancel(call.caller.nh, TAG_END());
      }
    }
  }

  // Says `words` on the agent's phone, then hangs it up; the call is over
  // for the telephone.
  void AgentHears(Call& call, const std::string& words) {
    call.phase = Phase::kEnded;
    if (call.caller.rtp && call.agent.rtp) {
      call.caller.rtp->StopRelay();
      call.agent.rtp->StopRelay();
    }
    if (!call.agent.rtp || call.agent.nh == nullptr) {
      CancelAgent(call);
      return;
    }
    const uint64_t id = call.id;
    nua_handle_t* agent_nh = call.agent.nh;
    call.agent.rtp->Play(Clips({{words, call.language}}), false, [this, id, agent_nh] {
      loop.Post([this, id, agent_nh] {
        Call* c = Find(id);
        if (c != nullptr && c->agent.nh == agent_nh) CancelAgent(*c);
      });
    });
  }

  void CancelAgent(Call& call) {
    if (call.agent.nh == nullptr) return;
    if (!call.agent.cancelled) {
      call.agent.cancelled = true;
      if (call.agent.answered) {
        nua_bye(call.agent.nh, TAG_END());
      } else {
        nua_cancel(call.agent.nh, TAG_END());
      }
    }
    if (call.caller.rtp && call.agent.rtp) {
      call.caller.rtp->StopRelay();
      call.agent.rtp->StopRelay();
    }
    if (call.phase == Phase::kBridged) PlayMusic(call);
  }

  void ReleaseAgentLeg(Call& call) {
    if (call.agent.rtp) {
      call.agent.rtp->RecordTo(nullptr, 1);
      if (call.caller.rtp) call.caller.rtp->StopRelay();
      call.agent.rtp->StopRelay();
      call.agent.rtp->Close();
    }
    call.agent = Leg{};
  }

  // The agent's phone refused (busy, decline, unreachable): the engine's next choice.
  void AgentFailed(Call& call) {
    const int64_t agent = call.agent_id;
    call.phase = WaitingPhase(call);
    call.agent_id = 0;
    std::optional<routing::ItemView> item = engine.Item(call.item_id);
    if (call.outbound) {
      GiveUpCallOut(call);
      return;
    }
    if (item && item->state == routing::ItemState::kOffered && item->agent_id == agent) {
      if (absl::Status s = engine.Reject(call.item_id, agent); !s.ok()) {
        spdlog::warn("sip: reject after the phone refused call {}: {}", call.id, s.ToString());
      }
    }
  }

  // ---- consultative transfer --------------------------------------------

  absl::Status Consult(int64_t item_id, int64_t to_agent) {
    Call* call = CallOfItem(item_id);
    if (call == nullptr || call->phase == Phase::kEnded) return absl::NotFoundError("no call for the interaction");
    if (call->phase != Phase::kBridged) return absl::FailedPreconditionError("the call is not connected");
    if (call->consult.nh != nullptr) return absl::FailedPreconditionError("already consulting");
    if (to_agent == call->agent_id) return absl::InvalidArgumentError("consult someone else");
    std::optional<routing::AgentView> colleague = engine.Agent(to_agent);
    if (!colleague || colleague->shown != routing::Presence::kAvailable) {
      return absl::FailedPreconditionError("the colleague is not available");
    }
    const Binding* binding = BindingOf(to_agent);
    if (binding == nullptr) return absl::FailedPreconditionError("the colleague has no phone registered");
    absl::StatusOr<std::shared_ptr<media::RtpStream>> rtp = media->Open();
    if (!rtp.ok()) return absl::UnavailableError("no RTP port free");
    const std::string host = options.public_address.find(':') != std::string::npos
                                 ? absl::StrCat("[", options.public_address, "]")
                                 : options.public_address;
    const Binding* mine = BindingOf(call->agent_id);
    const std::string from = absl::StrCat("<sip:", mine != nullptr ? mine->extension : "onestop", "@", host, ">");
    const std::string to = absl::StrCat("<sip:", binding->extension, "@", host, ">");
    nua_handle_t* nh = nua_handle(nua, nullptr, SIPTAG_TO_STR(to.c_str()), SIPTAG_FROM_STR(from.c_str()), TAG_END());
    if (nh == nullptr) {
      (*rtp)->Close();
      return absl::UnavailableError("cannot ring the colleague");
    }
    if (!call->on_hold) SetHold(*call, true);  // the caller hears music meanwhile
    call->consult = Leg{};
    call->consult.nh = nh;
    call->consult.rtp = *rtp;
    call->consult_agent = to_agent;
    legs[nh] = {call->id, true};
    SdpOut offer;
    offer.address = options.public_address;
    offer.port = (*rtp)->local_port();
    offer.codecs = {media::Codec::kPcma, media::Codec::kPcmu};
    offer.session_id = call->id * 2 + 3;
    const std::string sdp = WriteSdp(offer);
    const std::string info = absl::StrCat("onestop-interaction=", call->item_id, ";consult");
    nua_invite(nh, NUTAG_URL(binding->contact.c_str()), SIPTAG_CONTENT_TYPE_STR(kSdpType),
               SIPTAG_PAYLOAD_STR(sdp.c_str()), SIPTAG_SUBJECT_STR(info.c_str()), TAG_END());
    spdlog::info("sip: call {}: agent {} consults agent {}", call->id, call->agent_id, to_agent);
    return absl::OkStatus();
  }

  void OnConsultAnswer(Call& call, int status, sip_t const* sip) {
    if (status < 200 || status >= 300) return;  // failures end in ConsultGone
    absl::StatusOr<SdpAudio> answer = absl::InvalidArgumentError("no SDP");
    if (sip != nullptr && sip->sip_payload != nullptr && sip->sip_payload->pl_len > 0) {
      answer = ParseSdp(std::string_view(sip->sip_payload->pl_data, sip->sip_payload->pl_len));
    }
    if (call.consult.cancelled || !answer.ok() || call.phase != Phase::kBridged || !call.agent.rtp) {
      call.consult.cancelled = true;
      nua_bye(call.consult.nh, TAG_END());
      return;
    }
    call.consult.answered = true;
    call.consult.rtp->SetRemote({answer->address, answer->port, answer->codecs.front(), answer->telephone_event_pt});
    media::BridgeStreams(call.agent.rtp, call.consult.rtp);  // the two agents talk
    spdlog::info("sip: call {}: consult answered", call.id);
  }

  // The colleague's phone went (declined, no answer, hung up): the caller
  // and the agent talk again — unless the hand-over already happened.
  void ConsultGone(Call& call) {
    const bool handing_over = call.consult_handover;
    if (call.consult.rtp) call.consult.rtp->Close();
    call.consult = Leg{};
    call.consult_agent = 0;
    call.consult_handover = false;
    if (handing_over && call.phase == Phase::kQueued) {
      // The colleague hung up between the hand-over and its offer: the item
      // waits for them as any transfer does; the caller keeps the music.
      return;
    }
    if (call.phase == Phase::kBridged && call.agent.rtp) {
      call.agent.rtp->StopRelay();
      if (call.on_hold) SetHold(call, false);
    }
  }

  void DropConsult(Call& call) {
    if (call.consult.nh != nullptr && !call.consult.cancelled) {
      call.consult.cancelled = true;
      if (call.consult.answered) {
        nua_bye(call.consult.nh, TAG_END());
      } else {
        nua_cancel(call.consult.nh, TAG_END());
      }
    }
  }

  absl::Status CancelConsult(int64_t item_id) {
    Call* call = CallOfItem(item_id);
    if (call == nullptr || call->phase == Phase::kEnded) return absl::NotFoundError("no call for the interaction");
    if (call->consult.nh == nullptr || call->consult_handover) return absl::FailedPreconditionError("not consulting");
    DropConsult(*call);
    if (call->agent.rtp) call->agent.rtp->StopRelay();
    if (call->consult.rtp) call->consult.rtp->StopRelay();
    if (call->on_hold) SetHold(*call, false);
    return absl::OkStatus();
  }

  // The agent completes the consultative transfer: the engine moves the
  // item to the colleague (TransferToAgent) and its offer adopts the
  // colleague's leg, already talking, as the call's agent leg.
  absl::Status CompleteConsult(int64_t item_id, const domain::Actor& actor) {
    Call* call = CallOfItem(item_id);
    if (call == nullptr || call->phase == Phase::kEnded) return absl::NotFoundError("no call for the interaction");
    if (call->consult.nh == nullptr || !call->consult.answered || call->consult_handover) {
      return absl::FailedPreconditionError("the colleague has not answered");
    }
    call->consult_handover = true;
    if (absl::Status s = desk.TransferToAgent(actor, item_id, call->consult_agent); !s.ok()) {
      call->consult_handover = false;
      return s;
    }
    return absl::OkStatus();
  }

  void AdoptConsult(Call& call) {
    const int64_t agent = call.consult_agent;
    const Binding* binding = BindingOf(agent);
    domain::Actor actor = binding != nullptr ? binding->actor : domain::Actor{agent, domain::Role::kAgent, "", true};
    if (call.agent.nh != nullptr) ReleaseAgentLeg(call);  // the first agent's leg (BYE sent at the hand-over)
    call.agent = call.consult;
    call.consult = Leg{};
    call.consult_handover = false;
    call.consult_agent = 0;
    call.agent_id = agent;
    call.phase = Phase::kRinging;
    if (absl::Status s = desk.Accept(actor, call.item_id); !s.ok()) {
      spdlog::warn("sip: call {}: the colleague's accept failed: {}", call.id, s.ToString());
      call.agent.cancelled = true;
      nua_bye(call.agent.nh, TAG_END());
      return;
    }
    call.agent.rtp->StopRelay();
    call.on_hold = false;
    call.phase = Phase::kBridged;
    call.bridged_at = deps.clock.Now();
    call.contact_agent = agent;
    ++call.play_token;
    media::BridgeStreams(call.caller.rtp, call.agent.rtp);
    StartRecording(call);
    spdlog::info("sip: call {} transferred to agent {} after a consult", call.id, agent);
    UpdateStats();
  }

  // ---- recording (the queue's policy) and the PCI pause ------------------

  void StartRecording(Call& call) {
    if (!call.caller.rtp || !call.agent.rtp) return;
    if (call.recorder) {  // a transfer: the next agent's leg joins the same file
      call.agent.rtp->RecordTo(call.recorder, 1);
      return;
    }
    if (options.recordings_dir.empty()) return;
    std::optional<int> days = telephony.RecordingRetentionDays(call.queue);
    if (!days) return;
    const absl::Time now = deps.clock.Now();
    std::string node;
    for (char c : options.node) node.push_back(absl::ascii_isalnum(static_cast<unsigned char>(c)) ? c : '-');
    const std::string rel = absl::StrCat(absl::FormatTime("%Y/%m/%d", now, absl::UTCTimeZone()), "/",
                                         node.substr(0, 64), "-", call.id, "-", call.item_id, ".wav");
    absl::StatusOr<std::shared_ptr<media::CallRecorder>> rec =
        media::CallRecorder::Create(absl::StrCat(options.recordings_dir, "/", rel));
    if (!rec.ok()) {
      spdlog::warn("sip: call {} cannot be recorded: {}", call.id, rec.status().ToString());
      return;
    }
    call.recorder = *rec;
    call.recording_path = rel;
    call.recording_started = now;
    call.retention_days = *days;
    call.caller.rtp->RecordTo(call.recorder, 0);
    call.agent.rtp->RecordTo(call.recorder, 1);
    spdlog::info("sip: recording call {} ({} days)", call.id, *days);
  }

  void FinishRecording(Call& call) {
    if (!call.recorder) return;
    if (call.caller.rtp) call.caller.rtp->RecordTo(nullptr, 0);
    if (call.agent.rtp) call.agent.rtp->RecordTo(nullptr, 1);
    const media::CallRecorder::Summary summary = call.recorder->Finish();
    if (absl::Status s = call.recorder->status(); !s.ok()) {
      spdlog::warn("sip: the recording of call {} stopped early: {}", call.id, s.ToString());
    }
    call.recorder.reset();
    domain::CallRecording row;
    row.interaction_id = call.item_id;
    row.queue = call.queue;
    row.path = call.recording_path;
    row.started_at = call.recording_started;
    row.duration_ms = summary.duration_ms;
    row.paused_ms = summary.paused_ms;
    row.pauses = summary.pauses;
    row.bytes = summary.bytes;
    row.delete_after = domain::RecordingDeleteAfter(call.recording_started, call.retention_days);
    if (absl::StatusOr<int64_t> id = services::SaveCallRecording(deps).Run(row); !id.ok()) {
      spdlog::warn("sip: the recording of call {} is not stored: {}", call.id, id.status().ToString());
    }
  }

  // ---- the post-call survey ----------------------------------------------

  // The agent's side ended a bridged call: the caller answers the survey
  // when their queue has one, else the call ends.
  void AgentLeft(Call& call) {
    if (call.phase == Phase::kBridged && telephony.survey && telephony.survey->Covers(call.queue) &&
        !call.outbound && call.caller.nh != nullptr && !call.caller.cancelled && call.caller.rtp) {
      RecordCallEnd(call);  // the call's length and the recording end when the agent leaves
      call.phase = Phase::kSurvey;
      call.on_hold = false;
      CancelAgent(call);
      ++call.play_token;
      call.survey_deadline = deps.clock.Now() + absl::Seconds(60);  // the prompt's end sets the real one
      Play(call, {{telephony.survey->prompt.In(call.language), call.language}}, false);
      UpdateStats();
      return;
    }
    EndCall(call);
  }

  void OnSurveyDigit(Call& call, char digit) {
    if (call.survey_answered || digit < '1' || digit > '5') return;
    call.survey_answered = true;
    if (absl::StatusOr<int64_t> id = services::RecordCallSurvey(deps).Run(call.item_id, call.contact_agent, call.queue,
                                                                          digit - '0', deps.clock.Now());
        !id.ok()) {
      spdlog::warn("sip: the survey answer of call {} is not stored: {}", call.id, id.status().ToString());
    }
    spdlog::info("sip: call {} rated {} by the caller", call.id, digit);
    const std::string& thanks = telephony.survey->thanks.In(call.language);
    if (thanks.empty()) {
      HangUpAll(call);
      return;
    }
    call.survey_deadline = deps.clock.Now() + absl::Seconds(30);
    Play(call, {{thanks, call.language}}, false);
  }

  // ---- ends --------------------------------------------------------------

  void CallerGone(Call& call) {
    const Phase phase = call.phase;
    if (phase == Phase::kEnded) return;
    if (call.callback && (phase == Phase::kQueued || phase == Phase::kRinging || phase == Phase::kCallback)) {
      // Asked to be called back: hanging up keeps their place.
      if (call.caller.rtp) call.caller.rtp->StopPlaying();
      return;
    }
    if (phase == Phase::kDialling) {
      ResidentUnreachable(call);
      return;
    }
    call.phase = Phase::kEnded;
    if (phase == Phase::kQueued || phase == Phase::kRinging) {
      CancelAgent(call);
      if (absl::Status s = engine.Abandon(call.item_id); !s.ok()) {
        spdlog::warn("sip: abandon of call {}: {}", call.id, s.ToString());
      }
    } else if (phase == Phase::kBridged) {
      RecordCallEnd(call);
      CancelAgent(call);
      DropConsult(call);
    }
    if (call.caller.rtp) call.caller.rtp->StopPlaying();
    UpdateStats();
  }

  // Either side ended a bridged call, or the agent completed it on the desk.
  void EndCall(Call& call) {
    if (call.phase == Phase::kEnded) return;
    if (call.phase == Phase::kBridged) RecordCallEnd(call);
    if (call.phase == Phase::kQueued || call.phase == Phase::kRinging || call.phase == Phase::kCallback) {
      (void)engine.Abandon(call.item_id);
    }
    call.phase = Phase::kEnded;
    HangUpAll(call);
    UpdateStats();
  }

  void RecordCallEnd(Call& call) {
    FinishRecording(call);
    if (call.call_end_recorded || call.item_id == 0) return;
    call.call_end_recorded = true;
    if (absl::Status s = services::EndInteractionCall(deps).Run(call.item_id, deps.clock.Now()); !s.ok()) {
      spdlog::warn("sip: cannot record the end of call {}: {}", call.id, s.ToString());
    }
  }

  void HangUpAll(Call& call) {
    if (call.phase != Phase::kEnded) {
      const Phase phase = call.phase;
      call.phase = Phase::kEnded;
      if (phase == Phase::kQueued || phase == Phase::kRinging || phase == Phase::kCallback) {
        (void)engine.Abandon(call.item_id);
      }
      if (phase == Phase::kBridged) RecordCallEnd(call);
    }
    CancelAgent(call);
    DropConsult(call);
    DropResidentLeg(call);
  }

  void MaybeForget(Call& call) {
    if (call.caller.nh != nullptr || call.agent.nh != nullptr || call.consult.nh != nullptr) return;
    if (call.phase == Phase::kCallback || call.phase == Phase::kRinging) return;  // a call back still to make
    if (call.caller.rtp) call.caller.rtp->Close();
    if (call.agent.rtp) call.agent.rtp->Close();
    if (call.consult.rtp) call.consult.rtp->Close();
    if (call.item_id != 0) call_of_item.erase(call.item_id);
    calls.erase(call.id);
    UpdateStats();
  }

  // Every second: the jitter the bridged legs see, for /metrics.
  void MeasureJitter() {
    std::vector<double> jitter;
    for (const auto& [id, call] : calls) {
      if (call->phase != Phase::kBridged) continue;
      if (call->caller.rtp) jitter.push_back(call->caller.rtp->stats().jitter_ms);
      if (call->agent.rtp) jitter.push_back(call->agent.rtp->stats().jitter_ms);
    }
    double p95 = 0;
    if (!jitter.empty()) {
      const size_t k = std::min(jitter.size() - 1, jitter.size() * 95 / 100);
      std::nth_element(jitter.begin(), jitter.begin() + static_cast<std::ptrdiff_t>(k), jitter.end());
      p95 = jitter[k];
    }
    std::lock_guard<std::mutex> lock(stats_mu);
    stats.jitter_p95_ms = p95;
  }

  void Tick() {
    const absl::Time now = deps.clock.Now();
    if (++ticks % 10 == 0) MeasureJitter();
    std::vector<uint64_t> ids;
    ids.reserve(calls.size());
    for (const auto& [id, call] : calls) ids.push_back(id);
    for (uint64_t id : ids) {
      Call* call = Find(id);
      if (call == nullptr) continue;
      if (call->phase == Phase::kEnded) {
        // A call refused after answering ("Sorry, we cannot take your call"):
        // hang up once the words have had time.
        if (call->caller.nh != nullptr && !call->caller.cancelled && now >= call->next_announce) HangUpAll(*call);
        continue;
      }
      if (call->phase == Phase::kDialling) {
        if (now >= call->dial_deadline) DropResidentLeg(*call);  // rang long enough: ResidentUnreachable follows
        continue;
      }
      if (call->phase == Phase::kSurvey && now >= call->survey_deadline) {
        HangUpAll(*call);  // no answer to the survey: nothing is recorded
        continue;
      }
      if (call->phase == Phase::kCallback || !call->caller.answered) continue;
      if (call->phase == Phase::kIvr && call->ivr) {
        if (std::optional<IvrStep> step = call->ivr->OnTick(now)) Run(*call, *step);
        continue;
      }
      if ((call->phase == Phase::kQueued || call->phase == Phase::kRinging) && now >= call->next_announce) {
        const int position = engine.Position(call->item_id);
        if (position > 0 && !call->callback) {
          std::vector<Words> say =
              QueueAnnouncement(catalogs, call->language, position, EstimatedWait(call->queue, position));
          std::vector<Words> offer = CallbackOffer(*call);
          say.insert(say.end(), offer.begin(), offer.end());
          Play(*call, say, true);
        }
        call->next_announce = now + absl::Seconds(std::max(5, telephony.announce_seconds));
      }
      const media::StreamStats st = call->caller.rtp->stats();
      const absl::Time heard = std::max(st.last_received, call->answered_at);
      if (now - heard > options.rtp_timeout) {
        spdlog::info("sip: call {} had no audio from the caller for {}; hanging up", call->id,
                     absl::FormatDuration(now - heard));
        if (call->phase == Phase::kBridged) {
          EndCall(*call);
        } else {
          CallerGone(*call);
          HangUpAll(*call);
        }
      } else if (now - call->started > options.max_call) {
        EndCall(*call);
      }
    }
  }

  void Warm() {
    std::vector<std::pair<std::string, std::string>> texts;
    for (const domain::IvrMenu& menu : telephony.menus) {
      texts.push_back({menu.prompt.en, "en"});
      if (!menu.prompt.cy.empty()) texts.push_back({menu.prompt.cy, "cy"});
      for (const domain::IvrOption& option : menu.options) {
        if (option.action.kind != domain::IvrActionKind::kMessage) continue;
        texts.push_back({option.action.message.en, "en"});
        if (!option.action.message.cy.empty()) texts.push_back({option.action.message.cy, "cy"});
      }
    }
    if (telephony.survey) {
      for (const domain::SpokenText* t : {&telephony.survey->prompt, &telephony.survey->thanks}) {
        if (!t->en.empty()) texts.push_back({t->en, "en"});
        if (!t->cy.empty()) texts.push_back({t->cy, "cy"});
      }
    }
    for (const char* lang : {"en", "cy"}) {
      const i18n::Translator& tr = catalogs.Get(lang);
      for (const char* id : {N_("Thank you. Please hold while we connect you."),
                             N_("Sorry, that is not one of the choices."),
                             N_("Please hold while we transfer your call.")}) {
        texts.push_back({tr(id), lang});
      }
      for (int n = 1; n <= 10 && !stopping; ++n) {
        for (const Words& w : QueueAnnouncement(catalogs, lang, n, absl::Minutes(n))) texts.push_back({w.text, lang});
      }
    }
    for (const auto& [text, lang] : texts) {
      if (stopping) return;
      if (absl::StatusOr<media::SharedPcm> pcm = prompts.Get(text, lang); !pcm.ok()) {
        spdlog::warn("sip: prompt not synthesised: {}", pcm.status().ToString());
      }
    }
    spdlog::info("sip: {} prompts ready ({} KiB)", prompts.size(), prompts.bytes() / 1024);
  }
};

SipServer::SipServer(services::Deps deps, routing::LiveEngine& engine, services::RoutingDesk& desk,
                     domain::Telephony telephony, SipServerOptions options)
    : impl_(std::make_unique<Impl>(deps, engine, desk, std::move(telephony), std::move(options))) {}

SipServer::~SipServer() { Stop(); }

absl::Status SipServer::Start() {
  Impl& impl = *impl_;
  impl.media = std::make_unique<media::MediaEngine>(impl.options.host, impl.options.rtp_ports, impl.options.media_threads);
  impl.music = media::HoldMusic();
  if (absl::Status s = impl.loop.Start([&impl](su_root_s* root) { return impl.Setup(root); }); !s.ok()) {
    impl.media.reset();
    return s;
  }
  impl.loop.Post([&impl] { impl.AbandonOrphans(); });
  impl.listener = impl.engine.Subscribe([&impl](const std::vector<routing::RoutingEvent>& events) {
    if (events.empty()) return;
    bool ours = false;
    for (const routing::RoutingEvent& e : events) {
      if (e.media == routing::Media::kVoice && e.item_id != 0) ours = true;
    }
    if (!ours) return;
    impl.loop.Post([&impl, events] { impl.OnRoutingEvents(events); });
  });
  if (impl.options.warm_prompts) impl.warmer = std::thread([&impl] { impl.Warm(); });
  spdlog::info("sip: listening on {}:{} (UDP and TCP), RTP {}-{}, {} numbers", impl.options.host, impl.bound_port,
               impl.options.rtp_ports.first, impl.options.rtp_ports.last, impl.telephony.numbers.size());
  return absl::OkStatus();
}

void SipServer::Stop() {
  Impl& impl = *impl_;
  impl.stopping = true;
  if (impl.listener != 0) {
    impl.engine.Unsubscribe(impl.listener);
    impl.listener = 0;
  }
  impl.loop.Stop([&impl](su_root_s* root) { impl.Teardown(root); });
  if (impl.warmer.joinable()) impl.warmer.join();
  impl.media.reset();
}

uint16_t SipServer::port() const { return impl_->bound_port; }

namespace {

// Runs fn on the SIP thread and waits for its answer (Unavailable when the
// loop is stopped or does not answer within 5 s).
template <typename T>
T OnLoop(SofiaLoop& loop, std::function<T()> fn, T unavailable) {
  if (loop.on_loop_thread()) return fn();
  auto promise = std::make_shared<std::promise<T>>();
  std::future<T> future = promise->get_future();
  if (!loop.Post([promise, fn = std::move(fn)] { promise->set_value(fn()); })) return unavailable;
  if (future.wait_for(std::chrono::seconds(5)) != std::future_status::ready) return unavailable;
  return future.get();
}

}  // namespace

absl::Status SipServer::Hold(int64_t item_id, bool on) {
  Impl* impl = impl_.get();
  return OnLoop<absl::Status>(impl->loop, [impl, item_id, on] { return impl->Hold(item_id, on); },
                              absl::UnavailableError("the telephone is not answering"));
}

absl::Status SipServer::HangUp(int64_t item_id) {
  Impl* impl = impl_.get();
  return OnLoop<absl::Status>(impl->loop, [impl, item_id] { return impl->HangUp(item_id); },
                              absl::UnavailableError("the telephone is not answering"));
}

absl::Status SipServer::PauseRecording(int64_t item_id, bool paused) {
  Impl* impl = impl_.get();
  return OnLoop<absl::Status>(impl->loop, [impl, item_id, paused] { return impl->PauseRecording(item_id, paused); },
                              absl::UnavailableError("the telephone is not answering"));
}

absl::StatusOr<int64_t> SipServer::Dial(const domain::Actor& agent, const std::string& number,
                                        std::optional<int64_t> citizen_id) {
  Impl* impl = impl_.get();
  return OnLoop<absl::StatusOr<int64_t>>(
      impl->loop, [impl, agent, number, citizen_id] { return impl->Dial(agent, number, citizen_id); },
      absl::UnavailableError("the telephone is not answering"));
}

absl::Status SipServer::Consult(int64_t item_id, int64_t to_agent) {
  Impl* impl = impl_.get();
  return OnLoop<absl::Status>(impl->loop, [impl, item_id, to_agent] { return impl->Consult(item_id, to_agent); },
                              absl::UnavailableError("the telephone is not answering"));
}

absl::Status SipServer::CompleteConsult(const domain::Actor& agent, int64_t item_id) {
  Impl* impl = impl_.get();
  return OnLoop<absl::Status>(impl->loop, [impl, agent, item_id] { return impl->CompleteConsult(item_id, agent); },
                              absl::UnavailableError("the telephone is not answering"));
}

absl::Status SipServer::CancelConsult(int64_t item_id) {
  Impl* impl = impl_.get();
  return OnLoop<absl::Status>(impl->loop, [impl, item_id] { return impl->CancelConsult(item_id); },
                              absl::UnavailableError("the telephone is not answering"));
}

std::optional<services::CallState> SipServer::State(int64_t item_id) const {
  Impl* impl = impl_.get();
  return OnLoop<std::optional<services::CallState>>(impl->loop, [impl, item_id] { return impl->State(item_id); },
                                                    std::nullopt);
}

SipStats SipServer::stats() const {
  std::lock_guard<std::mutex> lock(impl_->stats_mu);
  return impl_->stats;
}

}  // namespace onestop::sip
