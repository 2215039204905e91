#include "http/router.h"

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace onestop::http {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

Handler Named(std::string name) {
  return [name](Request& req) {
    std::string body = name;
    for (const auto& [key, value] : req.path_params) body += " " + key + "=" + value;
    return Response::Text(200, body);
  };
}

Response Call(const Router& router, std::string method, std::string target,
              HeaderList headers = {}) {
  Request req;
  req.method = std::move(method);
  EXPECT_TRUE(req.SetTarget(std::move(target)).ok());
  req.headers = std::move(headers);
  return router.Dispatch(req);
}

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() {
    router_.Add("GET", "/", Named("root"));
    router_.Add("GET", "/api/v1/cases", Named("list"));
    router_.Add("POST", "/api/v1/cases", Named("create"));
    router_.Add("GET", "/api/v1/cases/{id}", Named("get"));
    router_.Add("PATCH", "/api/v1/cases/{id}", Named("patch"));
    router_.Add("GET", "/api/v1/cases/search", Named("search"));
    router_.Add("GET", "/api/v1/cases/{id}/notes", Named("notes"));
    router_.Add("GET", "/api/v1/cases/search/saved", Named("saved"));
    router_.Add("GET", "/api/v1/citizens/{citizen}/cases/{id}", Named("citizen-case"));
  }
  Router router_;
};

TEST_F(RouterTest, MatchesLiteralAndParams) {
  EXPECT_EQ(Call(router_, "GET", "/").body, "root");
  EXPECT_EQ(Call(router_, "GET", "/api/v1/cases").body, "list");
  EXPECT_EQ(Call(router_, "POST", "/api/v1/cases").body, "create");
  EXPECT_EQ(Call(router_, "GET", "/api/v1/cases/42").body, "get id=42");
  EXPECT_EQ(Call(router_, "GET", "/api/v1/cases/42/notes").body, "notes id=42");
  EXPECT_EQ(Call(router_, "GET", "/api/v1/citizens/7/cases/9").body, "citizen-case citizen=7 id=9");
}

TEST_F(RouterTest, ParamsAreDecoded) {
  EXPECT_EQ(Call(router_, "GET", "/api/v1/cases/AB%2012").body, "get id=AB 12");
}

TEST_F(RouterTest, LiteralBeatsParam) {
  EXPECT_EQ(Call(router_, "GET", "/api/v1/cases/search").body, "search");
  EXPECT_EQ(Call(router_, "GET", "/api/v1/cases/search/saved").body, "saved");
  // The literal branch has no "notes" child: backtrack to the parameter.
  EXPECT_EQ(Call(router_, "GET", "/api/v1/cases/search/notes").body, "notes id=search");
}

TEST_F(RouterTest, NotFound) {
  Response res = Call(router_, "GET", "/api/v1/nothing");
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(res.content_type, "application/problem+json");
  EXPECT_EQ(Call(router_, "GET", "/api/v1/cases/").status, 404);  // empty segment is no id
  EXPECT_EQ(Call(router_, "GET", "/api/v1/cases/1/notes/2").status, 404);
  EXPECT_EQ(router_.Match("GET", "").outcome, RouteMatch::Outcome::kNotFound);
}

TEST_F(RouterTest, MethodNotAllowedListsAllow) {
  Response res = Call(router_, "DELETE", "/api/v1/cases/42");
  EXPECT_EQ(res.status, 405);
  EXPECT_EQ(res.Header("Allow"), "GET, PATCH, HEAD");
  EXPECT_EQ(Call(router_, "PUT", "/api/v1/cases").Header("Allow"), "GET, POST, HEAD");
}

TEST_F(RouterTest, HeadUsesGetHandler) {
  RouteMatch match = router_.Match("HEAD", "/api/v1/cases/5");
  ASSERT_EQ(match.outcome, RouteMatch::Outcome::kFound);
  EXPECT_EQ(match.route->method, "GET");
  EXPECT_THAT(match.params, ElementsAre(Pair("id", "5")));
}

TEST_F(RouterTest, ExplicitHeadWins) {
  router_.Add("HEAD", "/api/v1/cases", Named("head"));
  EXPECT_EQ(Call(router_, "HEAD", "/api/v1/cases").body, "head");
}

