// Store suite: staff SIP accounts (domain/sip_account.h, migration v12).
#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/status.h"
#include "domain/sip_account.h"
#include "tests/store/store_suite.h"

namespace onestop::store_test {
namespace {

using domain::SipAccount;
using domain::WriteTxn;

const absl::Time kSipT0 = absl::FromUnixSeconds(1795000000);

int64_t AddStaff(domain::Store& store, const std::string& email) {
  domain::StaffUser s;
  s.email = email;
  s.display_name = email;
  s.role = domain::Role::kAgent;
  s.password_hash = "$argon2id$x";
  s.created_at = kSipT0;
  s.version = 1;
  int64_t id = 0;
  absl::Status status = store.Write([&](WriteTxn& txn) -> absl::Status {
    ONESTOP_ASSIGN_OR_RETURN(id, txn.InsertStaff(s));
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok()) << status;
  return id;
}

absl::Status Put(domain::Store& store, const SipAccount& account) {
  return store.Write([&](WriteTxn& txn) { return txn.PutSipAccount(account); });
}

SipAccount Account(int64_t staff_id, const std::string& extension, const std::string& ha1,
                   absl::Time at) {
  return SipAccount{staff_id, extension, "onestop", ha1, at};
}

TEST_P(StoreSuite, SipAccountPutGetReplaceListDelete) {
  const int64_t ann = AddStaff(store(), "ann@example.org");
  const int64_t bob = AddStaff(store(), "bob@example.org");
  EXPECT_EQ(store().GetSipAccount(ann).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store().GetSipAccountByExtension("1001").status().code(), absl::StatusCode::kNotFound);

  SipAccount a = Account(ann, "1002", std::string(32, 'a'), kSipT0);
  SipAccount b = Account(bob, "1001", std::string(32, 'b'), kSipT0 + absl::Seconds(1));
  STORE_ASSERT_OK(Put(store(), a));
  STORE_ASSERT_OK(Put(store(), b));
  EXPECT_EQ(*store().GetSipAccount(ann), a);
  EXPECT_EQ(*store().GetSipAccountByExtension("1001"), b);
  auto all = store().ListSipAccounts();
  STORE_ASSERT_OK(all);
  EXPECT_EQ(*all, (std::vector<SipAccount>{b, a}));  // by extension

  // Replacing Ann's account: new extension, new HA1; the old extension is free.
  SipAccount a2 = Account(ann, "2000", std::string(32, 'c'), kSipT0 + absl::Minutes(5));
  a2.realm = "fairhaven.example";
  STORE_ASSERT_OK(Put(store(), a2));
  EXPECT_EQ(*store().GetSipAccount(ann), a2);
  EXPECT_EQ(store().GetSipAccountByExtension("1002").status().code(), absl::StatusCode::kNotFound);
  all = store().ListSipAccounts();
  STORE_ASSERT_OK(all);
  EXPECT_EQ(*all, (std::vector<SipAccount>{b, a2}));

  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) { return txn.DeleteSipAccount(ann); }));
  EXPECT_EQ(store().GetSipAccount(ann).status().code(), absl::StatusCode::kNotFound);
  absl::Status again = store().Write([&](WriteTxn& txn) { return txn.DeleteSipAccount(ann); });
  EXPECT_EQ(again.code(), absl::StatusCode::kNotFound) << again;
  all = store().ListSipAccounts();
  STORE_ASSERT_OK(all);
  EXPECT_EQ(*all, std::vector<SipAccount>{b});
}

