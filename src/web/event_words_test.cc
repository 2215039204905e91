// The event log in words: a table of events as the services write them
// (services/cases.cc, citizens.cc, contacts.cc, articles.cc) and the
// sentences staff read, in English and Welsh. No field code, raw id or
// RFC 3339 time may reach the page.
#include "web/event_words.h"

#include <regex>

#include <gtest/gtest.h>

#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "common/time_format.h"

namespace onestop::web {
namespace {

using domain::Event;
using domain::FieldChange;

const i18n::Translator& English() { return i18n::Catalogs::Default().Get("en"); }
const i18n::Translator& Welsh() { return i18n::Catalogs::Default().Get("cy"); }

NameLookup Names() {
  NameLookup names;
  names.staff = {{3, "Aisha Agent"}, {7, "Sam Officer"}};
  names.teams = {{"waste-collections", "Waste collections"}};
  names.services = {{"missed-bin", "Report a missed bin"}};
  names.articles = {{12, "Bin days"}};
  names.dispositions = {{"progress_chasing", "Progress chasing"}};
  return names;
}

// 5 December 2026, 5pm in London (GMT) = 17:00Z.
std::string Due() { return FormatRfc3339(absl::FromCivil(absl::CivilSecond(2026, 12, 5, 17, 0, 0), absl::UTCTimeZone())); }

Event Make(std::string type, std::string entity, int64_t actor, std::optional<domain::Channel> channel,
           std::vector<FieldChange> changes) {
  Event e;
  e.type = std::move(type);
  e.entity = std::move(entity);
  e.entity_key = "ABCD-1234";
  e.actor_id = actor;
  e.channel = channel;
  e.changes = std::move(changes);
  return e;
}

struct Row {
  const char* name;
  Event event;
  std::string who;
  std::vector<std::string> sentences;
};

std::vector<Row> Table() {
  return {
      {"case raised by an agent",
       Make("case.created", "case", 3, domain::Channel::kPhone,
            {{"service_code", "", "missed-bin"}, {"status", "", "new"}, {"priority", "", "normal"},
             {"team", "", "waste-collections"}, {"due_at", "", Due()}}),
       "Aisha Agent",
       {"Case raised by phone by Aisha Agent", "Sent to the Waste collections team", "Due 5 December 2026 at 5:00pm"}},
      {"case raised online by the resident",
       Make("case.created", "case", 0, domain::Channel::kWeb, {{"status", "", "new"}, {"priority", "", "high"}}),
       "The resident",
       {"Case raised online", "Priority: high"}},
      {"assigned",
       Make("case.updated", "case", 7, std::nullopt, {{"assignee_id", "", "7"}}),
       "Sam Officer",
       {"Assigned to Sam Officer"}},
      {"unassigned",
       Make("case.updated", "case", 3, std::nullopt, {{"assignee_id", "7", ""}}),
       "Aisha Agent",
       {"No longer assigned to Sam Officer"}},
      {"assigned to someone unknown",
       Make("case.updated", "case", 99, std::nullopt, {{"assignee_id", "", "42"}}),
       "A member of staff",
       {"Assigned to a member of staff"}},
      {"status and pause",
       Make("case.status_changed", "case", 7, std::nullopt,
            {{"status", "new", "in_progress"}, {"sla_paused_at", "", Due()}}),
       "Sam Officer",
       {"Status changed from Received to In progress", "Target clock paused while waiting on the resident"}},
      {"waiting on the resident, staff words",
       Make("case.status_changed", "case", 7, std::nullopt, {{"status", "in_progress", "waiting_on_citizen"}}),
       "Sam Officer",
       {"Status changed from In progress to Waiting on the resident"}},
      {"due date moved",
       Make("case.updated", "case", 7, std::nullopt, {{"due_at", "2026-12-01T10:00:00Z", Due()}}),
       "Sam Officer",
       {"Due date changed to 5 December 2026 at 5:00pm"}},
      {"public note",
       Make("note.added", "case", 7, std::nullopt,
            {{"visibility", "", "public"}, {"note_id", "", "5"}, {"body", "", "Crew sent"}}),
       "Sam Officer",
       {"Note added for the resident to see", "‘Crew sent’"}},
      {"internal note",
       Make("note.added", "case", 7, std::nullopt, {{"visibility", "", "internal"}, {"note_id", "", "6"}}),
       "Sam Officer",
       {"Internal note added"}},
      {"contact",
       Make("contact.recorded", "contact", 3, domain::Channel::kFaceToFace,
            {{"channel", "", "face_to_face"}, {"outcome", "", "resolved_first_contact"}}),
       "Aisha Agent",
       {"Contact face to face recorded", "Outcome: Resolved at first contact"}},
      {"wrapped up with a disposition",
       Make("contact.wrapped_up", "contact", 3, domain::Channel::kPhone,
            {{"disposition", "", "progress_chasing"}, {"outcome", "other", "case_updated"},
             {"service_code", "", "missed-bin"}, {"duration_seconds", "", "125"}}),
       "Aisha Agent",
       {"Wrapped up: Progress chasing", "Took 2 min 5 s", "About Report a missed bin"}},
      {"wrapped up without a code",
       Make("contact.wrapped_up", "contact", 3, domain::Channel::kPhone, {{"duration_seconds", "", "40"}}),
       "Aisha Agent",
       {"Wrapped up", "Took 40 s"}},
      {"closed as a duplicate",
       Make("case.status_changed", "case", 7, std::nullopt,
            {{"status", "new", "closed"}, {"duplicate_of", "", "NKRH-5NST"}}),
       "Sam Officer",
       {"Status changed from Received to Closed", "Closed as a duplicate of NKRH-5NST"}},
      {"the original learns of its duplicate",
       Make("case.duplicate_added", "case", 7, std::nullopt, {{"duplicate", "", "ABCD-EFGH"}}),
       "Sam Officer",
       {"ABCD-EFGH was marked as a duplicate of this case"}},
      {"a follower",
       Make("case.follower_added", "case", 7, std::nullopt, {{"follower", "", "12"}}),
       "Sam Officer",
       {"A resident will be kept informed"}},
      {"call transferred",
       Make("contact.transferred", "contact", 7, domain::Channel::kPhone, {{"staff_id", "3", "7"}}),
       "Sam Officer",
       {"Transferred to Sam Officer"}},
      {"answered from an article",
       Make("contact.answered", "contact", 3, std::nullopt, {{"article_id", "", "12"}}),
       "Aisha Agent",
       {"Answered from the article ‘Bin days’"}},
      {"flags set",
       Make("citizen.flags_changed", "citizen", 3, std::nullopt,
            {{"flags.vulnerable", "false", "true"}, {"flags.interpreter_needed", "false", "true"},
             {"flags.interpreter_language", "", "Polish"}, {"flags.email_undeliverable", "false", "true"}}),
       "Aisha Agent",
       {"Marked as vulnerable", "Needs an interpreter: Polish", "Email address marked as undeliverable"}},
      {"flags cleared",
       Make("citizen.flags_changed", "citizen", 3, std::nullopt,
            {{"flags.interpreter_needed", "true", "false"}, {"flags.interpreter_language", "Polish", ""}}),
       "Aisha Agent",
       {"No longer needs an interpreter"}},
      {"resident registered online",
       Make("citizen.created", "citizen", 0, domain::Channel::kWeb, {{"given_name", "", "Ada"}}),
       "The resident",
       {"Resident registered online"}},
      {"details changed",
       Make("citizen.updated", "citizen", 3, std::nullopt,
            {{"preferred_channel", "", "email"}, {"consent", "", "email,sms"}}),
       "Aisha Agent",
       {"Resident's details changed", "Prefers to be contacted by email", "Agreed to be contacted by: email, text message"}},
      {"an event kind nobody worded yet",
       Make("case.teleported", "case", 3, std::nullopt, {{"mystery_field", "a", "b"}}),
       "Aisha Agent",
       {"Case changed"}},
  };
}

TEST(EventWordsTest, EveryEventOfTheTableReadsAsWords) {
  const NameLookup names = Names();
  for (const Row& row : Table()) {
    EventWords words = DescribeEvent(row.event, names, English());
    EXPECT_EQ(words.who, row.who) << row.name;
    EXPECT_EQ(words.sentences, row.sentences) << row.name;
  }
}

TEST(EventWordsTest, NoCodesIdsOrMachineTimesReachTheWords) {
  const NameLookup names = Names();
  const std::regex machine(R"(\d{4}-\d{2}-\d{2}T|_id|[a-z]+_[a-z]+|→|\bnull\b)");
  for (const i18n::Translator* tr : {&English(), &Welsh()}) {
    for (const Row& row : Table()) {
      EventWords words = DescribeEvent(row.event, names, *tr);
      ASSERT_FALSE(words.sentences.empty()) << row.name;
      const std::string text = absl::StrJoin(words.sentences, " | ");
      EXPECT_FALSE(std::regex_search(text, machine)) << tr->lang() << " " << row.name << ": " << text;
      EXPECT_EQ(text.find("ABCD-1234"), std::string::npos) << text;
    }
  }
}

TEST(EventWordsTest, WelshWordsTheSameEvents) {
  const NameLookup names = Names();
  const std::vector<Row> table = Table();
  const Row& raised = table[0];
  EventWords words = DescribeEvent(raised.event, names, Welsh());
  ASSERT_EQ(words.sentences.size(), 3u);
  EXPECT_NE(words.sentences[0], raised.sentences[0]);
  EXPECT_NE(words.sentences[0].find("Aisha Agent"), std::string::npos);
  EXPECT_NE(words.sentences[2].find("Rhagfyr"), std::string::npos) << words.sentences[2];
}

TEST(EventWordsTest, CodesAsStaffReadThem) {
  EXPECT_STREQ(ChannelText(domain::Channel::kFaceToFace, English()), "Face to face");
  EXPECT_STREQ(ChannelHow(domain::Channel::kWeb, English()), "online");
  EXPECT_STREQ(OutcomeText(domain::ContactOutcome::kInformationGiven, English()), "Information given");
  EXPECT_EQ(StaffNameOf(3, Names(), English()), "Aisha Agent");
  EXPECT_EQ(StaffNameOf(1234, Names(), English()), "a member of staff");
}

}  // namespace
}  // namespace onestop::web
