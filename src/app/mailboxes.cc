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

}  // namespace onestop::app
