#include "sip/sip_server.h"

#include <sofia-sip/msg_addr.h>
#include <sofia-sip/nta_tag.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/sip_tag.h>
#include <sofia-sip/su_tag.h>
#include <sofia-sip/tport_tag.h>

#include <chrono>
#include <functional>
#include <future>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/md5.h"
#include "i18n/translator.h"
#include "media/tones.h"
#include "sip/sdp.h"
#include "sip/server_impl.h"
#include "sip/sofia_loop.h"
#include "spdlog/spdlog.h"

namespace onestop::sip {

namespace {

constexpr char kUserAgent[] = "onestop";

}  // namespace

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

SipServer::Impl::Impl(services::Deps d, routing::LiveEngine& e, services::RoutingDesk& k, domain::Telephony t,
                      SipServerOptions o)
    : deps(d), engine(e), desk(k), telephony(std::move(t)), options(std::move(o)), auth(options.realm),
      catalogs(i18n::Catalogs::Default()) {
  if (options.public_address.empty()) options.public_address = options.host;
  for (Trunk& trunk : options.trunks) {
    if (!trunk.username.empty()) trunk_ha1.push_back(DigestHa1(trunk.username, options.realm, trunk.password));
    else trunk_ha1.push_back("");
  }
}

void SipServer::Impl::UpdateStats() {
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

absl::Status SipServer::Impl::Setup(su_root_t* root) {
  const std::string url = absl::StrCat("sip:", options.host.find(':') != std::string::npos
                                                   ? absl::StrCat("[", options.host, "]")
                                                   : options.host,
                                       ":", options.port);
  nua = nua_create(root, &Impl::Callback, reinterpret_cast<nua_magic_t*>(this), NUTAG_URL(url.c_str()),
                   NUTAG_MEDIA_ENABLE(0), NUTAG_APPL_METHOD("REGISTER"), NUTAG_APPL_METHOD("OPTIONS"),
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

void SipServer::Impl::Teardown(su_root_t* root) {
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

// Items of calls this node does not hold: calls that died with an earlier
// run of this node, or with the node that ran the telephone before it.
void SipServer::Impl::AbandonOrphans() {
  for (const routing::ItemView& item : engine.ItemsOf(routing::Media::kVoice)) {
    if (!absl::StartsWith(item.reference, "call:") || call_of_item.contains(item.id)) continue;
    if (item.state == routing::ItemState::kConnected) {
      // Its agent was talking when the call died: the item stays theirs to
      // complete on the desk with what happened (it is no one's to abandon).
      spdlog::info("sip: call item {} ({}) lost its call; agent {} completes it on the desk", item.id,
                   item.reference, item.agent_id);
      continue;
    }
    if (absl::Status s = engine.Abandon(item.id); !s.ok()) {
      spdlog::warn("sip: cannot abandon the orphaned call item {}: {}", item.id, s.ToString());
    } else {
      spdlog::info("sip: abandoned call item {} ({}): its call ended with the node that answered it", item.id,
                   item.reference);
    }
  }
}

void SipServer::Impl::OnLeadership(bool now_leading) {
  if (now_leading) {
    spdlog::info("sip: this node runs routing: it answers the telephone");
    LoadBindings();
    AbandonOrphans();
    return;
  }
  int dropped = 0;
  for (auto& [id, call] : calls) {
    if (call->phase == Phase::kEnded) continue;
    HangUpAll(*call);
    ++dropped;
  }
  spdlog::warn("sip: this node no longer runs routing: {} calls hung up; new calls are refused (503)", dropped);
}

void SipServer::Impl::OnOptions(nua_t* n, nua_handle_t* nh) {
  const bool in_call = legs.contains(nh);  // inside a call: it is alive (and the handle is the call's)
  if (in_call || (engine.leading() && !stopping)) {
    nua_respond(nh, SIP_200_OK, NUTAG_WITH_THIS(n), SIPTAG_ACCEPT_STR(kSdpType), TAG_END());
  } else {
    nua_respond(nh, SIP_503_SERVICE_UNAVAILABLE, NUTAG_WITH_THIS(n), SIPTAG_RETRY_AFTER_STR("1"), TAG_END());
  }
  if (!in_call) nua_handle_destroy(nh);
}

void SipServer::Impl::DeskChanged(const Call& call) {
  if (!options.call_changed) return;
  if (call.agent_id != 0) options.call_changed(call.agent_id);
  if (call.contact_agent != 0 && call.contact_agent != call.agent_id) options.call_changed(call.contact_agent);
  if (call.consult_agent != 0) options.call_changed(call.consult_agent);
}

// ---- sofia callbacks -------------------------------------------------

void SipServer::Impl::Callback(nua_event_t event, int status, char const* phrase, nua_t* nua, nua_magic_t* magic,
                               nua_handle_t* nh, nua_hmagic_t*, sip_t const* sip, tagi_t tags[]) {
  reinterpret_cast<Impl*>(magic)->OnEvent(event, status, phrase, nua, nh, sip, tags);
}

void SipServer::Impl::OnTimer(su_root_magic_t*, su_timer_t*, su_timer_arg_t* arg) {
  reinterpret_cast<Impl*>(arg)->Tick();
}

void SipServer::Impl::OnEvent(nua_event_t event, int status, char const* phrase, nua_t* n, nua_handle_t* nh,
                              sip_t const* sip, tagi_t tags[]) {
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
    case nua_i_options:
      if (nh != nullptr) OnOptions(n, nh);
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
          (event == nua_i_message || event == nua_i_subscribe ||
           event == nua_i_notify || event == nua_i_refer || event == nua_i_publish || event == nua_i_method ||
           event == nua_i_update || event == nua_i_prack || event == nua_i_error)) {
        nua_handle_destroy(nh);
      }
      break;
  }
  (void)phrase;
}

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
