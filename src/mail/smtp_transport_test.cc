// The SMTP transport against a real SMTP server (tests/fakes/smtp_sink.py,
// aiosmtpd): what arrives is parsed back with our own MIME parser, so the
// headers that threading and loop prevention rely on are checked as a mail
// client would read them.
#include "mail/smtp_transport.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/match.h"
#include "common/testing/port_child.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "mail/mime.h"

namespace onestop::mail {
namespace {

using ::testing::HasSubstr;

class SmtpTransportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("onestop-smtp-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<test_support::PortChild> Sink(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"/usr/bin/python3",
                                     (test_support::SourceDir() / "tests/fakes/smtp_sink.py").string(), "--dir",
                                     (dir_ / "sink").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return std::make_unique<test_support::PortChild>(args);
  }

  // The n-th message the sink accepted (1-based), waiting a little for it.
  std::string Received(int n) {
    char name[16];
    std::snprintf(name, sizeof name, "%05d.eml", n);
    const std::filesystem::path path = dir_ / "sink" / name;
    for (int i = 0; i < 50 && !std::filesystem::exists(path); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    std::ifstream in(path, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
  }

  static domain::OutboxMessage Ack() {
    domain::OutboxMessage m;
    m.id = 7;
    m.channel = domain::OutboxChannel::kEmail;
    m.recipient = "alice@example.org";
    m.sender = "contact@fairhaven.example";
    m.template_code = "case_acknowledgement";
    m.automatic = true;
    m.message_id = "onestop.abc@fairhaven.example";
    m.in_reply_to = "theirs@example.org";
    m.references = {"first@example.org", "theirs@example.org"};
    return m;
  }

  static MailRenderer Words() {
    return [](const domain::OutboxMessage& m) -> absl::StatusOr<RenderedMail> {
      return RenderedMail{"Re: Bin day – caf\xc3\xa9 [Ref NKRH-5NST]",
                          "Dear Alice,\n\nWe have your email <b>not bold</b> & more.\nReference " + m.message_id +
                              "\n\nFairhaven Council"};
    };
  }

  SmtpOptions Options(int port) {
    SmtpOptions o;
    o.url = "smtp://127.0.0.1:" + std::to_string(port);
    o.sender_name = "Fairhaven Council";
    o.timeout = absl::Seconds(10);
    return o;
  }

  std::filesystem::path dir_;
};

TEST_F(SmtpTransportTest, SendsAThreadedAutomaticReplyAsAMailClientReadsIt) {
  auto sink = Sink();
  ASSERT_TRUE(sink->ok());
  SmtpTransport smtp(Options(sink->port()), Words());
  absl::StatusOr<std::string> sent = smtp.Send(Ack());
  ASSERT_TRUE(sent.ok()) << sent.status();

  const std::string raw = Received(1);
  ASSERT_FALSE(raw.empty());
  EXPECT_THAT(raw, HasSubstr("Auto-Submitted: auto-replied"));
  EXPECT_THAT(raw, HasSubstr("\r\n")) << "CRLF line ends on the wire";
  absl::StatusOr<domain::InboundMail> read = ParseMail(raw, {}, {"contact@fairhaven.example"});
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->message_id, "onestop.abc@fairhaven.example");
  EXPECT_EQ(read->in_reply_to, "theirs@example.org");
  EXPECT_EQ(read->references, (std::vector<std::string>{"first@example.org", "theirs@example.org"}));
  EXPECT_EQ(read->subject, "Re: Bin day – caf\xc3\xa9 [Ref NKRH-5NST]") << "RFC 2047 round trip";
  EXPECT_EQ(read->from_address, "contact@fairhaven.example");
  EXPECT_EQ(read->from_name, "Fairhaven Council");
  EXPECT_THAT(read->text, HasSubstr("We have your email <b>not bold</b> & more."));
  EXPECT_FALSE(read->html_only) << "text/plain is there";
  EXPECT_EQ(read->auto_kind, domain::AutoKind::kLoop) << "our own mail coming back is a loop";
  EXPECT_THAT(raw, HasSubstr("&lt;b&gt;not bold&lt;/b&gt; &amp; more.")) << "the HTML part is escaped";

  std::ifstream envelope(dir_ / "sink" / "00001.json");
  std::string env((std::istreambuf_iterator<char>(envelope)), std::istreambuf_iterator<char>());
  EXPECT_THAT(env, HasSubstr("\"mail_from\": \"contact@fairhaven.example\""));
  EXPECT_THAT(env, HasSubstr("alice@example.org"));

  // A person's reply: no Auto-Submitted.
  domain::OutboxMessage reply = Ack();
  reply.automatic = false;
  ASSERT_TRUE(smtp.Send(reply).ok());
  EXPECT_THAT(Received(2), ::testing::Not(HasSubstr("Auto-Submitted")));
}

TEST_F(SmtpTransportTest, TheRelaysAnswerDecidesRetryOrGiveUp) {
  auto sink = Sink({"--reject", "gone@", "--tempfail", "1"});
  ASSERT_TRUE(sink->ok());
  SmtpTransport smtp(Options(sink->port()), Words());
  // 451 on DATA: try again later.
  absl::StatusOr<std::string> first = smtp.Send(Ack());
  EXPECT_EQ(first.status().code(), absl::StatusCode::kUnavailable) << first.status();
  EXPECT_TRUE(smtp.Send(Ack()).ok());
  // 550 on RCPT: a permanent refusal.
  domain::OutboxMessage gone = Ack();
  gone.recipient = "gone@example.org";
  EXPECT_EQ(smtp.Send(gone).status().code(), absl::StatusCode::kInvalidArgument);
  // A header injection attempt never reaches the wire.
  domain::OutboxMessage hostile = Ack();
  hostile.recipient = "alice@example.org\r\nBcc: everyone@example.org";
  EXPECT_EQ(smtp.Send(hostile).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(SmtpTransportTest, NoRelayListeningIsUnavailable) {
  int port = 0;
  {
    auto sink = Sink();
    ASSERT_TRUE(sink->ok());
    port = sink->port();
  }  // stopped: nothing listens there now
  SmtpTransport smtp(Options(port), Words());
  EXPECT_EQ(smtp.Send(Ack()).status().code(), absl::StatusCode::kUnavailable);
}

TEST(SmtpUrlTest, OnlySmtpUrlsWithAHost) {
  EXPECT_TRUE(ValidateSmtpUrl("smtp://127.0.0.1:2525").ok());
  EXPECT_TRUE(ValidateSmtpUrl("smtps://user:pw@relay.council.example:465").ok());
  EXPECT_TRUE(ValidateSmtpUrl("SMTP://relay.example").ok());
  EXPECT_FALSE(ValidateSmtpUrl("http://relay.example").ok());
  EXPECT_FALSE(ValidateSmtpUrl("smtp://").ok());
  EXPECT_FALSE(ValidateSmtpUrl("smtp://:25").ok());
  EXPECT_FALSE(ValidateSmtpUrl("smtp://relay example").ok());
}

TEST(TextToHtmlTest, ParagraphsAndLineBreaksEscaped) {
  const std::string html = TextToHtml("One <script>alert(1)</script>\nline two\n\nPara \"two\" & 'three'");
  EXPECT_THAT(html, HasSubstr("<p>One &lt;script&gt;alert(1)&lt;/script&gt;<br>\nline two</p>"));
  EXPECT_THAT(html, HasSubstr("<p>Para &quot;two&quot; &amp; &#39;three&#39;</p>"));
  EXPECT_THAT(html, ::testing::Not(HasSubstr("<script>")));
}

}  // namespace
}  // namespace onestop::mail
