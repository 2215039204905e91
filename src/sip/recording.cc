// SipServer::Impl (sip/server_impl.h): recording (the queue's policy), the PCI pause and the post-
// call survey.
#include "sip/server_impl.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "domain/call_recording.h"
#include "media/recorder.h"
#include "services/call_recordings.h"
#include "spdlog/spdlog.h"

namespace onestop::sip {

// ---- recording (the queue's policy) and the PCI pause ------------------

void SipServer::Impl::StartRecording(Call& call) {
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

void SipServer::Impl::FinishRecording(Call& call) {
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

void SipServer::Impl::AgentLeft(Call& call) {
  DeskChanged(call);
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

void SipServer::Impl::OnSurveyDigit(Call& call, char digit) {
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

}  // namespace onestop::sip
