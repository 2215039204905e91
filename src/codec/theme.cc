#include "codec/theme.h"

#include <sodium.h>

#include <boost/json.hpp>
#include <utility>
#include <vector>

#include "codec/translations.h"
#include "common/status.h"

namespace onestop::codec {
namespace {

using domain::Theme;
using domain::ThemeLink;
using domain::ThemeText;

// How "logo" is written: a file name (council file) or inline (stored form).
enum class LogoForm { kFilePath, kInline };

constexpr size_t kMaxLogoPath = 255;

boost::json::string_view Js(std::string_view s) { return {s.data(), s.size()}; }

// Relative, "/"-separated, every segment a plain name: the reader never
// leaves the council file's directory because of what the file says.
bool SafeRelativePath(std::string_view path) {
  if (path.empty() || path.size() > kMaxLogoPath || path.front() == '/') return false;
  if (path.find('\\') != std::string_view::npos || path.find('\0') != std::string_view::npos) {
    return false;
  }
  size_t start = 0;
  while (true) {
    size_t slash = path.find('/', start);
    std::string_view segment = path.substr(start, slash == std::string_view::npos ? slash : slash - start);
    if (segment.empty() || segment == "." || segment == "..") return false;
    if (slash == std::string_view::npos) return true;
    start = slash + 1;
  }
}

std::optional<std::string_view> LogoTypeFor(std::string_view path) {
  auto ends_with = [&](std::string_view suffix) {
    if (path.size() < suffix.size()) return false;
    std::string_view tail = path.substr(path.size() - suffix.size());
    for (size_t idx = 0; idx < tail.size(); ++idx) {
      char c = tail[idx];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != suffix[idx]) return false;
    }
    return true;
  };
  if (ends_with(".svg")) return domain::kLogoSvg;
  if (ends_with(".png")) return domain::kLogoPng;
  return std::nullopt;
}

std::string ToBase64(std::string_view bytes) {
  if (bytes.empty()) return "";
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::optional<std::string> FromBase64(std::string_view text) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  size_t length = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &length, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != text.data() + text.size()) {
    return std::nullopt;
  }
  out.resize(length);
  return out;
}

void ReadLinks(ObjectReader& in, std::vector<ThemeLink>& out) {
  in.ForEachObject("footer_links", [&](ObjectReader& link_in, size_t) {
    ThemeLink link;
    if (auto v = link_in.String("text", Presence::kRequired)) link.text = *v;
    if (auto v = link_in.String("href", Presence::kRequired)) link.href = *v;
    out.push_back(std::move(link));
  });
}

// The keys Theme and ThemeText share (the translatable ones).
template <typename T>
void ReadTranslatable(ObjectReader& in, T& out) {
  if (auto v = in.String("name")) out.name = *v;
  ReadLinks(in, out.footer_links);
  for (auto [key, member] : {std::pair{"opening_hours", &T::opening_hours},
                             std::pair{"address", &T::address},
                             std::pair{"privacy_notice", &T::privacy_notice},
                             std::pair{"accessibility_statement", &T::accessibility_statement},
                             std::pair{"cookies", &T::cookies}, std::pair{"contact", &T::contact}}) {
    if (auto v = in.String(key)) out.*member = *v;
  }
}

template <typename T>
void WriteTranslatable(const T& in, boost::json::object& out) {
  out["name"] = Js(in.name);
  boost::json::array links;
  for (const ThemeLink& link : in.footer_links) {
    links.emplace_back(boost::json::object{{"text", Js(link.text)}, {"href", Js(link.href)}});
  }
  out["footer_links"] = std::move(links);
  out["opening_hours"] = Js(in.opening_hours);
  out["address"] = Js(in.address);
  out["privacy_notice"] = Js(in.privacy_notice);
  out["accessibility_statement"] = Js(in.accessibility_statement);
  out["cookies"] = Js(in.cookies);
  out["contact"] = Js(in.contact);
}

std::optional<Theme> ReadTheme(const boost::json::value& json, std::string_view path,
                               ErrorList& errors, LogoForm form, const FileReader* files) {
  const size_t errors_before = errors.size();
  ObjectReader in(json, std::string(path), errors);
  if (!in.is_object()) return std::nullopt;
  Theme theme = domain::DefaultTheme();
  if (form == LogoForm::kFilePath) theme.name.clear();
  ReadTranslatable(in, theme);
  if (auto v = in.String("phone")) theme.phone = *v;
  in.WithObject("colours", [&](ObjectReader& colours) {
    if (auto v = colours.String("brand")) theme.colour_brand = *v;
    if (auto v = colours.String("header_text")) theme.colour_header_text = *v;
    if (auto v = colours.String("link")) theme.colour_link = *v;
  });
  const std::string logo_field = in.PathOf("logo");
  if (form == LogoForm::kFilePath) {
    if (auto v = in.String("logo")) {
      std::optional<std::string_view> type = LogoTypeFor(*v);
      if (!SafeRelativePath(*v)) {
        errors.Add(logo_field, "invalid", "logo_path", {{"path", *v}});
      } else if (!type) {
        errors.Add(logo_field, "invalid", "logo_extension", {{"path", *v}});
      } else {
        absl::StatusOr<std::string> bytes =
            files != nullptr && *files ? (*files)(*v) : absl::NotFoundError("no files to read");
        if (!bytes.ok()) {
          errors.Add(logo_field, "not_found", "logo_unreadable", {{"path", *v}});
        } else {
          theme.logo = std::move(*bytes);
          theme.logo_type = std::string(*type);
        }
      }
    }
  } else {
    if (auto v = in.String("logo_type")) theme.logo_type = *v;
    if (auto v = in.String("logo_base64")) {
      std::optional<std::string> bytes = FromBase64(*v);
      if (!bytes) {
        errors.Add(in.PathOf("logo_base64"), "invalid", "base64");
      } else {
        theme.logo = std::move(*bytes);
      }
    }
  }
  ReadTranslations(in, [&](ObjectReader& texts, const std::string& lang) {
    ThemeText text;
    ReadTranslatable(texts, text);
    theme.translations[lang] = std::move(text);
  });
  in.Finish();
  if (errors.size() != errors_before) return std::nullopt;
  return theme;
}

}  // namespace

std::optional<domain::Theme> ReadCouncilTheme(const boost::json::value& json,
                                              std::string_view path, ErrorList& errors,
                                              const FileReader& files) {
  return ReadTheme(json, path, errors, LogoForm::kFilePath, &files);
}

boost::json::object ThemeToJson(const domain::Theme& theme) {
  boost::json::object out;
  WriteTranslatable(theme, out);
  out["logo_type"] = Js(theme.logo_type);
  out["logo_base64"] = ToBase64(theme.logo);
  out["colours"] = boost::json::object{{"brand", Js(theme.colour_brand)},
                                       {"header_text", Js(theme.colour_header_text)},
                                       {"link", Js(theme.colour_link)}};
  out["phone"] = Js(theme.phone);
  out["translations"] = TranslationsToJson(theme.translations, [](const ThemeText& text) {
    boost::json::object texts;
    WriteTranslatable(text, texts);
    return texts;
  });
  return out;
}

absl::StatusOr<domain::Theme> ThemeFromJson(const boost::json::value& json) {
  ErrorList errors;
  std::optional<Theme> theme = ReadTheme(json, "theme", errors, LogoForm::kInline, nullptr);
  if (!theme) return errors.ToStatus("The theme is not valid");
  return std::move(*theme);
}

}  // namespace onestop::codec
