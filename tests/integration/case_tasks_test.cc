// Cases reach back-office officers as routed case tasks, through the real
// binary and the demo council (queues "cases-<team>" and officer profiles
// seeded): the officer's desk is offered the case, accepting assigns it, and
// resolving it frees the officer's capacity.
#include <chrono>
#include <thread>

#include "api_client.h"

namespace onestop::integration {
namespace {

class CaseTasksTest : public ServerSuite {
 protected:
  // Polls the officer's desk until it holds a case task with `reference`.
  static boost::json::object WaitForTask(Api& officer, const std::string& reference) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      Reply desk = officer.Get("/api/v1/agents/me");
      if (desk.status == 200 && desk.At("items").is_array()) {
        for (const auto& item : desk.At("items").as_array()) {
          if (item.at("media").as_string() == "case_task" && item.at("reference").as_string() == reference) {
            return item.as_object();
          }
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return {};
  }
};

TEST_F(CaseTasksTest, AnOfficerIsOfferedTheTeamsNewCaseAcceptsItAndResolvingFreesThem) {
  Api officer = ApiAs("waste.officer@fairhaven.example");
  Reply available = officer.Put("/api/v1/agents/me/presence", boost::json::object{{"presence", "available"}});
  ASSERT_EQ(available.status, 200) << available;

  Api agent = ApiAs(kAgent);
  int64_t citizen = CreateCitizen(agent, "Tasked");
  Reply created = CreateCase(agent, ServiceIn("waste", "missed-bin"), citizen);
  ASSERT_EQ(created.status, 201) << created;
  const std::string reference = created.Str("reference");
  EXPECT_EQ(created.Str("team"), "waste-collections") << created;

  boost::json::object task = WaitForTask(officer, reference);
  ASSERT_FALSE(task.empty()) << "no case task offered for " << reference;
  EXPECT_EQ(task.at("queue").as_string(), "cases-waste-collections");
  EXPECT_EQ(task.at("state").as_string(), "offered");
  const int64_t task_id = task.at("id").as_int64();

  Reply accepted = officer.Post("/api/v1/interactions/" + std::to_string(task_id) + "/accept",
                                boost::json::object{});
  ASSERT_EQ(accepted.status, 200) << accepted;
  Reply the_case = officer.Get("/api/v1/cases/" + reference);
  ASSERT_EQ(the_case.status, 200) << the_case;
  const int64_t officer_id = officer.Get("/api/v1/session").At("staff").at("id").as_int64();
  EXPECT_EQ(the_case.Int("assignee_id"), officer_id) << the_case;

  // Resolving the case completes the task: the officer holds nothing.
  const std::string path = "/api/v1/cases/" + std::to_string(created.Int("id"));
  for (const char* status : {"in_progress", "resolved"}) {
    Reply current = officer.Get(path);
    Reply changed = officer.Patch(path, boost::json::object{{"status", status}},
                                  {{"If-Match", current.Header("ETag")}});
    ASSERT_EQ(changed.status, 200) << changed;
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  bool freed = false;
  while (!freed && std::chrono::steady_clock::now() < deadline) {
    Reply desk = officer.Get("/api/v1/agents/me");
    freed = desk.status == 200 && desk.At("items").as_array().empty();
    if (!freed) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(freed) << officer.Get("/api/v1/agents/me");
}

}  // namespace
}  // namespace onestop::integration
