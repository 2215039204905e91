// Handlers through the Router (no socket) on a real SQLite store: the
// adapter's own behaviour (auth, 401/404/415/400 mapping, ETags, If-Match,
// idempotency) plus one happy path per resource through the use cases.
#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "api/test_env.h"
#include "services/auth.h"

namespace onestop::api {
namespace {

using ::testing::HasSubstr;

boost::json::value Body(const http::Response& response) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(response.body, ec);
  EXPECT_FALSE(ec) << response.body;
  return value;
}

class RoutesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { services::PasswordHasher::UseFastParametersForTest(); }

  // Creates an admin through the use case and logs in over the API.
  void LogInAsAdmin() {
    services::NewStaff admin{"admin@council.gov.uk", "Admin", domain::Role::kAdmin, "", "", {},
                             "a long enough password 123"};
    auto created = env_.ctx().create_staff.Run(domain::Actor::System(), admin);
    ASSERT_TRUE(created.ok()) << created.status();
    admin_id_ = created->id;
    http::Response login = Post("/api/v1/session",
                                R"({"email":"admin@council.gov.uk","password":"a long enough password 123"})",
                                false);
    ASSERT_EQ(login.status, 201) << login.body;
    token_ = std::string(Body(login).at("token").as_string());
  }

  http::HeaderList Headers(bool auth = true, http::HeaderList extra = {}) {
    http::HeaderList headers = {{"Content-Type", "application/json"}};
    if (auth && !token_.empty()) headers.emplace_back("Authorization", "Bearer " + token_);
    for (auto& h : extra) headers.push_back(h);
    return headers;
  }
  http::Response Get(std::string target, bool auth = true) {
    return env_.Send("GET", std::move(target), "", Headers(auth));
  }
  http::Response Post(std::string target, std::string body, bool auth = true,
                      http::HeaderList extra = {}) {
    return env_.Send("POST", std::move(target), std::move(body), Headers(auth, std::move(extra)));
  }
  http::Response Send(std::string method, std::string target, std::string body,
                      http::HeaderList extra = {}) {
    return env_.Send(std::move(method), std::move(target), std::move(body), Headers(true, std::move(extra)));
  }

  // Department, team and one service with a number and a multivaluelist field.
  void SetUpCatalogue() {
    ASSERT_EQ(Send("PUT", "/api/v1/departments/waste", R"({"name":"Waste"})").status, 200);
    ASSERT_EQ(Send("PUT", "/api/v1/teams/crews", R"({"name":"Crews","department":"waste"})").status, 200);
    http::Response service = Post("/api/v1/services", R"({
      "code":"missed-bin","name":"Missed bin","department":"waste","default_team":"crews","allow_anonymous":true,
      "sla":{"amount":2,"unit":"working_days"},
      "fields":[{"code":"bags","datatype":"number","order":1,"description":"How many bags?"},
                {"code":"bins","datatype":"multivaluelist","order":2,"description":"Which bins?",
                 "values":[{"key":"black","name":"Black"},{"key":"blue","name":"Blue"}]}]})");
    ASSERT_EQ(service.status, 201) << service.body;
  }

  testing::ApiTestEnv env_;
  std::string token_;
  int64_t admin_id_ = 0;
};

TEST_F(RoutesTest, SystemRoutes) {
  http::Response health = Get("/healthz", false);
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(Body(health), boost::json::parse(R"({"status":"ok"})"));
  EXPECT_EQ(Get("/readyz", false).status, 200);
  http::Response metrics = Get("/metrics", false);
  EXPECT_EQ(metrics.status, 200);
  EXPECT_THAT(metrics.content_type, HasSubstr("text/plain; version=0.0.4"));
}

TEST_F(RoutesTest, NeedsBearerTokenExceptCatalogueReads) {
  http::Response cases = Get("/api/v1/cases", false);
  EXPECT_EQ(cases.status, 401);
  EXPECT_EQ(cases.Header("WWW-Authenticate"), "Bearer");
  EXPECT_EQ(cases.content_type, "application/problem+json");
  boost::json::value problem = Body(cases);
  EXPECT_EQ(problem.at("instance").as_string(), "/api/v1/cases");
  EXPECT_EQ(problem.at("request_id").as_string(), "test-request");
  token_ = "not-a-real-token";
  EXPECT_EQ(Get("/api/v1/citizens/1").status, 401);
  token_.clear();
  EXPECT_EQ(Get("/api/v1/services", false).status, 200);
  EXPECT_EQ(Body(Get("/api/v1/services", false)), boost::json::parse(R"({"items":[],"next":null})"));
  EXPECT_EQ(Get("/api/v1/departments", false).status, 200);
  EXPECT_EQ(Get("/api/v1/teams", false).status, 200);
  EXPECT_EQ(Get("/api/v1/services/nope", false).status, 404);
}

