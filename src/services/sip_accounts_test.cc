#include "services/sip_accounts.h"

#include <string>
#include <vector>

#include "common/md5.h"
#include "common/status.h"
#include "services/staff_admin.h"
#include "services/testing/fixture.h"

namespace onestop::services {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;

class SipAccountsTest : public testing::ServicesTest {
 protected:
  std::vector<domain::Event> StaffEvents(int64_t staff_id, const std::string& type) {
    domain::EventQuery query;
    query.entity = "staff";
    query.limit = 1000;
    auto events = store_->ListEvents(query);
    EXPECT_TRUE(events.ok()) << events.status();
    std::vector<domain::Event> out;
    for (auto& e : *events) {
      if (e.entity_id == staff_id && e.type == type) out.push_back(e);
    }
    return out;
  }
  std::vector<std::string> Reasons(const absl::Status& status) {
    std::vector<std::string> out;
    for (const FieldError& e : FieldErrorsOf(status)) out.push_back(e.field + ":" + e.reason);
    return out;
  }
  SetSipAccount Set() { return SetSipAccount(deps(), "onestop"); }
};

TEST_F(SipAccountsTest, AdminSetsAnAccountKeepingOnlyHa1) {
  auto set = Set().Run(admin_, agent_.staff_id, "1001", "fairhaven-demo");
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(set->staff_id, agent_.staff_id);
  EXPECT_EQ(set->extension, "1001");
  EXPECT_EQ(set->realm, "onestop");
  EXPECT_EQ(set->ha1, DigestHa1("1001", "onestop", "fairhaven-demo"));
  EXPECT_EQ(set->updated_at, clock_.Now());
  EXPECT_EQ(*store_->GetSipAccount(agent_.staff_id), *set);

  auto got = GetSipAccount(deps()).Run(admin_, agent_.staff_id);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, *set);
  auto found = FindSipAccount(*store_).Run("1001");
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(*found, *set);

  std::vector<domain::Event> events = StaffEvents(agent_.staff_id, "staff.sip_set");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].actor_id, admin_.staff_id);
  EXPECT_THAT(events[0].changes, ElementsAre(domain::FieldChange{"extension", "", "1001"}));
}

TEST_F(SipAccountsTest, ReplacingChangesExtensionAndHa1AndNeverLogsSecrets) {
  ASSERT_TRUE(Set().Run(admin_, agent_.staff_id, "1001", "first-password").ok());
  clock_.Advance(absl::Minutes(3));
  auto again = Set().Run(admin_, agent_.staff_id, "1005", "second-password");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->ha1, DigestHa1("1005", "onestop", "second-password"));
  EXPECT_EQ(FindSipAccount(*store_).Run("1001").status().code(), absl::StatusCode::kNotFound);

  std::vector<domain::Event> events = StaffEvents(agent_.staff_id, "staff.sip_set");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_THAT(events[1].changes, ElementsAre(domain::FieldChange{"extension", "1001", "1005"}));
  for (const domain::Event& e : events) {
    for (const domain::FieldChange& c : e.changes) {
      for (const std::string& text : {c.before, c.after}) {
        EXPECT_EQ(text.find("password"), std::string::npos) << text;
        EXPECT_NE(text, again->ha1);
        EXPECT_NE(text, DigestHa1("1001", "onestop", "first-password"));
      }
    }
  }
}

TEST_F(SipAccountsTest, RealmComesFromTheConstructor) {
  auto set =
      SetSipAccount(deps(), "fairhaven.example").Run(admin_, agent_.staff_id, "42", "12345678");
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(set->realm, "fairhaven.example");
  EXPECT_EQ(set->ha1, DigestHa1("42", "fairhaven.example", "12345678"));
}

