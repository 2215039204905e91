// Email in through the real binary (`onestop serve --lmtp-listen
// 127.0.0.1:0` on the seeded demo council), delivered with swaks over LMTP
// as the council's Postfix would:
//   - a new message to contact@ is acknowledged (250), becomes an email
//     contact for a resident matched by address (or a new one) and an email
//     work item in the demo's "email-enquiries" queue, offered to an agent
//     with the resident popped;
//   - an unknown mailbox is refused with 550 5.1.1 and changes nothing;
//   - a reply naming a case in its subject ([Ref XXXX-XXXX]) lands on that
//     case: a note.added event (channel email, the quoted text trimmed) and
//     an email contact on it;
//   - a bounce is kept and answered 250 but raises nothing.
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>
#include <memory>
#include <string>
#include <thread>

#include "api_client.h"

namespace onestop::integration {
namespace {

struct Swaks {
  int exit_code = -1;
  std::string out;
};

// swaks over LMTP to the server; `extra` are more swaks arguments.
Swaks Deliver(uint16_t port, const std::string& to, const std::string& subject, const std::string& body,
              const std::string& extra = "") {
  const std::string command = "swaks --protocol LMTP --server 127.0.0.1 --port " + std::to_string(port) +
                              " --timeout 20 --from alice.mailer@example.org --h-From '\"Alice Mailer\" "
                              "<alice.mailer@example.org>' --to " +
                              to + " --header 'Subject: " + subject + "' --body '" + body + "' " + extra + " 2>&1";
  Swaks result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  size_t n = 0;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) result.out.append(buffer, n);
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

class MailTest : public ServerSuite {
 public:
  static void SetUpTestSuite() {
    tokens_.clear();
    services_.clear();
    if (!OnestopProcess::SkipReason().empty()) return;
    if (std::system("command -v swaks >/dev/null 2>&1") != 0) return;  // SetUp skips
    server_ = std::make_unique<OnestopProcess>();
    server_->set_extra_args({"--lmtp-listen", "127.0.0.1:0"});
    started_ = server_->Seed() && server_->Start();
    if (started_ && server_->lmtp_port() == 0) {
      ADD_FAILURE() << "the server did not print its LMTP port; log:\n" << server_->ReadLog();
      started_ = false;
    }
  }

 protected:
  void SetUp() override {
    if (std::system("command -v swaks >/dev/null 2>&1") != 0) GTEST_SKIP() << "swaks is not installed";
    ServerSuite::SetUp();
  }
  static uint16_t Lmtp() { return server().lmtp_port(); }

