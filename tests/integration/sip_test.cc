// The telephone, end to end through the real binary: `onestop serve
// --sip-listen 127.0.0.1:0` on the seeded demo council, sipp (Debian
// sip-tester) as the resident's phone and as the agent's registered phone,
// and the test's own UDP sockets as the audio of both (the SDP sipp sends
// names them), so the test hears the IVR, presses digits by RFC 4733 and
// checks that audio is relayed both ways once the call is bridged. The
// routing engine's items, the contact (one per call, with its duration) and
// the events are asserted through the API, as well as the SIP outcomes.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

#include "api_client.h"
#include "sip_support.h"


namespace onestop::integration {
namespace {

constexpr char kNumber[] = "01632960000";
constexpr char kExtension[] = "1001";
constexpr char kSipPassword[] = "phone-secret-1001";

class SipTest : public ServerSuite {
 public:
  static void SetUpTestSuite() {
    tokens_.clear();
    services_.clear();
    if (!OnestopProcess::SkipReason().empty()) return;
    server_ = std::make_unique<OnestopProcess>();
    // Calls out (call backs) go to a "carrier" the tests play with sipp.
    carrier_port_ = FreeUdpPort();
    server_->set_extra_args({"--sip-listen", "127.0.0.1:0", "--sip-dial", "127.0.0.1:" + std::to_string(carrier_port_)});
    started_ = server_->Seed() && server_->Start();
    if (started_ && server_->sip_port() == 0) {
      ADD_FAILURE() << "the server did not print its SIP port; log:\n" << server_->ReadLog();
      started_ = false;
    }
  }

 protected:
  static std::string Target() { return "127.0.0.1:" + std::to_string(server().sip_port()); }

  static int64_t StaffId(const std::string& email) {
    Api admin = ApiAs(kAdmin);
    Reply list = admin.Get("/api/v1/staff");
    EXPECT_EQ(list.status, 200) << list;
    if (list.status != 200) return 0;
    const boost::json::value& items = list.json.is_object() && list.json.as_object().contains("items")
                                          ? list.json.at("items")
                                          : list.json;
    for (const auto& s : items.as_array()) {
      if (s.at("email").as_string() == email) return s.at("id").as_int64();
    }
    ADD_FAILURE() << "no staff " << email;
    return 0;
  }

  // The agent's phone: SIP account set by the admin, registered with sipp
  // from `phone_port` (the port the answering sipp then listens on).
  static void RegisterPhone(uint16_t phone_port) {
    Api admin = ApiAs(kAdmin);
    const int64_t id = StaffId(kAgent);
    Reply put = admin.Put("/api/v1/staff/" + std::to_string(id) + "/sip",
                          boost::json::object{{"extension", kExtension}, {"password", kSipPassword}});
    ASSERT_EQ(put.status, 200) << put;
    Sipp reg("register", {"-p", std::to_string(phone_port), "-key", "ext", kExtension, "-au", kExtension, "-ap",
                          kSipPassword, "-key", "expires", "300", "-m", "1", "-timeout", "15", Target()},
             server().dir());
    ASSERT_EQ(reg.Wait(), 0) << reg.Log();
  }

  // Ends the agent's wrap-up after a completed call (the demo queues have
  // 20-30 s of it), so the next test's call is offered at once.
  static void EndWrapUp(Api& agent) { (void)agent.Post("/api/v1/agents/me/wrap-up/end", boost::json::object{}); }

  // The agent completes the call's interaction (with a disposition where the
  // queue asks for one) and ends the wrap-up.
  static void CompleteCall(Api& agent, int64_t item_id) {
    const std::string path = "/api/v1/interactions/" + std::to_string(item_id) + "/complete";
    Reply done = agent.Post(path, boost::json::object{{"disposition", "answered_first_time"}});
    if (done.status == 400) done = agent.Post(path, boost::json::object{});
    ASSERT_EQ(done.status, 200) << done;
    EndWrapUp(agent);
  }

  // The contact of the interaction once the call's duration is on it.
  static Reply CallContact(Api& api, int64_t item_id) {
    Reply held = api.Get("/api/v1/interactions/" + std::to_string(item_id));
    EXPECT_TRUE(held.status == 200 && held.json.as_object().contains("contact_id")) << held;
    if (held.status != 200 || !held.json.as_object().contains("contact_id")) return held;
    const std::string path = "/api/v1/contacts/" + std::to_string(held.json.at("contact_id").as_int64());
    Reply contact;
    EXPECT_TRUE(WaitUntil([&] {
      contact = api.Get(path);
      return contact.status == 200 && contact.json.at("duration_seconds").as_int64() > 0;
    })) << contact;
    return contact;
  }

  static void SetPresence(Api& agent, const std::string& presence) {
    Reply r = agent.Put("/api/v1/agents/me/presence", boost::json::object{{"presence", presence}});
    ASSERT_EQ(r.status, 200) << r;
  }

  // The voice items offered to or held by the agent now.
  static std::vector<boost::json::object> DeskItems(Api& agent) {
    std::vector<boost::json::object> out;
    Reply desk = agent.Get("/api/v1/agents/me");
    if (desk.status != 200) return out;
    if (!desk.json.as_object().contains("items")) return out;
    for (const auto& i : desk.json.at("items").as_array()) out.push_back(i.as_object());
    return out;
  }

  // The types of the routing events of item `item_id` after `after`.
  static std::vector<std::string> RoutingTypes(Api& api, int64_t after, int64_t item_id = 0) {
    std::vector<std::string> types;
    for (const auto& e : EventsAfter(api, after)) {
      if (e.at("entity").as_string() != "routing") continue;
      if (item_id != 0 && (!e.contains("entity_id") || e.at("entity_id").as_int64() != item_id)) continue;
      types.push_back(std::string(e.at("type").as_string()));
    }
    return types;
  }
  static bool Has(const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
  }
  // The queue's ring timeout (the engine's ring-no-answer).
  static void SetRingTimeout(const std::string& queue, int seconds) {
    Api supervisor = ApiAs(kSupervisor);
    Reply q = supervisor.Get("/api/v1/queues/" + queue);
    ASSERT_EQ(q.status, 200) << q;
    boost::json::object body = q.json.as_object();
    body["ring_timeout_seconds"] = seconds;
    body.erase("code");
    body.erase("version");
    Reply put = supervisor.Put("/api/v1/queues/" + queue, body, {{"If-Match", q.Header("ETag")}});
    ASSERT_EQ(put.status, 200) << put;
  }
  // The first item in the agent's desk (any state), 0 when none.
  static int64_t OfferedItem(Api& agent) {
    for (const auto& i : DeskItems(agent)) return i.at("id").as_int64();
    return 0;
  }

  // The agent's connected voice item, 0 when none within the wait.
  static int64_t ConnectedCall(Api& agent) {
    int64_t item_id = 0;
    WaitUntil([&] {
      for (const auto& i : DeskItems(agent)) {
        if (i.at("state").as_string() == "connected" && i.at("media").as_string() == "voice") {
          item_id = i.at("id").as_int64();
          return true;
        }
      }
      return false;
    });
    return item_id;
  }
  // The id of the first voice item entering a queue after `after` (0: none).
  static int64_t EnteredItem(Api& api, int64_t after) {
    for (const auto& e : EventsAfter(api, after)) {
      if (e.at("type").as_string() == "routing.enter" && e.contains("entity_id")) return e.at("entity_id").as_int64();
    }
    return 0;
  }

  static inline uint16_t carrier_port_ = 0;

