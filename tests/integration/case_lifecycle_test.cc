// The case status machine over HTTP: legal transitions (with the SLA clock
// pausing while waiting on the citizen), illegal ones refused with 409 and no
// change, notes, attachments and the case's own event list.
#include "api_client.h"

namespace onestop::integration {
namespace {

class CaseLifecycleTest : public ServerSuite {
 protected:
  // PATCHes the status with the current ETag; returns the reply.
  static Reply Transition(Api& api, int64_t case_id, std::string_view status) {
    std::string target = "/api/v1/cases/" + std::to_string(case_id);
    Reply current = api.Get(target);
    EXPECT_EQ(current.status, 200) << current;
    return api.Patch(target, boost::json::object{{"status", status}},
                     {{"If-Match", current.Header("ETag")}});
  }
};

TEST_F(CaseLifecycleTest, LegalTransitionsAndReopen) {
  Api agent = ApiAs(kAgent);
  Reply created = CreateCase(agent, ServiceIn("highways", "pothole"), CreateCitizen(agent, "Life"));
  int64_t case_id = created.Int("id");
  ASSERT_GT(case_id, 0);
  EXPECT_EQ(created.Str("status"), "new");
  EXPECT_FALSE(created.At("sla_paused").as_bool());

  Reply open = Transition(agent, case_id, "open");
  ASSERT_EQ(open.status, 200) << open;
  EXPECT_EQ(open.Str("status"), "open");
  Reply working = Transition(agent, case_id, "in_progress");
  ASSERT_EQ(working.status, 200) << working;
  std::string due_before_pause = working.Str("due_at");

  Reply waiting = Transition(agent, case_id, "waiting_on_citizen");
  ASSERT_EQ(waiting.status, 200) << waiting;
  EXPECT_EQ(waiting.Str("status"), "waiting_on_citizen");
  EXPECT_TRUE(waiting.At("sla_paused").is_bool() && waiting.At("sla_paused").as_bool()) << waiting;

  Reply resumed = Transition(agent, case_id, "in_progress");
  ASSERT_EQ(resumed.status, 200) << resumed;
  EXPECT_FALSE(resumed.At("sla_paused").as_bool()) << resumed;
  if (!due_before_pause.empty()) {
    // RFC 3339 UTC strings of the same shape compare in time order.
    std::string due_after = resumed.Str("due_at");
    ASSERT_FALSE(due_after.empty()) << resumed;
    EXPECT_GE(due_after, due_before_pause)
        << "a pause of no working time must not bring the due time forward (creation uses "
           "AddWorkingDays, resume AddWorkingTime: outside working hours they disagree)";
  }

  Reply resolved = Transition(agent, case_id, "resolved");
  ASSERT_EQ(resolved.status, 200) << resolved;
  EXPECT_FALSE(resolved.Str("resolved_at").empty()) << resolved;
  Reply closed = Transition(agent, case_id, "closed");
  ASSERT_EQ(closed.status, 200) << closed;
  EXPECT_FALSE(closed.Str("closed_at").empty()) << closed;
  Reply reopened = Transition(agent, case_id, "open");
  ASSERT_EQ(reopened.status, 200) << reopened;
  EXPECT_EQ(reopened.Str("status"), "open");

  Reply events = agent.Get("/api/v1/cases/" + std::to_string(case_id) + "/events");
  ASSERT_EQ(events.status, 200) << events;
  EXPECT_GE(events.Items().size(), 8u) << "created + 7 changes: " << events;
  EXPECT_EQ(events.Items().front().as_object().at("type"), "case.created") << events;
}

TEST_F(CaseLifecycleTest, IllegalTransitionsAre409AndChangeNothing) {
  Api agent = ApiAs(kAgent);
  int64_t citizen_id = CreateCitizen(agent, "Illegal");
  int64_t case_id = CreateCase(agent, ServiceIn("waste", "bin"), citizen_id).Int("id");
  std::string target = "/api/v1/cases/" + std::to_string(case_id);

  Reply before = agent.Get(target);
  Reply illegal = Transition(agent, case_id, "closed");  // new → closed
  EXPECT_TRUE(IsProblem(illegal, 409));
  Reply after = agent.Get(target);
  EXPECT_EQ(after.Int("version"), before.Int("version"));
  EXPECT_EQ(after.Str("status"), "new");
  EXPECT_EQ(after.Header("ETag"), before.Header("ETag"));

  ASSERT_EQ(Transition(agent, case_id, "cancelled").status, 200);
  Reply cancelled = agent.Get(target);
  Reply reopen = Transition(agent, case_id, "open");  // cancelled → open
  EXPECT_TRUE(IsProblem(reopen, 409));
  Reply still = agent.Get(target);
  EXPECT_EQ(still.Str("status"), "cancelled");
  EXPECT_EQ(still.Int("version"), cancelled.Int("version"));
  EXPECT_TRUE(still.At("next_statuses").is_array() && still.At("next_statuses").as_array().empty())
      << still;
}

TEST_F(CaseLifecycleTest, NotesAttachmentsAndEvents) {
  Api agent = ApiAs(kAgent);
  int64_t case_id = CreateCase(agent, ServiceIn("waste", "bin"), CreateCitizen(agent, "Notes"))
                        .Int("id");
  std::string base = "/api/v1/cases/" + std::to_string(case_id);

  Reply internal = agent.Post(base + "/notes",
                              boost::json::object{{"visibility", "internal"}, {"body", "Called crew"}});
  ASSERT_EQ(internal.status, 201) << internal;
  EXPECT_EQ(internal.Str("visibility"), "internal");
  Reply pub = agent.Post(base + "/notes", boost::json::object{{"visibility", "public"},
                                                              {"body", "We will collect tomorrow"}});
  ASSERT_EQ(pub.status, 201) << pub;
  EXPECT_TRUE(IsFieldProblem(
      agent.Post(base + "/notes", boost::json::object{{"visibility", "secret"}, {"body", "x"}}), 400,
      "visibility"));

  Reply notes = agent.Get(base + "/notes");
  ASSERT_EQ(notes.status, 200) << notes;
  ASSERT_EQ(notes.Items().size(), 2u) << notes;
  EXPECT_EQ(notes.Items()[0].as_object().at("body"), "Called crew");
  EXPECT_EQ(notes.Items()[1].as_object().at("visibility"), "public");

  Reply attachment = agent.Post(
      base + "/attachments",
      boost::json::object{{"filename", "bin.jpg"}, {"content_type", "image/jpeg"},
                          {"size_bytes", 12345}, {"url", "https://files.example/bin.jpg"},
                          {"sha256", std::string(64, 'a')}});
  ASSERT_EQ(attachment.status, 201) << attachment;
  EXPECT_EQ(attachment.Str("filename"), "bin.jpg");
  EXPECT_EQ(attachment.Int("size_bytes"), 12345);
  Reply attachments = agent.Get(base + "/attachments");
  ASSERT_EQ(attachments.status, 200) << attachments;
  ASSERT_EQ(attachments.Items().size(), 1u) << attachments;
  EXPECT_EQ(attachments.Items()[0].as_object().at("url"), "https://files.example/bin.jpg");

  Reply events = agent.Get(base + "/events");
  ASSERT_EQ(events.status, 200) << events;
  std::vector<std::string> types;
  for (const auto& event : events.Items()) {
    types.emplace_back(event.as_object().at("type").as_string());
  }
  EXPECT_EQ(std::count(types.begin(), types.end(), "case.created"), 1) << events;
  EXPECT_GE(types.size(), 4u) << "created, two notes and an attachment: " << events;
}

}  // namespace
}  // namespace onestop::integration
