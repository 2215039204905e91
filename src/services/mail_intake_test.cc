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
#include "services/catalogue.h"
#include "services/citizens.h"
#include "services/outbox.h"
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
    mailbox_ = {"contact@fairhaven.example", "contact-centre", "email-enquiries", ""};

    domain::Service enquiry;
    enquiry.code = "bin-enquiry";
    enquiry.name = "Ask about bins";
    enquiry.department = "waste";
    enquiry.channels = {domain::Channel::kEmail, domain::Channel::kWeb};
    enquiry.sla = {5, domain::SlaUnit::kWorkingDays};
    enquiry.default_team = "waste-crews";
    enquiry.fields = {{"topic", domain::Datatype::kString, false, 1, "About?", "", {}},
                      {"question", domain::Datatype::kText, true, 2, "Your question", "", {}}};
    ASSERT_TRUE(SaveService(deps()).Run(admin_, enquiry, std::nullopt).ok());
    bins_ = {"bins@fairhaven.example", "waste-crews", "email-enquiries", "bin-enquiry"};
  }

  domain::MailMessage StoreAndFileTo(const domain::Mailbox& box, const domain::InboundMail& mail) {
    auto stored = StoreInboundMail(deps()).Run(box.address, mail, "raw:" + mail.message_id);
    EXPECT_TRUE(stored.ok()) << stored.status();
    if (!stored.ok()) return {};
    auto filed = FileInboundMail(deps(), *engine_).Run(*stored, mail, box);
    EXPECT_TRUE(filed.ok()) << filed.status();
    return filed.ok() ? *filed : domain::MailMessage{};
  }

  std::vector<domain::OutboxMessage> Outbox() {
    auto all = store_->ListOutbox(std::nullopt, 0, 1000);
    EXPECT_TRUE(all.ok()) << all.status();
    return all.ok() ? *all : std::vector<domain::OutboxMessage>{};
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

  domain::MailMessage StoreAndFile(const domain::InboundMail& mail) { return StoreAndFileTo(mailbox_, mail); }

  std::unique_ptr<routing::LiveEngine> engine_;
  std::unique_ptr<RoutingDesk> desk_;
  domain::Mailbox mailbox_;
  domain::Mailbox bins_;  // raises bin-enquiry cases
};

