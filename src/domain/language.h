// Languages of the council's own texts (catalogue, articles, theme): English
// is the text itself; other languages are kept beside it in a
// `translations` map keyed by language code ("cy" for Welsh). A translation
// may leave any text empty, and then the English one is shown — so a
// half-translated catalogue still reads in full. Plain values; any thread.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace onestop::domain {

// Texts of one record by language code (never "en": English is the record's
// own fields).
template <typename T>
using Translations = std::map<std::string, T>;

// A language code as the council file and the API write it: 2–3 lower-case
// ASCII letters, optionally "-" and a 2-letter upper-case region ("cy",
// "cy-GB", "pol").
bool IsLanguageCode(std::string_view code);

// `member` of translations[lang] when there is one and it is not empty,
// else `english`. The second form is for maps whose value is the text.
template <typename T>
const std::string& TextIn(const Translations<T>& translations, std::string_view lang,
                          std::string T::*member, const std::string& english) {
  auto it = translations.find(std::string(lang));
  if (it == translations.end()) return english;
  const std::string& text = it->second.*member;
  return text.empty() ? english : text;
}

inline const std::string& TextIn(const Translations<std::string>& translations,
                                 std::string_view lang, const std::string& english) {
  auto it = translations.find(std::string(lang));
  return it == translations.end() || it->second.empty() ? english : it->second;
}

}  // namespace onestop::domain
