// One contact per routed interaction. A call, chat, email or visitor that
// the routing engine connects to an agent is one contact record from the
// moment the agent accepts it: the contact carries the interaction's id
// (at most one contact each: a unique index), and everything the agent does
// during the interaction lands on it — the resident they identify, the case
// they raise (OpenCase with NewCase::interaction_id updates this contact
// instead of adding another), and at the end the wrap-up: the disposition
// (domain/disposition.h), the service it was about and the duration, taken
// from the engine's own times (connect → complete). Case tasks are internal
// work and record no contact.
//
// Threads: any (the store and the engine are thread-safe).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/contact.h"
#include "domain/disposition.h"
#include "domain/staff.h"
#include "routing/engine.h"
#include "services/deps.h"

namespace onestop::services {

// The channel a routed medium is a contact on (nullopt: case tasks).
std::optional<domain::Channel> ChannelOfMedia(routing::Media media);

// Creates the interaction's contact when the agent accepts it (or returns
// the one already there: accepting again after a transfer keeps the one
// contact and makes the new agent its staff member). `citizen_id`: the
// screen-pop's match, if exactly one resident has the caller's number.
class StartInteractionContact {
 public:
  explicit StartInteractionContact(Deps deps) : deps_(deps) {}
  absl::StatusOr<std::optional<domain::Contact>> Run(const domain::Actor& actor,
                                                     const routing::ItemView& item,
                                                     std::optional<int64_t> citizen_id) const;

 private:
  Deps deps_;
};

// The contact of interaction `interaction_id` (NotFound when it has none).
class GetInteractionContact {
 public:
  explicit GetInteractionContact(Deps deps) : deps_(deps) {}
  absl::StatusOr<domain::Contact> Run(const domain::Actor& actor, int64_t interaction_id) const;

 private:
  Deps deps_;
};

// The agent says who the interaction is with (the resident whose record
// they have open), and optionally what it is about so far (`reason`) and
// how it went (`outcome`): the single view's contact form during a call
// writes on the call's contact instead of adding one. The caller has
// checked the agent holds the interaction.
class LinkInteractionCitizen {
 public:
  explicit LinkInteractionCitizen(Deps deps) : deps_(deps) {}
  absl::StatusOr<domain::Contact> Run(const domain::Actor& actor, int64_t interaction_id,
                                      int64_t citizen_id, const std::string& reason = "",
                                      std::optional<domain::ContactOutcome> outcome = std::nullopt) const;

 private:
  Deps deps_;
};

// A phone call's conversation ended (either side hung up) while the agent
// still holds the interaction for its wrap-up: the contact's duration is
// the call's (first connect → hang-up), kept when the wrap-up is recorded
// later. Written by the telephone channel (src/sip) as the system actor; an
// interaction without a contact (never answered) is left alone (OK).
class EndInteractionCall {
 public:
  explicit EndInteractionCall(Deps deps) : deps_(deps) {}
  absl::Status Run(int64_t interaction_id, absl::Time ended_at) const;

 private:
  Deps deps_;
};

struct WrapUp {
  std::string disposition;   // a code of the council's list; empty: none given
  std::string service_code;  // what the contact was about; empty: keep what is known
  std::string note;          // the agent's words, kept as the contact's reason when given
  bool require_disposition = false;  // the desk asks for one; the API may leave it out
};

// Records the wrap-up on the interaction's contact: disposition (checked
// against the council's list for the item's queue and service; its outcome
// becomes the contact's outcome unless a case was raised), service and
// duration = now − connected (unless the call's end set it: EndInteractionCall). InvalidFields for a missing or unknown
// disposition or service. The caller then completes the item in the engine.
class FinishInteractionContact {
 public:
  FinishInteractionContact(Deps deps, const std::vector<domain::Disposition>& dispositions)
      : deps_(deps), dispositions_(dispositions) {}
  absl::StatusOr<std::optional<domain::Contact>> Run(const domain::Actor& actor,
                                                     const routing::ItemView& item,
                                                     const WrapUp& wrap_up) const;

 private:
  Deps deps_;
  const std::vector<domain::Disposition>& dispositions_;
};

}  // namespace onestop::services
