#include "domain/theme.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status.h"

namespace onestop::domain {
namespace {

constexpr size_t kMaxNameBytes = 200;
constexpr size_t kMaxFooterLinks = 20;

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// sRGB channel (0-255) to linear light, as WCAG 2.x defines it.
double Linear(int channel) {
  const double c = channel / 255.0;
  return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

// "4.48" for 4.4859: rounded down so a failing ratio never reads as the
// minimum; trailing zeros dropped ("2.1", "3").
// Debian's Abseil has its own string_view type, so these take std's.
std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = absl::ascii_tolower(static_cast<unsigned char>(c));
  return out;
}

bool Blank(std::string_view s) {
  for (char c : s) {
    if (!absl::ascii_isspace(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::string RatioText(double ratio) {
  std::string text = absl::StrFormat("%.2f", std::floor(ratio * 100) / 100);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

bool SafeHref(std::string_view href) {
  if (href.size() >= 2 && href[0] == '/' && href[1] == '/') return false;  // another host, any scheme
  if (!href.empty() && href[0] == '/') return true;
  const std::string lower = Lower(href);
  for (std::string_view scheme : {"https://", "http://", "mailto:", "tel:"}) {
    if (lower.starts_with(scheme) && lower.size() > scheme.size()) return true;
  }
  return false;
}

void CheckLinks(const std::vector<ThemeLink>& links, const std::string& where,
                std::vector<FieldError>& errors) {
  if (links.size() > kMaxFooterLinks) {
    errors.push_back({where, "too_many", "footer_links_count",
                      {{"max", absl::StrCat(kMaxFooterLinks)}}});
  }
  for (size_t link_idx = 0; link_idx < links.size(); ++link_idx) {
    const std::string at = absl::StrCat(where, "[", link_idx, "]");
    if (Blank(links[link_idx].text)) {
      errors.push_back({at + ".text", "required", "link_text_required", {}});
    }
    if (!SafeHref(links[link_idx].href)) {
      errors.push_back({at + ".href", "invalid", "link_href", {}});
    }
  }
}

// Script can run from an SVG opened as a document; refuse what would run it.
bool SvgLooksSafe(std::string_view svg) {
  const std::string lower = Lower(svg);
  if (lower.find("<svg") == std::string::npos) return false;
  for (std::string_view bad : {"<script", "javascript:", "<foreignobject", "<iframe", "<embed",
                               "<object"}) {
    if (lower.find(bad) != std::string::npos) return false;
  }
  // Event-handler attributes: whitespace, "on", letters, optional space, "=".
  for (size_t pos = lower.find("on"); pos != std::string::npos; pos = lower.find("on", pos + 2)) {
    if (pos == 0 || !absl::ascii_isspace(static_cast<unsigned char>(lower[pos - 1]))) continue;
    size_t end = pos + 2;
    while (end < lower.size() && absl::ascii_isalpha(static_cast<unsigned char>(lower[end]))) ++end;
    if (end == pos + 2) continue;
    while (end < lower.size() && absl::ascii_isspace(static_cast<unsigned char>(lower[end]))) ++end;
    if (end < lower.size() && lower[end] == '=') return false;
  }
  return true;
}

void CheckLogo(const Theme& theme, std::vector<FieldError>& errors) {
  if (theme.logo.empty()) return;
  if (theme.logo.size() > kMaxLogoBytes) {
    errors.push_back({"theme.logo", "too_long", "logo_size",
                      {{"max_kb", absl::StrCat(kMaxLogoBytes / 1024)}}});
    return;
  }
  if (theme.logo_type == kLogoPng) {
    if (!theme.logo.starts_with(std::string_view("\x89PNG\r\n\x1a\n", 8))) {
      errors.push_back({"theme.logo", "invalid", "logo_content", {{"type", theme.logo_type}}});
    }
  } else if (theme.logo_type == kLogoSvg) {
    if (!SvgLooksSafe(theme.logo)) {
      errors.push_back({"theme.logo", "invalid", "logo_content", {{"type", theme.logo_type}}});
    }
  } else {
    errors.push_back({"theme.logo", "invalid", "logo_type", {{"type", theme.logo_type}}});
  }
}

}  // namespace

Theme DefaultTheme() {
  Theme theme;
  theme.name = "Council services";
  theme.colour_brand = "#0b0c0c";
  theme.colour_header_text = "#ffffff";
  theme.colour_link = "#1d70b8";
  return theme;
}

Theme ThemeIn(const Theme& theme, std::string_view lang) {
  Theme out = theme;
  auto it = theme.translations.find(std::string(lang));
  if (it == theme.translations.end()) return out;
  const ThemeText& text = it->second;
  auto use = [](std::string& field, const std::string& translated) {
    if (!translated.empty()) field = translated;
  };
  use(out.name, text.name);
  if (!text.footer_links.empty()) out.footer_links = text.footer_links;
  use(out.opening_hours, text.opening_hours);
  use(out.address, text.address);
  use(out.privacy_notice, text.privacy_notice);
  use(out.accessibility_statement, text.accessibility_statement);
  use(out.cookies, text.cookies);
  use(out.contact, text.contact);
  return out;
}

bool IsHexColour(std::string_view colour) {
  if (colour.size() != 7 || colour[0] != '#') return false;
  for (size_t idx = 1; idx < colour.size(); ++idx) {
    if (HexDigit(colour[idx]) < 0) return false;
  }
  return true;
}

std::optional<double> RelativeLuminance(std::string_view colour) {
  if (!IsHexColour(colour)) return std::nullopt;
  auto channel = [&](size_t at) { return HexDigit(colour[at]) * 16 + HexDigit(colour[at + 1]); };
  return 0.2126 * Linear(channel(1)) + 0.7152 * Linear(channel(3)) + 0.0722 * Linear(channel(5));
}

std::optional<double> ContrastRatio(std::string_view a, std::string_view b) {
  std::optional<double> la = RelativeLuminance(a), lb = RelativeLuminance(b);
  if (!la || !lb) return std::nullopt;
  const double lighter = std::max(*la, *lb), darker = std::min(*la, *lb);
  return (lighter + 0.05) / (darker + 0.05);
}

absl::Status ValidateTheme(const Theme& theme) {
  std::vector<FieldError> errors;
  if (Blank(theme.name)) {
    errors.push_back({"theme.name", "required", "theme_name_required", {}});
  } else if (theme.name.size() > kMaxNameBytes) {
    errors.push_back({"theme.name", "too_long", "theme_name_length",
                      {{"max", absl::StrCat(kMaxNameBytes)}}});
  }

  struct Colour {
    const char* field;
    const std::string& value;
  };
  bool colours_ok = true;
  for (const Colour& colour : {Colour{"theme.colours.brand", theme.colour_brand},
                               Colour{"theme.colours.header_text", theme.colour_header_text},
                               Colour{"theme.colours.link", theme.colour_link}}) {
    if (!IsHexColour(colour.value)) {
      errors.push_back({colour.field, "invalid", "colour_format", {{"value", colour.value}}});
      colours_ok = false;
    }
  }
  if (colours_ok) {
    auto check = [&](const char* field, const std::string& fg, std::string_view bg) {
      const double ratio = *ContrastRatio(fg, bg);
      if (ratio < kMinContrast) {
        errors.push_back({field, "invalid", "contrast",
                          {{"ratio", RatioText(ratio)}, {"minimum", RatioText(kMinContrast)}}});
      }
    };
    check("theme.colours.brand", theme.colour_brand, "#ffffff");
    check("theme.colours.header_text", theme.colour_header_text, theme.colour_brand);
    check("theme.colours.link", theme.colour_link, "#ffffff");
  }

  CheckLogo(theme, errors);
  CheckLinks(theme.footer_links, "theme.footer_links", errors);
  for (const auto& [lang, text] : theme.translations) {
    const std::string where = absl::StrCat("theme.translations.", lang);
    if (!IsLanguageCode(lang)) {
      errors.push_back({where, "invalid", "language_code", {{"code", lang}}});
    }
    if (text.name.size() > kMaxNameBytes) {
      errors.push_back({where + ".name", "too_long", "theme_name_length",
                        {{"max", absl::StrCat(kMaxNameBytes)}}});
    }
    CheckLinks(text.footer_links, where + ".footer_links", errors);
  }
  if (!errors.empty()) {
    std::string message = "The theme is not valid:";
    for (const FieldError& e : errors) {
      absl::StrAppend(&message, " ", e.field, " ", e.reason);
      for (const auto& [name, value] : e.params) absl::StrAppend(&message, " ", name, "=", value);
      message += ";";
    }
    message.pop_back();
    return InvalidFields(message, errors);
  }
  return absl::OkStatus();
}

}  // namespace onestop::domain
