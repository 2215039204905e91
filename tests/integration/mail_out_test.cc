// Email out through the real binary, end to end, with a real SMTP server
// (tests/fakes/smtp_sink.py, aiosmtpd) as the council's relay and swaks
// delivering over LMTP as the council's Postfix would:
//   - a message to the demo's enquiries@ mailbox (service general-enquiry)
//     raises a case, and its acknowledgement is committed with it: the
//     server is killed (SIGKILL) before any relay is configured, restarted
//     with --smtp-url, and the acknowledgement arrives — "[Ref XXXX-XXXX]"
//     in the subject, Auto-Submitted: auto-replied, In-Reply-To the
//     resident's message;
//   - the resident answers the acknowledgement (In-Reply-To our Message-ID,
//     no reference in the subject): a note on the same case;
//   - an agent replies (POST /api/v1/cases/{id}/messages): the resident gets
//     it in the same thread (References: theirs, our acknowledgement, their
//     answer), and the case's messages read "sent";
//   - an out-of-office to the mailbox gets no reply (it goes to an agent).
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "api_client.h"
#include "common/testing/port_child.h"

namespace onestop::integration {
namespace {

int Swaks(uint16_t port, const std::string& to, const std::string& headers, const std::string& body) {
  const std::string command = "swaks --protocol LMTP --server 127.0.0.1 --port " + std::to_string(port) +
                              " --timeout 20 --from priya.shah@example.org --h-From '\"Priya Shah\" "
                              "<priya.shah@example.org>' --to " + to + " " + headers + " --body '" + body +
                              "' >/dev/null 2>&1";
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string Header(const std::string& raw, const std::string& name) {
  // The header's value with folded lines joined ("" when absent).
  const std::string key = "\n" + name + ":";
  size_t at = ("\n" + raw).find(key);
  if (at == std::string::npos) return "";
  std::string value;
  size_t i = at + key.size() - 1;  // index in raw (the leading "\n" shifted it by one)
  while (i < raw.size()) {
    size_t end = raw.find("\r\n", i);
    if (end == std::string::npos) end = raw.size();
    std::string line = raw.substr(i, end - i);
    if (!value.empty()) line = " " + line.substr(std::min(line.find_first_not_of(" \t"), line.size()));
    value += line;
    i = end + 2;
    if (i >= raw.size() || (raw[i] != ' ' && raw[i] != '\t')) break;
  }
  const size_t first = value.find_first_not_of(" \t");
  return first == std::string::npos ? "" : value.substr(first);
}

class MailOutTest : public ServerSuite {
 public:
  static void SetUpTestSuite() {
    tokens_.clear();
    services_.clear();
    if (!OnestopProcess::SkipReason().empty()) return;
    if (std::system("command -v swaks >/dev/null 2>&1") != 0) return;
    server_ = std::make_unique<OnestopProcess>();
    // No relay yet: whatever is queued stays in the outbox.
    server_->set_extra_args({"--lmtp-listen", "127.0.0.1:0"});
    started_ = server_->Seed() && server_->Start();
  }
  static void TearDownTestSuite() {
    sink_.reset();
    ServerSuite::TearDownTestSuite();
  }

 protected:
  void SetUp() override {
    if (std::system("command -v swaks >/dev/null 2>&1") != 0) GTEST_SKIP() << "swaks is not installed";
    ServerSuite::SetUp();
  }

  static std::string SinkDir() { return server().dir() + "/sink"; }
  static bool StartSink() {
    sink_ = std::make_unique<test_support::PortChild>(std::vector<std::string>{
        "/usr/bin/python3", (test_support::SourceDir() / "tests/fakes/smtp_sink.py").string(), "--dir", SinkDir()});
    return sink_->ok();
  }
  static int SinkCount() {
    int n = 0;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(SinkDir(), ec)) {
      if (entry.path().extension() == ".eml") ++n;
    }
    return n;
  }
  static std::string SinkMessage(int n) {
    char name[16];
    std::snprintf(name, sizeof name, "%05d.eml", n);
    std::ifstream in(SinkDir() + "/" + name, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
  }

  static inline std::unique_ptr<test_support::PortChild> sink_;
};

TEST_F(MailOutTest, AnEmailedRequestIsAcknowledgedAnsweredAndKeptInOneThread) {
  // 1. The request comes in; its case and acknowledgement are committed.
  ASSERT_EQ(Swaks(server().lmtp_port(), "enquiries@fairhaven.example",
                  "--header 'Subject: Library opening hours' --header 'Message-Id: <q1.priya@example.org>'",
                  "What time does the library open on Saturdays?"),
            0);
  auto agent = std::make_unique<Api>(port(), TokenFor(kAgent));
  std::string reference;
  int64_t case_id = 0;
  ASSERT_TRUE(WaitFor([&] {
    Reply cases = agent->Get("/api/v1/cases?service_code=general-enquiry&channel=email");
    for (const auto& c : cases.Items()) {
      if (c.at("summary") == "Library opening hours") {
        reference = std::string(c.at("reference").as_string());
        case_id = c.at("id").as_int64();
        return true;
      }
    }
    return false;
  })) << "a case of the mailbox's service";
  const std::string messages_path = "/api/v1/cases/" + std::to_string(case_id) + "/messages";
  Reply queued = agent->Get(messages_path);
  ASSERT_EQ(queued.status, 200) << queued;
  ASSERT_EQ(queued.Items().size(), 1u) << queued;
  EXPECT_EQ(queued.Items()[0].at("template"), "case_acknowledgement");
  EXPECT_EQ(queued.Items()[0].at("state"), "queued");
  Reply no_relay = agent->Post(messages_path, boost::json::object{{"body", "Hello"}});
  EXPECT_EQ(no_relay.status, 503) << "no smtp_url: replies are not offered";

  // 2. A crash before anything was sent; the restart sends it.
  server().Kill();
  ASSERT_TRUE(StartSink());
  server().set_extra_args({"--lmtp-listen", "127.0.0.1:0", "--smtp-url",
                           "smtp://127.0.0.1:" + std::to_string(sink_->port())});
  ASSERT_TRUE(server().Start());
  ASSERT_TRUE(WaitFor([] { return SinkCount() >= 1; })) << server().ReadLog();
  const std::string ack = SinkMessage(1);
  EXPECT_NE(Header(ack, "Subject").find("[Ref " + reference + "]"), std::string::npos) << ack;
  EXPECT_EQ(Header(ack, "Auto-Submitted"), "auto-replied");
  EXPECT_EQ(Header(ack, "In-Reply-To"), "<q1.priya@example.org>");
  EXPECT_EQ(Header(ack, "To"), "priya.shah@example.org");
  EXPECT_NE(Header(ack, "From").find("<enquiries@fairhaven.example>"), std::string::npos);
  EXPECT_NE(ack.find("Your reference is " + reference), std::string::npos);
  const std::string ack_id = Header(ack, "Message-Id");
  ASSERT_FALSE(ack_id.empty());
  agent = std::make_unique<Api>(port(), TokenFor(kAgent));  // the restarted server's port
  ASSERT_TRUE(WaitFor([&] {
    Reply all = agent->Get(messages_path);
    return !all.Items().empty() && all.Items()[0].at("state") == "sent";
  }));

  // 3. The resident answers the acknowledgement: on the same case.
  ASSERT_EQ(Swaks(server().lmtp_port(), "enquiries@fairhaven.example",
                  "--header 'Subject: Re: Library opening hours' --header 'Message-Id: <q2.priya@example.org>' "
                  "--header 'In-Reply-To: " + ack_id + "' --header 'References: <q1.priya@example.org> " + ack_id + "'",
                  "And is there parking?"),
            0);
  ASSERT_TRUE(WaitFor([&] {
    Reply events = agent->Get("/api/v1/cases/" + std::to_string(case_id) + "/events");
    for (const auto& e : events.Items()) {
      if (e.at("type") == "note.added") return true;
    }
    return false;
  })) << "the answer is a note on the case";
  EXPECT_EQ(SinkCount(), 1) << "no acknowledgement of an answer";

  // 4. The agent replies; the resident gets it in the thread.
  Reply replied = agent->Post(messages_path, boost::json::object{{"body", "9:30, and yes, behind the library."}});
  ASSERT_EQ(replied.status, 202) << replied;
  EXPECT_EQ(replied.json.at("template"), "case_reply");
  ASSERT_TRUE(WaitFor([] { return SinkCount() >= 2; }));
  const std::string reply = SinkMessage(2);
  EXPECT_EQ(Header(reply, "In-Reply-To"), "<q2.priya@example.org>");
  EXPECT_EQ(Header(reply, "References"), "<q1.priya@example.org> " + ack_id + " <q2.priya@example.org>");
  EXPECT_EQ(Header(reply, "Auto-Submitted"), "") << "a person wrote it";
  EXPECT_NE(Header(reply, "Subject").find("[Ref " + reference + "]"), std::string::npos);
  EXPECT_NE(reply.find("9:30, and yes, behind the library."), std::string::npos);
  ASSERT_TRUE(WaitFor([&] {
    Reply all = agent->Get(messages_path);
    return all.Items().size() == 2 && all.Items()[1].at("state") == "sent";
  }));

  // 5. An out-of-office to the mailbox: no reply, and an agent gets it.
  ASSERT_EQ(Swaks(server().lmtp_port(), "enquiries@fairhaven.example",
                  "--header 'Subject: Out of office' --header 'Auto-Submitted: auto-replied'", "I am away."),
            0);
  Api supervisor = ApiAs(kSupervisor);
  ASSERT_TRUE(WaitFor([&] {
    Reply contacts = supervisor.Get("/api/v1/contacts?channel=email&limit=100");
    for (const auto& c : contacts.Items()) {
      if (c.at("reason") == "Out of office") return true;
    }
    return false;
  }));
  std::this_thread::sleep_for(std::chrono::seconds(3));  // two sender rounds
  EXPECT_EQ(SinkCount(), 2) << "nothing answers an automatic message";
}

}  // namespace
}  // namespace onestop::integration
