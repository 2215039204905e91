// The telephone call behind a voice interaction, as the desk controls it:
// hold (the caller hears music), resume, hang up, and the pause of the
// call's recording while the resident gives card details (PCI DSS).
//
// CallPort is what a telephone channel offers (sip::SipServer implements
// it); a node without one has none and the use case answers Unavailable.
// ControlCall is the use case: only the agent the interaction is connected
// to may act on its call, and only on a call this node carries.
//
// Threads: any (the port posts to its own thread and waits).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "domain/staff.h"
#include "routing/live_engine.h"

namespace onestop::services {

struct CallState {
  bool bridged = false;           // caller and agent talking (or on hold)
  bool on_hold = false;
  bool recording = false;         // the queue's policy records this call
  bool recording_paused = false;  // paused for a card payment
  bool callback = false;          // the engine's item is a call back the caller asked for
  bool outbound = false;          // a call out the agent made (click-to-dial): `caller` is who was rung
  bool survey = false;            // the caller answers the post-call question (agent gone)
  int64_t consult_agent_id = 0;   // consultative transfer: the colleague rung (0: none)
  bool consult_connected = false; // … who answered: the agents talk, the caller holds
};

class CallPort {
 public:
  virtual ~CallPort() = default;
  // NotFound: no call of this node carries the item; FailedPrecondition: the
  // call is not in a state that allows it (not bridged, already on hold …).
  virtual absl::Status Hold(int64_t item_id, bool on) = 0;
  virtual absl::Status HangUp(int64_t item_id) = 0;
  // FailedPrecondition when the call is not being recorded.
  virtual absl::Status PauseRecording(int64_t item_id, bool paused) = 0;
  virtual std::optional<CallState> State(int64_t item_id) const = 0;
  // Consultative transfer: the caller holds while `to_agent`'s phone rings
  // and the two agents talk; Complete hands the call over (the engine's
  // transfer to that agent, whose leg is already up), Cancel returns to the
  // caller. FailedPrecondition: not bridged, already consulting, the
  // colleague not available or without a phone; not answered (Complete).
  virtual absl::Status Consult(int64_t item_id, int64_t to_agent) = 0;
  virtual absl::Status CompleteConsult(const domain::Actor& agent, int64_t item_id) = 0;
  virtual absl::Status CancelConsult(int64_t item_id) = 0;
  // A call out for agent `agent_id` (click-to-dial): a voice item waiting
  // for that agent only; their phone rings first and, when they answer,
  // `number` is rung through the trunk. The new item's id.
  // FailedPrecondition: no calls out configured or no phone registered.
  virtual absl::StatusOr<int64_t> Dial(const domain::Actor& agent, const std::string& number,
                                       std::optional<int64_t> citizen_id) = 0;
};

// Click-to-dial: the agent rings a resident from their record.
class DialNumber {
 public:
  DialNumber(const routing::LiveEngine& engine, CallPort* port) : engine_(engine), port_(port) {}
  // `number`: digits, spaces, dashes and brackets, an optional leading +
  // (3 to 20 digits). InvalidArgument (field "number") otherwise;
  // FailedPrecondition when the actor is not signed in to routing;
  // Unavailable without a telephone on this node.
  absl::StatusOr<int64_t> Run(const domain::Actor& actor, const std::string& number,
                              std::optional<int64_t> citizen_id) const;

 private:
  const routing::LiveEngine& engine_;
  CallPort* port_;
};

class ControlCall {
 public:
  enum class Action { kHold, kResume, kHangUp, kPauseRecording, kResumeRecording, kCompleteConsult, kCancelConsult };
  ControlCall(const routing::LiveEngine& engine, CallPort* port) : engine_(engine), port_(port) {}
  // PermissionDenied for a role that does not take work; NotFound for an
  // unknown item or one held by someone else; FailedPrecondition when the
  // item is not a connected voice interaction or the call refuses the
  // action; Unavailable without a telephone on this node.
  absl::Status Run(const domain::Actor& actor, int64_t item_id, Action action) const;
  // Starts a consultative transfer to colleague `to_agent` (InvalidArgument
  // for oneself or an unknown agent).
  absl::Status Consult(const domain::Actor& actor, int64_t item_id, int64_t to_agent) const;
  // The call's state for its agent (nullopt: none / not theirs).
  std::optional<CallState> State(const domain::Actor& actor, int64_t item_id) const;

 private:
  const routing::LiveEngine& engine_;
  CallPort* port_;
};

}  // namespace onestop::services
