// Helpers for the integration tests: a JSON-speaking wrapper over
// http::TestClient (Api), the reply type it returns, the shared fixture that
// runs one seeded server per test suite (ServerSuite), and small builders for
// valid request bodies taken from the live catalogue, so the tests keep
// working when the demo council's services change.
//
// Threads: an Api wraps one connection; give each thread its own. The
// fixture's statics are set up and torn down by GoogleTest on the main thread.
#pragma once

#include <boost/json.hpp>
#include <chrono>
#include <thread>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "http/request.h"
#include "http/testing/test_client.h"
#include "onestop_process.h"

namespace onestop::integration {

// Polls `f` every 100 ms until it is true or `limit` has passed; its last answer.
template <typename F>
bool WaitFor(F f, std::chrono::milliseconds limit = std::chrono::seconds(20)) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (f()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return f();
}

// The demo council's logins (data/demo/council.json).
inline constexpr char kAdmin[] = "admin@fairhaven.example";
inline constexpr char kSupervisor[] = "supervisor@fairhaven.example";
inline constexpr char kAgent[] = "agent@fairhaven.example";
inline constexpr char kWasteOfficer[] = "waste.officer@fairhaven.example";
inline constexpr char kHighwaysOfficer[] = "highways.officer@fairhaven.example";
inline constexpr char kDemoPassword[] = "fairhaven-demo";

struct Reply {
  int status = 0;  // 0: transport failure (body says why)
  std::string body;
  std::string content_type;
  http::HeaderList headers;
  boost::json::value json;  // null unless the body parsed as JSON

  // First header of that name (case-insensitive), or "".
  std::string Header(std::string_view name) const;
  bool HasHeader(std::string_view name) const;
  // Members of a JSON object body; a missing key gives null / "" / 0.
  const boost::json::value& At(std::string_view key) const;
  std::string Str(std::string_view key) const;
  int64_t Int(std::string_view key) const;
  // The "items" array (empty when absent).
  const boost::json::array& Items() const;
};

// For gtest failure messages.
std::ostream& operator<<(std::ostream& out, const Reply& reply);

class Api {
 public:
  explicit Api(uint16_t port, std::string token = "");

  void set_token(std::string token) { token_ = std::move(token); }
  const std::string& token() const { return token_; }
  http::TestClient& client() { return client_; }

  Reply Get(std::string_view target, const http::HeaderList& headers = {});
  Reply Delete(std::string_view target, const http::HeaderList& headers = {});
  Reply Post(std::string_view target, const boost::json::value& body,
             const http::HeaderList& headers = {});
  Reply Patch(std::string_view target, const boost::json::value& body,
              const http::HeaderList& headers = {});
  Reply Put(std::string_view target, const boost::json::value& body,
            const http::HeaderList& headers = {});
  // Sends `body` verbatim. Content-Type application/json unless `headers`
  // carries one; Authorization added from the token unless `headers` has one.
  Reply Send(std::string_view method, std::string_view target, std::string_view body,
             const http::HeaderList& headers = {});

 private:
  http::TestClient client_;
  std::string token_;
};

// Checks an RFC 9457 problem response: status, content type and the
// type/title/status/detail members. Use inside EXPECT_TRUE / ASSERT_TRUE.
::testing::AssertionResult IsProblem(const Reply& reply, int status);
// IsProblem plus an errors[] entry whose "field" equals or starts with `field`.
::testing::AssertionResult IsFieldProblem(const Reply& reply, int status, std::string_view field);

// A service from GET /api/v1/services.
struct ServiceInfo {
  std::string code;
  std::string department;
  boost::json::object json;
};

// Fixture base: one seeded server per test suite, plus cached logins.
class ServerSuite : public ::testing::Test {
 public:
  static void SetUpTestSuite();
  static void TearDownTestSuite();

 protected:
  void SetUp() override;

  static OnestopProcess& server() { return *server_; }
  static uint16_t port() { return server_->port(); }
  // Token for a demo login (logged in once per suite).
  static std::string TokenFor(const std::string& email);
  static Api ApiAs(const std::string& email) { return Api(port(), TokenFor(email)); }

  // The catalogue as served (fetched once per suite).
  static const std::vector<ServiceInfo>& Services();
  // An active service of `department` offered on the phone channel, preferring
  // one whose code contains `hint`. Fails the test if there is none.
  static const ServiceInfo& ServiceIn(std::string_view department, std::string_view hint = "");
  // Values satisfying every required field of the service (and, with `all`,
  // every optional field as well).
  static boost::json::object ValidValues(const ServiceInfo& service, bool all = false);
  // A full POST /cases body for a phone case.
  static boost::json::object NewCaseBody(const ServiceInfo& service, int64_t citizen_id);

  // POST /citizens as the agent; returns the id (0 + test failure on error).
  static int64_t CreateCitizen(Api& api, const boost::json::object& body);
  static int64_t CreateCitizen(Api& api, std::string_view given_name);
  // POST /cases; returns the reply (expects 201).
  static Reply CreateCase(Api& api, const ServiceInfo& service, int64_t citizen_id);
  // The highest event seq right now (walks the feed).
  static int64_t LastEventSeq(Api& api);
  // Waits until the feed has stopped growing (no new event for 600 ms; at
  // most 10 s) and returns its last seq. Some writes cause later ones on
  // their own: a new case of a team with a case queue becomes a routing
  // case task a moment after (services/case_tasks.h).
  static int64_t SettleEvents(Api& api);
  // Every event after `after` (walks the feed's pages).
  static std::vector<boost::json::object> EventsAfter(Api& api, int64_t after);

  static inline std::unique_ptr<OnestopProcess> server_;
  static inline std::map<std::string, std::string> tokens_;
  static inline std::vector<ServiceInfo> services_;
  static inline bool started_ = false;
};

// "4K7P-9QX3" shape: 4 + '-' + 3 Crockford symbols + a check symbol.
bool LooksLikeReference(std::string_view text);

}  // namespace onestop::integration
