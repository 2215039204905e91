// The telephone suite's fixture (SipTest): one `onestop serve --sip-listen` on
// the seeded demo council for the suite, calls out to a "carrier" sipp
// (--sip-dial), and the helpers the tests share: phones registered with
// sipp, callers, desk items, contacts, the audio heard. Used by
// sip_test.cc (calls in and SIP), sip_desk_test.cc (the desk's call
// control and calls out), sip_recording_test.cc (recording and survey).
#pragma once

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


namespace onestop::integration::sip_testing {


inline constexpr char kNumber[] = "01632960000";
inline constexpr char kExtension[] = "1001";
inline constexpr char kSipPassword[] = "phone-secret-1001";

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

}  // namespace onestop::integration::sip_testing
