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
#include "media/speech.h"
#include "media/tones.h"
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

enum class Phase { kIvr, kQueued, kRinging, kBridged, kEnded };

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
      case nua_r_shutdown:
        if (status >= 200) shut_down = true;
        break;
      case nua_i_info:
        if (nh != nullptr && !legs.contains(nh)) nua_handle_destroy(nh);
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
    if (sip->sip_payload == nullptr || sip->sip_payload->pl_len == 0) {
      Refuse(n, nh, SIP_488_NOT_ACCEPTABLE, "no SDP offer");
      return;
    }
    absl::StatusOr<SdpAudio> offer =
        ParseSdp(std::string_view(sip->sip_payload->pl_data, sip->sip_payload->pl_len));
    if (!offer.ok()) {
      Refuse(n, nh, SIP_488_NOT_ACCEPTABLE, std::string(offer.status().message()));
      return;
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
    (*rtp)->SetRemote({offer->address, offer->port, offer->codecs.front(), offer->telephone_event_pt});
    const uint64_t id = call->id;
    (*rtp)->OnDigits([this, id](char digit) { loop.Post([this, id, digit] { OnDigit(id, digit); }); });
    const std::string answer = WriteSdp(AnswerTo(*offer, options.public_address, (*rtp)->local_port(), id));
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
    Leg& leg = agent_leg ? call->agent : call->caller;
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
      return;
    }
    nua_respond(nh, SIP_200_OK, TAG_END());
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
    if (state == nua_callstate_ready && call != nullptr && !agent_leg && !call->caller.answered) {
      call->caller.answered = true;
      call->answered_at = deps.clock.Now();
      Run(*call, call->ivr->Start());
    }
    if (state == nua_callstate_terminated) {
      legs.erase(leg);
      nua_handle_destroy(nh);
      if (call == nullptr) return;
      if (agent_leg) {
        if (call->agent.nh == nh) {
          const bool was_bridged = call->phase == Phase::kBridged;
          const bool cancelled = call->agent.cancelled;
          ReleaseAgentLeg(*call);
          if (was_bridged) {
            EndCall(*call);  // the agent hung up
          } else if (call->phase == Phase::kRinging && !cancelled) {
            AgentFailed(*call);
          }
        }
      } else if (call->caller.nh == nh) {
        call->caller.nh = nullptr;
        CallerGone(*call);
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
      if (call->phase == Phase::kBridged && call->agent.nh == nh) EndCall(*call);
    } else {
      CallerGone(*call);
    }
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
    } else if (call->phase == Phase::kQueued || call->phase == Phase::kRinging) {
      PlayMusic(*call);
    }
  }

  void OnDigit(uint64_t id, char digit) {
    Call* call = Find(id);
    if (call == nullptr) return;
    spdlog::debug("sip: call {} digit {} (phase {})", id, digit, static_cast<int>(call->phase));
    if (call->phase == Phase::kIvr) {
      if (std::optional<IvrStep> step = call->ivr->OnDigit(digit, deps.clock.Now())) Run(*call, *step);
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
        RingAgent(*call, e.agent_id);
      } else if (e.type == "no_answer" || e.type == "reject") {
        if (call->phase == Phase::kRinging && call->agent_id == e.agent_id) {
          CancelAgent(*call);
          call->phase = Phase::kQueued;
          call->agent_id = 0;
        }
      } else if (e.type == "complete") {
        EndCall(*call);
      } else if (e.type == "transfer" || e.type == "requeue") {
        if (call->phase == Phase::kBridged || call->phase == Phase::kRinging) {
          CancelAgent(*call);
          call->phase = Phase::kQueued;
          call->agent_id = 0;
          const i18n::Translator& tr = catalogs.Get(call->language);
          Play(*call, {{tr(N_("Please hold while we transfer your call.")), call->language}}, true);
        }
      }
    }
    UpdateStats();
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
    const std::string info = absl::StrCat("onestop-interaction=", call.item_id);
    nua_invite(nh, NUTAG_URL(binding->contact.c_str()), SIPTAG_CONTENT_TYPE_STR(kSdpType),
               SIPTAG_PAYLOAD_STR(sdp.c_str()), SIPTAG_SUBJECT_STR(info.c_str()), TAG_END());
  }

  void OnInviteResponse(nua_handle_t* nh, int status, sip_t const* sip) {
    auto leg = legs.find(nh);
    if (leg == legs.end() || !leg->second.second) return;
    Call* call = Find(leg->second.first);
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
      call->phase = Phase::kQueued;
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
    call->phase = Phase::kBridged;
    call->bridged_at = deps.clock.Now();
    call->contact_agent = call->agent_id;
    ++call->play_token;
    media::BridgeStreams(call->caller.rtp, call->agent.rtp);
    UpdateStats();
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
      if (call.caller.rtp) call.caller.rtp->StopRelay();
      call.agent.rtp->StopRelay();
      call.agent.rtp->Close();
    }
    call.agent = Leg{};
  }

  // The agent's phone refused (busy, decline, unreachable): the engine's next choice.
  void AgentFailed(Call& call) {
    const int64_t agent = call.agent_id;
    call.phase = Phase::kQueued;
    call.agent_id = 0;
    std::optional<routing::ItemView> item = engine.Item(call.item_id);
    if (item && item->state == routing::ItemState::kOffered && item->agent_id == agent) {
      if (absl::Status s = engine.Reject(call.item_id, agent); !s.ok()) {
        spdlog::warn("sip: reject after the phone refused call {}: {}", call.id, s.ToString());
      }
    }
  }

  // ---- ends --------------------------------------------------------------

  void CallerGone(Call& call) {
    const Phase phase = call.phase;
    if (phase == Phase::kEnded) return;
    call.phase = Phase::kEnded;
    if (phase == Phase::kQueued || phase == Phase::kRinging) {
      CancelAgent(call);
      if (absl::Status s = engine.Abandon(call.item_id); !s.ok()) {
        spdlog::warn("sip: abandon of call {}: {}", call.id, s.ToString());
      }
    } else if (phase == Phase::kBridged) {
      RecordCallEnd(call);
      CancelAgent(call);
    }
    if (call.caller.rtp) call.caller.rtp->StopPlaying();
    UpdateStats();
  }

  // Either side ended a bridged call, or the agent completed it on the desk.
  void EndCall(Call& call) {
    if (call.phase == Phase::kEnded) return;
    if (call.phase == Phase::kBridged) RecordCallEnd(call);
    if (call.phase == Phase::kQueued || call.phase == Phase::kRinging) {
      (void)engine.Abandon(call.item_id);
    }
    call.phase = Phase::kEnded;
    HangUpAll(call);
    UpdateStats();
  }

  void RecordCallEnd(Call& call) {
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
      if (phase == Phase::kQueued || phase == Phase::kRinging) (void)engine.Abandon(call.item_id);
      if (phase == Phase::kBridged) RecordCallEnd(call);
    }
    CancelAgent(call);
    if (call.caller.nh != nullptr && !call.caller.cancelled) {
      call.caller.cancelled = true;
      nua_bye(call.caller.nh, TAG_END());
    }
  }

  void MaybeForget(Call& call) {
    if (call.caller.nh != nullptr || call.agent.nh != nullptr) return;
    if (call.caller.rtp) call.caller.rtp->Close();
    if (call.agent.rtp) call.agent.rtp->Close();
    if (call.item_id != 0) call_of_item.erase(call.item_id);
    calls.erase(call.id);
    UpdateStats();
  }

  void Tick() {
    const absl::Time now = deps.clock.Now();
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
      if (!call->caller.answered) continue;
      if (call->phase == Phase::kIvr && call->ivr) {
        if (std::optional<IvrStep> step = call->ivr->OnTick(now)) Run(*call, *step);
        continue;
      }
      if ((call->phase == Phase::kQueued || call->phase == Phase::kRinging) && now >= call->next_announce) {
        const int position = engine.Position(call->item_id);
        if (position > 0) {
          Play(*call, QueueAnnouncement(catalogs, call->language, position, EstimatedWait(call->queue, position)),
               true);
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

SipStats SipServer::stats() const {
  std::lock_guard<std::mutex> lock(impl_->stats_mu);
  return impl_->stats;
}

}  // namespace onestop::sip
