// One contact per routed interaction (services/interactions.h), through the
// routing desk on a real SQLite store and a live engine on a fake clock.
#include "services/interactions.h"

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "routing/live_engine.h"
#include "services/cases.h"
#include "services/citizens.h"
#include "services/routing.h"
#include "services/testing/fixture.h"

namespace onestop::services {
namespace {

using domain::ContactOutcome;

class InteractionContactTest : public testing::ServicesTest {
 protected:
  void SetUp() override {
    routing::LiveOptions options;
    options.timer_thread = false;
    engine_ = std::make_unique<routing::LiveEngine>(*store_, clock_, options);
    ASSERT_TRUE(engine_->Start().ok());
    dispositions_ = {
        {"answered_from_kb", "Answered from the knowledge base", {}, ContactOutcome::kResolvedFirstContact,
         false, {}, {}},
        {"progress_chasing", "Progress chasing", {}, ContactOutcome::kCaseUpdated, true, {}, {}},
        {"payment_taken", "Payment taken", {}, ContactOutcome::kResolvedFirstContact, false,
         {"council-tax"}, {}},
        {"transferred", "Transferred", {}, ContactOutcome::kTransferred, false, {}, {}},
    };
    desk_ = std::make_unique<RoutingDesk>(deps(), *engine_, &dispositions_);
    for (const char* code : {"general", "council-tax"}) {
      domain::RoutingQueue q;
      q.code = code;
      q.name = code;
      auto put = desk_->PutQueue(admin_, q);
      ASSERT_TRUE(put.ok()) << put.status();
    }
    domain::Citizen c;
    c.given_name = "Ada";
    c.family_name = "Caller";
    c.phones = {"07700 900999"};
    auto created = CreateCitizen(deps()).Run(agent_, c, std::nullopt);
    ASSERT_TRUE(created.ok()) << created.status();
    citizen_id_ = created->citizen.id;
  }

  // A call in `queue` from `caller`, offered to and accepted by agent_.
  int64_t AnsweredCall(const std::string& queue, const std::string& caller) {
    InteractionRequest r;
    r.queue = queue;
    r.caller = caller;
    auto added = desk_->AddInteraction(agent_, r);
    EXPECT_TRUE(added.ok()) << added.status();
    EXPECT_TRUE(desk_->SetPresence(agent_, "available", "").ok());
    clock_.Advance(absl::Seconds(4));
    absl::Status accepted = desk_->Accept(agent_, added->item_id);
    EXPECT_TRUE(accepted.ok()) << accepted;
    return added->item_id;
  }

  std::vector<domain::Contact> ContactsOf(int64_t citizen_id) {
    domain::ContactQuery q;
    q.citizen_id = citizen_id;
    auto found = store_->ListContacts(q);
    EXPECT_TRUE(found.ok());
    return found.ok() ? *found : std::vector<domain::Contact>{};
  }

  domain::Contact ContactOf(int64_t item_id) {
    auto c = GetInteractionContact(deps()).Run(agent_, item_id);
    EXPECT_TRUE(c.ok()) << c.status();
    return c.ok() ? *c : domain::Contact{};
  }

