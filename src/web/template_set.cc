#include "web/template_set.h"

#include <kainjow/mustache.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/status.h"
#include "web/embedded_templates.h"

namespace onestop::web {

namespace mustache = kainjow::mustache;

namespace {

constexpr std::string_view kOpen = "{{#_}}";
constexpr std::string_view kClose = "{{/_}}";
constexpr std::string_view kSuffix = ".mustache";
constexpr size_t kMaxTemplateBytes = 1 << 20;
constexpr int kMaxPartialDepth = 8;

struct Source {
  std::string path;  // relative, "home.mustache"
  std::string origin;  // where it came from, for errors: "web/templates/home.mustache" or the theme file
  std::string text;
};

int LineOf(std::string_view text, size_t offset) {
  int line = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) line += text[i] == '\n';
  return line;
}

absl::Status ErrorAt(const Source& source, size_t offset, std::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(source.origin, ":", LineOf(source.text, offset), ": ",
                                                 absl::string_view(what.data(), what.size())));
}

// kainjow reports "... at <offset>"; turn it into a line of the file.
absl::Status ParseError(const Source& source, const std::string& message) {
  size_t offset = 0;
  const size_t at = message.rfind(" at ");
  if (at != std::string::npos) {
    uint64_t parsed = 0;
    if (absl::SimpleAtoi(message.substr(at + 4), &parsed)) offset = parsed;
  }
  return ErrorAt(source, offset, message);
}

struct Marker {
  size_t begin;  // offset of "{{#_}}"
  size_t end;    // offset just after "{{/_}}"
  std::string msgid;
};

absl::StatusOr<std::vector<Marker>> FindMarkers(const Source& source) {
  std::vector<Marker> markers;
  const std::string& text = source.text;
  size_t pos = 0;
  while (true) {
    const size_t open = text.find(kOpen, pos);
    const size_t stray_close = text.find(kClose, pos);
    if (open == std::string::npos) {
      if (stray_close != std::string::npos) return ErrorAt(source, stray_close, "{{/_}} without {{#_}}");
      break;
    }
    if (stray_close < open) return ErrorAt(source, stray_close, "{{/_}} without {{#_}}");
    const size_t body = open + kOpen.size();
    const size_t close = text.find(kClose, body);
    if (close == std::string::npos) return ErrorAt(source, open, "{{#_}} is never closed by {{/_}}");
    const size_t nested = text.find(kOpen, body);
    if (nested < close) return ErrorAt(source, nested, "{{#_}} inside another {{#_}}");
    std::string msgid = text.substr(body, close - body);
    if (msgid.empty()) return ErrorAt(source, open, "empty {{#_}}{{/_}}");
    for (std::string_view section : {"{{#", "{{^", "{{/", "{{>"}) {
      if (msgid.find(section) != std::string::npos) {
        return ErrorAt(source, open, "a message may hold {{variables}} but no sections or partials");
      }
    }
    markers.push_back({open, close + kClose.size(), std::move(msgid)});
    pos = close + kClose.size();
  }
  return markers;
}

// The text with each marker replaced by its translation.
std::string Translate(const Source& source, const std::vector<Marker>& markers,
                      const i18n::Translator& tr) {
  std::string out;
  out.reserve(source.text.size());
  size_t pos = 0;
  for (const Marker& marker : markers) {
    out.append(source.text, pos, marker.begin - pos);
    out.append(tr(marker.msgid.c_str()));
    pos = marker.end;
  }
  out.append(source.text, pos);
  return out;
}

std::string NameOf(std::string_view path) {
  absl::string_view name(path.data(), path.size());
  absl::ConsumeSuffix(&name, absl::string_view(kSuffix.data(), kSuffix.size()));
  return std::string(name);
}

// Replaces {{> name}} by the (translated) partial's text, recursively.
absl::StatusOr<std::string> InlinePartials(const std::string& text,
                                           const std::map<std::string, std::string>& partials,
                                           const Source& source, int depth) {
  if (depth > kMaxPartialDepth) return ErrorAt(source, 0, "partials nested too deep (a cycle?)");
  std::string out;
  size_t pos = 0;
  while (true) {
    const size_t open = text.find("{{>", pos);
    if (open == std::string::npos) break;
    const size_t close = text.find("}}", open);
    if (close == std::string::npos) break;  // the parser reports it
    const std::string name(absl::StripAsciiWhitespace(text.substr(open + 3, close - open - 3)));
    auto it = partials.find(name);
    if (it == partials.end()) {
      return ErrorAt(source, depth == 0 ? open : 0, absl::StrCat("no partial named \"", name, "\""));
    }
    ONESTOP_ASSIGN_OR_RETURN(std::string inner, InlinePartials(it->second, partials, source, depth + 1));
    out.append(text, pos, open - pos);
    out.append(inner);
    pos = close + 2;
  }
  out.append(text, pos);
  return out;
}

absl::StatusOr<std::string> ReadFile(const std::filesystem::path& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return absl::NotFoundError(absl::StrCat(path.string(), ": ", ec.message()));
  if (size > kMaxTemplateBytes) return absl::InvalidArgumentError(absl::StrCat(path.string(), ": larger than 1 MiB"));
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  if (!in && !in.eof()) return absl::UnavailableError(absl::StrCat(path.string(), ": cannot read"));
  return content.str();
}

}  // namespace

struct TemplateSet::Impl {
  // lang → template name → compiled template. The pointers are not const
  // because kainjow's render is not marked const; it changes nothing once a
  // template has parsed (no lambdas, partials already inlined).
  absl::flat_hash_map<std::string, absl::flat_hash_map<std::string, std::unique_ptr<mustache::mustache>>>
      by_lang;
};

