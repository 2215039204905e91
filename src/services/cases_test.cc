#include "services/cases.h"

#include <thread>

#include "common/status.h"
#include "common/time_format.h"
#include "services/citizens.h"
#include "services/testing/fixture.h"

namespace onestop::services {
namespace {

using domain::CaseStatus;
using ::testing::ElementsAre;
using ::testing::Field;

class CasesTest : public testing::ServicesTest {
 protected:
  int64_t NewCitizen(const std::string& email = "ann@example.com") {
    domain::Citizen c;
    c.given_name = "Ann";
    c.family_name = "Example";
    c.emails = {email};
    c.phones = {"07700 900123"};
    auto created = CreateCitizen(deps()).Run(agent_, c, domain::Channel::kPhone);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? created->citizen.id : 0;
  }
  NewCase BinCase(int64_t citizen) {
    NewCase input;
    input.service_code = "missed-bin";
    input.citizen_id = citizen;
    input.channel = domain::Channel::kPhone;
    input.values = {{"bin_type", {"general"}}};
    input.location.postcode = "fh1 4ab";
    return input;
  }
};

TEST_F(CasesTest, OpenCaseStoresCaseEventAndContact) {
  int64_t citizen = NewCitizen();
  auto opened = OpenCase(deps()).Run(agent_, BinCase(citizen));
  ASSERT_TRUE(opened.ok()) << opened.status();
  const domain::Case& c = opened->c;
  EXPECT_GT(c.id, 0);
  EXPECT_EQ(c.reference.size(), 9u);
  EXPECT_EQ(c.status, CaseStatus::kNew);
  EXPECT_EQ(c.team, "waste-crews");
  EXPECT_EQ(c.department, "waste");
  EXPECT_EQ(c.location.postcode, "FH1 4AB");
  // Tuesday 10:00 + 2 working days = Thursday 10:00.
  ASSERT_TRUE(c.due_at.has_value());
  EXPECT_EQ(*c.due_at, Tuesday10am() + absl::Hours(48));

  auto stored = GetCase(deps()).Run(agent_, c.reference);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(*stored, c);

  domain::ContactQuery contacts;
  contacts.case_id = c.id;
  auto found = store_->ListContacts(contacts);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].outcome, domain::ContactOutcome::kCaseRaised);
  EXPECT_EQ((*found)[0].citizen_id, citizen);

  domain::EventQuery events;
  events.case_id = c.id;
  auto history = store_->ListEvents(events);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].type, "case.created");
}

TEST_F(CasesTest, WorkingHoursSlaSkipsTheNight) {
  clock_.Set(absl::FromCivil(absl::CivilSecond(2026, 11, 27, 15, 0, 0), LondonTimeZone()));  // Fri
  NewCase input;
  input.service_code = "pothole";
  input.channel = domain::Channel::kWeb;
  auto opened = OpenCase(deps()).Run(domain::Actor::Public(), input);
  ASSERT_TRUE(opened.ok()) << opened.status();
  // Fri 15:00 + 8 working hours = Mon 15:00.
  EXPECT_EQ(*opened->c.due_at,
            absl::FromCivil(absl::CivilSecond(2026, 11, 30, 15, 0, 0), LondonTimeZone()));
  EXPECT_FALSE(opened->c.citizen_id.has_value());
}

TEST_F(CasesTest, RejectsBadAnswersWithFieldErrorsAndWritesNothing) {
  int64_t citizen = NewCitizen();
  NewCase input = BinCase(citizen);
  input.values = {{"bin_type", {"purple"}}, {"colour", {"red"}}};
  input.location.postcode = "NOT A POSTCODE";
  auto opened = OpenCase(deps()).Run(agent_, input);
  ASSERT_EQ(opened.status().code(), absl::StatusCode::kInvalidArgument);
  auto fields = FieldErrorsOf(opened.status());
  ASSERT_FALSE(fields.empty());
  auto page = store_->ListCases({});
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->items.empty());
}

