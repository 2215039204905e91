// Store suite: call recordings and post-call survey answers
// (domain/call_recording.h, migration v13).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/status.h"
#include "domain/call_recording.h"
#include "tests/store/store_suite.h"

namespace onestop::store_test {
namespace {

using domain::CallRecording;
using domain::CallSurvey;
using domain::WriteTxn;

const absl::Time kRecT0 = absl::FromUnixSeconds(1795100000);

int64_t AddCallContact(domain::Store& store, int64_t interaction_id) {
  domain::Contact contact;
  contact.channel = domain::Channel::kPhone;
  contact.at = kRecT0;
  contact.interaction_id = interaction_id;
  int64_t id = 0;
  absl::Status status = store.Write([&](WriteTxn& txn) -> absl::Status {
    ONESTOP_ASSIGN_OR_RETURN(id, txn.InsertContact(contact));
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok()) << status;
  return id;
}

CallRecording Recording(int64_t interaction_id, int64_t contact_id, const std::string& path,
                        absl::Time delete_after) {
  CallRecording r;
  r.interaction_id = interaction_id;
  r.contact_id = contact_id;
  r.queue = "council-tax";
  r.path = path;
  r.started_at = kRecT0;
  r.duration_ms = 61250;
  r.paused_ms = 12000;
  r.pauses = 2;
  r.bytes = 980044;
  r.delete_after = delete_after;
  return r;
}

absl::StatusOr<int64_t> Insert(domain::Store& store, const CallRecording& r) {
  int64_t id = 0;
  ONESTOP_RETURN_IF_ERROR(store.Write([&](WriteTxn& txn) -> absl::Status {
    ONESTOP_ASSIGN_OR_RETURN(id, txn.InsertCallRecording(r));
    return absl::OkStatus();
  }));
  return id;
}

absl::StatusOr<int64_t> Insert(domain::Store& store, const CallSurvey& s) {
  int64_t id = 0;
  ONESTOP_RETURN_IF_ERROR(store.Write([&](WriteTxn& txn) -> absl::Status {
    ONESTOP_ASSIGN_OR_RETURN(id, txn.InsertCallSurvey(s));
    return absl::OkStatus();
  }));
  return id;
}

TEST_P(StoreSuite, CallRecordingInsertGetListExpiredDelete) {
  const int64_t contact = AddCallContact(store(), 7001);
  auto none = store().GetContactCallRecording(contact);
  STORE_ASSERT_OK(none);
  EXPECT_FALSE(none->has_value());

  CallRecording first = Recording(7001, contact, "2026/11/20/7001.wav", kRecT0 + absl::Hours(24));
  CallRecording second = Recording(7001, contact, "2026/11/20/7001-2.wav", kRecT0 + absl::Hours(48));
  CallRecording orphan = Recording(7002, 0, "2026/11/20/7002.wav", kRecT0 + absl::Hours(12));
  auto first_id = Insert(store(), first);
  STORE_ASSERT_OK(first_id);
  auto second_id = Insert(store(), second);
  STORE_ASSERT_OK(second_id);
  auto orphan_id = Insert(store(), orphan);
  STORE_ASSERT_OK(orphan_id);
  first.id = *first_id;
  second.id = *second_id;
  orphan.id = *orphan_id;
  EXPECT_GT(second.id, first.id);

  // The newest recording of the contact, every field back as written.
  auto got = store().GetContactCallRecording(contact);
  STORE_ASSERT_OK(got);
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ(**got, second);

  // The same path twice, or an unknown contact, is refused.
  EXPECT_EQ(Insert(store(), Recording(7003, 0, first.path, kRecT0)).status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Insert(store(), Recording(7003, contact + 1000, "x.wav", kRecT0)).status().code(),
            absl::StatusCode::kNotFound);

  // Expired: delete_after at or before now, the oldest first, limited.
  auto expired = store().ListExpiredCallRecordings(kRecT0 + absl::Hours(24), 10);
  STORE_ASSERT_OK(expired);
  EXPECT_EQ(*expired, (std::vector<CallRecording>{orphan, first}));
  expired = store().ListExpiredCallRecordings(kRecT0 + absl::Hours(100), 1);
  STORE_ASSERT_OK(expired);
  EXPECT_EQ(*expired, (std::vector<CallRecording>{orphan}));
  expired = store().ListExpiredCallRecordings(kRecT0, 10);
  STORE_ASSERT_OK(expired);
  EXPECT_TRUE(expired->empty());

  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) { return txn.DeleteCallRecording(second.id); }));
  got = store().GetContactCallRecording(contact);
  STORE_ASSERT_OK(got);
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ(**got, first);
  EXPECT_EQ(store().Write([&](WriteTxn& txn) { return txn.DeleteCallRecording(second.id); }).code(),
            absl::StatusCode::kNotFound);
}

TEST_P(StoreSuite, CallSurveyOnePerInteraction) {
  const int64_t contact = AddCallContact(store(), 8001);
  auto none = store().GetContactCallSurvey(contact);
  STORE_ASSERT_OK(none);
  EXPECT_FALSE(none->has_value());

  CallSurvey s{0, 8001, contact, "waste", 42, 4, kRecT0 + absl::Minutes(5)};
  auto id = Insert(store(), s);
  STORE_ASSERT_OK(id);
  s.id = *id;
  auto got = store().GetContactCallSurvey(contact);
  STORE_ASSERT_OK(got);
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ(**got, s);

  CallSurvey again = s;
  again.score = 1;
  EXPECT_EQ(Insert(store(), again).status().code(), absl::StatusCode::kAlreadyExists);
  // Without a contact it is kept (contact_id 0 back) but belongs to no contact.
  CallSurvey lone{0, 8002, 0, "waste", 42, 5, kRecT0};
  STORE_ASSERT_OK(Insert(store(), lone));
  got = store().GetContactCallSurvey(contact);
  STORE_ASSERT_OK(got);
  EXPECT_EQ((*got)->score, 4);
}

}  // namespace
}  // namespace onestop::store_test
