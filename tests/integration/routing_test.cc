// Routing through the real binary: interactions arrive, an available agent
// gets the offer (with the caller matched to a citizen), accepts and
// completes; abandon; transfer to a queue or an agent and requeue; a waiting
// interaction survives a restart; queue definitions and routing profiles with
// versions and preconditions; statistics with role checks; the demo
// council's profile delay on `general` ends by itself.
#include <chrono>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include "api_client.h"

namespace onestop::integration {
namespace {

class RoutingTest : public ServerSuite {
 protected:
  static std::string Path(int64_t id, std::string_view action = "") {
    std::string out = "/api/v1/interactions/" + std::to_string(id);
    if (!action.empty()) out += "/" + std::string(action);
    return out;
  }
  // A queue without skill rules that the demo agents (team contact-centre)
  // take: it is added to their routing profile at priority 1.
  static void PutQueue(const std::string& code) {
    Api supervisor = ApiAs(kSupervisor);
    Reply put = supervisor.Put("/api/v1/queues/" + code,
                               boost::json::object{{"name", "Council Tax"}, {"ring_timeout_seconds", 0}});
    ASSERT_TRUE(put.status == 201 || put.status == 200) << put;
    const std::string profile_path = "/api/v1/routing-profiles/contact-centre";
    Reply profile = supervisor.Get(profile_path);
    ASSERT_EQ(profile.status, 200) << profile;
    boost::json::object body = profile.json.as_object();
    boost::json::array& queues = body["queues"].as_array();
    for (const auto& line : queues) {
      if (line.at("queue").as_string() == code) return;
    }
    queues.push_back(boost::json::object{{"queue", code}, {"priority", 1}});
    body.erase("code");
    Reply updated = supervisor.Put(profile_path, body, {{"If-Match", profile.Header("ETag")}});
    ASSERT_EQ(updated.status, 200) << updated;
  }
  static Reply Arrive(Api& api, const std::string& queue, const std::string& caller) {
    return api.Post("/api/v1/interactions",
                    boost::json::object{{"media", "voice"}, {"queue", queue}, {"caller", caller}});
  }
};

TEST_F(RoutingTest, OfferAcceptCompleteWithScreenPop) {
  PutQueue("council-tax");
  Api agent = ApiAs(kAgent);
  int64_t citizen_id = CreateCitizen(
      agent, boost::json::object{{"given_name", "Ada"}, {"family_name", "Caller"},
                                 {"phones", boost::json::array{"01632 960444"}}});
  ASSERT_GT(citizen_id, 0);

  Reply arrived = Arrive(agent, "council-tax", "+44 1632 960444");
  ASSERT_EQ(arrived.status, 201) << arrived;
  int64_t id = arrived.Int("id");
  EXPECT_EQ(arrived.Str("state"), "waiting");
  EXPECT_EQ(arrived.Int("position"), 1);

  Reply desk = agent.Put("/api/v1/agents/me/presence", boost::json::object{{"presence", "available"}});
  ASSERT_EQ(desk.status, 200) << desk;
  ASSERT_EQ(desk.At("items").as_array().size(), 1u) << desk;
  const boost::json::object& offer = desk.At("items").as_array()[0].as_object();
  EXPECT_EQ(offer.at("id").as_int64(), id);
  EXPECT_EQ(offer.at("state").as_string(), "offered");
  ASSERT_TRUE(offer.at("citizen").is_object()) << desk;
  EXPECT_EQ(offer.at("citizen").as_object().at("id").as_int64(), citizen_id);
  EXPECT_EQ(offer.at("citizen").as_object().at("href").as_string(),
            "/staff/citizens/" + std::to_string(citizen_id));

  Reply accepted = agent.Post(Path(id, "accept"), boost::json::object{});
  ASSERT_EQ(accepted.status, 200) << accepted;
  EXPECT_EQ(accepted.Str("state"), "busy");
  Reply completed = agent.Post(Path(id, "complete"), boost::json::object{});
  ASSERT_EQ(completed.status, 200) << completed;
  EXPECT_EQ(completed.Str("state"), "available");
  EXPECT_EQ(agent.Get(Path(id)).status, 404);
  // Completing twice is refused, not a crash.
  EXPECT_GE(agent.Post(Path(id, "complete"), boost::json::object{}).status, 400);

  // The figures count it; agents may not see them.
  Reply stats = ApiAs(kSupervisor).Get("/api/v1/queues/stats");
  ASSERT_EQ(stats.status, 200) << stats;
  bool found = false;
  for (const auto& row : stats.At("totals").as_array()) {
    if (row.at("queue").as_string() != "council-tax") continue;
    found = true;
    EXPECT_GE(row.at("answered").as_int64(), 1);
  }
  EXPECT_TRUE(found) << stats;
  EXPECT_EQ(agent.Get("/api/v1/queues/stats").status, 403);
  ASSERT_EQ(agent.Put("/api/v1/agents/me/presence", boost::json::object{{"presence", "offline"}}).status, 200);
}

TEST_F(RoutingTest, AbandonAndQueueRules) {
  PutQueue("bins");
  Api agent = ApiAs(kAgent);
  Reply arrived = Arrive(agent, "bins", "07700 900001");
  ASSERT_EQ(arrived.status, 201) << arrived;
  int64_t id = arrived.Int("id");
  Reply abandoned = agent.Post(Path(id, "abandon"), boost::json::object{});
  ASSERT_EQ(abandoned.status, 200) << abandoned;
  EXPECT_EQ(abandoned.Str("state"), "abandoned");
  EXPECT_EQ(agent.Post(Path(id, "abandon"), boost::json::object{}).status, 404);

  EXPECT_TRUE(IsFieldProblem(Arrive(agent, "no-such-queue", "1"), 400, "queue"));
  EXPECT_EQ(agent.Put("/api/v1/queues/bins", boost::json::object{{"name", "x"}}).status, 403);
  EXPECT_TRUE(IsFieldProblem(
      ApiAs(kAdmin).Put("/api/v1/queues/Bad%20Code", boost::json::object{{"name", "x"}}), 400, "code"));
  Reply listed = agent.Get("/api/v1/queues");
  ASSERT_EQ(listed.status, 200) << listed;
  EXPECT_FALSE(listed.Items().empty());
}

// Issue 11 §5: a queue's medium, wallboard place and red/amber/green targets
// through the API, validated field by field.
TEST_F(RoutingTest, QueueMediaWallboardAndTargetsRoundTrip) {
  Api supervisor = ApiAs(kSupervisor);
  boost::json::object body{
      {"name", "Waste cases"},
      {"media", "case_task"},
      {"wallboard", boost::json::object{{"group", "Back office"}, {"order", 3},
                                        {"service_level_green_pct", 90}, {"service_level_amber_pct", 70},
                                        {"wait_amber_seconds", 3600}, {"wait_red_seconds", 7200}}}};
  Reply put = supervisor.Put("/api/v1/queues/cases-waste", body);
  ASSERT_EQ(put.status, 201) << put;
  Reply got = supervisor.Get("/api/v1/queues/cases-waste");
  ASSERT_EQ(got.status, 200) << got;
  EXPECT_EQ(got.Str("media"), "case_task");
  const boost::json::object& board = got.At("wallboard").as_object();
  EXPECT_EQ(board.at("group").as_string(), "Back office");
  EXPECT_EQ(board.at("order").as_int64(), 3);
  EXPECT_EQ(board.at("service_level_green_pct").as_int64(), 90);
  EXPECT_EQ(board.at("service_level_amber_pct").as_int64(), 70);
  EXPECT_EQ(board.at("wait_amber_seconds").as_int64(), 3600);
  EXPECT_EQ(board.at("wait_red_seconds").as_int64(), 7200);

  boost::json::object bad = body;
  bad["media"] = "pigeon";
  EXPECT_TRUE(IsFieldProblem(supervisor.Put("/api/v1/queues/cases-waste", bad), 400, "media"));
  bad = body;
  bad["wallboard"].as_object()["service_level_amber_pct"] = 95;
  EXPECT_TRUE(IsFieldProblem(supervisor.Put("/api/v1/queues/cases-waste", bad), 400, "sl_amber_pct"));
  bad = body;
  bad["wallboard"].as_object()["wait_red_seconds"] = 60;
  EXPECT_TRUE(IsFieldProblem(supervisor.Put("/api/v1/queues/cases-waste", bad), 400, "wait_red_seconds"));
}

// Issue 11 §2: a routed call is ONE contact — started when the agent
// accepts, the case raised during the call written on it, and the wrap-up
// (disposition of the demo council's list, service, duration) recorded by
// complete. GET /api/v1/contacts/{id} carries interaction_id,
// duration_seconds and disposition.
TEST_F(RoutingTest, ACallIsOneContactWithTheCaseItRaisedAndItsWrapUp) {
  PutQueue("council-tax");
  Api agent = ApiAs(kAgent);
  int64_t citizen_id = CreateCitizen(
      agent, boost::json::object{{"given_name", "Una"}, {"family_name", "Contact"},
                                 {"phones", boost::json::array{"01632 960321"}}});
  ASSERT_GT(citizen_id, 0);
  Reply arrived = Arrive(agent, "council-tax", "01632 960321");
  ASSERT_EQ(arrived.status, 201) << arrived;
  const int64_t id = arrived.Int("id");
  ASSERT_EQ(agent.Put("/api/v1/agents/me/presence", boost::json::object{{"presence", "available"}}).status, 200);
  ASSERT_EQ(agent.Post(Path(id, "accept"), boost::json::object{}).status, 200);
  Reply desk = agent.Get("/api/v1/agents/me");
  ASSERT_EQ(desk.status, 200) << desk;
  const boost::json::object& item = desk.At("items").as_array()[0].as_object();
  ASSERT_TRUE(item.at("contact_id").is_int64()) << desk;
  const int64_t contact_id = item.at("contact_id").as_int64();
  EXPECT_TRUE(item.at("connected_at").is_string()) << desk;

  // Somebody else cannot raise a case "in" this call.
  boost::json::object body{{"service_code", "council-tax-enquiry"},
                           {"citizen_id", citizen_id},
                           {"channel", "phone"},
                           {"values", boost::json::object{{"topic", "payments"},
                                                          {"question", "When is my next instalment?"}}},
                           {"interaction_id", id}};
  EXPECT_TRUE(IsFieldProblem(ApiAs(kSupervisor).Post("/api/v1/cases", body), 400, "interaction_id"));
  Reply raised = agent.Post("/api/v1/cases", body);
  ASSERT_EQ(raised.status, 201) << raised;

  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  // A bad wrap-up completes nothing.
  EXPECT_TRUE(IsFieldProblem(agent.Post(Path(id, "complete"), boost::json::object{{"disposition", "nope"}}), 400,
                             "disposition"));
  EXPECT_TRUE(IsFieldProblem(
      agent.Post(Path(id, "complete"), boost::json::object{{"disposition", "appointment_booked"}}), 400,
      "disposition"))
      << "appointment_booked is not a council-tax code in the demo council";
  EXPECT_TRUE(IsFieldProblem(agent.Post(Path(id, "complete"), boost::json::object{{"colour", "red"}}), 400, "colour"));
  ASSERT_EQ(agent.Get(Path(id)).status, 200) << "still connected";
  Reply completed = agent.Post(Path(id, "complete"),
                               boost::json::object{{"disposition", "payment_taken"},
                                                   {"service_code", "council-tax-enquiry"},
                                                   {"note", "Paid the instalment by card"}});
  ASSERT_EQ(completed.status, 200) << completed;

  Reply contact = agent.Get("/api/v1/contacts/" + std::to_string(contact_id));
  ASSERT_EQ(contact.status, 200) << contact;
  EXPECT_EQ(contact.Int("interaction_id"), id);
  EXPECT_EQ(contact.Str("disposition"), "payment_taken");
  EXPECT_EQ(contact.Str("outcome"), "case_raised");
  EXPECT_EQ(contact.Str("service_code"), "council-tax-enquiry");
  EXPECT_EQ(contact.Int("case_id"), raised.Int("id"));
  EXPECT_EQ(contact.Int("citizen_id"), citizen_id);
  EXPECT_GE(contact.Int("duration_seconds"), 1);
  Reply listed = agent.Get("/api/v1/contacts?citizen=" + std::to_string(citizen_id));
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.At("items").as_array().size(), 1u) << "one contact, not the call's and the case's: " << listed;
  EXPECT_EQ(agent.Get("/api/v1/contacts/99999999").status, 404);
  // An officer of another department does not see it.
  EXPECT_EQ(ApiAs("highways.officer@fairhaven.example").Get("/api/v1/contacts/" + std::to_string(contact_id)).status,
            404);
  Reply codes = agent.Get("/api/v1/dispositions?queue=council-tax");
  ASSERT_EQ(codes.status, 200) << codes;
  bool payment = false, appointment = false;
  for (const auto& d : codes.At("items").as_array()) {
    payment = payment || d.at("code").as_string() == "payment_taken";
    appointment = appointment || d.at("code").as_string() == "appointment_booked";
  }
  EXPECT_TRUE(payment);
  EXPECT_FALSE(appointment);
  ASSERT_EQ(agent.Put("/api/v1/agents/me/presence", boost::json::object{{"presence", "offline"}}).status, 200);
}

// Issue 11 §5 through the API: an admin's PATCH of an agent's skills
// reaches the engine at once (not at the agent's next presence change): a
// waiting call the new skill qualifies them for is offered straight away.
TEST_F(RoutingTest, ASkillGivenThroughTheApiRoutesTheWaitingCallAtOnce) {
  Api admin = ApiAs(kAdmin);
  Api agent = ApiAs(kAgent);
  PutQueue("passports");  // in the agents' profile …
  // … and needing a skill nobody has.
  ASSERT_EQ(admin.Put("/api/v1/queues/passports",
                      boost::json::object{{"name", "Passport checks"},
                                          {"skills", boost::json::array{boost::json::object{
                                                         {"skill", "passports"}, {"min_level", 3}}}},
                                          {"ring_timeout_seconds", 0}})
                .status / 100,
            2);
  Reply me = agent.Get("/api/v1/agents/me");
  ASSERT_EQ(me.status, 200) << me;
  const int64_t agent_id = me.Int("agent_id");
  ASSERT_EQ(agent.Put("/api/v1/agents/me/presence", boost::json::object{{"presence", "available"}}).status, 200);
  Reply arrived = Arrive(admin, "passports", "01632 960999");
  ASSERT_EQ(arrived.status, 201) << arrived;
  const int64_t id = arrived.Int("id");
  EXPECT_EQ(agent.Get(Path(id)).Str("state"), "waiting") << "nobody has the skill yet";

  const std::string staff_path = "/api/v1/staff/" + std::to_string(agent_id);
  Reply record = admin.Get(staff_path);
  ASSERT_EQ(record.status, 200) << record;
  boost::json::array skills = record.At("skills").as_array();
  skills.push_back(boost::json::object{{"code", "passports"}, {"proficiency", 4}});
  Reply patched = admin.Patch(staff_path, boost::json::object{{"skills", skills}}, {{"If-Match", record.Header("ETag")}});
  ASSERT_EQ(patched.status, 200) << patched;
  Reply offered = agent.Get(Path(id));
  EXPECT_EQ(offered.Str("state"), "offered") << offered;
  EXPECT_EQ(offered.Int("agent_id"), agent_id);
  EXPECT_EQ(agent.Post(Path(id, "abandon"), boost::json::object{}).status, 200);
  ASSERT_EQ(agent.Put("/api/v1/agents/me/presence", boost::json::object{{"presence", "offline"}}).status, 200);
}

// A supervisor sets an agent's state through the API, as on the floor page.
TEST_F(RoutingTest, ASupervisorSetsAnAgentsStateThroughTheApi) {
  Api agent = ApiAs(kAgent);
  Api supervisor = ApiAs(kSupervisor);
  ASSERT_EQ(agent.Put("/api/v1/agents/me/presence", boost::json::object{{"presence", "available"}}).status, 200);
  const int64_t agent_id = agent.Get("/api/v1/agents/me").Int("agent_id");
  const std::string path = "/api/v1/agents/" + std::to_string(agent_id) + "/state";
  Reply set = supervisor.Put(path, boost::json::object{{"state", "on_break"}, {"reason", "coaching"}});
  ASSERT_EQ(set.status, 200) << set;
  EXPECT_EQ(set.Str("presence"), "on_break");
  EXPECT_EQ(set.Str("reason"), "coaching");
  Reply me = agent.Get("/api/v1/agents/me");
  EXPECT_EQ(me.Str("presence"), "on_break") << me;
  EXPECT_EQ(me.Str("reason"), "coaching");
  EXPECT_TRUE(IsProblem(agent.Put(path, boost::json::object{{"state", "available"}}), 403)) << "agents may not";
  EXPECT_TRUE(IsFieldProblem(supervisor.Put(path, boost::json::object{{"state", "busy"}}), 400, "state"));
  EXPECT_TRUE(IsFieldProblem(supervisor.Put(path, boost::json::object{}), 400, "state"));
  EXPECT_TRUE(IsProblem(supervisor.Put(path, boost::json::object{{"state", "end_wrap_up"}}), 409));
  EXPECT_TRUE(IsProblem(supervisor.Put("/api/v1/agents/99999999/state", boost::json::object{{"state", "offline"}}),
                        404));
  ASSERT_EQ(supervisor.Put(path, boost::json::object{{"state", "offline"}}).status, 200);
  EXPECT_EQ(agent.Get("/api/v1/agents/me").Str("presence"), "offline");
}

TEST_F(RoutingTest, WaitingInteractionSurvivesRestart) {
  PutQueue("parking");
  Api agent = ApiAs(kAgent);
  Reply arrived = Arrive(agent, "parking", "07700 900002");
  ASSERT_EQ(arrived.status, 201) << arrived;
  int64_t id = arrived.Int("id");

  ASSERT_EQ(server().Stop(), 0) << server().ReadLog();
  ASSERT_TRUE(server().Start());
  tokens_.clear();

  Api again = ApiAs(kAgent);
  Reply item = again.Get(Path(id));
  ASSERT_EQ(item.status, 200) << item;
  EXPECT_EQ(item.Str("state"), "waiting");
  EXPECT_EQ(item.Str("queue"), "parking");
  EXPECT_EQ(item.Int("position"), 1);
  Reply queue = again.Get("/api/v1/queues/parking");
  EXPECT_EQ(queue.status, 200) << queue;
  // New interactions do not reuse the id.
  Reply next = Arrive(again, "parking", "07700 900003");
  ASSERT_EQ(next.status, 201) << next;
  EXPECT_GT(next.Int("id"), id);
  EXPECT_EQ(next.Int("position"), 2);
  // Leave no work waiting for the agent of the next tests.
  EXPECT_EQ(again.Post(Path(id, "abandon"), boost::json::object{}).status, 200);
  EXPECT_EQ(again.Post(Path(next.Int("id"), "abandon"), boost::json::object{}).status, 200);
}

TEST_F(RoutingTest, TransferToQueueToAgentAndRequeue) {
  // Queues both agents take (in the demo council's contact-centre profile,
  // and with no skills required once redefined here).
  PutQueue("waste");
  PutQueue("council-tax");
  Api agent = ApiAs(kAgent);
  Api supervisor = ApiAs(kSupervisor);
  Reply agent_desk = agent.Get("/api/v1/agents/me");
  ASSERT_EQ(agent_desk.status, 200) << agent_desk;
  const int64_t agent_id = agent_desk.Int("agent_id");
  ASSERT_EQ(supervisor.Put("/api/v1/agents/me/presence", boost::json::object{{"presence", "offline"}}).status,
            200);

  ASSERT_EQ(agent.Put("/api/v1/agents/me/presence", boost::json::object{{"presence", "available"}}).status,
            200);
  Reply arrived = Arrive(agent, "waste", "07700 900010");
  ASSERT_EQ(arrived.status, 201) << arrived;
  const int64_t id = arrived.Int("id");
  ASSERT_EQ(agent.Post(Path(id, "accept"), boost::json::object{}).status, 200);

  // Error paths, none of which moves the interaction.
  const std::string transfer = Path(id, "transfer");
  EXPECT_TRUE(IsFieldProblem(agent.Post(transfer, boost::json::object{}), 400, ""));
  EXPECT_TRUE(IsProblem(
      agent.Post(transfer, boost::json::object{{"queue", "council-tax"}, {"agent_id", agent_id}}), 400));
  EXPECT_TRUE(IsFieldProblem(agent.Post(transfer, boost::json::object{{"queue", 7}}), 400, "queue"));
  EXPECT_TRUE(IsFieldProblem(agent.Post(transfer, boost::json::object{{"queue", "no-such-queue"}}), 400,
                             "queue"));
  EXPECT_TRUE(IsFieldProblem(agent.Post(transfer, boost::json::object{{"agent_id", 9999999}}), 400,
                             "agent_id"));
  EXPECT_TRUE(IsFieldProblem(agent.Post(transfer, boost::json::object{{"agent_id", agent_id}}), 400,
                             "agent_id"));  // oneself
  EXPECT_TRUE(IsFieldProblem(
      agent.Post(transfer, boost::json::object{{"queue", "council-tax"}, {"extra", 1}}), 400, "extra"));
  EXPECT_TRUE(IsProblem(supervisor.Post(transfer, boost::json::object{{"queue", "council-tax"}}), 409));
  EXPECT_TRUE(IsProblem(supervisor.Post(Path(id, "requeue"), boost::json::object{}), 409));
  EXPECT_TRUE(IsProblem(agent.Post(Path(9999999, "transfer"), boost::json::object{{"queue", "council-tax"}}),
                        404));
  EXPECT_TRUE(IsProblem(agent.Post(Path(9999999, "requeue"), boost::json::object{}), 404));
  EXPECT_TRUE(IsProblem(Api(port()).Post(transfer, boost::json::object{{"queue", "council-tax"}}), 401));
  Reply still = agent.Get(Path(id));
  ASSERT_EQ(still.status, 200) << still;
  EXPECT_EQ(still.Str("state"), "connected");
  EXPECT_EQ(still.Str("queue"), "waste");

  // To a queue: with the agent on a break and nobody else available, it waits there.
  ASSERT_EQ(agent.Put("/api/v1/agents/me/presence", boost::json::object{{"presence", "on_break"}}).status,
            200);
  Reply moved = agent.Post(transfer, boost::json::object{{"queue", "council-tax"}});
  ASSERT_EQ(moved.status, 200) << moved;
  EXPECT_EQ(moved.Int("id"), id);
  EXPECT_EQ(moved.Str("queue"), "council-tax");
  EXPECT_EQ(moved.Str("state"), "waiting");
  EXPECT_EQ(moved.Int("position"), 1);
  EXPECT_TRUE(agent.Get("/api/v1/agents/me").At("items").as_array().empty());

  // The supervisor takes it and hands it back to the agent by name.
  Reply offered = supervisor.Put("/api/v1/agents/me/presence", boost::json::object{{"presence", "available"}});
  ASSERT_EQ(offered.status, 200) << offered;
  ASSERT_EQ(offered.At("items").as_array().size(), 1u) << offered;
  ASSERT_EQ(supervisor.Post(Path(id, "accept"), boost::json::object{}).status, 200);
  Reply to_agent = supervisor.Post(transfer, boost::json::object{{"agent_id", agent_id}});
  ASSERT_EQ(to_agent.status, 200) << to_agent;
  EXPECT_EQ(to_agent.Str("state"), "waiting");  // the agent is on a break
  EXPECT_EQ(to_agent.Str("queue"), "council-tax");
  ASSERT_EQ(supervisor.Put("/api/v1/agents/me/presence", boost::json::object{{"presence", "offline"}}).status,
            200);
  Reply back = agent.Put("/api/v1/agents/me/presence", boost::json::object{{"presence", "available"}});
  ASSERT_EQ(back.status, 200) << back;
  ASSERT_EQ(back.At("items").as_array().size(), 1u) << back;
  EXPECT_EQ(back.At("items").as_array()[0].at("id").as_int64(), id);
  ASSERT_EQ(agent.Post(Path(id, "accept"), boost::json::object{}).status, 200);

  // Requeue: back in its queue (the agent is available, so it may be
  // offered straight back to them).
  Reply requeued = agent.Post(Path(id, "requeue"), boost::json::object{});
  ASSERT_EQ(requeued.status, 200) << requeued;
  EXPECT_EQ(requeued.Str("queue"), "council-tax");
  EXPECT_NE(requeued.Str("state"), "connected");

  // The figures count the transfer in the queue it moved to.
  Reply stats = supervisor.Get("/api/v1/queues/stats");
  ASSERT_EQ(stats.status, 200) << stats;
  bool counted = false;
  for (const auto& row : stats.At("totals").as_array()) {
    if (row.at("queue") == "council-tax") counted = row.at("offered").as_int64() >= 1;
  }
  EXPECT_TRUE(counted) << stats;

  // Leave no work and nobody available for the next tests.
  ASSERT_EQ(agent.Put("/api/v1/agents/me/presence", boost::json::object{{"presence", "offline"}}).status, 200);
  Reply item = agent.Get(Path(id));
  if (item.Str("state") == "connected") {
    EXPECT_EQ(agent.Post(Path(id, "complete"), boost::json::object{}).status, 200);
  } else if (item.status == 200) {
    EXPECT_EQ(agent.Post(Path(id, "abandon"), boost::json::object{}).status, 200);
  }
}

TEST_F(RoutingTest, QueueAndProfileVersionsAndPreconditions) {
  Api supervisor = ApiAs(kSupervisor);
  const std::string queue = "/api/v1/queues/versioned";
  const boost::json::object body{{"name", "Versioned"}, {"ring_timeout_seconds", 0}};
  Reply created = supervisor.Put(queue, body, {{"If-None-Match", "*"}});
  ASSERT_EQ(created.status, 201) << created;
  EXPECT_EQ(created.Header("ETag"), "\"1\"");
  EXPECT_TRUE(IsProblem(supervisor.Put(queue, body, {{"If-None-Match", "*"}}), 412));
  Reply got = supervisor.Get(queue);
  ASSERT_EQ(got.status, 200) << got;
  EXPECT_EQ(got.Header("ETag"), "\"1\"");

  boost::json::object renamed = body;
  renamed["name"] = "Versioned, renamed";
  Reply replaced = supervisor.Put(queue, renamed, {{"If-Match", got.Header("ETag")}});
  ASSERT_EQ(replaced.status, 200) << replaced;
  EXPECT_EQ(replaced.Header("ETag"), "\"2\"");
  EXPECT_EQ(replaced.Int("version"), 2);
  // Stale: 412 and nothing changes.
  boost::json::object stale = body;
  stale["name"] = "Stale";
  stale["wrap_up_seconds"] = 99;
  EXPECT_TRUE(IsProblem(supervisor.Put(queue, stale, {{"If-Match", "\"1\""}}), 412));
  got = supervisor.Get(queue);
  EXPECT_EQ(got.Str("name"), "Versioned, renamed");
  EXPECT_EQ(got.Int("wrap_up_seconds"), 0);
  EXPECT_EQ(got.Header("ETag"), "\"2\"");
  // If-Match on a queue that does not exist creates nothing.
  EXPECT_TRUE(IsProblem(supervisor.Put("/api/v1/queues/versioned-missing", body, {{"If-Match", "\"1\""}}),
                        412));
  EXPECT_EQ(supervisor.Get("/api/v1/queues/versioned-missing").status, 404);
  // Malformed or contradictory preconditions are refused.
  EXPECT_TRUE(IsFieldProblem(supervisor.Put(queue, body, {{"If-Match", "soon"}}), 400, "If-Match"));
  EXPECT_TRUE(IsFieldProblem(supervisor.Put(queue, body, {{"If-None-Match", "\"2\""}}), 400,
                             "If-None-Match"));
  EXPECT_TRUE(IsFieldProblem(
      supervisor.Put(queue, body, {{"If-None-Match", "*"}, {"If-Match", "\"2\""}}), 400, "If-None-Match"));
  // Without a precondition: replaced, as before.
  Reply plain = supervisor.Put(queue, renamed);
  ASSERT_EQ(plain.status, 200) << plain;
  EXPECT_EQ(plain.Header("ETag"), "\"3\"");

  // Routing profiles, for a team nobody is in (so no agent's queues change).
  const std::string profile = "/api/v1/routing-profiles/versioned";
  boost::json::object p{{"name", "Versioned"},
                        {"team", "no-such-team"},
                        {"queues", boost::json::array{boost::json::object{{"queue", "versioned"}}}}};
  EXPECT_TRUE(IsProblem(supervisor.Get(profile), 404));
  Reply made = supervisor.Put(profile, p, {{"If-None-Match", "*"}});
  ASSERT_EQ(made.status, 201) << made;
  EXPECT_EQ(made.Header("ETag"), "\"1\"");
  EXPECT_TRUE(IsProblem(supervisor.Put(profile, p, {{"If-None-Match", "*"}}), 412));
  Reply one = ApiAs(kAgent).Get(profile);
  ASSERT_EQ(one.status, 200) << one;
  EXPECT_EQ(one.Header("ETag"), "\"1\"");
  EXPECT_EQ(one.Str("team"), "no-such-team");
  p["name"] = "Versioned, renamed";
  Reply profile_replaced = supervisor.Put(profile, p, {{"If-Match", "\"1\""}});
  ASSERT_EQ(profile_replaced.status, 200) << profile_replaced;
  EXPECT_EQ(profile_replaced.Header("ETag"), "\"2\"");
  p["name"] = "Stale";
  EXPECT_TRUE(IsProblem(supervisor.Put(profile, p, {{"If-Match", "\"1\""}}), 412));
  EXPECT_EQ(supervisor.Get(profile).Str("name"), "Versioned, renamed");
  EXPECT_EQ(ApiAs(kAgent).Put(profile, p, {{"If-Match", "\"2\""}}).status, 403);

  EXPECT_EQ(supervisor.Delete(profile).status, 204);
  EXPECT_EQ(supervisor.Delete(queue).status, 204);
}

// A small synchronous Beast WebSocket client for the staff channels.
class Socket {
 public:
  Socket(uint16_t port, const std::string& target, const std::string& token) : ws_(io_) {
    namespace beast = boost::beast;
    boost::asio::ip::tcp::resolver resolver(io_);
    boost::asio::connect(ws_.next_layer(), resolver.resolve("127.0.0.1", std::to_string(port)));
    ws_.next_layer().set_option(boost::asio::socket_base::receive_buffer_size(1 << 16));
    ws_.set_option(boost::beast::websocket::stream_base::decorator(
        [token](boost::beast::websocket::request_type& req) {
          req.set(beast::http::field::authorization, "Bearer " + token);
        }));
    ws_.handshake(response_, "127.0.0.1", target, ec_);
  }
  const boost::system::error_code& error() const { return ec_; }
  unsigned status() const { return response_.result_int(); }
  void Send(const boost::json::object& message) {
    ws_.write(boost::asio::buffer(boost::json::serialize(message)));
  }
  // Reads messages until one satisfies `want` (or 50 messages went by).
  boost::json::object ReadUntil(const std::function<bool(const boost::json::object&)>& want) {
    for (int count = 0; count < 50; ++count) {
      // Asynchronous read with a deadline, so a missing message fails the
      // test instead of hanging it.
      boost::beast::flat_buffer buffer;
      bool done = false;
      boost::system::error_code ec;
      ws_.async_read(buffer, [&](boost::system::error_code read_ec, size_t) {
        ec = read_ec;
        done = true;
      });
      io_.restart();
      io_.run_for(std::chrono::seconds(10));
      if (!done) {
        ADD_FAILURE() << "no message within 10 s";
        ws_.next_layer().close();
        io_.restart();
        io_.run();
        return {};
      }
      if (ec) {
        ADD_FAILURE() << "read failed: " << ec.message();
        return {};
      }
      boost::json::value value = boost::json::parse(boost::beast::buffers_to_string(buffer.data()));
      if (value.is_object() && want(value.as_object())) return value.as_object();
    }
    ADD_FAILURE() << "no matching message";
    return {};
  }

