#include "app/dispositions.h"

#include "absl/strings/str_cat.h"
#include "codec/dispositions.h"
#include "common/status.h"

namespace onestop::app {

absl::StatusOr<std::vector<domain::Disposition>> LoadDispositions(domain::Store& store) {
  ONESTOP_ASSIGN_OR_RETURN(std::optional<std::string> text, store.GetSetting(kDispositionsSetting));
  if (!text) return std::vector<domain::Disposition>{};
  absl::StatusOr<std::vector<domain::Disposition>> read = codec::DispositionsFromJsonText(*text);
  if (!read.ok()) {
    return absl::DataLossError(
        absl::StrCat("the stored setting '", kDispositionsSetting, "' is not valid: ", read.status().message()));
  }
  return read;
}

}  // namespace onestop::app
