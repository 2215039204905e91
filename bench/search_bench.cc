// search_bench: our search engine (search::XapianIndex) against SQLite FTS5
// (bm25) on the same deterministic corpus and queries, in one run. Prints
// QPS, p50/p99 latency for both, the ratio and the index sizes. Figures,
// not a pass/fail test. Usage: search_bench [articles] [queries] [workdir]
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "search/xapian_index.h"

namespace {

// A fixed linear congruential generator: the same corpus on every machine.
struct Lcg {
  uint64_t state;
  uint32_t Next() {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<uint32_t>(state >> 33);
  }
  size_t Pick(size_t n) { return Next() % n; }
};

const std::vector<std::string> kTopics = {
    "bin", "recycling", "refuse", "garden", "waste", "collection", "council", "tax", "band",
    "discount", "parking", "permit", "library", "opening", "hours", "pothole", "road", "street",
    "light", "housing", "repair", "benefit", "reduction", "planning", "application", "noise",
    "complaint", "licence", "taxi", "birth", "death", "certificate", "register", "fine",
    "penalty", "blue", "badge", "care", "assessment", "payment", "direct", "debit", "arrears",
    "homeless", "tenancy", "damp", "mould", "pest", "control", "rats", "fly", "tipping",
    "graffiti", "litter", "school", "admission", "transport", "cemetery", "allotment", "market"};
const std::vector<std::string> kFiller = {
    "how", "to", "apply", "for", "your", "the", "residents", "of", "fairhaven", "borough",
    "online", "phone", "weekly", "fortnightly", "charge", "free", "eligible", "evidence",
    "appointment", "office", "town", "hall", "working", "days", "within", "report", "request",
    "renew", "change", "cancel", "contact", "team", "officer", "visit", "home", "property",
    "address", "postcode", "household", "business", "annual", "monthly", "fee", "refund",
    "deadline", "form", "document", "proof", "identity", "service", "support", "advice"};

std::string Words(Lcg& rng, int count, int topic_share) {
  std::vector<std::string> out;
  for (int word_idx = 0; word_idx < count; ++word_idx) {
    out.push_back(static_cast<int>(rng.Pick(100)) < topic_share ? kTopics[rng.Pick(kTopics.size())]
                                                              : kFiller[rng.Pick(kFiller.size())]);
  }
  return absl::StrJoin(out, " ");
}

std::string Misspell(Lcg& rng, std::string word) {
  if (word.size() < 5) return word;
  size_t at = 1 + rng.Pick(word.size() - 2);
  switch (rng.Pick(3)) {
    case 0: word.erase(at, 1); break;                    // drop a letter
    case 1: std::swap(word[at], word[at + 1]); break;    // swap neighbours
    default: word.insert(at, 1, word[at]); break;        // double a letter
  }
  return word;
}

struct Stats {
  double qps;
  double p50_us;
  double p99_us;
};

template <typename Fn>
Stats Time(const std::vector<std::string>& queries, Fn run) {
  std::vector<double> lat;
  lat.reserve(queries.size());
  auto start = std::chrono::steady_clock::now();
  for (const std::string& q : queries) {
    auto t0 = std::chrono::steady_clock::now();
    run(q);
    lat.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
  }
  double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::sort(lat.begin(), lat.end());
  return {queries.size() / total, lat[lat.size() / 2], lat[std::min(lat.size() - 1, lat.size() * 99 / 100)]};
}

uint64_t DirSize(const std::filesystem::path& p) {
  uint64_t total = 0;
  if (std::filesystem::is_regular_file(p)) return std::filesystem::file_size(p);
  for (const auto& entry : std::filesystem::recursive_directory_iterator(p)) {
    if (entry.is_regular_file()) total += entry.file_size();
  }
  return total;
}

}  // namespace

