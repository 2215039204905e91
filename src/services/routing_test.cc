#include "services/routing.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"

#include "gtest/gtest.h"
#include "routing/live_engine.h"
#include "services/testing/fixture.h"

namespace onestop::services {
namespace {

using routing::ItemState;
using routing::Presence;

TEST(RoutingEventMapping, RoundTripsEveryField) {
  routing::RoutingEvent e;
  e.at = absl::FromUnixMicros(1'700'000'000'123'456);
  e.type = "complete";
  e.item_id = 42;
  e.queue = "council-tax";
  e.agent_id = 7;
  e.media = routing::Media::kChat;
  e.priority = -3;
  e.skills = {{"welsh", 2}, {"council-tax", 4}};
  e.caller = "01632 960001";
  e.reference = "ABCD-EFGH";
  e.wait_seconds = 12.345678901234;
  e.ring_seconds = 0.1;
  e.talk_seconds = 301.5;
  e.position = 3;
  e.original_position = 5;
  e.presence = "on_break";
  e.reason = "lunch";
  e.to_queue = "bins";
  e.to_agent = 9;
  e.wrap_up_seconds = 30;
  domain::Event stored = routing::ToDomainEvent(e);
  EXPECT_EQ(stored.entity, "routing");
  EXPECT_EQ(stored.type, "routing.complete");
  auto back = routing::FromDomainEvent(stored);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, e);
  EXPECT_EQ(*routing::FromDomainEvent(routing::ToDomainEvent(routing::RoutingEvent{})),
            routing::RoutingEvent{});
}

// Every agent, queue and live item of an engine, as text to compare.
std::string Describe(const routing::LiveEngine& engine) {
  std::string out;
  for (const routing::AgentView& a : engine.Agents()) {
    // An agent who never logged on is "offline since the engine learnt of
    // them" — start-up time, not routing state, so it is left out.
    const bool logged_on = a.chosen != routing::Presence::kOffline || a.no_answers > 0;
    absl::StrAppend(&out, "agent ", a.id, " ", std::string(routing::PresenceName(a.chosen)), "/",
                    std::string(routing::PresenceName(a.shown)), " since ",
                    logged_on ? absl::FormatTime(a.state_since) : "-", " no_answers ", a.no_answers,
                    " items");
    for (int64_t id : a.items) absl::StrAppend(&out, " ", id);
    for (int load : a.load) absl::StrAppend(&out, " load ", load);
    out += "\n";
    for (int64_t id : a.items) {
      auto item = engine.Item(id);
      absl::StrAppend(&out, "  item ", id, " state ", static_cast<int>(item->state), " agent ",
                      item->agent_id, " entered ", absl::FormatTime(item->entered_at), " caller ",
                      item->caller, "\n");
    }
  }
  for (const routing::QueueView& q : engine.QueueViews()) {
    absl::StrAppend(&out, "queue ", q.id, " waiting ", q.waiting, " oldest ",
                    absl::FormatTime(q.oldest_entered_at));
    for (int n : q.agents_by_state) absl::StrAppend(&out, " ", n);
    out += "\n";
  }
  for (const auto& [queue, f] : engine.Figures()) {
    absl::StrAppend(&out, "figures ", queue, " ", f.offered, " ", f.answered, " ", f.abandoned, " ",
                    f.completed, " ", f.total_wait_answered, "\n");
  }
  return out;
}

class RoutingDeskTest : public testing::ServicesTest {
 protected:
  void SetUp() override {
    engine_ = std::make_unique<routing::LiveEngine>(*store_, clock_, Options());
    ASSERT_TRUE(engine_->Start().ok());
    desk_ = std::make_unique<RoutingDesk>(deps(), *engine_);
    domain::RoutingQueue q;
    q.code = "council-tax";
    q.name = "Council Tax";
    q.wrap_up_seconds = 30;
    auto put = desk_->PutQueue(admin_, q);
    ASSERT_TRUE(put.ok()) << put.status();
  }
  static routing::LiveOptions Options() {
    routing::LiveOptions options;
    options.timer_thread = false;
    return options;
  }
  // Simulates a restart: a new engine (and desk) over the same store.
  void Restart() {
    desk_.reset();
    engine_.reset();
    engine_ = std::make_unique<routing::LiveEngine>(*store_, clock_, Options());
    ASSERT_TRUE(engine_->Start().ok());
    desk_ = std::make_unique<RoutingDesk>(deps(), *engine_);
  }
  InteractionRequest Call(const std::string& caller) {
    InteractionRequest r;
    r.queue = "council-tax";
    r.caller = caller;
    return r;
  }

