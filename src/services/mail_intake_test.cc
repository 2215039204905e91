// Filing inbound mail (services/mail_intake.h) on a real SQLite store and a
// live routing engine: a new conversation becomes a resident + email work
// item + contact; a reply in the thread, or naming the case in its subject,
// becomes a note and a contact on the case; bounces and loops are kept and
// not filed; filing twice changes nothing.
#include "services/mail_intake.h"

#include <memory>
#include <string>
#include <vector>

#include "domain/reference.h"
#include "gtest/gtest.h"
#include "routing/live_engine.h"
#include "services/cases.h"
#include "services/routing.h"
#include "services/testing/fixture.h"

namespace onestop::services {
namespace {

class MailIntakeTest : public testing::ServicesTest {
 protected:
  void SetUp() override {
    routing::LiveOptions options;
    options.timer_thread = false;
    engine_ = std::make_unique<routing::LiveEngine>(*store_, clock_, options);
    ASSERT_TRUE(engine_->Start().ok());
    desk_ = std::make_unique<RoutingDesk>(deps(), *engine_, nullptr);
    domain::RoutingQueue q;
    q.code = "email-enquiries";
    q.name = "Email enquiries";
    q.media = "email";
    auto put = desk_->PutQueue(admin_, q);
    ASSERT_TRUE(put.ok()) << put.status();
    mailbox_ = {"contact@fairhaven.example", "contact-centre", "email-enquiries"};
  }

  static domain::InboundMail Mail(const std::string& message_id, const std::string& subject) {
    domain::InboundMail m;
    m.message_id = message_id;
    m.from_address = "alice.jones@example.org";
    m.from_name = "Alice Jones";
    m.subject = subject;
    m.text = "My bin was not emptied.\n\n> earlier words";
    m.reply_text = "My bin was not emptied.";
    return m;
  }

  domain::MailMessage StoreAndFile(const domain::InboundMail& mail) {
    auto stored = StoreInboundMail(deps()).Run(mailbox_.address, mail, "raw:" + mail.message_id);
    EXPECT_TRUE(stored.ok()) << stored.status();
    if (!stored.ok()) return {};
    auto filed = FileInboundMail(deps(), *engine_).Run(*stored, mail, mailbox_);
    EXPECT_TRUE(filed.ok()) << filed.status();
    return filed.ok() ? *filed : domain::MailMessage{};
  }

