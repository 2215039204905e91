#include "api/support.h"

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/status.h"
#include "services/auth.h"

namespace onestop::api {
namespace {

http::Request RequestWith(http::HeaderList headers, std::string body = "") {
  http::Request request;
  request.method = "POST";
  EXPECT_TRUE(request.SetTarget("/api/v1/cases?x=1").ok());
  request.headers = std::move(headers);
  request.body = std::move(body);
  request.request_id = "req-1";
  return request;
}

TEST(StatusTableTest, MapsEveryCode) {
  EXPECT_EQ(HttpErrorFor(absl::StatusCode::kInvalidArgument).status, 400);
  EXPECT_EQ(HttpErrorFor(absl::StatusCode::kNotFound).status, 404);
  EXPECT_EQ(HttpErrorFor(absl::StatusCode::kAlreadyExists).status, 409);
  EXPECT_EQ(HttpErrorFor(absl::StatusCode::kFailedPrecondition).status, 409);
  EXPECT_EQ(HttpErrorFor(absl::StatusCode::kAborted).status, 412);
  EXPECT_EQ(HttpErrorFor(absl::StatusCode::kUnauthenticated).status, 401);
  EXPECT_EQ(HttpErrorFor(absl::StatusCode::kPermissionDenied).status, 403);
  EXPECT_EQ(HttpErrorFor(absl::StatusCode::kResourceExhausted).status, 429);
  EXPECT_EQ(HttpErrorFor(absl::StatusCode::kUnavailable).status, 503);
  EXPECT_EQ(HttpErrorFor(absl::StatusCode::kDeadlineExceeded).status, 504);
  EXPECT_EQ(HttpErrorFor(absl::StatusCode::kInternal).status, 500);
  EXPECT_EQ(HttpErrorFor(absl::StatusCode::kUnknown).status, 500);
  EXPECT_EQ(HttpErrorFor(absl::StatusCode::kDataLoss).status, 500);
}

TEST(ProblemTest, CarriesFieldErrorsAndRequestDetails) {
  http::Request request = RequestWith({});
  http::Response response = ProblemFor(
      request, InvalidFields("The case is not valid",
                             {{"values.bags", "type", "expected_type", {{"expected", "number"}}}}));
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.content_type, "application/problem+json");
  boost::json::value body = boost::json::parse(response.body);
  EXPECT_EQ(body.at("type").as_string(), "https://onestop.invalid/problems/invalid-request");
  EXPECT_EQ(body.at("title").as_string(), "Bad Request");
  EXPECT_EQ(body.at("status").as_int64(), 400);
  EXPECT_EQ(body.at("detail").as_string(), "The case is not valid");
  EXPECT_EQ(body.at("instance").as_string(), "/api/v1/cases");
  EXPECT_EQ(body.at("request_id").as_string(), "req-1");
  EXPECT_EQ(body.at("errors"), boost::json::parse(
      R"([{"field":"values.bags","code":"type","message":"Expected a number"}])"));
}

TEST(ProblemTest, InternalMessagesNeverLeak) {
  http::Request request = RequestWith({});
  http::Response response =
      ProblemFor(request, absl::InternalError("sqlite: disk I/O error at /var/onestop.db"));
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.body.find("sqlite"), std::string::npos);
  EXPECT_EQ(response.body.find("/var"), std::string::npos);
  http::Response unavailable = ProblemFor(request, absl::UnavailableError("db host 10.0.0.5 down"));
  EXPECT_EQ(unavailable.status, 503);
  EXPECT_EQ(unavailable.body.find("10.0.0.5"), std::string::npos);
}

TEST(ProblemTest, UnauthenticatedAsksForBearer) {
  http::Response response = ProblemFor(RequestWith({}), absl::UnauthenticatedError("no"));
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(response.Header("WWW-Authenticate"), "Bearer");
}

TEST(HandleTest, ExceptionsBecome500) {
  http::Request request = RequestWith({});
  http::Response response = Handle("/x", request, [](http::Request&) -> absl::StatusOr<http::Response> {
    throw std::runtime_error("secret detail");
  });
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.body.find("secret"), std::string::npos);
}

TEST(ParseJsonBodyTest, RequiresJsonContentType) {
  auto missing = ParseJsonBody(RequestWith({}, "{}"));
  EXPECT_EQ(HttpStatusOf(missing.status()), 415);
  auto form = ParseJsonBody(RequestWith({{"Content-Type", "application/x-www-form-urlencoded"}}, "{}"));
  EXPECT_EQ(HttpStatusOf(form.status()), 415);
  http::Response problem = ProblemFor(RequestWith({}), form.status());
  EXPECT_EQ(problem.status, 415);
  EXPECT_NE(problem.body.find("unsupported-media-type"), std::string::npos);
  auto charset = ParseJsonBody(RequestWith({{"content-type", "Application/JSON; charset=utf-8"}}, "{}"));
  EXPECT_TRUE(charset.ok()) << charset.status();
}

