// The knowledge base and search as the app wires them: where a node keeps
// its search index, loading the demo articles, and `onestop reindex`.
//
// Each node keeps its own index (derived data) in a directory: by default
// next to the SQLite file ("var/onestop.db" → "var/onestop.search/"), or
// "var/search-<hash of the URL>" for PostgreSQL; ONESTOP_SEARCH_DIR overrides both.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include <memory>

#include "absl/status/statusor.h"
#include "domain/search_index.h"
#include "services/deps.h"

namespace onestop::search {
class Indexer;
class XapianIndex;
}  // namespace onestop::search

namespace onestop::app {

// A serving node's search: its index and the indexer thread following the
// event log (started by StartSearch, stopped on destruction).
class SearchNode {
 public:
  ~SearchNode();
  domain::SearchIndex& index();
  // Nudges the indexer (after this process writes).
  void Wake();

 private:
  friend absl::StatusOr<std::unique_ptr<SearchNode>> StartSearch(domain::Store&, const std::string&);
  std::unique_ptr<search::XapianIndex> index_;
  std::unique_ptr<search::Indexer> indexer_;
};

// Opens (creating) the index in `dir`, catches up with the event log, and
// starts following it.
absl::StatusOr<std::unique_ptr<SearchNode>> StartSearch(domain::Store& store, const std::string& dir);

std::string SearchDirFor(const std::string& database_url);

struct ArticleSeedReport {
  int created = 0;
  int existing = 0;
  int translated = 0;  // existing articles given the file's translations
};

// Creates each article of `articles_json` whose title is not already in the
// store, as the system actor on behalf of its owner (by email); an existing
// article without translations gets the file's. Idempotent.
absl::StatusOr<ArticleSeedReport> SeedArticles(services::Deps deps, std::string_view articles_json);

// Rebuilds the index in `dir` from the store, drawing a progress bar on
// `progress`. Returns the number of documents indexed.
absl::StatusOr<int64_t> RebuildSearchIndex(domain::Store& store, const std::string& dir,
                                           std::ostream& progress);

}  // namespace onestop::app
