// The supervisor's floor (services/routing_floor.cc): a supervisor changes an
// agent's skills, profile and state and the engine takes it at once; each
// change is an event naming the supervisor; stale versions, unknown skills
// and profiles are refused; the wallboard orders and rates its queues.
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "routing/live_engine.h"
#include "services/routing.h"
#include "services/testing/fixture.h"

namespace onestop::services {
namespace {

using routing::ItemState;
using routing::Presence;

class RoutingFloorTest : public testing::ServicesTest {
 protected:
  void SetUp() override {
    routing::LiveOptions options;
    options.timer_thread = false;
    engine_ = std::make_unique<routing::LiveEngine>(*store_, clock_, options);
    ASSERT_TRUE(engine_->Start().ok());
    desk_ = std::make_unique<RoutingDesk>(deps(), *engine_);
    supervisor_ = MakeStaff(domain::Role::kSupervisor, "sup@example.org");
    domain::RoutingQueue tax;
    tax.code = "council-tax";
    tax.name = "Council Tax";
    tax.skills = {{"council-tax", 3}};
    ASSERT_TRUE(desk_->PutQueue(admin_, tax).ok());
    domain::RoutingQueue general;
    general.code = "general";
    general.name = "General";
    ASSERT_TRUE(desk_->PutQueue(admin_, general).ok());
    domain::RoutingProfile only_general;
    only_general.code = "general-only";
    only_general.name = "General only";
    only_general.team = "nobody";
    only_general.queues = {{"general", 1, 0}};
    ASSERT_TRUE(desk_->PutProfile(admin_, only_general).ok());
    // A staff member with a skill, so that "council-tax" and "welsh" are known skills.
    domain::Actor other = MakeStaff(domain::Role::kAgent, "other@example.org");
    domain::StaffUser record = *store_->GetStaff(other.staff_id);
    record.skills = {{"welsh", 2}};
    ASSERT_TRUE(store_->Write([&](domain::WriteTxn& txn) { return txn.UpdateStaff(record, record.version); }).ok());
  }

  int64_t Version(int64_t staff_id) { return store_->GetStaff(staff_id)->version; }

  std::vector<domain::Event> StaffEvents(const std::string& type) {
    domain::EventQuery query;
    query.entity = "staff";
    query.limit = 100;
    std::vector<domain::Event> out;
    absl::StatusOr<std::vector<domain::Event>> all = store_->ListEvents(query);
    EXPECT_TRUE(all.ok()) << all.status();
    if (!all.ok()) return out;
    for (domain::Event& e : *all) {
      if (e.type == type) out.push_back(std::move(e));
    }
    return out;
  }

  domain::Actor supervisor_;
  std::unique_ptr<routing::LiveEngine> engine_;
  std::unique_ptr<RoutingDesk> desk_;
};

TEST_F(RoutingFloorTest, ANewSkillTakesEffectAtOnceAndIsRecorded) {
  ASSERT_TRUE(desk_->SetPresence(agent_, "available", "").ok());
  InteractionRequest call;
  call.queue = "council-tax";
  call.caller = "01632 960001";
  auto waiting = desk_->AddInteraction(agent_, call);
  ASSERT_TRUE(waiting.ok()) << waiting.status();
  EXPECT_EQ(engine_->Item(waiting->item_id)->state, ItemState::kWaiting);

  AgentRouting routing;
  routing.skills = {{"council-tax", 3}};
  auto saved = desk_->SetAgentRouting(supervisor_, agent_.staff_id, routing, Version(agent_.staff_id));
  ASSERT_TRUE(saved.ok()) << saved.status();
  // Offered now, not at the agent's next presence change.
  auto item = engine_->Item(waiting->item_id);
  EXPECT_EQ(item->state, ItemState::kOffered);
  EXPECT_EQ(item->agent_id, agent_.staff_id);
  ASSERT_EQ(saved->items.size(), 1u);
  EXPECT_EQ(saved->items[0].item.id, waiting->item_id);

  std::vector<domain::Event> events = StaffEvents("staff.routing_changed");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].actor_id, supervisor_.staff_id);
  EXPECT_EQ(events[0].entity_id, agent_.staff_id);
  ASSERT_FALSE(events[0].changes.empty());
  EXPECT_EQ(events[0].changes[0].field, "skills");
  EXPECT_EQ(events[0].changes[0].after, "council-tax:3");
}

