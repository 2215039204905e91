#include "domain/article.h"

namespace onestop::domain {

std::string_view ArticleAudienceName(ArticleAudience audience) {
  return audience == ArticleAudience::kStaff ? "staff" : "public";
}

std::optional<ArticleAudience> ParseArticleAudience(std::string_view name) {
  if (name == "public") return ArticleAudience::kPublic;
  if (name == "staff") return ArticleAudience::kStaff;
  return std::nullopt;
}

std::string_view ArticleStatusName(ArticleStatus status) {
  return status == ArticleStatus::kPublished ? "published" : "draft";
}

std::optional<ArticleStatus> ParseArticleStatus(std::string_view name) {
  if (name == "published") return ArticleStatus::kPublished;
  if (name == "draft") return ArticleStatus::kDraft;
  return std::nullopt;
}

const std::string& TitleIn(const Article& article, std::string_view lang) {
  return TextIn(article.translations, lang, &ArticleText::title, article.title);
}

const std::string& SummaryIn(const Article& article, std::string_view lang) {
  return TextIn(article.translations, lang, &ArticleText::summary, article.summary);
}

const std::string& BodyIn(const Article& article, std::string_view lang) {
  return TextIn(article.translations, lang, &ArticleText::body, article.body);
}

}  // namespace onestop::domain
