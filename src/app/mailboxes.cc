#include "app/mailboxes.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "codec/mailboxes.h"
#include "common/status.h"

namespace onestop::app {

absl::StatusOr<std::vector<domain::Mailbox>> LoadMailboxes(domain::Store& store) {
  ONESTOP_ASSIGN_OR_RETURN(std::optional<std::string> text, store.GetSetting(kMailboxesSetting));
  if (!text) return std::vector<domain::Mailbox>{};
  absl::StatusOr<std::vector<domain::Mailbox>> read = codec::MailboxesFromJsonText(*text);
  if (!read.ok()) {
    return absl::DataLossError(absl::StrCat("the stored setting '", kMailboxesSetting,
                                            "' is not valid: ", read.status().message()));
  }
  return read;
}

std::vector<domain::Mailbox> UnservedMailboxes(const std::vector<domain::Mailbox>& mailboxes,
                                               const std::vector<domain::RoutingProfile>& profiles) {
  std::vector<domain::Mailbox> out;
  if (profiles.empty()) return out;
  for (const domain::Mailbox& box : mailboxes) {
    bool served = false;
    for (const domain::RoutingProfile& p : profiles) {
      for (const domain::RoutingProfileQueue& q : p.queues) served = served || q.queue == box.queue;
    }
    if (!served) out.push_back(box);
  }
  return out;
}

}  // namespace onestop::app