TEST_F(RoutesTest, BadIdsAreNotFoundAndBadQueriesAreBadRequests) {
  LogInAsAdmin();
  EXPECT_EQ(Get("/api/v1/citizens/abc").status, 404);
  EXPECT_EQ(Get("/api/v1/citizens/0").status, 404);
  EXPECT_EQ(Get("/api/v1/citizens/99999999999999999999").status, 404);
  EXPECT_EQ(Get("/api/v1/cases/not-a-reference").status, 404);
  EXPECT_EQ(Get("/api/v1/cases/123456789012345678901").status, 404);
  EXPECT_EQ(Get("/api/v1/staff/-1").status, 404);
  http::Response limit = Get("/api/v1/cases?limit=0&status=open,sleeping&due_before=soon");
  EXPECT_EQ(limit.status, 400);
  boost::json::value problem = Body(limit);
  EXPECT_EQ(problem.at("errors").as_array().size(), 3u) << limit.body;
  EXPECT_EQ(Get("/api/v1/cases?limit=5&limit=6").status, 400);
  EXPECT_EQ(Get("/api/v1/events?after=-1").status, 400);
  EXPECT_EQ(Get("/api/v1/services?channel=pigeon", false).status, 400);
}

TEST_F(RoutesTest, BodyChecks) {
  LogInAsAdmin();
  http::Response wrong_type =
      env_.Send("POST", "/api/v1/citizens", "{}",
                {{"Authorization", "Bearer " + token_}, {"Content-Type", "text/plain"}});
  EXPECT_EQ(wrong_type.status, 415);
  EXPECT_EQ(Post("/api/v1/citizens", "{\"given_name\":").status, 400);
  EXPECT_EQ(Post("/api/v1/citizens", "[]").status, 400);
  http::Response unknown = Post("/api/v1/citizens", R"({"given_name":"A","shoe_size":9})");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(Body(unknown).at("errors").at(0).at("code").as_string(), "unknown");
  EXPECT_EQ(Post("/api/v1/citizens", R"({"given_name":"A"})", true,
                 {{"Idempotency-Key", std::string(300, 'k')}}).status, 400);
}

TEST_F(RoutesTest, SessionLifecycle) {
  LogInAsAdmin();
  http::Response session = Get("/api/v1/session");
  ASSERT_EQ(session.status, 200) << session.body;
  EXPECT_EQ(Body(session).at("staff").at("id").as_int64(), admin_id_);
  EXPECT_FALSE(Body(session).at("staff").as_object().contains("password_hash"));
  EXPECT_EQ(Post("/api/v1/session", R"({"email":"admin@council.gov.uk","password":"wrong"})", false).status, 401);
  EXPECT_EQ(Send("DELETE", "/api/v1/session", "").status, 204);
  EXPECT_EQ(Get("/api/v1/session").status, 401);
}

