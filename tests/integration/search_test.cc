// Knowledge base and search against the real binary: the seeded demo
// articles are searchable publicly and by staff, staff scripts never reach
// the public, a new article is searchable within a second, articles keep
// versions, feedback and first-contact resolution are counted for the owner,
// the portal /search page renders, and `onestop reindex` rebuilds.
#include <chrono>
#include <thread>

#include "api_client.h"

namespace onestop::integration {
namespace {

class SearchTest : public ServerSuite {};

// Polls `target` until the first hit's id equals `id` or a deadline passes.
bool FirstHitWithin(Api& api, const std::string& target, const std::string& id,
                    std::chrono::milliseconds deadline) {
  auto until = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < until) {
    Reply reply = api.Get(target);
    if (reply.status == 200 && !reply.Items().empty() &&
        reply.Items()[0].as_object().at("id").as_string() == id) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

TEST_F(SearchTest, PublicSearchFindsDemoArticlesAndSuggestsSpelling) {
  Api anyone(port());
  Reply reply = anyone.Get("/api/v1/public/search?q=council%20tax%20bands&kind=article");
  ASSERT_EQ(reply.status, 200) << reply;
  ASSERT_FALSE(reply.Items().empty());
  const auto& first = reply.Items()[0].as_object();
  EXPECT_EQ(first.at("kind").as_string(), "article");
  EXPECT_NE(std::string(first.at("title").as_string()).find("Council Tax bands"), std::string::npos);
  EXPECT_TRUE(first.contains("snippet"));
  Reply services = anyone.Get("/api/v1/public/search?q=council%20tax%20bands&kind=service");
  ASSERT_EQ(services.status, 200) << services;
  ASSERT_FALSE(services.Items().empty());
  EXPECT_EQ(services.Items()[0].as_object().at("kind").as_string(), "service");
  Reply misspelt = anyone.Get("/api/v1/public/search?q=libary%20opening%20hours");
  ASSERT_EQ(misspelt.status, 200) << misspelt;
  EXPECT_EQ(misspelt.Str("suggestion"), "library opening hours");
  ASSERT_FALSE(misspelt.Items().empty());
  EXPECT_EQ(misspelt.Items()[0].as_object().at("title").as_string(), "Library opening hours");
}

TEST_F(SearchTest, StaffScriptsOnlyForStaff) {
  Api anyone(port());
  for (const char* q : {"arrears%20script", "enforcement", "call%20script", "HOLD-V", "bereavement%20script"}) {
    Reply reply = anyone.Get(std::string("/api/v1/public/search?q=") + q);
    ASSERT_EQ(reply.status, 200) << reply;
    for (const auto& item : reply.Items()) {
      EXPECT_EQ(std::string(item.as_object().at("title").as_string()).find("Call script"),
                std::string::npos) << q;
      EXPECT_NE(item.as_object().at("kind").as_string(), "citizen");
      EXPECT_NE(item.as_object().at("kind").as_string(), "case");
    }
  }
  EXPECT_EQ(anyone.Get("/api/v1/search?q=arrears").status, 401);
  Api agent = ApiAs(kAgent);
  Reply staff = agent.Get("/api/v1/search?q=arrears%20script");
  ASSERT_EQ(staff.status, 200) << staff;
  ASSERT_FALSE(staff.Items().empty());
  EXPECT_NE(std::string(staff.Items()[0].as_object().at("title").as_string()).find("Call script"),
            std::string::npos);
}

TEST_F(SearchTest, NewArticleSearchableWithinASecondAndVersioned) {
  Api supervisor = ApiAs(kSupervisor);
  boost::json::object body{{"title", "Zorblax festival road closures"},
                           {"body", "Market Street is **closed** for the Zorblax festival."},
                           {"audience", "public"},
                           {"service_codes", boost::json::array{"pothole"}},
                           {"keywords", boost::json::array{"festival", "closure"}},
                           {"status", "published"}};
  Reply created = supervisor.Post("/api/v1/articles", body);
  ASSERT_EQ(created.status, 201) << created;
  const std::string id = std::to_string(created.Int("id"));
  EXPECT_EQ(created.Header("ETag"), "\"1\"");
  EXPECT_NE(created.Str("body_html").find("<strong>closed</strong>"), std::string::npos);
  Api anyone(port());
  EXPECT_TRUE(FirstHitWithin(anyone, "/api/v1/public/search?q=zorblax", id, std::chrono::milliseconds(1000)));

  Reply stale = supervisor.Patch("/api/v1/articles/" + id, boost::json::object{{"audience", "staff"}},
                                 {{"If-Match", "\"7\""}});
  EXPECT_EQ(stale.status, 412) << stale;
  Reply patched = supervisor.Patch("/api/v1/articles/" + id, boost::json::object{{"audience", "staff"}},
                                   {{"If-Match", "\"1\""}});
  ASSERT_EQ(patched.status, 200) << patched;
  EXPECT_EQ(patched.Int("version"), 2);
  // Now staff-only: gone from public search within a second, still there for staff.
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  bool gone = false;
  while (!gone && std::chrono::steady_clock::now() < until) {
    gone = anyone.Get("/api/v1/public/search?q=zorblax").Items().empty();
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(gone);
  EXPECT_TRUE(FirstHitWithin(supervisor, "/api/v1/search?q=zorblax", id, std::chrono::milliseconds(1000)));
  Reply versions = supervisor.Get("/api/v1/articles/" + id + "/versions");
  ASSERT_EQ(versions.status, 200) << versions;
  ASSERT_EQ(versions.Items().size(), 2u);
  EXPECT_EQ(versions.Items()[0].as_object().at("audience").as_string(), "staff");
}

TEST_F(SearchTest, AgentsCannotEditArticlesAndBadInputIs400) {
  Api agent = ApiAs(kAgent);
  EXPECT_EQ(agent.Post("/api/v1/articles", boost::json::object{{"title", "x"}, {"body", "y"}}).status, 403);
  Api supervisor = ApiAs(kSupervisor);
  EXPECT_EQ(supervisor.Post("/api/v1/articles", boost::json::object{{"title", "x"}}).status, 400);
  EXPECT_EQ(supervisor.Post("/api/v1/articles",
                            boost::json::object{{"title", "x"}, {"body", "y"}, {"audience", "everyone"}}).status,
            400);
  EXPECT_EQ(supervisor.Post("/api/v1/articles",
                            boost::json::object{{"title", "x"}, {"body", "y"}, {"service_codes", boost::json::array{"nope"}}}).status,
            400);
}

TEST_F(SearchTest, FeedbackAndFirstContactResolutionCountedForOwner) {
  Api supervisor = ApiAs(kSupervisor);
  Reply created = supervisor.Post("/api/v1/articles",
                                  boost::json::object{{"title", "Quuxville ferry timetable"},
                                                      {"body", "Ferries leave hourly."},
                                                      {"status", "published"}});
  ASSERT_EQ(created.status, 201) << created;
  const int64_t id = created.Int("id");
  Api anyone(port());
  const std::string feedback = "/api/v1/public/articles/" + std::to_string(id) + "/feedback";
  EXPECT_EQ(anyone.Post(feedback, boost::json::object{{"helpful", true}}).status, 204);
  EXPECT_EQ(anyone.Post(feedback, boost::json::object{{"helpful", false}}).status, 204);
  Api agent = ApiAs(kAgent);
  Reply contact = agent.Post("/api/v1/contacts", boost::json::object{{"channel", "phone"},
                                                                      {"direction", "inbound"},
                                                                      {"reason", "ferry times"}});
  ASSERT_EQ(contact.status, 201) << contact;
  Reply answered = agent.Post("/api/v1/contacts/" + std::to_string(contact.Int("id")) + "/answered-by",
                              boost::json::object{{"article_id", id}});
  EXPECT_EQ(answered.status, 200) << answered;
  Reply got = supervisor.Get("/api/v1/articles/" + std::to_string(id));
  ASSERT_EQ(got.status, 200) << got;
  const auto& counts = got.At("feedback").as_object();
  EXPECT_EQ(counts.at("helpful_yes").as_int64(), 1);
  EXPECT_EQ(counts.at("helpful_no").as_int64(), 1);
  EXPECT_EQ(counts.at("resolved_contacts").as_int64(), 1);
  // An agent who does not own it sees the article but not the counts.
  EXPECT_FALSE(agent.Get("/api/v1/articles/" + std::to_string(id)).json.as_object().contains("feedback"));
}

TEST_F(SearchTest, PortalSearchPageAndArticlePage) {
  Api anyone(port());
  Reply page = anyone.Get("/search?q=bin%20collection%20day");
  ASSERT_EQ(page.status, 200) << page;
  EXPECT_NE(page.body.find("Bin collection days"), std::string::npos);
  EXPECT_NE(page.body.find("<mark>"), std::string::npos);
  EXPECT_EQ(page.body.find("Call script"), std::string::npos);
  Reply suggestion = anyone.Get("/search?q=libary");
  EXPECT_NE(suggestion.body.find("Did you mean"), std::string::npos);
  Reply list = anyone.Get("/api/v1/public/search?q=bin%20collection%20day");
  ASSERT_FALSE(list.Items().empty());
  const std::string id(list.Items()[0].as_object().at("id").as_string());
  Reply article = anyone.Get("/articles/" + id);
  ASSERT_EQ(article.status, 200) << article;
  EXPECT_NE(article.body.find("Did this answer your question?"), std::string::npos);
  EXPECT_EQ(anyone.Get("/articles/999999").status, 404);
}

TEST_F(SearchTest, ReindexCommandRebuilds) {
  // A second database, seeded, then rebuilt from scratch by the CLI.
  OnestopProcess other;
  ASSERT_TRUE(other.Seed());
  CommandResult result = OnestopProcess::Run({"reindex", "--database", other.database_url()});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("indexed "), std::string::npos) << result.out;
  EXPECT_NE(result.err.find("#"), std::string::npos) << "progress bar: " << result.err;
}

}  // namespace
}  // namespace onestop::integration
