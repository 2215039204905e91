#include "services/call_recordings.h"

#include <filesystem>
#include <fstream>

#include "common/status.h"
#include "services/housekeeping.h"
#include "services/testing/fixture.h"

namespace onestop::services {
namespace {

class CallRecordingsTest : public testing::ServicesTest {
 protected:
  CallRecordingsTest() {
    supervisor_ = MakeStaff(domain::Role::kSupervisor, "super@example.org");
  }

  int64_t AddCallContact(int64_t interaction_id, std::optional<int64_t> citizen_id = std::nullopt) {
    domain::Contact contact;
    contact.channel = domain::Channel::kPhone;
    contact.at = clock_.Now();
    contact.interaction_id = interaction_id;
    contact.citizen_id = citizen_id;
    int64_t id = 0;
    EXPECT_TRUE(store_
                    ->Write([&](domain::WriteTxn& txn) -> absl::Status {
                      ONESTOP_ASSIGN_OR_RETURN(id, txn.InsertContact(contact));
                      return absl::OkStatus();
                    })
                    .ok());
    return id;
  }

  domain::CallRecording Recording(int64_t interaction_id, const std::string& path, int days = 90) {
    domain::CallRecording r;
    r.interaction_id = interaction_id;
    r.queue = "council-tax";
    r.path = path;
    r.started_at = clock_.Now();
    r.duration_ms = 95500;
    r.paused_ms = 20000;
    r.pauses = 1;
    r.bytes = 1528044;
    r.delete_after = domain::RecordingDeleteAfter(r.started_at, days);
    return r;
  }

  std::vector<domain::Event> EventsOfType(const std::string& type) {
    domain::EventQuery query;
    query.limit = 1000;
    absl::StatusOr<std::vector<domain::Event>> events = store_->ListEvents(query);
    EXPECT_TRUE(events.ok()) << events.status();
    std::vector<domain::Event> out;
    if (!events.ok()) return out;
    for (domain::Event& e : *events) {
      if (e.type == type) out.push_back(std::move(e));
    }
    return out;
  }

  domain::Actor supervisor_;
};

TEST_F(CallRecordingsTest, SaveFindsTheInteractionsContactAndRecordsAnEvent) {
  const int64_t contact = AddCallContact(501);
  auto id = SaveCallRecording(deps()).Run(Recording(501, "2026/11/24/501.wav"));
  ASSERT_TRUE(id.ok()) << id.status();

  auto stored = store_->GetContactCallRecording(contact);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->id, *id);
  EXPECT_EQ((*stored)->contact_id, contact);
  EXPECT_EQ((*stored)->path, "2026/11/24/501.wav");

  std::vector<domain::Event> events = EventsOfType("contact.call_recorded");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].entity, "contact");
  EXPECT_EQ(events[0].entity_id, contact);
  EXPECT_EQ(events[0].actor_id, 0);
  // Figures only: no path, no number, no name.
  std::vector<std::string> fields;
  for (const domain::FieldChange& c : events[0].changes) fields.push_back(c.field + "=" + c.after);
  EXPECT_THAT(fields, ::testing::ElementsAre("duration_seconds=95", "paused_seconds=20", "pauses=1"));

  // A call without a contact (the caller hung up as it was answered) is kept too.
  auto lone = SaveCallRecording(deps()).Run(Recording(502, "2026/11/24/502.wav"));
  ASSERT_TRUE(lone.ok()) << lone.status();
  EXPECT_EQ(EventsOfType("contact.call_recorded").back().entity_id, 0);
}

TEST_F(CallRecordingsTest, SaveRefusesBadRows) {
  auto code = [&](domain::CallRecording r) { return SaveCallRecording(deps()).Run(r).status(); };
  EXPECT_TRUE(absl::IsInvalidArgument(code(Recording(0, "a.wav"))));
  EXPECT_TRUE(absl::IsInvalidArgument(code(Recording(1, "../a.wav"))));
  EXPECT_TRUE(absl::IsInvalidArgument(code(Recording(1, "/tmp/a.wav"))));
  domain::CallRecording r = Recording(1, "a.wav");
  r.delete_after = r.started_at;
  EXPECT_TRUE(absl::IsInvalidArgument(code(r)));
  r = Recording(1, "a.wav");
  r.paused_ms = r.duration_ms + 1;
  EXPECT_TRUE(absl::IsInvalidArgument(code(r)));
  r = Recording(1, "a.wav");
  r.queue.clear();
  EXPECT_TRUE(absl::IsInvalidArgument(code(r)));
  EXPECT_THAT(FieldErrorsOf(code(Recording(0, "a.wav"))),
              ::testing::ElementsAre(::testing::Field(&FieldError::field, "interaction_id")));
  ASSERT_TRUE(code(Recording(1, "a.wav")).ok());
  EXPECT_TRUE(absl::IsAlreadyExists(code(Recording(2, "a.wav"))));
}

