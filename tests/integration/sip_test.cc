// The telephone, end to end through the real binary: `onestop serve
// --sip-listen 127.0.0.1:0` on the seeded demo council, sipp (Debian
// sip-tester) as the resident's phone and as the agent's registered phone,
// and the test's own UDP sockets as the audio of both (the SDP sipp sends
// names them), so the test hears the IVR, presses digits by RFC 4733 and
// checks that audio is relayed both ways once the call is bridged. The
// routing engine's items, the contact (one per call, with its duration) and
// the events are asserted through the API, as well as the SIP outcomes.
#include "sip_fixture.h"

namespace onestop::integration::sip_testing {

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

}  // namespace onestop::integration::sip_testing
