#include "codec/telephony.h"

#include <boost/json.hpp>
#include <string>

#include "codec/council_file.h"
#include "codec/field_error_matchers_test_util.h"
#include "common/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace onestop::codec {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Not;

constexpr std::string_view kTelephony = R"({
  "numbers": [{"number": "01632960000", "name": "Switchboard", "menu": "main", "language": "en"},
              {"number": "+44 1632 960001", "menu": "other"}],
  "ivr": {"menus": [
    {"id": "main", "prompt": {"en": "Press 1 for council tax.", "cy": "Pwyswch 1 ar gyfer treth gyngor."},
     "timeout_seconds": 8, "max_retries": 3,
     "options": {"1": {"queue": "council-tax"}, "2": {"menu": "other"},
                 "3": {"message": {"en": "We open at 9.", "cy": "Rydym ar agor am 9."}, "then": "main"},
                 "4": {"message": {"en": "Goodbye."}},
                 "9": {"language": "cy", "then": "main"}, "8": {"language": "en"},
                 "0": {"operator": true}, "*": {"queue": "waste"}},
     "on_timeout": {"menu": "other"}},
    {"id": "other", "prompt": {"en": "Press 1 for bins."}, "options": {"1": {"queue": "waste"}}}]},
  "operator_queue": "general", "announce_seconds": 30, "callback_digit": "*",
  "recording": [{"queue": "council-tax", "retention_days": 90}, {"queue": "waste", "retention_days": 7}],
  "survey": {"queues": ["council-tax"], "prompt": {"en": "Press 1 to 5.", "cy": "Pwyswch 1 i 5."},
             "thanks": {"en": "Thank you.", "cy": "Diolch."}, "timeout_seconds": 6}
})";

absl::StatusOr<domain::Telephony> Read(std::string_view text) {
  return TelephonyFromJsonText(text);
}

std::vector<FieldError> ErrorsOf(std::string_view text) {
  auto read = Read(text);
  EXPECT_FALSE(read.ok());
  return FieldErrorsOf(read.status());
}

