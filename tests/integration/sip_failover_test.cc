// The telephone on two nodes behind Kamailio (deploy/kamailio/onestop.cfg,
// docs/deploy.md): both nodes share one PostgreSQL; the routing leader
// answers calls and the standby answers 503 (to Kamailio's OPTIONS probes
// too), so Kamailio sends the trunk's calls and the phones' REGISTERs to the
// leader. When the leader is killed the standby takes the routing role and
// with it the telephone: the call that was waiting on the dead node is
// abandoned (its caller's audio died with it), Kamailio finds the new
// leader by its probes, and the agent's phone — registered through the dead
// node — is rung by the new one without registering again (the binding is
// in the store). PostgreSQL only (ctest: Integration.SipFailover.postgres).
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>

#include "api_client.h"
#include "sip_support.h"

namespace onestop::integration {
namespace {

constexpr char kPassword[] = "fairhaven-demo";
constexpr char kNumber[] = "01632960000";
constexpr char kExtension[] = "1001";
constexpr char kSipPassword[] = "phone-secret-1001";

template <typename F>
bool WaitUntil(F f, std::chrono::milliseconds timeout = std::chrono::milliseconds(15000)) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    if (f()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return f();
}

// A ServerSuite for its event helpers, without the suite's own server.
class SipFailoverTest : public ServerSuite {
 public:
  static void SetUpTestSuite() {}
  static void TearDownTestSuite() {}

 protected:
  void SetUp() override {
    if (!OnestopProcess::UsesPostgres()) GTEST_SKIP() << "several nodes need PostgreSQL";
    if (std::string reason = OnestopProcess::SkipReason(); !reason.empty()) GTEST_SKIP() << reason;
    ASSERT_TRUE(std::filesystem::exists("/usr/sbin/kamailio"))
        << "kamailio is not installed (scripts/install-deps.sh installs it)";
    a_ = std::make_unique<OnestopProcess>();
    a_->set_extra_args({"--sip-listen", "127.0.0.1:0", "--node-name", "node-a"});
    ASSERT_TRUE(a_->Seed());
    ASSERT_TRUE(a_->Start());
    b_ = std::make_unique<OnestopProcess>(a_->database_url());
    b_->set_extra_args({"--sip-listen", "127.0.0.1:0", "--node-name", "node-b"});
    ASSERT_TRUE(b_->Start());
    ASSERT_NE(a_->sip_port(), 0);
    ASSERT_NE(b_->sip_port(), 0);

    // Kamailio in front of both, probing each second.
    kamailio_port_ = FreeUdpPort();
    const std::string list = a_->dir() + "/onestop.list";
    // Flags 9: inactive and probed, as deploy/kamailio/onestop.cfg says.
  std::ofstream(list) << "1 sip:127.0.0.1:" << a_->sip_port() << " 9\n1 sip:127.0.0.1:" << b_->sip_port()
                      << " 9\n";
    const std::string listen = "127.0.0.1:" + std::to_string(kamailio_port_);
    kamailio_ = std::make_unique<Child>(
        "/usr/sbin/kamailio",
        std::vector<std::string>{"-DD", "-E", "-f", std::string(getenv("ONESTOP_SOURCE_DIR")) + "/deploy/kamailio/onestop.cfg",
                                 "-A", "LISTEN=udp:" + listen, "-A", "LISTEN_TCP=tcp:" + listen, "-A",
                                 "DISPATCHER_LIST=\"" + list + "\"", "-Y", a_->dir(), "-w", a_->dir()},
        a_->dir() + "/kamailio.log");
  }
  void TearDown() override {
    kamailio_.reset();
    b_.reset();  // the node sharing A's database goes first
    a_.reset();
  }

