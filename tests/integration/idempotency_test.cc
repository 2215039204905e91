// Idempotency-Key on POST /cases: a retried request gets the first answer
// (marked Idempotent-Replayed) and creates nothing new; the same key with a
// different body is refused.
#include "api_client.h"

namespace onestop::integration {
namespace {

class IdempotencyTest : public ServerSuite {};

TEST_F(IdempotencyTest, SameKeySameBodyReplays) {
  Api agent = ApiAs(kAgent);
  boost::json::object body = NewCaseBody(ServiceIn("waste", "bin"), CreateCitizen(agent, "Idem"));
  http::HeaderList key = {{"Idempotency-Key", "it-idem-0001"}};

  Reply first = agent.Post("/api/v1/cases", body, key);
  ASSERT_EQ(first.status, 201) << first;
  EXPECT_FALSE(first.HasHeader("Idempotent-Replayed")) << first;
  Reply second = agent.Post("/api/v1/cases", body, key);
  ASSERT_EQ(second.status, 201) << second;
  EXPECT_EQ(second.Int("id"), first.Int("id"));
  EXPECT_EQ(second.Str("reference"), first.Str("reference"));
  EXPECT_EQ(second.Header("Idempotent-Replayed"), "true") << second;

  int64_t case_id = first.Int("id");
  int created = 0;
  for (const auto& event : EventsAfter(agent, 0)) {
    if (event.at("type") == "case.created" && event.at("case_id") == case_id) ++created;
  }
  EXPECT_EQ(created, 1);

  // Another key is another case.
  Reply other = agent.Post("/api/v1/cases", body, {{"Idempotency-Key", "it-idem-0002"}});
  ASSERT_EQ(other.status, 201) << other;
  EXPECT_NE(other.Int("id"), case_id);
}

TEST_F(IdempotencyTest, SameKeyDifferentBodyIsRefused) {
  Api agent = ApiAs(kAgent);
  int64_t citizen_id = CreateCitizen(agent, "Idemdiff");
  http::HeaderList key = {{"Idempotency-Key", "it-idem-0100"}};
  Reply first = agent.Post("/api/v1/cases", NewCaseBody(ServiceIn("waste", "bin"), citizen_id), key);
  ASSERT_EQ(first.status, 201) << first;
  int64_t seq = SettleEvents(agent);

  boost::json::object changed = NewCaseBody(ServiceIn("highways", "pothole"), citizen_id);
  Reply second = agent.Post("/api/v1/cases", changed, key);
  EXPECT_TRUE(second.status == 400 || second.status == 422 || second.status == 409) << second;
  EXPECT_TRUE(IsProblem(second, second.status));
  EXPECT_TRUE(EventsAfter(agent, seq).empty());
}

TEST_F(IdempotencyTest, KeysAreScopedToTheCaller) {
  // The same key from another member of staff is a different request.
  Api agent = ApiAs(kAgent);
  Api supervisor = ApiAs(kSupervisor);
  boost::json::object body = NewCaseBody(ServiceIn("waste", "bin"), CreateCitizen(agent, "Scope"));
  http::HeaderList key = {{"Idempotency-Key", "it-idem-0200"}};
  Reply mine = agent.Post("/api/v1/cases", body, key);
  Reply theirs = supervisor.Post("/api/v1/cases", body, key);
  ASSERT_EQ(mine.status, 201) << mine;
  ASSERT_EQ(theirs.status, 201) << theirs;
  EXPECT_NE(mine.Int("id"), theirs.Int("id"));
}

TEST_F(IdempotencyTest, MalformedKeyIs400) {
  Api agent = ApiAs(kAgent);
  boost::json::object body = NewCaseBody(ServiceIn("waste", "bin"), CreateCitizen(agent, "Badkey"));
  EXPECT_TRUE(IsProblem(
      agent.Post("/api/v1/cases", body, {{"Idempotency-Key", std::string(300, 'k')}}), 400));
}

}  // namespace
}  // namespace onestop::integration
