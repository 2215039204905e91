#include "services/call_control.h"

#include "common/status.h"
#include "services/permissions.h"

namespace onestop::services {
namespace {

bool Holds(const routing::LiveEngine& engine, const domain::Actor& actor, int64_t item_id, absl::Status* why) {
  std::optional<routing::ItemView> item = engine.Item(item_id);
  if (!item || item->agent_id != actor.staff_id) {
    *why = absl::NotFoundError("no such interaction of yours");
    return false;
  }
  if (item->media != routing::Media::kVoice || item->state != routing::ItemState::kConnected) {
    *why = absl::FailedPreconditionError("not a connected call");
    return false;
  }
  return true;
}

}  // namespace

absl::Status ControlCall::Run(const domain::Actor& actor, int64_t item_id, Action action) const {
  if (absl::Status s = Authorize(actor, Permission::kRouteWork); !s.ok()) return s;
  absl::Status why;
  if (!Holds(engine_, actor, item_id, &why)) return why;
  if (port_ == nullptr) return absl::UnavailableError("no telephone on this node");
  switch (action) {
    case Action::kHold:
      return port_->Hold(item_id, true);
    case Action::kResume:
      return port_->Hold(item_id, false);
    case Action::kHangUp:
      return port_->HangUp(item_id);
    case Action::kPauseRecording:
      return port_->PauseRecording(item_id, true);
    case Action::kResumeRecording:
      return port_->PauseRecording(item_id, false);
    case Action::kCompleteConsult:
      return port_->CompleteConsult(actor, item_id);
    case Action::kCancelConsult:
      return port_->CancelConsult(item_id);
  }
  return absl::InvalidArgumentError("unknown action");
}

absl::StatusOr<int64_t> DialNumber::Run(const domain::Actor& actor, const std::string& number,
                                        std::optional<int64_t> citizen_id) const {
  if (absl::Status s = Authorize(actor, Permission::kRouteWork); !s.ok()) return s;
  std::string digits;
  bool ok = !number.empty() && number.size() <= 40;
  for (size_t i = 0; ok && i < number.size(); ++i) {
    const char c = number[i];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else if (c == '+' && digits.empty() && i == number.find_first_not_of(' ')) {
      digits.push_back(c);
    } else if (c != ' ' && c != '-' && c != '(' && c != ')') {
      ok = false;
    }
  }
  const size_t count = digits.size() - (digits.starts_with('+') ? 1 : 0);
  if (!ok || count < 3 || count > 20) {
    return InvalidFields("The number is not valid", {{"number", "invalid", "phone_format", {}}});
  }
  std::optional<routing::AgentView> agent = engine_.Agent(actor.staff_id);
  if (!agent || agent->chosen == routing::Presence::kOffline) {
    return absl::FailedPreconditionError("sign in to routing to make calls");
  }
  if (agent->load[static_cast<int>(routing::Media::kVoice)] > 0) {
    // The call out would wait behind the call they hold: say so instead.
    return absl::FailedPreconditionError("already on a call");
  }
  if (port_ == nullptr) return absl::UnavailableError("no telephone on this node");
  return port_->Dial(actor, digits, citizen_id);
}

absl::Status ControlCall::Consult(const domain::Actor& actor, int64_t item_id, int64_t to_agent) const {
  if (absl::Status s = Authorize(actor, Permission::kRouteWork); !s.ok()) return s;
  absl::Status why;
  if (!Holds(engine_, actor, item_id, &why)) return why;
  if (to_agent == actor.staff_id) {
    return InvalidFields("The consult is not valid", {{"agent_id", "invalid", "transfer_to_self", {}}});
  }
  if (!engine_.Agent(to_agent)) {
    return InvalidFields("The consult is not valid", {{"agent_id", "unknown", "no_such_agent", {}}});
  }
  if (port_ == nullptr) return absl::UnavailableError("no telephone on this node");
  return port_->Consult(item_id, to_agent);
}

std::optional<CallState> ControlCall::State(const domain::Actor& actor, int64_t item_id) const {
  if (port_ == nullptr || !Authorize(actor, Permission::kRouteWork).ok()) return std::nullopt;
  std::optional<routing::ItemView> item = engine_.Item(item_id);
  if (!item || item->agent_id != actor.staff_id) return std::nullopt;
  return port_->State(item_id);
}

}  // namespace onestop::services