  // A call out's two phones: the resident's (the "carrier" sipp on
  // carrier_port_, answering, talking 3 s, hanging up) and agent@'s
  // registered phone (answering); the agent is then made available.
  struct CallOutPhones {
    RtpSocket resident_audio;
    RtpSocket agent_audio;
    std::unique_ptr<Sipp> carrier;
    std::unique_ptr<Sipp> phone;
  };
  static void StartCallOutPhones(CallOutPhones& p, Api& agent) {
    p.carrier = std::make_unique<Sipp>(
        "agent_hangs_up",
        std::vector<std::string>{"-p", std::to_string(carrier_port_), "-key", "rtpport",
                                 std::to_string(p.resident_audio.port()), "-set", "talkms", "3000", "-m", "1",
                                 "-timeout", "60", Target()},
        server().dir());
    const uint16_t phone_port = FreeUdpPort();
    ASSERT_NO_FATAL_FAILURE(RegisterPhone(phone_port));
    p.phone = std::make_unique<Sipp>("agent_answer",
                                     std::vector<std::string>{"-p", std::to_string(phone_port), "-key", "rtpport",
                                                              std::to_string(p.agent_audio.port()), "-m", "1",
                                                              "-timeout", "60", Target()},
                                     server().dir());
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    ASSERT_NO_FATAL_FAILURE(SetPresence(agent, "available"));
  }
  // Packets of the resident's own bytes the agent's phone hears within 2.5 s
  // (at most 20): the agent speaks too, so the resident's phone learns
  // where the audio comes from.
  static int ResidentHeardByAgent(CallOutPhones& p) {
    int relayed = 0;
    const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(2500);
    while (std::chrono::steady_clock::now() < end && relayed < 20) {
      p.agent_audio.SendAudio(0, 0x20);
      (void)p.resident_audio.Receive(std::chrono::milliseconds(1));
      p.resident_audio.SendAudio(0, 0x10);
      if (auto r = p.agent_audio.Receive(std::chrono::milliseconds(20)); r && !r->payload.empty() && r->payload[0] == 0x10) {
        ++relayed;  // not a prompt or silence
      }
    }
    return relayed;
  }

  // One call through the IVR to agent@'s registered phone, connected: the
  // phone is sipp `phone_scenario` (its audio at agent_audio), the caller
  // sipp `caller_scenario` from `number` (audio at caller_audio) pressing
  // `digit` once the menu speaks. item_id is 0 when it never connected.
  struct PhoneCall {
    RtpSocket caller_audio;
    RtpSocket agent_audio;
    std::unique_ptr<Sipp> phone;
    std::unique_ptr<Sipp> caller;
    int64_t item_id = 0;
    std::string item_path;
  };
  static void ConnectPhoneCall(PhoneCall& call, Api& agent, const std::string& phone_scenario,
                               std::vector<std::string> phone_args, const std::string& caller_scenario,
                               const std::string& number, std::vector<std::string> caller_args, char digit) {
    const uint16_t phone_port = FreeUdpPort();
    ASSERT_NO_FATAL_FAILURE(RegisterPhone(phone_port));
    ASSERT_NO_FATAL_FAILURE(SetPresence(agent, "available"));
    std::vector<std::string> pargs = {"-p", std::to_string(phone_port), "-key", "rtpport",
                                      std::to_string(call.agent_audio.port()), "-m", "1"};
    pargs.insert(pargs.end(), phone_args.begin(), phone_args.end());
    pargs.push_back(Target());
    call.phone = std::make_unique<Sipp>(phone_scenario, pargs, server().dir());
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    std::vector<std::string> cargs = {"-s", kNumber, "-key", "caller", number, "-key", "rtpport",
                                      std::to_string(call.caller_audio.port()), "-m", "1"};
    cargs.insert(cargs.end(), caller_args.begin(), caller_args.end());
    cargs.push_back(Target());
    call.caller = std::make_unique<Sipp>(caller_scenario, cargs, server().dir());
    ASSERT_TRUE(HearsSpeech(call.caller_audio));
    call.caller_audio.SendDigit(digit);
    call.item_id = ConnectedCall(agent);
    ASSERT_NE(call.item_id, 0) << "the call never reached the agent" << LogTail();
    call.item_path = "/api/v1/interactions/" + std::to_string(call.item_id);
  }

  // Waits (up to 10 s) until the socket hears speech — the menu's prompt —
  // not the silence a stream sends before the call is up: a digit pressed
  // before the menu starts is not heard.
  static bool HearsSpeech(RtpSocket& audio) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < end) {
      std::optional<RtpSocket::Packet> p = audio.Receive(std::chrono::milliseconds(200));
      if (!p) continue;
      int differing = 0;
      for (uint8_t b : p->payload) differing += (b != 0xD5 && b != 0x55 && b != 0xFF && b != 0x7F) ? 1 : 0;
      if (differing > 40) return true;
    }
    return false;
  }

  // The end of the server's log, for failure messages.
  static std::string LogTail() {
    const std::string log = server().ReadLog();
    return log.size() > 5000 ? log.substr(log.size() - 5000) : log;
  }

  template <typename F>
  static bool WaitUntil(F f, std::chrono::milliseconds timeout = std::chrono::milliseconds(15000)) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < end) {
      if (f()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return f();
  }
};

TEST_F(SipTest, UnknownNumberAndStrangersAreRefused) {
  // An INVITE for a number the council does not have: 404, and sipp counts a failed call.
  RtpSocket audio;
  Sipp wrong("caller", {"-s", "09999999999", "-key", "caller", "07700900555", "-key", "rtpport",
                        std::to_string(audio.port()), "-set", "holdms", "1000", "-m", "1", "-timeout", "10",
                        Target()},
             server().dir());
  EXPECT_EQ(wrong.Wait(), 1) << wrong.Log();
  EXPECT_NE(wrong.Log().find("404"), std::string::npos) << wrong.Log();
  // A phone registering with the wrong password: 403.
  Sipp bad("register", {"-key", "ext", "1001", "-au", "1001", "-ap", "wrong-password", "-key", "expires", "300",
                        "-m", "1", "-timeout", "10", Target()},
           server().dir());
  EXPECT_EQ(bad.Wait(), 1) << bad.Log();
}

