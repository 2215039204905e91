// The knowledge base use cases: articles (create, edit, read, list, saved
// versions), "Did this answer your question?" feedback, marking a contact as
// answered from an article (first-contact resolution) and search.
//
// Every save stores the full text as a new ArticleVersion and appends an
// "article.created"/"article.updated" event in the same transaction; the
// search indexer follows those events. The public sees published public
// articles only: anything else answers NotFound, so ids do not leak.
// Thread-safe like every use case.
#pragma once

#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/article.h"
#include "domain/search_index.h"
#include "domain/staff.h"
#include "services/deps.h"

namespace onestop::services {

// Limits shared by create and update.
inline constexpr size_t kMaxArticleTitle = 200;
inline constexpr size_t kMaxArticleSummary = 1000;
inline constexpr size_t kMaxArticleBody = 200'000;

class CreateArticle {
 public:
  explicit CreateArticle(Deps deps) : deps_(deps) {}
  // Owner defaults to the actor; version 1.
  absl::StatusOr<domain::Article> Run(const domain::Actor& actor, domain::Article article) const;

 private:
  Deps deps_;
};

class UpdateArticle {
 public:
  explicit UpdateArticle(Deps deps) : deps_(deps) {}
  // `article` is the whole new state (id set). expected_version set →
  // Aborted unless it is the stored version.
  absl::StatusOr<domain::Article> Run(const domain::Actor& actor, domain::Article article,
                                      std::optional<int64_t> expected_version) const;

 private:
  Deps deps_;
};

class GetArticle {
 public:
  explicit GetArticle(Deps deps) : deps_(deps) {}
  absl::StatusOr<domain::Article> Run(const domain::Actor& actor, int64_t id) const;

 private:
  Deps deps_;
};

struct ArticleFilter {
  std::optional<domain::ArticleAudience> audience;
  std::optional<domain::ArticleStatus> status;
  bool review_overdue = false;  // only articles whose review date has passed
  std::optional<int64_t> owner_id;
};

class ListArticles {
 public:
  explicit ListArticles(Deps deps) : deps_(deps) {}
  // The public gets published public articles whatever the filter says.
  absl::StatusOr<std::vector<domain::Article>> Run(const domain::Actor& actor,
                                                   const ArticleFilter& filter) const;

 private:
  Deps deps_;
};

class ListArticleVersions {
 public:
  explicit ListArticleVersions(Deps deps) : deps_(deps) {}
  absl::StatusOr<std::vector<domain::ArticleVersion>> Run(const domain::Actor& actor,
                                                          int64_t id) const;

 private:
  Deps deps_;
};

// "Did this answer your question?" on a public article page (anyone).
class RecordArticleFeedback {
 public:
  explicit RecordArticleFeedback(Deps deps) : deps_(deps) {}
  absl::Status Run(int64_t article_id, bool helpful) const;

 private:
  Deps deps_;
};

// An agent answered this contact from an article: records the article on the
// contact and a "contact.answered" event.
class MarkContactAnswered {
 public:
  explicit MarkContactAnswered(Deps deps) : deps_(deps) {}
  absl::Status Run(const domain::Actor& actor, int64_t contact_id, int64_t article_id) const;

 private:
  Deps deps_;
};

// One search box: the public sees public articles and services; staff also
// staff scripts, citizens and cases. Unavailable when no index is wired.
class Search {
 public:
  Search(Deps deps, domain::SearchIndex* index) : deps_(deps), index_(index) {}
  // Wires the node's index (call before serving; not thread-safe with Run).
  void SetIndex(domain::SearchIndex* index) { index_ = index; }
  absl::StatusOr<domain::SearchResult> Run(const domain::Actor& actor,
                                           domain::SearchQuery query) const;

 private:
  Deps deps_;
  domain::SearchIndex* index_;
};

}  // namespace onestop::services
