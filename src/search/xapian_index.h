// XapianIndex: domain::SearchIndex on a Xapian database in a directory.
//
// Documents are keyed by a unique term "Q<kind>:<id>" so a Put replaces the
// earlier copy. Text goes in with field weights (title ×5, keywords ×3,
// summary ×2, body ×1) and English stemming; filters are boolean terms:
//   XK<kind>  XD<department>  XS<service code>  XA<audience>
//   XVpublic  (only on published public articles and active services)
//   XVprivate (on every other document)
// A kPublic query is always restricted to XVpublic — the one visibility rule.
// (When private documents are the fewer and the counts prove every document
// carries exactly one of the two terms, Search evaluates that as "not
// XVprivate", which selects the same documents without walking the long list.)
//
// Catalogue keywords become synonyms; the spelling dictionary is fed only
// from documents carrying XVpublic, so a "did you mean" can never reveal a
// citizen's name or a staff script's wording.
//
// Threads: writes (Put*, AddSynonyms, Commit, SetLastSeq) are serialised on
// one WritableDatabase under mu_; Search takes a reader from a small pool
// (each reader reopen()s to see the last commit) and runs concurrently.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <xapian.h>

#include "absl/status/statusor.h"
#include "domain/search_index.h"

namespace onestop::search {

class XapianIndex final : public domain::SearchIndex {
 public:
  // Opens (creating if needed) the index in `dir` (its parent must exist).
  static absl::StatusOr<std::unique_ptr<XapianIndex>> Open(const std::string& dir);

  absl::StatusOr<domain::SearchResult> Search(const domain::SearchQuery& query) override;
  absl::Status PutArticle(const domain::Article& article) override;
  absl::Status PutService(const domain::Service& service) override;
  absl::Status PutCitizen(const domain::Citizen& citizen) override;
  absl::Status PutCase(const domain::Case& c) override;
  absl::Status AddSynonyms(const std::vector<std::string>& group) override;
  absl::Status Commit() override;
  int64_t LastSeq() override;
  absl::Status SetLastSeq(int64_t seq) override;
  int64_t DocumentCount() override;

  // Removes every document, synonym and the last seq (before a rebuild).
  absl::Status Clear();

 private:
  struct Doc;
  explicit XapianIndex(Xapian::WritableDatabase db, std::string dir);
  absl::Status Put(const Doc& doc);
  // A reader for Search, from the pool or newly opened.
  Xapian::Database Reader();
  void ReturnReader(Xapian::Database db);

  std::mutex mu_;
  Xapian::WritableDatabase db_;  // GUARDED_BY(mu_)
  const std::string dir_;
  std::mutex readers_mu_;
  std::vector<Xapian::Database> readers_;  // GUARDED_BY(readers_mu_)
};

}  // namespace onestop::search
