// The indexer against a real SQLite store: following the event log
// incrementally (within a second, in the background), and a rebuild giving
// the same results as following the log.
#include "search/indexer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "absl/strings/str_cat.h"
#include "search/xapian_index.h"
#include "store/sqlite/sqlite_store.h"

namespace onestop::search {
namespace {

class IndexerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           absl::StrCat("onestop-indexer-test-", ::getpid(), "-",
                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto store = store::sqlite::SqliteStore::Open((dir_ / "t.db").string());
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    ASSERT_TRUE(store_->Migrate().ok());
  }
  void TearDown() override {
    store_->Close();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::unique_ptr<XapianIndex> OpenIndex(const std::string& name) {
    auto index = XapianIndex::Open((dir_ / name).string());
    EXPECT_TRUE(index.ok()) << index.status();
    return std::move(*index);
  }
  int64_t AddArticle(const std::string& title, const std::string& body,
                     domain::ArticleAudience audience = domain::ArticleAudience::kPublic) {
    domain::Article a;
    a.title = title;
    a.body = body;
    a.audience = audience;
    a.status = domain::ArticleStatus::kPublished;
    a.created_at = a.updated_at = absl::Now();
    int64_t id = 0;
    absl::Status status = store_->Write([&](domain::WriteTxn& txn) -> absl::Status {
      absl::StatusOr<int64_t> inserted = txn.InsertArticle(a);
      if (!inserted.ok()) return inserted.status();
      id = *inserted;
      domain::Event event;
      event.at = a.created_at;
      event.entity = "article";
      event.entity_id = id;
      event.type = "article.created";
      return txn.AppendEvent(event).status();
    });
    EXPECT_TRUE(status.ok()) << status;
    return id;
  }
  static std::vector<std::string> Ids(XapianIndex& index, const std::string& text,
                                      domain::SearchScope scope = domain::SearchScope::kStaff) {
    domain::SearchQuery q;
    q.text = text;
    q.scope = scope;
    std::vector<std::string> out;
    absl::StatusOr<domain::SearchResult> result = index.Search(q);
    EXPECT_TRUE(result.ok()) << result.status();
    if (result.ok()) {
      for (const auto& hit : result->hits) out.push_back(hit.kind + ":" + hit.id + ":" + hit.snippet);
    }
    return out;
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::sqlite::SqliteStore> store_;
};

TEST_F(IndexerTest, FollowsTheEventLogInTheBackground) {
  std::unique_ptr<XapianIndex> index = OpenIndex("live");
  Indexer indexer(*store_, *index, absl::Milliseconds(100));
  indexer.Start();
  const int64_t id = AddArticle("Allotment waiting list", "Join the allotment waiting list.");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  std::vector<std::string> found;
  while (found.empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    found = Ids(*index, "allotment");
  }
  ASSERT_EQ(found.size(), 1u) << "not searchable within a second";
  EXPECT_EQ(found[0].rfind(absl::StrCat("article:", id, ":"), 0), 0u) << found[0];
  indexer.Stop();
  EXPECT_GT(index->LastSeq(), 0);
}

TEST_F(IndexerTest, RebuildEqualsFollowingTheLog) {
  AddArticle("Bin collection days", "General waste every other week.");
  AddArticle("Council Tax bands", "Bands A to H.");
  AddArticle("Call script: arrears", "Offer an arrangement.", domain::ArticleAudience::kStaff);
  std::unique_ptr<XapianIndex> followed = OpenIndex("followed");
  Indexer follow(*store_, *followed);
  ASSERT_TRUE(follow.CatchUp().ok());
  AddArticle("Library opening hours", "Open Monday to Saturday.");
  ASSERT_TRUE(follow.CatchUp().ok());

  std::unique_ptr<XapianIndex> rebuilt = OpenIndex("rebuilt");
  Indexer rebuild(*store_, *rebuilt);
  int64_t last_done = -1, last_total = -1;
  ASSERT_TRUE(rebuild.Rebuild([&](int64_t done, int64_t total) {
    last_done = done;
    last_total = total;
  }).ok());
  EXPECT_EQ(last_done, last_total);
  EXPECT_EQ(rebuilt->DocumentCount(), followed->DocumentCount());
  EXPECT_EQ(rebuilt->LastSeq(), followed->LastSeq());
  for (const std::string q : {"bin", "council tax", "arrears", "library opening", "open"}) {
    EXPECT_EQ(Ids(*rebuilt, q), Ids(*followed, q)) << q;
    EXPECT_EQ(Ids(*rebuilt, q, domain::SearchScope::kPublic), Ids(*followed, q, domain::SearchScope::kPublic)) << q;
  }
  EXPECT_TRUE(Ids(*rebuilt, "arrears", domain::SearchScope::kPublic).empty());
  // Rebuilding again over an existing index gives the same again.
  ASSERT_TRUE(rebuild.Rebuild().ok());
  EXPECT_EQ(rebuilt->DocumentCount(), followed->DocumentCount());
}

}  // namespace
}  // namespace onestop::search
