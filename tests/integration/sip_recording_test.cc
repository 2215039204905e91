// After and around the conversation: the post-call satisfaction question
// and the recording of a council tax call with its card-payment pause, played
// back by a supervisor (fixture: sip_fixture.h).
#include "sip_fixture.h"

namespace onestop::integration::sip_testing {

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

}  // namespace onestop::integration::sip_testing