 private:
  boost::asio::io_context io_;
  boost::beast::websocket::stream<boost::asio::ip::tcp::socket> ws_;
  boost::beast::websocket::response_type response_;
  boost::system::error_code ec_;
};

TEST_F(RoutingTest, DeskSocketReceivesTheOfferAndWallboardSocketTheFigures) {
  PutQueue("licensing");
  Api agent = ApiAs(kAgent);
  Socket desk(port(), "/staff/ws/desk", TokenFor(kAgent));
  ASSERT_FALSE(desk.error()) << desk.error().message() << " HTTP " << desk.status();
  desk.ReadUntil([](const boost::json::object& m) { return m.at("type") == "desk"; });
  desk.Send({{"type", "presence"}, {"presence", "available"}});
  desk.ReadUntil([](const boost::json::object& m) {
    return m.at("type") == "desk" && m.at("state") == "available";
  });

  Reply arrived = Arrive(agent, "licensing", "07700 900777");
  ASSERT_EQ(arrived.status, 201) << arrived;
  const int64_t id = arrived.Int("id");
  boost::json::object offered = desk.ReadUntil([id](const boost::json::object& m) {
    if (m.at("type") != "desk") return false;
    for (const auto& item : m.at("items").as_array()) {
      if (item.at("id").as_int64() == id && item.at("state") == "offered") return true;
    }
    return false;
  });
  EXPECT_EQ(offered.at("items").as_array()[0].at("caller"), "07700 900777");

  desk.Send({{"type", "accept"}, {"id", id}});
  desk.ReadUntil([](const boost::json::object& m) { return m.at("type") == "desk" && m.at("state") == "busy"; });
  // A transfer needs a queue or an agent; requeue puts it back, and as the
  // only available agent this one is offered it again.
  desk.Send({{"type", "transfer"}, {"id", id}});
  boost::json::object refused_transfer = desk.ReadUntil(
      [](const boost::json::object& m) { return m.at("type") == "desk" && m.contains("error"); });
  EXPECT_EQ(refused_transfer.at("state"), "busy");
  desk.Send({{"type", "requeue"}, {"id", id}});
  desk.ReadUntil([id](const boost::json::object& m) {
    if (m.at("type") != "desk" || m.contains("error")) return false;
    for (const auto& item : m.at("items").as_array()) {
      if (item.at("id").as_int64() == id && item.at("state") == "offered") return true;
    }
    return false;
  });
  desk.Send({{"type", "accept"}, {"id", id}});
  desk.ReadUntil([](const boost::json::object& m) { return m.at("type") == "desk" && m.at("state") == "busy"; });
  desk.Send({{"type", "complete"}, {"id", id}});
  desk.ReadUntil([](const boost::json::object& m) {
    return m.at("type") == "desk" && m.at("items").as_array().empty();
  });
  desk.Send({{"type", "presence"}, {"presence", "offline"}});
  desk.ReadUntil([](const boost::json::object& m) { return m.at("type") == "desk" && m.at("state") == "offline"; });

  // Agents may not open the wallboard; supervisors get its figures.
  Socket refused(port(), "/staff/ws/wallboard", TokenFor(kAgent));
  EXPECT_TRUE(refused.error());
  EXPECT_EQ(refused.status(), 403u);
  Socket board(port(), "/staff/ws/wallboard", TokenFor(kSupervisor));
  ASSERT_FALSE(board.error()) << board.error().message();
  boost::json::object figures = board.ReadUntil([](const boost::json::object& m) {
    if (m.at("type") != "wallboard") return false;
    for (const auto& q : m.at("queues").as_array()) {
      if (q.at("code") == "licensing" && q.at("answered").as_int64() >= 1) return true;
    }
    return false;
  });
  EXPECT_TRUE(figures.contains("at"));
}

TEST_F(RoutingTest, WallboardPageNeedsASupervisor) {
  // Not signed in: the login page.
  Reply anonymous = Api(port()).Get("/staff/wallboard");
  EXPECT_EQ(anonymous.status, 303) << anonymous;
}

// The demo council's contact-centre profile holds `general` back for 10 s
// (data/demo/council.json). With the agent available, the call is offered
// when the delay ends, by itself — not only when presence is set again.
TEST_F(RoutingTest, GeneralCallIsOfferedWhenTheDemoProfileDelayEnds) {
  using Clock = std::chrono::steady_clock;
  Api agent = ApiAs(kAgent);
  Reply desk = agent.Put("/api/v1/agents/me/presence", boost::json::object{{"presence", "available"}});
  ASSERT_EQ(desk.status, 200) << desk;
  const Clock::time_point posted = Clock::now();
  Reply arrived = Arrive(agent, "general", "07700900999");
  ASSERT_EQ(arrived.status, 201) << arrived;
  const int64_t id = arrived.Int("id");
  EXPECT_EQ(arrived.Str("state"), "waiting");
  EXPECT_EQ(arrived.Int("position"), 1);
  Reply item;
  while (Clock::now() < posted + std::chrono::seconds(12)) {
    item = agent.Get(Path(id));
    ASSERT_EQ(item.status, 200) << item;
    if (item.Str("state") != "waiting") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const Clock::duration waited = Clock::now() - posted;
  EXPECT_EQ(item.Str("state"), "offered") << item;
  EXPECT_FALSE(item.At("agent_id").is_null()) << item;
  EXPECT_GE(waited, std::chrono::seconds(10)) << "offered before the profile delay ended";
  EXPECT_LT(waited, std::chrono::seconds(11)) << "offered more than 1 s after the delay ended";
  // Leave no work and no available agent for the next tests.
  EXPECT_EQ(agent.Post(Path(id, "abandon"), boost::json::object{}).status, 200);
  ASSERT_EQ(agent.Put("/api/v1/agents/me/presence", boost::json::object{{"presence", "offline"}}).status, 200);
}

}  // namespace
}  // namespace onestop::integration
