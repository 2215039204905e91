// SipServer::Impl (sip/server_impl.h): calling back and calls out (the resident's leg), and ending
// the agent's leg.
#include "sip/server_impl.h"

#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_tag.h>

#include "absl/strings/str_cat.h"
#include "i18n/translator.h"
#include "sip/sdp.h"
#include "spdlog/spdlog.h"

namespace onestop::sip {

// ---- calling back ------------------------------------------------------

void SipServer::Impl::GiveUpCallOut(Call& call) {
  spdlog::info("sip: call out {} not taken by agent's phone", call.id);
  call.phase = Phase::kEnded;
  if (absl::Status s = engine.Abandon(call.item_id); !s.ok()) {
    spdlog::warn("sip: abandon of call out {}: {}", call.id, s.ToString());
  }
}

void SipServer::Impl::RequestCallback(Call& call) {
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

void SipServer::Impl::DialBack(Call& call) {
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

void SipServer::Impl::OnResidentAnswer(nua_handle_t* nh, uint64_t call_id, int status, sip_t const* sip) {
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
  DeskChanged(*call);
  call->bridged_at = call->answered_at;
  call->dial_deadline = absl::InfiniteFuture();
  ++call->play_token;
  media::BridgeStreams(call->caller.rtp, call->agent.rtp);
  StartRecording(*call);
  spdlog::info("sip: call back {} answered", call->id);
  UpdateStats();
}

void SipServer::Impl::ResidentUnreachable(Call& call) {
  DeskChanged(call);
  const i18n::Translator& tr = catalogs.Get(call.language);
  spdlog::info("sip: call back {} not answered", call.id);
  AgentHears(call, tr(N_("The resident did not answer. Please complete the call on your desk.")));
}

void SipServer::Impl::DropResidentLeg(Call& call) { call.caller.Drop(); }

}  // namespace onestop::sip
