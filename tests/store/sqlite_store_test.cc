// Runs the store suite against SqliteStore (a fresh file in a temp dir per
// test), plus SQLite-only tests: migrations and Open without migrating.
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "store/sqlite/sqlite_store.h"
#include "tests/store/store_suite.h"

namespace onestop::store_test {
namespace {

using store::sqlite::SqliteStore;

// The directories FreshPath made, removed when the test process ends (the
// stores are closed by then: StoreSuite::TearDown destroys them).
struct TempDirs {
  std::mutex mu;
  std::vector<std::filesystem::path> dirs;
  ~TempDirs() {
    std::error_code ec;
    for (const auto& dir : dirs) std::filesystem::remove_all(dir, ec);
  }
};

std::string FreshPath() {
  static std::atomic<int> counter{0};
  static TempDirs made;
  std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) /
                              absl::StrCat("onestop-store-", getpid(), "-", counter++);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  {
    std::lock_guard lock(made.mu);
    made.dirs.push_back(dir);
  }
  return (dir / "onestop.db").string();
}

std::unique_ptr<SqliteStore> OpenOrDie(const std::string& path, bool migrate) {
  SqliteStore::Options options;
  options.read_pool_size = 3;
  auto store = SqliteStore::Open(path, options);
  EXPECT_TRUE(store.ok()) << store.status();
  if (!store.ok()) return nullptr;
  if (migrate) {
    absl::Status status = (*store)->Migrate();
    EXPECT_TRUE(status.ok()) << status;
  }
  return std::move(*store);
}

StoreFactory MakeSqliteFactory() {
  auto last_path = std::make_shared<std::string>();
  StoreFactory factory;
  factory.name = "Sqlite";
  factory.make = [last_path]() -> std::unique_ptr<domain::Store> {
    *last_path = FreshPath();
    return OpenOrDie(*last_path, /*migrate=*/true);
  };
  factory.reopen = [last_path]() -> std::unique_ptr<domain::Store> {
    return OpenOrDie(*last_path, /*migrate=*/true);
  };
  return factory;
}

}  // namespace

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreSuite, ::testing::Values(MakeSqliteFactory()),
                         StoreFactoryName);

TEST(SqliteStoreTest, OpenDoesNotMigrateAndMigrateIsIdempotent) {
  std::string path = FreshPath();
  std::unique_ptr<SqliteStore> store = OpenOrDie(path, /*migrate=*/false);
  ASSERT_NE(store, nullptr);
  absl::StatusOr<int> version = store->SchemaVersion();
  ASSERT_TRUE(version.ok()) << version.status();
  EXPECT_EQ(*version, 0);
  EXPECT_EQ(store->GetCase(1).status().code(), absl::StatusCode::kInternal);  // no tables yet

  ASSERT_TRUE(store->Migrate().ok());
  EXPECT_EQ(*store->SchemaVersion(), SqliteStore::LatestSchemaVersion());
  EXPECT_GE(SqliteStore::LatestSchemaVersion(), 1);
  absl::Status again = store->Migrate();
  EXPECT_TRUE(again.ok()) << again;
  EXPECT_EQ(*store->SchemaVersion(), SqliteStore::LatestSchemaVersion());
  EXPECT_EQ(store->GetCase(1).status().code(), absl::StatusCode::kNotFound);

  // Migrating while the writer is busy with data is fine too.
  ASSERT_TRUE(store->Write([](domain::WriteTxn& txn) { return txn.NextCaseNumber().status(); }).ok());
  store.reset();
  store = OpenOrDie(path, /*migrate=*/true);
  EXPECT_EQ(*store->SchemaVersion(), SqliteStore::LatestSchemaVersion());
}

TEST(SqliteStoreTest, OpenFailsClearlyWhenDirectoryIsMissing) {
  auto store = SqliteStore::Open("/nonexistent-dir-onestop/x.db");
  EXPECT_FALSE(store.ok());
}

TEST(SqliteStoreTest, GroupCommitBatchesConcurrentWrites) {
  std::unique_ptr<SqliteStore> store = OpenOrDie(FreshPath(), /*migrate=*/true);
  std::vector<std::thread> threads;
  for (int thread_idx = 0; thread_idx < 16; ++thread_idx) {
    threads.emplace_back([&store] {
      for (int write_idx = 0; write_idx < 50; ++write_idx) {
        absl::Status status = store->Write([](domain::WriteTxn& txn) {
          domain::Event e;
          e.entity = "case";
          e.type = "case.created";
          return txn.AppendEvent(e).status();
        });
        EXPECT_TRUE(status.ok()) << status;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(store->CompletedWrites(), 800);
  EXPECT_LT(store->CommittedBatches(), 800);  // some writes shared a commit
}

}  // namespace onestop::store_test