// A transport that answers what the test tells it to and keeps what it was given.
class ScriptedTransport : public domain::MessageTransport {
 public:
  absl::StatusOr<std::string> Send(const domain::OutboxMessage& m) override {
    given.push_back(m);
    if (answers.empty()) return std::string("ok-") + std::to_string(m.id);
    absl::Status next = answers.front();
    answers.erase(answers.begin());
    if (next.ok()) return std::string("ok-") + std::to_string(m.id);
    return next;
  }
  std::vector<absl::Status> answers;
  std::vector<domain::OutboxMessage> given;
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

TEST_F(MailIntakeTest, ABounceFlagsTheAddressAndRepliesStopGoingThere) {
  const domain::MailMessage filed = StoreAndFileTo(bins_, Mail("bq1@example.org", "Bin day?"));
  ASSERT_TRUE(filed.case_id.has_value());
  domain::InboundMail bounce = Mail("bb1@example.org", "Undelivered Mail Returned to Sender");
  bounce.from_address = "mailer-daemon@mx.example.org";
  bounce.auto_kind = domain::AutoKind::kBounce;
  bounce.bounced_addresses = {"alice.jones@example.org", "stranger@example.org"};
  EXPECT_EQ(StoreAndFile(bounce).outcome, "bounce");
  auto resident = store_->GetCitizen(*filed.citizen_id);
  ASSERT_TRUE(resident.ok());
  EXPECT_TRUE(resident->flags.email_undeliverable);

  auto reply = ReplyToResident(deps(), ReplyChannels{true, "contact@fairhaven.example", false})
                   .Run(agent_, *filed.case_id, "Tuesday");
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldErrorsOf(reply.status()).at(0).reason, "resident_email_undeliverable");
  // Filing the bounce again (a retry) is harmless.
  EXPECT_EQ(StoreAndFile(bounce).outcome, "bounce");
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

TEST_F(MailIntakeTest, AServiceMailboxRaisesACaseAndAcknowledgesItInTheThread) {
  domain::InboundMail mail = Mail("q1@example.org", "When is my bin day?");
  mail.references = {"older@example.org"};
  mail.reply_text = "I moved to 3 High Street. When is my bin day?";
  const domain::MailMessage filed = StoreAndFileTo(bins_, mail);
  EXPECT_EQ(filed.state, domain::MailState::kFiled);
  EXPECT_EQ(filed.outcome, "new_case");
  ASSERT_TRUE(filed.case_id.has_value());
  EXPECT_TRUE(engine_->ItemsOf(routing::Media::kEmail).empty()) << "a case, not a work item";

  auto kase = store_->GetCase(*filed.case_id);
  ASSERT_TRUE(kase.ok()) << kase.status();
  EXPECT_EQ(kase->service_code, "bin-enquiry");
  EXPECT_EQ(kase->channel, domain::Channel::kEmail);
  EXPECT_EQ(kase->summary, "When is my bin day?");
  EXPECT_EQ(kase->values.at("question"), std::vector<std::string>{"I moved to 3 High Street. When is my bin day?"});
  EXPECT_EQ(kase->citizen_id, filed.citizen_id);

  std::vector<domain::OutboxMessage> out = Outbox();
  ASSERT_EQ(out.size(), 1u);
  const domain::OutboxMessage& ack = out[0];
  EXPECT_EQ(ack.template_code, domain::kTemplateCaseAcknowledgement);
  EXPECT_EQ(ack.recipient, "alice.jones@example.org");
  EXPECT_EQ(ack.sender, "bins@fairhaven.example");
  EXPECT_TRUE(ack.automatic);
  EXPECT_EQ(ack.Param("reference"), kase->reference);
  EXPECT_EQ(ack.Param("service"), "Ask about bins");
  EXPECT_EQ(ack.in_reply_to, "q1@example.org");
  EXPECT_EQ(ack.references, (std::vector<std::string>{"older@example.org", "q1@example.org"}));
  EXPECT_THAT(ack.message_id, ::testing::EndsWith("@fairhaven.example"));
  EXPECT_EQ(ack.state, domain::OutboxState::kQueued);
  EXPECT_EQ(ack.case_id, kase->id);

  domain::EventQuery eq;
  eq.case_id = kase->id;
  auto events = store_->ListEvents(eq);
  ASSERT_TRUE(events.ok());
  std::vector<std::string> types;
  for (const domain::Event& e : *events) types.push_back(e.type);
  EXPECT_THAT(types, ::testing::ElementsAre("case.created", "message.queued"));

  // The resident answers the acknowledgement: on the same case, no new one.
  domain::InboundMail answer = Mail("q2@example.org", "Re: When is my bin day?");
  answer.in_reply_to = ack.message_id;
  answer.references = {"q1@example.org", ack.message_id};
  answer.reply_text = "It is number 3, not 5.";
  const domain::MailMessage on_case = StoreAndFileTo(bins_, answer);
  EXPECT_EQ(on_case.outcome, "case_note");
  EXPECT_EQ(on_case.case_id, kase->id);
  EXPECT_EQ(Outbox().size(), 1u) << "no acknowledgement for a reply";

  // Filing the first message again changes nothing.
  auto again = FileInboundMail(deps(), *engine_).Run(filed, mail, bins_);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->case_id, filed.case_id);
  EXPECT_EQ(Outbox().size(), 1u);
}

TEST_F(MailIntakeTest, NoAcknowledgementToAutomaticMailSystemSendersOrPastTheRateLimit) {
  // An out-of-office to the service mailbox: routed to a person, not a case, no reply.
  domain::InboundMail away = Mail("ooo@example.org", "Out of office");
  away.auto_kind = domain::AutoKind::kAutoSubmitted;
  EXPECT_EQ(StoreAndFileTo(bins_, away).outcome, "new_contact");
  EXPECT_TRUE(Outbox().empty());

  // noreply@: a case, no acknowledgement.
  domain::InboundMail robot = Mail("robot@example.org", "Form submission");
  robot.from_address = "noreply@forms.example.org";
  EXPECT_EQ(StoreAndFileTo(bins_, robot).outcome, "new_case");
  EXPECT_TRUE(Outbox().empty());

  // Ten acknowledgements in ten minutes to one address, then none.
  for (int i = 0; i < 11; ++i) {
    clock_.Advance(absl::Seconds(30));
    EXPECT_EQ(StoreAndFileTo(bins_, Mail("flood" + std::to_string(i) + "@example.org", "Bins " + std::to_string(i)))
                  .outcome,
              "new_case");
  }
  EXPECT_EQ(Outbox().size(), 10u);
  // Once the window has room again, it is acknowledged.
  clock_.Advance(absl::Minutes(10));
  StoreAndFileTo(bins_, Mail("later@example.org", "Bins later"));
  EXPECT_EQ(Outbox().size(), 11u);
}