TEST_F(CasesTest, NeedsCitizenUnlessAnonymousAllowed) {
  NewCase input = BinCase(0);
  input.citizen_id.reset();
  auto opened = OpenCase(deps()).Run(agent_, input);
  ASSERT_EQ(opened.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldErrorsOf(opened.status())[0].field, "citizen_id");
  input.citizen_id = 424242;
  EXPECT_EQ(OpenCase(deps()).Run(agent_, input).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(CasesTest, ServiceMustBeOfferedOnTheChannel) {
  NewCase input;
  input.service_code = "pothole";
  input.channel = domain::Channel::kApi;  // pothole is phone and web only
  auto opened = OpenCase(deps()).Run(agent_, input);
  ASSERT_EQ(opened.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldErrorsOf(opened.status())[0].field, "channel");
  EXPECT_EQ(FieldErrorsOf(opened.status())[0].reason, "service_not_offered");
  EXPECT_THAT(FieldErrorsOf(opened.status())[0].params,
              ::testing::Contains(std::make_pair(std::string("channel"), std::string("api"))));
}

TEST_F(CasesTest, IdempotencyKeyReplaysTheFirstResult) {
  int64_t citizen = NewCitizen();
  IdempotencyKey key{"1:abc", "hash-1"};
  auto first = OpenCase(deps()).Run(agent_, BinCase(citizen), key);
  ASSERT_TRUE(first.ok()) << first.status();
  auto second = OpenCase(deps()).Run(agent_, BinCase(citizen), key);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_TRUE(second->replayed);
  EXPECT_EQ(second->c.id, first->c.id);
  auto page = store_->ListCases({});
  EXPECT_EQ(page->items.size(), 1u);
  IdempotencyKey reused{"1:abc", "hash-2"};
  EXPECT_EQ(OpenCase(deps()).Run(agent_, BinCase(citizen), reused).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(CasesTest, StatusMachineAndSlaPause) {
  int64_t citizen = NewCitizen();
  auto opened = OpenCase(deps()).Run(agent_, BinCase(citizen));
  ASSERT_TRUE(opened.ok());
  const int64_t id = opened->c.id;
  const absl::Time due = *opened->c.due_at;
  UpdateCase update(deps());

  CaseChanges to_closed;
  to_closed.status = CaseStatus::kClosed;
  auto illegal = update.Run(agent_, id, to_closed, std::nullopt);
  EXPECT_EQ(illegal.status().code(), absl::StatusCode::kFailedPrecondition);

  CaseChanges wait;
  wait.status = CaseStatus::kWaitingOnCitizen;
  auto waiting = update.Run(agent_, id, wait, std::nullopt);
  ASSERT_TRUE(waiting.ok()) << waiting.status();
  EXPECT_TRUE(waiting->sla_paused_at.has_value());
  EXPECT_EQ(waiting->sla_remaining, absl::Hours(16));  // two working days of 8 hours

  // A working day passes while waiting; the due time moves by a working day.
  clock_.Advance(absl::Hours(24));
  CaseChanges resume;
  resume.status = CaseStatus::kInProgress;
  auto resumed = update.Run(agent_, id, resume, std::nullopt);
  ASSERT_TRUE(resumed.ok()) << resumed.status();
  EXPECT_FALSE(resumed->sla_paused_at.has_value());
  EXPECT_EQ(*resumed->due_at, due + absl::Hours(24));

  CaseChanges resolve;
  resolve.status = CaseStatus::kResolved;
  auto resolved = update.Run(agent_, id, resolve, resumed->version);
  ASSERT_TRUE(resolved.ok());
  EXPECT_TRUE(resolved->resolved_at.has_value());
  CaseChanges reopen;
  reopen.status = CaseStatus::kOpen;
  auto reopened = update.Run(agent_, id, reopen, std::nullopt);
  ASSERT_TRUE(reopened.ok());
  EXPECT_FALSE(reopened->resolved_at.has_value());

  domain::EventQuery events;
  events.case_id = id;
  auto history = store_->ListEvents(events);
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history->size(), 5u);  // created + 4 changes (the illegal one wrote nothing)
}

TEST_F(CasesTest, StaleVersionIsAborted) {
  auto opened = OpenCase(deps()).Run(agent_, BinCase(NewCitizen()));
  ASSERT_TRUE(opened.ok());
  CaseChanges high;
  high.priority = domain::Priority::kHigh;
  ASSERT_TRUE(UpdateCase(deps()).Run(agent_, opened->c.id, high, 1).ok());
  CaseChanges low;
  low.priority = domain::Priority::kLow;
  EXPECT_EQ(UpdateCase(deps()).Run(agent_, opened->c.id, low, 1).status().code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(store_->GetCase(opened->c.id)->priority, domain::Priority::kHigh);
}

TEST_F(CasesTest, ConcurrentUpdatesWithOneVersionLetOneWin) {
  auto opened = OpenCase(deps()).Run(agent_, BinCase(NewCitizen()));
  ASSERT_TRUE(opened.ok());
  std::atomic<int> ok{0}, aborted{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      CaseChanges change;
      change.summary = "summary " + std::to_string(i);
      auto r = UpdateCase(deps()).Run(agent_, opened->c.id, change, 1);
      if (r.ok()) ++ok;
      if (r.status().code() == absl::StatusCode::kAborted) ++aborted;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(aborted.load(), 7);
}

TEST_F(CasesTest, OfficersSeeOnlyTheirDepartment) {
  auto bin = OpenCase(deps()).Run(agent_, BinCase(NewCitizen()));
  ASSERT_TRUE(bin.ok());
  EXPECT_TRUE(GetCase(deps()).Run(waste_officer_, std::to_string(bin->c.id)).ok());
  EXPECT_EQ(GetCase(deps()).Run(highways_officer_, std::to_string(bin->c.id)).status().code(),
            absl::StatusCode::kNotFound);
  CaseChanges change;
  change.priority = domain::Priority::kUrgent;
  EXPECT_EQ(UpdateCase(deps()).Run(highways_officer_, bin->c.id, change, std::nullopt)
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  auto listed = ListCases(deps()).Run(highways_officer_, {});
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(listed->items.empty());
  EXPECT_EQ(ListCases(deps()).Run(waste_officer_, {})->items.size(), 1u);
  EXPECT_EQ(ListCases(deps()).Run(domain::Actor::Public(), {}).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(CasesTest, NotesAndAttachments) {
  auto opened = OpenCase(deps()).Run(agent_, BinCase(NewCitizen()));
  ASSERT_TRUE(opened.ok());
  auto note = AddNote(deps()).Run(waste_officer_, opened->c.id, domain::NoteVisibility::kPublic,
                                  "Crew will return tomorrow");
  ASSERT_TRUE(note.ok()) << note.status();
  EXPECT_EQ(AddNote(deps()).Run(agent_, opened->c.id, domain::NoteVisibility::kInternal, "  ")
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  auto notes = ListNotes(deps()).Run(agent_, opened->c.id);
  ASSERT_TRUE(notes.ok());
  EXPECT_THAT(*notes, ElementsAre(Field(&domain::Note::body, "Crew will return tomorrow")));

  domain::Attachment photo;
  photo.filename = "bin.jpg";
  photo.content_type = "image/jpeg";
  photo.size_bytes = 1234;
  photo.url = "https://files.example.org/bin.jpg";
  ASSERT_TRUE(AddAttachment(deps()).Run(agent_, opened->c.id, photo).ok());
  photo.url = "javascript:alert(1)";
  EXPECT_FALSE(AddAttachment(deps()).Run(agent_, opened->c.id, photo).ok());
  EXPECT_EQ(ListAttachments(deps()).Run(agent_, opened->c.id)->size(), 1u);
}

}  // namespace
}  // namespace onestop::services
