// Several nodes on one PostgreSQL: two `onestop serve` processes share the
// suite's database. What one node acknowledged, the other sees; optimistic
// concurrency, idempotency keys, case references and the event feed hold
// across nodes. And the database restarting under load: requests in flight
// fail with 503, the pools reconnect, nothing acknowledged is lost.
// PostgreSQL only (ctest: Integration.MultiNode.postgres,
// Integration.PostgresFaults.postgres).
#include <atomic>
#include <cstdlib>
#include <mutex>
#include <set>
#include <thread>

#include "api_client.h"

namespace onestop::integration {
namespace {

class MultiNodeTest : public ServerSuite {
 protected:
  static void SetUpTestSuite() {
    ServerSuite::SetUpTestSuite();
    if (!OnestopProcess::UsesPostgres() || !started_) return;
    node_b_ = std::make_unique<OnestopProcess>(server().database_url());
    if (!node_b_->Start()) node_b_.reset();
  }
  static void TearDownTestSuite() {
    if (node_b_ && node_b_->Alive()) { EXPECT_EQ(node_b_->Stop(), 0); }
    node_b_.reset();
    ServerSuite::TearDownTestSuite();
  }
  void SetUp() override {
    if (!OnestopProcess::UsesPostgres()) GTEST_SKIP() << "several nodes need PostgreSQL";
    ServerSuite::SetUp();
    if (IsSkipped()) return;
    ASSERT_NE(node_b_, nullptr) << "node B did not start";
  }
  static uint16_t port_b() { return node_b_->port(); }

