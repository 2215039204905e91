#include "app/telephony.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "codec/telephony.h"
#include "common/status.h"

namespace onestop::app {

absl::StatusOr<std::optional<domain::Telephony>> LoadTelephony(domain::Store& store) {
  ONESTOP_ASSIGN_OR_RETURN(std::optional<std::string> text, store.GetSetting(kTelephonySetting));
  if (!text) return std::optional<domain::Telephony>{};
  absl::StatusOr<domain::Telephony> read = codec::TelephonyFromJsonText(*text);
  if (!read.ok()) {
    return absl::DataLossError(absl::StrCat("the stored setting '", kTelephonySetting,
                                            "' is not valid: ", read.status().message()));
  }
  return std::optional<domain::Telephony>(*std::move(read));
}

}  // namespace onestop::app
