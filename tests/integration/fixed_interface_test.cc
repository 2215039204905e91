// The fixed /api/v1 interface other channels and clients rely on: sessions,
// the catalogue, citizens, cases with ETags, the timeline, the event feed,
// health and metrics.
#include <set>

#include "api_client.h"

namespace onestop::integration {
namespace {

class FixedInterfaceTest : public ServerSuite {};

TEST_F(FixedInterfaceTest, SessionLoginBearerAndLogout) {
  Api anonymous(port());
  Reply login = anonymous.Post("/api/v1/session",
                               boost::json::object{{"email", kAgent}, {"password", kDemoPassword}});
  ASSERT_EQ(login.status, 201) << login;
  std::string token = login.Str("token");
  ASSERT_FALSE(token.empty()) << login;

  Api agent(port(), token);
  Reply me = agent.Get("/api/v1/session");
  EXPECT_EQ(me.status, 200) << me;
  EXPECT_EQ(agent.Get("/api/v1/cases").status, 200);

  Reply logout = agent.Delete("/api/v1/session");
  EXPECT_EQ(logout.status, 204) << logout;
  EXPECT_TRUE(IsProblem(agent.Get("/api/v1/cases"), 401));
  EXPECT_TRUE(IsProblem(agent.Get("/api/v1/session"), 401));

  Reply wrong = anonymous.Post("/api/v1/session",
                               boost::json::object{{"email", kAgent}, {"password", "not-it-at-all"}});
  EXPECT_TRUE(IsProblem(wrong, 401));
}

TEST_F(FixedInterfaceTest, ServicesCatalogue) {
  Api api(port());
  Reply reply = api.Get("/api/v1/services");
  ASSERT_EQ(reply.status, 200) << reply;
  const boost::json::array& items = reply.Items();
  EXPECT_GE(items.size(), 30u);
  std::set<std::string> departments;
  for (const boost::json::value& item : items) {
    const boost::json::object& service = item.as_object();
    ASSERT_TRUE(service.contains("code") && service.at("code").is_string()) << item;
    EXPECT_TRUE(service.contains("name") && service.at("name").is_string()) << item;
    ASSERT_TRUE(service.contains("department") && service.at("department").is_string()) << item;
    departments.insert(std::string(service.at("department").as_string()));
    ASSERT_TRUE(service.contains("fields") && service.at("fields").is_array()) << item;
    for (const boost::json::value& field : service.at("fields").as_array()) {
      const boost::json::object& f = field.as_object();
      EXPECT_TRUE(f.contains("code") && f.at("code").is_string()) << field;
      EXPECT_TRUE(f.contains("datatype") && f.at("datatype").is_string()) << field;
      EXPECT_TRUE(f.contains("required") && f.at("required").is_bool()) << field;
      EXPECT_TRUE(f.contains("order") && f.at("order").is_number()) << field;
    }
  }
  EXPECT_GE(departments.size(), 8u);
  // The demo council has a missed-bin style service in waste and a pothole
  // one in highways; the other suites rely on both departments.
  EXPECT_TRUE(departments.count("waste")) << reply;
  EXPECT_TRUE(departments.count("highways")) << reply;

  const ServiceInfo& waste = ServiceIn("waste", "bin");
  Reply one = api.Get("/api/v1/services/" + waste.code);
  EXPECT_EQ(one.status, 200) << one;
  EXPECT_EQ(one.Str("code"), waste.code);
}

TEST_F(FixedInterfaceTest, CitizenCaseEtagPatchAndTimeline) {
  Api agent = ApiAs(kAgent);
  Reply citizen = agent.Post(
      "/api/v1/citizens",
      boost::json::object{{"given_name", "Ada"}, {"family_name", "Fixed"},
                          {"phones", boost::json::array{"07700 900001"}},
                          {"emails", boost::json::array{"ada.fixed@example.org"}}});
  ASSERT_EQ(citizen.status, 201) << citizen;
  int64_t citizen_id = citizen.Int("id");
  ASSERT_GT(citizen_id, 0);

  const ServiceInfo& service = ServiceIn("waste", "bin");
  Reply created = agent.Post("/api/v1/cases", NewCaseBody(service, citizen_id));
  ASSERT_EQ(created.status, 201) << created;
  int64_t case_id = created.Int("id");
  std::string reference = created.Str("reference");
  ASSERT_GT(case_id, 0);
  EXPECT_TRUE(LooksLikeReference(reference)) << reference;
  EXPECT_EQ(created.Str("status"), "new");
  EXPECT_EQ(created.Str("service_code"), service.code);
  EXPECT_EQ(created.Int("citizen_id"), citizen_id);
  EXPECT_FALSE(created.Header("ETag").empty()) << created;

  std::string by_id_target = "/api/v1/cases/" + std::to_string(case_id);
  Reply by_id = agent.Get(by_id_target);
  Reply by_reference = agent.Get("/api/v1/cases/" + reference);
  ASSERT_EQ(by_id.status, 200) << by_id;
  ASSERT_EQ(by_reference.status, 200) << by_reference;
  EXPECT_EQ(by_id.json, by_reference.json);
  EXPECT_EQ(by_id.Int("id"), case_id);
  std::string etag = by_id.Header("ETag");
  ASSERT_FALSE(etag.empty()) << by_id;
  EXPECT_EQ(etag, by_reference.Header("ETag"));

  Reply patched = agent.Patch(by_id_target, boost::json::object{{"priority", "high"}},
                              {{"If-Match", etag}});
  ASSERT_EQ(patched.status, 200) << patched;
  EXPECT_EQ(patched.Str("priority"), "high");
  std::string new_etag = patched.Header("ETag");
  EXPECT_FALSE(new_etag.empty());
  EXPECT_NE(new_etag, etag);

  Reply stale = agent.Patch(by_id_target, boost::json::object{{"priority", "high"}},
                            {{"If-Match", etag}});
  EXPECT_TRUE(IsProblem(stale, 412));
  EXPECT_EQ(agent.Get(by_id_target).Header("ETag"), new_etag);

  Reply timeline = agent.Get("/api/v1/citizens/" + std::to_string(citizen_id) + "/timeline");
  ASSERT_EQ(timeline.status, 200) << timeline;
  bool saw_case = false, saw_contact = false;
  for (const boost::json::value& entry : timeline.Items()) {
    const boost::json::object& e = entry.as_object();
    std::string kind(e.at("kind").as_string());
    if (kind == "case" && e.at("case").as_object().at("id") == case_id) saw_case = true;
    if (kind == "contact") {
      const boost::json::value& contact_case = e.at("contact").as_object().at("case_id");
      if (contact_case == case_id) saw_contact = true;
    }
  }
  EXPECT_TRUE(saw_case) << timeline;
  EXPECT_TRUE(saw_contact) << "the phone case should have recorded a contact: " << timeline;
}

TEST_F(FixedInterfaceTest, EventFeedIsOrderedAndResumable) {
  Api agent = ApiAs(kAgent);
  int64_t citizen_id = CreateCitizen(agent, "Feed");
  Reply created = CreateCase(agent, ServiceIn("highways", "pothole"), citizen_id);
  int64_t case_id = created.Int("id");
  SettleEvents(agent);  // the case task the new case causes lands first

  Reply first = agent.Get("/api/v1/events?after=0");
  ASSERT_EQ(first.status, 200) << first;
  std::vector<boost::json::object> events = EventsAfter(agent, 0);
  ASSERT_FALSE(events.empty());
  int64_t previous = 0;
  bool saw_case_created = false;
  for (const auto& event : events) {
    int64_t seq = event.at("seq").as_int64();
    EXPECT_GT(seq, previous) << "seq must increase: " << boost::json::serialize(event);
    previous = seq;
    if (event.at("type") == "case.created" && event.at("case_id") == case_id) {
      saw_case_created = true;
    }
  }
  EXPECT_TRUE(saw_case_created);
  Reply after_last = agent.Get("/api/v1/events?after=" + std::to_string(previous));
  ASSERT_EQ(after_last.status, 200) << after_last;
  EXPECT_TRUE(after_last.Items().empty()) << after_last;
  EXPECT_EQ(after_last.Int("next_after"), previous);
}

// `onestop simulate … --json` and `onestop staffing … --json`: one JSON
// object each with the fixed fields, numbers in plain decimal.
TEST_F(FixedInterfaceTest, SimulateAndStaffingPrintOneJsonObject) {
  CommandResult sim = OnestopProcess::Run({"simulate", "--agents", "14", "--arrivals-per-hour", "360",
                                           "--aht", "100", "--hours", "4", "--seed", "7", "--json"});
  ASSERT_EQ(sim.exit_code, 0) << sim.err;
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(sim.out, ec);
  ASSERT_FALSE(ec) << sim.out;
  ASSERT_TRUE(parsed.is_object()) << sim.out;
  const boost::json::object& s = parsed.as_object();
  for (const char* key : {"offered", "answered", "abandoned", "p_wait", "service_level_20s", "asa_seconds",
                          "occupancy"}) {
    EXPECT_TRUE(s.contains(key)) << key << " missing: " << sim.out;
  }
  EXPECT_EQ(sim.out.find("E"), std::string::npos) << "plain decimals: " << sim.out;
  EXPECT_GT(s.at("offered").to_number<double>(), 1000);  // ~1,440 expected in 4 h
  // 14 agents, 10 Erlangs: Erlang C says P(wait) 0.174, SL(20 s) 0.888.
  EXPECT_NEAR(s.at("p_wait").to_number<double>(), 0.174, 0.08);
  EXPECT_NEAR(s.at("occupancy").to_number<double>(), 0.714, 0.08);

  CommandResult staff = OnestopProcess::Run({"staffing", "--arrivals", "100", "--interval", "1800", "--aht",
                                             "180", "--target", "0.8", "--within", "20", "--shrinkage",
                                             "0.3", "--max-occupancy", "0.85", "--json"});
  ASSERT_EQ(staff.exit_code, 0) << staff.err;
  parsed = boost::json::parse(staff.out, ec);
  ASSERT_FALSE(ec) << staff.out;
  const boost::json::object& t = parsed.as_object();
  for (const char* key : {"agents", "scheduled", "service_level", "occupancy", "p_wait", "asa_seconds"}) {
    EXPECT_TRUE(t.contains(key)) << key << " missing: " << staff.out;
  }
  // The reference note's worked example: 14 agents, 20 scheduled.
  EXPECT_EQ(t.at("agents").to_number<int64_t>(), 14) << staff.out;
  EXPECT_EQ(t.at("scheduled").to_number<int64_t>(), 20) << staff.out;

  CommandResult bad = OnestopProcess::Run({"simulate", "--agents", "0", "--arrivals-per-hour", "1", "--aht",
                                           "1", "--hours", "1", "--seed", "1", "--json"});
  EXPECT_NE(bad.exit_code, 0);
}

TEST_F(FixedInterfaceTest, HealthAndMetrics) {
  Api api(port());
  Reply health = api.Get("/healthz");
  EXPECT_EQ(health.status, 200) << health;
  Reply ready = api.Get("/readyz");
  EXPECT_EQ(ready.status, 200) << ready;

  // At least one case exists whatever the test order.
  Api agent = ApiAs(kAgent);
  CreateCase(agent, ServiceIn("waste", "bin"), CreateCitizen(agent, "Metric"));
  Reply metrics = api.Get("/metrics");
  ASSERT_EQ(metrics.status, 200) << metrics;
  EXPECT_NE(metrics.body.find("onestop_http_requests_total"), std::string::npos) << metrics.body;
  EXPECT_NE(metrics.body.find("onestop_cases{status=\"new\"}"), std::string::npos)
      << metrics.body;
}

TEST_F(FixedInterfaceTest, UnknownRouteIs404Problem) {
  Api api(port());
  Reply reply = api.Get("/api/v1/no-such-thing");
  EXPECT_EQ(reply.status, 404) << reply;
  EXPECT_FALSE(reply.Header("X-Request-Id").empty()) << reply;
}

}  // namespace
}  // namespace onestop::integration