TEST_P(StoreSuite, SipAccountExtensionOfAnotherStaffMemberIsAlreadyExists) {
  const int64_t ann = AddStaff(store(), "ann@example.org");
  const int64_t bob = AddStaff(store(), "bob@example.org");
  STORE_ASSERT_OK(Put(store(), Account(ann, "1001", std::string(32, 'a'), kSipT0)));
  absl::Status taken = Put(store(), Account(bob, "1001", std::string(32, 'b'), kSipT0));
  EXPECT_EQ(taken.code(), absl::StatusCode::kAlreadyExists) << taken;
  EXPECT_EQ(store().GetSipAccount(bob).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store().GetSipAccountByExtension("1001")->staff_id, ann);
  // Setting your own extension again is a replacement, not a clash; and the
  // failed write left the store usable.
  STORE_EXPECT_OK(
      Put(store(), Account(ann, "1001", std::string(32, 'd'), kSipT0 + absl::Seconds(9))));
  EXPECT_EQ(store().GetSipAccount(ann)->ha1, std::string(32, 'd'));
}

TEST_P(StoreSuite, SipAccountUnknownStaffIsNotFound) {
  absl::Status status = Put(store(), Account(987654, "1001", std::string(32, 'a'), kSipT0));
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound) << status;
  absl::Status removed = store().Write([](WriteTxn& txn) { return txn.DeleteSipAccount(987654); });
  EXPECT_EQ(removed.code(), absl::StatusCode::kNotFound) << removed;
  auto all = store().ListSipAccounts();
  STORE_ASSERT_OK(all);
  EXPECT_TRUE(all->empty());
}

TEST_P(StoreSuite, SipAccountSurvivesReopen) {
  if (!GetParam().reopen) GTEST_SKIP() << "backend cannot reopen";
  const int64_t ann = AddStaff(store(), "ann@example.org");
  SipAccount a = Account(ann, "1009", std::string(32, 'e'), kSipT0);
  STORE_ASSERT_OK(Put(store(), a));
  Reopen();
  EXPECT_EQ(*store().GetSipAccountByExtension("1009"), a);
}

// Phone registrations (sip_bindings, v14): one per extension, replaced by
// the phone that registers last; expired ones are not listed.
TEST_P(StoreSuite, SipBindingPutReplaceListExpireDelete) {
  using domain::SipBinding;
  auto put = [&](const SipBinding& b) {
    return store().Write([&](WriteTxn& txn) { return txn.PutSipBinding(b); });
  };
  auto list = [&](absl::Time now) {
    absl::StatusOr<std::vector<SipBinding>> all = store().ListSipBindings(now);
    EXPECT_TRUE(all.ok()) << all.status();
    return all.ok() ? *all : std::vector<SipBinding>{};
  };
  EXPECT_TRUE(list(kSipT0).empty());
  SipBinding a{"1002", 7, "sip:1002@192.0.2.10:5062", kSipT0 + absl::Seconds(60), "node-a", kSipT0};
  SipBinding b{"1001", 8, "sip:1001@192.0.2.11:5060;transport=tcp", kSipT0 + absl::Seconds(3600),
               "node-a", kSipT0};
  STORE_ASSERT_OK(put(a));
  STORE_ASSERT_OK(put(b));
  EXPECT_EQ(list(kSipT0), (std::vector<SipBinding>{b, a}));  // by extension
  // Expired at its expiry instant: only b is left a minute on.
  EXPECT_EQ(list(kSipT0 + absl::Seconds(60)), std::vector<SipBinding>{b});

  // The same extension registering from another phone, through another node.
  SipBinding a2{"1002", 7, "sip:1002@192.0.2.20:5090", kSipT0 + absl::Seconds(120), "node-b",
                kSipT0 + absl::Seconds(30)};
  STORE_ASSERT_OK(put(a2));
  EXPECT_EQ(list(kSipT0 + absl::Seconds(61)), (std::vector<SipBinding>{b, a2}));

  STORE_ASSERT_OK(store().Write([](WriteTxn& txn) { return txn.DeleteSipBinding("1002"); }));
  STORE_ASSERT_OK(store().Write([](WriteTxn& txn) { return txn.DeleteSipBinding("1002"); }));
  STORE_ASSERT_OK(store().Write([](WriteTxn& txn) { return txn.DeleteSipBinding("4444"); }));
  EXPECT_EQ(list(kSipT0), std::vector<SipBinding>{b});
}

}  // namespace
}  // namespace onestop::store_test
