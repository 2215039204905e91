// DemoCouncilRealTime: every timer of the demo council's routing fires on
// time on the system clock — LiveEngine with its timer thread over a SQLite
// store, the routing half of `onestop serve`. See demo_council_timers_test.cc
// for the virtual-clock half and why the times are scaled.
#include "routing/demo_council_test_util.h"

namespace onestop::routing {
namespace {

using namespace demo_test;  // NOLINT: test file

class LiveDemo {
 public:
  struct Seen {
    RoutingEvent event;
    absl::Time received;
  };

  explicit LiveDemo(const codec::CouncilFile& council) {
    dir_ = std::filesystem::temp_directory_path() /
           absl::StrCat("onestop-routing-demo-", std::random_device{}(), "-", ++counter_);
    std::filesystem::create_directories(dir_);
    status_ = Open(council);
  }
  ~LiveDemo() {
    if (engine_) engine_->Stop();
    engine_.reset();
    if (store_) store_->Close();
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  const absl::Status& status() const { return status_; }
  LiveEngine& engine() { return *engine_; }
  int64_t Staff(const std::string& email) const {
    auto it = staff_ids_.find(email);
    return it == staff_ids_.end() ? 0 : it->second;
  }

  // The first event of `type` for `item_id` (and `agent_id` unless 0) after
  // the first `skip` such events, waiting for it until `deadline` (real time).
  std::optional<Seen> WaitFor(const std::string& type, int64_t item_id, int64_t agent_id,
                              absl::Time deadline, int skip = 0) {
    std::unique_lock lock(mu_);
    std::optional<Seen> found;
    seen_changed_.wait_until(lock, absl::ToChronoTime(deadline), [&] {
      int matches = 0;
      for (const Seen& s : seen_) {
        if (s.event.type != type || s.event.item_id != item_id) continue;
        if (agent_id != 0 && s.event.agent_id != agent_id) continue;
        if (matches++ == skip) {
          found = s;
          return true;
        }
      }
      return false;
    });
    return found;
  }

 private:
  absl::Status Open(const codec::CouncilFile& council) {
    absl::StatusOr<std::unique_ptr<store::sqlite::SqliteStore>> store =
        store::sqlite::SqliteStore::Open((dir_ / "demo.db").string());
    if (!store.ok()) return store.status();
    store_ = std::move(*store);
    if (absl::Status s = store_->Migrate(); !s.ok()) return s;
    for (const domain::RoutingQueue& q : council.routing_queues) {
      if (absl::Status s = store_->Write([&](domain::WriteTxn& txn) { return txn.PutRoutingQueue(q); });
          !s.ok()) {
        return s;
      }
    }
    for (const domain::RoutingProfile& p : council.routing_profiles) {
      if (absl::Status s = store_->Write([&](domain::WriteTxn& txn) { return txn.PutRoutingProfile(p); });
          !s.ok()) {
        return s;
      }
    }
    for (const codec::DemoStaff& s : council.staff) {
      domain::StaffUser record = StaffRecord(s);
      record.created_at = absl::Now();
      absl::Status written = store_->Write([&](domain::WriteTxn& txn) -> absl::Status {
        absl::StatusOr<int64_t> id = txn.InsertStaff(record);
        if (!id.ok()) return id.status();
        staff_ids_[s.email] = *id;
        return absl::OkStatus();
      });
      if (!written.ok()) return written;
    }
    engine_ = std::make_unique<LiveEngine>(*store_, clock_);
    engine_->Subscribe([this](const std::vector<RoutingEvent>& events) {
      const absl::Time now = absl::Now();
      {
        std::lock_guard lock(mu_);
        for (const RoutingEvent& e : events) seen_.push_back({e, now});
      }
      seen_changed_.notify_all();
    });
    return engine_->Start();
  }

  static inline std::atomic<int> counter_{0};
  std::filesystem::path dir_;
  absl::Status status_;
  SystemClock clock_;
  std::unique_ptr<store::sqlite::SqliteStore> store_;
  std::map<std::string, int64_t> staff_ids_;
  std::unique_ptr<LiveEngine> engine_;
  std::mutex mu_;
  std::condition_variable seen_changed_;
  std::vector<Seen> seen_;  // GUARDED_BY(mu_)
};

// How late a timer-driven decision may reach the listener, in real time.
constexpr absl::Duration kBound = absl::Seconds(1);

// `seen` happened exactly `after` past `since` (engine time) and was seen
// (wall clock) no later than kBound after that.
void ExpectOnTime(const std::optional<LiveDemo::Seen>& seen, absl::Time since, absl::Duration after,
                  const std::string& what) {
  ASSERT_TRUE(seen.has_value()) << what << ": nothing within " << after << " + " << kBound;
  EXPECT_EQ(seen->event.at, since + after) << what;
  EXPECT_GE(seen->received - since, after) << what;
  EXPECT_LT(seen->received - since, after + kBound) << what;
}

absl::Time Entered(LiveDemo& demo, int64_t item_id) {
  std::optional<ItemView> item = demo.engine().Item(item_id);
  EXPECT_TRUE(item.has_value());
  return item ? item->entered_at : absl::InfinitePast();
}

// The issue as reported, on the unchanged demo configuration: available
// agent, general call, offered 10 s later without anyone touching anything.
void GeneralDelayInRealTime() {
  LiveDemo demo(Demo());
  ASSERT_TRUE(demo.status().ok()) << demo.status();
  const int64_t agent = demo.Staff(kAgent);
  ASSERT_TRUE(demo.engine().SetPresence(agent, Presence::kAvailable, "").ok());
  absl::StatusOr<Arrival> call = demo.engine().AddItem(Call("general"));
  ASSERT_TRUE(call.ok()) << call.status();
  EXPECT_EQ(call->state, ItemState::kWaiting);
  EXPECT_EQ(call->position, 1);
  const absl::Time entered = Entered(demo, call->item_id);
  ExpectOnTime(demo.WaitFor("offer", call->item_id, agent, entered + absl::Seconds(10) + kBound),
               entered, absl::Seconds(10), "general, profile delay 10 s");
}

// waste (÷10: step at 9 s) to a contact-centre agent without the waste skill.
void SkillStepInRealTime(const codec::CouncilFile& scaled) {
  LiveDemo demo(scaled);
  ASSERT_TRUE(demo.status().ok()) << demo.status();
  const int64_t agent = demo.Staff(kAgent3);
  ASSERT_TRUE(demo.engine().SetPresence(agent, Presence::kAvailable, "").ok());
  absl::StatusOr<Arrival> call = demo.engine().AddItem(Call("waste"));
  ASSERT_TRUE(call.ok()) << call.status();
  EXPECT_EQ(call->state, ItemState::kWaiting);
  const absl::Time entered = Entered(demo, call->item_id);
  ExpectOnTime(demo.WaitFor("offer", call->item_id, agent, entered + absl::Seconds(9) + kBound),
               entered, absl::Seconds(9), "waste, skill step 90 s / 10");
}

// general (÷10: delay 1 s, ring 2 s): offered after the delay to the longer
// idle agent, no answer, re-offered to the other at the ring timeout.
void RingNoAnswerInRealTime(const codec::CouncilFile& scaled) {
  LiveDemo demo(scaled);
  ASSERT_TRUE(demo.status().ok()) << demo.status();
  const int64_t first = demo.Staff(kAgent);
  const int64_t second = demo.Staff(kAgent3);
  ASSERT_TRUE(demo.engine().SetPresence(first, Presence::kAvailable, "").ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_TRUE(demo.engine().SetPresence(second, Presence::kAvailable, "").ok());
  absl::StatusOr<Arrival> call = demo.engine().AddItem(Call("general"));
  ASSERT_TRUE(call.ok()) << call.status();
  const absl::Time entered = Entered(demo, call->item_id);
  ExpectOnTime(demo.WaitFor("offer", call->item_id, first, entered + absl::Seconds(1) + kBound),
               entered, absl::Seconds(1), "general, profile delay 10 s / 10");
  const absl::Time deadline = entered + absl::Seconds(3) + kBound;
  std::optional<LiveDemo::Seen> miss = demo.WaitFor("no_answer", call->item_id, first, deadline);
  ExpectOnTime(miss, entered, absl::Seconds(3), "general, ring timeout 20 s / 10");
  if (miss) {
    EXPECT_EQ(miss->event.ring_seconds, 2.0);
  }
  ExpectOnTime(demo.WaitFor("offer", call->item_id, second, deadline), entered, absl::Seconds(3),
               "general, re-offer after the ring timeout");
}

// general (÷10: wrap-up 2 s) at the counter agent (no delay for general):
// the next call waits out the wrap-up and is offered when it ends.
void WrapUpInRealTime(const codec::CouncilFile& scaled) {
  LiveDemo demo(scaled);
  ASSERT_TRUE(demo.status().ok()) << demo.status();
  const int64_t agent = demo.Staff(kAgent2);
  ASSERT_TRUE(demo.engine().SetPresence(agent, Presence::kAvailable, "").ok());
  absl::StatusOr<Arrival> first = demo.engine().AddItem(Call("general"));
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->state, ItemState::kOffered);
  ASSERT_TRUE(demo.engine().Accept(first->item_id, agent).ok());
  ASSERT_TRUE(demo.engine().Complete(first->item_id, agent).ok());
  std::optional<LiveDemo::Seen> completed =
      demo.WaitFor("complete", first->item_id, agent, absl::Now() + absl::Seconds(1));
  ASSERT_TRUE(completed.has_value());
  absl::StatusOr<Arrival> second = demo.engine().AddItem(Call("general"));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->state, ItemState::kWaiting);
  const absl::Time since = completed->event.at;
  const absl::Time deadline = since + absl::Seconds(2) + kBound;
  ExpectOnTime(demo.WaitFor("wrap_up_end", 0, agent, deadline), since, absl::Seconds(2),
               "general, wrap-up 15 s / 10");
  ExpectOnTime(demo.WaitFor("offer", second->item_id, agent, deadline), since, absl::Seconds(2),
               "general, offer when wrap-up ends");
}

// A profile change that gives a waiting item its first timer and emits no
// event (counter staff may now take waste-collection case tasks, after 3 s):
// the timer thread, idle with no timer at all, must still wake for it.
void ProfileChangeInRealTime(const codec::CouncilFile& scaled) {
  LiveDemo demo(scaled);
  ASSERT_TRUE(demo.status().ok()) << demo.status();
  const int64_t agent = demo.Staff(kAgent2);
  ASSERT_TRUE(demo.engine().SetPresence(agent, Presence::kAvailable, "").ok());
  absl::StatusOr<Arrival> task =
      demo.engine().AddItem(Call("cases-waste-collections", Media::kCaseTask));
  ASSERT_TRUE(task.ok()) << task.status();
  EXPECT_EQ(task->state, ItemState::kWaiting);
  const absl::Time entered = Entered(demo, task->item_id);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the timer thread goes idle
  auto profile = std::find_if(scaled.routing_profiles.begin(), scaled.routing_profiles.end(),
                              [](const domain::RoutingProfile& p) {
                                return p.team == "customer-service-centre";
                              });
  ASSERT_NE(profile, scaled.routing_profiles.end());
  domain::RoutingProfile changed = *profile;
  changed.queues.push_back({"cases-waste-collections", 4, 3});
  changed.capacity[static_cast<int>(Media::kCaseTask)] = 1;
  ASSERT_TRUE(demo.engine().PutProfile(changed).ok());
  EXPECT_EQ(demo.engine().Item(task->item_id)->state, ItemState::kWaiting);
  ExpectOnTime(demo.WaitFor("offer", task->item_id, agent, entered + absl::Seconds(3) + kBound),
               entered, absl::Seconds(3), "a delay added while the task waits");
}

TEST(DemoCouncilRealTime, EveryTimerFiresOnTimeOnTheSystemClock) {
  const codec::CouncilFile scaled = ScaledDown(Demo(), 10);
  std::vector<std::thread> scenarios;
  scenarios.emplace_back(GeneralDelayInRealTime);
  scenarios.emplace_back([&] { SkillStepInRealTime(scaled); });
  scenarios.emplace_back([&] { RingNoAnswerInRealTime(scaled); });
  scenarios.emplace_back([&] { WrapUpInRealTime(scaled); });
  scenarios.emplace_back([&] { ProfileChangeInRealTime(scaled); });
  for (std::thread& t : scenarios) t.join();
}


}  // namespace
}  // namespace onestop::routing
