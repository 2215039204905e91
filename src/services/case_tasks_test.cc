// Cases routed as tasks to back-office officers (services/case_tasks.h), on
// a real SQLite store and the live routing engine.
#include "services/case_tasks.h"

#include <memory>

#include "services/cases.h"
#include "services/routing.h"
#include "services/testing/fixture.h"

namespace onestop::services {
namespace {

using routing::ItemState;
using routing::Media;

class CaseTasksTest : public testing::ServicesTest {
 protected:
  void SetUp() override {
    routing::LiveOptions options;
    options.timer_thread = false;
    engine_ = std::make_unique<routing::LiveEngine>(*store_, clock_, options);
    ASSERT_TRUE(engine_->Start().ok());
    desk_ = std::make_unique<RoutingDesk>(deps(), *engine_);
    tasks_ = std::make_unique<RouteCaseTasks>(deps(), *engine_);
    domain::RoutingQueue q;
    q.code = CaseQueueFor("road-gang");
    q.name = "Road gang cases";
    q.ring_timeout_seconds = 0;
    ASSERT_TRUE(desk_->PutQueue(admin_, q).ok());
    auto seq = tasks_->ReconcileAll();
    ASSERT_TRUE(seq.ok()) << seq.status();
    seq_ = *seq;
  }
  void TearDown() override { engine_->Stop(); }

  domain::Case Pothole(domain::Priority priority = domain::Priority::kNormal) {
    NewCase input;
    input.service_code = "pothole";
    input.channel = domain::Channel::kPhone;
    input.location.postcode = "FH1 4AB";
    input.priority = priority;
    auto opened = OpenCase(deps()).Run(agent_, input);
    EXPECT_TRUE(opened.ok()) << opened.status();
    return opened.ok() ? opened->c : domain::Case{};
  }
  void Follow() {
    auto seq = tasks_->Follow(seq_);
    ASSERT_TRUE(seq.ok()) << seq.status();
    seq_ = *seq;
  }
  std::optional<routing::ItemView> Task(const domain::Case& c) {
    return engine_->ItemByReference(Media::kCaseTask, c.reference);
  }
  domain::Case Reload(const domain::Case& c) { return *store_->GetCase(c.id); }

