// SipServer::Impl (sip/server_impl.h): the consultative transfer (the colleague's leg).
#include "sip/server_impl.h"

#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_tag.h>

#include "absl/strings/str_cat.h"
#include "sip/sdp.h"
#include "spdlog/spdlog.h"

namespace onestop::sip {

// ---- consultative transfer --------------------------------------------

absl::Status SipServer::Impl::Consult(int64_t item_id, int64_t to_agent) {
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

void SipServer::Impl::OnConsultAnswer(Call& call, int status, sip_t const* sip) {
  DeskChanged(call);
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

void SipServer::Impl::ConsultGone(Call& call) {
  DeskChanged(call);
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

void SipServer::Impl::DropConsult(Call& call) { call.consult.Drop(); }

absl::Status SipServer::Impl::CancelConsult(int64_t item_id) {
  Call* call = CallOfItem(item_id);
  if (call == nullptr || call->phase == Phase::kEnded) return absl::NotFoundError("no call for the interaction");
  if (call->consult.nh == nullptr || call->consult_handover) return absl::FailedPreconditionError("not consulting");
  DropConsult(*call);
  if (call->agent.rtp) call->agent.rtp->StopRelay();
  if (call->consult.rtp) call->consult.rtp->StopRelay();
  if (call->on_hold) SetHold(*call, false);
  return absl::OkStatus();
}

absl::Status SipServer::Impl::CompleteConsult(int64_t item_id, const domain::Actor& actor) {
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

void SipServer::Impl::AdoptConsult(Call& call) {
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

}  // namespace onestop::sip
