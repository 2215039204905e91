#include "services/auth.h"

#include "services/staff_admin.h"
#include "services/testing/fixture.h"

namespace onestop::services {
namespace {

class AuthTest : public testing::ServicesTest {};

TEST_F(AuthTest, LoginAuthenticateLogout) {
  auto login = Login(deps()).Run("AGENT@example.org", "correct horse battery");
  ASSERT_TRUE(login.ok()) << login.status();
  EXPECT_EQ(login->token.size(), 43u);
  EXPECT_TRUE(login->staff.password_hash.empty());
  auto actor = Authenticate(deps()).Run(login->token);
  ASSERT_TRUE(actor.ok());
  EXPECT_EQ(actor->staff_id, agent_.staff_id);
  EXPECT_EQ(actor->role, domain::Role::kAgent);
  // Only the hash is stored.
  EXPECT_TRUE(store_->GetSession(HashToken(login->token)).ok());
  EXPECT_FALSE(store_->GetSession(login->token).ok());
  ASSERT_TRUE(Logout(deps()).Run(login->token).ok());
  EXPECT_EQ(Authenticate(deps()).Run(login->token).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(AuthTest, WrongPasswordUnknownEmailAndExpiryAllFailAlike) {
  auto wrong = Login(deps()).Run("agent@example.org", "wrong password!");
  auto unknown = Login(deps()).Run("nobody@example.org", "correct horse battery");
  EXPECT_EQ(wrong.status(), unknown.status());
  EXPECT_EQ(wrong.status().code(), absl::StatusCode::kUnauthenticated);

  auto login = Login(deps(), absl::Hours(1)).Run("agent@example.org", "correct horse battery");
  ASSERT_TRUE(login.ok());
  clock_.Advance(absl::Hours(1) + absl::Seconds(1));
  EXPECT_EQ(Authenticate(deps()).Run(login->token).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(AuthTest, DisabledStaffCannotSignIn) {
  auto login = Login(deps()).Run("agent@example.org", "correct horse battery");
  ASSERT_TRUE(login.ok());
  StaffChanges disable;
  disable.active = false;
  ASSERT_TRUE(UpdateStaff(deps()).Run(admin_, agent_.staff_id, disable, std::nullopt).ok());
  EXPECT_FALSE(Authenticate(deps()).Run(login->token).ok());
  EXPECT_FALSE(Login(deps()).Run("agent@example.org", "correct horse battery").ok());
}

TEST_F(AuthTest, OnlyAdminsManageStaff) {
  NewStaff input;
  input.email = "new@example.org";
  input.password = "a long enough password";
  EXPECT_EQ(CreateStaff(deps()).Run(agent_, input).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(CreateStaff(deps()).Run(admin_, input).ok());
  EXPECT_EQ(CreateStaff(deps()).Run(admin_, input).status().code(),
            absl::StatusCode::kAlreadyExists);
  input.email = "short@example.org";
  input.password = "short";
  EXPECT_EQ(CreateStaff(deps()).Run(admin_, input).status().code(),
            absl::StatusCode::kInvalidArgument);
  input.role = domain::Role::kOfficer;
  input.password = "a long enough password";
  EXPECT_EQ(CreateStaff(deps()).Run(admin_, input).status().code(),
            absl::StatusCode::kInvalidArgument);  // officers need a department
}

TEST(PasswordHasherTest, Argon2idRoundTrip) {
  PasswordHasher::UseFastParametersForTest();
  auto hash = PasswordHasher::Hash("correct horse battery");
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(PasswordHasher::Verify(*hash, "correct horse battery"));
  EXPECT_FALSE(PasswordHasher::Verify(*hash, "correct horse batterz"));
  EXPECT_NE(NewToken(), NewToken());
}

}  // namespace
}  // namespace onestop::services
