// Store suite: routing queue definitions and routing profiles.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/routing_config.h"
#include "tests/store/store_suite.h"

namespace onestop::store_test {
namespace {

using domain::RoutingProfile;
using domain::RoutingQueue;
using domain::WriteTxn;

RoutingQueue FullQueue(const std::string& code) {
  RoutingQueue q;
  q.code = code;
  q.name = "Council Tax — enquiries";
  q.strategy = "best_fit";
  q.skills = {{"council-tax", 3}, {"welsh", 2}};
  q.steps = {{30, 1, 1}, {90, 0, 0}};
  q.priority_weight_seconds = 45;
  q.ring_timeout_seconds = 15;
  q.wrap_up_seconds = 30;
  q.service_level_seconds = 25;
  return q;
}

TEST_P(StoreSuite, RoutingQueueRoundTripsAndVersions) {
  RoutingQueue q = FullQueue("council-tax");
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) { return txn.PutRoutingQueue(q, std::nullopt); }));
  STORE_ASSERT_OK(store().Write(
      [&](WriteTxn& txn) { return txn.PutRoutingQueue(FullQueue("bins"), std::nullopt); }));
  auto queues = store().ListRoutingQueues();
  STORE_ASSERT_OK(queues.status());
  ASSERT_EQ(queues->size(), 2u);
  EXPECT_EQ((*queues)[0].code, "bins");  // ordered by code
  EXPECT_EQ((*queues)[1], q);

  q.name = "Council Tax";
  q.steps.clear();
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) { return txn.PutRoutingQueue(q, std::nullopt); }));
  queues = store().ListRoutingQueues();
  q.version = 2;
  EXPECT_EQ((*queues)[1], q);

  STORE_ASSERT_OK(store().Write([](WriteTxn& txn) { return txn.DeleteRoutingQueue("bins"); }));
  EXPECT_EQ(store().ListRoutingQueues()->size(), 1u);
  absl::Status missing =
      store().Write([](WriteTxn& txn) { return txn.DeleteRoutingQueue("bins"); });
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound) << missing;
}

TEST_P(StoreSuite, RoutingProfileRoundTripsAndVersions) {
  RoutingProfile p;
  p.code = "front-desk";
  p.name = "Front desk";
  p.team = "contact-centre";
  p.queues = {{"council-tax", 1, 0}, {"bins", 2, 20}};
  p.capacity = {1, 2, 4, 1, 8};
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) { return txn.PutRoutingProfile(p, std::nullopt); }));
  auto profiles = store().ListRoutingProfiles();
  STORE_ASSERT_OK(profiles.status());
  ASSERT_EQ(profiles->size(), 1u);
  EXPECT_EQ((*profiles)[0], p);

  p.queues.pop_back();
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) { return txn.PutRoutingProfile(p, std::nullopt); }));
  p.version = 2;
  EXPECT_EQ(store().ListRoutingProfiles()->at(0), p);

  STORE_ASSERT_OK(
      store().Write([](WriteTxn& txn) { return txn.DeleteRoutingProfile("front-desk"); }));
  EXPECT_TRUE(store().ListRoutingProfiles()->empty());
  absl::Status missing =
      store().Write([](WriteTxn& txn) { return txn.DeleteRoutingProfile("front-desk"); });
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound) << missing;
}

TEST_P(StoreSuite, RoutingQueuePutChecksTheExpectedVersion) {
  RoutingQueue q = FullQueue("council-tax");
  auto put = [&](std::optional<int64_t> expected) {
    return store().Write([&](WriteTxn& txn) { return txn.PutRoutingQueue(q, expected); });
  };
  // Version n of a queue that does not exist: nothing is created.
  EXPECT_EQ(put(1).code(), absl::StatusCode::kAborted);
  EXPECT_TRUE(store().ListRoutingQueues()->empty());
  // 0: create only.
  STORE_ASSERT_OK(put(0));
  absl::Status exists = put(0);
  EXPECT_EQ(exists.code(), absl::StatusCode::kAborted) << exists;
  EXPECT_EQ(store().ListRoutingQueues()->at(0).version, 1);

  q.name = "Council Tax";
  STORE_ASSERT_OK(put(1));
  EXPECT_EQ(store().ListRoutingQueues()->at(0).version, 2);
  // Stale: refused, and nothing changes.
  q.name = "Stale";
  q.wrap_up_seconds = 99;
  absl::Status stale = put(1);
  EXPECT_EQ(stale.code(), absl::StatusCode::kAborted) << stale;
  RoutingQueue stored = store().ListRoutingQueues()->at(0);
  EXPECT_EQ(stored.name, "Council Tax");
  EXPECT_EQ(stored.wrap_up_seconds, 30);
  EXPECT_EQ(stored.version, 2);
  STORE_ASSERT_OK(put(2));
  EXPECT_EQ(store().ListRoutingQueues()->at(0).version, 3);
  // A refused put writes nothing, so the rest of its transaction (here
  // another queue) still commits when the caller carries on.
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) -> absl::Status {
    EXPECT_EQ(txn.PutRoutingQueue(q, 1).code(), absl::StatusCode::kAborted);
    return txn.PutRoutingQueue(FullQueue("bins"), 0);
  }));
  EXPECT_EQ(store().ListRoutingQueues()->size(), 2u);
  EXPECT_EQ(store().ListRoutingQueues()->at(1).version, 3);
}