TEST_F(MailIntakeTest, TheOutboxSendsRetriesWithBackoffAndGivesUp) {
  StoreAndFileTo(bins_, Mail("d1@example.org", "First"));
  StoreAndFileTo(bins_, Mail("d2@example.org", "Second"));
  ASSERT_EQ(Outbox().size(), 2u);
  ScriptedTransport smtp;
  smtp.answers = {absl::OkStatus(), absl::UnavailableError("relay down")};
  OutboxPolicy policy;
  policy.max_attempts = 3;
  DeliverOutbox deliver(deps(), {{domain::OutboxChannel::kEmail, &smtp}}, policy);

  auto round = deliver.Run();
  ASSERT_TRUE(round.ok()) << round.status();
  EXPECT_EQ(round->sent, 1);
  EXPECT_EQ(round->retried, 1);
  std::vector<domain::OutboxMessage> out = Outbox();
  EXPECT_EQ(out[0].state, domain::OutboxState::kSent);
  EXPECT_EQ(out[0].provider_id, "ok-" + std::to_string(out[0].id));
  EXPECT_EQ(out[0].attempts, 1);
  EXPECT_EQ(out[1].state, domain::OutboxState::kQueued);
  EXPECT_EQ(out[1].last_error, "unavailable");
  EXPECT_EQ(out[1].next_attempt_at, clock_.Now() + absl::Seconds(30));

  // Not due yet: nothing sent.
  round = deliver.Run();
  ASSERT_TRUE(round.ok());
  EXPECT_EQ(round->sent + round->retried + round->failed, 0);
  EXPECT_EQ(smtp.given.size(), 2u);

  // Due: fails again (next wait doubled), then the last attempt fails: given up.
  smtp.answers = {absl::DeadlineExceededError("slow"), absl::UnavailableError("down")};
  clock_.Advance(absl::Seconds(30));
  ASSERT_TRUE(deliver.Run().ok());
  EXPECT_EQ(Outbox()[1].next_attempt_at, clock_.Now() + absl::Minutes(1));
  clock_.Advance(absl::Minutes(1));
  round = deliver.Run();
  ASSERT_TRUE(round.ok());
  EXPECT_EQ(round->failed, 1);
  out = Outbox();
  EXPECT_EQ(out[1].state, domain::OutboxState::kFailed);
  EXPECT_EQ(out[1].attempts, 3);

  // A permanent refusal fails at once.
  StoreAndFileTo(bins_, Mail("d3@example.org", "Third"));
  smtp.answers = {absl::InvalidArgumentError("550 no such user")};
  round = deliver.Run();
  ASSERT_TRUE(round.ok());
  EXPECT_EQ(round->failed, 1);
  EXPECT_EQ(Outbox()[2].last_error, "rejected");

  // Each result is on its case's history.
  domain::EventQuery eq;
  eq.case_id = out[1].case_id;
  auto events = store_->ListEvents(eq);
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events->back().type, "message.failed");
  EXPECT_EQ(RetryDelay(policy, 1), absl::Seconds(30));
  EXPECT_EQ(RetryDelay(OutboxPolicy{}, 20), absl::Hours(1));
}

