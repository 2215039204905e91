// The desk's control of a call, through the real binary and sipp phones:
// hold with music and hang-up, a queued caller's call back, click-to-dial
// from a resident's record, and the consultative transfer (fixture:
// sip_fixture.h).
#include "sip_fixture.h"

namespace onestop::integration::sip_testing {

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

// The agent presses hold on their own phone (a re-INVITE with a=sendonly):
// the caller hears music as when held from the desk, and the bar shows the
// hold; the phone taking the call off hold (a=sendrecv) bridges them again.
TEST_F(SipTest, HoldFromThePhoneItselfPlaysMusicToo) {
  Api agent = ApiAs(kAgent);
  PhoneCall call;
  ASSERT_NO_FATAL_FAILURE(ConnectPhoneCall(call, agent, "agent_holds",
                                           {"-set", "holdafterms", "2000", "-set", "heldms", "3000", "-set",
                                            "talkms", "1500", "-timeout", "60"},
                                           "caller_hung_up", "07700900405", {"-timeout", "120"}, '1'));
  // The agent's desk channel: the phone's hold is pushed to the bar (no
  // routing event happens, so only the telephone can say so).
  StaffSocket desk(port(), "/staff/ws/desk", TokenFor(kAgent));
  ASSERT_FALSE(desk.error()) << desk.error().message();
  (void)desk.ReadUntil([](const boost::json::object& m) { return m.contains("type") && m.at("type") == "desk"; },
                       std::chrono::seconds(2));  // the first state, on connecting
  auto on_hold = [&] {
    Reply r = agent.Get(call.item_path);
    return r.status == 200 && r.json.as_object().contains("call") && r.json.at("call").at("on_hold").as_bool();
  };
  EXPECT_TRUE(desk.ReadUntil([](const boost::json::object& m) { return m.contains("type") && m.at("type") == "desk"; },
                             std::chrono::seconds(4)))
      << "the desk was not pushed when the phone held the call";
  ASSERT_TRUE(WaitUntil(on_hold, std::chrono::seconds(5))) << "the phone's hold never showed\n" << LogTail();
  RtpSocket::Heard music = call.caller_audio.Listen(std::chrono::milliseconds(1200), 0xFF);
  EXPECT_GE(music.packets, 40) << "music is sent at 50 packets a second";
  EXPECT_GE(music.loud, music.packets / 3) << "hold music, not silence";

  ASSERT_TRUE(WaitUntil([&] { return !on_hold(); }, std::chrono::seconds(5))) << "the phone's resume never showed";
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  while (call.caller_audio.Receive(std::chrono::milliseconds(30))) {
  }
  RtpSocket::Heard after = call.caller_audio.Listen(std::chrono::milliseconds(500), 0xFF);
  EXPECT_LE(after.loud, 3) << "the music stops when the phone takes the call off hold";

  EXPECT_EQ(call.phone->Wait(), 0) << call.phone->Log();
  EXPECT_EQ(call.caller->Wait(std::chrono::seconds(90)), 0) << call.caller->Log();
  ASSERT_NO_FATAL_FAILURE(CompleteCall(agent, call.item_id));
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

}  // namespace onestop::integration::sip_testing