  std::unique_ptr<routing::LiveEngine> engine_;
  std::unique_ptr<RoutingDesk> desk_;
};

TEST_F(RoutingDeskTest, OfferAcceptCompleteAndRestartKeepsState) {
  auto waiting = desk_->AddInteraction(agent_, Call("01632 960001"));
  ASSERT_TRUE(waiting.ok()) << waiting.status();
  EXPECT_EQ(waiting->position, 1);
  EXPECT_EQ(waiting->state, ItemState::kWaiting);

  ASSERT_TRUE(desk_->SetPresence(agent_, "available", "").ok());
  auto item = engine_->Item(waiting->item_id);
  ASSERT_TRUE(item.has_value());
  EXPECT_EQ(item->state, ItemState::kOffered);
  EXPECT_EQ(item->agent_id, agent_.staff_id);

  clock_.Advance(absl::Seconds(5));
  ASSERT_TRUE(desk_->Accept(agent_, waiting->item_id).ok());
  auto second = desk_->AddInteraction(agent_, Call("01632 960002"));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->position, 1);  // the agent is busy

  auto agent_before = engine_->Agent(agent_.staff_id);
  auto first_before = engine_->Item(waiting->item_id);
  auto second_before = engine_->Item(second->item_id);
  const std::string everything_before = Describe(*engine_);
  Restart();
  EXPECT_EQ(engine_->skipped_on_replay(), 0);
  EXPECT_EQ(Describe(*engine_), everything_before);
  EXPECT_EQ(engine_->Agent(agent_.staff_id)->shown, Presence::kBusy);
  EXPECT_EQ(engine_->Agent(agent_.staff_id)->items, agent_before->items);
  EXPECT_EQ(engine_->Item(waiting->item_id)->state, first_before->state);
  EXPECT_EQ(engine_->Item(second->item_id)->state, ItemState::kWaiting);
  EXPECT_EQ(engine_->Item(second->item_id)->entered_at, second_before->entered_at);
  EXPECT_EQ(engine_->Position(second->item_id), 1);

  // The item counts again: completing frees the agent into wrap-up, the
  // wrap-up timer brings it back and it gets the waiting call.
  clock_.Advance(absl::Seconds(60));
  ASSERT_TRUE(desk_->Complete(agent_, waiting->item_id).ok());
  EXPECT_EQ(engine_->Agent(agent_.staff_id)->shown, Presence::kWrapUp);
  clock_.Advance(absl::Seconds(31));
  ASSERT_TRUE(engine_->TickForTest().ok());
  EXPECT_EQ(engine_->Item(second->item_id)->state, ItemState::kOffered);

  auto figures = engine_->Figures();
  EXPECT_EQ(figures["council-tax"].offered, 2);
  EXPECT_EQ(figures["council-tax"].answered, 1);
  EXPECT_EQ(figures["council-tax"].completed, 1);

  auto stats = desk_->Stats(admin_, desk_->StartOfToday(), desk_->StartOfToday() + absl::Hours(24), 30);
  ASSERT_TRUE(stats.ok()) << stats.status();
  ASSERT_EQ(stats->totals.size(), 1u);
  EXPECT_EQ(stats->totals[0].figures.offered, 2);
  EXPECT_EQ(stats->totals[0].figures.answered, 1);
}

TEST_F(RoutingDeskTest, AbandonAndPermissions) {
  auto waiting = desk_->AddInteraction(agent_, Call("07700 900123"));
  ASSERT_TRUE(waiting.ok());
  ASSERT_TRUE(desk_->Abandon(agent_, waiting->item_id).ok());
  EXPECT_FALSE(engine_->Item(waiting->item_id).has_value());
  EXPECT_EQ(desk_->Abandon(agent_, waiting->item_id).code(), absl::StatusCode::kNotFound);

  domain::RoutingQueue q;
  q.code = "bins";
  q.name = "Bins";
  EXPECT_EQ(desk_->PutQueue(agent_, q).status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(desk_->Stats(agent_, absl::UnixEpoch(), absl::UnixEpoch() + absl::Hours(1), 30).status().code(),
            absl::StatusCode::kPermissionDenied);
  InteractionRequest bad = Call("x");
  bad.queue = "nope";
  EXPECT_EQ(desk_->AddInteraction(agent_, bad).status().code(), absl::StatusCode::kInvalidArgument);
  Restart();
  EXPECT_FALSE(engine_->Item(waiting->item_id).has_value());
  EXPECT_EQ(engine_->Figures()["council-tax"].abandoned, 1);
}

}  // namespace
}  // namespace onestop::services
