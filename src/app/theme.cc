#include "app/theme.h"

#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "codec/json_reader.h"
#include "codec/theme.h"
#include "common/status.h"

namespace onestop::app {

absl::StatusOr<domain::Theme> LoadTheme(domain::Store& store) {
  ONESTOP_ASSIGN_OR_RETURN(std::optional<std::string> text, store.GetSetting(kThemeSetting));
  if (!text) return domain::DefaultTheme();
  auto corrupt = [](const absl::Status& status) {
    std::string message = absl::StrCat("the stored theme is not usable: ", status.message());
    for (const FieldError& e : FieldErrorsOf(status)) {
      absl::StrAppend(&message, "; ", e.field, " ", e.code, " (", e.reason, ")");
    }
    return absl::DataLossError(message);
  };
  absl::StatusOr<boost::json::value> json = codec::ParseJson(*text);
  if (!json.ok()) return corrupt(json.status());
  absl::StatusOr<domain::Theme> theme = codec::ThemeFromJson(*json);
  if (!theme.ok()) return corrupt(theme.status());
  if (absl::Status valid = domain::ValidateTheme(*theme); !valid.ok()) return corrupt(valid);
  return theme;
}

}  // namespace onestop::app
