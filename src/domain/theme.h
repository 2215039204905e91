// A council's look and its standing texts: the name in the header, the logo,
// three colours, the footer links and the pages every council site has
// (privacy notice, accessibility statement, cookies, contact us). The web
// pages and the TV app draw them; the council file sets them ("theme",
// docs/catalogue-format.md) and the store keeps them as one setting.
//
// Texts people read have translations (ThemeText); ThemeIn picks a
// language's with English as the fallback. ValidateTheme holds the rules —
// colours readable to WCAG 2.x AA, links that cannot run script, a logo
// that is what it says it is. Plain values, no I/O; any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "domain/language.h"

namespace onestop::domain {

struct ThemeLink {
  std::string text;  // "Privacy"
  std::string href;  // "https://…", "http://…", "/path", "mailto:…" or "tel:…"
  bool operator==(const ThemeLink&) const = default;
};

// The theme's translatable texts in one language. Empty texts (and an empty
// footer_links list) fall back to the English ones.
struct ThemeText {
  std::string name;
  std::vector<ThemeLink> footer_links;
  std::string opening_hours;
  std::string address;
  std::string privacy_notice;           // Markdown
  std::string accessibility_statement;  // Markdown
  std::string cookies;                  // Markdown
  std::string contact;                  // Markdown
  bool operator==(const ThemeText&) const = default;
};

struct Theme {
  using Link = ThemeLink;
  std::string name;       // shown in the header: "Borough of Fairhaven"
  std::string logo;       // the image's bytes; empty = no logo (the name is shown)
  std::string logo_type;  // "image/svg+xml" or "image/png"; empty without a logo
  // "#rrggbb": the header's background, the header's text on it, and links
  // (on the white page).
  std::string colour_brand;
  std::string colour_header_text;
  std::string colour_link;
  std::vector<Link> footer_links;
  std::string phone;          // "01632 960000"
  std::string opening_hours;  // "Monday to Friday, 9am to 5pm"
  std::string address;        // postal address, lines separated by "\n"
  std::string privacy_notice;           // Markdown
  std::string accessibility_statement;  // Markdown
  std::string cookies;                  // Markdown
  std::string contact;                  // Markdown
  Translations<ThemeText> translations = {};
  bool operator==(const Theme&) const = default;
};

inline constexpr std::string_view kLogoSvg = "image/svg+xml";
inline constexpr std::string_view kLogoPng = "image/png";
// The largest logo accepted, in bytes.
inline constexpr size_t kMaxLogoBytes = 512 * 1024;
// WCAG 2.x level AA for normal text.
inline constexpr double kMinContrast = 4.5;

// The theme of a store that has none: "Council services", near-black
// (#0b0c0c) header with white text, GOV.UK link blue (#1d70b8), no logo.
Theme DefaultTheme();

// `theme` with the translatable texts of `lang` in place of the English
// ones where they are given; `translations` is left as it was. "en" (or any
// language without texts) gives the English theme.
Theme ThemeIn(const Theme& theme, std::string_view lang);

// True for "#rrggbb" (hex digits in either case).
bool IsHexColour(std::string_view colour);
// WCAG 2.x relative luminance of an "#rrggbb" colour (0 black … 1 white);
// nullopt if it is not one.
std::optional<double> RelativeLuminance(std::string_view colour);
// WCAG 2.x contrast ratio (1 … 21) of two "#rrggbb" colours, in either
// order; nullopt if either is not a colour.
std::optional<double> ContrastRatio(std::string_view a, std::string_view b);

// InvalidArgument with field errors (fields "theme.name",
// "theme.colours.brand", "theme.footer_links[0].href", "theme.logo",
// "theme.translations.cy.footer_links[1].text" …) unless:
//   - the name is not blank (at most 200 bytes);
//   - each colour is "#rrggbb";
//   - contrast is at least 4.5 for brand against white, header_text against
//     brand and link against white (reason "contrast", params "ratio" — two
//     decimals, rounded down — and "minimum");
//   - every footer link has text and an href of a safe scheme (https:,
//     http:, mailto:, tel: or a path starting with "/"), at most 20 links;
//   - a logo is at most kMaxLogoBytes, logo_type is kLogoSvg or kLogoPng and
//     the bytes match it (a PNG signature; an SVG document without script,
//     event attributes or javascript: URLs);
//   - translation keys are language codes.
absl::Status ValidateTheme(const Theme& theme);

}  // namespace onestop::domain
