#include "services/citizens.h"

#include "common/status.h"
#include "services/cases.h"
#include "services/contacts.h"
#include "services/testing/fixture.h"

namespace onestop::services {
namespace {

class CitizensTest : public testing::ServicesTest {
 protected:
  domain::Citizen Person(const std::string& given, const std::string& family,
                         const std::string& phone, const std::string& email) {
    domain::Citizen c;
    c.given_name = given;
    c.family_name = family;
    if (!phone.empty()) c.phones = {phone};
    if (!email.empty()) c.emails = {email};
    c.addresses = {{std::nullopt, "12 Mill Lane", "", "Fairhaven", "fh1 4ab"}};
    return c;
  }
  int64_t Create(domain::Citizen c) {
    auto created = CreateCitizen(deps()).Run(agent_, std::move(c), domain::Channel::kPhone);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? created->citizen.id : 0;
  }
};

TEST_F(CitizensTest, CreateNormalisesAndFindsByEachKey) {
  int64_t id = Create(Person("Ann", "Example", "+44 7700 900123", "Ann@Example.COM"));
  auto stored = GetCitizen(deps()).Run(agent_, id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->phones, std::vector<std::string>{"07700900123"});
  EXPECT_EQ(stored->emails, std::vector<std::string>{"ann@example.com"});
  EXPECT_EQ(stored->addresses[0].postcode, "FH1 4AB");

  FindCitizens find(deps());
  EXPECT_EQ(find.Run(agent_, {.phone = "07700 900 123"})->size(), 1u);
  EXPECT_EQ(find.Run(agent_, {.email = "ANN@example.com"})->size(), 1u);
  EXPECT_EQ(find.Run(agent_, {.postcode = "FH14AB", .name = "exa"})->size(), 1u);
  EXPECT_EQ(find.Run(agent_, {.name = "Nobody"})->size(), 0u);
  EXPECT_EQ(find.Run(agent_, {}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(find.Run(agent_, {.phone = "12"}).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(CitizensTest, InvalidDetailsAreRejectedFieldByField) {
  domain::Citizen bad = Person("", "", "12", "not-an-email");
  bad.addresses[0].postcode = "QQ QQQ";
  auto created = CreateCitizen(deps()).Run(agent_, bad, std::nullopt);
  ASSERT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument);
  std::vector<std::string> fields;
  for (const auto& e : FieldErrorsOf(created.status())) fields.push_back(e.field);
  EXPECT_THAT(fields, ::testing::IsSupersetOf({"phones[0]", "emails[0]", "addresses[0].postcode"}));
}

TEST_F(CitizensTest, WarnsAboutLikelyDuplicates) {
  Create(Person("Ann", "Example", "07700900123", "ann@example.com"));
  auto second = CreateCitizen(deps()).Run(
      agent_, Person("Anne", "Example", "07700 900123", "anne@example.org"), std::nullopt);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->possible_duplicates.size(), 1u);
}

TEST_F(CitizensTest, UpdateChecksVersion) {
  int64_t id = Create(Person("Ann", "Example", "07700900123", ""));
  auto current = GetCitizen(deps()).Run(agent_, id);
  domain::Citizen changed = *current;
  changed.family_name = "Sample";
  auto updated = UpdateCitizen(deps()).Run(agent_, changed, current->version);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->version, current->version + 1);
  EXPECT_EQ(UpdateCitizen(deps()).Run(agent_, changed, current->version).status().code(),
            absl::StatusCode::kAborted);
}

// Flags: the permission of editing a citizen, validated, normalised, one
// audit event with the flags that changed, nothing written when unchanged.
TEST_F(CitizensTest, SetFlagsValidatesAuditsAndChecksPermission) {
  int64_t id = Create(Person("Tomasz", "Nowak", "07700900102", ""));
  SetCitizenFlags set(deps());
  domain::CitizenFlags flags;
  flags.interpreter_needed = true;
  auto missing = set.Run(agent_, id, flags);
  ASSERT_EQ(missing.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(FieldErrorsOf(missing.status()),
              ::testing::ElementsAre(::testing::Field(&FieldError::reason, "interpreter_language_required")));

  flags.interpreter_language = "  Polish ";
  flags.vulnerability_note = "left over";  // dropped: not vulnerable
  auto saved = set.Run(agent_, id, flags);
  ASSERT_TRUE(saved.ok()) << saved.status();
  EXPECT_EQ(saved->flags.interpreter_language, "Polish");
  EXPECT_EQ(saved->flags.vulnerability_note, "");
  auto stored = GetCitizen(deps()).Run(agent_, id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->flags, saved->flags);

  domain::EventQuery query;
  query.citizen_id = id;
  auto events = store_->ListEvents(query);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->back().type, "citizen.flags_changed");
  EXPECT_EQ(events->back().actor_id, agent_.staff_id);
  EXPECT_THAT(events->back().changes,
              ::testing::ElementsAre(domain::FieldChange{"flags.interpreter_needed", "false", "true"},
                                     domain::FieldChange{"flags.interpreter_language", "", "Polish"}));

  // The same flags again: no write, no event.
  auto again = set.Run(agent_, id, saved->flags, saved->version);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->version, saved->version);
  EXPECT_EQ(store_->ListEvents(query)->size(), events->size());
  // A stale version is refused.
  domain::CitizenFlags vulnerable = saved->flags;
  vulnerable.vulnerable = true;
  EXPECT_EQ(set.Run(agent_, id, vulnerable, saved->version - 1).status().code(), absl::StatusCode::kAborted);
  // Officers may not edit residents.
  EXPECT_EQ(set.Run(waste_officer_, id, vulnerable).status().code(), absl::StatusCode::kPermissionDenied);
  // Too long a language.
  domain::CitizenFlags long_language;
  long_language.interpreter_needed = true;
  long_language.interpreter_language = std::string(51, 'x');
  EXPECT_EQ(set.Run(agent_, id, long_language).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(CitizensTest, MergeMovesEverythingAndAdminCanReverseIt) {
  int64_t a = Create(Person("Ann", "Example", "07700900123", "ann@example.com"));
  int64_t b = Create(Person("Ann", "Example", "07700900456", "ann.e@example.org"));
  NewCase input;
  input.service_code = "missed-bin";
  input.citizen_id = b;
  input.channel = domain::Channel::kPhone;
  input.values = {{"bin_type", {"recycling"}}};
  auto c = OpenCase(deps()).Run(agent_, input);
  ASSERT_TRUE(c.ok()) << c.status();

  EXPECT_EQ(MergeCitizens(deps()).Run(agent_, b, a).status().code(),
            absl::StatusCode::kPermissionDenied);
  auto supervisor = MakeStaff(domain::Role::kSupervisor, "sup@example.org");
  auto merge = MergeCitizens(deps()).Run(supervisor, b, a);
  ASSERT_TRUE(merge.ok()) << merge.status();
  EXPECT_EQ(merge->moved_cases, std::vector<int64_t>{c->c.id});
  EXPECT_EQ(store_->GetCase(c->c.id)->citizen_id, a);
  auto into = store_->GetCitizen(a);
  EXPECT_EQ(into->phones.size(), 2u);
  EXPECT_EQ(store_->GetCitizen(b)->merged_into, a);
  EXPECT_EQ(MergeCitizens(deps()).Run(supervisor, b, a).status().code(),
            absl::StatusCode::kFailedPrecondition);

  EXPECT_EQ(UnmergeCitizens(deps()).Run(supervisor, merge->id).status().code(),
            absl::StatusCode::kPermissionDenied);
  auto reversed = UnmergeCitizens(deps()).Run(admin_, merge->id);
  ASSERT_TRUE(reversed.ok()) << reversed.status();
  EXPECT_EQ(store_->GetCase(c->c.id)->citizen_id, b);
  EXPECT_FALSE(store_->GetCitizen(b)->merged_into.has_value());
  EXPECT_TRUE(store_->GetMerge(merge->id)->reversed_at.has_value());
}

TEST_F(CitizensTest, TimelineHasContactsCasesAndEventsNewestFirst) {
  int64_t id = Create(Person("Ann", "Example", "07700900123", ""));
  NewCase input;
  input.service_code = "missed-bin";
  input.citizen_id = id;
  input.channel = domain::Channel::kWeb;
  input.values = {{"bin_type", {"general"}}};
  clock_.Advance(absl::Minutes(1));
  ASSERT_TRUE(OpenCase(deps()).Run(agent_, input).ok());
  clock_.Advance(absl::Minutes(1));
  domain::Contact call;
  call.channel = domain::Channel::kPhone;
  call.citizen_id = id;
  call.reason = "Asked about bin day";
  call.outcome = domain::ContactOutcome::kResolvedFirstContact;
  ASSERT_TRUE(RecordContact(deps()).Run(agent_, call).ok());

  auto timeline = GetTimeline(deps()).Run(agent_, id);
  ASSERT_TRUE(timeline.ok()) << timeline.status();
  int contacts = 0, cases = 0, events = 0;
  for (size_t i = 0; i < timeline->size(); ++i) {
    const auto& entry = (*timeline)[i];
    if (i > 0) { EXPECT_LE(entry.at, (*timeline)[i - 1].at); }
    if (std::holds_alternative<domain::Contact>(entry.item)) ++contacts;
    if (std::holds_alternative<domain::Case>(entry.item)) ++cases;
    if (std::holds_alternative<domain::Event>(entry.item)) ++events;
  }
  EXPECT_EQ(contacts, 2);  // the web report and the phone call
  EXPECT_EQ(cases, 1);
  EXPECT_GE(events, 3);    // citizen.created, case.created, contact.recorded
  // An officer of another department does not see the waste case.
  auto officer_view = GetTimeline(deps()).Run(highways_officer_, id);
  ASSERT_TRUE(officer_view.ok());
  for (const auto& entry : *officer_view) {
    EXPECT_FALSE(std::holds_alternative<domain::Case>(entry.item));
  }
}

}  // namespace
}  // namespace onestop::services
