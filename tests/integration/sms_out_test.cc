// Texts out through the real binary and the fake GOV.UK Notify
// (tests/fakes/fake_notify.py: it checks our JWT and the request schema,
// and posts delivery receipts back like Notify does):
//   - a reply to a resident with no email address but a mobile goes as a
//     text: Notify gets the number, the template, the words and our
//     reference, and its delivery receipt marks the message delivered on
//     the case;
//   - Notify's permanent failure (its test number 07700900002) marks it
//     failed; a receipt with the wrong bearer token is refused (401);
//   - a resident with only a landline is never texted: 400, nothing queued.
#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "api_client.h"
#include "common/testing/port_child.h"

namespace onestop::integration {
namespace {

constexpr char kNotifyKey[] =
    "onestop_test-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0";
constexpr char kReplyTemplate[] = "4f2a6c1e-0b7d-4e51-9a3c-5d8e2f1b6a70";
constexpr char kCallbackToken[] = "callback-token-for-the-tests-0123456789";

class SmsOutTest : public ServerSuite {
 public:
  static void SetUpTestSuite() {
    tokens_.clear();
    services_.clear();
    if (!OnestopProcess::SkipReason().empty()) return;
    notify_ = std::make_unique<test_support::PortChild>(std::vector<std::string>{
        "python3", (test_support::SourceDir() / "tests/fakes/fake_notify.py").string(), "--api-key", kNotifyKey,
        "--template", kReplyTemplate});
    if (!notify_->ok()) {
      ADD_FAILURE() << "the fake Notify did not start";
      return;
    }
    server_ = std::make_unique<OnestopProcess>();
    const std::string config = server_->dir() + "/config.json";
    std::ofstream(config) << R"({"notify": {"base_url": "http://127.0.0.1:)" << notify_->port()
                          << R"(", "api_key": ")" << kNotifyKey << R"(", "templates": {"case_reply": ")"
                          << kReplyTemplate << R"("}, "callback_token": ")" << kCallbackToken << R"("}})";
    server_->set_extra_args({"--config", config});
    started_ = server_->Seed() && server_->Start();
    if (!started_) return;
    Api fake(static_cast<uint16_t>(notify_->port()));
    Reply set = fake.Post("/_fake/callback",
                          boost::json::object{{"url", "http://127.0.0.1:" + std::to_string(server_->port()) +
                                                          "/notify/callbacks/delivery-status"},
                                              {"token", kCallbackToken}});
    if (set.status != 200) ADD_FAILURE() << set;
  }
  static void TearDownTestSuite() {
    ServerSuite::TearDownTestSuite();
    notify_.reset();
  }

 protected:
  // A resident with `phones` only and a case for them; the case id.
  int64_t CaseFor(Api& agent, const std::string& phone) {
    const int64_t citizen = CreateCitizen(
        agent, boost::json::object{{"given_name", "Tom"}, {"family_name", "Text"}, {"phones", {phone}}});
    Reply c = CreateCase(agent, ServiceIn("waste", "missed"), citizen);
    return c.json.at("id").as_int64();
  }

  static inline std::unique_ptr<test_support::PortChild> notify_;
};

TEST_F(SmsOutTest, AReplyToAResidentWithOnlyAMobileGoesAsATextAndIsDelivered) {
  Api agent = ApiAs(kAgent);
  const int64_t case_id = CaseFor(agent, "07700 900123");
  const std::string path = "/api/v1/cases/" + std::to_string(case_id) + "/messages";
  Reply queued = agent.Post(path, boost::json::object{{"body", "Your bin will be emptied tomorrow."}});
  ASSERT_EQ(queued.status, 202) << queued;
  EXPECT_EQ(queued.json.at("channel"), "sms");
  EXPECT_EQ(queued.json.at("to"), "07700900123");
  const int64_t id = queued.json.at("id").as_int64();

  Api fake(static_cast<uint16_t>(notify_->port()));
  boost::json::object sent;
  ASSERT_TRUE(WaitFor([&] {
    Reply all = fake.Get("/_fake/sent");
    for (const auto& n : all.json.as_array()) {
      if (n.at("reference") == boost::json::value("onestop-outbox-" + std::to_string(id))) {
        sent = n.as_object();
        return true;
      }
    }
    return false;
  })) << server().ReadLog();
  EXPECT_EQ(sent.at("phone_number"), "07700900123");
  EXPECT_EQ(sent.at("template_id"), kReplyTemplate);
  EXPECT_EQ(sent.at("personalisation").at("body"), "Your bin will be emptied tomorrow.");
  EXPECT_TRUE(sent.at("personalisation").as_object().contains("reference"));

  ASSERT_TRUE(WaitFor([&] {
    Reply all = agent.Get(path);
    return all.Items().size() == 1 && all.Items()[0].at("state") == "delivered";
  })) << "Notify's receipt marks it delivered";
  Reply events = agent.Get("/api/v1/cases/" + std::to_string(case_id) + "/events");
  bool delivered = false;
  for (const auto& e : events.Items()) delivered |= e.at("type") == "message.delivered";
  EXPECT_TRUE(delivered);
}

TEST_F(SmsOutTest, APermanentFailureIsRecordedAndAForgedReceiptIsRefused) {
  Api agent = ApiAs(kAgent);
  const int64_t case_id = CaseFor(agent, "07700900002");  // Notify's permanent-failure test number
  const std::string path = "/api/v1/cases/" + std::to_string(case_id) + "/messages";
  ASSERT_EQ(agent.Post(path, boost::json::object{{"body", "Hello"}}).status, 202);
  ASSERT_TRUE(WaitFor([&] {
    Reply all = agent.Get(path);
    return all.Items().size() == 1 && all.Items()[0].at("state") == "failed";
  }));
  EXPECT_EQ(agent.Get(path).Items()[0].at("last_error"), "permanent_failure");

  Api anyone(port());
  const std::string receipt =
      R"({"id": "0d8a1f6e-2b3c-4d5e-8f90-a1b2c3d4e5f6", "reference": null, "to": "07700900123",)"
      R"( "status": "delivered", "created_at": "2026-12-08T10:00:00.000000Z", "completed_at": null,)"
      R"( "sent_at": null, "notification_type": "sms", "template_id": "4f2a6c1e-0b7d-4e51-9a3c-5d8e2f1b6a70",)"
      R"( "template_version": 1})";
  EXPECT_EQ(anyone.Send("POST", "/notify/callbacks/delivery-status", receipt,
                        {{"Authorization", "Bearer not-the-token"}})
                .status,
            401);
  EXPECT_EQ(anyone.Send("POST", "/notify/callbacks/delivery-status", receipt,
                        {{"Authorization", std::string("Bearer ") + kCallbackToken}})
                .status,
            404)
      << "a receipt for nothing we sent";
  EXPECT_EQ(anyone.Send("POST", "/notify/callbacks/delivery-status", "{\"id\": 5}",
                        {{"Authorization", std::string("Bearer ") + kCallbackToken}})
                .status,
            400);
}

TEST_F(SmsOutTest, ALandlineIsNeverTexted) {
  Api agent = ApiAs(kAgent);
  const int64_t case_id = CaseFor(agent, "01632 960123");
  const std::string path = "/api/v1/cases/" + std::to_string(case_id) + "/messages";
  Reply refused = agent.Post(path, boost::json::object{{"body", "Hello"}});
  EXPECT_EQ(refused.status, 400) << refused;
  EXPECT_NE(refused.body.find("no email address or mobile number"), std::string::npos) << refused;
  EXPECT_TRUE(agent.Get(path).Items().empty());
}

}  // namespace
}  // namespace onestop::integration