  std::unique_ptr<routing::LiveEngine> engine_;
  std::unique_ptr<RoutingDesk> desk_;
  domain::Mailbox mailbox_;
};

TEST(CaseReferenceInSubjectTest, FindsAValidReferenceOnly) {
  const std::string ref = domain::EncodeCaseReference(42);
  EXPECT_EQ(CaseReferenceInSubject("Re: Missed bin [Ref " + ref + "]"), 42);
  EXPECT_EQ(CaseReferenceInSubject("RE: [ref:" + ref + "] thanks"), 42);
  EXPECT_EQ(CaseReferenceInSubject("[Ref nonsense] [Ref " + ref + "]"), 42);
  std::string wrong = ref;
  wrong.back() = wrong.back() == '0' ? '1' : '0';  // the check symbol no longer matches
  EXPECT_FALSE(CaseReferenceInSubject("[Ref " + wrong + "]").has_value());
  EXPECT_FALSE(CaseReferenceInSubject("Ref " + ref).has_value()) << "only in brackets";
  EXPECT_FALSE(CaseReferenceInSubject("").has_value());
}

TEST_F(MailIntakeTest, ANewConversationIsAResidentAWorkItemAndAContact) {
  const domain::MailMessage filed = StoreAndFile(Mail("m1@example.org", "Missed bin"));
  EXPECT_EQ(filed.state, domain::MailState::kFiled);
  EXPECT_EQ(filed.outcome, "new_contact");
  ASSERT_TRUE(filed.citizen_id.has_value());
  ASSERT_TRUE(filed.interaction_id.has_value());
  ASSERT_TRUE(filed.contact_id.has_value());

  auto citizen = store_->GetCitizen(*filed.citizen_id);
  ASSERT_TRUE(citizen.ok()) << citizen.status();
  EXPECT_EQ(citizen->given_name, "Alice");
  EXPECT_EQ(citizen->family_name, "Jones");
  EXPECT_EQ(citizen->emails, std::vector<std::string>{"alice.jones@example.org"});

  std::optional<routing::ItemView> item = engine_->Item(*filed.interaction_id);
  ASSERT_TRUE(item.has_value());
  EXPECT_EQ(item->media, routing::Media::kEmail);
  EXPECT_EQ(item->queue, "email-enquiries");
  EXPECT_EQ(item->caller, "alice.jones@example.org");
  EXPECT_EQ(item->reference, "mail:" + std::to_string(filed.id));

  domain::ContactQuery q;
  q.interaction_id = filed.interaction_id;
  auto contacts = store_->ListContacts(q);
  ASSERT_TRUE(contacts.ok());
  ASSERT_EQ(contacts->size(), 1u);
  EXPECT_EQ(contacts->front().channel, domain::Channel::kEmail);
  EXPECT_EQ(contacts->front().citizen_id, filed.citizen_id);
  EXPECT_EQ(contacts->front().reason, "Missed bin");

  // The same sender again, a new subject: the same resident, a second item.
  const domain::MailMessage second = StoreAndFile(Mail("m2@example.org", "Garden waste"));
  EXPECT_EQ(second.citizen_id, filed.citizen_id);
  EXPECT_NE(second.interaction_id, filed.interaction_id);

  // Filing again (a retry) changes nothing.
  auto again = FileInboundMail(deps(), *engine_).Run(filed, Mail("m1@example.org", "Missed bin"), mailbox_);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, filed);
  EXPECT_EQ(engine_->ItemsOf(routing::Media::kEmail).size(), 2u);
}

TEST_F(MailIntakeTest, RepliesGoOnTheCaseByThreadOrByReference) {
  domain::Citizen c;
  c.given_name = "Alice";
  c.emails = {"alice.jones@example.org"};
  auto created = CreateCitizen(deps()).Run(agent_, c, std::nullopt);
  ASSERT_TRUE(created.ok()) << created.status();
  NewCase input;
  input.service_code = "missed-bin";
  input.citizen_id = created->citizen.id;
  input.channel = domain::Channel::kPhone;
  input.values = {{"bin_type", {"general"}}};
  auto opened = OpenCase(deps()).Run(agent_, input);
  ASSERT_TRUE(opened.ok()) << opened.status();
  const domain::Case& kase = opened->c;

  // The subject names the case.
  domain::InboundMail reply = Mail("r1@example.org", "Re: Missed bin [Ref " + kase.reference + "]");
  const domain::MailMessage filed = StoreAndFile(reply);
  EXPECT_EQ(filed.outcome, "case_note");
  EXPECT_EQ(filed.case_id, kase.id);
  auto notes = store_->ListNotes(kase.id);
  ASSERT_TRUE(notes.ok());
  ASSERT_EQ(notes->size(), 1u);
  EXPECT_EQ(notes->front().body, "My bin was not emptied.") << "the quoted text is trimmed";
  EXPECT_EQ(notes->front().visibility, domain::NoteVisibility::kInternal);
  EXPECT_TRUE(engine_->ItemsOf(routing::Media::kEmail).empty()) << "no new work item for a reply";

  // A reply to that reply, with no reference in its subject, follows the thread.
  domain::InboundMail next = Mail("r2@example.org", "Re: Re: Missed bin");
  next.in_reply_to = "r1@example.org";
  next.references = {"unknown@example.org", "r1@example.org"};
  next.reply_text = "Still not emptied.";
  const domain::MailMessage threaded = StoreAndFile(next);
  EXPECT_EQ(threaded.outcome, "case_note");
  EXPECT_EQ(threaded.case_id, kase.id);
  notes = store_->ListNotes(kase.id);
  ASSERT_TRUE(notes.ok());
  EXPECT_EQ(notes->size(), 2u);

  domain::ContactQuery q;
  q.case_id = kase.id;
  q.channel = domain::Channel::kEmail;
  auto contacts = store_->ListContacts(q);
  ASSERT_TRUE(contacts.ok());
  EXPECT_GE(contacts->size(), 2u) << "each email is a contact on the case";

  // A reference to a case that does not exist: a new conversation.
  const domain::MailMessage unknown =
      StoreAndFile(Mail("r3@example.org", "[Ref " + domain::EncodeCaseReference(kase.id + 1000) + "]"));
  EXPECT_EQ(unknown.outcome, "new_contact");
  EXPECT_EQ(unknown.citizen_id, created->citizen.id) << "matched by address";
}

TEST_F(MailIntakeTest, BouncesAndLoopsAreKeptButNotFiled) {
  domain::InboundMail bounce = Mail("b1@example.org", "Undelivered Mail Returned to Sender");
  bounce.auto_kind = domain::AutoKind::kBounce;
  bounce.bounced_addresses = {"gone@example.org"};
  const domain::MailMessage b = StoreAndFile(bounce);
  EXPECT_EQ(b.state, domain::MailState::kIgnored);
  EXPECT_EQ(b.outcome, "bounce");
  domain::InboundMail loop = Mail("l1@example.org", "Re: Your request");
  loop.auto_kind = domain::AutoKind::kLoop;
  EXPECT_EQ(StoreAndFile(loop).outcome, "loop");
  EXPECT_TRUE(engine_->ItemsOf(routing::Media::kEmail).empty());
  auto kept = store_->GetMailMessage(b.id);
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->raw, "raw:b1@example.org") << "the message itself is kept";
}

TEST_F(MailIntakeTest, AStandbyStoresButLeavesTheMessageToBeFiled) {
  engine_->StepDown();
  domain::InboundMail mail = Mail("s1@example.org", "Hello");
  auto stored = StoreInboundMail(deps()).Run(mailbox_.address, mail, "raw");
  ASSERT_TRUE(stored.ok()) << stored.status();
  auto filed = FileInboundMail(deps(), *engine_).Run(*stored, mail, mailbox_);
  EXPECT_EQ(filed.status().code(), absl::StatusCode::kUnavailable);
  auto waiting = store_->ListMailMessages(domain::MailState::kNew, 0, 10);
  ASSERT_TRUE(waiting.ok());
  ASSERT_EQ(waiting->size(), 1u);
  EXPECT_EQ(waiting->front().id, stored->id);
}

}  // namespace
}  // namespace onestop::services