  static inline std::unique_ptr<OnestopProcess> node_b_;
};

TEST_F(MultiNodeTest, CreateOnAReadAndUpdateOnB) {
  Api a = ApiAs(kAgent);
  Api b(port_b(), TokenFor(kAgent));
  Reply created = CreateCase(a, ServiceIn("waste", "bin"), CreateCitizen(a, "Twonode"));
  std::string target = "/api/v1/cases/" + std::to_string(created.Int("id"));
  Reply on_b = b.Get(target);
  ASSERT_EQ(on_b.status, 200) << on_b;
  EXPECT_EQ(on_b.json, created.json);
  Reply patched = b.Patch(target, boost::json::object{{"priority", "urgent"}},
                          {{"If-Match", created.Header("ETag")}});
  ASSERT_EQ(patched.status, 200) << patched;
  Reply back_on_a = a.Get(target);
  EXPECT_EQ(back_on_a.Int("version"), created.Int("version") + 1);
  EXPECT_EQ(back_on_a.Str("priority"), "urgent");
}

TEST_F(MultiNodeTest, RacingPatchesThroughBothNodesHaveOneWinner) {
  Api setup = ApiAs(kAgent);
  Reply created = CreateCase(setup, ServiceIn("highways", "pothole"), CreateCitizen(setup, "Race"));
  std::string target = "/api/v1/cases/" + std::to_string(created.Int("id"));
  std::string etag = created.Header("ETag");
  std::string token = TokenFor(kAgent);
  constexpr int kThreads = 8;
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  std::vector<int> statuses(kThreads, 0);
  std::vector<std::thread> threads;
  for (int thread_idx = 0; thread_idx < kThreads; ++thread_idx) {
    threads.emplace_back([&, thread_idx] {
      Api api(thread_idx % 2 == 0 ? port() : port_b(), token);
      api.Get("/healthz");
      ++ready;
      while (!go.load()) std::this_thread::yield();
      Reply reply = api.Patch(target, boost::json::object{{"summary", "racer " + std::to_string(thread_idx)}},
                              {{"If-Match", etag}});
      statuses[thread_idx] = reply.status;
      if (reply.status == 412) { EXPECT_TRUE(IsProblem(reply, 412)); }
    });
  }
  while (ready.load() < kThreads) std::this_thread::yield();
  go = true;
  for (std::thread& thread : threads) thread.join();
  int ok = 0, stale = 0;
  for (int status : statuses) {
    ok += status == 200;
    stale += status == 412;
  }
  EXPECT_EQ(ok, 1);
  EXPECT_EQ(stale, kThreads - 1);
  EXPECT_EQ(Api(port_b(), token).Get(target).Int("version"), created.Int("version") + 1);
}

TEST_F(MultiNodeTest, IdempotencyKeysHoldAcrossNodes) {
  Api a = ApiAs(kAgent);
  Api b(port_b(), TokenFor(kAgent));
  boost::json::object body = NewCaseBody(ServiceIn("waste", "bin"), CreateCitizen(a, "Idemnode"));
  http::HeaderList key = {{"Idempotency-Key", "it-multinode-0001"}};
  Reply first = a.Post("/api/v1/cases", body, key);
  ASSERT_EQ(first.status, 201) << first;
  Reply second = b.Post("/api/v1/cases", body, key);
  ASSERT_EQ(second.status, 201) << second;
  EXPECT_EQ(second.Int("id"), first.Int("id"));
  EXPECT_EQ(second.Header("Idempotent-Replayed"), "true");
}

TEST_F(MultiNodeTest, ReferencesUniqueAndEventsGapFreeOnBothNodes) {
  Api setup = ApiAs(kAgent);
  std::string text =
      boost::json::serialize(NewCaseBody(ServiceIn("waste", "bin"), CreateCitizen(setup, "Many")));
  std::string token = TokenFor(kAgent);
  std::mutex mu;
  std::set<int64_t> ids;
  std::set<std::string> references;
  int failures = 0;
  std::vector<std::thread> threads;
  for (int thread_idx = 0; thread_idx < 6; ++thread_idx) {
    threads.emplace_back([&, thread_idx] {
      Api api(thread_idx % 2 == 0 ? port() : port_b(), token);
      for (int request_idx = 0; request_idx < 30; ++request_idx) {
        Reply reply = api.Send("POST", "/api/v1/cases", text);
        std::lock_guard<std::mutex> lock(mu);
        if (reply.status != 201) {
          ++failures;
          continue;
        }
        ids.insert(reply.Int("id"));
        references.insert(reply.Str("reference"));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(ids.size(), 180u);
  EXPECT_EQ(references.size(), 180u);

  Api on_a = ApiAs(kAgent);
  Api on_b(port_b(), token);
  SettleEvents(on_a);  // the leader raises case tasks for the new cases
  std::vector<boost::json::object> events_a = EventsAfter(on_a, 0);
  std::vector<boost::json::object> events_b = EventsAfter(on_b, 0);
  ASSERT_FALSE(events_a.empty());
  EXPECT_EQ(events_a, events_b) << "both nodes serve the same feed";
  for (size_t idx = 0; idx < events_a.size(); ++idx) {
    ASSERT_EQ(events_a[idx].at("seq").as_int64(), static_cast<int64_t>(idx) + 1)
        << "the feed must be gap-free and ordered";
  }
}

class PostgresFaultsTest : public ServerSuite {
 protected:
  void SetUp() override {
    if (!OnestopProcess::UsesPostgres()) GTEST_SKIP() << "restarting the database needs PostgreSQL";
    ServerSuite::SetUp();
  }
};

TEST_F(PostgresFaultsTest, DatabaseRestartUnderLoadLosesNoAcknowledgedWrite) {
  const char* restart = getenv("ONESTOP_TEST_POSTGRES_RESTART");
  if (restart == nullptr || *restart == '\0') GTEST_SKIP() << "ONESTOP_TEST_POSTGRES_RESTART not set";
  Api setup = ApiAs(kAgent);
  std::string text =
      boost::json::serialize(NewCaseBody(ServiceIn("waste", "bin"), CreateCitizen(setup, "Restart")));
  std::string token = TokenFor(kAgent);
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::set<int64_t> acked;
  std::map<int, int> other_statuses;
  std::vector<std::string> bad_bodies;
  std::vector<std::thread> threads;
  for (int thread_idx = 0; thread_idx < 4; ++thread_idx) {
    threads.emplace_back([&] {
      Api api(port(), token);
      while (!stop.load()) {
        Reply reply = api.Send("POST", "/api/v1/cases", text);
        std::lock_guard<std::mutex> lock(mu);
        if (reply.status == 201) {
          acked.insert(reply.Int("id"));
        } else {
          ++other_statuses[reply.status];
          if (reply.status == 503 && !IsProblem(reply, 503) && bad_bodies.size() < 3) {
            bad_bodies.push_back(reply.body);
          }
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  int rc = std::system(restart);
  ASSERT_EQ(rc, 0) << "restart command failed: " << restart;
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  stop = true;
  for (std::thread& thread : threads) thread.join();

  for (const auto& [status, count] : other_statuses) {
    EXPECT_EQ(status, 503) << count << " responses with status " << status;
  }
  EXPECT_TRUE(bad_bodies.empty()) << "503 without a problem body: " << bad_bodies.front();
  ASSERT_GT(acked.size(), 0u);
  // Every acknowledged case is there after the restart.
  Api check = ApiAs(kAgent);
  int missing = 0;
  for (int64_t id : acked) missing += check.Get("/api/v1/cases/" + std::to_string(id)).status != 200;
  EXPECT_EQ(missing, 0) << "of " << acked.size() << " acknowledged cases";
  // And the server writes again.
  Reply after = check.Send("POST", "/api/v1/cases", text);
  EXPECT_EQ(after.status, 201) << after;
  RecordProperty("acknowledged", std::to_string(acked.size()));
  RecordProperty("unavailable", std::to_string(other_statuses[503]));
}

}  // namespace
}  // namespace onestop::integration
