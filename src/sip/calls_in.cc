// SipServer::Impl (sip/server_impl.h): calls in (INVITE from a trunk or a registered phone, re-
// INVITE).
#include "sip/server_impl.h"

#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/sip_tag.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "sip/sdp.h"
#include "spdlog/spdlog.h"

namespace onestop::sip {

namespace {

std::string Digits(std::string_view s) {
  std::string out;
  for (char c : s) {
    if ((c >= '0' && c <= '9') || c == '+') out.push_back(c);
  }
  return out.substr(0, 32);
}

}  // namespace

// ---- calls in --------------------------------------------------------

void SipServer::Impl::Refuse(nua_t* n, nua_handle_t* nh, int status, const char* phrase, const std::string& why) {
  nua_respond(nh, status, phrase, NUTAG_WITH_THIS(n), TAG_END());
  nua_handle_destroy(nh);
  {
    std::lock_guard<std::mutex> lock(stats_mu);
    ++stats.rejected_total;
  }
  spdlog::debug("sip: INVITE refused {} ({})", status, why);
}

int SipServer::Impl::TrunkOf(const std::string& ip) const {
  for (size_t i = 0; i < options.trunks.size(); ++i) {
    if (options.trunks[i].allows && options.trunks[i].allows(ip)) return static_cast<int>(i);
  }
  return -1;
}

void SipServer::Impl::OnInvite(nua_t* n, nua_handle_t* nh, sip_t const* sip) {
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

void SipServer::Impl::OnReInvite(nua_handle_t* nh, uint64_t call_id, bool agent_leg, sip_t const* sip) {
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

Call* SipServer::Impl::Find(uint64_t id) {
  auto it = calls.find(id);
  return it == calls.end() ? nullptr : it->second.get();
}

void SipServer::Impl::OnState(nua_handle_t* nh, int state) {
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

void SipServer::Impl::OnAck(nua_handle_t* nh, sip_t const* sip) {
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

void SipServer::Impl::OnInfo(nua_handle_t* nh, sip_t const* sip) {
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

}  // namespace onestop::sip