  static std::vector<boost::json::object> EmailContacts(Api& api) {
    std::vector<boost::json::object> out;
    Reply r = api.Get("/api/v1/contacts?channel=email&limit=100");
    EXPECT_EQ(r.status, 200) << r;
    for (const auto& c : r.Items()) out.push_back(c.as_object());
    return out;
  }
};

TEST_F(MailTest, ANewMessageBecomesAContactAndAnEmailWorkItemForTheResident) {
  Api agent = ApiAs(kAgent);
  Api supervisor = ApiAs(kSupervisor);
  const size_t before = EmailContacts(supervisor).size();
  Swaks sent = Deliver(Lmtp(), "Contact@Fairhaven.example", "My bin was not collected",
                       "Hello, my green bin was not emptied on Tuesday.");
  ASSERT_EQ(sent.exit_code, 0) << sent.out;
  EXPECT_NE(sent.out.find("250 2.1.5 <Contact@Fairhaven.example>"), std::string::npos) << sent.out;

  std::vector<boost::json::object> contacts;
  ASSERT_TRUE(WaitFor([&] { return (contacts = EmailContacts(supervisor)).size() == before + 1; }));
  const boost::json::object& contact = contacts.back();
  EXPECT_EQ(contact.at("reason").as_string(), "My bin was not collected");
  ASSERT_TRUE(contact.at("citizen_id").is_int64()) << boost::json::serialize(contact);
  ASSERT_TRUE(contact.at("interaction_id").is_int64()) << boost::json::serialize(contact);
  const int64_t citizen_id = contact.at("citizen_id").as_int64();
  const int64_t item_id = contact.at("interaction_id").as_int64();
  Reply resident = supervisor.Get("/api/v1/citizens/" + std::to_string(citizen_id));
  ASSERT_EQ(resident.status, 200) << resident;
  EXPECT_EQ(resident.json.at("given_name").as_string(), "Alice");
  EXPECT_EQ(resident.json.at("family_name").as_string(), "Mailer");

  Reply item = supervisor.Get("/api/v1/interactions/" + std::to_string(item_id));
  ASSERT_EQ(item.status, 200) << item;
  EXPECT_EQ(item.json.at("media").as_string(), "email");
  EXPECT_EQ(item.json.at("queue").as_string(), "email-enquiries");
  EXPECT_EQ(item.json.at("caller").as_string(), "alice.mailer@example.org");

  // An agent of the contact centre is offered it, with the resident popped.
  Reply available = agent.Put("/api/v1/agents/me/presence", boost::json::object{{"presence", "available"}});
  ASSERT_EQ(available.status, 200) << available;
  bool popped = false;
  ASSERT_TRUE(WaitFor([&] {
    Reply desk = agent.Get("/api/v1/agents/me");
    for (const auto& i : desk.Items()) {
      if (i.at("id").as_int64() != item_id) continue;
      const boost::json::value& pop = i.at("citizen");
      popped = pop.is_object() && pop.at("id").as_int64() == citizen_id;
      return true;
    }
    return false;
  })) << "the email is offered to the agent";
  EXPECT_TRUE(popped) << "the sender's record pops as a caller's would";
  Reply accepted = agent.Post("/api/v1/interactions/" + std::to_string(item_id) + "/accept", boost::json::object{});
  EXPECT_EQ(accepted.status, 200) << accepted;
  Reply completed = agent.Post("/api/v1/interactions/" + std::to_string(item_id) + "/complete",
                               boost::json::object{{"disposition", "information_given"}});
  EXPECT_EQ(completed.status, 200) << completed;
  EXPECT_EQ(EmailContacts(supervisor).size(), before + 1) << "still one contact for the email";
  (void)agent.Put("/api/v1/agents/me/presence", boost::json::object{{"presence", "offline"}});
}

TEST_F(MailTest, AnUnknownMailboxIsRefusedAndNothingIsRecorded) {
  Api supervisor = ApiAs(kSupervisor);
  const size_t before = EmailContacts(supervisor).size();
  Swaks sent = Deliver(Lmtp(), "nobody@fairhaven.example", "Hello", "Anyone there?");
  EXPECT_NE(sent.exit_code, 0) << sent.out;
  EXPECT_NE(sent.out.find("550 5.1.1"), std::string::npos) << sent.out;
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(EmailContacts(supervisor).size(), before);
}

TEST_F(MailTest, AReplyNamingTheCaseLandsOnIt) {
  Api agent = ApiAs(kAgent);
  Reply opened = agent.Post("/api/v1/cases", boost::json::object{{"service_code", "missed-bin"},
                                                                {"channel", "phone"},
                                                                {"values", {{"bin_type", "general"},
                                                                            {"collection_date", "2026-12-01"}}}});
  ASSERT_EQ(opened.status, 201) << opened;
  const int64_t case_id = opened.json.at("id").as_int64();
  const std::string reference(opened.json.at("reference").as_string());
  Swaks sent = Deliver(Lmtp(), "counciltax@fairhaven.example", "Re: your request [Ref " + reference + "]",
                       "It is still not fixed.\n\nOn Mon, 7 Dec 2026, Fairhaven wrote:\n> We have your request.");
  ASSERT_EQ(sent.exit_code, 0) << sent.out;
  const std::string path = "/api/v1/cases/" + std::to_string(case_id) + "/events";
  boost::json::object note;
  ASSERT_TRUE(WaitFor([&] {
    Reply events = agent.Get(path);
    for (const auto& e : events.Items()) {
      if (e.at("type") == "note.added") {
        note = e.as_object();
        return true;
      }
    }
    return false;
  })) << "a note on the case";
  EXPECT_EQ(note.at("channel").as_string(), "email");
  std::string body;
  for (const auto& c : note.at("changes").as_array()) {
    if (c.at("field") == "body") body = std::string(c.at("after").as_string());
  }
  EXPECT_EQ(body, "It is still not fixed.") << "the quoted earlier message is trimmed";
  Reply contacts = agent.Get("/api/v1/contacts?channel=email&case=" + std::to_string(case_id));
  ASSERT_EQ(contacts.status, 200) << contacts;
  EXPECT_EQ(contacts.Items().size(), 1u) << contacts;
}

TEST_F(MailTest, ABounceIsAcceptedButRaisesNothing) {
  Api supervisor = ApiAs(kSupervisor);
  const size_t before = EmailContacts(supervisor).size();
  const std::string report =
      "This is a MIME-encapsulated message.\n\n--B\nContent-Type: text/plain\n\nYour message could not be delivered.\n\n--B\n"
      "Content-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n\n"
      "Final-Recipient: rfc822; gone@example.org\nAction: failed\nStatus: 5.1.1\n\n--B--\n";
  Swaks sent = Deliver(Lmtp(), "contact@fairhaven.example", "Undelivered Mail Returned to Sender", report,
                       "--add-header 'Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"'");
  ASSERT_EQ(sent.exit_code, 0) << sent.out;
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(EmailContacts(supervisor).size(), before) << "no contact, no work item for a bounce";
  EXPECT_NE(server().ReadLog().find("filed: bounce"), std::string::npos);
}

}  // namespace
}  // namespace onestop::integration
