#include "services/call_recordings.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "services/events_util.h"
#include "services/permissions.h"

namespace onestop::services {
namespace {

// The event on the interaction's contact (entity_id 0 when there is none).
domain::Event CallEvent(absl::Time at, int64_t contact_id,
                        const std::optional<domain::Contact>& contact, std::string type) {
  domain::Event e = MakeEvent(domain::Actor::System(), at, "contact", contact_id, std::move(type));
  e.channel = domain::Channel::kPhone;
  if (contact) {
    e.citizen_id = contact->citizen_id;
    e.case_id = contact->case_id;
  }
  return e;
}

// The contact of `interaction_id` when `contact_id` is 0, else that contact
// (NotFound if it does not exist).
absl::StatusOr<std::optional<domain::Contact>> ContactFor(domain::WriteTxn& txn,
                                                          int64_t interaction_id,
                                                          int64_t contact_id) {
  ONESTOP_ASSIGN_OR_RETURN(std::optional<domain::Contact> by_interaction,
                           txn.FindContactByInteraction(interaction_id));
  if (contact_id == 0 || (by_interaction && by_interaction->id == contact_id)) return by_interaction;
  // A contact named by the caller that is not the interaction's: the store's
  // foreign key checks it exists; its citizen is not put on the event.
  return std::optional<domain::Contact>();
}

}  // namespace

absl::StatusOr<int64_t> SaveCallRecording::Run(domain::CallRecording recording) const {
  std::vector<FieldError> errors;
  if (recording.interaction_id < 1) {
    errors.push_back({"interaction_id", "invalid", "interaction_id_format", {}});
  }
  if (recording.queue.empty()) errors.push_back({"queue", "required", "queue_required", {}});
  if (!domain::ValidRecordingPath(recording.path)) {
    errors.push_back({"path", "invalid", "recording_path", {}});
  }
  if (recording.duration_ms < 0 || recording.paused_ms < 0 || recording.pauses < 0 ||
      recording.bytes < 0 || recording.paused_ms > recording.duration_ms) {
    errors.push_back({"duration_ms", "invalid", "recording_sizes", {}});
  }
  if (recording.delete_after <= recording.started_at) {
    errors.push_back({"delete_after", "invalid", "recording_delete_after", {}});
  }
  if (!errors.empty()) return InvalidFields("The call recording is not valid", errors);
  recording.id = 0;
  int64_t id = 0;
  ONESTOP_RETURN_IF_ERROR(deps_.store.Write([&](domain::WriteTxn& txn) -> absl::Status {
    ONESTOP_ASSIGN_OR_RETURN(std::optional<domain::Contact> contact,
                             ContactFor(txn, recording.interaction_id, recording.contact_id));
    domain::CallRecording row = recording;
    if (row.contact_id == 0 && contact) row.contact_id = contact->id;
    ONESTOP_ASSIGN_OR_RETURN(id, txn.InsertCallRecording(row));
    domain::Event e = CallEvent(deps_.clock.Now(), row.contact_id, contact, "contact.call_recorded");
    e.entity_key = absl::StrCat("recording:", id);
    e.changes.push_back({"duration_seconds", "", absl::StrCat(row.duration_ms / 1000)});
    e.changes.push_back({"paused_seconds", "", absl::StrCat(row.paused_ms / 1000)});
    e.changes.push_back({"pauses", "", absl::StrCat(row.pauses)});
    return txn.AppendEvent(e).status();
  }));
  return id;
}

absl::StatusOr<domain::CallRecording> GetCallRecording::Run(const domain::Actor& actor,
                                                            int64_t contact_id) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kSuperviseRouting));
  ONESTOP_ASSIGN_OR_RETURN(std::optional<domain::CallRecording> recording,
                           deps_.store.GetContactCallRecording(contact_id));
  // Past its retention it is gone for everyone, whether or not housekeeping
  // has deleted the file yet.
  if (!recording || recording->delete_after <= deps_.clock.Now()) {
    return absl::NotFoundError(absl::StrCat("contact ", contact_id, " has no recording"));
  }
  return *std::move(recording);
}

absl::StatusOr<int64_t> RecordCallSurvey::Run(int64_t interaction_id, int64_t agent_id,
                                              const std::string& queue, int score,
                                              absl::Time at) const {
  std::vector<FieldError> errors;
  if (score < domain::kMinSurveyScore || score > domain::kMaxSurveyScore) {
    errors.push_back({"score",
                      "invalid",
                      "integer_range",
                      {{"min", absl::StrCat(domain::kMinSurveyScore)},
                       {"max", absl::StrCat(domain::kMaxSurveyScore)}}});
  }
  if (interaction_id < 1) {
    errors.push_back({"interaction_id", "invalid", "interaction_id_format", {}});
  }
  if (!errors.empty()) return InvalidFields("The survey answer is not valid", errors);
  int64_t id = 0;
  ONESTOP_RETURN_IF_ERROR(deps_.store.Write([&](domain::WriteTxn& txn) -> absl::Status {
    ONESTOP_ASSIGN_OR_RETURN(std::optional<domain::Contact> contact,
                             txn.FindContactByInteraction(interaction_id));
    domain::CallSurvey survey;
    survey.interaction_id = interaction_id;
    survey.contact_id = contact ? contact->id : 0;
    survey.queue = queue;
    survey.agent_id = agent_id;
    survey.score = score;
    survey.answered_at = at;
    ONESTOP_ASSIGN_OR_RETURN(id, txn.InsertCallSurvey(survey));
    domain::Event e = CallEvent(at, survey.contact_id, contact, "contact.survey_answered");
    e.entity_key = queue;
    e.changes.push_back({"satisfaction", "", absl::StrCat(score)});
    return txn.AppendEvent(e).status();
  }));
  return id;
}

absl::StatusOr<ContactCallDetails> GetContactCallDetails::Run(const domain::Actor& actor,
                                                              int64_t contact_id) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kRecordContacts));
  ContactCallDetails details;
  if (Authorize(actor, Permission::kSuperviseRouting).ok()) {
    absl::StatusOr<domain::CallRecording> recording = GetCallRecording(deps_).Run(actor, contact_id);
    if (recording.ok()) {
      details.recording = *std::move(recording);
    } else if (!absl::IsNotFound(recording.status())) {
      return recording.status();
    }
  }
  ONESTOP_ASSIGN_OR_RETURN(std::optional<domain::CallSurvey> survey,
                           deps_.store.GetContactCallSurvey(contact_id));
  if (survey) details.satisfaction = survey->score;
  return details;
}

}  // namespace onestop::services