TEST_F(RouterTest, SetsRoutePattern) {
  Request req;
  req.method = "GET";
  ASSERT_TRUE(req.SetTarget("/api/v1/cases/3/notes").ok());
  router_.Dispatch(req);
  EXPECT_EQ(req.route, "/api/v1/cases/{id}/notes");
  EXPECT_EQ(req.PathParam("id"), "3");
}

TEST_F(RouterTest, RoutesListedInOrder) {
  auto routes = router_.Routes();
  ASSERT_EQ(routes.size(), 9u);
  EXPECT_EQ(routes[0], std::make_pair(std::string("GET"), std::string("/")));
  EXPECT_EQ(routes[2], std::make_pair(std::string("POST"), std::string("/api/v1/cases")));
}

TEST_F(RouterTest, RejectsBadPatterns) {
  EXPECT_THROW(router_.Add("GET", "/api/v1/cases/{id}", Named("dup")), std::invalid_argument);
  EXPECT_THROW(router_.Add("GET", "no-slash", Named("x")), std::invalid_argument);
  EXPECT_THROW(router_.Add("GET", "/a/{}/b", Named("x")), std::invalid_argument);
  EXPECT_THROW(router_.Add("GET", "/a/{rest...}/b", Named("x")), std::invalid_argument);
  EXPECT_THROW(router_.Add("GET", "/a/b{c}", Named("x")), std::invalid_argument);
}

TEST(RouterCatchAllTest, MatchesRest) {
  Router router;
  router.Add("GET", "/files/{path...}", Named("file"));
  router.Add("GET", "/files/special", Named("special"));
  EXPECT_EQ(Call(router, "GET", "/files/a/b/c.css").body, "file path=a/b/c.css");
  EXPECT_EQ(Call(router, "GET", "/files/special").body, "special");
  EXPECT_EQ(Call(router, "GET", "/files").status, 404);
}

class StaticDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() /
            ("onestop_static_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(root_ / "public" / "css");
    std::ofstream(root_ / "public" / "css" / "app.css") << "body{}";
    std::ofstream(root_ / "public" / "index.html") << "<h1>hi</h1>";
    std::ofstream(root_ / "secret.txt") << "secret";
    router_.AddStaticDir("/assets", (root_ / "public").string());
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  std::filesystem::path root_;
  Router router_;
};

TEST_F(StaticDirTest, ServesFilesWithTypes) {
  Response css = Call(router_, "GET", "/assets/css/app.css");
  EXPECT_EQ(css.status, 200);
  EXPECT_EQ(css.body, "body{}");
  EXPECT_EQ(css.content_type, "text/css; charset=utf-8");
  EXPECT_EQ(css.Header("Cache-Control"), "public, max-age=300");
  ASSERT_TRUE(css.Header("ETag").has_value());
  Response html = Call(router_, "GET", "/assets/index.html");
  EXPECT_EQ(html.content_type, "text/html; charset=utf-8");
}

TEST_F(StaticDirTest, EtagGives304) {
  Response first = Call(router_, "GET", "/assets/css/app.css");
  std::string etag = *first.Header("ETag");
  Response again = Call(router_, "GET", "/assets/css/app.css", {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  Response other = Call(router_, "GET", "/assets/css/app.css", {{"If-None-Match", "\"nope\""}});
  EXPECT_EQ(other.status, 200);
}

TEST_F(StaticDirTest, RefusesTraversal) {
  EXPECT_EQ(Call(router_, "GET", "/assets/../secret.txt").status, 404);
  EXPECT_EQ(Call(router_, "GET", "/assets/%2e%2e/secret.txt").status, 404);
  EXPECT_EQ(Call(router_, "GET", "/assets/css/..%2f..%2fsecret.txt").status, 404);
  EXPECT_EQ(Call(router_, "GET", "/assets/css").status, 404);  // a directory
  EXPECT_EQ(Call(router_, "GET", "/assets/missing.js").status, 404);
}

TEST(ContentTypeTest, ByExtension) {
  EXPECT_EQ(ContentTypeForPath("a/b.JS"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeForPath("x.svg"), "image/svg+xml");
  EXPECT_EQ(ContentTypeForPath("x.woff2"), "font/woff2");
  EXPECT_EQ(ContentTypeForPath("README"), "application/octet-stream");
}

}  // namespace
}  // namespace onestop::http