// kTelephony with `from` replaced by `to` (once).
std::string With(std::string_view from, std::string_view to) {
  std::string text(kTelephony);
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(TelephonyCodecTest, ReadsEveryKindOfAction) {
  auto t = Read(kTelephony);
  ASSERT_TRUE(t.ok()) << t.status();
  ASSERT_EQ(t->numbers.size(), 2u);
  EXPECT_EQ(t->numbers[0], (domain::TelephoneNumber{"01632960000", "Switchboard", "main", "en"}));
  EXPECT_EQ(t->numbers[1].language, "en");
  EXPECT_EQ(t->Number("01632 960001"), &t->numbers[1]);
  ASSERT_EQ(t->menus.size(), 2u);
  const domain::IvrMenu& main = t->menus[0];
  EXPECT_EQ(main.prompt.cy, "Pwyswch 1 ar gyfer treth gyngor.");
  EXPECT_EQ(main.timeout_seconds, 8);
  EXPECT_EQ(main.max_retries, 3);
  ASSERT_EQ(main.options.size(), 8u);
  ASSERT_NE(main.Option('1'), nullptr);
  EXPECT_EQ(main.Option('1')->action.kind, domain::IvrActionKind::kQueue);
  EXPECT_EQ(main.Option('1')->action.queue, "council-tax");
  EXPECT_EQ(main.Option('2')->action.kind, domain::IvrActionKind::kMenu);
  EXPECT_EQ(main.Option('2')->action.menu, "other");
  EXPECT_EQ(main.Option('3')->action.kind, domain::IvrActionKind::kMessage);
  EXPECT_EQ(main.Option('3')->action.message.In("cy"), "Rydym ar agor am 9.");
  EXPECT_EQ(main.Option('3')->action.menu, "main");
  EXPECT_EQ(main.Option('4')->action.menu, "");  // hang up after
  EXPECT_EQ(main.Option('9')->action.kind, domain::IvrActionKind::kLanguage);
  EXPECT_EQ(main.Option('9')->action.language, "cy");
  EXPECT_EQ(main.Option('0')->action.kind, domain::IvrActionKind::kOperator);
  EXPECT_EQ(main.Option('*')->action.queue, "waste");
  EXPECT_EQ(main.Option('5'), nullptr);
  EXPECT_EQ(main.on_timeout.kind, domain::IvrActionKind::kMenu);
  // Defaults.
  EXPECT_EQ(t->menus[1].timeout_seconds, 10);
  EXPECT_EQ(t->menus[1].max_retries, 2);
  EXPECT_EQ(t->menus[1].on_timeout.kind, domain::IvrActionKind::kOperator);
  EXPECT_EQ(t->operator_queue, "general");
  EXPECT_EQ(t->announce_seconds, 30);
  EXPECT_EQ(t->callback_digit, '*');
  EXPECT_EQ(t->recording, (std::vector<domain::CallRecordingRule>{{"council-tax", 90}, {"waste", 7}}));
  EXPECT_EQ(t->RecordingRetentionDays("waste"), 7);
  EXPECT_EQ(t->RecordingRetentionDays("general"), std::nullopt);
  ASSERT_TRUE(t->survey.has_value());
  EXPECT_EQ(t->survey->queues, std::vector<std::string>{"council-tax"});
  EXPECT_EQ(t->survey->prompt.In("cy"), "Pwyswch 1 i 5.");
  EXPECT_EQ(t->survey->thanks.en, "Thank you.");
  EXPECT_EQ(t->survey->timeout_seconds, 6);
  EXPECT_TRUE(t->survey->Covers("council-tax"));
  EXPECT_FALSE(t->survey->Covers("waste"));
}

TEST(TelephonyCodecTest, RoundTrips) {
  auto first = Read(kTelephony);
  ASSERT_TRUE(first.ok()) << first.status();
  const std::string text = boost::json::serialize(TelephonyToJson(*first));
  auto second = Read(text);
  ASSERT_TRUE(second.ok()) << second.status() << "\n" << text;
  EXPECT_EQ(*first, *second);
  EXPECT_EQ(boost::json::serialize(TelephonyToJson(*second)), text);

  // No callback digit is left out and reads back as none.
  domain::Telephony none = *first;
  none.callback_digit = '\0';
  auto third = Read(boost::json::serialize(TelephonyToJson(none)));
  ASSERT_TRUE(third.ok()) << third.status();
  EXPECT_EQ(*third, none);

  // No recording and no survey are left out and read back as none; a
  // survey of every queue without thanks round-trips too.
  domain::Telephony plain = *first;
  plain.recording.clear();
  plain.survey.reset();
  const std::string plain_text = boost::json::serialize(TelephonyToJson(plain));
  EXPECT_EQ(plain_text.find("recording"), std::string::npos);
  EXPECT_EQ(plain_text.find("survey"), std::string::npos);
  auto fourth = Read(plain_text);
  ASSERT_TRUE(fourth.ok()) << fourth.status();
  EXPECT_EQ(*fourth, plain);
  domain::Telephony everyone = *first;
  everyone.survey->queues.clear();
  everyone.survey->thanks = {};
  auto fifth = Read(boost::json::serialize(TelephonyToJson(everyone)));
  ASSERT_TRUE(fifth.ok()) << fifth.status();
  EXPECT_EQ(*fifth, everyone);
  EXPECT_TRUE(fifth->survey->Covers("general"));
}

TEST(TelephonyCodecTest, RecordingAndSurveyErrors) {
  EXPECT_THAT(ErrorsOf(With(R"("retention_days": 90)", R"("retention_days": 0)")),
              ElementsAre(Error("telephony.recording[0].retention_days", "invalid")));
  EXPECT_THAT(ErrorsOf(With(R"("retention_days": 90)", R"("retention_days": 3651)")),
              ElementsAre(Error("telephony.recording[0].retention_days", "invalid")));
  EXPECT_THAT(ErrorsOf(With(R"({"queue": "waste", "retention_days": 7})", R"({"queue": "waste"})")),
              ElementsAre(Error("telephony.recording[1].retention_days", "required")));
  EXPECT_THAT(ErrorsOf(With(R"({"queue": "waste", "retention_days": 7})",
                            R"({"queue": "council-tax", "retention_days": 7})")),
              ElementsAre(Error("telephony.recording[1].queue", "duplicate")));
  EXPECT_THAT(ErrorsOf(With(R"("prompt": {"en": "Press 1 to 5.", "cy": "Pwyswch 1 i 5."})",
                            R"("prompt": {"en": "", "cy": "Pwyswch 1 i 5."})")),
              ElementsAre(Error("telephony.survey.prompt.en", "required")));
  EXPECT_THAT(ErrorsOf(With(R"("timeout_seconds": 6)", R"("timeout_seconds": 61)")),
              ElementsAre(Error("telephony.survey.timeout_seconds", "invalid")));
  EXPECT_THAT(ErrorsOf(With(R"("timeout_seconds": 6)", R"("timeout_seconds": 6, "digits": 5)")),
              ElementsAre(Error("telephony.survey.digits", "unknown")));
}

TEST(TelephonyCodecTest, UnknownKeysAreErrors) {
  EXPECT_THAT(
      ErrorsOf(With(R"("announce_seconds": 30)", R"("announce_seconds": 30, "music": "x")")),
      ElementsAre(Error("telephony.music", "unknown")));
  EXPECT_THAT(ErrorsOf(With(R"({"1": {"queue": "waste"}}})",
                            R"({"1": {"queue": "waste", "priority": 1}}})")),
              ElementsAre(Error("telephony.ivr.menus[1].options.1.priority", "unknown")));
  // "then" belongs only to messages and language changes.
  EXPECT_THAT(ErrorsOf(With(R"("1": {"queue": "council-tax"})",
                            R"("1": {"queue": "council-tax", "then": "main"})")),
              ElementsAre(Error("telephony.ivr.menus[0].options.1.then", "unknown")));
}

TEST(TelephonyCodecTest, UnknownMenuIsNamedById) {
  EXPECT_THAT(ErrorsOf(With(R"("2": {"menu": "other"})", R"("2": {"menu": "elsewhere"})")),
              ElementsAre(Error("telephony.ivr.menus[main].options[2].menu", "not_found")));
  EXPECT_THAT(
      ErrorsOf(With(R"("menu": "main", "language": "en")", R"("menu": "start", "language": "en")")),
      ElementsAre(Error("telephony.numbers[0].menu", "not_found")));
}

TEST(TelephonyCodecTest, BadDigits) {
  EXPECT_THAT(ErrorsOf(With(R"("*": {"queue": "waste"})", R"("12": {"queue": "waste"})")),
              ElementsAre(Error("telephony.ivr.menus[0].options.12", "invalid")));
  EXPECT_THAT(ErrorsOf(With(R"("*": {"queue": "waste"})", R"("a": {"queue": "waste"})")),
              ElementsAre(Error("telephony.ivr.menus[0].options.a", "invalid")));
  EXPECT_THAT(ErrorsOf(With(R"("callback_digit": "*")", R"("callback_digit": "x")")),
              ElementsAre(Error("telephony.callback_digit", "invalid")));
}

TEST(TelephonyCodecTest, EmptyPromptAndBadActions) {
  EXPECT_THAT(ErrorsOf(With(R"({"en": "Press 1 for bins."})", R"({"en": ""})")),
              ElementsAre(Error("telephony.ivr.menus[other].prompt.en", "required")));
  EXPECT_THAT(ErrorsOf(With(R"({"en": "Press 1 for bins."})", R"({"cy": "Pwyswch 1."})")),
              Contains(Error("telephony.ivr.menus[1].prompt.en", "required")));
  EXPECT_THAT(ErrorsOf(With(R"("0": {"operator": true})", R"("0": {})")),
              ElementsAre(Error("telephony.ivr.menus[0].options.0", "required")));
  EXPECT_THAT(
      ErrorsOf(With(R"("0": {"operator": true})", R"("0": {"operator": true, "queue": "waste"})")),
      ElementsAre(Error("telephony.ivr.menus[0].options.0.operator", "invalid")));
  EXPECT_THAT(ErrorsOf(With(R"("0": {"operator": true})", R"("0": {"operator": false})")),
              ElementsAre(Error("telephony.ivr.menus[0].options.0.operator", "invalid")));
  EXPECT_THAT(ErrorsOf(With(R"("language": "cy", "then")", R"("language": "fr", "then")")),
              ElementsAre(Error("telephony.ivr.menus[main].options[9].language", "invalid")));
  EXPECT_THAT(ErrorsOf(With(R"("timeout_seconds": 8)", R"("timeout_seconds": 0)")),
              ElementsAre(Error("telephony.ivr.menus[0].timeout_seconds", "invalid")));
  EXPECT_THAT(
      ErrorsOf(With(R"("numbers": [)", R"("numbers": [{"number": "012x", "menu": "main"},)")),
      ElementsAre(Error("telephony.numbers[0].number", "invalid")));
  EXPECT_FALSE(Read("[]").ok());
  EXPECT_FALSE(Read("{").ok());
}

// The council file: "telephony" beside "routing", queues checked against it.
std::string Council(std::string_view telephony) {
  return std::string(R"({"name": "Test Borough", "departments": [{"code": "tax", "name": "Tax"}],
    "routing": {"queues": [{"code": "council-tax", "name": "Council tax"},
                           {"code": "waste", "name": "Waste"},
                           {"code": "general", "name": "General"}]},
    "telephony": )") +
         std::string(telephony) + "}";
}

TEST(TelephonyCodecTest, CouncilFileReadsTelephony) {
  auto file = ParseCouncilFile(Council(kTelephony));
  ASSERT_TRUE(file.ok()) << file.status();
  ASSERT_TRUE(file->telephony.has_value());
  EXPECT_EQ(*file->telephony, *Read(kTelephony));

  auto without = ParseCouncilFile(R"({"name": "T", "departments": []})");
  ASSERT_TRUE(without.ok()) << without.status();
  EXPECT_FALSE(without->telephony.has_value());
}

TEST(TelephonyCodecTest, CouncilFileChecksQueueCodes) {
  std::string telephony(kTelephony);
  telephony.replace(telephony.find(R"("council-tax")"), 13, R"("council_tax")");
  auto file = ParseCouncilFile(Council(telephony));
  ASSERT_FALSE(file.ok());
  EXPECT_THAT(FieldErrorsOf(file.status()),
              ElementsAre(Error("telephony.ivr.menus[main].options[1].queue", "not_found")));
  EXPECT_THAT(file.status().message(),
              ::testing::HasSubstr("telephony.ivr.menus[main].options[1].queue"));

  telephony = kTelephony;
  telephony.replace(telephony.find(R"("general")"), 9, R"("switchboard")");
  file = ParseCouncilFile(Council(telephony));
  ASSERT_FALSE(file.ok());
  EXPECT_THAT(FieldErrorsOf(file.status()),
              ElementsAre(Error("telephony.operator_queue", "not_found")));

  // The message a command line prints puts the problem into words.
  telephony = kTelephony;
  telephony.replace(telephony.find(R"({"menu": "other"})"), 17, R"({"menu": "elsewhere"})");
  file = ParseCouncilFile(Council(telephony));
  ASSERT_FALSE(file.ok());
  EXPECT_THAT(file.status().message(),
              ::testing::HasSubstr("telephony.ivr.menus[main].options[2].menu: Menu 'elsewhere' is "
                                   "not in telephony.ivr.menus [not_found]"));

  // Unknown keys inside the section are reported by the council file too.
  file = ParseCouncilFile(Council(R"({"numbers": [], "ivr": {"menus": []}, "colour": "red"})"));
  ASSERT_FALSE(file.ok());
  EXPECT_THAT(FieldErrorsOf(file.status()), ElementsAre(Error("telephony.colour", "unknown")));
  // The stored-setting reader does not check queues.
  telephony = kTelephony;
  telephony.replace(telephony.find(R"("general")"), 9, R"("switchboard")");
  EXPECT_TRUE(Read(telephony).ok());
}

}  // namespace
}  // namespace onestop::codec