int main(int argc, char** argv) {
  const int articles = argc > 1 ? std::atoi(argv[1]) : 100000;
  const int query_count = argc > 2 ? std::atoi(argv[2]) : 1000;
  const std::filesystem::path dir =
      argc > 3 ? std::filesystem::path(argv[3])
               : std::filesystem::temp_directory_path() / absl::StrCat("onestop-search-bench-", getpid());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);

  Lcg rng{20261125};
  struct Doc { std::string title, keywords, body; };
  std::vector<Doc> docs(articles);
  for (Doc& d : docs) {
    d.title = Words(rng, 3 + rng.Pick(4), 80);
    d.keywords = Words(rng, 3, 90);
    d.body = Words(rng, 60 + rng.Pick(80), 35);
  }
  std::vector<std::string> queries;
  for (int query_idx = 0; query_idx < query_count; ++query_idx) {
    int words = 1 + rng.Pick(4);
    std::vector<std::string> q;
    for (int word_idx = 0; word_idx < words; ++word_idx) {
      std::string w = kTopics[rng.Pick(kTopics.size())];
      if (rng.Pick(10) == 0) w = Misspell(rng, w);  // ~10% of words misspelt
      q.push_back(w);
    }
    queries.push_back(absl::StrJoin(q, " "));
  }
  std::printf("corpus: %d articles, %d queries (1-4 words, ~10%% of words misspelt)\n", articles, query_count);

  // Ours.
  auto t0 = std::chrono::steady_clock::now();
  auto index = onestop::search::XapianIndex::Open((dir / "xapian").string());
  if (!index.ok()) {
    std::cerr << index.status() << "\n";
    return 1;
  }
  for (int doc_idx = 0; doc_idx < articles; ++doc_idx) {
    onestop::domain::Article a;
    a.id = doc_idx + 1;
    a.title = docs[doc_idx].title;
    a.keywords = {docs[doc_idx].keywords};
    a.body = docs[doc_idx].body;
    a.status = onestop::domain::ArticleStatus::kPublished;
    if (!(*index)->PutArticle(a).ok()) return 1;
  }
  if (!(*index)->Commit().ok()) return 1;
  double build_ours = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  // FTS5.
  t0 = std::chrono::steady_clock::now();
  sqlite3* db = nullptr;
  sqlite3_open((dir / "fts5.db").c_str(), &db);
  sqlite3_exec(db, "PRAGMA journal_mode=WAL; CREATE VIRTUAL TABLE docs USING fts5(title, keywords, body, tokenize='porter');",
               nullptr, nullptr, nullptr);
  sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
  sqlite3_stmt* ins = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO docs(rowid, title, keywords, body) VALUES (?, ?, ?, ?)", -1, &ins, nullptr);
  for (int doc_idx = 0; doc_idx < articles; ++doc_idx) {
    sqlite3_bind_int64(ins, 1, doc_idx + 1);
    sqlite3_bind_text(ins, 2, docs[doc_idx].title.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 3, docs[doc_idx].keywords.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 4, docs[doc_idx].body.c_str(), -1, SQLITE_STATIC);
    sqlite3_step(ins);
    sqlite3_reset(ins);
  }
  sqlite3_finalize(ins);
  sqlite3_exec(db, "COMMIT; INSERT INTO docs(docs) VALUES('optimize');", nullptr, nullptr, nullptr);
  double build_fts = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  sqlite3_stmt* q = nullptr;
  sqlite3_prepare_v2(db,
                     "SELECT rowid, title, snippet(docs, 2, '<mark>', '</mark>', '…', 20) FROM docs "
                     "WHERE docs MATCH ? ORDER BY bm25(docs, 5.0, 3.0, 1.0) LIMIT 10",
                     -1, &q, nullptr);

  // Warm both once, then time.
  int64_t ours_hits = 0, fts_hits = 0;
  auto run_ours = [&](const std::string& text) {
    onestop::domain::SearchQuery sq;
    sq.text = text;
    sq.limit = 10;
    auto r = (*index)->Search(sq);
    if (r.ok()) ours_hits += static_cast<int64_t>(r->hits.size());
  };
  auto run_fts = [&](const std::string& text) {
    std::vector<std::string> quoted;
    for (absl::string_view w : absl::StrSplit(text, ' ')) quoted.push_back(absl::StrCat("\"", std::string(w), "\""));
    std::string match = absl::StrJoin(quoted, " ");
    sqlite3_bind_text(q, 1, match.c_str(), -1, SQLITE_TRANSIENT);
    while (sqlite3_step(q) == SQLITE_ROW) ++fts_hits;
    sqlite3_reset(q);
  };
  for (const std::string& text : queries) {
    run_ours(text);
    run_fts(text);
  }
  ours_hits = fts_hits = 0;
  Stats ours = Time(queries, run_ours);
  Stats fts = Time(queries, run_fts);
  sqlite3_finalize(q);
  sqlite3_close(db);

  std::printf("\n%-22s %10s %10s %10s %12s %12s %10s\n", "engine", "QPS", "p50 ms", "p99 ms",
              "index MiB", "build s", "hits");
  std::printf("%-22s %10.0f %10.3f %10.3f %12.1f %12.1f %10lld\n", "onestop (Xapian)", ours.qps,
              ours.p50_us / 1000, ours.p99_us / 1000, DirSize(dir / "xapian") / 1048576.0, build_ours,
              static_cast<long long>(ours_hits));
  std::printf("%-22s %10.0f %10.3f %10.3f %12.1f %12.1f %10lld\n", "SQLite FTS5 (bm25)", fts.qps,
              fts.p50_us / 1000, fts.p99_us / 1000, DirSize(dir / "fts5.db") / 1048576.0, build_fts,
              static_cast<long long>(fts_hits));
  std::printf("\nQPS ratio (ours / FTS5): %.2fx   target: p99 < 2 ms, >= 2x FTS5\n", ours.qps / fts.qps);
  std::printf("(ours includes spelling correction, synonyms, OR fallback and highlighted snippets;\n"
              " FTS5 runs an AND of the quoted words with bm25 and snippet())\n");
  index->reset();
  std::filesystem::remove_all(dir);
  return 0;
}
