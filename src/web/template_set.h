// TemplateSet: every page template (web/templates/**/*.mustache), compiled
// once per language at start-up.
//
// The templates are compiled into the binary; a council's theme directory
// (--theme-dir) may hold files with the same relative paths, which replace
// them one by one. Loading translates each {{#_}}message{{/_}} marker through
// the language's catalogue, inlines the partials ({{> _name}}: templates whose
// name starts with "_") and compiles the result, so a render does no catalogue
// look-up and parses nothing. A template that does not parse, an unknown
// partial, an unbalanced marker, or a theme file that replaces no template
// fails Load with the file and line.
//
// Immutable after Load; Render may be called from any thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "i18n/translator.h"
#include "web/view.h"

namespace onestop::web {

class TemplateSet {
 public:
  // `theme_dir` "" = the compiled-in templates only.
  static absl::StatusOr<std::unique_ptr<const TemplateSet>> Load(const i18n::Catalogs& catalogs,
                                                                 const std::string& theme_dir);
  ~TemplateSet();

  // Renders template `name` ("home", "_field") in the language of `tr` (the
  // English templates for a language the set was not loaded with). An
  // unknown name is a programming error: std::logic_error.
  std::string Render(std::string_view name, const View& view, const i18n::Translator& tr) const;
  bool Has(std::string_view name) const;

  // The names of every template, and the paths replaced from the theme dir.
  std::vector<std::string> Names() const;
  const std::vector<std::string>& overridden() const { return overridden_; }

 private:
  struct Impl;
  TemplateSet();
  std::unique_ptr<Impl> impl_;
  std::vector<std::string> overridden_;
};

// The message ids of the {{#_}} markers of one template text, in order (for
// the extraction test).
absl::StatusOr<std::vector<std::string>> TemplateMessages(std::string_view text);

}  // namespace onestop::web
