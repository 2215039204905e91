// Knowledge-base articles: the answers agents read out and residents find for
// themselves (bin days, council tax bands, opening hours, call scripts).
//
// An Article is the current text; every save also stores an ArticleVersion
// (who saved which text when). Bodies are Markdown, rendered to sanitised
// HTML by services/article_markdown.h — never trusted as HTML. Plain data,
// no I/O; any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "domain/language.h"

namespace onestop::domain {

enum class ArticleAudience { kPublic, kStaff };  // staff = internal call script
enum class ArticleStatus { kDraft, kPublished };

std::string_view ArticleAudienceName(ArticleAudience audience);
std::optional<ArticleAudience> ParseArticleAudience(std::string_view name);
std::string_view ArticleStatusName(ArticleStatus status);
std::optional<ArticleStatus> ParseArticleStatus(std::string_view name);

// An article's texts in one language (empty = the English one).
struct ArticleText {
  std::string title;
  std::string summary;
  std::string body;  // Markdown
  bool operator==(const ArticleText&) const = default;
};

struct Article {
  int64_t id = 0;
  std::string title;
  std::string summary;  // one or two sentences shown in results
  std::string body;     // Markdown
  ArticleAudience audience = ArticleAudience::kPublic;
  ArticleStatus status = ArticleStatus::kDraft;
  std::vector<std::string> service_codes;
  std::vector<std::string> departments;
  std::vector<std::string> keywords;  // extra terms and synonyms ("rubbish", "trash")
  int64_t owner_id = 0;               // staff id responsible for keeping it right
  std::optional<absl::Time> review_at;
  int64_t version = 1;
  absl::Time created_at;
  absl::Time updated_at;
  int64_t updated_by = 0;
  // Avoidable-contact counters, kept by the store (not versioned, ignored by
  // Insert/UpdateArticle): "Did this answer your question?" yes/no, and
  // contacts an agent marked as answered from this article.
  int64_t helpful_yes = 0;
  int64_t helpful_no = 0;
  int64_t resolved_contacts = 0;
  // Other languages' texts. Kept with the article, not in ArticleVersion
  // (the saved versions are the English text's history).
  Translations<ArticleText> translations = {};

  bool IsPublic() const {
    return audience == ArticleAudience::kPublic && status == ArticleStatus::kPublished;
  }
  bool ReviewOverdue(absl::Time now) const { return review_at.has_value() && *review_at < now; }
  bool operator==(const Article&) const = default;
};

// The article's texts in `lang`, falling back to English where missing or
// empty (as domain/language.h).
const std::string& TitleIn(const Article& article, std::string_view lang);
const std::string& SummaryIn(const Article& article, std::string_view lang);
const std::string& BodyIn(const Article& article, std::string_view lang);

// One saved text of an article (version n is what Article.version was after
// that save).
struct ArticleVersion {
  int64_t article_id = 0;
  int64_t version = 0;
  std::string title;
  std::string summary;
  std::string body;
  ArticleAudience audience = ArticleAudience::kPublic;
  ArticleStatus status = ArticleStatus::kDraft;
  int64_t saved_by = 0;
  absl::Time saved_at;
  bool operator==(const ArticleVersion&) const = default;
};

}  // namespace onestop::domain
