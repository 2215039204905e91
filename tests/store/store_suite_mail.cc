// Store suite: inbound mail (domain/mail.h MailMessage, migration v15).
#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/status.h"
#include "domain/mail.h"
#include "tests/store/store_suite.h"

namespace onestop::store_test {
namespace {

using domain::MailMessage;
using domain::MailState;
using domain::WriteTxn;

const absl::Time kMailT0 = absl::FromUnixSeconds(1796000000);

MailMessage Message(const std::string& message_id, std::string raw) {
  MailMessage m;
  m.mailbox = "council.tax@fairhaven.example";
  m.message_id = message_id;
  m.from_address = "alice@example.org";
  m.subject = "My bill";
  m.received_at = kMailT0;
  m.raw = std::move(raw);
  m.outcome = "";
  return m;
}

absl::StatusOr<int64_t> Insert(domain::Store& store, const MailMessage& m) {
  int64_t id = 0;
  absl::Status s = store.Write([&](WriteTxn& txn) -> absl::Status {
    ONESTOP_ASSIGN_OR_RETURN(id, txn.InsertMailMessage(m));
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return id;
}

TEST_P(StoreSuite, MailMessagesKeepTheirBytesAndTheirFiling) {
  // Any bytes: an 8-bit Windows-1252 body, a NUL, CRLFs.
  std::string raw = "From: alice@example.org\r\nSubject: My bill\r\n\r\nI owe \xa3";
  raw += std::string(1, '\0');
  raw += "5\r\n";
  absl::StatusOr<int64_t> first = Insert(store(), Message("a1@example.org", raw));
  STORE_ASSERT_OK(first.status());
  absl::StatusOr<int64_t> second = Insert(store(), Message("a2@example.org", "Subject: x\r\n\r\ny\r\n"));
  STORE_ASSERT_OK(second.status());
  EXPECT_GT(*second, *first);

  absl::StatusOr<MailMessage> got = store().GetMailMessage(*first);
  STORE_ASSERT_OK(got.status());
  EXPECT_EQ(got->raw, raw);
  EXPECT_EQ(got->state, MailState::kNew);
  EXPECT_EQ(got->mailbox, "council.tax@fairhaven.example");
  EXPECT_EQ(got->received_at, kMailT0);
  EXPECT_FALSE(got->case_id.has_value());
  EXPECT_EQ(store().GetMailMessage(*second + 100).status().code(), absl::StatusCode::kNotFound);

  // Both wait to be filed, oldest first; paging by id.
  absl::StatusOr<std::vector<MailMessage>> waiting = store().ListMailMessages(MailState::kNew, 0, 10);
  STORE_ASSERT_OK(waiting.status());
  ASSERT_EQ(waiting->size(), 2u);
  EXPECT_EQ((*waiting)[0].id, *first);
  waiting = store().ListMailMessages(MailState::kNew, *first, 10);
  STORE_ASSERT_OK(waiting.status());
  ASSERT_EQ(waiting->size(), 1u);
  EXPECT_EQ((*waiting)[0].id, *second);

  // Not filed yet: threading does not find it.
  absl::StatusOr<std::optional<MailMessage>> thread = store().FindFiledMail({"a1@example.org"});
  STORE_ASSERT_OK(thread.status());
  EXPECT_FALSE(thread->has_value());

  // Filed as a new contact for a resident.
  domain::Citizen c = FullCitizen();
  const int64_t citizen_id = AddCitizen(c);
  MailMessage filed = *got;
  filed.state = MailState::kFiled;
  filed.outcome = "new_contact";
  filed.citizen_id = citizen_id;
  filed.interaction_id = 42;
  filed.filed_at = kMailT0 + absl::Seconds(1);
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) { return txn.UpdateMailFiling(filed); }));
  got = store().GetMailMessage(*first);
  STORE_ASSERT_OK(got.status());
  EXPECT_EQ(*got, filed);
  waiting = store().ListMailMessages(MailState::kNew, 0, 10);
  STORE_ASSERT_OK(waiting.status());
  EXPECT_EQ(waiting->size(), 1u);

  // A reply naming it (and an unknown id) in References finds it.
  thread = store().FindFiledMail({"unknown@example.org", "a1@example.org", ""});
  STORE_ASSERT_OK(thread.status());
  ASSERT_TRUE(thread->has_value());
  EXPECT_EQ((*thread)->id, *first);
  EXPECT_EQ((*thread)->citizen_id, citizen_id);

  MailMessage ghost = filed;
  ghost.id = *second + 100;
  EXPECT_EQ(store().Write([&](WriteTxn& txn) { return txn.UpdateMailFiling(ghost); }).code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace onestop::store_test
