#include "services/routing.h"

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

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

TEST_F(RoutingDeskTest, TransferToQueueToAgentAndRequeue) {
  domain::RoutingQueue bins;
  bins.code = "bins";
  bins.name = "Bins";
  ASSERT_TRUE(desk_->PutQueue(admin_, bins).ok());
  domain::Actor second = MakeStaff(domain::Role::kAgent, "second.agent@example.org");
  ASSERT_TRUE(desk_->SetPresence(second, "offline", "").ok());

  auto call = desk_->AddInteraction(agent_, Call("01632 960010"));
  ASSERT_TRUE(call.ok()) << call.status();
  const int64_t id = call->item_id;
  ASSERT_TRUE(desk_->SetPresence(agent_, "available", "").ok());
  ASSERT_TRUE(desk_->Accept(agent_, id).ok());

  // Error paths: nothing moves.
  EXPECT_EQ(desk_->TransferToQueue(second, id, "bins").code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(desk_->Requeue(second, id).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(desk_->TransferToAgent(second, id, agent_.staff_id).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(desk_->TransferToQueue(agent_, id, "nope").code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(desk_->TransferToQueue(agent_, 424242, "bins").code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(desk_->TransferToAgent(agent_, id, agent_.staff_id).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(desk_->TransferToAgent(agent_, id, 424242).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(desk_->Requeue(admin_, id).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(engine_->Item(id)->state, ItemState::kConnected);
  EXPECT_EQ(engine_->Item(id)->agent_id, agent_.staff_id);

  // To another queue: with the only other agent offline it waits there.
  ASSERT_TRUE(desk_->SetPresence(agent_, "on_break", "notes").ok());
  clock_.Advance(absl::Seconds(40));
  ASSERT_TRUE(desk_->TransferToQueue(agent_, id, "bins").ok());
  EXPECT_EQ(engine_->Item(id)->queue, "bins");
  EXPECT_EQ(engine_->Item(id)->state, ItemState::kWaiting);
  EXPECT_EQ(engine_->Item(id)->entered_at, clock_.Now());
  EXPECT_EQ(engine_->Position(id), 1);
  EXPECT_TRUE(engine_->Agent(agent_.staff_id)->items.empty());

  // The second agent takes it, then hands it to the first by name: it waits
  // for them (not for anyone else) and is offered when they are back.
  ASSERT_TRUE(desk_->SetPresence(second, "available", "").ok());
  EXPECT_EQ(engine_->Item(id)->agent_id, second.staff_id);
  ASSERT_TRUE(desk_->Accept(second, id).ok());
  clock_.Advance(absl::Seconds(30));
  ASSERT_TRUE(desk_->TransferToAgent(second, id, agent_.staff_id).ok());
  EXPECT_EQ(engine_->Item(id)->state, ItemState::kWaiting);
  EXPECT_EQ(engine_->Item(id)->target_agent, agent_.staff_id);
  ASSERT_TRUE(desk_->SetPresence(agent_, "available", "").ok());
  EXPECT_EQ(engine_->Item(id)->state, ItemState::kOffered);
  EXPECT_EQ(engine_->Item(id)->agent_id, agent_.staff_id);
  ASSERT_TRUE(desk_->Accept(agent_, id).ok());

  // Requeue: back in its queue keeping its place (its entry time).
  const absl::Time entered = engine_->Item(id)->entered_at;
  ASSERT_TRUE(desk_->SetPresence(second, "offline", "").ok());
  ASSERT_TRUE(desk_->SetPresence(agent_, "on_break", "").ok());
  clock_.Advance(absl::Seconds(20));
  ASSERT_TRUE(desk_->Requeue(agent_, id).ok());
  EXPECT_EQ(engine_->Item(id)->state, ItemState::kWaiting);
  EXPECT_EQ(engine_->Item(id)->queue, "bins");
  EXPECT_EQ(engine_->Item(id)->entered_at, entered);

  // The log replays to the same state (queues are listed in the order the
  // engine learnt them: creation order live, code order after a restart).
  auto sorted_lines = [](const std::string& text) {
    std::vector<std::string> lines = absl::StrSplit(text, '\n');
    std::sort(lines.begin(), lines.end());
    return lines;
  };
  const std::vector<std::string> before = sorted_lines(Describe(*engine_));
  Restart();
  EXPECT_EQ(engine_->skipped_on_replay(), 0);
  EXPECT_EQ(sorted_lines(Describe(*engine_)), before);
}

TEST_F(RoutingDeskTest, QueueAndProfileWritesCheckTheExpectedVersion) {
  auto current = desk_->GetQueue(agent_, "council-tax");
  ASSERT_TRUE(current.ok());
  EXPECT_EQ(current->version, 1);
  domain::RoutingQueue changed = *current;
  changed.wrap_up_seconds = 60;
  auto saved = desk_->PutQueue(admin_, changed, 1);
  ASSERT_TRUE(saved.ok()) << saved.status();
  EXPECT_EQ(saved->version, 2);
  // Stale, or create-only over an existing queue: refused, and neither the
  // store nor the engine changes.
  changed.wrap_up_seconds = 5;
  EXPECT_EQ(desk_->PutQueue(admin_, changed, 1).status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(desk_->PutQueue(admin_, changed, 0).status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(desk_->GetQueue(agent_, "council-tax")->wrap_up_seconds, 60);
  EXPECT_EQ(desk_->GetQueue(agent_, "council-tax")->version, 2);
  ASSERT_EQ(engine_->Queues().size(), 1u);
  EXPECT_EQ(engine_->Queues()[0].wrap_up_seconds, 60);
  // Create-only of a new code; n of a missing one is refused.
  domain::RoutingQueue bins;
  bins.code = "bins";
  bins.name = "Bins";
  EXPECT_EQ(desk_->PutQueue(admin_, bins, 3).status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(engine_->Queues().size(), 1u);
  auto created = desk_->PutQueue(admin_, bins, 0);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->version, 1);
  EXPECT_EQ(engine_->Queues().size(), 2u);

  domain::RoutingProfile p;
  p.code = "front-desk";
  p.name = "Front desk";
  p.queues = {{"council-tax", 1, 0}};
  EXPECT_EQ(desk_->GetProfile(agent_, "front-desk").status().code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(desk_->PutProfile(admin_, p, 0).ok());
  EXPECT_EQ(desk_->PutProfile(admin_, p, 0).status().code(), absl::StatusCode::kAborted);
  p.name = "Front desk (mornings)";
  auto profile = desk_->PutProfile(admin_, p, 1);
  ASSERT_TRUE(profile.ok()) << profile.status();
  EXPECT_EQ(profile->version, 2);
  p.name = "Stale";
  EXPECT_EQ(desk_->PutProfile(admin_, p, 1).status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(desk_->GetProfile(agent_, "front-desk")->name, "Front desk (mornings)");
}

// Stats counts the items that entered in [from, to), with what happened to
// them afterwards (even after `to`), and nothing of items that entered
// before `from`; a transfer counts again in the queue it moves to.
TEST_F(RoutingDeskTest, StatsCountItemsThatEnteredInThePeriod) {
  domain::RoutingQueue bins;
  bins.code = "bins";
  bins.name = "Bins";
  ASSERT_TRUE(desk_->PutQueue(admin_, bins).ok());
  domain::Actor second = MakeStaff(domain::Role::kAgent, "second.agent@example.org");
  const absl::Time ten = clock_.Now();
  ASSERT_TRUE(desk_->SetPresence(agent_, "available", "").ok());

  // 10:00 A (before the period), answered and completed 10:10.
  auto a = desk_->AddInteraction(agent_, Call("01632 960020"));
  ASSERT_TRUE(a.ok());
  clock_.Advance(absl::Minutes(1));
  ASSERT_TRUE(desk_->Accept(agent_, a->item_id).ok());
  clock_.Advance(absl::Minutes(9));
  ASSERT_TRUE(desk_->Complete(agent_, a->item_id).ok());
  clock_.Advance(absl::Minutes(10));  // wrap-up over at the next tick
  ASSERT_TRUE(engine_->TickForTest().ok());
  // 10:20 B, answered at once, completed at 11:30 (after the period).
  auto b = desk_->AddInteraction(agent_, Call("01632 960021"));
  ASSERT_TRUE(b.ok());
  ASSERT_TRUE(desk_->Accept(agent_, b->item_id).ok());
  // 10:30 C, taken by the second agent, transferred to bins at 10:40.
  clock_.Advance(absl::Minutes(10));
  auto c = desk_->AddInteraction(agent_, Call("01632 960022"));
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE(desk_->SetPresence(second, "available", "").ok());
  ASSERT_TRUE(desk_->Accept(second, c->item_id).ok());
  clock_.Advance(absl::Minutes(10));
  ASSERT_TRUE(desk_->TransferToQueue(second, c->item_id, "bins").ok());
  ASSERT_EQ(engine_->Item(c->item_id)->agent_id, second.staff_id);
  ASSERT_TRUE(desk_->Accept(second, c->item_id).ok());
  ASSERT_TRUE(desk_->Complete(second, c->item_id).ok());
  // 11:10 D (after the period); 11:30 B completes.
  clock_.Advance(absl::Minutes(30));
  ASSERT_TRUE(desk_->AddInteraction(agent_, Call("01632 960023")).ok());
  clock_.Advance(absl::Minutes(20));
  ASSERT_TRUE(desk_->Complete(agent_, b->item_id).ok());

  auto stats = desk_->Stats(admin_, ten + absl::Minutes(5), ten + absl::Hours(1), 30);
  ASSERT_TRUE(stats.ok()) << stats.status();
  std::map<std::string, routing::QueueFigures> totals;
  for (const QueueStats& row : stats->totals) totals[row.queue] = row.figures;
  ASSERT_EQ(totals.size(), 2u);
  EXPECT_EQ(totals["council-tax"].offered, 2);    // B and C
  EXPECT_EQ(totals["council-tax"].answered, 2);
  EXPECT_EQ(totals["council-tax"].completed, 1);  // B, after the period
  EXPECT_EQ(totals["bins"].offered, 1);           // C again
  EXPECT_EQ(totals["bins"].answered, 1);
  EXPECT_EQ(totals["bins"].completed, 1);
  // Intervals: B in 10:05–10:35, C too (it entered at 10:30); C's transfer
  // into bins at 10:40 in 10:35–11:00.
  ASSERT_EQ(stats->intervals.size(), 2u);
  EXPECT_EQ(stats->intervals[0].queue, "bins");
  EXPECT_EQ(stats->intervals[0].from, ten + absl::Minutes(35));
  EXPECT_EQ(stats->intervals[1].queue, "council-tax");
  EXPECT_EQ(stats->intervals[1].figures.offered, 2);

  // A period holding only A: its completion after the period's end counts.
  stats = desk_->Stats(admin_, ten, ten + absl::Minutes(5), 5);
  ASSERT_TRUE(stats.ok()) << stats.status();
  ASSERT_EQ(stats->totals.size(), 1u);
  EXPECT_EQ(stats->totals[0].figures.offered, 1);
  EXPECT_EQ(stats->totals[0].figures.completed, 1);
}

}  // namespace
}  // namespace onestop::services