TEST_F(SipAccountsTest, OnlyAdminsMaySetReadOrRemove) {
  ASSERT_TRUE(Set().Run(admin_, agent_.staff_id, "1001", "fairhaven-demo").ok());
  domain::Actor supervisor = MakeStaff(domain::Role::kSupervisor, "sup@example.org");
  for (const domain::Actor& who : {agent_, supervisor, waste_officer_}) {
    EXPECT_EQ(Set().Run(who, agent_.staff_id, "1002", "fairhaven-demo").status().code(),
              absl::StatusCode::kPermissionDenied);
    EXPECT_EQ(GetSipAccount(deps()).Run(who, agent_.staff_id).status().code(),
              absl::StatusCode::kPermissionDenied);
    EXPECT_EQ(RemoveSipAccount(deps()).Run(who, agent_.staff_id).code(),
              absl::StatusCode::kPermissionDenied);
  }
  EXPECT_EQ(
      Set().Run(domain::Actor::Public(), agent_.staff_id, "1002", "fairhaven-demo").status().code(),
      absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(store_->GetSipAccount(agent_.staff_id)->extension, "1001");
}

TEST_F(SipAccountsTest, InvalidCredentialsAreRejectedFieldByField) {
  struct Case {
    std::string extension, password;
    std::vector<std::string> reasons;
  };
  const std::vector<Case> cases = {
      {"1", "fairhaven-demo", {"extension:sip_extension_format"}},
      {"123456789", "fairhaven-demo", {"extension:sip_extension_format"}},
      {"10a1", "fairhaven-demo", {"extension:sip_extension_format"}},
      {"", "fairhaven-demo", {"extension:sip_extension_format"}},
      {"+1001", "fairhaven-demo", {"extension:sip_extension_format"}},
      {"1001", "short", {"password:password_min_length"}},
      {"1001", std::string(129, 'p'), {"password:password_max_length"}},
      {"1001", "tab\there-ok?", {"password:password_control_chars"}},
      {"1001", "line\nbreak-pw", {"password:password_control_chars"}},
      {"1001", "c1\xc2\x85-control", {"password:password_control_chars"}},
      {"x", "", {"extension:sip_extension_format", "password:password_min_length"}},
  };
  for (const Case& c : cases) {
    auto set = Set().Run(admin_, agent_.staff_id, c.extension, c.password);
    EXPECT_EQ(set.status().code(), absl::StatusCode::kInvalidArgument) << c.extension;
    EXPECT_EQ(Reasons(set.status()), c.reasons) << c.extension;
  }
  // The edges are allowed.
  EXPECT_TRUE(Set().Run(admin_, agent_.staff_id, "10", std::string(8, 'p')).ok());
  EXPECT_TRUE(Set().Run(admin_, agent_.staff_id, "12345678", std::string(128, 'p')).ok());
  EXPECT_TRUE(Set().Run(admin_, agent_.staff_id, "1001", "Llanfair pwll £ ŵ").ok());
  EXPECT_TRUE(StaffEvents(agent_.staff_id, "staff.sip_set").size() == 3u);
}

TEST_F(SipAccountsTest, ExtensionOfAnotherStaffMemberIsTaken) {
  domain::Actor agent2 = MakeStaff(domain::Role::kAgent, "agent2@example.org");
  ASSERT_TRUE(Set().Run(admin_, agent_.staff_id, "1001", "fairhaven-demo").ok());
  auto taken = Set().Run(admin_, agent2.staff_id, "1001", "fairhaven-demo");
  EXPECT_EQ(taken.status().code(), absl::StatusCode::kAlreadyExists) << taken.status();
  EXPECT_TRUE(StaffEvents(agent2.staff_id, "staff.sip_set").empty());
  EXPECT_EQ(store_->GetSipAccount(agent2.staff_id).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(SipAccountsTest, UnknownStaffAndMissingAccountsAreNotFound) {
  EXPECT_EQ(Set().Run(admin_, 999999, "1001", "fairhaven-demo").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(GetSipAccount(deps()).Run(admin_, 999999).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(GetSipAccount(deps()).Run(admin_, agent_.staff_id).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(RemoveSipAccount(deps()).Run(admin_, agent_.staff_id).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(RemoveSipAccount(deps()).Run(admin_, 999999).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(FindSipAccount(*store_).Run("1001").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(SipAccountsTest, RemoveDeletesAndRecordsTheOldExtension) {
  ASSERT_TRUE(Set().Run(admin_, agent_.staff_id, "1001", "fairhaven-demo").ok());
  ASSERT_TRUE(RemoveSipAccount(deps()).Run(admin_, agent_.staff_id).ok());
  EXPECT_EQ(store_->GetSipAccount(agent_.staff_id).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(FindSipAccount(*store_).Run("1001").status().code(), absl::StatusCode::kNotFound);
  std::vector<domain::Event> removed = StaffEvents(agent_.staff_id, "staff.sip_removed");
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_THAT(removed[0].changes, ElementsAre(domain::FieldChange{"extension", "1001", ""}));
  EXPECT_EQ(RemoveSipAccount(deps()).Run(admin_, agent_.staff_id).code(),
            absl::StatusCode::kNotFound);
}

TEST_F(SipAccountsTest, DisabledStaffPhonesAreNotFoundByTheRegistrar) {
  ASSERT_TRUE(Set().Run(admin_, agent_.staff_id, "1001", "fairhaven-demo").ok());
  StaffChanges off;
  off.active = false;
  ASSERT_TRUE(UpdateStaff(deps()).Run(admin_, agent_.staff_id, off, std::nullopt).ok());
  EXPECT_EQ(FindSipAccount(*store_).Run("1001").status().code(), absl::StatusCode::kNotFound);
  // The admin still sees it (to remove or re-enable).
  EXPECT_TRUE(GetSipAccount(deps()).Run(admin_, agent_.staff_id).ok());
}

// The registrar's bindings outlive the node: listed until they expire, the
// latest registration of an extension wins, and a disabled member's phone is
// left out (it must not ring after a failover either).
TEST_F(SipAccountsTest, BindingsAreListedUntilExpiryAndNotForDisabledStaff) {
  const absl::Time now = absl::FromUnixSeconds(1795000000);
  domain::SipBinding phone{"1001", agent_.staff_id, "sip:1001@192.0.2.7:5062", now + absl::Seconds(300),
                           "node-a", now};
  ASSERT_TRUE(SaveSipBinding(*store_).Run(phone).ok());
  phone.contact = "sip:1001@192.0.2.8:5062";
  phone.node = "node-b";
  ASSERT_TRUE(SaveSipBinding(*store_).Run(phone).ok());
  auto listed = ListSipBindings(*store_).Run(now);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].binding, phone);
  EXPECT_EQ((*listed)[0].staff.id, agent_.staff_id);
  EXPECT_TRUE(ListSipBindings(*store_).Run(now + absl::Seconds(300))->empty());

  StaffChanges off;
  off.active = false;
  ASSERT_TRUE(UpdateStaff(deps()).Run(admin_, agent_.staff_id, off, std::nullopt).ok());
  EXPECT_TRUE(ListSipBindings(*store_).Run(now)->empty());

  EXPECT_TRUE(RemoveSipBinding(*store_).Run("1001").ok());
  EXPECT_TRUE(RemoveSipBinding(*store_).Run("1001").ok());
}

}  // namespace
}  // namespace onestop::services