TEST_P(StoreSuite, RoutingProfilePutChecksTheExpectedVersion) {
  RoutingProfile p;
  p.code = "front-desk";
  p.name = "Front desk";
  auto put = [&](std::optional<int64_t> expected) {
    return store().Write([&](WriteTxn& txn) { return txn.PutRoutingProfile(p, expected); });
  };
  EXPECT_EQ(put(3).code(), absl::StatusCode::kAborted);
  EXPECT_TRUE(store().ListRoutingProfiles()->empty());
  STORE_ASSERT_OK(put(0));
  EXPECT_EQ(put(0).code(), absl::StatusCode::kAborted);
  p.team = "contact-centre";
  STORE_ASSERT_OK(put(1));
  p.team = "stale";
  absl::Status stale = put(1);
  EXPECT_EQ(stale.code(), absl::StatusCode::kAborted) << stale;
  RoutingProfile stored = store().ListRoutingProfiles()->at(0);
  EXPECT_EQ(stored.team, "contact-centre");
  EXPECT_EQ(stored.version, 2);
  STORE_ASSERT_OK(put(std::nullopt));  // unconditional, as before
  EXPECT_EQ(store().ListRoutingProfiles()->at(0).version, 3);
}

TEST_P(StoreSuite, RoutingConfigSurvivesReopen) {
  if (!GetParam().reopen) GTEST_SKIP() << "backend cannot reopen";
  STORE_ASSERT_OK(store().Write(
      [](WriteTxn& txn) { return txn.PutRoutingQueue(FullQueue("council-tax"), std::nullopt); }));
  Reopen();
  auto queues = store().ListRoutingQueues();
  STORE_ASSERT_OK(queues.status());
  ASSERT_EQ(queues->size(), 1u);
  EXPECT_EQ((*queues)[0], FullQueue("council-tax"));
}

}  // namespace
}  // namespace onestop::store_test

namespace onestop::store_test {
namespace {

// One contact per routed interaction (services/interactions.h): the
// interaction id and disposition round-trip, the contact is found by its
// interaction, rewritten in place, and a second contact for the same
// interaction is refused by the unique index (migration 10).
TEST_P(StoreSuite, InteractionContactIsFoundUpdatedAndUnique) {
  const int64_t citizen = AddCitizen(FullCitizen());
  domain::Contact call;
  call.channel = domain::Channel::kPhone;
  call.at = absl::FromUnixMicros(1'764'063'000'123'456);
  call.staff_id = 3;
  call.interaction_id = 4242;
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) -> absl::Status {
    absl::StatusOr<std::optional<domain::Contact>> none = txn.FindContactByInteraction(4242);
    if (!none.ok()) return none.status();
    EXPECT_FALSE(none->has_value());
    absl::StatusOr<int64_t> id = txn.InsertContact(call);
    if (!id.ok()) return id.status();
    call.id = *id;
    return absl::OkStatus();
  }));
  domain::Contact wrapped = call;
  wrapped.citizen_id = citizen;
  wrapped.staff_id = 5;
  wrapped.service_code = "missed-bin";
  wrapped.reason = "bin not emptied";
  wrapped.outcome = domain::ContactOutcome::kResolvedFirstContact;
  wrapped.duration = absl::Seconds(125);
  wrapped.disposition = "answered_from_kb";
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) -> absl::Status {
    absl::StatusOr<std::optional<domain::Contact>> found = txn.FindContactByInteraction(4242);
    if (!found.ok()) return found.status();
    EXPECT_EQ(*found, std::optional<domain::Contact>(call));
    return txn.UpdateContact(wrapped);
  }));
  domain::ContactQuery by_interaction;
  by_interaction.interaction_id = 4242;
  EXPECT_EQ(*store().ListContacts(by_interaction), std::vector<domain::Contact>{wrapped});
  domain::ContactQuery by_id;
  by_id.id = call.id;
  EXPECT_EQ(*store().ListContacts(by_id), std::vector<domain::Contact>{wrapped});
  by_interaction.interaction_id = 4243;
  EXPECT_TRUE(store().ListContacts(by_interaction)->empty());

  absl::Status second = store().Write([&](WriteTxn& txn) { return txn.InsertContact(call).status(); });
  EXPECT_FALSE(second.ok()) << "a second contact for interaction 4242";
  domain::Contact missing = wrapped;
  missing.id = 987654;
  EXPECT_TRUE(absl::IsNotFound(store().Write([&](WriteTxn& txn) { return txn.UpdateContact(missing); })));
  EXPECT_EQ(store().ListContacts(domain::ContactQuery{})->size(), 1u);
}

}  // namespace
}  // namespace onestop::store_test
