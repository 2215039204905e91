#include "sip/ivr.h"

#include <gtest/gtest.h>

#include "i18n/translator.h"

namespace onestop::sip {
namespace {

domain::Telephony Demo() {
  domain::Telephony t;
  t.numbers.push_back({"01632960000", "Switchboard", "main", "en"});
  domain::IvrMenu main;
  main.id = "main";
  main.prompt = {"For council tax press 1.", "Ar gyfer treth gyngor pwyswch 1."};
  main.options.push_back({'1', {domain::IvrActionKind::kQueue, "council-tax", "", "", {}}});
  main.options.push_back({'2', {domain::IvrActionKind::kMenu, "", "waste", "", {}}});
  main.options.push_back({'3', {domain::IvrActionKind::kMessage, "", "main", "", {"We are open 9 to 5.", "Rydym ar agor 9 tan 5."}}});
  main.options.push_back({'4', {domain::IvrActionKind::kMessage, "", "", "", {"Goodbye.", ""}}});
  main.options.push_back({'9', {domain::IvrActionKind::kLanguage, "", "", "cy", {}}});
  main.options.push_back({'0', {domain::IvrActionKind::kOperator, "", "", "", {}}});
  main.timeout_seconds = 10;
  main.max_retries = 1;
  t.menus.push_back(main);
  domain::IvrMenu waste;
  waste.id = "waste";
  waste.prompt = {"For a missed bin press 1.", ""};
  waste.options.push_back({'1', {domain::IvrActionKind::kQueue, "waste", "", "", {}}});
  t.menus.push_back(waste);
  t.operator_queue = "general";
  return t;
}

class IvrTest : public ::testing::Test {
 protected:
  domain::Telephony telephony = Demo();
  Ivr ivr{telephony, telephony.numbers[0], i18n::Catalogs::Default()};
  absl::Time t0 = absl::FromUnixSeconds(1'800'000'000);
};

TEST_F(IvrTest, DigitGoesToItsQueue) {
  IvrStep start = ivr.Start();
  ASSERT_EQ(start.kind, IvrStep::Kind::kPlay);
  ASSERT_EQ(start.say.size(), 1u);
  EXPECT_EQ(start.say[0].text, "For council tax press 1.");
  std::optional<IvrStep> step = ivr.OnDigit('1', t0);  // barge-in while the prompt plays
  ASSERT_TRUE(step);
  EXPECT_EQ(step->kind, IvrStep::Kind::kQueue);
  EXPECT_EQ(step->queue, "council-tax");
  EXPECT_TRUE(ivr.finished());
  EXPECT_FALSE(ivr.OnDigit('2', t0)) << "digits after the IVR are not menu choices";
}

TEST_F(IvrTest, NoDigitWithinTheTimeoutGoesToTheOperator) {
  ivr.Start();
  EXPECT_FALSE(ivr.OnTick(t0 + absl::Hours(1))) << "the clock starts when the prompt has played";
  EXPECT_FALSE(ivr.OnPlayed(t0));
  EXPECT_FALSE(ivr.OnTick(t0 + absl::Seconds(9)));
  std::optional<IvrStep> step = ivr.OnTick(t0 + absl::Seconds(10));
  ASSERT_TRUE(step);
  EXPECT_EQ(step->kind, IvrStep::Kind::kQueue);
  EXPECT_EQ(step->queue, "general");
}

TEST_F(IvrTest, SubMenuMessageAndLanguage) {
  ivr.Start();
  std::optional<IvrStep> step = ivr.OnDigit('9', t0);
  ASSERT_TRUE(step);
  EXPECT_EQ(ivr.language(), "cy");
  EXPECT_EQ(step->say.back().text, "Ar gyfer treth gyngor pwyswch 1.");
  EXPECT_EQ(step->say.back().language, "cy");
  step = ivr.OnDigit('3', t0);
  ASSERT_TRUE(step);
  EXPECT_EQ(step->say[0].text, "Rydym ar agor 9 tan 5.");
  EXPECT_FALSE(ivr.OnDigit('1', t0)) << "a message plays to its end";
  step = ivr.OnPlayed(t0);
  ASSERT_TRUE(step) << "then back to the main menu";
  EXPECT_EQ(ivr.menu(), "main");
  step = ivr.OnDigit('2', t0);
  ASSERT_TRUE(step);
  EXPECT_EQ(ivr.menu(), "waste");
  EXPECT_EQ(step->say.back().text, "For a missed bin press 1.") << "no Welsh prompt: English";
  step = ivr.OnDigit('1', t0);
  ASSERT_TRUE(step);
  EXPECT_EQ(step->queue, "waste");
  EXPECT_EQ(ivr.digits(), "93121") << "every digit pressed, the one ignored during the message too";
}

TEST_F(IvrTest, WrongDigitsThenGiveUp) {
  ivr.Start();
  std::optional<IvrStep> step = ivr.OnDigit('7', t0);
  ASSERT_TRUE(step);
  EXPECT_EQ(step->kind, IvrStep::Kind::kPlay);
  ASSERT_EQ(step->say.size(), 2u) << "sorry, then the prompt again";
  step = ivr.OnDigit('7', t0);
  ASSERT_TRUE(step);
  EXPECT_EQ(step->kind, IvrStep::Kind::kQueue) << "max_retries = 1: the timeout action";
  EXPECT_EQ(step->queue, "general");
}

TEST_F(IvrTest, MessageWithoutNextMenuHangsUp) {
  ivr.Start();
  ASSERT_TRUE(ivr.OnDigit('4', t0));
  std::optional<IvrStep> step = ivr.OnPlayed(t0);
  ASSERT_TRUE(step);
  EXPECT_EQ(step->kind, IvrStep::Kind::kHangup);
}

TEST(QueueAnnouncementTest, PositionAndWaitInBothLanguages) {
  const i18n::Catalogs& c = i18n::Catalogs::Default();
  std::vector<Words> en = QueueAnnouncement(c, "en", 3, absl::Seconds(130));
  ASSERT_EQ(en.size(), 2u);
  EXPECT_EQ(en[0].text, "You are number 3 in the queue.");
  EXPECT_EQ(en[1].text, "Your call should be answered in about 3 minutes.");
  EXPECT_EQ(QueueAnnouncement(c, "en", 1, absl::Seconds(20))[1].text,
            "Your call should be answered in about 1 minute.");
  EXPECT_EQ(QueueAnnouncement(c, "en", 2, std::nullopt).size(), 1u);
  std::vector<Words> cy = QueueAnnouncement(c, "cy", 3, absl::Seconds(130));
  ASSERT_EQ(cy.size(), 2u);
  EXPECT_NE(cy[0].text, en[0].text) << "Welsh words";
  EXPECT_EQ(cy[0].language, "cy");
}

}  // namespace
}  // namespace onestop::sip
