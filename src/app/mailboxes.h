// The council's mailboxes as the app keeps them: one store setting
// ("mailboxes", codec::MailboxesToJson text), written by `onestop seed-demo`
// from the council file's "mailboxes" and read by the server at start-up
// for the LMTP listener (src/mail).
#pragma once

#include <vector>

#include "absl/status/statusor.h"
#include "domain/mail.h"
#include "domain/routing_config.h"
#include "domain/store.h"

namespace onestop::app {

inline constexpr char kMailboxesSetting[] = "mailboxes";

// The stored mailboxes (none when none are stored). DataLoss naming the
// problem if the stored text does not read back.
absl::StatusOr<std::vector<domain::Mailbox>> LoadMailboxes(domain::Store& store);

// The mailboxes whose queue no routing profile takes (their mail would be
// offered to nobody: e.g. a queue added to the council file after the
// profiles were stored, which seed-demo leaves as they are). None when there
// are no profiles at all (then every agent takes every queue).
std::vector<domain::Mailbox> UnservedMailboxes(const std::vector<domain::Mailbox>& mailboxes,
                                               const std::vector<domain::RoutingProfile>& profiles);

}  // namespace onestop::app