  std::vector<domain::Disposition> dispositions_;
  std::unique_ptr<routing::LiveEngine> engine_;
  std::unique_ptr<RoutingDesk> desk_;
  int64_t citizen_id_ = 0;
};

TEST_F(InteractionContactTest, AcceptingACallStartsItsOneContactWithTheMatchedResident) {
  const int64_t item = AnsweredCall("general", "+44 7700 900999");
  const domain::Contact c = ContactOf(item);
  EXPECT_EQ(c.interaction_id, item);
  EXPECT_EQ(c.channel, domain::Channel::kPhone);
  EXPECT_EQ(c.staff_id, agent_.staff_id);
  EXPECT_EQ(c.citizen_id, citizen_id_);
  auto desk = desk_->Desk(agent_);
  ASSERT_TRUE(desk.ok());
  ASSERT_EQ(desk->items.size(), 1u);
  ASSERT_TRUE(desk->items[0].contact.has_value());
  EXPECT_EQ(desk->items[0].contact->id, c.id);
  EXPECT_EQ(desk->items[0].citizen->citizen_id, citizen_id_);
}

TEST_F(InteractionContactTest, RaisingACaseDuringTheCallAndWrappingUpLeavesOneLinkedContact) {
  const int64_t item = AnsweredCall("general", "07700900999");
  clock_.Advance(absl::Seconds(60));
  NewCase input;
  input.service_code = "missed-bin";
  input.citizen_id = citizen_id_;
  input.channel = domain::Channel::kPhone;
  input.values = {{"bin_type", {"general"}}};
  input.interaction_id = item;
  auto opened = OpenCase(deps()).Run(agent_, input);
  ASSERT_TRUE(opened.ok()) << opened.status();
  clock_.Advance(absl::Seconds(65));
  ASSERT_TRUE(desk_->Complete(agent_, item, {"progress_chasing", "missed-bin", "", true}).ok());

  const std::vector<domain::Contact> contacts = ContactsOf(citizen_id_);
  ASSERT_EQ(contacts.size(), 1u) << "the call and the case raised in it are one contact";
  const domain::Contact& c = contacts[0];
  EXPECT_EQ(c.interaction_id, item);
  EXPECT_EQ(c.case_id, opened->c.id);
  EXPECT_EQ(c.outcome, ContactOutcome::kCaseRaised);  // the fact beats the code
  EXPECT_EQ(c.disposition, "progress_chasing");
  EXPECT_EQ(c.service_code, "missed-bin");
  EXPECT_EQ(c.duration, absl::Seconds(125)) << "connect to complete, from the engine's times";
  EXPECT_FALSE(engine_->Item(item).has_value()) << "completed";
}

TEST_F(InteractionContactTest, TheDispositionSaysWhatAContactWithoutACaseCountsAs) {
  const int64_t item = AnsweredCall("council-tax", "01632 960123");
  clock_.Advance(absl::Seconds(30));
  ASSERT_TRUE(desk_->Complete(agent_, item, {"payment_taken", "", "paid the arrears", true}).ok());
  domain::ContactQuery q;
  q.interaction_id = item;
  auto found = store_->ListContacts(q);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ(found->front().outcome, ContactOutcome::kResolvedFirstContact);
  EXPECT_EQ(found->front().reason, "paid the arrears");
  EXPECT_FALSE(found->front().citizen_id.has_value()) << "nobody has that number";
  EXPECT_EQ(found->front().duration, absl::Seconds(30));
}

TEST_F(InteractionContactTest, ABadWrapUpIsRefusedAndTheCallStaysConnected) {
  const int64_t item = AnsweredCall("general", "07700900999");
  struct Case {
    WrapUp wrap_up;
    const char* reason;
  };
  for (const Case& bad : {Case{{"", "", "", true}, "disposition_required"},
                          Case{{"no-such-code", "", "", true}, "no_such_disposition"},
                          Case{{"payment_taken", "", "", true}, "disposition_not_for_queue"},
                          Case{{"answered_from_kb", "no-such-service", "", true}, "service_unknown_for_contact"},
                          Case{{"answered_from_kb", "", std::string(2001, 'x'), true}, "contact_reason_length"}}) {
    absl::Status refused = desk_->Complete(agent_, item, bad.wrap_up);
    EXPECT_TRUE(absl::IsInvalidArgument(refused)) << bad.reason << ": " << refused;
    std::vector<FieldError> errors = FieldErrorsOf(refused);
    ASSERT_EQ(errors.size(), 1u) << bad.reason;
    EXPECT_EQ(errors[0].reason, bad.reason);
    ASSERT_TRUE(engine_->Item(item).has_value());
    EXPECT_EQ(engine_->Item(item)->state, routing::ItemState::kConnected);
    EXPECT_EQ(ContactOf(item).disposition, "");
  }
  // The API may complete without one (no disposition is then recorded).
  clock_.Advance(absl::Seconds(7));
  ASSERT_TRUE(desk_->Complete(agent_, item, {}).ok());
  ASSERT_EQ(ContactsOf(citizen_id_).size(), 1u);
  EXPECT_EQ(ContactsOf(citizen_id_)[0].duration, absl::Seconds(7));
  EXPECT_EQ(ContactsOf(citizen_id_)[0].disposition, "");
}

TEST_F(InteractionContactTest, ATransferredCallStaysOneContactOfTheAgentWhoTakesIt) {
  const domain::Actor second = MakeStaff(domain::Role::kAgent, "agent2@example.org");
  const int64_t item = AnsweredCall("general", "07700900999");
  ASSERT_TRUE(desk_->SetPresence(second, "available", "").ok());
  ASSERT_TRUE(desk_->TransferToAgent(agent_, item, second.staff_id).ok());
  ASSERT_EQ(engine_->Item(item)->agent_id, second.staff_id);
  ASSERT_TRUE(desk_->Accept(second, item).ok());
  clock_.Advance(absl::Seconds(10));
  ASSERT_TRUE(desk_->Complete(second, item, {"answered_from_kb", "", "", true}).ok());
  const std::vector<domain::Contact> contacts = ContactsOf(citizen_id_);
  ASSERT_EQ(contacts.size(), 1u);
  EXPECT_EQ(contacts[0].staff_id, second.staff_id);
  EXPECT_EQ(contacts[0].disposition, "answered_from_kb");
}

TEST_F(InteractionContactTest, TheAgentLinksTheCallToTheResidentOnScreen) {
  const int64_t item = AnsweredCall("general", "withheld");
  EXPECT_FALSE(ContactOf(item).citizen_id.has_value());
  ASSERT_TRUE(desk_->LinkCitizen(agent_, item, citizen_id_).ok());
  EXPECT_EQ(ContactOf(item).citizen_id, citizen_id_);
  // Somebody else's call is not theirs to link.
  const domain::Actor other = MakeStaff(domain::Role::kAgent, "agent3@example.org");
  EXPECT_TRUE(absl::IsInvalidArgument(desk_->LinkCitizen(other, item, citizen_id_)));
  EXPECT_TRUE(absl::IsNotFound(desk_->LinkCitizen(agent_, 999999, citizen_id_)));
}

TEST_F(InteractionContactTest, CaseTasksAreNotContacts) {
  domain::RoutingQueue q;
  q.code = "cases-waste";
  q.name = "Waste cases";
  ASSERT_TRUE(desk_->PutQueue(admin_, q).ok());
  InteractionRequest r;
  r.media = "case_task";
  r.queue = "cases-waste";
  r.reference = "not-a-case";
  auto added = desk_->AddInteraction(agent_, r);
  ASSERT_TRUE(added.ok()) << added.status();
  ASSERT_TRUE(desk_->SetPresence(agent_, "available", "").ok());
  ASSERT_TRUE(desk_->Accept(agent_, added->item_id).ok());
  EXPECT_TRUE(absl::IsNotFound(GetInteractionContact(deps()).Run(agent_, added->item_id).status()));
  ASSERT_TRUE(desk_->Complete(agent_, added->item_id, {"", "", "", true}).ok())
      << "no wrap-up code for internal work";
}

TEST(Dispositions, ScopedByQueueAndServiceAndValidated) {
  std::vector<domain::Disposition> all = {
      {"a", "Anywhere", {}, ContactOutcome::kOther, false, {}, {}},
      {"b", "Council tax only", {}, ContactOutcome::kOther, false, {"council-tax"}, {}},
      {"c", "Bins only", {}, ContactOutcome::kOther, false, {}, {"missed-bin"}},
  };
  auto codes = [&](std::string_view queue, std::string_view service) {
    std::string out;
    for (const domain::Disposition* d : domain::DispositionsFor(all, queue, service)) out += d->code;
    return out;
  };
  EXPECT_EQ(codes("general", ""), "ac");
  EXPECT_EQ(codes("council-tax", ""), "abc");
  EXPECT_EQ(codes("council-tax", "pothole"), "ab");
  EXPECT_EQ(codes("general", "missed-bin"), "ac");
  EXPECT_TRUE(domain::ValidateDispositions(all).ok());
  all.push_back({"a", "", {}, ContactOutcome::kOther, false, {"Bad Queue"}, {""}});
  std::vector<std::string> reasons;
  for (const FieldError& e : FieldErrorsOf(domain::ValidateDispositions(all))) {
    reasons.push_back(e.field + " " + e.reason);
  }
  EXPECT_EQ(reasons, (std::vector<std::string>{"dispositions[3].code disposition_code_repeated",
                                               "dispositions[3].name disposition_name_required",
                                               "dispositions[3].queues[0] queue_code_format",
                                               "dispositions[3].services[0] service_code_format"}));
}

}  // namespace
}  // namespace onestop::services
