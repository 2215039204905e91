// Store suite: the outbox (domain/outbox.h OutboxMessage, migration v16).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/status.h"
#include "domain/outbox.h"
#include "tests/store/store_suite.h"

namespace onestop::store_test {
namespace {

using domain::OutboxMessage;
using domain::OutboxState;
using domain::WriteTxn;

const absl::Time kOutT0 = absl::FromUnixSeconds(1796100000);

OutboxMessage Queued(const std::string& recipient, const std::string& message_id, bool automatic) {
  OutboxMessage m;
  m.channel = domain::OutboxChannel::kEmail;
  m.recipient = recipient;
  m.sender = "contact@fairhaven.example";
  m.template_code = std::string(domain::kTemplateCaseAcknowledgement);
  m.language = "cy";
  m.params = {{"reference", "NKRH-5NST"}, {"body", "Diolch \xe2\x80\x94 \"quoted\"\nline two"}};
  m.automatic = automatic;
  m.message_id = message_id;
  m.in_reply_to = "theirs@example.org";
  m.references = {"first@example.org", "theirs@example.org"};
  m.created_at = kOutT0;
  m.next_attempt_at = kOutT0;
  return m;
}

absl::StatusOr<int64_t> Insert(domain::Store& store, const OutboxMessage& m) {
  int64_t id = 0;
  absl::Status s = store.Write([&](WriteTxn& txn) -> absl::Status {
    ONESTOP_ASSIGN_OR_RETURN(id, txn.InsertOutboxMessage(m));
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return id;
}

absl::StatusOr<bool> Claim(domain::Store& store, int64_t id, absl::Time now, absl::Time lease_until) {
  bool claimed = false;
  absl::Status s = store.Write([&](WriteTxn& txn) -> absl::Status {
    ONESTOP_ASSIGN_OR_RETURN(claimed, txn.ClaimOutboxMessage(id, now, lease_until));
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return claimed;
}

TEST_P(StoreSuite, OutboxMessagesRoundTripAndAreClaimedOnce) {
  absl::StatusOr<int64_t> id = Insert(store(), Queued("alice@example.org", "m1.onestop@fairhaven.example", true));
  STORE_ASSERT_OK(id.status());
  OutboxMessage want = Queued("alice@example.org", "m1.onestop@fairhaven.example", true);
  want.id = *id;
  absl::StatusOr<OutboxMessage> got = store().GetOutboxMessage(*id);
  STORE_ASSERT_OK(got.status());
  EXPECT_EQ(*got, want);
  EXPECT_EQ(got->Param("reference"), "NKRH-5NST");
  EXPECT_EQ(got->Param("missing"), "");
  EXPECT_EQ(store().GetOutboxMessage(*id + 100).status().code(), absl::StatusCode::kNotFound);

  // Not yet due a second before; due at its time.
  absl::StatusOr<std::vector<OutboxMessage>> due = store().ListDueOutbox(kOutT0 - absl::Seconds(1), 10);
  STORE_ASSERT_OK(due.status());
  EXPECT_TRUE(due->empty());
  due = store().ListDueOutbox(kOutT0, 10);
  STORE_ASSERT_OK(due.status());
  ASSERT_EQ(due->size(), 1u);

  // Two senders: only the first claim wins; the lease hides it until it ends.
  const absl::Time lease = kOutT0 + absl::Minutes(5);
  absl::StatusOr<bool> first = Claim(store(), *id, kOutT0, lease);
  STORE_ASSERT_OK(first.status());
  EXPECT_TRUE(*first);
  absl::StatusOr<bool> second = Claim(store(), *id, kOutT0, lease);
  STORE_ASSERT_OK(second.status());
  EXPECT_FALSE(*second);
  due = store().ListDueOutbox(kOutT0 + absl::Minutes(1), 10);
  STORE_ASSERT_OK(due.status());
  EXPECT_TRUE(due->empty());
  got = store().GetOutboxMessage(*id);
  STORE_ASSERT_OK(got.status());
  EXPECT_EQ(got->attempts, 1);
  EXPECT_EQ(got->next_attempt_at, lease);
  // A sender that died: taken again once the lease is over.
  absl::StatusOr<bool> again = Claim(store(), *id, lease, lease + absl::Minutes(5));
  STORE_ASSERT_OK(again.status());
  EXPECT_TRUE(*again);

  // Sent: recorded, no longer due, found by its provider id and Message-ID.
  got = store().GetOutboxMessage(*id);
  STORE_ASSERT_OK(got.status());
  got->state = OutboxState::kSent;
  got->sent_at = lease + absl::Seconds(1);
  got->provider_id = "notify-123";
  got->last_error = "";
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) { return txn.UpdateOutboxDelivery(*got); }));
  absl::StatusOr<OutboxMessage> sent = store().GetOutboxMessage(*id);
  STORE_ASSERT_OK(sent.status());
  EXPECT_EQ(sent->state, OutboxState::kSent);
  EXPECT_EQ(sent->attempts, 2);
  EXPECT_EQ(sent->sent_at, lease + absl::Seconds(1));
  due = store().ListDueOutbox(lease + absl::Hours(1), 10);
  STORE_ASSERT_OK(due.status());
  EXPECT_TRUE(due->empty());
  absl::StatusOr<std::optional<OutboxMessage>> by_provider = store().FindOutboxByProviderId("notify-123");
  STORE_ASSERT_OK(by_provider.status());
  ASSERT_TRUE(by_provider->has_value());
  EXPECT_EQ((*by_provider)->id, *id);
  by_provider = store().FindOutboxByProviderId("");
  STORE_ASSERT_OK(by_provider.status());
  EXPECT_FALSE(by_provider->has_value());
  absl::StatusOr<std::optional<OutboxMessage>> by_mid =
      store().FindOutboxByMessageIds({"unknown@x", "m1.onestop@fairhaven.example"});
  STORE_ASSERT_OK(by_mid.status());
  ASSERT_TRUE(by_mid->has_value());
  EXPECT_EQ((*by_mid)->id, *id);

  OutboxMessage unknown = *sent;
  unknown.id = *id + 100;
  EXPECT_EQ(store().Write([&](WriteTxn& txn) { return txn.UpdateOutboxDelivery(unknown); }).code(),
            absl::StatusCode::kNotFound);
}

TEST_P(StoreSuite, OutboxCountsAutomaticMailPerRecipientAndLists) {
  for (int i = 0; i < 3; ++i) {
    OutboxMessage m = Queued("bob@example.org", "auto" + std::to_string(i) + "@x", true);
    m.created_at = kOutT0 + absl::Minutes(i);
    STORE_ASSERT_OK(Insert(store(), m).status());
  }
  OutboxMessage by_hand = Queued("bob@example.org", "reply@x", false);
  by_hand.created_at = kOutT0 + absl::Minutes(5);
  by_hand.state = OutboxState::kFailed;
  STORE_ASSERT_OK(Insert(store(), by_hand).status());
  STORE_ASSERT_OK(Insert(store(), Queued("carol@example.org", "c@x", true)).status());

  absl::StatusOr<int64_t> n = store().CountAutomaticOutboxSince("bob@example.org", kOutT0);
  STORE_ASSERT_OK(n.status());
  EXPECT_EQ(*n, 3);
  n = store().CountAutomaticOutboxSince("bob@example.org", kOutT0 + absl::Seconds(90));
  STORE_ASSERT_OK(n.status());
  EXPECT_EQ(*n, 1);
  n = store().CountAutomaticOutboxSince("nobody@example.org", kOutT0);
  STORE_ASSERT_OK(n.status());
  EXPECT_EQ(*n, 0);

  absl::StatusOr<std::vector<OutboxMessage>> all = store().ListOutbox(std::nullopt, 0, 100);
  STORE_ASSERT_OK(all.status());
  ASSERT_EQ(all->size(), 5u);
  absl::StatusOr<std::vector<OutboxMessage>> failed = store().ListOutbox(OutboxState::kFailed, 0, 100);
  STORE_ASSERT_OK(failed.status());
  ASSERT_EQ(failed->size(), 1u);
  EXPECT_EQ((*failed)[0].message_id, "reply@x");
  absl::StatusOr<std::vector<OutboxMessage>> page = store().ListOutbox(std::nullopt, (*all)[1].id, 2);
  STORE_ASSERT_OK(page.status());
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].id, (*all)[2].id);
}

}  // namespace
}  // namespace onestop::store_test
