// The council's theme as the app keeps it: one store setting ("theme"),
// written by `onestop seed-demo` from the council file (app/seed.h) and read
// by the server at start-up.
#pragma once

#include "absl/status/statusor.h"
#include "domain/store.h"
#include "domain/theme.h"

namespace onestop::app {

// The store's setting key for the theme (codec::ThemeToJson text).
inline constexpr char kThemeSetting[] = "theme";

// The stored theme, checked by domain::ValidateTheme; domain::DefaultTheme()
// when none is stored. DataLoss if the stored text does not read back or
// breaks the rules (a hand-edited row), naming the problem.
absl::StatusOr<domain::Theme> LoadTheme(domain::Store& store);

}  // namespace onestop::app