TemplateSet::TemplateSet() : impl_(std::make_unique<Impl>()) {}
TemplateSet::~TemplateSet() = default;

absl::StatusOr<std::unique_ptr<const TemplateSet>> TemplateSet::Load(const i18n::Catalogs& catalogs,
                                                                     const std::string& theme_dir) {
  std::map<std::string, Source> sources;  // by relative path
  for (const EmbeddedFile& file : EmbeddedTemplateList()) {
    const std::string path(file.path);
    sources[path] = Source{path, "web/templates/" + path, std::string(file.data)};
  }
  std::unique_ptr<TemplateSet> set(new TemplateSet());
  if (!theme_dir.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_directory(theme_dir, ec)) {
      return absl::InvalidArgumentError(absl::StrCat("theme dir ", theme_dir, " is not a directory"));
    }
    std::vector<std::filesystem::path> files;
    for (auto it = std::filesystem::recursive_directory_iterator(theme_dir, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file() && it->path().extension() == kSuffix) files.push_back(it->path());
    }
    if (ec) return absl::UnavailableError(absl::StrCat("theme dir ", theme_dir, ": ", ec.message()));
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      const std::string rel = std::filesystem::relative(file, theme_dir).generic_string();
      auto it = sources.find(rel);
      if (it == sources.end()) {
        return absl::InvalidArgumentError(absl::StrCat(
            file.string(), ":1: replaces no template (the templates are web/templates/<name>.mustache)"));
      }
      ONESTOP_ASSIGN_OR_RETURN(std::string text, ReadFile(file));
      it->second.origin = file.string();
      it->second.text = std::move(text);
      set->overridden_.push_back(rel);
    }
  }
  // Check every file as written (markers and all are valid mustache), so a
  // parse error names the line of the file itself.
  std::map<std::string, std::vector<Marker>> markers;
  for (const auto& [path, source] : sources) {
    mustache::mustache parsed{source.text};
    if (!parsed.is_valid()) return ParseError(source, parsed.error_message());
    ONESTOP_ASSIGN_OR_RETURN(markers[path], FindMarkers(source));
  }
  for (const i18n::Translator* tr : catalogs.All()) {
    std::map<std::string, std::string> translated;  // by name
    for (const auto& [path, source] : sources) {
      translated[NameOf(path)] = Translate(source, markers[path], *tr);
    }
    std::map<std::string, std::string> partials;
    for (const auto& [name, text] : translated) {
      if (name.rfind('_', 0) == 0 || name.find("/_") != std::string::npos) partials[name] = text;
    }
    auto& compiled = set->impl_->by_lang[tr->lang()];
    for (const auto& [path, source] : sources) {
      const std::string name = NameOf(path);
      ONESTOP_ASSIGN_OR_RETURN(std::string text, InlinePartials(translated[name], partials, source, 0));
      auto tmpl = std::make_unique<mustache::mustache>(text);
      if (!tmpl->is_valid()) {
        // The file parsed on its own, so its translation broke it.
        return ErrorAt(source, 0, absl::StrCat("the ", tr->lang(), " translation of a message breaks the template: ",
                                               tmpl->error_message()));
      }
      compiled[name] = std::move(tmpl);
    }
  }
  return std::unique_ptr<const TemplateSet>(std::move(set));
}

namespace {

mustache::data ToData(const View& view) {
  mustache::data out{mustache::data::type::object};
  for (const auto& [key, value] : view.fields()) {
    switch (value.kind) {
      case ViewValue::Kind::kText:
        // Empty text is false in sections ({{#hint}}…{{/hint}}) and renders as nothing.
        if (value.text.empty()) {
          out.set(key, mustache::data::type::bool_false);
        } else {
          out.set(key, value.text);
        }
        break;
      case ViewValue::Kind::kFlag:
        out.set(key, value.flag ? mustache::data::type::bool_true : mustache::data::type::bool_false);
        break;
      case ViewValue::Kind::kView:
        out.set(key, ToData(value.items.front()));
        break;
      case ViewValue::Kind::kList: {
        if (value.items.empty()) {
          out.set(key, mustache::data::type::bool_false);
          break;
        }
        mustache::data list{mustache::data::type::list};
        for (const auto& item : value.items) list.push_back(ToData(item));
        out.set(key, list);
        break;
      }
    }
  }
  return out;
}

}  // namespace

std::string TemplateSet::Render(std::string_view name, const View& view,
                                const i18n::Translator& tr) const {
  auto lang = impl_->by_lang.find(tr.lang());  // std::string key
  if (lang == impl_->by_lang.end()) lang = impl_->by_lang.find("en");
  auto it = lang->second.find(absl::string_view(name.data(), name.size()));
  if (it == lang->second.end()) throw std::logic_error("no template " + std::string(name));
  return it->second->render(ToData(view));
}

bool TemplateSet::Has(std::string_view name) const {
  auto lang = impl_->by_lang.find("en");
  return lang != impl_->by_lang.end() && lang->second.contains(absl::string_view(name.data(), name.size()));
}

std::vector<std::string> TemplateSet::Names() const {
  std::vector<std::string> names;
  auto lang = impl_->by_lang.find("en");
  if (lang != impl_->by_lang.end()) {
    for (const auto& [name, tmpl] : lang->second) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

absl::StatusOr<std::vector<std::string>> TemplateMessages(std::string_view text) {
  Source source{"", "template", std::string(text)};
  ONESTOP_ASSIGN_OR_RETURN(std::vector<Marker> markers, FindMarkers(source));
  std::vector<std::string> out;
  for (auto& marker : markers) out.push_back(std::move(marker.msgid));
  return out;
}

}  // namespace onestop::web
