// SipServer::Impl (sip/server_impl.h): the ends of calls, the timer (Tick) and the prompts' warm-up
// (Warm).
#include "sip/server_impl.h"

#include <algorithm>

#include "i18n/translator.h"
#include "services/interactions.h"
#include "spdlog/spdlog.h"

namespace onestop::sip {

// ---- ends --------------------------------------------------------------

void SipServer::Impl::CallerGone(Call& call) {
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

void SipServer::Impl::EndCall(Call& call) {
  if (call.phase == Phase::kEnded) return;
  if (call.phase == Phase::kBridged) RecordCallEnd(call);
  if (call.phase == Phase::kQueued || call.phase == Phase::kRinging || call.phase == Phase::kCallback) {
    (void)engine.Abandon(call.item_id);
  }
  call.phase = Phase::kEnded;
  HangUpAll(call);
  UpdateStats();
}

void SipServer::Impl::RecordCallEnd(Call& call) {
  DeskChanged(call);
  FinishRecording(call);
  if (call.call_end_recorded || call.item_id == 0) return;
  call.call_end_recorded = true;
  if (absl::Status s = services::EndInteractionCall(deps).Run(call.item_id, deps.clock.Now()); !s.ok()) {
    spdlog::warn("sip: cannot record the end of call {}: {}", call.id, s.ToString());
  }
}

void SipServer::Impl::HangUpAll(Call& call) {
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

void SipServer::Impl::MaybeForget(Call& call) {
  if (call.caller.nh != nullptr || call.agent.nh != nullptr || call.consult.nh != nullptr) return;
  if (call.phase == Phase::kCallback || call.phase == Phase::kRinging) return;  // a call back still to make
  if (call.caller.rtp) call.caller.rtp->Close();
  if (call.agent.rtp) call.agent.rtp->Close();
  if (call.consult.rtp) call.consult.rtp->Close();
  if (call.item_id != 0) call_of_item.erase(call.item_id);
  calls.erase(call.id);
  UpdateStats();
}

void SipServer::Impl::MeasureJitter() {
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

void SipServer::Impl::Tick() {
  if (const bool now_leading = engine.leading(); now_leading != leading) {
    leading = now_leading;
    OnLeadership(now_leading);
  }
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

void SipServer::Impl::OnHangUp(nua_handle_t* nh) {
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

}  // namespace onestop::sip
