// Call recordings and post-call survey answers (domain/call_recording.h).
// The SIP server (src/sip) writes a call's WAV file into the node's
// recordings directory and then calls SaveCallRecording; after the survey
// it calls RecordCallSurvey. Supervisors and admins play a recording back
// (GetCallRecording, the API's GET /api/v1/contacts/{id}/recording);
// GetContactCallDetails says what a contact's reader may be shown.
// Housekeeping (services/housekeeping.h) deletes recordings past their
// delete_after.
//
// Events carry no personal data: "contact.call_recorded" (duration,
// paused time and pauses) and "contact.survey_answered" (the score), both
// on the interaction's contact (entity_id 0 when it has none).
//
// Thread-safe (holds references to thread-safe Deps only).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/call_recording.h"
#include "domain/staff.h"
#include "services/deps.h"

namespace onestop::services {

// Stores a recording the SIP server has written. `recording.contact_id` 0 =
// the contact of recording.interaction_id (none: stored without one).
// InvalidFields for an interaction id < 1, an empty queue, a path that is
// not inside the recordings directory (domain::ValidRecordingPath), negative
// sizes or a delete_after not after started_at; AlreadyExists for a path
// already stored. Returns the new row's id. No actor: the caller is the SIP
// server.
class SaveCallRecording {
 public:
  explicit SaveCallRecording(Deps deps) : deps_(deps) {}
  absl::StatusOr<int64_t> Run(domain::CallRecording recording) const;

 private:
  Deps deps_;
};

// A contact's recording for playing back: supervisors and admins only
// (PermissionDenied otherwise, Unauthenticated without a session); NotFound
// when the contact has none or it is past its delete_after.
class GetCallRecording {
 public:
  explicit GetCallRecording(Deps deps) : deps_(deps) {}
  absl::StatusOr<domain::CallRecording> Run(const domain::Actor& actor, int64_t contact_id) const;

 private:
  Deps deps_;
};

// A caller's answer to the post-call survey: `score` 1..5 (InvalidFields
// "score" integer_range otherwise), on the interaction's contact if it has
// one. AlreadyExists when the interaction already has an answer. Returns
// the new row's id. No actor: the caller is the SIP server.
class RecordCallSurvey {
 public:
  explicit RecordCallSurvey(Deps deps) : deps_(deps) {}
  absl::StatusOr<int64_t> Run(int64_t interaction_id, int64_t agent_id, const std::string& queue,
                              int score, absl::Time at) const;

 private:
  Deps deps_;
};

// What a contact's reader is shown of its call: the recording only to
// those GetCallRecording lets play it (and only while it is kept), the
// survey score to everyone who may read contacts. The caller has already
// checked that `actor` may read the contact itself.
struct ContactCallDetails {
  std::optional<domain::CallRecording> recording;
  std::optional<int> satisfaction;  // 1..5
};

class GetContactCallDetails {
 public:
  explicit GetContactCallDetails(Deps deps) : deps_(deps) {}
  absl::StatusOr<ContactCallDetails> Run(const domain::Actor& actor, int64_t contact_id) const;

 private:
  Deps deps_;
};

}  // namespace onestop::services
