// Runs the store suite against PgStore, plus PostgreSQL-only tests: migrations
// racing from two "nodes", two stores on one database (gap-free event seq,
// unique case numbers, optimistic concurrency), LISTEN/NOTIFY latency, and a
// clear error when the database is down.
//
// Needs ONESTOP_TEST_POSTGRES_URL (scripts/with-postgres.sh sets it; `make
// test` runs ctest inside it). Without it every test here reports SKIPPED.
// Each test gets a schema of its own (search_path in the connection URL).
#include <unistd.h>

#include <libpq-fe.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "store/postgres/pg_store.h"
#include "tests/store/store_suite.h"

namespace onestop::store_test {
namespace {

using store::postgres::PgStore;

constexpr char kNoPostgres[] =
    "ONESTOP_TEST_POSTGRES_URL is not set: PostgreSQL tests skipped "
    "(run them with scripts/with-postgres.sh, as `make test` does)";

std::string BaseUrl() {
  const char* url = getenv("ONESTOP_TEST_POSTGRES_URL");
  return url ? url : "";
}

// A fresh schema; returns a URL whose connections use it.
std::string FreshSchemaUrl() {
  static std::atomic<int> counter{0};
  std::string schema = absl::StrCat("t_", getpid(), "_", counter++, "_",
                                    std::chrono::steady_clock::now().time_since_epoch().count());
  PGconn* conn = PQconnectdb(BaseUrl().c_str());
  EXPECT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
  PGresult* result =
      PQexec(conn, absl::StrCat("DROP SCHEMA IF EXISTS ", schema, " CASCADE; CREATE SCHEMA ", schema).c_str());
  EXPECT_EQ(PQresultStatus(result), PGRES_COMMAND_OK) << PQerrorMessage(conn);
  PQclear(result);
  PQfinish(conn);
  std::string base = BaseUrl();
  return absl::StrCat(base, base.find('?') == std::string::npos ? "?" : "&",
                      "options=-csearch_path%3D", schema);
}

std::unique_ptr<PgStore> OpenOrDie(const std::string& url, bool migrate) {
  PgStore::Options options;
  options.pool_size = 3;
  auto store = PgStore::Open(url, options);
  EXPECT_TRUE(store.ok()) << store.status();
  if (!store.ok()) return nullptr;
  if (migrate) {
    absl::Status status = (*store)->Migrate();
    EXPECT_TRUE(status.ok()) << status;
  }
  return std::move(*store);
}

StoreFactory MakePostgresFactory() {
  auto last_url = std::make_shared<std::string>();
  StoreFactory factory;
  factory.name = "Postgres";
  if (BaseUrl().empty()) factory.unavailable = kNoPostgres;
  factory.make = [last_url]() -> std::unique_ptr<domain::Store> {
    *last_url = FreshSchemaUrl();
    return OpenOrDie(*last_url, /*migrate=*/true);
  };
  factory.reopen = [last_url]() -> std::unique_ptr<domain::Store> {
    return OpenOrDie(*last_url, /*migrate=*/true);
  };
  return factory;
}

class PgStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (BaseUrl().empty()) GTEST_SKIP() << kNoPostgres;
  }
};

absl::StatusOr<int64_t> AppendOneEvent(domain::Store& store) {
  int64_t seq = 0;
  absl::Status status = store.Write([&seq](domain::WriteTxn& txn) -> absl::Status {
    domain::Event e;
    e.entity = "case";
    e.type = "case.created";
    absl::StatusOr<int64_t> appended = txn.AppendEvent(e);
    if (!appended.ok()) return appended.status();
    seq = *appended;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return seq;
}

}  // namespace

INSTANTIATE_TEST_SUITE_P(Postgres, StoreSuite, ::testing::Values(MakePostgresFactory()),
                         StoreFactoryName);

TEST_F(PgStoreTest, ConcurrentMigrationsFromTwoNodesAreSafe) {
  std::string url = FreshSchemaUrl();
  std::unique_ptr<PgStore> a = OpenOrDie(url, false);
  std::unique_ptr<PgStore> b = OpenOrDie(url, false);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*a->SchemaVersion(), 0);
  absl::Status status_a, status_b;
  std::thread thread_a([&] { status_a = a->Migrate(); });
  std::thread thread_b([&] { status_b = b->Migrate(); });
  thread_a.join();
  thread_b.join();
  EXPECT_TRUE(status_a.ok()) << status_a;
  EXPECT_TRUE(status_b.ok()) << status_b;
  EXPECT_EQ(*a->SchemaVersion(), PgStore::LatestSchemaVersion());
  EXPECT_TRUE(a->Migrate().ok());
}

TEST_F(PgStoreTest, OpenFailsClearlyWhenTheDatabaseIsDown) {
  auto store = PgStore::Open("postgresql://postgres@127.0.0.1:1/nowhere?connect_timeout=2");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(store.status().message().find("cannot connect to PostgreSQL"), std::string::npos)
      << store.status();
}

