#include "services/self_service.h"

#include "common/status.h"
#include "services/cases.h"
#include "services/citizens.h"
#include "services/testing/fixture.h"

namespace onestop::services {
namespace {

using ::testing::IsEmpty;
using ::testing::SizeIs;

class SelfServiceTest : public testing::ServicesTest {};

TEST_F(SelfServiceTest, RegisterResidentCreatesThenReusesByEmailOrPhone) {
  RegisterResident reg(deps());
  auto first = reg.Run({"Ann", "Lee", "Ann.Lee@Example.com", "07700 900555", "fh1 4ab", "1 Mill Lane"});
  ASSERT_TRUE(first.ok()) << first.status();
  auto again = reg.Run({"Ann", "Lee", "ann.lee@example.com", "", "", ""});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *first);
  auto by_phone = reg.Run({"A", "lee", "", "+44 7700 900555", "", ""});
  ASSERT_TRUE(by_phone.ok());
  EXPECT_EQ(*by_phone, *first);
  // Same phone, different family name: a different person.
  auto other = reg.Run({"Bo", "Khan", "", "07700 900555", "", ""});
  ASSERT_TRUE(other.ok());
  EXPECT_NE(*other, *first);
  auto citizen = GetCitizen(deps()).Run(agent_, *first);
  ASSERT_TRUE(citizen.ok());
  EXPECT_EQ(citizen->addresses.at(0).postcode, "FH1 4AB");
}

TEST_F(SelfServiceTest, RegisterResidentReportsFieldErrors) {
  auto result = RegisterResident(deps()).Run({"", "", "not-an-email", "", "XX", ""});
  ASSERT_TRUE(absl::IsInvalidArgument(result.status()));
  std::vector<std::string> fields;
  for (const auto& e : FieldErrorsOf(result.status())) fields.push_back(e.field);
  EXPECT_THAT(fields, ::testing::UnorderedElementsAre("given_name", "family_name", "email",
                                                      "postcode"));
  std::vector<std::string> reasons;
  for (const auto& e : FieldErrorsOf(result.status())) reasons.push_back(e.reason);
  EXPECT_THAT(reasons,
              ::testing::UnorderedElementsAre("given_name_required", "family_name_required",
                                              "email_format", "resident_postcode_format"));
}

TEST_F(SelfServiceTest, TrackCaseNeedsTheMatchingEmailOrPostcode) {
  auto citizen = RegisterResident(deps()).Run({"Ann", "Lee", "ann@example.com", "", "FH2 1AA", ""});
  ASSERT_TRUE(citizen.ok());
  NewCase input;
  input.service_code = "missed-bin";
  input.citizen_id = *citizen;
  input.values = {{"bin_type", {"general"}}};
  input.location.postcode = "FH1 4AB";
  auto opened = OpenCase(deps()).Run(domain::Actor::Public(), input);
  ASSERT_TRUE(opened.ok()) << opened.status();
  const std::string ref = opened->c.reference;
  ASSERT_TRUE(AddNote(deps()).Run(agent_, opened->c.id, domain::NoteVisibility::kInternal, "secret").ok());
  ASSERT_TRUE(AddNote(deps()).Run(agent_, opened->c.id, domain::NoteVisibility::kPublic, "on our way").ok());

  TrackCase track(deps());
  for (const std::string good : {"ANN@example.com", "fh1 4ab", "FH2 1AA"}) {
    auto found = track.Run(ref, good);
    ASSERT_TRUE(found.ok()) << good << ": " << found.status();
    EXPECT_EQ(found->service_name, "Report a missed bin");
    ASSERT_THAT(found->public_notes, SizeIs(1));
    EXPECT_EQ(found->public_notes[0].body, "on our way");
  }
  auto wrong_email = track.Run(ref, "someone@example.com");
  auto wrong_ref = track.Run("0000-0000", "ann@example.com");
  auto garbage = track.Run("hello", "");
  ASSERT_TRUE(absl::IsNotFound(wrong_email.status()));
  ASSERT_TRUE(absl::IsNotFound(wrong_ref.status()));
  ASSERT_TRUE(absl::IsNotFound(garbage.status()));
  EXPECT_EQ(wrong_email.status().message(), wrong_ref.status().message());
  EXPECT_EQ(wrong_email.status().message(), garbage.status().message());
}

}  // namespace
}  // namespace onestop::services