  std::string Kamailio() const { return "127.0.0.1:" + std::to_string(kamailio_port_); }
  // Kamailio's dispatcher says a node is up (its OPTIONS probe got a 200).
  bool NodeUp(const OnestopProcess& node) const {
    const std::string line = "onestop node up: sip:127.0.0.1:" + std::to_string(node.sip_port());
    return kamailio_->Log().find(line) != std::string::npos;
  }
  bool Leading(const OnestopProcess& node, const std::string& token) const {
    Reply r = Api(node.port(), token).Get("/api/v1/routing/leader");
    return r.status == 200 && r.At("leading").is_bool() && r.At("leading").as_bool();
  }
  static void SetPresence(Api& agent, const std::string& presence) {
    Reply r = agent.Put("/api/v1/agents/me/presence", boost::json::object{{"presence", presence}});
    ASSERT_EQ(r.status, 200) << r;
  }
  // agent@'s connected voice item on a node, 0 when none within 15 s.
  static int64_t ConnectedCall(Api& agent) {
    int64_t item_id = 0;
    WaitUntil([&] {
      Reply desk = agent.Get("/api/v1/agents/me");
      if (desk.status != 200 || !desk.json.as_object().contains("items")) return false;
      for (const auto& i : desk.json.at("items").as_array()) {
        if (i.at("state").as_string() == "connected" && i.at("media").as_string() == "voice") {
          item_id = i.at("id").as_int64();
          return true;
        }
      }
      return false;
    });
    return item_id;
  }
  // A resident's call through Kamailio: hears the menu, presses `digit`.
  std::unique_ptr<Sipp> Call(RtpSocket& audio, const std::string& number, char digit, int hold_ms) {
    auto caller = std::make_unique<Sipp>(
        "caller",
        std::vector<std::string>{"-s", kNumber, "-key", "caller", number, "-key", "rtpport",
                                 std::to_string(audio.port()), "-set", "holdms", std::to_string(hold_ms), "-m", "1",
                                 "-timeout", "60", Kamailio()},
        a_->dir());
    EXPECT_TRUE(HearsSpeech(audio)) << "no menu through Kamailio\n" << kamailio_->Log();
    audio.SendDigit(digit);
    return caller;
  }
  // One call through Kamailio answered by agent@'s phone (registered from
  // `phone_port`) on whichever node leads: the caller from `number`
  // presses 1, talks 3 s and hangs up. The item's id, 0 (and a failure)
  // when it never reached the agent.
  int64_t AnsweredCall(const OnestopProcess& node, Api& agent, uint16_t phone_port, const std::string& number) {
    RtpSocket phone_audio;
    Sipp phone("agent_answer", {"-p", std::to_string(phone_port), "-key", "rtpport",
                                std::to_string(phone_audio.port()), "-m", "1", "-timeout", "60", Kamailio()},
               node.dir());
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    SetPresence(agent, "available");
    RtpSocket caller_audio;
    std::unique_ptr<Sipp> caller = Call(caller_audio, number, '1', 3000);
    const int64_t item = ConnectedCall(agent);
    if (item == 0) {
      ADD_FAILURE() << "the call never reached the agent\n" << node.ReadLog();
      return 0;
    }
    EXPECT_EQ(agent.Get("/api/v1/interactions/" + std::to_string(item)).Str("queue"), "council-tax");
    EXPECT_EQ(caller->Wait(), 0) << "the caller's BYE goes back through Kamailio\n" << caller->Log();
    EXPECT_EQ(phone.Wait(), 0) << phone.Log();
    return item;
  }

