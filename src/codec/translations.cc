#include "codec/translations.h"

#include <utility>

namespace onestop::codec {

void ReadArticleTranslations(ObjectReader& in, domain::Translations<domain::ArticleText>& out) {
  if (!in.Has("translations")) return;  // a PATCH without it keeps them
  out.clear();
  ReadTranslations(in, [&](ObjectReader& texts, const std::string& lang) {
    domain::ArticleText text;
    if (auto v = texts.String("title")) text.title = *v;
    if (auto v = texts.String("summary")) text.summary = *v;
    if (auto v = texts.String("body")) text.body = *v;
    out[lang] = std::move(text);
  });
}

boost::json::object ArticleTranslationsToJson(
    const domain::Translations<domain::ArticleText>& translations) {
  return TranslationsToJson(translations, [](const domain::ArticleText& text) {
    return boost::json::object{{"title", text.title}, {"summary", text.summary}, {"body", text.body}};
  });
}

}  // namespace onestop::codec
