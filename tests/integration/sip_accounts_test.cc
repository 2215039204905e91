// Staff phone extensions over HTTP (PUT/GET/DELETE /api/v1/staff/{id}/sip):
// admins only, problem+json errors, and no response ever shows the SIP
// password or its HA1. The demo council seeds agent@ with extension 1001.
#include "api_client.h"

namespace onestop::integration {
namespace {

class SipAccountsTest : public ServerSuite {
 protected:
  static int64_t StaffId(const std::string& email) {
    Api admin = ApiAs(kAdmin);
    Reply list = admin.Get("/api/v1/staff");
    EXPECT_EQ(list.status, 200) << list;
    for (const auto& item : list.Items()) {
      const auto& obj = item.as_object();
      if (obj.at("email").as_string() == email) return obj.at("id").as_int64();
    }
    ADD_FAILURE() << "no staff member " << email;
    return 0;
  }
  static std::string SipPath(int64_t id) { return "/api/v1/staff/" + std::to_string(id) + "/sip"; }
  // The exact members of an account response; nothing secret.
  static void ExpectAccountShape(const Reply& reply, int64_t staff_id,
                                 const std::string& extension) {
    ASSERT_TRUE(reply.json.is_object()) << reply;
    const auto& obj = reply.json.as_object();
    EXPECT_EQ(obj.size(), 4u) << reply;
    EXPECT_EQ(reply.Int("staff_id"), staff_id);
    EXPECT_EQ(reply.Str("extension"), extension);
    EXPECT_EQ(reply.Str("realm"), "onestop");
    EXPECT_FALSE(reply.Str("updated_at").empty());
    EXPECT_FALSE(obj.contains("ha1"));
    EXPECT_FALSE(obj.contains("password"));
    EXPECT_EQ(reply.body.find("ha1"), std::string::npos) << reply;
  }
};

TEST_F(SipAccountsTest, DemoAgentHasExtension1001) {
  Api admin = ApiAs(kAdmin);
  Reply got = admin.Get(SipPath(StaffId(kAgent)));
  ASSERT_EQ(got.status, 200) << got;
  ExpectAccountShape(got, StaffId(kAgent), "1001");
  EXPECT_EQ(got.body.find(kDemoPassword), std::string::npos);
}

TEST_F(SipAccountsTest, AdminSetsReadsReplacesAndRemoves) {
  Api admin = ApiAs(kAdmin);
  const int64_t officer = StaffId(kWasteOfficer);
  const std::string password = "a-secret-sip-pw";
  EXPECT_TRUE(IsProblem(admin.Get(SipPath(officer)), 404));

  Reply set = admin.Put(SipPath(officer),
                        boost::json::object{{"extension", "4711"}, {"password", password}});
  ASSERT_EQ(set.status, 200) << set;
  ExpectAccountShape(set, officer, "4711");
  EXPECT_EQ(set.body.find(password), std::string::npos);

  Reply got = admin.Get(SipPath(officer));
  ASSERT_EQ(got.status, 200) << got;
  ExpectAccountShape(got, officer, "4711");
  EXPECT_EQ(got.body.find(password), std::string::npos);

  Reply replaced = admin.Put(
      SipPath(officer), boost::json::object{{"extension", "4712"}, {"password", "another-pw-1"}});
  ASSERT_EQ(replaced.status, 200) << replaced;
  ExpectAccountShape(replaced, officer, "4712");

  // The staff record itself never grows SIP secrets either.
  Reply staff = admin.Get("/api/v1/staff/" + std::to_string(officer));
  ASSERT_EQ(staff.status, 200) << staff;
  EXPECT_EQ(staff.body.find("ha1"), std::string::npos);

  Reply removed = admin.Delete(SipPath(officer));
  EXPECT_EQ(removed.status, 204) << removed;
  EXPECT_TRUE(IsProblem(admin.Get(SipPath(officer)), 404));
  EXPECT_TRUE(IsProblem(admin.Delete(SipPath(officer)), 404));
}

TEST_F(SipAccountsTest, ExtensionOfAnotherStaffMemberIs409) {
  Api admin = ApiAs(kAdmin);
  const int64_t highways = StaffId(kHighwaysOfficer);
  Reply taken = admin.Put(SipPath(highways),
                          boost::json::object{{"extension", "1001"}, {"password", "whatever-pw"}});
  EXPECT_TRUE(IsProblem(taken, 409)) << taken;
  EXPECT_TRUE(IsProblem(admin.Get(SipPath(highways)), 404));
  // The agent keeps 1001.
  Reply agent = admin.Get(SipPath(StaffId(kAgent)));
  EXPECT_EQ(agent.Str("extension"), "1001") << agent;
}

TEST_F(SipAccountsTest, InvalidBodiesAre400Or415) {
  Api admin = ApiAs(kAdmin);
  const std::string path = SipPath(StaffId(kHighwaysOfficer));
  EXPECT_TRUE(IsFieldProblem(
      admin.Put(path, boost::json::object{{"extension", "1"}, {"password", "long-enough-pw"}}), 400,
      "extension"));
  EXPECT_TRUE(IsFieldProblem(
      admin.Put(path, boost::json::object{{"extension", "12a4"}, {"password", "long-enough-pw"}}),
      400, "extension"));
  EXPECT_TRUE(IsFieldProblem(
      admin.Put(path, boost::json::object{{"extension", "1234"}, {"password", "short"}}), 400,
      "password"));
  EXPECT_TRUE(IsFieldProblem(
      admin.Put(path, boost::json::object{{"extension", "1234"}, {"password", "tab\there-pw"}}),
      400, "password"));
  EXPECT_TRUE(IsFieldProblem(admin.Put(path, boost::json::object{{"password", "long-enough-pw"}}),
                             400, "extension"));
  EXPECT_TRUE(IsFieldProblem(
      admin.Put(path, boost::json::object{{"extension", 1234}, {"password", "long-enough-pw"}}),
      400, "extension"));
  EXPECT_TRUE(IsFieldProblem(admin.Put(path, boost::json::object{{"extension", "1234"},
                                                                 {"password", "long-enough-pw"},
                                                                 {"ha1", "x"}}),
                             400, "ha1"));
  EXPECT_TRUE(IsProblem(admin.Send("PUT", path, R"({"extension": "1234", )"), 400));
  EXPECT_TRUE(IsProblem(admin.Send("PUT", path, "[]"), 400));
  EXPECT_TRUE(
      IsProblem(admin.Send("PUT", path, R"({"extension":"1234","password":"long-enough-pw"})",
                           {{"Content-Type", "text/plain"}}),
                415));
  EXPECT_TRUE(IsProblem(admin.Get(path), 404)) << "nothing was stored";
}

TEST_F(SipAccountsTest, OnlyAdminsAndUnknownStaffIs404) {
  const std::string path = SipPath(StaffId(kAgent));
  boost::json::object body{{"extension", "1234"}, {"password", "long-enough-pw"}};
  for (const char* who : {kAgent, kSupervisor, kWasteOfficer}) {
    Api api = ApiAs(who);
    EXPECT_TRUE(IsProblem(api.Put(path, body), 403)) << who;
    EXPECT_TRUE(IsProblem(api.Get(path), 403)) << who;
    EXPECT_TRUE(IsProblem(api.Delete(path), 403)) << who;
  }
  Api anonymous(port());
  EXPECT_TRUE(IsProblem(anonymous.Put(path, body), 401));
  EXPECT_TRUE(IsProblem(anonymous.Get(path), 401));
  EXPECT_TRUE(IsProblem(anonymous.Delete(path), 401));

  Api admin = ApiAs(kAdmin);
  EXPECT_TRUE(IsProblem(admin.Put(SipPath(987654), body), 404));
  EXPECT_TRUE(IsProblem(admin.Get(SipPath(987654)), 404));
  EXPECT_TRUE(IsProblem(admin.Delete(SipPath(987654)), 404));
  EXPECT_TRUE(IsProblem(admin.Get("/api/v1/staff/abc/sip"), 404));
  // The agent still has the seeded extension: none of the above changed it.
  EXPECT_EQ(admin.Get(path).Str("extension"), "1001");
}

}  // namespace
}  // namespace onestop::integration
