// Durability: what a client was told succeeded survives a graceful restart
// (SIGTERM, exit 0, serve again on the same database).
#include "api_client.h"

namespace onestop::integration {
namespace {

class DurabilityTest : public ServerSuite {};

TEST_F(DurabilityTest, CaseSurvivesRestart) {
  Api agent = ApiAs(kAgent);
  int64_t citizen_id = CreateCitizen(agent, "Durable");
  Reply created = CreateCase(agent, ServiceIn("waste", "bin"), citizen_id);
  int64_t case_id = created.Int("id");
  ASSERT_GT(case_id, 0);
  Reply noted = agent.Post("/api/v1/cases/" + std::to_string(case_id) + "/notes",
                           boost::json::object{{"visibility", "internal"}, {"body", "keep me"}});
  ASSERT_EQ(noted.status, 201) << noted;
  Reply before = agent.Get("/api/v1/cases/" + std::to_string(case_id));
  int64_t last_seq = SettleEvents(agent);

  ASSERT_EQ(server().Stop(), 0) << "graceful shutdown must exit 0; log:\n" << server().ReadLog();
  EXPECT_NE(server().ReadLog().find("stopped cleanly"), std::string::npos);
  ASSERT_TRUE(server().Start());
  tokens_.clear();  // sessions may or may not survive; log in afresh

  Api again = ApiAs(kAgent);
  Reply after = again.Get("/api/v1/cases/" + std::to_string(case_id));
  ASSERT_EQ(after.status, 200) << after;
  EXPECT_EQ(after.json, before.json);
  EXPECT_EQ(after.Header("ETag"), before.Header("ETag"));
  Reply by_reference = again.Get("/api/v1/cases/" + created.Str("reference"));
  EXPECT_EQ(by_reference.status, 200) << by_reference;
  Reply notes = again.Get("/api/v1/cases/" + std::to_string(case_id) + "/notes");
  ASSERT_EQ(notes.Items().size(), 1u) << notes;
  EXPECT_EQ(LastEventSeq(again), last_seq) << "the event log must survive intact";

  // And the restarted server keeps working: new ids do not collide.
  Reply next = CreateCase(again, ServiceIn("waste", "bin"), citizen_id);
  EXPECT_GT(next.Int("id"), case_id);
  EXPECT_NE(next.Str("reference"), created.Str("reference"));
}

TEST_F(DurabilityTest, SeedDemoIsIdempotent) {
  // A second seed of a live database changes nothing and does not fail.
  CommandResult again = OnestopProcess::Run(
      {"seed-demo", "--database", server().database_url(), "--log-level", "warn"});
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_EQ(Api(port()).Get("/healthz").status, 200);
}

}  // namespace
}  // namespace onestop::integration
