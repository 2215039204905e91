// JSON ⇄ domain::Theme, in two forms (docs/catalogue-format.md#theme):
//
//   - the council file's "theme", where "logo" is the path of an image file
//     next to the council file ("theme/fairhaven-logo.svg"), read through a
//     FileReader the caller supplies;
//   - the stored form (the "theme" setting, and the API), where the logo
//     travels inline as "logo_type" and "logo_base64" (libsodium's base64,
//     the original alphabet with padding).
//
// Both are strict (json_reader.h) and report every problem with paths under
// "theme" ("theme.colours.brand", "theme.translations.cy.footer_links[0]").
// Reading does not apply domain::ValidateTheme's rules (contrast, safe
// links); ParseCouncilFile does, and so does app::LoadTheme. Stateless; any
// thread (the FileReader permitting).
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "codec/json_reader.h"
#include "domain/theme.h"

namespace onestop::codec {

// Returns the bytes of a file named in the council file by a path relative
// to the council file's directory ("theme/logo.svg"); NotFound (or another
// error) when it cannot. The codec checks the path first: relative, "/"
// separated, no "." or ".." segments.
using FileReader = std::function<absl::StatusOr<std::string>(const std::string& relative_path)>;

// The council file's "theme" at `path` (normally "theme"). Keys left out take
// domain::DefaultTheme()'s values, except "name", left empty for the caller
// (ParseCouncilFile uses the council's name). The logo's type comes from the
// file name: ".svg" image/svg+xml, ".png" image/png. Without `files` a logo
// is a "not_found" error.
std::optional<domain::Theme> ReadCouncilTheme(const boost::json::value& json,
                                              std::string_view path, ErrorList& errors,
                                              const FileReader& files);

// Every key, the logo as "logo_type" + "logo_base64" ("" and "" without one).
boost::json::object ThemeToJson(const domain::Theme& theme);
// Reads ThemeToJson's form back (errors under "theme"); keys left out take
// domain::DefaultTheme()'s values.
absl::StatusOr<domain::Theme> ThemeFromJson(const boost::json::value& json);

}  // namespace onestop::codec