TEST_F(CallRecordingsTest, OnlySupervisorsAndAdminsGetARecordingWhileItIsKept) {
  const int64_t contact = AddCallContact(601);
  ASSERT_TRUE(SaveCallRecording(deps()).Run(Recording(601, "601.wav", 1)).ok());
  GetCallRecording get(deps());
  EXPECT_EQ(get.Run(supervisor_, contact)->path, "601.wav");
  EXPECT_EQ(get.Run(admin_, contact)->path, "601.wav");
  EXPECT_TRUE(absl::IsPermissionDenied(get.Run(agent_, contact).status()));
  EXPECT_TRUE(absl::IsPermissionDenied(get.Run(waste_officer_, contact).status()));
  EXPECT_TRUE(absl::IsUnauthenticated(get.Run(domain::Actor::Public(), contact).status()));
  EXPECT_TRUE(absl::IsNotFound(get.Run(supervisor_, contact + 1).status()));

  // The details a contact's reader sees follow the same rule.
  auto details = GetContactCallDetails(deps()).Run(supervisor_, contact);
  ASSERT_TRUE(details.ok()) << details.status();
  EXPECT_TRUE(details->recording.has_value());
  details = GetContactCallDetails(deps()).Run(agent_, contact);
  ASSERT_TRUE(details.ok()) << details.status();
  EXPECT_FALSE(details->recording.has_value());

  // A day later it is past its retention: gone, file deleted or not.
  clock_.Advance(absl::Hours(24));
  EXPECT_TRUE(absl::IsNotFound(get.Run(supervisor_, contact).status()));
  details = GetContactCallDetails(deps()).Run(supervisor_, contact);
  ASSERT_TRUE(details.ok());
  EXPECT_FALSE(details->recording.has_value());
}

TEST_F(CallRecordingsTest, SurveyScoresOneToFiveOncePerInteraction) {
  const int64_t contact = AddCallContact(701, std::nullopt);
  RecordCallSurvey survey(deps());
  EXPECT_TRUE(absl::IsInvalidArgument(survey.Run(701, agent_.staff_id, "waste", 0, clock_.Now()).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(survey.Run(701, agent_.staff_id, "waste", 6, clock_.Now()).status()));
  EXPECT_THAT(FieldErrorsOf(survey.Run(701, agent_.staff_id, "waste", 6, clock_.Now()).status()),
              ::testing::ElementsAre(::testing::Field(&FieldError::reason, "integer_range")));
  auto details = GetContactCallDetails(deps()).Run(agent_, contact);
  ASSERT_TRUE(details.ok());
  EXPECT_FALSE(details->satisfaction.has_value());

  ASSERT_TRUE(survey.Run(701, agent_.staff_id, "waste", 4, clock_.Now()).ok());
  EXPECT_TRUE(absl::IsAlreadyExists(survey.Run(701, agent_.staff_id, "waste", 5, clock_.Now()).status()));
  details = GetContactCallDetails(deps()).Run(agent_, contact);
  ASSERT_TRUE(details.ok());
  EXPECT_EQ(details->satisfaction, 4);
  std::vector<domain::Event> events = EventsOfType("contact.survey_answered");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].entity_id, contact);
  ASSERT_EQ(events[0].changes.size(), 1u);
  EXPECT_EQ(events[0].changes[0].after, "4");
  // A call whose contact is unknown still keeps its answer.
  EXPECT_TRUE(survey.Run(702, agent_.staff_id, "waste", 5, clock_.Now()).ok());
}

TEST_F(CallRecordingsTest, HousekeepingDeletesExpiredFilesThenRows) {
  const std::filesystem::path recordings = dir_ / "recordings";
  std::filesystem::create_directories(recordings / "2026");
  auto write = [&](const std::string& path) {
    std::ofstream(recordings / path) << "RIFF";
  };
  const int64_t short_contact = AddCallContact(801);
  const int64_t long_contact = AddCallContact(802);
  write("2026/801.wav");
  write("2026/802.wav");
  ASSERT_TRUE(SaveCallRecording(deps()).Run(Recording(801, "2026/801.wav", 1)).ok());
  ASSERT_TRUE(SaveCallRecording(deps()).Run(Recording(802, "2026/802.wav", 30)).ok());
  // Its file already gone: the row still goes.
  ASSERT_TRUE(SaveCallRecording(deps()).Run(Recording(803, "2026/803.wav", 1)).ok());

  auto none = PurgeExpiredRecords(deps(), recordings.string(), 2).Run();
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(none->recordings, 0);

  clock_.Advance(absl::Hours(25));
  // Without a recordings directory nothing of them is touched.
  auto without = PurgeExpiredRecords(deps(), 2).Run();
  ASSERT_TRUE(without.ok());
  EXPECT_EQ(without->recordings, 0);
  EXPECT_TRUE(std::filesystem::exists(recordings / "2026/801.wav"));

  auto purged = PurgeExpiredRecords(deps(), recordings.string(), 1).Run();
  ASSERT_TRUE(purged.ok()) << purged.status();
  EXPECT_EQ(purged->recordings, 2);
  EXPECT_EQ(purged->recordings_failed, 0);
  EXPECT_FALSE(std::filesystem::exists(recordings / "2026/801.wav"));
  EXPECT_TRUE(std::filesystem::exists(recordings / "2026/802.wav"));
  EXPECT_FALSE(store_->GetContactCallRecording(short_contact)->has_value());
  EXPECT_TRUE(store_->GetContactCallRecording(long_contact)->has_value());
  auto left = store_->ListExpiredCallRecordings(clock_.Now() + absl::Hours(24 * 31), 10);
  ASSERT_TRUE(left.ok());
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ(left->front().interaction_id, 802);
}

}  // namespace
}  // namespace onestop::services