TEST_F(RoutesTest, CitizenFlow) {
  LogInAsAdmin();
  std::string body = R"({"given_name":"Ada","family_name":"Lovelace","phones":["07700 900123"],
                         "emails":["ada@example.org"]})";
  http::Response created = Post("/api/v1/citizens", body, true, {{"Idempotency-Key", "k1"}});
  ASSERT_EQ(created.status, 201) << created.body;
  int64_t id = Body(created).at("id").as_int64();
  EXPECT_EQ(created.Header("Location"), "/api/v1/citizens/" + std::to_string(id));
  EXPECT_TRUE(Body(created).at("possible_duplicates").is_array());
  http::Response replay = Post("/api/v1/citizens", body, true, {{"Idempotency-Key", "k1"}});
  EXPECT_EQ(replay.status, 201) << replay.body;
  EXPECT_EQ(replay.Header("Idempotent-Replayed"), "true");
  EXPECT_EQ(Body(replay).at("id").as_int64(), id);

  std::string path = "/api/v1/citizens/" + std::to_string(id);
  http::Response read = Get(path);
  ASSERT_EQ(read.status, 200);
  std::string etag = *read.Header("ETag");
  http::Response patched = Send("PATCH", path, R"({"family_name":"King"})", {{"If-Match", etag}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(Body(patched).at("family_name").as_string(), "King");
  EXPECT_EQ(Body(patched).at("given_name").as_string(), "Ada");
  EXPECT_EQ(Send("PATCH", path, R"({"family_name":"X"})", {{"If-Match", etag}}).status, 412);
  EXPECT_EQ(Send("PATCH", path, R"({"family_name":"X"})", {{"If-Match", "nonsense"}}).status, 400);
  http::Response found = Get("/api/v1/citizens?email=ada@example.org");
  ASSERT_EQ(found.status, 200) << found.body;
  EXPECT_EQ(Body(found).at("items").as_array().size(), 1u);
  EXPECT_EQ(Get(path + "/timeline?limit=10").status, 200);
}

TEST_F(RoutesTest, CaseFlow) {
  LogInAsAdmin();
  SetUpCatalogue();
  http::Response opened = Post("/api/v1/cases", R"({"service_code":"missed-bin","channel":"phone",
      "values":{"bags":2,"bins":["black"]}})", true, {{"Idempotency-Key", "case-1"}});
  ASSERT_EQ(opened.status, 201) << opened.body;
  boost::json::value c = Body(opened);
  int64_t id = c.at("id").as_int64();
  EXPECT_EQ(c.at("values").at("bags").as_int64(), 2);
  EXPECT_EQ(c.at("values").at("bins"), boost::json::parse(R"(["black"])"));
  EXPECT_EQ(opened.Header("ETag"), "\"" + std::to_string(c.at("version").as_int64()) + "\"");
  EXPECT_EQ(opened.Header("Location"), "/api/v1/cases/" + std::to_string(id));

  http::Response bad_value = Post("/api/v1/cases", R"({"service_code":"missed-bin","channel":"phone",
      "values":{"bags":true}})");
  EXPECT_EQ(bad_value.status, 400);
  EXPECT_EQ(Body(bad_value).at("errors").at(0).at("field").as_string(), "values.bags");

  std::string reference(c.at("reference").as_string());
  http::Response by_reference = Get("/api/v1/cases/" + reference);
  ASSERT_EQ(by_reference.status, 200) << by_reference.body;
  EXPECT_EQ(Body(by_reference).at("id").as_int64(), id);

  std::string path = "/api/v1/cases/" + std::to_string(id);
  std::string etag = *opened.Header("ETag");
  http::Response patched = Send("PATCH", path, R"({"status":"open"})", {{"If-Match", etag}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_NE(patched.Header("ETag"), etag);
  EXPECT_EQ(Send("PATCH", path, R"({"priority":"high"})", {{"If-Match", etag}}).status, 412);
  EXPECT_EQ(Send("PATCH", path, R"({"status":"new"})").status, 409);

  EXPECT_EQ(Post(path + "/notes", R"({"visibility":"internal","body":"Called crew"})").status, 201);
  EXPECT_EQ(Body(Get(path + "/notes")).at("items").as_array().size(), 1u);
  EXPECT_EQ(Post(path + "/attachments", R"({"filename":"a.jpg","content_type":"image/jpeg",
      "size_bytes":10,"url":"https://blob.example/a","sha256":")" + std::string(64, 'a') + R"("})").status, 201);
  EXPECT_EQ(Get(path + "/attachments").status, 200);
  EXPECT_GE(Body(Get(path + "/events")).at("items").as_array().size(), 1u);

  http::Response list = Get("/api/v1/cases?status=open&limit=1");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(Body(list).at("items").as_array().size(), 1u);

  http::Response contact = Post("/api/v1/contacts", R"({"channel":"phone","direction":"inbound",
      "case_id":)" + std::to_string(id) + "}");
  EXPECT_EQ(contact.status, 201) << contact.body;
  EXPECT_EQ(Get("/api/v1/contacts?case=" + std::to_string(id)).status, 200);

  http::Response events = Get("/api/v1/events?after=0&limit=1000");
  ASSERT_EQ(events.status, 200) << events.body;
  EXPECT_GT(Body(events).at("next_after").as_int64(), 0);
}

TEST_F(RoutesTest, StaffFlow) {
  LogInAsAdmin();
  http::Response created = Post("/api/v1/staff", R"({"email":"o@council.gov.uk","display_name":"O",
      "role":"agent","skills":[{"code":"welsh","proficiency":5}],"password":"another long password 9"})");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.body.find("password"), std::string::npos);
  int64_t id = Body(created).at("id").as_int64();
  std::string path = "/api/v1/staff/" + std::to_string(id);
  EXPECT_EQ(Get(path).status, 200);
  http::Response patched = Send("PATCH", path, R"({"display_name":"Olive"})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(Body(patched).at("display_name").as_string(), "Olive");
  EXPECT_EQ(Body(Get("/api/v1/staff")).at("items").as_array().size(), 2u);
}

}  // namespace
}  // namespace onestop::api
