// SearchIndex: full-text search over articles, services, citizens and cases.
// Declared here, implemented by search/ (Xapian). The index is derived data:
// it can always be rebuilt from the store (`onestop reindex`), and each node
// keeps its own copy.
//
// Visibility is decided by the index from the query's scope, not by callers
// filtering results: a kPublic query only ever matches published public
// articles and active services, so nothing staff-only can leak through a
// title, snippet or suggestion.
//
// Threads: Search may be called from any thread concurrently with the
// writer methods; writes are serialised inside the implementation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "domain/article.h"
#include "domain/case.h"
#include "domain/citizen.h"
#include "domain/service.h"

namespace onestop::domain {

enum class SearchScope { kPublic, kStaff };

struct SearchQuery {
  std::string text;
  SearchScope scope = SearchScope::kPublic;
  // Filters (empty = any). kinds: "article", "service", "citizen", "case".
  std::vector<std::string> kinds;
  std::string department;
  std::string service_code;
  std::optional<ArticleAudience> audience;
  // Treat the last word as a prefix (search-as-you-type).
  bool as_you_type = false;
  int limit = 20;
};

struct SearchHit {
  std::string kind;  // "article", "service", "citizen", "case"
  std::string id;    // article/citizen/case id as decimal text, service code
  std::string title;
  std::string snippet;  // HTML: escaped text with <mark>…</mark> around matches
  double score = 0;
};

struct SearchResult {
  std::vector<SearchHit> hits;
  int64_t estimated_total = 0;
  std::string suggestion;  // "did you mean" — empty when the query looks right
};

class SearchIndex {
 public:
  virtual ~SearchIndex() = default;

  virtual absl::StatusOr<SearchResult> Search(const SearchQuery& query) = 0;

  // Upserts and deletes (an upsert of a draft article or an inactive service
  // keeps it out of public results).
  virtual absl::Status PutArticle(const Article& article) = 0;
  virtual absl::Status PutService(const Service& service) = 0;
  virtual absl::Status PutCitizen(const Citizen& citizen) = 0;
  virtual absl::Status PutCase(const Case& c) = 0;
  // Catalogue keywords as synonyms: every word of `group` finds the others.
  virtual absl::Status AddSynonyms(const std::vector<std::string>& group) = 0;
  // Makes the writes so far visible to Search and durable.
  virtual absl::Status Commit() = 0;

  // The event seq the index has caught up to (stored with the index).
  virtual int64_t LastSeq() = 0;
  virtual absl::Status SetLastSeq(int64_t seq) = 0;
  virtual int64_t DocumentCount() = 0;
};

}  // namespace onestop::domain
