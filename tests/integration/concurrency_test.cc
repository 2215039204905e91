// Many clients at once: parallel case creation over keep-alive connections
// (every request answered, ids and references unique, all visible through the
// paged list) and optimistic concurrency under a race (one winner, the rest
// 412).
#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "api_client.h"

namespace onestop::integration {
namespace {

constexpr int kThreads = 8;
constexpr int kCasesPerThread = 50;

class ConcurrencyTest : public ServerSuite {};

// Every case id in GET /cases, following the `next` cursor.
std::set<int64_t> AllCaseIds(Api& api, int* pages) {
  std::set<int64_t> ids;
  std::string target = "/api/v1/cases?limit=200";
  *pages = 0;
  while (*pages < 1000) {
    Reply reply = api.Get(target);
    EXPECT_EQ(reply.status, 200) << reply;
    if (reply.status != 200) break;
    ++*pages;
    EXPECT_LE(reply.Items().size(), 200u);
    for (const auto& item : reply.Items()) {
      bool fresh = ids.insert(item.as_object().at("id").as_int64()).second;
      EXPECT_TRUE(fresh) << "case listed twice: " << item;
    }
    const boost::json::value& next = reply.At("next");
    if (!next.is_string()) break;
    target = "/api/v1/cases?limit=200&after=" + std::string(next.as_string());
  }
  return ids;
}

TEST_F(ConcurrencyTest, ParallelCreatesOverKeepAlive) {
  Api setup = ApiAs(kAgent);
  int64_t citizen_id = CreateCitizen(setup, "Parallel");
  boost::json::object body = NewCaseBody(ServiceIn("waste", "bin"), citizen_id);
  std::string text = boost::json::serialize(body);
  int pages = 0;
  std::set<int64_t> before = AllCaseIds(setup, &pages);
  std::string token = TokenFor(kAgent);

  std::mutex mu;
  std::set<int64_t> ids;
  std::set<std::string> references;
  std::vector<std::string> failures;
  std::atomic<int> created{0};
  std::vector<int> connections(kThreads, 0);
  std::vector<std::thread> threads;
  for (int thread_idx = 0; thread_idx < kThreads; ++thread_idx) {
    threads.emplace_back([&, thread_idx] {
      Api api(port(), token);
      for (int request_idx = 0; request_idx < kCasesPerThread; ++request_idx) {
        Reply reply = api.Send("POST", "/api/v1/cases", text);
        std::lock_guard<std::mutex> lock(mu);
        if (reply.status != 201) {
          if (failures.size() < 5) {
            failures.push_back(std::to_string(reply.status) + " " + reply.body.substr(0, 300));
          }
          continue;
        }
        ++created;
        ids.insert(reply.Int("id"));
        references.insert(reply.Str("reference"));
      }
      connections[thread_idx] = api.client().connections_opened();
    });
  }
  for (std::thread& thread : threads) thread.join();

  EXPECT_EQ(created.load(), kThreads * kCasesPerThread);
  for (const std::string& failure : failures) ADD_FAILURE() << "POST /cases gave " << failure;
  EXPECT_EQ(ids.size(), static_cast<size_t>(created.load())) << "ids must be unique";
  EXPECT_EQ(references.size(), static_cast<size_t>(created.load()))
      << "references must be unique";
  for (int thread_idx = 0; thread_idx < kThreads; ++thread_idx) {
    EXPECT_EQ(connections[thread_idx], 1) << "thread " << thread_idx
                                          << " should have kept one connection alive";
  }

  std::set<int64_t> after = AllCaseIds(setup, &pages);
  EXPECT_GE(pages, 2);
  std::set<int64_t> fresh;
  for (int64_t id : after) {
    if (!before.count(id)) fresh.insert(id);
  }
  EXPECT_EQ(fresh, ids) << "the paged list should show exactly the new cases";
}

TEST_F(ConcurrencyTest, RacingPatchesWithOneETagHaveOneWinner) {
  Api setup = ApiAs(kAgent);
  Reply created = CreateCase(setup, ServiceIn("highways", "pothole"), CreateCitizen(setup, "Race"));
  std::string target = "/api/v1/cases/" + std::to_string(created.Int("id"));
  std::string etag = created.Header("ETag");
  ASSERT_FALSE(etag.empty());
  std::string token = TokenFor(kAgent);
  const char* priorities[] = {"low", "high", "urgent", "low", "high", "urgent", "low", "high"};

  // Connect first, then release all threads together.
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  std::vector<int> statuses(kThreads, 0);
  std::vector<std::thread> threads;
  for (int thread_idx = 0; thread_idx < kThreads; ++thread_idx) {
    threads.emplace_back([&, thread_idx] {
      Api api(port(), token);
      api.Get("/healthz");
      ++ready;
      while (!go.load()) std::this_thread::yield();
      Reply reply = api.Patch(target, boost::json::object{{"priority", priorities[thread_idx]}},
                              {{"If-Match", etag}});
      statuses[thread_idx] = reply.status;
      if (reply.status == 412) { EXPECT_TRUE(IsProblem(reply, 412)); }
    });
  }
  while (ready.load() < kThreads) std::this_thread::yield();
  go = true;
  for (std::thread& thread : threads) thread.join();

  int ok = 0, precondition_failed = 0;
  for (int status : statuses) {
    ok += status == 200;
    precondition_failed += status == 412;
  }
  EXPECT_EQ(ok, 1);
  EXPECT_EQ(precondition_failed, kThreads - 1);
  Reply final_state = setup.Get(target);
  EXPECT_EQ(final_state.Int("version"), created.Int("version") + 1) << final_state;
}

}  // namespace
}  // namespace onestop::integration
