// A contact: one interaction between the council and a resident on one
// channel (a call, a visit, a web form, an email ...). Contacts with their
// cases make up the single view of the citizen.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "domain/channel.h"

namespace onestop::domain {

enum class Direction { kInbound, kOutbound };
std::string_view DirectionName(Direction d);  // "inbound", "outbound"
std::optional<Direction> ParseDirection(std::string_view name);

enum class ContactOutcome {
  kResolvedFirstContact,  // answered there and then (FCR)
  kCaseRaised,
  kCaseUpdated,
  kInformationGiven,
  kTransferred,
  kAbandoned,
  kOther,
};
std::string_view ContactOutcomeName(ContactOutcome o);  // "resolved_first_contact", "case_raised", "case_updated", "information_given", "transferred", "abandoned", "other"
std::optional<ContactOutcome> ParseContactOutcome(std::string_view name);

struct Contact {
  int64_t id = 0;
  Channel channel = Channel::kPhone;
  Direction direction = Direction::kInbound;
  absl::Time at;
  std::optional<int64_t> staff_id;
  std::optional<int64_t> citizen_id;
  std::optional<int64_t> case_id;
  std::string service_code;  // what it was about, if known
  std::string reason;        // free text
  ContactOutcome outcome = ContactOutcome::kOther;
  absl::Duration duration = absl::ZeroDuration();
  // The routed interaction (routing item id) this contact records: at most
  // one contact per interaction. Empty for contacts recorded by hand.
  std::optional<int64_t> interaction_id;
  // The agent's wrap-up code (council-defined, domain/disposition.h); empty
  // when none was given.
  std::string disposition;
  bool operator==(const Contact&) const = default;
};

struct ContactQuery {
  std::optional<int64_t> id;
  std::optional<int64_t> interaction_id;
  std::optional<int64_t> citizen_id;
  std::optional<int64_t> case_id;
  std::optional<Channel> channel;
  int64_t after_id = 0;
  int limit = 50;
};

}  // namespace onestop::domain
