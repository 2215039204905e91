// SipServer::Impl (sip/server_impl.h): the desk's call control (services::CallPort) and the legs'
// SIP events (state, BYE/CANCEL, ACK, INFO).
#include "sip/server_impl.h"

#include "absl/strings/str_cat.h"
#include "media/recorder.h"
#include "sip/sdp.h"
#include "spdlog/spdlog.h"

namespace onestop::sip {

// ---- the desk's call control (services::CallPort) ---------------------

void SipServer::Impl::SetHold(Call& call, bool on) {
  DeskChanged(call);
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

Call* SipServer::Impl::CallOfItem(int64_t item_id) {
  auto it = call_of_item.find(item_id);
  return it == call_of_item.end() ? nullptr : Find(it->second);
}

absl::Status SipServer::Impl::Hold(int64_t item_id, bool on) {
  Call* call = CallOfItem(item_id);
  if (call == nullptr || call->phase == Phase::kEnded) return absl::NotFoundError("no call for the interaction");
  if (call->phase != Phase::kBridged) return absl::FailedPreconditionError("the call is not connected");
  if (call->on_hold == on) return absl::FailedPreconditionError(on ? "already on hold" : "not on hold");
  SetHold(*call, on);
  return absl::OkStatus();
}

absl::Status SipServer::Impl::HangUp(int64_t item_id) {
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

absl::Status SipServer::Impl::PauseRecording(int64_t item_id, bool paused) {
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

absl::StatusOr<int64_t> SipServer::Impl::Dial(const domain::Actor& actor, const std::string& number,
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

std::optional<services::CallState> SipServer::Impl::State(int64_t item_id) {
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

}  // namespace onestop::sip