  std::unique_ptr<routing::LiveEngine> engine_;
  std::unique_ptr<RoutingDesk> desk_;
  std::unique_ptr<RouteCaseTasks> tasks_;
  int64_t seq_ = 0;
};

TEST_F(CaseTasksTest, AnUnassignedCaseBecomesATaskTheOfficerAcceptsAndClosingCompletesIt) {
  domain::Case c = Pothole(domain::Priority::kUrgent);
  Follow();
  auto task = Task(c);
  ASSERT_TRUE(task.has_value());
  EXPECT_EQ(task->queue, "cases-road-gang");
  EXPECT_EQ(task->state, ItemState::kWaiting);
  EXPECT_EQ(task->priority, 3);
  Follow();  // idempotent: still one task
  EXPECT_EQ(engine_->ItemsOf(Media::kCaseTask).size(), 1u);

  // The officer goes available: the task is offered and, accepted, the case
  // is theirs.
  ASSERT_TRUE(desk_->SetPresence(highways_officer_, "available", "").ok());
  task = Task(c);
  ASSERT_EQ(task->state, ItemState::kOffered);
  ASSERT_EQ(task->agent_id, highways_officer_.staff_id);
  ASSERT_TRUE(desk_->Accept(highways_officer_, task->id).ok());
  EXPECT_EQ(Reload(c).assignee_id, highways_officer_.staff_id);
  Follow();
  ASSERT_TRUE(Task(c).has_value());
  EXPECT_EQ(Task(c)->state, ItemState::kConnected);  // counts against the officer's capacity

  // Resolving the case completes the task.
  CaseChanges resolve;
  resolve.status = domain::CaseStatus::kInProgress;
  ASSERT_TRUE(UpdateCase(deps()).Run(highways_officer_, c.id, resolve, std::nullopt).ok());
  resolve.status = domain::CaseStatus::kResolved;
  ASSERT_TRUE(UpdateCase(deps()).Run(highways_officer_, c.id, resolve, std::nullopt).ok());
  Follow();
  EXPECT_FALSE(Task(c).has_value());
  EXPECT_EQ(engine_->Agent(highways_officer_.staff_id)->items.size(), 0u);
}

TEST_F(CaseTasksTest, NewCasesOfOnePageBecomeTasksInOneWrite) {
  domain::Case a = Pothole();
  domain::Case b = Pothole(domain::Priority::kHigh);
  domain::Case c = Pothole();
  const int64_t writes_before = store_->CompletedWrites();
  Follow();
  EXPECT_EQ(store_->CompletedWrites() - writes_before, 1);
  for (const domain::Case* x : {&a, &b, &c}) {
    auto task = Task(*x);
    ASSERT_TRUE(task.has_value()) << x->reference;
    EXPECT_EQ(task->state, ItemState::kWaiting);
  }
  EXPECT_EQ(Task(b)->priority, 1);
  // A removed queue refuses its items without failing the others' write.
  std::vector<routing::NewItem> items(2);
  items[0].media = items[1].media = Media::kCaseTask;
  items[0].queue = "cases-road-gang";
  items[0].reference = "ZZZZ-ZZZZ";
  items[1].queue = "cases-no-such-team";
  items[1].reference = "YYYY-YYYY";
  auto added = engine_->AddItems(items);
  ASSERT_TRUE(added.ok()) << added.status();
  ASSERT_EQ(added->size(), 2u);
  EXPECT_TRUE((*added)[0].ok());
  EXPECT_EQ((*added)[1].status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(engine_->ItemByReference(Media::kCaseTask, "ZZZZ-ZZZZ").has_value());
}

TEST_F(CaseTasksTest, AssigningByHandOrMovingTeamWithdrawsTheWaitingTask) {
  domain::Case c = Pothole();
  Follow();
  ASSERT_TRUE(Task(c).has_value());
  CaseChanges assign;
  assign.assignee_id = std::optional<int64_t>(highways_officer_.staff_id);
  ASSERT_TRUE(UpdateCase(deps()).Run(admin_, c.id, assign, std::nullopt).ok());
  Follow();
  EXPECT_FALSE(Task(c).has_value());

  // Another case moves to a team without a case queue: withdrawn, not raised again.
  domain::Case moved = Pothole();
  Follow();
  ASSERT_TRUE(Task(moved).has_value());
  CaseChanges move;
  move.team = "waste-crews";
  ASSERT_TRUE(UpdateCase(deps()).Run(admin_, moved.id, move, std::nullopt).ok());
  Follow();
  EXPECT_FALSE(Task(moved).has_value());
  // ... and back: raised again in its team's queue.
  move.team = "road-gang";
  ASSERT_TRUE(UpdateCase(deps()).Run(admin_, moved.id, move, std::nullopt).ok());
  Follow();
  ASSERT_TRUE(Task(moved).has_value());
  EXPECT_EQ(Task(moved)->queue, "cases-road-gang");
}

TEST_F(CaseTasksTest, AcceptingACaseClosedMeanwhileReleasesTheTask) {
  domain::Case c = Pothole();
  Follow();
  ASSERT_TRUE(desk_->SetPresence(highways_officer_, "available", "").ok());
  auto task = Task(c);
  ASSERT_EQ(task->state, ItemState::kOffered);
  CaseChanges cancel;
  cancel.status = domain::CaseStatus::kCancelled;
  ASSERT_TRUE(UpdateCase(deps()).Run(admin_, c.id, cancel, std::nullopt).ok());
  // Accepted before the follower saw the cancellation.
  absl::Status accepted = desk_->Accept(highways_officer_, task->id);
  EXPECT_EQ(accepted.code(), absl::StatusCode::kFailedPrecondition) << accepted;
  EXPECT_FALSE(Task(c).has_value());
  EXPECT_FALSE(Reload(c).assignee_id.has_value());
}

TEST_F(CaseTasksTest, ReconcileAllRaisesTasksForOpenCasesAndDropsThoseOfClosedOnes) {
  domain::Case open = Pothole();
  domain::Case closing = Pothole();
  auto seq = tasks_->ReconcileAll();
  ASSERT_TRUE(seq.ok());
  ASSERT_TRUE(Task(open).has_value());
  ASSERT_TRUE(Task(closing).has_value());
  // Cancelled while nobody followed the events (no leader).
  CaseChanges cancel;
  cancel.status = domain::CaseStatus::kCancelled;
  ASSERT_TRUE(UpdateCase(deps()).Run(admin_, closing.id, cancel, std::nullopt).ok());
  ASSERT_TRUE(tasks_->ReconcileAll().ok());
  EXPECT_TRUE(Task(open).has_value());
  EXPECT_FALSE(Task(closing).has_value());
}

}  // namespace
}  // namespace onestop::services
