// Roles over HTTP: officers see only their department's cases, only admins
// change the catalogue and staff, and `onestop create-user` makes a login
// that works against the running server.
#include "api_client.h"

namespace onestop::integration {
namespace {

class RolesTest : public ServerSuite {};

bool ListContains(Api& api, int64_t case_id) {
  std::string after = "0";
  for (int page = 0; page < 100; ++page) {
    Reply reply = api.Get("/api/v1/cases?limit=200&after=" + after);
    EXPECT_EQ(reply.status, 200) << reply;
    if (reply.status != 200) return false;
    for (const auto& item : reply.Items()) {
      if (item.as_object().at("id") == case_id) return true;
    }
    if (!reply.At("next").is_string()) return false;
    after = std::string(reply.At("next").as_string());
  }
  return false;
}

TEST_F(RolesTest, OfficerSeesOnlyOwnDepartment) {
  Api agent = ApiAs(kAgent);
  int64_t citizen_id = CreateCitizen(agent, "Roles");
  Reply waste_case = CreateCase(agent, ServiceIn("waste", "bin"), citizen_id);
  Reply highways_case = CreateCase(agent, ServiceIn("highways", "pothole"), citizen_id);
  int64_t waste_id = waste_case.Int("id");
  int64_t highways_id = highways_case.Int("id");

  Api officer = ApiAs(kWasteOfficer);
  EXPECT_EQ(officer.Get("/api/v1/cases/" + std::to_string(waste_id)).status, 200);
  EXPECT_EQ(officer.Get("/api/v1/cases/" + waste_case.Str("reference")).status, 200);
  EXPECT_TRUE(IsProblem(officer.Get("/api/v1/cases/" + std::to_string(highways_id)), 404));
  EXPECT_TRUE(IsProblem(officer.Get("/api/v1/cases/" + highways_case.Str("reference")), 404));
  EXPECT_TRUE(ListContains(officer, waste_id));
  EXPECT_FALSE(ListContains(officer, highways_id));
  // Nor may they change it.
  Reply patch = officer.Patch("/api/v1/cases/" + std::to_string(highways_id),
                              boost::json::object{{"priority", "low"}});
  EXPECT_TRUE(patch.status == 404 || patch.status == 403) << patch;

  Api highways = ApiAs(kHighwaysOfficer);
  EXPECT_EQ(highways.Get("/api/v1/cases/" + std::to_string(highways_id)).status, 200);
  EXPECT_TRUE(IsProblem(highways.Get("/api/v1/cases/" + std::to_string(waste_id)), 404));
}

TEST_F(RolesTest, OfficerCannotCreateServices) {
  Api officer = ApiAs(kWasteOfficer);
  boost::json::object service = ServiceIn("waste", "bin").json;
  service["code"] = "officer-made-service";
  service.erase("version");
  Reply reply = officer.Post("/api/v1/services", service);
  EXPECT_TRUE(IsProblem(reply, 403));
  Api anyone(port());
  EXPECT_EQ(anyone.Get("/api/v1/services/officer-made-service").status, 404);
}

TEST_F(RolesTest, AgentCannotCreateStaffButAdminCan) {
  boost::json::object staff{{"email", "new.agent@fairhaven.example"},
                            {"display_name", "New Agent"},
                            {"role", "agent"},
                            {"password", "a-long-enough-password"}};
  Api agent = ApiAs(kAgent);
  EXPECT_TRUE(IsProblem(agent.Post("/api/v1/staff", staff), 403));

  Api admin = ApiAs(kAdmin);
  Reply created = admin.Post("/api/v1/staff", staff);
  ASSERT_EQ(created.status, 201) << created;
  EXPECT_EQ(created.Str("role"), "agent");
  EXPECT_FALSE(created.json.as_object().contains("password"));
  EXPECT_FALSE(created.json.as_object().contains("password_hash"));
  EXPECT_FALSE(server().Login("new.agent@fairhaven.example", "a-long-enough-password").empty());
  EXPECT_TRUE(IsProblem(admin.Post("/api/v1/staff", staff), 409)) << "duplicate email";
}

TEST_F(RolesTest, CreateUserCommandMakesAWorkingLogin) {
  // Against the suite's database while the server runs (SQLite WAL).
  CommandResult result = OnestopProcess::Run(
      {"create-user", "--database", server().database_url(), "--email",
       "cli.agent@fairhaven.example", "--role", "agent", "--name", "CLI Agent", "--log-level",
       "warn"},
      "cli-password-123\n");
  ASSERT_EQ(result.exit_code, 0) << "stdout: " << result.out << "\nstderr: " << result.err;
  EXPECT_NE(result.out.find("cli.agent@fairhaven.example"), std::string::npos) << result.out;
  std::string token = server().Login("cli.agent@fairhaven.example", "cli-password-123");
  ASSERT_FALSE(token.empty());
  Api cli_agent(port(), token);
  EXPECT_EQ(cli_agent.Get("/api/v1/cases").status, 200);

  CommandResult bad_role = OnestopProcess::Run(
      {"create-user", "--database", server().database_url(), "--email", "x@fairhaven.example",
       "--role", "emperor"},
      "cli-password-123\n");
  EXPECT_NE(bad_role.exit_code, 0);
  CommandResult short_password = OnestopProcess::Run(
      {"create-user", "--database", server().database_url(), "--email", "y@fairhaven.example",
       "--role", "agent"},
      "short\n");
  EXPECT_NE(short_password.exit_code, 0) << short_password.out;
}

}  // namespace
}  // namespace onestop::integration