TEST_F(SipTest, CallerPressesOneAndTheAgentsPhoneAnswers) {
  const uint16_t phone_port = FreeUdpPort();
  ASSERT_NO_FATAL_FAILURE(RegisterPhone(phone_port));
  Api agent = ApiAs(kAgent);
  ASSERT_NO_FATAL_FAILURE(SetPresence(agent, "available"));
  RtpSocket caller_audio;
  RtpSocket agent_audio;
  Sipp phone("agent_answer", {"-p", std::to_string(phone_port), "-key", "rtpport",
                              std::to_string(agent_audio.port()), "-m", "1", "-timeout", "60", Target()},
             server().dir());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // sipp binds its port
  const int64_t seq_before = LastEventSeq(agent);
  Sipp caller("caller", {"-s", kNumber, "-key", "caller", "07700900101", "-key", "rtpport",
                         std::to_string(caller_audio.port()), "-set", "holdms", "9000", "-m", "1", "-timeout",
                         "60", Target()},
              server().dir());

  // The menu's prompt (PCMA, the caller's first codec): mostly sound.
  RtpSocket::Heard prompt = caller_audio.Listen(std::chrono::milliseconds(1500), 0xD5);
  EXPECT_GE(prompt.packets, 60) << "about 50 packets a second expected";
  EXPECT_GE(prompt.loud, prompt.packets / 3) << "the prompt should be speech, not silence";
  ASSERT_FALSE(prompt.sample.empty());
  EXPECT_EQ(prompt.sample[0].pt, 8);
  for (size_t i = 1; i < prompt.sample.size(); ++i) {
    EXPECT_EQ(prompt.sample[i].seq, static_cast<uint16_t>(prompt.sample[i - 1].seq + 1));
    EXPECT_EQ(prompt.sample[i].ts, prompt.sample[i - 1].ts + 160);
  }
  // Press 1: council tax.
  caller_audio.SendDigit('1');

  // The agent's phone rings and answers; the item is connected to the agent.
  int64_t item_id = 0;
  ASSERT_TRUE(WaitUntil([&] {
    for (const auto& i : DeskItems(agent)) {
      if (i.at("state").as_string() == "connected" && i.at("media").as_string() == "voice") {
        item_id = i.at("id").as_int64();
        return true;
      }
    }
    return false;
  })) << "the call never reached the agent; server log:\n"
      << server().ReadLog().substr(server().ReadLog().size() > 5000 ? server().ReadLog().size() - 5000 : 0);
  Reply item = agent.Get("/api/v1/interactions/" + std::to_string(item_id));
  ASSERT_EQ(item.status, 200) << item;
  EXPECT_EQ(item.json.at("media").as_string(), "voice");
  EXPECT_EQ(item.json.at("queue").as_string(), "council-tax");
  EXPECT_EQ(item.json.at("caller").as_string(), "07700900101");
  for (const auto& i : DeskItems(agent)) {
    if (i.at("id").as_int64() != item_id) continue;
    ASSERT_TRUE(i.at("citizen").is_object()) << "screen-pop by the caller's number";
    EXPECT_EQ(i.at("citizen").at("name").as_string(), "Margaret Okafor");
  }

  // Audio both ways: the caller's frames reach the agent's phone (re-coded
  // PCMA → PCMU: the phone answered PCMU), and the agent's reach the caller.
  while (caller_audio.Receive(std::chrono::milliseconds(30))) {
  }
  std::atomic<bool> talking{true};
  std::thread caller_talks([&] {
    while (talking) {
      caller_audio.SendAudio(8, 0x55 ^ 0x2A);  // an A-law byte far from silence
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  int relayed_to_agent = 0;
  const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(1500);
  std::vector<uint8_t> agent_payload;
  while (std::chrono::steady_clock::now() < end) {
    if (auto p = agent_audio.Receive(std::chrono::milliseconds(100)); p && p->pt == 0) {
      ++relayed_to_agent;
      agent_payload = p->payload;
      agent_audio.SendAudio(0, 0x10);  // the agent speaks (µ-law, loud)
    }
  }
  talking = false;
  caller_talks.join();
  EXPECT_GE(relayed_to_agent, 40) << "the caller's audio should reach the agent's phone";
  ASSERT_FALSE(agent_payload.empty());
  EXPECT_NE(agent_payload[0], 0xFF) << "what the caller said, not silence";
  RtpSocket::Heard from_agent = caller_audio.Listen(std::chrono::milliseconds(300), 0xD5);
  EXPECT_GE(from_agent.loud, 5) << "the agent's audio should reach the caller";

  // The caller hangs up (sipp's BYE after 9 s): both sipp runs pass.
  EXPECT_EQ(caller.Wait(), 0) << caller.Log();
  EXPECT_EQ(phone.Wait(), 0) << phone.Log();

  // One contact for the call, on the phone channel, with the call's duration;
  // the agent still holds the item for the wrap-up.
  Reply held = agent.Get("/api/v1/interactions/" + std::to_string(item_id));
  ASSERT_EQ(held.status, 200) << held;
  EXPECT_EQ(held.json.at("state").as_string(), "connected");
  ASSERT_TRUE(held.json.as_object().contains("contact_id")) << held;
  const std::string contact_path = "/api/v1/contacts/" + std::to_string(held.json.at("contact_id").as_int64());
  Reply contact;
  ASSERT_TRUE(WaitUntil([&] {
    contact = agent.Get(contact_path);
    return contact.status == 200 && contact.json.at("duration_seconds").as_int64() > 0;
  })) << contact;
  EXPECT_EQ(contact.json.at("interaction_id").as_int64(), item_id);
  EXPECT_EQ(contact.json.at("channel").as_string(), "phone");
  EXPECT_GE(contact.json.at("duration_seconds").as_int64(), 2);
  EXPECT_LE(contact.json.at("duration_seconds").as_int64(), 12);
  const int64_t call_seconds = contact.json.at("duration_seconds").as_int64();
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  Reply done = agent.Post("/api/v1/interactions/" + std::to_string(item_id) + "/complete",
                          boost::json::object{{"disposition", "answered_first_time"}});
  if (done.status == 400) {
    done = agent.Post("/api/v1/interactions/" + std::to_string(item_id) + "/complete", boost::json::object{});
  }
  ASSERT_EQ(done.status, 200) << done;
  Reply after = agent.Get(contact_path);
  ASSERT_EQ(after.status, 200) << after;
  EXPECT_EQ(after.json.at("duration_seconds").as_int64(), call_seconds) << "the wrap-up keeps the call's length";
  EndWrapUp(agent);

  // The routing events of the call: enter council-tax, offer, connect.
  std::vector<std::string> types;
  for (const auto& e : EventsAfter(agent, seq_before)) {
    if (e.at("entity").as_string() == "routing" && e.contains("entity_id") &&
        e.at("entity_id").as_int64() == item_id) {
      types.push_back(std::string(e.at("type").as_string()));
    }
  }
  ASSERT_FALSE(types.empty());
  EXPECT_EQ(types.front(), "routing.enter");
  EXPECT_NE(std::find(types.begin(), types.end(), "routing.offer"), types.end());
  EXPECT_NE(std::find(types.begin(), types.end(), "routing.connect"), types.end());
  ASSERT_NO_FATAL_FAILURE(SetPresence(agent, "offline"));
}

TEST_F(SipTest, CallerHangingUpInTheQueueIsAbandoned) {
  Api agent = ApiAs(kAgent);
  ASSERT_NO_FATAL_FAILURE(SetPresence(agent, "offline"));
  RtpSocket audio;
  const int64_t seq_before = LastEventSeq(agent);
  Sipp caller("caller", {"-s", kNumber, "-key", "caller", "07700900202", "-key", "rtpport",
                         std::to_string(audio.port()), "-set", "holdms", "4000", "-m", "1", "-timeout", "30",
                         Target()},
              server().dir());
  ASSERT_TRUE(HearsSpeech(audio));
  audio.SendDigit('2');  // bins: nobody is available
  EXPECT_EQ(caller.Wait(), 0) << caller.Log();
  bool abandoned = false;
  ASSERT_TRUE(WaitUntil([&] {
    for (const auto& e : EventsAfter(agent, seq_before)) {
      if (e.at("type").as_string() == "routing.abandon") abandoned = true;
    }
    return abandoned;
  })) << "the call should be recorded as abandoned";
}


TEST_F(SipTest, RingNoAnswerCancelsThePhone) {
  ASSERT_NO_FATAL_FAILURE(SetRingTimeout("council-tax", 3));
  const uint16_t phone_port = FreeUdpPort();
  ASSERT_NO_FATAL_FAILURE(RegisterPhone(phone_port));
  Api agent = ApiAs(kAgent);
  ASSERT_NO_FATAL_FAILURE(SetPresence(agent, "available"));
  Sipp phone("agent_no_answer", {"-p", std::to_string(phone_port), "-m", "1", "-timeout", "30", Target()},
             server().dir());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const int64_t seq_before = LastEventSeq(agent);
  RtpSocket audio;
  Sipp caller("caller", {"-s", kNumber, "-key", "caller", "07700900303", "-key", "rtpport",
                         std::to_string(audio.port()), "-set", "holdms", "7000", "-m", "1", "-timeout", "30",
                         Target()},
              server().dir());
  ASSERT_TRUE(HearsSpeech(audio));
  audio.SendDigit('1');
  // The phone rang for the queue's 3 s, then onestop CANCELled it (sipp's
  // scenario passes only on the CANCEL).
  EXPECT_EQ(phone.Wait(std::chrono::seconds(20)), 0) << phone.Log();
  EXPECT_EQ(caller.Wait(), 0) << caller.Log();
  std::vector<std::string> types;
  ASSERT_TRUE(WaitUntil([&] {
    types = RoutingTypes(agent, seq_before);
    return Has(types, "routing.abandon");
  }));
  EXPECT_TRUE(Has(types, "routing.offer"));
  EXPECT_TRUE(Has(types, "routing.no_answer")) << "the engine's ring-no-answer";
  EXPECT_FALSE(Has(types, "routing.connect"));
  ASSERT_NO_FATAL_FAILURE(SetPresence(agent, "offline"));
  ASSERT_NO_FATAL_FAILURE(SetRingTimeout("council-tax", 20));
}

TEST_F(SipTest, BusyPhoneIsARejectAndTheCallerKeepsWaiting) {
  const uint16_t phone_port = FreeUdpPort();
  ASSERT_NO_FATAL_FAILURE(RegisterPhone(phone_port));
  Api agent = ApiAs(kAgent);
  ASSERT_NO_FATAL_FAILURE(SetPresence(agent, "available"));
  Sipp phone("agent_busy", {"-p", std::to_string(phone_port), "-m", "1", "-timeout", "30", Target()},
             server().dir());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const int64_t seq_before = LastEventSeq(agent);
  RtpSocket audio;
  Sipp caller("caller", {"-s", kNumber, "-key", "caller", "07700900404", "-key", "rtpport",
                         std::to_string(audio.port()), "-set", "holdms", "5000", "-m", "1", "-timeout", "30",
                         Target()},
              server().dir());
  ASSERT_TRUE(HearsSpeech(audio));
  audio.SendDigit('1');
  EXPECT_EQ(phone.Wait(std::chrono::seconds(20)), 0) << phone.Log();
  // Still on the line after the refusal: hold music (sound) keeps coming.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  RtpSocket::Heard waiting = audio.Listen(std::chrono::milliseconds(800), 0xD5);
  EXPECT_GE(waiting.packets, 30);
  EXPECT_EQ(caller.Wait(), 0) << caller.Log();
  std::vector<std::string> types;
  ASSERT_TRUE(WaitUntil([&] {
    types = RoutingTypes(agent, seq_before);
    return Has(types, "routing.abandon");
  }));
  EXPECT_TRUE(Has(types, "routing.reject")) << "486 from the phone is the agent's reject";
  ASSERT_NO_FATAL_FAILURE(SetPresence(agent, "offline"));
}

TEST_F(SipTest, InBandDigitsAndTheAgentHangingUp) {
  const uint16_t phone_port = FreeUdpPort();
  ASSERT_NO_FATAL_FAILURE(RegisterPhone(phone_port));
  Api agent = ApiAs(kAgent);
  ASSERT_NO_FATAL_FAILURE(SetPresence(agent, "available"));
  RtpSocket caller_audio;
  RtpSocket agent_audio;
  Sipp phone("agent_hangs_up", {"-p", std::to_string(phone_port), "-key", "rtpport",
                                std::to_string(agent_audio.port()), "-set", "talkms", "1500", "-m", "1",
                                "-timeout", "40", Target()},
             server().dir());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  Sipp caller("caller_inband", {"-s", kNumber, "-key", "caller", "07700900101", "-key", "rtpport",
                                std::to_string(caller_audio.port()), "-m", "1", "-timeout", "40", Target()},
              server().dir());
  ASSERT_TRUE(HearsSpeech(caller_audio));
  for (const auto& frame : DtmfFrames('1')) {
    caller_audio.Send(0, false, frame);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  int64_t item_id = 0;
  std::string citizen;
  ASSERT_TRUE(WaitUntil([&] {
    for (const auto& i : DeskItems(agent)) {
      if (i.at("state").as_string() == "connected") {
        item_id = i.at("id").as_int64();
        if (i.at("citizen").is_object()) citizen = std::string(i.at("citizen").at("name").as_string());
        return true;
      }
    }
    return false;
  })) << "the in-band 1 should have put the call through to the council tax queue";
  EXPECT_EQ(citizen, "Margaret Okafor") << "screen-pop by the caller's number";
  // The agent's phone hangs up after 1.5 s: the caller hears the demo's
  // post-call question, answers nothing, and onestop hangs up after its
  // timeout (8 s after the prompt).
  EXPECT_EQ(phone.Wait(), 0) << phone.Log();
  EXPECT_EQ(caller.Wait(std::chrono::seconds(40)), 0) << caller.Log();
  Reply held = agent.Get("/api/v1/interactions/" + std::to_string(item_id));
  ASSERT_EQ(held.status, 200) << held;
  EXPECT_EQ(held.json.at("state").as_string(), "connected") << "held for the wrap-up";
  Reply done = agent.Post("/api/v1/interactions/" + std::to_string(item_id) + "/complete", boost::json::object{});
  EXPECT_EQ(done.status, 200) << done;
  EndWrapUp(agent);
  ASSERT_NO_FATAL_FAILURE(SetPresence(agent, "offline"));
}

TEST_F(SipTest, NoDigitGoesToTheGeneralQueue) {
  Api agent = ApiAs(kAgent);
  ASSERT_NO_FATAL_FAILURE(SetPresence(agent, "offline"));
  const int64_t seq_before = LastEventSeq(agent);
  RtpSocket audio;
  Sipp caller("caller", {"-s", kNumber, "-key", "caller", "07700900505", "-key", "rtpport",
                         std::to_string(audio.port()), "-set", "holdms", "45000", "-m", "1", "-timeout", "60",
                         Target()},
              server().dir());
  // The prompt plays, then 10 s without a digit: the call joins `general`.
  bool entered = false;
  std::string queue;
  ASSERT_TRUE(WaitUntil(
      [&] {
        while (audio.Receive(std::chrono::milliseconds(1))) {
        }
        for (const auto& e : EventsAfter(agent, seq_before)) {
          if (e.at("type").as_string() != "routing.enter") continue;
          queue = std::string(e.at("entity_key").as_string());  // a routing event's queue
          entered = true;
        }
        return entered;
      },
      std::chrono::milliseconds(45000)));
  EXPECT_EQ(queue, "general");
  EXPECT_EQ(caller.Wait(), 0) << caller.Log();
}

TEST_F(SipTest, HostileSipIsAnsweredAndBounded) {
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(server().sip_port());
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  auto send = [&](const std::string& m) {
    sendto(fd, m.data(), m.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
  };
  // Garbage, a truncated request, an enormous header, a flood of INVITEs
  // for numbers the council does not have.
  send("\x01\x02\x03 not sip at all");
  send("INVITE sip:01632960000@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK1\r\n");
  send("OPTIONS sip:x@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKbig\r\nX-Big: " +
       std::string(60000, 'a') + "\r\n\r\n");
  for (int i = 0; i < 300; ++i) {
    send("INVITE sip:0999" + std::to_string(i) + "@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKf" +
         std::to_string(i) + "\r\nFrom: <sip:a@127.0.0.1>;tag=" + std::to_string(i) +
         "\r\nTo: <sip:0999@127.0.0.1>\r\nCall-ID: flood" + std::to_string(i) +
         "\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
  }
  close(fd);
  // It still answers properly: an unknown number is 404 for sipp.
  RtpSocket audio;
  Sipp wrong("caller", {"-s", "09999999999", "-key", "caller", "07700900555", "-key", "rtpport",
                        std::to_string(audio.port()), "-set", "holdms", "1000", "-m", "1", "-timeout", "10",
                        Target()},
             server().dir());
  EXPECT_EQ(wrong.Wait(), 1) << wrong.Log();
  EXPECT_NE(wrong.Log().find("404"), std::string::npos) << wrong.Log();
  EXPECT_TRUE(server().Alive());
  Reply health = Api(port(), "").Get("/healthz");
  EXPECT_EQ(health.status, 200);
}


// baresip (Debian baresip-core), a real softphone, registered as the agent's
// extension with auto-answer and a tone as its microphone: it answers, and
// the caller hears it.
TEST_F(SipTest, BaresipSoftphoneAnswersAndTheCallerHearsIt) {
  Api admin = ApiAs(kAdmin);
  const int64_t id = StaffId(kAgent);
  Reply put = admin.Put("/api/v1/staff/" + std::to_string(id) + "/sip",
                        boost::json::object{{"extension", kExtension}, {"password", kSipPassword}});
  ASSERT_EQ(put.status, 200) << put;
  const std::string dir = server().dir() + "/baresip";
  ASSERT_EQ(system(("mkdir -p " + dir + " && sox -q -n -r 8000 -c 1 -b 16 -e signed-integer " + dir +
                    "/mic.wav synth 30 sine 440 vol 0.5").c_str()),
            0);
  const uint16_t phone_port = FreeUdpPort();
  {
    std::ofstream config(dir + "/config");
    config << "poll_method epoll\nsip_listen 127.0.0.1:" << phone_port << "\nsip_transports udp\n"
           << "audio_player aufile," << dir << "/heard.wav\naudio_source aufile," << dir << "/mic.wav\n"
           << "audio_alert aufile,/dev/null\nausrc_srate 8000\nauplay_srate 8000\nnet_interface 127.0.0.1\n"
           << "dns_server 127.0.0.1:53\nmodule_path /usr/lib/baresip/modules\nmodule g711.so\n"
           << "module aufile.so\nmodule menu.so\nmodule_app account.so\n";
    std::ofstream accounts(dir + "/accounts");
    accounts << "<sip:" << kExtension << "@" << Target() << ";transport=udp>;auth_pass=" << kSipPassword
             << ";answermode=auto;regint=300;audio_codecs=PCMA\n";
  }
  Child phone("baresip", {"-f", dir}, server().dir() + "/baresip.log");
  Api agent = ApiAs(kAgent);
  ASSERT_TRUE(WaitUntil([&] { return server().ReadLog().find("extension 1001 registered") != std::string::npos ||
                                     phone.Log().find("200 OK") != std::string::npos; }))
      << phone.Log();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  ASSERT_NO_FATAL_FAILURE(SetPresence(agent, "available"));
  RtpSocket audio;
  Sipp caller("caller", {"-s", kNumber, "-key", "caller", "07700900606", "-key", "rtpport",
                         std::to_string(audio.port()), "-set", "holdms", "6000", "-m", "1", "-timeout", "30",
                         Target()},
              server().dir());
  ASSERT_TRUE(HearsSpeech(audio));
  audio.SendDigit('1');
  int64_t item_id = 0;
  ASSERT_TRUE(WaitUntil([&] {
    for (const auto& i : DeskItems(agent)) {
      if (i.at("state").as_string() == "connected") item_id = i.at("id").as_int64();
    }
    return item_id != 0;
  })) << phone.Log();
  // The 440 Hz tone from baresip's "microphone", relayed to the caller.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  RtpSocket::Heard heard = audio.Listen(std::chrono::milliseconds(1000), 0xD5);
  EXPECT_GE(heard.packets, 40);
  EXPECT_GE(heard.loud, 30) << "the softphone's audio should reach the caller";
  EXPECT_EQ(caller.Wait(), 0) << caller.Log();
  ASSERT_TRUE(WaitUntil([&] { return phone.Log().find("terminated") != std::string::npos; })) << phone.Log();
  Reply done = agent.Post("/api/v1/interactions/" + std::to_string(item_id) + "/complete", boost::json::object{});
  EXPECT_EQ(done.status, 200) << done;
  EndWrapUp(agent);
  ASSERT_NO_FATAL_FAILURE(SetPresence(agent, "offline"));
}


TEST_F(SipTest, HoldFromTheDeskPlaysMusicAndHangUpEndsTheCall) {
  Api agent = ApiAs(kAgent);
  PhoneCall call;
  ASSERT_NO_FATAL_FAILURE(ConnectPhoneCall(call, agent, "agent_answer", {"-timeout", "60"}, "caller_hung_up",
                                           "07700900404", {"-timeout", "120"}, '1'));  // the caller stays until onestop hangs up
  RtpSocket& caller_audio = call.caller_audio;
  RtpSocket& agent_audio = call.agent_audio;
  Sipp& phone = *call.phone;
  Sipp& caller = *call.caller;
  const int64_t item_id = call.item_id;
  const std::string& item_path = call.item_path;
  Reply item = agent.Get(item_path);
  ASSERT_EQ(item.status, 200) << item;
  ASSERT_TRUE(item.json.as_object().contains("call")) << item;
  EXPECT_TRUE(item.json.at("call").at("bridged").as_bool());
  EXPECT_FALSE(item.json.at("call").at("on_hold").as_bool());

  // The caller says a few words (the agent's phone hears where from);
  // bridged with a silent agent, the caller hears (almost) nothing.
  for (int i = 0; i < 10; ++i) {
    caller_audio.SendAudio(0, 0x10);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(agent_audio.Receive(std::chrono::milliseconds(1000)).has_value()) << "the caller reaches the agent";
  while (caller_audio.Receive(std::chrono::milliseconds(50))) {
  }
  RtpSocket::Heard before = caller_audio.Listen(std::chrono::milliseconds(600), 0xFF);
  EXPECT_LE(before.loud, 3) << "nothing to relay from a silent phone";

  // Hold: the caller hears music.
  Reply held = agent.Post(item_path + "/hold", boost::json::object{});
  ASSERT_EQ(held.status, 200) << held;
  EXPECT_TRUE(held.json.at("call").at("on_hold").as_bool());
  RtpSocket::Heard music = caller_audio.Listen(std::chrono::milliseconds(1500), 0xFF);
  EXPECT_GE(music.packets, 50) << "music is sent at 50 packets a second";
  EXPECT_GE(music.loud, music.packets / 3) << "hold music, not silence";
  Reply twice = agent.Post(item_path + "/hold", boost::json::object{});
  EXPECT_EQ(twice.status, 409) << twice;
  // Someone else cannot touch the call: the interaction is not theirs.
  Api other = ApiAs(kSupervisor);
  Reply foreign = other.Post(item_path + "/resume", boost::json::object{});
  EXPECT_EQ(foreign.status, 404) << foreign;

  // Resume: caller and agent are bridged again; the music stops.
  Reply resumed = agent.Post(item_path + "/resume", boost::json::object{});
  ASSERT_EQ(resumed.status, 200) << resumed;
  EXPECT_FALSE(resumed.json.at("call").at("on_hold").as_bool());
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  while (caller_audio.Receive(std::chrono::milliseconds(30))) {
  }
  RtpSocket::Heard after = caller_audio.Listen(std::chrono::milliseconds(600), 0xFF);
  EXPECT_LE(after.loud, 3) << "the music should stop when the call is taken off hold";
  // The agent's voice reaches the caller again.
  for (int i = 0; i < 25; ++i) {
    agent_audio.SendAudio(0, 0x10);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  RtpSocket::Heard voice = caller_audio.Listen(std::chrono::milliseconds(300), 0xFF);
  EXPECT_GE(voice.loud, 5) << "the agent's audio after the hold (" << voice.packets << " packets)";

  // Hang up from the desk: both phones get a BYE (both sipp runs pass), the
  // contact has the call's length, and the item waits for the wrap-up.
  Reply hangup = agent.Post(item_path + "/hangup", boost::json::object{});
  ASSERT_EQ(hangup.status, 200) << hangup;
  EXPECT_EQ(phone.Wait(), 0) << phone.Log();
  // The caller hears the post-call question, answers nothing, and is hung
  // up after its timeout.
  EXPECT_EQ(caller.Wait(std::chrono::seconds(90)), 0) << caller.Log();
  Reply ended = agent.Get(item_path);
  ASSERT_EQ(ended.status, 200) << ended;
  EXPECT_EQ(ended.json.at("state").as_string(), "connected");
  ASSERT_TRUE(ended.json.as_object().contains("contact_id")) << ended;
  Reply contact;
  ASSERT_TRUE(WaitUntil([&] {
    contact = agent.Get("/api/v1/contacts/" + std::to_string(ended.json.at("contact_id").as_int64()));
    return contact.status == 200 && contact.json.at("duration_seconds").as_int64() > 0;
  })) << contact;
  Reply again = agent.Post(item_path + "/hangup", boost::json::object{});
  EXPECT_EQ(again.status, 404) << "no call any more: " << again;
  // The council-tax call was recorded (the demo's policy), with no pause.
  Reply recorded;
  ASSERT_TRUE(WaitUntil([&] {
    recorded = ApiAs(kSupervisor).Get("/api/v1/contacts/" + std::to_string(ended.json.at("contact_id").as_int64()));
    return recorded.status == 200 && recorded.json.as_object().contains("recording");
  })) << recorded;
  EXPECT_EQ(recorded.json.at("recording").at("pauses").as_int64(), 0);
  ASSERT_NO_FATAL_FAILURE(CompleteCall(agent, item_id));
  ASSERT_NO_FATAL_FAILURE(SetPresence(agent, "offline"));
}

TEST_F(SipTest, CallerAsksForACallBackAndKeepsTheirPlace) {
  Api agent = ApiAs(kAgent);
  ASSERT_NO_FATAL_FAILURE(SetPresence(agent, "offline"));
  Api supervisor = ApiAs(kSupervisor);
  const int64_t seq_before = LastEventSeq(supervisor);
  RtpSocket caller_audio;
  // The resident waits in the bins queue (nobody there), presses * and is
  // hung up by onestop after the confirmation.
  Sipp caller("caller_hung_up", {"-s", kNumber, "-key", "caller", "07700900303", "-key", "rtpport",
                                 std::to_string(caller_audio.port()), "-m", "1", "-timeout", "60", Target()},
              server().dir());
  ASSERT_TRUE(HearsSpeech(caller_audio));
  caller_audio.SendDigit('2');
  int64_t item_id = 0;
  ASSERT_TRUE(WaitUntil([&] { return (item_id = EnteredItem(supervisor, seq_before)) != 0; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  caller_audio.SendDigit('*');
  EXPECT_EQ(caller.Wait(std::chrono::seconds(40)), 0) << "onestop hangs up after the confirmation\n" << caller.Log();
  // The item still waits: not abandoned.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  std::vector<std::string> types = RoutingTypes(supervisor, seq_before, item_id);
  EXPECT_FALSE(Has(types, "routing.abandon")) << "a call back keeps its place";
  Reply waiting = supervisor.Get("/api/v1/interactions/" + std::to_string(item_id));
  ASSERT_EQ(waiting.status, 200) << waiting;
  EXPECT_EQ(waiting.json.at("state").as_string(), "waiting");

  // An agent of the queue comes free: their phone rings first, and when they
  // answer onestop rings the resident through the trunk (the carrier sipp);
  // the resident answers, talks, and hangs up.
  CallOutPhones phones;
  ASSERT_NO_FATAL_FAILURE(StartCallOutPhones(phones, agent));
  Sipp& carrier = *phones.carrier;
  Sipp& phone = *phones.phone;
  const int64_t connected = ConnectedCall(agent);
  ASSERT_EQ(connected, item_id) << "the call back is offered to the agent\n" << server().ReadLog().substr(
      server().ReadLog().size() > 4000 ? server().ReadLog().size() - 4000 : 0);
  // The resident's audio reaches the agent once they answer.
  const int relayed = ResidentHeardByAgent(phones);
  EXPECT_GE(relayed, 20) << "the resident called back should be heard by the agent";
  EXPECT_EQ(carrier.Wait(), 0) << carrier.Log();
  EXPECT_EQ(phone.Wait(), 0) << "the agent's phone is hung up when the resident hangs up\n" << phone.Log();
  const Reply contact = CallContact(agent, item_id);
  ASSERT_EQ(contact.status, 200) << contact;
  EXPECT_GE(contact.json.at("duration_seconds").as_int64(), 2);
  types = RoutingTypes(supervisor, seq_before, item_id);
  EXPECT_TRUE(Has(types, "routing.offer"));
  EXPECT_TRUE(Has(types, "routing.connect"));
  EXPECT_FALSE(Has(types, "routing.abandon"));
  ASSERT_NO_FATAL_FAILURE(CompleteCall(agent, item_id));
  ASSERT_NO_FATAL_FAILURE(SetPresence(agent, "offline"));
}

TEST_F(SipTest, ClickToDialRingsTheAgentsPhoneThenTheResident) {
  Api agent = ApiAs(kAgent);
  // Offline agents cannot ring anyone; a number that is not one is refused.
  ASSERT_NO_FATAL_FAILURE(SetPresence(agent, "offline"));
  Reply offline = agent.Post("/api/v1/calls", boost::json::object{{"number", "07700900101"}});
  EXPECT_EQ(offline.status, 409) << offline;
  Reply bad = agent.Post("/api/v1/calls", boost::json::object{{"number", "call me maybe"}});
  EXPECT_EQ(bad.status, 400) << bad;
  Reply found = agent.Get("/api/v1/citizens?phone=07700900101");
  ASSERT_EQ(found.status, 200) << found;
  const auto& residents = found.json.at("items").as_array();
  ASSERT_FALSE(residents.empty()) << found;
  const int64_t citizen_id = residents.front().at("id").as_int64();

  CallOutPhones phones;
  ASSERT_NO_FATAL_FAILURE(StartCallOutPhones(phones, agent));
  Sipp& carrier = *phones.carrier;
  Sipp& phone = *phones.phone;
  Reply dialled = agent.Post("/api/v1/calls", boost::json::object{{"number", "07700 900101"}, {"citizen_id", citizen_id}});
  ASSERT_EQ(dialled.status, 201) << dialled;
  const int64_t item_id = dialled.json.at("id").as_int64();
  EXPECT_EQ(dialled.json.at("media").as_string(), "voice");
  ASSERT_TRUE(dialled.json.as_object().contains("call")) << dialled;
  EXPECT_TRUE(dialled.json.at("call").at("outbound").as_bool());
  const int64_t connected = ConnectedCall(agent);
  ASSERT_EQ(connected, item_id) << "the agent's phone answered their own call out";
  Reply second = agent.Post("/api/v1/calls", boost::json::object{{"number", "07700900102"}});
  EXPECT_EQ(second.status, 409) << "one call at a time: " << second;
  // The resident (the carrier's sipp) answers and is heard by the agent.
  const int relayed = ResidentHeardByAgent(phones);
  EXPECT_GE(relayed, 20) << "the resident's audio should reach the agent" << LogTail();
  EXPECT_EQ(carrier.Wait(), 0) << carrier.Log();
  EXPECT_EQ(phone.Wait(), 0) << phone.Log();
  const Reply contact = CallContact(agent, item_id);
  ASSERT_EQ(contact.status, 200) << contact;
  ASSERT_TRUE(contact.json.at("citizen_id").is_int64()) << contact;
  EXPECT_EQ(contact.json.at("citizen_id").as_int64(), citizen_id) << "the call out is the resident's contact";
  ASSERT_NO_FATAL_FAILURE(CompleteCall(agent, item_id));
  ASSERT_NO_FATAL_FAILURE(SetPresence(agent, "offline"));
}

TEST_F(SipTest, AfterTheAgentHangsUpTheCallerRatesTheCall) {
  Api agent = ApiAs(kAgent);
  PhoneCall call;  // the agent's phone hangs up after 2 s; the caller stays until onestop hangs up
  ASSERT_NO_FATAL_FAILURE(ConnectPhoneCall(call, agent, "agent_hangs_up", {"-set", "talkms", "2000", "-timeout", "40"},
                                           "caller_hung_up", "07700900606", {"-timeout", "60"}, '2'));
  RtpSocket& caller_audio = call.caller_audio;
  Sipp& phone = *call.phone;
  Sipp& caller = *call.caller;
  const int64_t item_id = call.item_id;
  EXPECT_EQ(phone.Wait(), 0) << "the agent hangs up after 2 s\n" << phone.Log();
  EXPECT_EQ(item_id, ConnectedCall(agent));
  // The question is spoken to the caller, who is still on the line (it
  // streams without a pause: listen at once, no draining first).
  RtpSocket::Heard question = caller_audio.Listen(std::chrono::milliseconds(1500), 0xFF);
  EXPECT_GE(question.loud, question.packets / 3) << "the survey question is speech";
  Reply during = agent.Get("/api/v1/interactions/" + std::to_string(item_id));
  ASSERT_EQ(during.status, 200) << during;
  ASSERT_TRUE(during.json.as_object().contains("call")) << during;
  EXPECT_TRUE(during.json.at("call").at("survey").as_bool());
  EXPECT_FALSE(during.json.at("call").at("recording").as_bool()) << "the waste queue is not recorded";
  caller_audio.SendDigit('4');
  // Thanked and hung up.
  EXPECT_EQ(caller.Wait(std::chrono::seconds(30)), 0) << caller.Log() << LogTail();
  ASSERT_TRUE(during.json.as_object().contains("contact_id")) << during;
  const std::string contact_path = "/api/v1/contacts/" + std::to_string(during.json.at("contact_id").as_int64());
  Reply contact;
  ASSERT_TRUE(WaitUntil([&] {
    contact = agent.Get(contact_path);
    return contact.status == 200 && contact.json.as_object().contains("satisfaction");
  })) << contact;
  EXPECT_EQ(contact.json.at("satisfaction").as_int64(), 4);
  // The call's length ends when the agent left, not after the survey.
  EXPECT_LE(contact.json.at("duration_seconds").as_int64(), 5);
  ASSERT_NO_FATAL_FAILURE(CompleteCall(agent, item_id));
  ASSERT_NO_FATAL_FAILURE(SetPresence(agent, "offline"));
}

TEST_F(SipTest, CouncilTaxCallsAreRecordedWithTheCardPaymentPause) {
  Api agent = ApiAs(kAgent);
  PhoneCall call;
  ASSERT_NO_FATAL_FAILURE(ConnectPhoneCall(call, agent, "agent_answer", {"-timeout", "60"}, "caller",
                                           "07700900707", {"-set", "holdms", "9000", "-timeout", "60"}, '1'));  // council tax: recorded for 90 days in the demo
  RtpSocket& caller_audio = call.caller_audio;
  RtpSocket& agent_audio = call.agent_audio;
  Sipp& phone = *call.phone;
  Sipp& caller = *call.caller;
  const int64_t item_id = call.item_id;
  const std::string& item_path = call.item_path;
  Reply item = agent.Get(item_path);
  ASSERT_EQ(item.status, 200) << item;
  ASSERT_TRUE(item.json.as_object().contains("call")) << item;
  EXPECT_TRUE(item.json.at("call").at("recording").as_bool());
  // Both sides talk; the card payment pauses the recording for about 2 s.
  std::atomic<bool> talking{true};
  std::thread talk([&] {
    while (talking) {
      caller_audio.SendAudio(8, 0x55 ^ 0x2A);
      agent_audio.SendAudio(0, 0x10);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  // Joined however the test ends (an ASSERT returns early).
  struct Joiner {
    std::atomic<bool>& flag;
    std::thread& t;
    ~Joiner() {
      flag = false;
      if (t.joinable()) t.join();
    }
  } joiner{talking, talk};
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  Reply pause = agent.Post(item_path + "/recording/pause", boost::json::object{});
  ASSERT_EQ(pause.status, 200) << pause;
  EXPECT_TRUE(pause.json.at("call").at("recording_paused").as_bool());
  Reply again = agent.Post(item_path + "/recording/pause", boost::json::object{});
  EXPECT_EQ(again.status, 409) << again;
  std::this_thread::sleep_for(std::chrono::milliseconds(2200));
  Reply resume = agent.Post(item_path + "/recording/resume", boost::json::object{});
  ASSERT_EQ(resume.status, 200) << resume;
  EXPECT_FALSE(resume.json.at("call").at("recording_paused").as_bool());
  EXPECT_EQ(caller.Wait(), 0) << caller.Log();  // the caller hangs up
  talking = false;
  if (talk.joinable()) talk.join();
  EXPECT_EQ(phone.Wait(), 0) << phone.Log();

  Reply held = agent.Get(item_path);
  ASSERT_EQ(held.status, 200) << held;
  ASSERT_TRUE(held.json.as_object().contains("contact_id")) << held;
  const int64_t contact_id = held.json.at("contact_id").as_int64();
  const std::string contact_path = "/api/v1/contacts/" + std::to_string(contact_id);
  Api supervisor = ApiAs(kSupervisor);
  Reply contact;
  ASSERT_TRUE(WaitUntil([&] {
    contact = supervisor.Get(contact_path);
    return contact.status == 200 && contact.json.as_object().contains("recording");
  })) << contact;
  const auto& rec = contact.json.at("recording");
  EXPECT_EQ(rec.at("pauses").as_int64(), 1);
  EXPECT_GE(rec.at("paused_seconds").as_int64(), 1);
  EXPECT_LE(rec.at("paused_seconds").as_int64(), 3);
  EXPECT_GE(rec.at("duration_seconds").as_int64(), 3);
  // The agent sees no recording; the supervisor plays it.
  Reply agent_view = agent.Get(contact_path);
  ASSERT_EQ(agent_view.status, 200) << agent_view;
  EXPECT_FALSE(agent_view.json.as_object().contains("recording"));
  Reply forbidden = agent.Get(contact_path + "/recording");
  EXPECT_EQ(forbidden.status, 403) << forbidden;
  Reply wav = supervisor.Get(contact_path + "/recording");
  ASSERT_EQ(wav.status, 200) << wav.status;
  EXPECT_EQ(wav.Header("Content-Type"), "audio/wav");
  ASSERT_GT(wav.body.size(), 44u + 8000u * 2u * 3u) << "at least 3 s of 8 kHz 16-bit audio";
  EXPECT_EQ(wav.body.substr(0, 4), "RIFF");
  EXPECT_EQ(wav.body.substr(8, 4), "WAVE");
  ASSERT_NO_FATAL_FAILURE(CompleteCall(agent, item_id));
  ASSERT_NO_FATAL_FAILURE(SetPresence(agent, "offline"));
}


TEST_F(SipTest, ConsultativeTransferHandsTheCallToTheColleague) {
  constexpr char kAgent3[] = "agent3@fairhaven.example";
  // Two agents' phones: 1001 (agent) and 1003 (agent3, registrars — not a
  // council-tax agent, so the call itself goes to agent).
  const uint16_t phone_port = FreeUdpPort();
  ASSERT_NO_FATAL_FAILURE(RegisterPhone(phone_port));
  const uint16_t colleague_port = FreeUdpPort();
  {
    Api admin = ApiAs(kAdmin);
    Reply put = admin.Put("/api/v1/staff/" + std::to_string(StaffId(kAgent3)) + "/sip",
                          boost::json::object{{"extension", "1003"}, {"password", "phone-secret-1003"}});
    ASSERT_EQ(put.status, 200) << put;
    Sipp reg("register", {"-p", std::to_string(colleague_port), "-key", "ext", "1003", "-au", "1003", "-ap",
                          "phone-secret-1003", "-key", "expires", "300", "-m", "1", "-timeout", "15", Target()},
             server().dir());
    ASSERT_EQ(reg.Wait(), 0) << reg.Log();
  }
  Api agent = ApiAs(kAgent);
  Api colleague = ApiAs(kAgent3);
  ASSERT_NO_FATAL_FAILURE(SetPresence(agent, "available"));
  ASSERT_NO_FATAL_FAILURE(SetPresence(colleague, "available"));
  RtpSocket caller_audio, agent_audio, colleague_audio;
  Sipp phone("agent_answer", {"-p", std::to_string(phone_port), "-key", "rtpport",
                              std::to_string(agent_audio.port()), "-m", "1", "-timeout", "120", Target()},
             server().dir());
  Sipp colleague_phone("agent_answer", {"-p", std::to_string(colleague_port), "-key", "rtpport",
                                        std::to_string(colleague_audio.port()), "-m", "1", "-timeout", "120",
                                        Target()},
                       server().dir());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  Sipp caller("caller_hung_up", {"-s", kNumber, "-key", "caller", "07700900808", "-key", "rtpport",
                                 std::to_string(caller_audio.port()), "-m", "1", "-timeout", "120", Target()},
              server().dir());
  ASSERT_TRUE(HearsSpeech(caller_audio));
  caller_audio.SendDigit('1');
  const int64_t item_id = ConnectedCall(agent);
  ASSERT_NE(item_id, 0);
  const std::string item_path = "/api/v1/interactions/" + std::to_string(item_id);
  for (int i = 0; i < 10; ++i) {  // the agent's phone learns where the audio comes from
    caller_audio.SendAudio(0, 0x10);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(agent_audio.Receive(std::chrono::milliseconds(1000)).has_value());

  // Talk to the colleague first: the caller holds (music), agent3's phone rings and answers.
  const int64_t colleague_id = StaffId(kAgent3);
  Reply self = agent.Post(item_path + "/consult", boost::json::object{{"agent_id", StaffId(kAgent)}});
  EXPECT_EQ(self.status, 400) << self;
  Reply early = agent.Post(item_path + "/consult/complete", boost::json::object{});
  EXPECT_EQ(early.status, 409) << "nothing to complete yet: " << early;
  Reply consult = agent.Post(item_path + "/consult", boost::json::object{{"agent_id", colleague_id}});
  ASSERT_EQ(consult.status, 200) << consult;
  EXPECT_EQ(consult.json.at("call").at("consult_agent_id").as_int64(), colleague_id);
  EXPECT_TRUE(consult.json.at("call").at("on_hold").as_bool());
  ASSERT_TRUE(WaitUntil([&] {
    Reply r = agent.Get(item_path);
    return r.status == 200 && r.json.at("call").at("consult_connected").as_bool();
  })) << "the colleague's phone answers";
  RtpSocket::Heard music = caller_audio.Listen(std::chrono::milliseconds(1000), 0xFF);
  EXPECT_GE(music.loud, music.packets / 3) << "the caller hears music while the agents talk";
  // The agents hear each other.
  int heard = 0;
  for (int i = 0; i < 50 && heard < 10; ++i) {
    agent_audio.SendAudio(0, 0x10);
    if (auto p = colleague_audio.Receive(std::chrono::milliseconds(20)); p && !p->payload.empty() && p->payload[0] == 0x10) {
      ++heard;
    }
  }
  EXPECT_GE(heard, 10) << "the agent's voice reaches the colleague";

  // Complete: the first agent's phone is hung up, the call is agent3's.
  const int64_t seq_before = LastEventSeq(agent);
  Reply complete = agent.Post(item_path + "/consult/complete", boost::json::object{});
  ASSERT_EQ(complete.status, 200) << complete;
  EXPECT_EQ(phone.Wait(), 0) << "the first agent's phone gets its BYE\n" << phone.Log();
  ASSERT_EQ(ConnectedCall(colleague), item_id) << LogTail();
  EXPECT_TRUE(Has(RoutingTypes(agent, seq_before, item_id), "routing.transfer"));
  while (colleague_audio.Receive(std::chrono::milliseconds(20))) {
  }
  heard = 0;
  for (int i = 0; i < 50 && heard < 10; ++i) {
    caller_audio.SendAudio(0, 0x10);
    if (auto p = colleague_audio.Receive(std::chrono::milliseconds(20)); p && !p->payload.empty() && p->payload[0] == 0x10) {
      ++heard;
    }
  }
  EXPECT_GE(heard, 10) << "the caller now talks to the colleague" << LogTail();
  EndWrapUp(agent);

  // The colleague ends the call from the desk; the caller answers nothing to
  // the survey and is hung up.
  Reply hangup = colleague.Post(item_path + "/hangup", boost::json::object{});
  ASSERT_EQ(hangup.status, 200) << hangup;
  EXPECT_EQ(colleague_phone.Wait(), 0) << colleague_phone.Log();
  EXPECT_EQ(caller.Wait(std::chrono::seconds(90)), 0) << caller.Log();
  ASSERT_NO_FATAL_FAILURE(CompleteCall(colleague, item_id));
  ASSERT_NO_FATAL_FAILURE(SetPresence(colleague, "offline"));
  ASSERT_NO_FATAL_FAILURE(SetPresence(agent, "offline"));
}


TEST_F(SipTest, DelayedOfferGetsOurOfferAndTheAnswerFromTheAck) {
  // A PBX sending INVITE without SDP: our offer in the 200 (sipp checks it),
  // the answer in its ACK, and then the menu is heard on the answer's port.
  RtpSocket audio;
  Sipp caller("caller_delayed_offer", {"-s", kNumber, "-key", "caller", "07700900909", "-key", "rtpport",
                                       std::to_string(audio.port()), "-set", "holdms", "3000", "-m", "1",
                                       "-timeout", "30", Target()},
              server().dir());
  ASSERT_TRUE(HearsSpeech(audio)) << "the menu reaches the port of the ACK's answer" << caller.Log() << LogTail();
  RtpSocket::Heard menu = audio.Listen(std::chrono::milliseconds(600), 0xD5);
  ASSERT_FALSE(menu.sample.empty());
  EXPECT_EQ(menu.sample[0].pt, 8) << "the codec the answer chose (PCMA)";
  EXPECT_EQ(caller.Wait(), 0) << caller.Log();
}


TEST_F(SipTest, SessionTimerEndsACallWhosePhoneStoppedRefreshing) {
  // RFC 4028: the phone asks for a 120 s session timer it refreshes itself,
  // then never does (its audio keeps flowing, so the RTP inactivity timer
  // cannot be what ends it): onestop's 200 keeps the timer (sipp checks
  // Session-Expires) and onestop sends the BYE when the session expires.
  RtpSocket audio;
  Sipp caller("caller_session_timer", {"-s", kNumber, "-key", "caller", "07700900111", "-key", "rtpport",
                                       std::to_string(audio.port()), "-m", "1", "-timeout", "170", Target()},
              server().dir());
  ASSERT_TRUE(HearsSpeech(audio));
  const auto answered = std::chrono::steady_clock::now();
  std::atomic<bool> talking{true};
  std::thread talk([&] {
    while (talking) {
      audio.SendAudio(0, 0xFF);
      (void)audio.Receive(std::chrono::milliseconds(1));
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  const int rc = caller.Wait(std::chrono::seconds(160));
  talking = false;
  talk.join();
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - answered).count();
  EXPECT_EQ(rc, 0) << caller.Log();
  EXPECT_GE(seconds, 61) << "not the RTP inactivity timer (60 s): the phone kept sending audio";
  EXPECT_LE(seconds, 125) << "the session expired at 120 s";
}

}  // namespace
}  // namespace onestop::integration
