// Words in the reader's language.
//
// Translator is the message catalogue of one language: gettext `.po` files
// under po/<lang>/ are merged and compiled with msgfmt at build time, compiled
// into the binary, and read through Boost.Locale's gettext loader (ICU backend
// for dates). Message ids are the English texts; a message without a
// translation comes back as its id, so English needs no catalogue.
//
// Marking messages for extraction (scripts/extract-messages.py lists them all):
//   C++:        tr("Track a request"), tr.Plural("{n} result", "{n} results", n),
//               N_("…") for ids kept in tables and translated later with tr(id)
//   templates:  {{#_}}Track a request{{/_}} (web/templates, translated when the
//               templates are loaded, so rendering does no look-up at all)
// Placeholders in messages are {name} (filled by Substitute) in C++ and
// {{name}} in templates; a translation keeps the same placeholders (tested).
//
// Catalogs owns one Translator per language; both are immutable once loaded
// and safe to use from any thread. Look-ups return pointers into the loaded
// catalogue and never allocate.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

// Marks a message id for extraction without translating it (translate it
// later with a Translator).
#define N_(text) text

namespace onestop::i18n {

class Translator {
 public:
  ~Translator();
  Translator(const Translator&) = delete;
  Translator& operator=(const Translator&) = delete;

  // BCP 47 code: "en", "cy".
  const std::string& lang() const { return lang_; }
  // The language's own name, for the language switch ("English", "Cymraeg").
  const std::string& native_name() const { return native_name_; }

  // The translation of `msgid`, or `msgid` itself when there is none. Never null.
  const char* operator()(const char* msgid) const;
  // The same for a message with a gettext context (msgctxt), for ids that
  // mean different things in different places ("May" the month).
  const char* Context(const char* context, const char* msgid) const;
  // The plural form for `n` (the language's plural rule from its catalogue:
  // Welsh has six forms); English rule when untranslated.
  const char* Plural(const char* singular, const char* plural, int64_t n) const;
  // True when the catalogue has a translation for `msgid`.
  bool Has(const char* msgid) const;

  // Dates and times in Europe/London civil time, in the GOV.UK style:
  // "3 December 2026" / "3 Rhagfyr 2026"; "3 December 2026 at 9:30am".
  std::string Date(absl::Time t) const;
  std::string DateTime(absl::Time t) const;
  // A whole number with the language's grouping ("12,345").
  std::string Number(int64_t n) const;

 private:
  friend class Catalogs;
  struct Impl;
  Translator(std::string lang, std::string native_name, std::unique_ptr<Impl> impl);
  std::string lang_;
  std::string native_name_;
  std::unique_ptr<Impl> impl_;
};

class Catalogs {
 public:
  // Loads the catalogues compiled into the binary (English plus every
  // po/<lang>/ of the build). Fails if a catalogue cannot be read.
  static absl::StatusOr<std::unique_ptr<const Catalogs>> LoadEmbedded();
  // The process-wide catalogues (loaded once on first use; aborts if the
  // compiled-in catalogues are unreadable, which is a build defect).
  static const Catalogs& Default();

  ~Catalogs();

  // The translator for `lang` ("en", "cy", case-insensitive, "cy-GB" works);
  // English for a language we do not have.
  const Translator& Get(std::string_view lang) const;
  const Translator& English() const { return *translators_.front(); }
  // True for a language we have a catalogue for.
  bool Supports(std::string_view lang) const;
  // Every language, English first.
  std::vector<const Translator*> All() const;

  // The best supported language for an Accept-Language header
  // ("cy-GB,cy;q=0.9,en;q=0.8" → "cy"), honouring q-values; "" when none of
  // the header's languages is supported (q=0 excludes one).
  std::string_view Negotiate(std::string_view accept_language) const;

 private:
  Catalogs() = default;
  std::vector<std::unique_ptr<Translator>> translators_;
};

// Replaces each {name} in `text` by its value; unknown names stay as they are.
std::string Substitute(std::string_view text,
                       std::initializer_list<std::pair<std::string_view, std::string_view>> params);
std::string Substitute(std::string_view text,
                       const std::vector<std::pair<std::string, std::string>>& params);

}  // namespace onestop::i18n
