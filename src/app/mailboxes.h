// The council's mailboxes as the app keeps them: one store setting
// ("mailboxes", codec::MailboxesToJson text), written by `onestop seed-demo`
// from the council file's "mailboxes" and read by the server at start-up
// for the LMTP listener (src/mail).
#pragma once

#include <vector>

#include "absl/status/statusor.h"
#include "domain/mail.h"
#include "domain/store.h"

namespace onestop::app {

inline constexpr char kMailboxesSetting[] = "mailboxes";

// The stored mailboxes (none when none are stored). DataLoss naming the
// problem if the stored text does not read back.
absl::StatusOr<std::vector<domain::Mailbox>> LoadMailboxes(domain::Store& store);

}  // namespace onestop::app
