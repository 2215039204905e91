#include "domain/telephony.h"

#include <set>
#include <string>
#include <vector>

#include "common/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace onestop::domain {
namespace {

IvrAction QueueAction(std::string queue) {
  IvrAction a;
  a.kind = IvrActionKind::kQueue;
  a.queue = std::move(queue);
  return a;
}

Telephony Valid() {
  Telephony t;
  t.numbers.push_back({"01632960000", "Switchboard", "main", "en"});
  IvrMenu main;
  main.id = "main";
  main.prompt = {"For council tax, press 1.", "Ar gyfer treth gyngor, pwyswch 1."};
  main.options.push_back({'1', QueueAction("council-tax")});
  IvrAction to_other;
  to_other.kind = IvrActionKind::kMenu;
  to_other.menu = "other";
  main.options.push_back({'2', to_other});
  IvrAction welsh;
  welsh.kind = IvrActionKind::kLanguage;
  welsh.language = "cy";
  welsh.menu = "main";
  main.options.push_back({'9', welsh});
  IvrAction hours;
  hours.kind = IvrActionKind::kMessage;
  hours.message = {"We are open 9 to 5.", ""};
  main.options.push_back({'3', hours});  // then hang up
  main.options.push_back({'0', IvrAction{}});
  t.menus.push_back(main);
  IvrMenu other;
  other.id = "other";
  other.prompt.en = "Press 1 for waste.";
  other.options.push_back({'1', QueueAction("waste")});
  t.menus.push_back(other);
  return t;
}

std::function<bool(std::string_view)> Queues(std::set<std::string> codes) {
  return [codes = std::move(codes)](std::string_view code) {
    return codes.contains(std::string(code));
  };
}

std::vector<std::string> Fields(const absl::Status& status) {
  std::vector<std::string> out;
  for (const FieldError& e : FieldErrorsOf(status)) out.push_back(e.field + " " + e.reason);
  return out;
}

TEST(TelephonyTest, ActionKindNames) {
  EXPECT_EQ(IvrActionKindName(IvrActionKind::kQueue), "queue");
  EXPECT_EQ(IvrActionKindName(IvrActionKind::kMenu), "menu");
  EXPECT_EQ(IvrActionKindName(IvrActionKind::kMessage), "message");
  EXPECT_EQ(IvrActionKindName(IvrActionKind::kLanguage), "language");
  EXPECT_EQ(IvrActionKindName(IvrActionKind::kOperator), "operator");
}

TEST(TelephonyTest, SpokenTextFallsBackToEnglish) {
  SpokenText both{"Hello", "Helo"};
  EXPECT_EQ(both.In("cy"), "Helo");
  EXPECT_EQ(both.In("en"), "Hello");
  SpokenText english{"Hello", ""};
  EXPECT_EQ(english.In("cy"), "Hello");
}

TEST(TelephonyTest, NumberIgnoresSpacesPlusAndCountryCode) {
  Telephony t = Valid();
  t.numbers.push_back({"+1 555 0100", "Abroad", "main", "en"});
  ASSERT_NE(t.Number("01632960000"), nullptr);
  EXPECT_EQ(t.Number("01632960000")->name, "Switchboard");
  EXPECT_EQ(t.Number("01632 960000"), &t.numbers[0]);
  EXPECT_EQ(t.Number("+441632960000"), &t.numbers[0]);
  EXPECT_EQ(t.Number("+44 1632 960000"), &t.numbers[0]);
  EXPECT_EQ(t.Number("15550100"), &t.numbers[1]);
  EXPECT_EQ(t.Number("+15550100"), &t.numbers[1]);
  EXPECT_EQ(t.Number("01632960001"), nullptr);
  EXPECT_EQ(t.Number("1632960000"), nullptr);
  EXPECT_EQ(t.Number(""), nullptr);
  EXPECT_EQ(t.Number("+"), nullptr);

  // A number written in international form answers the national one too.
  Telephony intl;
  intl.numbers.push_back({"+441632960000", "Switchboard", "main", "en"});
  EXPECT_EQ(intl.Number("01632960000"), &intl.numbers[0]);
}

TEST(TelephonyTest, ValidPasses) {
  EXPECT_TRUE(ValidateTelephony(Valid()).ok());
  EXPECT_TRUE(ValidateTelephony(Valid(), Queues({"council-tax", "waste", "general"})).ok());
}

TEST(TelephonyTest, UnknownQueueIsNamedByMenuAndDigit) {
  absl::Status s = ValidateTelephony(Valid(), Queues({"waste", "general"}));
  EXPECT_TRUE(absl::IsInvalidArgument(s));
  EXPECT_THAT(Fields(s), ::testing::ElementsAre(
                             "telephony.ivr.menus[main].options[1].queue queue_not_in_file"));
  EXPECT_THAT(s.message(), ::testing::HasSubstr("telephony.ivr.menus[main].options[1]"));

  // The operator queue is checked too.
  s = ValidateTelephony(Valid(), Queues({"council-tax", "waste"}));
  EXPECT_THAT(Fields(s), ::testing::ElementsAre("telephony.operator_queue queue_not_in_file"));
}

TEST(TelephonyTest, ReferencesAndValuesAreChecked) {
  Telephony t = Valid();
  t.numbers[0].menu = "nowhere";
  t.numbers[0].language = "fr";
  t.menus[0].options[1].action.menu = "gone";
  t.menus[0].options[2].action.language = "de";
  t.menus[0].options.push_back({'1', QueueAction("waste")});  // 1 twice
  t.menus[0].options.push_back({'x', QueueAction("waste")});
  t.menus[1].prompt.en = "";
  t.menus[1].on_timeout.kind = IvrActionKind::kMenu;
  t.menus[1].on_timeout.menu = "missing";
  EXPECT_THAT(
      Fields(ValidateTelephony(t)),
      ::testing::ElementsAre("telephony.numbers[0].menu ivr_menu_missing",
                             "telephony.numbers[0].language not_one_of",
                             "telephony.ivr.menus[main].options[2].menu ivr_menu_missing",
                             "telephony.ivr.menus[main].options[9].language not_one_of",
                             "telephony.ivr.menus[main].options[1] ivr_digit_twice",
                             "telephony.ivr.menus[main].options[x] ivr_digit",
                             "telephony.ivr.menus[other].prompt.en ivr_prompt_required",
                             "telephony.ivr.menus[other].on_timeout.menu ivr_menu_missing"));
}

TEST(TelephonyTest, IdsNumbersAndLimits) {
  Telephony t = Valid();
  t.numbers.push_back({"+44 1632 960000", "Again", "main", "en"});  // the same number
  t.numbers.push_back({"01632-abc", "Letters", "main", "en"});
  t.menus[1].id = "main";  // twice
  t.menus.push_back(t.menus[0]);
  t.menus.back().id = "Bad Id";
  t.menus[0].timeout_seconds = 0;
  t.menus[0].max_retries = -1;
  t.announce_seconds = -5;
  t.callback_digit = 'a';
  t.operator_queue = "";
  EXPECT_THAT(Fields(ValidateTelephony(t)),
              ::testing::ElementsAre("telephony.numbers[1].number telephone_number_twice",
                                     "telephony.numbers[2].number telephone_number_digits",
                                     "telephony.ivr.menus[main].timeout_seconds integer_range",
                                     "telephony.ivr.menus[main].max_retries integer_range",
                                     // "other" is gone: it was renamed.
                                     "telephony.ivr.menus[main].options[2].menu ivr_menu_missing",
                                     "telephony.ivr.menus[1].id ivr_menu_twice",
                                     "telephony.ivr.menus[2].id ivr_menu_id_format",
                                     "telephony.ivr.menus[2].options[2].menu ivr_menu_missing",
                                     "telephony.operator_queue ivr_queue_required",
                                     "telephony.announce_seconds integer_range",
                                     "telephony.callback_digit ivr_digit"));
}

TEST(TelephonyTest, MessageNeedsWordsAndMenuActionNeedsTarget) {
  Telephony t = Valid();
  t.menus[0].options[3].action.message.en = "";
  t.menus[0].options[3].action.menu = "other";
  t.menus[0].options[1].action.menu = "";
  EXPECT_THAT(Fields(ValidateTelephony(t)),
              ::testing::ElementsAre(
                  "telephony.ivr.menus[main].options[2].menu ivr_menu_required",
                  "telephony.ivr.menus[main].options[3].message.en ivr_message_required"));
  t = Valid();
  t.callback_digit = '*';
  EXPECT_TRUE(ValidateTelephony(t).ok());
}

TEST(TelephonyTest, RecordingRetentionByQueue) {
  Telephony t = Valid();
  EXPECT_EQ(t.RecordingRetentionDays("council-tax"), std::nullopt);
  t.recording = {{"council-tax", 90}, {"waste", 30}};
  EXPECT_EQ(t.RecordingRetentionDays("council-tax"), 90);
  EXPECT_EQ(t.RecordingRetentionDays("waste"), 30);
  EXPECT_EQ(t.RecordingRetentionDays("general"), std::nullopt);
  EXPECT_TRUE(ValidateTelephony(t, Queues({"council-tax", "waste", "general"})).ok());
}

TEST(TelephonyTest, SurveyCoversListedQueuesOrAll) {
  CallSurveyPolicy survey;
  survey.prompt.en = "Press 1 to 5.";
  EXPECT_TRUE(survey.Covers("council-tax"));
  EXPECT_TRUE(survey.Covers("anything"));
  survey.queues = {"waste"};
  EXPECT_TRUE(survey.Covers("waste"));
  EXPECT_FALSE(survey.Covers("council-tax"));
}

TEST(TelephonyTest, RecordingAndSurveyAreChecked) {
  Telephony t = Valid();
  t.recording = {{"council-tax", 0}, {"nowhere", 90}, {"council-tax", 3651}, {"", 10}};
  CallSurveyPolicy survey;
  survey.queues = {"waste", "gone"};
  survey.thanks.cy = "Diolch.";
  survey.timeout_seconds = 0;
  t.survey = survey;
  EXPECT_THAT(
      Fields(ValidateTelephony(t, Queues({"council-tax", "waste", "general"}))),
      ::testing::ElementsAre("telephony.recording[0].retention_days integer_range",
                             "telephony.recording[1].queue queue_not_in_file",
                             "telephony.recording[2].queue queue_defined_twice",
                             "telephony.recording[2].retention_days integer_range",
                             "telephony.recording[3].queue ivr_queue_required",
                             "telephony.survey.queues[1] queue_not_in_file",
                             "telephony.survey.prompt.en ivr_message_required",
                             "telephony.survey.thanks.en ivr_message_required",
                             "telephony.survey.timeout_seconds integer_range"));
}

}  // namespace
}  // namespace onestop::domain