TEST_F(MailIntakeTest, AnAgentRepliesInTheCaseThread) {
  domain::InboundMail mail = Mail("t1@example.org", "Bin day?");
  const domain::MailMessage filed = StoreAndFileTo(bins_, mail);
  ASSERT_TRUE(filed.case_id.has_value());
  const std::string ack_id = Outbox().at(0).message_id;

  auto reply = ReplyToResident(deps(), ReplyChannels{true, "contact@fairhaven.example", false})
                   .Run(waste_officer_, *filed.case_id, "  Your bin day is Tuesday.  ");
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->template_code, domain::kTemplateCaseReply);
  EXPECT_FALSE(reply->automatic);
  EXPECT_EQ(reply->recipient, "alice.jones@example.org");
  EXPECT_EQ(reply->sender, "bins@fairhaven.example") << "from the mailbox they wrote to";
  EXPECT_EQ(reply->Param("body"), "Your bin day is Tuesday.");
  EXPECT_EQ(reply->Param("case_subject"), "Bin day?");
  EXPECT_EQ(reply->references, (std::vector<std::string>{"t1@example.org", ack_id}));
  EXPECT_EQ(reply->in_reply_to, ack_id);
  EXPECT_EQ(reply->staff_id, waste_officer_.staff_id);

  auto listed = ListCaseMessages(deps()).Run(agent_, *filed.case_id);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->size(), 2u);
  domain::ContactQuery q;
  q.case_id = filed.case_id;
  auto contacts = store_->ListContacts(q);
  ASSERT_TRUE(contacts.ok());
  bool outbound = false;
  for (const domain::Contact& c : *contacts) outbound |= c.direction == domain::Direction::kOutbound;
  EXPECT_TRUE(outbound) << "the reply is an outbound email contact";

  // Another department's officer cannot see the case, nor reply on it.
  EXPECT_EQ(ReplyToResident(deps(), ReplyChannels{true, "", false}).Run(highways_officer_, *filed.case_id, "x").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(ListCaseMessages(deps()).Run(highways_officer_, *filed.case_id).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(ReplyToResident(deps(), ReplyChannels{true, "", false}).Run(agent_, *filed.case_id, "   ").status().code(),
            absl::StatusCode::kInvalidArgument);

  // A resident without an email address: a clear error, nothing queued.
  domain::Citizen phone_only;
  phone_only.given_name = "Bob";
  phone_only.phones = {"01632960123"};
  auto bob = CreateCitizen(deps()).Run(agent_, phone_only, std::nullopt);
  ASSERT_TRUE(bob.ok());
  NewCase input;
  input.service_code = "missed-bin";
  input.citizen_id = bob->citizen.id;
  input.channel = domain::Channel::kPhone;
  input.values = {{"bin_type", {"general"}}};
  auto opened = OpenCase(deps()).Run(agent_, input);
  ASSERT_TRUE(opened.ok());
  auto none = ReplyToResident(deps(), ReplyChannels{true, "", false}).Run(agent_, opened->c.id, "Hello");
  EXPECT_EQ(none.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldErrorsOf(none.status()).at(0).reason, "resident_has_no_email");
  EXPECT_EQ(Outbox().size(), 2u);

  // With texts configured: never to a landline; a mobile gets a text.
  const ReplyChannels both{true, "contact@fairhaven.example", true};
  auto landline = ReplyToResident(deps(), both).Run(agent_, opened->c.id, "Hello");
  EXPECT_EQ(FieldErrorsOf(landline.status()).at(0).reason, "resident_has_no_email_or_mobile");
  domain::Citizen with_mobile = bob->citizen;
  with_mobile.phones = {"01632960123", "+44 7700 900123"};
  ASSERT_TRUE(UpdateCitizen(deps()).Run(agent_, with_mobile, with_mobile.version).ok());
  auto text = ReplyToResident(deps(), both).Run(agent_, opened->c.id, "Your bin will be emptied tomorrow.");
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(text->channel, domain::OutboxChannel::kSms);
  EXPECT_EQ(text->recipient, "07700900123");
  EXPECT_TRUE(text->message_id.empty());
  EXPECT_TRUE(text->sender.empty());

  // Sent through the SMS transport, then Notify's receipt says delivered.
  ScriptedTransport sms;
  DeliverOutbox deliver(deps(), {{domain::OutboxChannel::kSms, &sms}});
  auto round = deliver.Run();
  ASSERT_TRUE(round.ok());
  EXPECT_EQ(round->sent, 1) << "only the text: no email transport here";
  const std::string provider_id = "ok-" + std::to_string(text->id);
  auto delivered = RecordDeliveryReceipt(deps()).Run(provider_id, domain::OutboxState::kDelivered, "", std::nullopt);
  ASSERT_TRUE(delivered.ok()) << delivered.status();
  EXPECT_EQ(delivered->state, domain::OutboxState::kDelivered);
  EXPECT_EQ(delivered->delivered_at, clock_.Now());
  // A repeated or late receipt changes nothing; an unknown id is NotFound.
  auto again = RecordDeliveryReceipt(deps()).Run(provider_id, domain::OutboxState::kFailed, "permanent_failure",
                                                 std::nullopt);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->state, domain::OutboxState::kDelivered);
  EXPECT_EQ(RecordDeliveryReceipt(deps())
                .Run("nope", domain::OutboxState::kDelivered, "", std::nullopt)
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  domain::EventQuery eq;
  eq.case_id = opened->c.id;
  auto events = store_->ListEvents(eq);
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events->back().type, "message.delivered");
}

TEST(IsUkMobileTest, MobilesOnly) {
  EXPECT_TRUE(domain::IsUkMobile("07700 900123"));
  EXPECT_TRUE(domain::IsUkMobile("+447911123456"));
  EXPECT_TRUE(domain::IsUkMobile("07624 123456"));
  EXPECT_FALSE(domain::IsUkMobile("01632 960123")) << "a landline";
  EXPECT_FALSE(domain::IsUkMobile("07600 123456")) << "a pager";
  EXPECT_FALSE(domain::IsUkMobile("07000 123456")) << "a personal number";
  EXPECT_FALSE(domain::IsUkMobile("0770090012")) << "too short";
  EXPECT_FALSE(domain::IsUkMobile(""));
}

}  // namespace
}  // namespace onestop::services