TEST_F(RoutingFloorTest, AProfileChosenForTheAgentReplacesTheirTeamsAtOnce) {
  ASSERT_TRUE(desk_->SetPresence(agent_, "available", "").ok());
  EXPECT_EQ(engine_->Agent(agent_.staff_id)->queues.size(), 2u);  // no profile: every queue
  AgentRouting routing;
  routing.routing_profile = "general-only";
  auto saved = desk_->SetAgentRouting(supervisor_, agent_.staff_id, routing, Version(agent_.staff_id));
  ASSERT_TRUE(saved.ok()) << saved.status();
  EXPECT_EQ(saved->profile, "general-only");
  EXPECT_EQ(engine_->Agent(agent_.staff_id)->queues, std::vector<std::string>{"general"});
  // It survives a restart: the staff record holds it.
  EXPECT_EQ(store_->GetStaff(agent_.staff_id)->routing_profile, "general-only");
}

TEST_F(RoutingFloorTest, RefusesStaleVersionsUnknownSkillsAndProfiles) {
  AgentRouting routing;
  routing.skills = {{"council-tax", 3}};
  const int64_t version = Version(agent_.staff_id);
  ASSERT_TRUE(desk_->SetAgentRouting(supervisor_, agent_.staff_id, routing, version).ok());
  // Someone saved meanwhile: the old version is refused and nothing changes.
  routing.skills = {{"welsh", 5}};
  EXPECT_TRUE(absl::IsAborted(desk_->SetAgentRouting(supervisor_, agent_.staff_id, routing, version).status()));
  EXPECT_EQ(store_->GetStaff(agent_.staff_id)->skills, (std::vector<domain::Skill>{{"council-tax", 3}}));

  routing.skills = {{"juggling", 3}};
  auto unknown = desk_->SetAgentRouting(supervisor_, agent_.staff_id, routing, Version(agent_.staff_id));
  EXPECT_TRUE(absl::IsInvalidArgument(unknown.status())) << unknown.status();
  routing.skills = {{"welsh", 6}};
  EXPECT_TRUE(absl::IsInvalidArgument(
      desk_->SetAgentRouting(supervisor_, agent_.staff_id, routing, Version(agent_.staff_id)).status()));
  routing.skills = {};
  routing.routing_profile = "no-such-profile";
  EXPECT_TRUE(absl::IsInvalidArgument(
      desk_->SetAgentRouting(supervisor_, agent_.staff_id, routing, Version(agent_.staff_id)).status()));
  // Agents may not.
  EXPECT_TRUE(absl::IsPermissionDenied(
      desk_->SetAgentRouting(agent_, agent_.staff_id, AgentRouting{}, Version(agent_.staff_id)).status()));
}

TEST_F(RoutingFloorTest, KnownSkillsComeFromQueuesAndStaff) {
  auto skills = desk_->KnownSkills(supervisor_);
  ASSERT_TRUE(skills.ok());
  EXPECT_EQ(*skills, (std::vector<std::string>{"council-tax", "welsh"}));
}

TEST_F(RoutingFloorTest, ASupervisorChangesAnAgentsStateAndItIsRecorded) {
  ASSERT_TRUE(desk_->SetPresence(agent_, "available", "").ok());
  ASSERT_TRUE(desk_->SetAgentState(supervisor_, agent_.staff_id, "on_break", "team meeting").ok());
  auto agent = engine_->Agent(agent_.staff_id);
  EXPECT_EQ(agent->chosen, Presence::kOnBreak);
  EXPECT_EQ(agent->reason, "team meeting");
  EXPECT_TRUE(absl::IsFailedPrecondition(desk_->SetAgentState(supervisor_, agent_.staff_id, "end_wrap_up", "")));
  EXPECT_TRUE(absl::IsInvalidArgument(desk_->SetAgentState(supervisor_, agent_.staff_id, "busy", "")));
  ASSERT_TRUE(desk_->SetAgentState(supervisor_, agent_.staff_id, "offline", "").ok());
  EXPECT_EQ(engine_->Agent(agent_.staff_id)->chosen, Presence::kOffline);
  std::vector<domain::Event> events = StaffEvents("staff.state_set");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].actor_id, supervisor_.staff_id);
  EXPECT_EQ(events[0].changes[0].after, "on_break");

  // The floor lists the signed-in first.
  ASSERT_TRUE(desk_->SetPresence(agent_, "available", "").ok());
  auto floor = desk_->Floor(supervisor_);
  ASSERT_TRUE(floor.ok());
  ASSERT_FALSE(floor->empty());
  EXPECT_EQ(floor->front().staff.id, agent_.staff_id);
  EXPECT_TRUE(floor->front().staff.password_hash.empty());
  EXPECT_TRUE(absl::IsPermissionDenied(desk_->Floor(agent_).status()));
}

