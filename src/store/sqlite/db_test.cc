// Unit tests for the SQLite RAII layer, the JSON column codec and the
// group-commit writer's failure handling. The behaviour every store must
// have is tested by tests/store (the shared suite).
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <stdexcept>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "store/sqlite/db.h"
#include "store/common/json_columns.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/writer.h"

namespace onestop::store::sqlite {
namespace {

std::string TempDbPath(const char* name) {
  std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) /
                              absl::StrCat("onestop-db-test-", getpid(), "-", name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return (dir / "t.db").string();
}

TEST(DbTest, BindsAndReadsEveryTypeWithCachedStatements) {
  auto db = Db::Open(TempDbPath("types"), {});
  ASSERT_TRUE(db.ok()) << db.status();
  ASSERT_TRUE((*db)->Exec("CREATE TABLE t (i INTEGER, d REAL, s TEXT, n INTEGER, at INTEGER)").ok());
  const absl::Time at = absl::FromUnixMicros(1'700'000'000'654'321);
  for (int row_idx = 0; row_idx < 3; ++row_idx) {  // the second and third reuse the statement
    auto insert = (*db)->Prepare("INSERT INTO t VALUES (?, ?, ?, ?, ?)");
    ASSERT_TRUE(insert.ok());
    std::optional<int64_t> none;
    ASSERT_TRUE(insert->Bind(int64_t{1} << 40).Bind(2.5).Bind("it's; DROP TABLE t").Bind(none).Bind(at).Run().ok());
  }
  auto select = (*db)->Prepare("SELECT i, d, s, n, at FROM t");
  ASSERT_TRUE(select.ok());
  ASSERT_TRUE(*select->Step());
  EXPECT_EQ(select->Int(0), int64_t{1} << 40);
  EXPECT_EQ(select->Double(1), 2.5);
  EXPECT_EQ(select->Text(2), "it's; DROP TABLE t");
  EXPECT_FALSE(select->OptInt(3).has_value());
  EXPECT_EQ(select->Time(4), at);
  // The same SQL while the first is still stepping gets a private statement.
  auto nested = (*db)->Prepare("SELECT i, d, s, n, at FROM t");
  ASSERT_TRUE(nested.ok());
  int rows = 0;
  while (*nested->Step()) ++rows;
  EXPECT_EQ(rows, 3);
}

TEST(DbTest, MapsConstraintErrors) {
  auto db = Db::Open(TempDbPath("errors"), {});
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)->Exec("CREATE TABLE p (id INTEGER PRIMARY KEY, email TEXT UNIQUE);"
                          "CREATE TABLE c (p_id INTEGER REFERENCES p(id));")
                  .ok());
  auto insert = [&](const char* sql, int64_t v) { return (*db)->Prepare(sql)->Bind(v).Run(); };
  ASSERT_TRUE(insert("INSERT INTO p (id, email) VALUES (?, 'a')", 1).ok());
  EXPECT_EQ(insert("INSERT INTO p (id, email) VALUES (?, 'b')", 1).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(insert("INSERT INTO p (id, email) VALUES (?, 'a')", 2).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(insert("INSERT INTO c (p_id) VALUES (?)", 99).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ((*db)->Prepare("SELECT nonsense FROM nowhere").status().code(),
            absl::StatusCode::kInternal);
}

TEST(JsonColumnsTest, RoundTripsAndRejectsCorruptText) {
  domain::FormValues values{{"a", {"1", "2"}}, {"b\"q", {}}, {"c", {"ünïcode\n"}}};
  EXPECT_EQ(*DecodeFormValues(EncodeFormValues(values)), values);
  EXPECT_EQ(*DecodeIds(EncodeIds({1, 5, int64_t{1} << 50})),
            (std::vector<int64_t>{1, 5, int64_t{1} << 50}));
  std::vector<domain::FieldChange> changes{{"status", "new", "open"}};
  EXPECT_EQ(*DecodeChanges(EncodeChanges(changes)), changes);
  EXPECT_EQ(DecodeFormValues("{not json").status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(DecodeStrings("[1]").status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(DecodeChannels(R"(["carrier-pigeon"])").status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(DecodeFormFields(R"([{"code":"x"}])").status().code(), absl::StatusCode::kDataLoss);
}

TEST(MigrationsTest, ApplyIsIdempotentAndVersioned) {
  auto db = Db::Open(TempDbPath("migrations"), {});
  ASSERT_TRUE(db.ok());
  EXPECT_EQ(*ReadSchemaVersion(**db), 0);
  ASSERT_TRUE(ApplyMigrations(**db, absl::Now()).ok());
  EXPECT_EQ(*ReadSchemaVersion(**db), static_cast<int>(Migrations().size()));
  ASSERT_TRUE(ApplyMigrations(**db, absl::Now()).ok());
  auto count = (*db)->Prepare("SELECT COUNT(*) FROM schema_migrations");
  ASSERT_TRUE(*count->Step());
  EXPECT_EQ(count->Int(0), static_cast<int64_t>(Migrations().size()));
}

TEST(MigrationsTest, RefusesADatabaseNewerThanTheBinary) {
  auto db = Db::Open(TempDbPath("newer"), {});
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(ApplyMigrations(**db, absl::Now()).ok());
  ASSERT_TRUE((*db)->Exec("INSERT INTO schema_migrations VALUES (999, 0)").ok());
  EXPECT_EQ(ApplyMigrations(**db, absl::Now()).code(), absl::StatusCode::kFailedPrecondition);
}

TEST(GroupCommitWriterTest, ExceptionFailsOnlyItsOwnJob) {
  const std::string path = TempDbPath("writer");
  auto db = Db::Open(path, {});
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(ApplyMigrations(**db, absl::Now()).ok());
  std::unique_ptr<GroupCommitWriter> started = StartWriter(std::move(*db), 64);
  GroupCommitWriter& writer = *started;
  std::vector<std::thread> threads;
  std::atomic<int> ok{0}, internal{0};
  for (int thread_idx = 0; thread_idx < 8; ++thread_idx) {
    threads.emplace_back([&, thread_idx] {
      GroupCommitWriter::Fn fn = [thread_idx](domain::WriteTxn& txn) -> absl::Status {
        absl::StatusOr<int64_t> n = txn.NextCaseNumber();
        if (!n.ok()) return n.status();
        if (thread_idx == 3) throw std::runtime_error("boom");
        return absl::OkStatus();
      };
      absl::Status status = writer.Submit(fn);
      (status.ok() ? ok : internal)++;
      if (thread_idx == 3) {
        EXPECT_EQ(status.code(), absl::StatusCode::kInternal);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(ok.load(), 7);
  EXPECT_EQ(internal.load(), 1);
  writer.Close();
  EXPECT_EQ(writer.Submit([](domain::WriteTxn&) { return absl::OkStatus(); }).code(),
            absl::StatusCode::kUnavailable);
  // Only the seven successful jobs consumed numbers that stuck.
  auto check = Db::Open(path, {});
  auto value = (*check)->Prepare("SELECT value FROM counters WHERE name = 'case_number'");
  ASSERT_TRUE(*value->Step());
  EXPECT_EQ(value->Int(0), 7);
}

}  // namespace
}  // namespace onestop::store::sqlite