TEST(ParseJsonBodyTest, RejectsBadJson) {
  http::HeaderList json = {{"Content-Type", "application/json"}};
  auto malformed = ParseJsonBody(RequestWith(json, "{\"a\":"));
  ASSERT_FALSE(malformed.ok());
  EXPECT_EQ(HttpStatusOf(malformed.status()), 400);
  EXPECT_THAT(std::string(malformed.status().message()), ::testing::HasSubstr("malformed JSON"));
  EXPECT_THAT(std::string(malformed.status().message()), ::testing::HasSubstr("column"));
  auto bad_utf8 = ParseJsonBody(RequestWith(json, "{\"a\":\"\xff\"}"));
  EXPECT_EQ(HttpStatusOf(bad_utf8.status()), 400);
  auto array = ParseJsonBody(RequestWith(json, "[]"));
  EXPECT_EQ(HttpStatusOf(array.status()), 400);
  std::string deep = "{\"a\":" + std::string(40, '[') + std::string(40, ']') + "}";
  auto too_deep = ParseJsonBody(RequestWith(json, deep));
  EXPECT_EQ(HttpStatusOf(too_deep.status()), 400);
  std::string ok_depth = "{\"a\":" + std::string(20, '[') + std::string(20, ']') + "}";
  EXPECT_TRUE(ParseJsonBody(RequestWith(json, ok_depth)).ok());
}

TEST(PathIdTest, NumericInRangeElseNotFound) {
  EXPECT_EQ(*ParsePathId("1"), 1);
  EXPECT_EQ(*ParsePathId("9007199254740992"), int64_t{1} << 53);
  for (std::string_view bad : {"0", "", "-1", "+1", "1e3", "abc", "12a", "9007199254740993",
                               "99999999999999999999", " 1", "0x10"}) {
    EXPECT_EQ(ParsePathId(bad).status().code(), absl::StatusCode::kNotFound) << bad;
  }
}

TEST(IfMatchTest, Forms) {
  auto parse = [](std::string value) { return ParseIfMatch(RequestWith({{"If-Match", value}})); };
  EXPECT_FALSE(ParseIfMatch(RequestWith({}))->has_value());
  EXPECT_FALSE(parse("*")->has_value());
  EXPECT_EQ(**parse("\"3\""), 3);
  EXPECT_EQ(**parse("W/\"4\""), 4);
  EXPECT_EQ(**parse("5"), 5);
  EXPECT_EQ(**parse(" \"6\" "), 6);
  for (std::string bad : {"", "\"\"", "\"x\"", "W/", "\"1", "-1", "1.0", "\"1\", \"2\""}) {
    EXPECT_EQ(parse(bad).status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

TEST(IdempotencyTest, ScopesKeyAndHashesRequest) {
  domain::Actor actor{12, domain::Role::kAgent, "", true};
  http::Request request = RequestWith({{"Idempotency-Key", "abc-123"}}, "{\"a\":1}");
  auto key = IdempotencyFor(request, actor);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->key, "12:abc-123");
  EXPECT_EQ(key->request_hash, services::HashToken("POST /api/v1/cases\n{\"a\":1}"));
  EXPECT_TRUE(IdempotencyFor(RequestWith({}), actor)->empty());
  EXPECT_FALSE(IdempotencyFor(RequestWith({{"Idempotency-Key", ""}}), actor).ok());
  EXPECT_FALSE(IdempotencyFor(RequestWith({{"Idempotency-Key", std::string(256, 'a')}}), actor).ok());
  EXPECT_TRUE(IdempotencyFor(RequestWith({{"Idempotency-Key", std::string(255, 'a')}}), actor).ok());
  EXPECT_FALSE(IdempotencyFor(RequestWith({{"Idempotency-Key", "a\tb"}}), actor).ok());
  EXPECT_FALSE(IdempotencyFor(RequestWith({{"Idempotency-Key", "caf\xc3\xa9"}}), actor).ok());
}

TEST(BearerTokenTest, Parses) {
  EXPECT_EQ(*BearerToken(RequestWith({{"Authorization", "Bearer abc"}})), "abc");
  EXPECT_EQ(*BearerToken(RequestWith({{"authorization", "bearer  abc "}})), "abc");
  EXPECT_EQ(BearerToken(RequestWith({})).status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(BearerToken(RequestWith({{"Authorization", "Basic YTpi"}})).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(BearerToken(RequestWith({{"Authorization", "Bearer "}})).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(QueryReaderTest, ValidatesIntsBoolsAndTimes) {
  http::Request request;
  ASSERT_TRUE(request.SetTarget("/x?limit=500&ok=true&bad=maybe&t=2026-11-25T09:30:00Z&u=soon&n=7").ok());
  codec::ErrorList errors;
  QueryReader query(request, errors);
  EXPECT_FALSE(query.Int("limit", 1, 200));
  EXPECT_EQ(query.Int("n", 1, 200), 7);
  EXPECT_EQ(query.Bool("ok"), true);
  EXPECT_FALSE(query.Bool("bad"));
  EXPECT_TRUE(query.Time("t"));
  EXPECT_FALSE(query.Time("u"));
  EXPECT_FALSE(query.Int("absent", 1, 2));
  EXPECT_EQ(errors.size(), 3u);
}

}  // namespace
}  // namespace onestop::api
