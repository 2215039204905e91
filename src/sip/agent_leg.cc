// SipServer::Impl (sip/server_impl.h): the agent's leg (routing events, ringing the agent's phone,
// its answer).
#include "sip/server_impl.h"

#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_tag.h>

#include "absl/strings/str_cat.h"
#include "i18n/translator.h"
#include "sip/sdp.h"
#include "spdlog/spdlog.h"

namespace onestop::sip {

// ---- the agent's leg -------------------------------------------------

void SipServer::Impl::OnRoutingEvents(const std::vector<routing::RoutingEvent>& events) {
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

Phase SipServer::Impl::WaitingPhase(const Call& call) {
  return call.callback && call.caller.nh == nullptr ? Phase::kCallback : Phase::kQueued;
}

void SipServer::Impl::RingAgent(Call& call, int64_t agent_id) {
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

void SipServer::Impl::OnInviteResponse(nua_handle_t* nh, int status, sip_t const* sip) {
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
  if (call->callback) {
    // They asked to be called back but are still on the line (the
    // confirmation was still being said): they are put through instead.
    spdlog::info("sip: call {} put through to agent {} before the call back was needed", call->id,
                 call->agent_id);
    call->callback = false;
  }
  call->phase = Phase::kBridged;
  call->bridged_at = deps.clock.Now();
  ++call->play_token;
  media::BridgeStreams(call->caller.rtp, call->agent.rtp);
  StartRecording(*call);
  UpdateStats();
}

void SipServer::Impl::AgentHears(Call& call, const std::string& words) {
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

void SipServer::Impl::CancelAgent(Call& call) {
  if (call.agent.nh == nullptr) return;
  call.agent.Drop();
  if (call.caller.rtp && call.agent.rtp) {
    call.caller.rtp->StopRelay();
    call.agent.rtp->StopRelay();
  }
  if (call.phase == Phase::kBridged) PlayMusic(call);
}

void SipServer::Impl::ReleaseAgentLeg(Call& call) {
  if (call.agent.rtp) {
    call.agent.rtp->RecordTo(nullptr, 1);
    if (call.caller.rtp) call.caller.rtp->StopRelay();
    call.agent.rtp->StopRelay();
    call.agent.rtp->Close();
  }
  call.agent = Leg{};
}

void SipServer::Impl::AgentFailed(Call& call) {
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

}  // namespace onestop::sip