TEST_F(PgStoreTest, TwoNodesShareGapFreeEventsAndUniqueCaseNumbers) {
  std::string url = FreshSchemaUrl();
  std::unique_ptr<PgStore> a = OpenOrDie(url, true);
  std::unique_ptr<PgStore> b = OpenOrDie(url, true);
  ASSERT_TRUE(a && b);
  std::mutex mu;
  std::set<int64_t> seqs, numbers;
  std::vector<std::thread> threads;
  for (int thread_idx = 0; thread_idx < 8; ++thread_idx) {
    PgStore* node = thread_idx % 2 == 0 ? a.get() : b.get();
    threads.emplace_back([&, node] {
      for (int write_idx = 0; write_idx < 40; ++write_idx) {
        int64_t seq = 0, number = 0;
        absl::Status status = node->Write([&](domain::WriteTxn& txn) -> absl::Status {
          absl::StatusOr<int64_t> n = txn.NextCaseNumber();
          if (!n.ok()) return n.status();
          number = *n;
          domain::Event e;
          e.entity = "case";
          e.type = "case.created";
          e.entity_id = number;
          absl::StatusOr<int64_t> s = txn.AppendEvent(e);
          if (!s.ok()) return s.status();
          seq = *s;
          return absl::OkStatus();
        });
        ASSERT_TRUE(status.ok()) << status;
        std::lock_guard<std::mutex> lock(mu);
        EXPECT_TRUE(seqs.insert(seq).second) << "seq repeated " << seq;
        EXPECT_TRUE(numbers.insert(number).second) << "case number repeated " << number;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  ASSERT_EQ(seqs.size(), 320u);
  EXPECT_EQ(*seqs.begin(), 1);
  EXPECT_EQ(*seqs.rbegin(), 320) << "seq must be gap-free";
  for (PgStore* node : {a.get(), b.get()}) {
    domain::EventQuery query;
    query.limit = 1000;
    std::vector<domain::Event> events;
    while (true) {
      auto page = node->ListEvents(query);
      ASSERT_TRUE(page.ok()) << page.status();
      if (page->empty()) break;
      for (domain::Event& e : *page) events.push_back(e);
      query.after_seq = page->back().seq;
    }
    ASSERT_EQ(events.size(), 320u);
    for (size_t idx = 0; idx < events.size(); ++idx) EXPECT_EQ(events[idx].seq, int64_t(idx) + 1);
  }
}

TEST_F(PgStoreTest, VersionConflictAcrossNodesIsAborted) {
  std::string url = FreshSchemaUrl();
  std::unique_ptr<PgStore> a = OpenOrDie(url, true);
  std::unique_ptr<PgStore> b = OpenOrDie(url, true);
  domain::Case c;
  c.service_code = "pothole";
  c.department = "highways";
  c.version = 1;
  ASSERT_TRUE(a->Write([&](domain::WriteTxn& txn) -> absl::Status {
                 auto n = txn.NextCaseNumber();
                 if (!n.ok()) return n.status();
                 c.id = *n;
                 c.reference = absl::StrCat("R", *n);
                 return txn.InsertCase(c);
               }).ok());
  domain::Case update = c;
  update.version = 2;
  EXPECT_TRUE(b->Write([&](domain::WriteTxn& txn) { return txn.UpdateCase(update, 1); }).ok());
  absl::Status stale = a->Write([&](domain::WriteTxn& txn) { return txn.UpdateCase(update, 1); });
  EXPECT_EQ(stale.code(), absl::StatusCode::kAborted) << stale;
}

TEST_F(PgStoreTest, ChangeFeedHearsAnotherNodeWithin100ms) {
  std::string url = FreshSchemaUrl();
  std::unique_ptr<PgStore> writer = OpenOrDie(url, true);
  std::unique_ptr<PgStore> listener = OpenOrDie(url, true);
  std::mutex mu;
  std::condition_variable cv;
  int heard = 0;
  int handle = listener->changes().Subscribe([&] {
    std::lock_guard<std::mutex> lock(mu);
    ++heard;
    cv.notify_all();
  });
  // Let the listener connect (it reports once on connecting).
  {
    std::unique_lock<std::mutex> lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(5), [&] { return heard > 0; }));
  }
  std::vector<double> latencies_ms;
  for (int round = 0; round < 10; ++round) {
    int before;
    {
      std::lock_guard<std::mutex> lock(mu);
      before = heard;
    }
    auto start = std::chrono::steady_clock::now();
    ASSERT_TRUE(AppendOneEvent(*writer).ok());  // returns after COMMIT
    std::unique_lock<std::mutex> lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(2), [&] { return heard > before; }));
    latencies_ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  listener->changes().Unsubscribe(handle);
  std::sort(latencies_ms.begin(), latencies_ms.end());
  EXPECT_LT(latencies_ms.back(), 100.0) << "slowest notification (write + commit + notify), ms";
  RecordProperty("notify_latency_max_ms", std::to_string(latencies_ms.back()));
}

TEST_F(PgStoreTest, SerializationFailuresAreRetried) {
  // A job that fails with 40001 the first time it runs succeeds when the
  // writer runs the batch again.
  std::unique_ptr<PgStore> store = OpenOrDie(FreshSchemaUrl(), true);
  std::atomic<int> runs{0};
  absl::Status status = store->Write([&](domain::WriteTxn& txn) -> absl::Status {
    if (runs++ == 0) {
      absl::Status conflict = absl::UnavailableError("simulated serialization failure");
      conflict.SetPayload("onestop.store/retryable", absl::Cord("1"));
      return conflict;
    }
    return txn.NextCaseNumber().status();
  });
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_EQ(runs.load(), 2);
}

}  // namespace onestop::store_test