  std::unique_ptr<OnestopProcess> a_;
  std::unique_ptr<OnestopProcess> b_;
  std::unique_ptr<Child> kamailio_;
  uint16_t kamailio_port_ = 0;
};

TEST_F(SipFailoverTest, CallsFollowTheLeaderAndPhonesNeedNotRegisterAgain) {
  const std::string admin = a_->Login("admin@fairhaven.example", kPassword);
  const std::string agent_token = a_->Login("agent@fairhaven.example", kPassword);
  ASSERT_FALSE(admin.empty());
  ASSERT_FALSE(agent_token.empty());
  ASSERT_TRUE(Leading(*a_, agent_token));
  ASSERT_FALSE(Leading(*b_, agent_token));
  ASSERT_TRUE(WaitUntil([&] { return NodeUp(*a_); })) << "Kamailio never saw node A up\n" << kamailio_->Log();

  // The standby refuses calls and registrations itself, with 503.
  RtpSocket direct_audio;
  Sipp direct("caller", {"-s", kNumber, "-key", "caller", "07700900301", "-key", "rtpport",
                         std::to_string(direct_audio.port()), "-set", "holdms", "100", "-m", "1", "-timeout", "15",
                         "127.0.0.1:" + std::to_string(b_->sip_port())},
              b_->dir());
  EXPECT_NE(direct.Wait(), 0) << "the standby answered a call";
  EXPECT_NE(direct.Log().find("503"), std::string::npos) << direct.Log();

  // agent@'s phone registers through Kamailio (it reaches the leader).
  Api admin_a(a_->port(), admin);
  Reply staff = admin_a.Get("/api/v1/staff");
  ASSERT_EQ(staff.status, 200) << staff;
  int64_t agent_id = 0;
  const boost::json::value& all = staff.json.is_object() && staff.json.as_object().contains("items")
                                      ? staff.json.at("items")
                                      : staff.json;
  for (const auto& s : all.as_array()) {
    if (s.at("email").as_string() == "agent@fairhaven.example") agent_id = s.at("id").as_int64();
  }
  ASSERT_NE(agent_id, 0);
  Reply put = admin_a.Put("/api/v1/staff/" + std::to_string(agent_id) + "/sip",
                          boost::json::object{{"extension", kExtension}, {"password", kSipPassword}});
  ASSERT_EQ(put.status, 200) << put;
  const uint16_t phone_port = FreeUdpPort();
  {
    Sipp reg("register", {"-p", std::to_string(phone_port), "-key", "ext", kExtension, "-au", kExtension, "-ap",
                          kSipPassword, "-key", "expires", "600", "-m", "1", "-timeout", "15", Kamailio()},
             a_->dir());
    ASSERT_EQ(reg.Wait(), 0) << reg.Log() << "\n" << kamailio_->Log();
  }

  // 1. A call through Kamailio reaches the leader, its menu, the queue and
  //    the agent's phone.
  Api agent_a(a_->port(), agent_token);
  {
    const int64_t item = AnsweredCall(*a_, agent_a, phone_port, "07700900302");
    ASSERT_NE(item, 0);
    Reply done = agent_a.Post("/api/v1/interactions/" + std::to_string(item) + "/complete",
                              boost::json::object{{"disposition", "information_given"}});
    EXPECT_EQ(done.status, 200) << done;
    (void)agent_a.Post("/api/v1/agents/me/wrap-up/end", boost::json::object{});
  }

  // 2. A second caller waits (nobody is available) when the leader dies.
  ASSERT_NO_FATAL_FAILURE(SetPresence(agent_a, "offline"));
  const int64_t seq = LastEventSeq(agent_a);
  RtpSocket waiting_audio;
  std::unique_ptr<Sipp> waiting = Call(waiting_audio, "07700900303", '2', 60000);
  int64_t waiting_item = 0;
  ASSERT_TRUE(WaitUntil([&] {
    for (const auto& e : EventsAfter(agent_a, seq)) {
      if (e.at("type").as_string() == "routing.enter" && e.contains("entity_id")) {
        waiting_item = e.at("entity_id").as_int64();
      }
    }
    return waiting_item != 0;
  })) << a_->ReadLog();

  a_->Kill();
  ASSERT_TRUE(WaitUntil([&] { return Leading(*b_, agent_token); }, std::chrono::seconds(20)))
      << "node B did not take over\n" << b_->ReadLog();
  Api agent_b(b_->port(), agent_token);
  // The call that waited on A died with it: B abandons it, not leaves it
  // at the head of the queue for an agent to be offered silence.
  ASSERT_TRUE(WaitUntil([&] {
    for (const auto& e : EventsAfter(agent_b, seq)) {
      if (e.at("type").as_string() == "routing.abandon" && e.contains("entity_id") &&
          e.at("entity_id").as_int64() == waiting_item) {
        return true;
      }
    }
    return false;
  })) << b_->ReadLog();
  EXPECT_EQ(agent_b.Get("/api/v1/interactions/" + std::to_string(waiting_item)).status, 404);
  ASSERT_TRUE(WaitUntil([&] { return NodeUp(*b_); }, std::chrono::seconds(20)))
      << "Kamailio never saw node B lead\n" << kamailio_->Log();

  // 3. The next call reaches B through Kamailio, and B rings the phone that
  //    registered through A, without a new REGISTER.
  {
    const int64_t item = AnsweredCall(*b_, agent_b, phone_port, "07700900304");
    ASSERT_NE(item, 0);
    EXPECT_NE(item, waiting_item);
    Reply contact;
    Reply held = agent_b.Get("/api/v1/interactions/" + std::to_string(item));
    ASSERT_TRUE(held.status == 200 && held.json.as_object().contains("contact_id")) << held;
    EXPECT_TRUE(WaitUntil([&] {
      contact = agent_b.Get("/api/v1/contacts/" + std::to_string(held.Int("contact_id")));
      return contact.status == 200 && contact.Int("duration_seconds") > 0;
    })) << contact;
  }
}

}  // namespace
}  // namespace onestop::integration
