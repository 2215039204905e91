// The "translations" key shared by the council file and the API:
// {"translations": {"cy": {...texts...}, "pl": {...}}} on departments,
// services, form fields, allowed values, articles and the theme. Keys are
// language codes (domain::IsLanguageCode); each value is an object holding
// that language's texts, any of which may be left out (domain/language.h:
// missing or empty texts fall back to English). Format:
// docs/catalogue-format.md#translations. Stateless; any thread.
#pragma once

#include <boost/json/object.hpp>
#include <string>

#include "codec/json_reader.h"
#include "domain/article.h"
#include "domain/language.h"

namespace onestop::codec {

// Reads `in`'s "translations" (optional): for each language calls
// fn(ObjectReader& texts, const std::string& lang) and then Finish()es
// `texts`, so keys fn does not read are "unknown". A key that is not a
// language code is "invalid" (reason "language_code") at
// "<path>.translations.<key>" and skipped; a value that is not an object is
// a "type" error there.
template <typename Fn>
void ReadTranslations(ObjectReader& in, Fn&& fn) {
  const boost::json::object* translations = in.Object("translations");
  if (translations == nullptr) return;
  const std::string where = in.PathOf("translations");
  for (const auto& member : *translations) {
    const std::string lang(member.key().data(), member.key().size());
    const std::string path = JoinPath(where, lang);
    if (!domain::IsLanguageCode(lang)) {
      in.errors().Add(path, "invalid", "language_code", {{"code", lang}});
      continue;
    }
    ObjectReader texts(member.value(), path, in.errors());
    if (!texts.is_object()) continue;
    fn(texts, lang);
    texts.Finish();
  }
}

// {"<lang>": texts_to_json(texts), ...} in language-code order.
template <typename T, typename Fn>
boost::json::object TranslationsToJson(const domain::Translations<T>& translations,
                                       Fn&& texts_to_json) {
  boost::json::object out;
  for (const auto& [lang, texts] : translations) {
    out[boost::json::string_view(lang.data(), lang.size())] = texts_to_json(texts);
  }
  return out;
}

// An article's "translations": {"<lang>": {"title", "summary", "body"}}.
// When the key is present, its languages replace all of `out`; absent
// leaves `out` as it is.
void ReadArticleTranslations(ObjectReader& in, domain::Translations<domain::ArticleText>& out);
boost::json::object ArticleTranslationsToJson(
    const domain::Translations<domain::ArticleText>& translations);

}  // namespace onestop::codec