TEST_F(RoutingFloorTest, WallboardPutsVoiceFirstThenGroupsAndCountsOnlyAgentsWhoCanTakeTheWork) {
  domain::RoutingQueue tasks;
  tasks.code = "cases-a";
  tasks.name = "A cases";
  tasks.media = "case_task";
  ASSERT_TRUE(desk_->PutQueue(admin_, tasks).ok());
  domain::RoutingQueue tax = *desk_->GetQueue(admin_, "council-tax");
  tax.wallboard_group = "Calls";
  tax.wallboard_order = 2;
  ASSERT_TRUE(desk_->PutQueue(admin_, tax).ok());
  domain::RoutingQueue general = *desk_->GetQueue(admin_, "general");
  general.wallboard_group = "Calls";
  general.wallboard_order = 1;
  ASSERT_TRUE(desk_->PutQueue(admin_, general).ok());
  ASSERT_TRUE(desk_->SetPresence(agent_, "available", "").ok());

  auto board = desk_->Wallboard(supervisor_);
  ASSERT_TRUE(board.ok());
  std::vector<std::string> order;
  for (const QueueBoard& b : *board) order.push_back(b.config.id);
  EXPECT_EQ(order, (std::vector<std::string>{"general", "council-tax", "cases-a"}));
  // The agent has no council-tax skill: available, but not for that queue.
  EXPECT_EQ((*board)[0].live.available_eligible, 1);
  EXPECT_EQ((*board)[1].live.available_eligible, 0);
  EXPECT_EQ((*board)[1].live.agents_by_state[static_cast<int>(Presence::kAvailable)], 1);
  EXPECT_EQ((*board)[2].config.media, routing::Media::kCaseTask);
}

TEST_F(RoutingFloorTest, QueueTargetsAreValidated) {
  domain::RoutingQueue q = *desk_->GetQueue(admin_, "general");
  q.sl_green_pct = 70;
  q.sl_amber_pct = 80;
  EXPECT_TRUE(absl::IsInvalidArgument(desk_->PutQueue(admin_, q).status()));
  q.sl_amber_pct = 50;
  q.wait_amber_seconds = 60;
  q.wait_red_seconds = 30;
  EXPECT_TRUE(absl::IsInvalidArgument(desk_->PutQueue(admin_, q).status()));
  q.wait_red_seconds = 120;
  q.media = "pigeon";
  EXPECT_TRUE(absl::IsInvalidArgument(desk_->PutQueue(admin_, q).status()));
  q.media = "chat";
  auto saved = desk_->PutQueue(admin_, q);
  ASSERT_TRUE(saved.ok()) << saved.status();
  EXPECT_EQ(saved->media, "chat");
  EXPECT_EQ(saved->wait_red_seconds, 120);
  EXPECT_EQ(domain::RagStatus(*saved, 0.9, 0), "green");
  EXPECT_EQ(domain::RagStatus(*saved, 0.6, 0), "amber");
  EXPECT_EQ(domain::RagStatus(*saved, 0.4, 0), "red");
  EXPECT_EQ(domain::RagStatus(*saved, -1, 59), "green");
  EXPECT_EQ(domain::RagStatus(*saved, -1, 60), "amber");
  EXPECT_EQ(domain::RagStatus(*saved, 0.95, 120), "red");
}

}  // namespace
}  // namespace onestop::services
