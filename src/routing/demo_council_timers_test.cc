// Every timer-driven routing decision — a routing profile's delay, a queue's
// skill step, ring-no-answer, the end of wrap-up — happens by itself at the
// moment it changes, with the demo council's own routing configuration:
// data/demo/council.json read by codec::ParseCouncilFile, with the files it
// names read next to it, as the seed loads a council file.
//
// Two clocks:
//   - DemoCouncilVirtualClock: the Engine on a virtual clock of nanosecond
//     resolution (like absl::Now(); FakeClock keeps whole microseconds and
//     would hide time arithmetic that rounds), driven only by Tick() at
//     NextTimer(). Decisions must land exactly on their moment.
//   - DemoCouncilRealTime: LiveEngine on the system clock with its timer
//     thread over a SQLite store, the routing half of `onestop serve`. The
//     general queue keeps its real 10 s delay; the other timers (ring 20 s,
//     wrap-up 15 s, the waste step 90 s) would take minutes, so those run on
//     the demo configuration with every time divided by 10 (rounded up to
//     whole seconds, the unit of the file), all scenarios side by side:
//     about 10 s of wall time in all.
#include "routing/demo_council_test_util.h"

#include <optional>

namespace onestop::routing {
namespace {

using namespace demo_test;  // NOLINT: test file

class DemoCouncilVirtualClock : public ::testing::Test {
 protected:
  NanoClock clock_{Start()};
  DemoEngine demo_{clock_};
};

// The issue: an available contact-centre agent, a call to `general` (held
// back 10 s by the agent's profile) — offered at 10 s by itself, not when
// the agent's presence is set again.
TEST_F(DemoCouncilVirtualClock, GeneralCallIsOfferedWhenTheProfileDelayEnds) {
  demo_.Available(kAgent);
  demo_.Run(absl::Milliseconds(1500) + absl::Nanoseconds(333));
  const absl::Time entered = clock_.Now();
  const int64_t call = demo_.Call("general");
  EXPECT_EQ(demo_.State(call), ItemState::kWaiting);
  EXPECT_EQ(demo_.engine().WaitingItems("general").size(), 1u);
  EXPECT_EQ(demo_.engine().NextTimer(), entered + absl::Seconds(10));

  demo_.Run(absl::Seconds(10) - absl::Nanoseconds(1));
  EXPECT_EQ(demo_.State(call), ItemState::kWaiting) << "offered before the profile delay";

  demo_.Run(absl::Seconds(1));
  std::vector<RoutingEvent> offers = demo_.Events("offer", call);
  ASSERT_EQ(offers.size(), 1u) << "still waiting 11 s after a 10 s delay";
  EXPECT_EQ(offers[0].agent_id, DemoEngine::AgentId(kAgent));
  EXPECT_EQ(offers[0].at, entered + absl::Seconds(10));
  EXPECT_EQ(offers[0].wait_seconds, 10.0);
}

// waste needs waste:2; after 90 s (keep_skills 0) any agent of the queue may
// take the call.
TEST_F(DemoCouncilVirtualClock, WasteCallReachesAnyAgentAtTheNinetySecondStep) {
  demo_.Available(kAgent3);
  demo_.Run(absl::Nanoseconds(777));
  const absl::Time entered = clock_.Now();
  const int64_t call = demo_.Call("waste");
  demo_.Run(absl::Seconds(90) - absl::Nanoseconds(1));
  EXPECT_EQ(demo_.State(call), ItemState::kWaiting) << "offered before the skill step";

  demo_.Run(absl::Seconds(1));
  std::vector<RoutingEvent> offers = demo_.Events("offer", call);
  ASSERT_EQ(offers.size(), 1u) << "still waiting after the 90 s step";
  EXPECT_EQ(offers[0].agent_id, DemoEngine::AgentId(kAgent3));
  EXPECT_EQ(offers[0].at, entered + absl::Seconds(90));
}

// An offer rings 20 s; then it is a no-answer (ring exactly 20 s) and the
// call goes to the next agent at that instant.
TEST_F(DemoCouncilVirtualClock, RingNoAnswerReoffersAtTheTimeout) {
  demo_.Available(kAgent);
  demo_.Run(absl::Seconds(1));
  demo_.Available(kAgent3);
  demo_.Run(absl::Seconds(1) + absl::Nanoseconds(901));
  const absl::Time entered = clock_.Now();
  const int64_t call = demo_.Call("general");

  demo_.Run(absl::Seconds(11));
  std::vector<RoutingEvent> offers = demo_.Events("offer", call);
  ASSERT_EQ(offers.size(), 1u);
  EXPECT_EQ(offers[0].agent_id, DemoEngine::AgentId(kAgent));  // the longer idle
  EXPECT_EQ(offers[0].at, entered + absl::Seconds(10));

  demo_.Run(absl::Seconds(20));
  std::vector<RoutingEvent> misses = demo_.Events("no_answer", call);
  ASSERT_EQ(misses.size(), 1u) << "the ring timeout never fired";
  EXPECT_EQ(misses[0].at, entered + absl::Seconds(30));
  EXPECT_EQ(misses[0].ring_seconds, 20.0);
  offers = demo_.Events("offer", call);
  ASSERT_EQ(offers.size(), 2u) << "not offered to the next agent";
  EXPECT_EQ(offers[1].agent_id, DemoEngine::AgentId(kAgent3));
  EXPECT_EQ(offers[1].at, entered + absl::Seconds(30));
  EXPECT_TRUE(demo_.engine().Accept(call, DemoEngine::AgentId(kAgent3)).ok());
}

// general wraps up for 15 s. A call that arrives during wrap-up, its delay
// already over, is offered the instant wrap-up ends; one whose delay ends
// after wrap-up is offered when its delay ends.
TEST_F(DemoCouncilVirtualClock, WrapUpEndsByItself) {
  const int64_t agent = DemoEngine::AgentId(kAgent);
  demo_.Available(agent);
  const int64_t first = demo_.Call("general");
  demo_.Run(absl::Seconds(10));
  ASSERT_EQ(demo_.State(first), ItemState::kOffered);
  ASSERT_TRUE(demo_.engine().Accept(first, agent).ok());
  demo_.Run(absl::Seconds(60) + absl::Nanoseconds(3));
  const int64_t second = demo_.Call("general");  // waits: the agent is busy
  demo_.Run(absl::Seconds(20));
  const absl::Time completed = clock_.Now();
  ASSERT_TRUE(demo_.engine().Complete(first, agent).ok());
  EXPECT_EQ(demo_.engine().Agent(agent)->shown, Presence::kWrapUp);

  demo_.Run(absl::Seconds(15) - absl::Nanoseconds(1));
  EXPECT_EQ(demo_.State(second), ItemState::kWaiting);
  demo_.Run(absl::Seconds(1));
  std::vector<RoutingEvent> offers = demo_.Events("offer", second);
  ASSERT_EQ(offers.size(), 1u) << "wrap-up never ended";
  EXPECT_EQ(offers[0].at, completed + absl::Seconds(15));
  ASSERT_TRUE(demo_.engine().Accept(second, agent).ok());

  demo_.Run(absl::Seconds(30));
  const absl::Time completed_second = clock_.Now();
  ASSERT_TRUE(demo_.engine().Complete(second, agent).ok());
  demo_.Run(absl::Seconds(10) + absl::Nanoseconds(17));
  const absl::Time entered_third = clock_.Now();
  const int64_t third = demo_.Call("general");
  demo_.Run(absl::Seconds(11));
  EXPECT_EQ(demo_.engine().Agent(agent)->shown, Presence::kBusy);
  offers = demo_.Events("offer", third);
  ASSERT_EQ(offers.size(), 1u);
  EXPECT_EQ(offers[0].at, entered_third + absl::Seconds(10));
  bool wrap_ended = false;
  for (const RoutingEvent& e : demo_.events()) {
    if (e.type == "wrap_up_end" && e.at == completed_second + absl::Seconds(15)) wrap_ended = true;
  }
  EXPECT_TRUE(wrap_ended);
}

// A restart in the middle of the delay (events through the store's form,
// times in whole microseconds) keeps the timer.
TEST_F(DemoCouncilVirtualClock, RestartDuringTheDelayStillOffersWhenItEnds) {
  demo_.Available(kAgent);
  const absl::Time entered = clock_.Now();
  const int64_t call = demo_.Call("general");
  demo_.Run(absl::Seconds(4) + absl::Nanoseconds(5));

  DemoEngine restarted(clock_);
  for (RoutingEvent e : demo_.events()) {
    domain::Event stored = ToDomainEvent(e);
    stored.at = absl::FromUnixMicros(absl::ToUnixMicros(stored.at));
    absl::StatusOr<RoutingEvent> back = FromDomainEvent(stored);
    ASSERT_TRUE(back.ok()) << back.status();
    ASSERT_TRUE(restarted.engine().Replay(*back).ok()) << e.type;
  }
  restarted.engine().FinishReplay();
  EXPECT_EQ(restarted.State(call), ItemState::kWaiting);
  restarted.Run(absl::Seconds(7));
  std::vector<RoutingEvent> offers = restarted.Events("offer", call);
  ASSERT_EQ(offers.size(), 1u);
  const absl::Time entered_as_stored = absl::FromUnixMicros(absl::ToUnixMicros(entered));
  EXPECT_EQ(offers[0].at, entered_as_stored + absl::Seconds(10));
}

// A supervisor shortens the general delay (10 s → 4 s) while a call waits:
// the call is offered 4 s after it entered, not at the old 10 s.
TEST_F(DemoCouncilVirtualClock, ShorterProfileDelayWhileACallWaits) {
  demo_.Available(kAgent);
  const absl::Time entered = clock_.Now();
  const int64_t call = demo_.Call("general");
  demo_.Run(absl::Seconds(1) + absl::Nanoseconds(9));
  const size_t idx = static_cast<size_t>(DemoEngine::AgentId(kAgent)) - 1;
  AgentConfig changed = DemoEngine::AgentAt(idx);
  for (ProfileEntry& line : changed.profile) {
    if (line.queue == "general") line.delay_seconds = 4;
  }
  ASSERT_TRUE(demo_.engine().UpsertAgent(changed).ok());
  EXPECT_EQ(demo_.State(call), ItemState::kWaiting);
  demo_.Run(absl::Seconds(4));
  std::vector<RoutingEvent> offers = demo_.Events("offer", call);
  ASSERT_EQ(offers.size(), 1u);
  EXPECT_EQ(offers[0].at, entered + absl::Seconds(4));
}

// The waste step is brought forward (90 s → 30 s) while a call waits.
TEST_F(DemoCouncilVirtualClock, EarlierSkillStepWhileACallWaits) {
  demo_.Available(kAgent3);
  const absl::Time entered = clock_.Now();
  const int64_t call = demo_.Call("waste");
  demo_.Run(absl::Seconds(10) + absl::Nanoseconds(9));
  QueueConfig waste = *demo_.engine().GetQueue("waste");
  ASSERT_EQ(waste.steps.size(), 1u);
  waste.steps[0].after_seconds = 30;
  ASSERT_TRUE(demo_.engine().UpsertQueue(waste).ok());
  demo_.Run(absl::Seconds(30));
  std::vector<RoutingEvent> offers = demo_.Events("offer", call);
  ASSERT_EQ(offers.size(), 1u);
  EXPECT_EQ(offers[0].at, entered + absl::Seconds(30));
}

// ... or to a moment already passed: the call is due at once (a timer at the
// time of the change, which the next Tick runs).
TEST_F(DemoCouncilVirtualClock, SkillStepMovedIntoThePastWhileACallWaits) {
  demo_.Available(kAgent3);
  const int64_t call = demo_.Call("waste");
  demo_.Run(absl::Seconds(40) + absl::Nanoseconds(9));
  QueueConfig waste = *demo_.engine().GetQueue("waste");
  waste.steps[0].after_seconds = 30;
  const absl::Time changed = clock_.Now();
  ASSERT_TRUE(demo_.engine().UpsertQueue(waste).ok());
  EXPECT_EQ(demo_.engine().NextTimer(), changed);
  demo_.Run(absl::ZeroDuration());
  std::vector<RoutingEvent> offers = demo_.Events("offer", call);
  ASSERT_EQ(offers.size(), 1u);
  EXPECT_EQ(offers[0].at, changed);
}

// When may this agent take a fresh item of `queue` (its default skills)? The
// earliest of 0, the profile delay and each skill step at which the delay
// is over and the agent meets what the steps still require; nullopt if never.
// Written from the configuration's documented meaning, not from the engine.
std::optional<int> FirstMoment(const QueueConfig& queue, const AgentConfig& agent) {
  auto line = std::find_if(agent.profile.begin(), agent.profile.end(),
                           [&](const ProfileEntry& p) { return p.queue == queue.id; });
  if (line == agent.profile.end()) return std::nullopt;
  auto level = [&](const std::string& skill) {
    for (const AgentSkill& s : agent.skills) {
      if (s.skill == skill) return s.level;
    }
    return 0;
  };
  std::vector<SkillStep> steps = queue.steps;
  std::stable_sort(steps.begin(), steps.end(), [](const SkillStep& x, const SkillStep& y) {
    return x.after_seconds < y.after_seconds;
  });
  std::vector<int> moments = {0, line->delay_seconds};
  for (const SkillStep& step : steps) moments.push_back(step.after_seconds);
  std::sort(moments.begin(), moments.end());
  for (int t : moments) {
    if (t < line->delay_seconds) continue;
    // The last step reached by t decides.
    int keep = static_cast<int>(queue.skills.size());
    int drop = 0;
    for (const SkillStep& step : steps) {
      if (step.after_seconds > t) break;
      keep = step.keep_skills < 0 ? static_cast<int>(queue.skills.size())
                                  : std::min<int>(step.keep_skills, queue.skills.size());
      drop = step.level_drop;
    }
    bool meets = true;
    for (int r = 0; r < keep; ++r) {
      meets = meets && level(queue.skills[r].skill) >= std::max(1, queue.skills[r].min_level - drop);
    }
    if (meets) return t;
  }
  return std::nullopt;
}

// Every queue of the demo, every staff member whose profile lists it, alone
// and free: the call is offered at the first moment the agent may take it —
// never later (nor earlier).
TEST(DemoCouncilVirtualClockAllQueues, OfferedTheMomentTheFreeAgentMayTakeIt) {
  int checked = 0;
  for (const domain::RoutingQueue& stored : Demo().routing_queues) {
    absl::StatusOr<QueueConfig> queue = ToQueueConfig(stored);
    ASSERT_TRUE(queue.ok()) << queue.status();
    for (size_t idx = 0; idx < Demo().staff.size(); ++idx) {
      const AgentConfig agent = DemoEngine::AgentAt(idx);
      std::optional<int> moment = FirstMoment(*queue, agent);
      if (!moment) continue;
      // Any media the agent takes (voice first, then in Media order).
      std::optional<Media> media;
      for (int m = 0; m < kMediaCount && !media; ++m) {
        if (agent.capacity[m] > 0) media = static_cast<Media>(m);
      }
      if (!media) continue;
      SCOPED_TRACE(absl::StrCat(queue->id, " / ", agent.name, " / ", std::string(MediaName(*media)), " at ",
                                *moment, " s"));
      NanoClock clock(Start());
      DemoEngine demo(clock);
      demo.Available(agent.id);
      demo.Run(absl::Nanoseconds(431));
      const absl::Time entered = clock.Now();
      const int64_t call = demo.Call(queue->id, *media);
      if (*moment > 0) {
        demo.Run(absl::Seconds(*moment) - absl::Nanoseconds(1));
        EXPECT_EQ(demo.State(call), ItemState::kWaiting);
      }
      demo.Run(absl::Seconds(1));
      std::vector<RoutingEvent> offers = demo.Events("offer", call);
      ASSERT_EQ(offers.size(), 1u);
      EXPECT_EQ(offers[0].agent_id, agent.id);
      EXPECT_EQ(offers[0].at, entered + absl::Seconds(*moment));
      ++checked;
    }
  }
  EXPECT_GE(checked, 15);  // 12 queues, several agents each
}

// ---- real time ----

// A SQLite store in a temp dir, seeded with a council file's routing queues,
// profiles and staff as the seed writes them, and a LiveEngine on the system
// clock with its timer thread. Records every event with the wall-clock time
// its listener saw it.

}  // namespace
}  // namespace onestop::routing
