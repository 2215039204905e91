#include "mail/lmtp_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace onestop::mail {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

// A blocking LMTP client over POSIX sockets, with a receive timeout so a
// missing reply fails the test instead of hanging it.
class Client {
 public:
  explicit Client(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    timeval timeout{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  ~Client() { Close(); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool connected() const { return connected_; }

  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  void Send(std::string_view data) {
    while (!data.empty()) {
      ssize_t sent = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (sent <= 0) return;
      data.remove_prefix(static_cast<size_t>(sent));
    }
  }

  // One line without its CRLF; "<eof>" when the server closed (or on timeout).
  std::string ReadLine() {
    while (true) {
      size_t end = buffer_.find("\r\n");
      if (end != std::string::npos) {
        std::string line = buffer_.substr(0, end);
        buffer_.erase(0, end + 2);
        return line;
      }
      char chunk[4096];
      ssize_t got = ::recv(fd_, chunk, sizeof chunk, 0);
      if (got <= 0) return "<eof>";
      buffer_.append(chunk, static_cast<size_t>(got));
    }
  }

  // One reply, all its lines joined with '\n' (multi-line replies "250-…").
  std::string Reply() {
    std::string reply;
    while (true) {
      std::string line = ReadLine();
      if (!reply.empty()) reply += '\n';
      reply += line;
      if (line.size() < 4 || line[3] != '-') return reply;
    }
  }

  // Sends one command line and returns its reply.
  std::string Command(std::string_view line) {
    Send(std::string(line) + "\r\n");
    return Reply();
  }

  // True if the server closes the connection (within the receive timeout).
  bool AtEof() {
    if (!buffer_.empty()) return false;
    char byte;
    ssize_t got = ::recv(fd_, &byte, 1, 0);
    return got == 0 || (got < 0 && errno == ECONNRESET);
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
  std::string buffer_;
};

struct Delivered {
  Envelope envelope;
  std::string raw;
};

class LmtpServerTest : public ::testing::Test {
 protected:
  LmtpOptions Options() {
    LmtpOptions options;
    options.port = 0;
    options.hostname = "lmtp.test";
    return options;
  }

  void StartServer(LmtpOptions options) {
    server_ = std::make_unique<LmtpServer>(
        std::move(options),
        [](std::string_view address) -> absl::Status {
          if (address.starts_with("nobody@")) return absl::NotFoundError("no such mailbox");
          if (address.starts_with("busy@")) return absl::UnavailableError("database busy");
          if (address.starts_with("odd@")) return absl::PermissionDeniedError("odd");
          return absl::OkStatus();
        },
        [this](const Envelope& envelope, std::string raw) -> std::vector<absl::Status> {
          if (hook_) hook_();
          {
            std::lock_guard<std::mutex> lock(mu_);
            delivered_.push_back({envelope, raw});
          }
          if (results_) return results_(envelope);
          return std::vector<absl::Status>(envelope.recipients.size(), absl::OkStatus());
        });
    ASSERT_TRUE(server_->Start().ok());
    ASSERT_NE(server_->port(), 0);
  }

  void TearDown() override {
    if (server_) server_->Stop();
  }

  std::unique_ptr<Client> Connect() {
    auto client = std::make_unique<Client>(server_->port());
    EXPECT_TRUE(client->connected());
    return client;
  }

  // Connects, reads the greeting and says LHLO.
  std::unique_ptr<Client> Greeted() {
    auto client = Connect();
    EXPECT_THAT(client->Reply(), StartsWith("220 "));
    EXPECT_THAT(client->Command("LHLO mta.test"), StartsWith("250-"));
    return client;
  }

  std::vector<Delivered> delivered() {
    std::lock_guard<std::mutex> lock(mu_);
    return delivered_;
  }

  std::unique_ptr<LmtpServer> server_;
  std::function<std::vector<absl::Status>(const Envelope&)> results_;  // set before StartServer
  std::function<void()> hook_;  // runs at the start of each Deliver
  std::mutex mu_;
  std::vector<Delivered> delivered_;
};

TEST_F(LmtpServerTest, LmtpGreetingAndLhloCapabilities) {
  LmtpOptions options = Options();
  options.max_message_bytes = 123456;
  StartServer(options);
  auto client = Connect();
  EXPECT_EQ(client->Reply(), "220 lmtp.test LMTP onestop ready");
  EXPECT_EQ(client->Command("LHLO mta.test"),
            "250-lmtp.test\n250-PIPELINING\n250-ENHANCEDSTATUSCODES\n250-8BITMIME\n"
            "250 SIZE 123456");
  EXPECT_THAT(client->Command("lhlo again.test"), Not(HasSubstr("CHUNKING")));
  EXPECT_THAT(client->Command("LHLO"), StartsWith("501 5.5.4"));
  EXPECT_THAT(client->Command("QUIT"), StartsWith("221 2.0.0"));
  EXPECT_TRUE(client->AtEof());
}

TEST_F(LmtpServerTest, LmtpOneReplyPerRecipientAndExactMessage) {
  results_ = [](const Envelope&) {
    return std::vector<absl::Status>{absl::OkStatus(), absl::UnavailableError("db down")};
  };
  StartServer(Options());
  auto client = Greeted();
  EXPECT_THAT(client->Command("MAIL FROM:<sender@y.example> BODY=8BITMIME"),
              StartsWith("250 2.1.0"));
  EXPECT_THAT(client->Command("RCPT TO:<first@x.example>"), StartsWith("250 2.1.5"));
  EXPECT_THAT(client->Command("rcpt to:<second@x.example>"), StartsWith("250 2.1.5"));
  EXPECT_THAT(client->Command("DATA"), StartsWith("354 "));
  client->Send("Subject: hi\r\n\r\n..x\r\n...\r\n.\r\nline\r\n");  // the "." line ends the data
  EXPECT_THAT(client->Reply(), StartsWith("250 2.1.5 <first@x.example>"));
  EXPECT_THAT(client->Reply(), StartsWith("451 4.3.0 <second@x.example>"));
  // "line" after the end of data is a command now.
  EXPECT_THAT(client->Reply(), StartsWith("500 5.5.2"));

  std::vector<Delivered> got = delivered();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].raw, "Subject: hi\r\n\r\n.x\r\n..\r\n");
  EXPECT_EQ(got[0].envelope.mail_from, "sender@y.example");
  EXPECT_THAT(got[0].envelope.recipients, ElementsAre("first@x.example", "second@x.example"));
  EXPECT_EQ(got[0].envelope.client_address, "127.0.0.1");

  // Ready for the next transaction on the same session.
  EXPECT_THAT(client->Command("MAIL FROM:<sender@y.example>"), StartsWith("250 "));
  LmtpServer::Stats stats = server_->stats();
  EXPECT_EQ(stats.sessions, 1);
  EXPECT_EQ(stats.messages, 1);
  EXPECT_EQ(stats.delivered, 1);
  EXPECT_EQ(stats.deferred, 1);
  EXPECT_EQ(stats.rejected, 0);
}

TEST_F(LmtpServerTest, LmtpUnknownRecipientRejectedOthersAccepted) {
  StartServer(Options());
  auto client = Greeted();
  EXPECT_THAT(client->Command("MAIL FROM:<s@y.example>"), StartsWith("250 "));
  EXPECT_THAT(client->Command("RCPT TO:<nobody@x.example>"), StartsWith("550 5.1.1"));
  EXPECT_THAT(client->Command("RCPT TO:<busy@x.example>"), StartsWith("451 4.3.0"));
  EXPECT_THAT(client->Command("RCPT TO:<odd@x.example>"), StartsWith("550 5.1.1"));
  EXPECT_THAT(client->Command("RCPT TO: <good@x.example>"), StartsWith("250 2.1.5"));
  EXPECT_THAT(client->Command("RCPT TO:<postmaster>"), StartsWith("250 2.1.5"));
  EXPECT_THAT(client->Command("DATA"), StartsWith("354 "));
  EXPECT_THAT(client->Command("hello\r\n."), StartsWith("250 2.1.5 <good@x.example>"));
  EXPECT_THAT(client->Reply(), StartsWith("250 2.1.5 <postmaster>"));
  EXPECT_THAT(client->Command("NOOP"), StartsWith("250 2.0.0"));  // no third delivery reply
  std::vector<Delivered> got = delivered();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_THAT(got[0].envelope.recipients, ElementsAre("good@x.example", "postmaster"));
  EXPECT_EQ(got[0].raw, "hello\r\n");
}

TEST_F(LmtpServerTest, LmtpDataWithoutRecipients) {
  StartServer(Options());
  auto client = Greeted();
  EXPECT_THAT(client->Command("DATA"), StartsWith("503 5.5.1"));
  EXPECT_THAT(client->Command("MAIL FROM:<s@y.example>"), StartsWith("250 "));
  EXPECT_THAT(client->Command("RCPT TO:<nobody@x.example>"), StartsWith("550 "));
  EXPECT_EQ(client->Command("DATA"), "503 5.5.1 No valid recipients");
  EXPECT_TRUE(delivered().empty());
}

TEST_F(LmtpServerTest, LmtpCommandsOutOfOrder) {
  StartServer(Options());
  auto client = Connect();
  EXPECT_THAT(client->Reply(), StartsWith("220 "));
  EXPECT_THAT(client->Command("MAIL FROM:<s@y.example>"), StartsWith("503 5.5.1"));
  EXPECT_THAT(client->Command("LHLO mta.test"), StartsWith("250-"));
  EXPECT_THAT(client->Command("RCPT TO:<a@x.example>"), StartsWith("503 5.5.1"));
  EXPECT_THAT(client->Command("MAIL FROM:<s@y.example>"), StartsWith("250 "));
  EXPECT_THAT(client->Command("MAIL FROM:<s@y.example>"), StartsWith("503 5.5.1"));
}

TEST_F(LmtpServerTest, LmtpOtherCommands) {
  StartServer(Options());
  auto client = Connect();
  EXPECT_THAT(client->Reply(), StartsWith("220 "));
  EXPECT_THAT(client->Command("HELO mta.test"), StartsWith("500 5.5.1"));
  EXPECT_THAT(client->Command("EHLO mta.test"), StartsWith("500 5.5.1"));
  EXPECT_THAT(client->Command("BDAT 10 LAST"), StartsWith("500 5.5.2"));
  EXPECT_THAT(client->Command("FOO"), StartsWith("500 5.5.2"));
  EXPECT_THAT(client->Command(""), StartsWith("500 5.5.2"));
  EXPECT_THAT(client->Command(std::string("NOOP \0x", 7)), StartsWith("500 5.5.2"));
  EXPECT_THAT(client->Command("NOOP \xC3\x28"), StartsWith("500 5.5.2"));  // invalid UTF-8
  EXPECT_THAT(client->Command("NOOP caf\xC3\xA9"), StartsWith("250 2.0.0"));
  EXPECT_THAT(client->Command("noop"), StartsWith("250 2.0.0"));
  EXPECT_THAT(client->Command("VRFY someone"), StartsWith("252 2.5.0"));
  EXPECT_THAT(client->Command("RSET"), StartsWith("250 2.0.0"));
  EXPECT_THAT(client->Command("quit"), StartsWith("221 2.0.0"));
  EXPECT_TRUE(client->AtEof());
}

TEST_F(LmtpServerTest, LmtpSyntaxErrors) {
  StartServer(Options());
  auto client = Greeted();
  EXPECT_THAT(client->Command("MAIL FROM:s@y.example"), StartsWith("501 5.5.4"));
  EXPECT_THAT(client->Command("MAIL FROM:<s@y.example"), StartsWith("501 5.5.4"));
  EXPECT_THAT(client->Command("MAIL TO:<s@y.example>"), StartsWith("501 5.5.4"));
  EXPECT_THAT(client->Command("MAIL FROM:<s@y.example>SIZE=1"), StartsWith("501 5.5.4"));
  EXPECT_THAT(client->Command("MAIL FROM:<s@y.example> SIZE=abc"), StartsWith("501 5.5.4"));
  EXPECT_THAT(client->Command("MAIL FROM:<s@y.example> BODY=BINARYMIME"), StartsWith("501 5.5.4"));
  EXPECT_THAT(client->Command("MAIL FROM:<s@y.example> SMTPUTF8"), StartsWith("555 5.5.4"));
  EXPECT_THAT(client->Command("MAIL FROM:<s@y.example> SIZE=100"), StartsWith("250 "));
  EXPECT_THAT(client->Command("RCPT TO:<>"), StartsWith("501 5.5.4"));
  EXPECT_THAT(client->Command("RCPT TO:a@x.example"), StartsWith("501 5.5.4"));
  EXPECT_THAT(client->Command("RCPT TO:<a b@x.example>"), StartsWith("501 5.5.4"));
  EXPECT_THAT(client->Command("RCPT TO:<a@x.example> NOTIFY=NEVER"), StartsWith("555 5.5.4"));
  EXPECT_THAT(client->Command("RCPT TO:<@relay.example:a@x.example>"), StartsWith("250 "));
  EXPECT_THAT(client->Command("DATA now"), StartsWith("501 5.5.4"));
  EXPECT_THAT(client->Command("DATA"), StartsWith("354 "));
  EXPECT_THAT(client->Command("x\r\n."), StartsWith("250 "));
  ASSERT_EQ(delivered().size(), 1u);
  EXPECT_THAT(delivered()[0].envelope.recipients, ElementsAre("a@x.example"));
}

TEST_F(LmtpServerTest, LmtpNullSender) {
  StartServer(Options());
  auto client = Greeted();
  EXPECT_THAT(client->Command("MAIL FROM:<>"), StartsWith("250 "));
  EXPECT_THAT(client->Command("RCPT TO:<a@x.example>"), StartsWith("250 "));
  EXPECT_THAT(client->Command("DATA"), StartsWith("354 "));
  EXPECT_THAT(client->Command("bounce\r\n."), StartsWith("250 "));
  ASSERT_EQ(delivered().size(), 1u);
  EXPECT_EQ(delivered()[0].envelope.mail_from, "");
}

TEST_F(LmtpServerTest, LmtpBareLfLineEnds) {
  StartServer(Options());
  auto client = Connect();
  client->Send("LHLO mta.test\nMAIL FROM:<s@y.example>\nRCPT TO:<a@x.example>\nDATA\n");
  EXPECT_THAT(client->Reply(), StartsWith("220 "));
  EXPECT_THAT(client->Reply(), StartsWith("250-"));
  EXPECT_THAT(client->Reply(), StartsWith("250 "));
  EXPECT_THAT(client->Reply(), StartsWith("250 "));
  EXPECT_THAT(client->Reply(), StartsWith("354 "));
  client->Send("A: b\n\n..dot\nmixed\r\nend\n.\n");
  EXPECT_THAT(client->Reply(), StartsWith("250 "));
  ASSERT_EQ(delivered().size(), 1u);
  EXPECT_EQ(delivered()[0].raw, "A: b\r\n\r\n.dot\r\nmixed\r\nend\r\n");
}

TEST_F(LmtpServerTest, LmtpDataInTinyPieces) {
  StartServer(Options());
  auto client = Greeted();
  EXPECT_THAT(client->Command("MAIL FROM:<s@y.example>"), StartsWith("250 "));
  EXPECT_THAT(client->Command("RCPT TO:<a@x.example>"), StartsWith("250 "));
  EXPECT_THAT(client->Command("DATA"), StartsWith("354 "));
  std::string data =
      "Subject: pieces\r\n\r\n.a\r\n..b\r\n.\rc\r\nlong line here\r\n\r\nx.\r\n.\r\n";
  for (size_t offset = 0; offset < data.size(); offset += 2) {
    client->Send(data.substr(offset, 2));
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  EXPECT_THAT(client->Reply(), StartsWith("250 "));
  ASSERT_EQ(delivered().size(), 1u);
  EXPECT_EQ(delivered()[0].raw,
            "Subject: pieces\r\n\r\na\r\n.b\r\n\rc\r\nlong line here\r\n\r\nx.\r\n");
}

TEST_F(LmtpServerTest, LmtpOversizeDataRejectedThenNextTransactionWorks) {
  LmtpOptions options = Options();
  options.max_message_bytes = 1000;
  StartServer(options);
  auto client = Greeted();
  EXPECT_THAT(client->Command("MAIL FROM:<s@y.example>"), StartsWith("250 "));
  EXPECT_THAT(client->Command("RCPT TO:<a@x.example>"), StartsWith("250 "));
  EXPECT_THAT(client->Command("RCPT TO:<b@x.example>"), StartsWith("250 "));
  EXPECT_THAT(client->Command("DATA"), StartsWith("354 "));
  std::string line(99, 'x');
  for (int line_idx = 0; line_idx < 200; ++line_idx) client->Send(line + "\r\n");
  client->Send(std::string(50000, 'y'));  // one long line too
  client->Send("\r\n.\r\n");
  EXPECT_THAT(client->Reply(), StartsWith("552 5.3.4 <a@x.example>"));
  EXPECT_THAT(client->Reply(), StartsWith("552 5.3.4 <b@x.example>"));
  EXPECT_TRUE(delivered().empty());

  EXPECT_THAT(client->Command("MAIL FROM:<s@y.example>"), StartsWith("250 "));
  EXPECT_THAT(client->Command("RCPT TO:<a@x.example>"), StartsWith("250 "));
  EXPECT_THAT(client->Command("DATA"), StartsWith("354 "));
  EXPECT_THAT(client->Command("small\r\n."), StartsWith("250 "));
  ASSERT_EQ(delivered().size(), 1u);
  EXPECT_EQ(delivered()[0].raw, "small\r\n");
  EXPECT_EQ(server_->stats().rejected, 2);
}

TEST_F(LmtpServerTest, LmtpLongDataLineWithinLimitAccepted) {
  LmtpOptions options = Options();
  options.max_line_bytes = 100;
  options.max_message_bytes = 100000;
  StartServer(options);
  auto client = Greeted();
  EXPECT_THAT(client->Command("MAIL FROM:<s@y.example>"), StartsWith("250 "));
  EXPECT_THAT(client->Command("RCPT TO:<a@x.example>"), StartsWith("250 "));
  EXPECT_THAT(client->Command("DATA"), StartsWith("354 "));
  std::string long_line = "." + std::string(50000, 'z');
  EXPECT_THAT(client->Command(long_line + "\r\n."), StartsWith("250 "));
  ASSERT_EQ(delivered().size(), 1u);
  EXPECT_EQ(delivered()[0].raw, std::string(50000, 'z') + "\r\n");
}

TEST_F(LmtpServerTest, LmtpMailSizeTooBig) {
  LmtpOptions options = Options();
  options.max_message_bytes = 5000;
  StartServer(options);
  auto client = Greeted();
  EXPECT_THAT(client->Command("MAIL FROM:<s@y.example> SIZE=5001"), StartsWith("552 5.3.4"));
  EXPECT_THAT(client->Command("MAIL FROM:<s@y.example> SIZE=99999999999999999999999"),
              StartsWith("501 5.5.4"));  // does not fit in 64 bits
  EXPECT_THAT(client->Command("MAIL FROM:<s@y.example> size=5000"), StartsWith("250 "));
}

TEST_F(LmtpServerTest, LmtpTooLongCommandLine) {
  LmtpOptions options = Options();
  options.max_line_bytes = 100;
  StartServer(options);
  auto client = Greeted();
  EXPECT_THAT(client->Command("NOOP " + std::string(200, 'x')), StartsWith("500 5.5.2"));
  // Much longer than a read: discarded as it arrives, answered once.
  EXPECT_THAT(client->Command("NOOP " + std::string(200000, 'x')), StartsWith("500 5.5.2"));
  EXPECT_THAT(client->Command("NOOP " + std::string(95, 'x')), StartsWith("250 2.0.0"));
}

TEST_F(LmtpServerTest, LmtpPipelinedCommandsAnsweredInOrder) {
  StartServer(Options());
  auto client = Connect();
  client->Send(
      "LHLO mta.test\r\nMAIL FROM:<s@y.example>\r\nRCPT TO:<a@x.example>\r\n"
      "RCPT TO:<nobody@x.example>\r\nRCPT TO:<b@x.example>\r\nDATA\r\n"
      "Subject: piped\r\n\r\nbody\r\n.\r\n"
      "MAIL FROM:<t@y.example>\r\nRCPT TO:<c@x.example>\r\nDATA\r\nsecond\r\n.\r\nQUIT\r\n");
  EXPECT_THAT(client->Reply(), StartsWith("220 "));
  EXPECT_THAT(client->Reply(), StartsWith("250-lmtp.test"));
  EXPECT_THAT(client->Reply(), StartsWith("250 2.1.0"));
  EXPECT_THAT(client->Reply(), StartsWith("250 2.1.5"));
  EXPECT_THAT(client->Reply(), StartsWith("550 5.1.1"));
  EXPECT_THAT(client->Reply(), StartsWith("250 2.1.5"));
  EXPECT_THAT(client->Reply(), StartsWith("354 "));
  EXPECT_THAT(client->Reply(), StartsWith("250 2.1.5 <a@x.example>"));
  EXPECT_THAT(client->Reply(), StartsWith("250 2.1.5 <b@x.example>"));
  EXPECT_THAT(client->Reply(), StartsWith("250 2.1.0"));
  EXPECT_THAT(client->Reply(), StartsWith("250 2.1.5"));
  EXPECT_THAT(client->Reply(), StartsWith("354 "));
  EXPECT_THAT(client->Reply(), StartsWith("250 2.1.5 <c@x.example>"));
  EXPECT_THAT(client->Reply(), StartsWith("221 "));
  EXPECT_TRUE(client->AtEof());
  std::vector<Delivered> got = delivered();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].raw, "Subject: piped\r\n\r\nbody\r\n");
  EXPECT_EQ(got[1].raw, "second\r\n");
  EXPECT_EQ(got[1].envelope.mail_from, "t@y.example");
}

TEST_F(LmtpServerTest, LmtpConcurrentSessionsOnSeveralThreads) {
  LmtpOptions options = Options();
  options.threads = 2;
  options.delivery_threads = 2;
  StartServer(options);
  constexpr int kClients = 8;
  std::vector<std::thread> clients;
  std::atomic<int> ok{0};
  for (int client_idx = 0; client_idx < kClients; ++client_idx) {
    clients.emplace_back([this, client_idx, &ok] {
      Client client(server_->port());
      std::string rcpt = "RCPT TO:<r" + std::to_string(client_idx) + "@x.example>\r\n";
      client.Send("LHLO c.test\r\nMAIL FROM:<s@y.example>\r\n" + rcpt + "DATA\r\n");
      for (int reply_idx = 0; reply_idx < 5; ++reply_idx) client.Reply();
      client.Send(std::string(20000, 'm') + "\r\n.\r\nQUIT\r\n");
      if (client.Reply().starts_with("250 2.1.5") && client.Reply().starts_with("221")) ++ok;
    });
  }
  for (auto& thread : clients) thread.join();
  EXPECT_EQ(ok.load(), kClients);
  EXPECT_EQ(delivered().size(), static_cast<size_t>(kClients));
  EXPECT_EQ(server_->stats().sessions, kClients);
}

TEST_F(LmtpServerTest, LmtpRsetClearsTransaction) {
  StartServer(Options());
  auto client = Greeted();
  EXPECT_THAT(client->Command("MAIL FROM:<s@y.example>"), StartsWith("250 "));
  EXPECT_THAT(client->Command("RCPT TO:<a@x.example>"), StartsWith("250 "));
  EXPECT_THAT(client->Command("RSET"), StartsWith("250 2.0.0"));
  EXPECT_THAT(client->Command("DATA"), StartsWith("503 5.5.1"));
  EXPECT_THAT(client->Command("RCPT TO:<a@x.example>"), StartsWith("503 5.5.1"));
  EXPECT_THAT(client->Command("MAIL FROM:<t@y.example>"), StartsWith("250 "));
  EXPECT_THAT(client->Command("RCPT TO:<b@x.example>"), StartsWith("250 "));
  EXPECT_THAT(client->Command("DATA"), StartsWith("354 "));
  EXPECT_THAT(client->Command("x\r\n."), StartsWith("250 2.1.5 <b@x.example>"));
  ASSERT_EQ(delivered().size(), 1u);
  EXPECT_EQ(delivered()[0].envelope.mail_from, "t@y.example");
  EXPECT_THAT(delivered()[0].envelope.recipients, ElementsAre("b@x.example"));
}

TEST_F(LmtpServerTest, LmtpTooManyRecipients) {
  LmtpOptions options = Options();
  options.max_recipients = 2;
  StartServer(options);
  auto client = Greeted();
  EXPECT_THAT(client->Command("MAIL FROM:<s@y.example>"), StartsWith("250 "));
  EXPECT_THAT(client->Command("RCPT TO:<a@x.example>"), StartsWith("250 "));
  EXPECT_THAT(client->Command("RCPT TO:<b@x.example>"), StartsWith("250 "));
  EXPECT_THAT(client->Command("RCPT TO:<c@x.example>"), StartsWith("452 4.5.3"));
}

TEST_F(LmtpServerTest, LmtpMaxSessions) {
  LmtpOptions options = Options();
  options.max_sessions = 2;
  StartServer(options);
  auto first = Connect();
  auto second = Connect();
  EXPECT_THAT(first->Reply(), StartsWith("220 "));
  EXPECT_THAT(second->Reply(), StartsWith("220 "));
  auto third = Connect();
  EXPECT_THAT(third->Reply(), StartsWith("421 4.3.2"));
  EXPECT_TRUE(third->AtEof());
  EXPECT_EQ(server_->stats().sessions, 2);

  // Once one leaves, a new session is welcome again.
  EXPECT_THAT(first->Command("QUIT"), StartsWith("221 "));
  EXPECT_TRUE(first->AtEof());
  std::string greeting;
  for (int attempt = 0; attempt < 50; ++attempt) {
    Client again(server_->port());
    greeting = again.Reply();
    if (greeting.starts_with("220 ")) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_THAT(greeting, StartsWith("220 "));
}

TEST_F(LmtpServerTest, LmtpIdleTimeout) {
  LmtpOptions options = Options();
  options.idle_timeout = absl::Milliseconds(200);
  StartServer(options);
  auto client = Greeted();
  auto started = std::chrono::steady_clock::now();
  EXPECT_THAT(client->Reply(), StartsWith("421 4.4.2"));
  auto waited = std::chrono::steady_clock::now() - started;
  EXPECT_GE(waited, std::chrono::milliseconds(150));
  EXPECT_LT(waited, std::chrono::seconds(3));
  EXPECT_TRUE(client->AtEof());
}

TEST_F(LmtpServerTest, LmtpDeliverResultMapping) {
  results_ = [](const Envelope&) {
    return std::vector<absl::Status>{
        absl::ResourceExhaustedError("full"), absl::InvalidArgumentError("garbage"),
        absl::DeadlineExceededError("slow"), absl::AbortedError("conflict")};  // one short
  };
  StartServer(Options());
  auto client = Greeted();
  EXPECT_THAT(client->Command("MAIL FROM:<s@y.example>"), StartsWith("250 "));
  for (std::string_view name : {"a", "b", "c", "d", "e"}) {
    EXPECT_THAT(client->Command("RCPT TO:<" + std::string(name) + "@x.example>"),
                StartsWith("250 "));
  }
  EXPECT_THAT(client->Command("DATA"), StartsWith("354 "));
  EXPECT_THAT(client->Command("x\r\n."), StartsWith("552 5.2.2 <a@x.example>"));
  EXPECT_THAT(client->Reply(), StartsWith("554 5.6.0 <b@x.example>"));
  EXPECT_THAT(client->Reply(), StartsWith("451 4.3.0 <c@x.example>"));
  EXPECT_THAT(client->Reply(), StartsWith("451 4.3.0 <d@x.example>"));
  EXPECT_THAT(client->Reply(), StartsWith("451 4.3.0 <e@x.example>"));  // no result for it
}

TEST_F(LmtpServerTest, LmtpDeliverThrowing) {
  hook_ = [] { throw std::runtime_error("database on fire"); };
  StartServer(Options());
  auto client = Greeted();
  EXPECT_THAT(client->Command("MAIL FROM:<s@y.example>"), StartsWith("250 "));
  EXPECT_THAT(client->Command("RCPT TO:<a@x.example>"), StartsWith("250 "));
  EXPECT_THAT(client->Command("RCPT TO:<b@x.example>"), StartsWith("250 "));
  EXPECT_THAT(client->Command("DATA"), StartsWith("354 "));
  EXPECT_THAT(client->Command("x\r\n."), StartsWith("451 4.3.0 <a@x.example>"));
  EXPECT_THAT(client->Reply(), StartsWith("451 4.3.0 <b@x.example>"));
  EXPECT_THAT(client->Command("NOOP"), StartsWith("250 "));
  EXPECT_EQ(server_->stats().deferred, 2);
}

TEST_F(LmtpServerTest, LmtpStopWaitsForBlockedDeliver) {
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  hook_ = [&entered, released] {
    entered.set_value();
    released.wait();
  };
  StartServer(Options());
  auto client = Greeted();
  auto idle = Greeted();  // an idle session is told 421 and closed
  EXPECT_THAT(client->Command("MAIL FROM:<s@y.example>"), StartsWith("250 "));
  EXPECT_THAT(client->Command("RCPT TO:<a@x.example>"), StartsWith("250 "));
  EXPECT_THAT(client->Command("DATA"), StartsWith("354 "));
  client->Send("x\r\n.\r\n");
  entered.get_future().wait();

  std::atomic<bool> stopped{false};
  std::thread stopper([&] {
    server_->Stop();
    stopped = true;
  });
  EXPECT_THAT(idle->Reply(), StartsWith("421 4.3.2"));
  EXPECT_TRUE(idle->AtEof());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_FALSE(stopped.load());
  release.set_value();
  // The delivery's reply still reaches the client before the session closes.
  EXPECT_THAT(client->Reply(), StartsWith("250 2.1.5 <a@x.example>"));
  EXPECT_THAT(client->Reply(), StartsWith("421 4.3.2"));
  stopper.join();
  EXPECT_TRUE(stopped.load());
  EXPECT_EQ(server_->stats().delivered, 1);
  EXPECT_FALSE(Client(server_->port()).connected());  // the listener is gone
  server_->Stop();                                    // idempotent
}

TEST_F(LmtpServerTest, LmtpClientGoneDuringDeliverStillDelivers) {
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<bool> finished{false};
  hook_ = [&entered, released] {
    entered.set_value();
    released.wait();
  };
  results_ = [&finished](const Envelope& envelope) {
    finished = true;
    return std::vector<absl::Status>(envelope.recipients.size(), absl::OkStatus());
  };
  StartServer(Options());
  auto client = Greeted();
  EXPECT_THAT(client->Command("MAIL FROM:<s@y.example>"), StartsWith("250 "));
  EXPECT_THAT(client->Command("RCPT TO:<a@x.example>"), StartsWith("250 "));
  EXPECT_THAT(client->Command("DATA"), StartsWith("354 "));
  client->Send("x\r\n.\r\n");
  entered.get_future().wait();
  client->Close();
  release.set_value();
  for (int attempt = 0; attempt < 100 && server_->stats().delivered == 0; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(finished.load());
  EXPECT_EQ(server_->stats().delivered, 1);
  ASSERT_EQ(delivered().size(), 1u);
}

TEST_F(LmtpServerTest, LmtpStartFailsWhenPortTaken) {
  StartServer(Options());
  LmtpOptions options = Options();
  options.port = server_->port();
  LmtpServer second(
      options, [](std::string_view) { return absl::OkStatus(); },
      [](const Envelope&, std::string) { return std::vector<absl::Status>(); });
  absl::Status status = second.Start();
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(std::string(status.message()), HasSubstr("bind"));
}

TEST_F(LmtpServerTest, LmtpSwaksDelivers) {
  if (std::system("command -v swaks >/dev/null 2>&1") != 0) GTEST_SKIP() << "swaks not installed";
  StartServer(Options());
  std::string command =
      absl::StrCat("timeout 30 swaks --protocol LMTP --server 127.0.0.1 --port ", server_->port(),
                   " --to a@x.example --from b@y.example --header 'Subject: from swaks'"
                   " --body 'Hello from swaks' 2>&1");
  FILE* pipe = ::popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char chunk[4096];
  while (size_t got = std::fread(chunk, 1, sizeof chunk, pipe)) output.append(chunk, got);
  int status = ::pclose(pipe);
  ASSERT_TRUE(WIFEXITED(status)) << output;
  EXPECT_EQ(WEXITSTATUS(status), 0) << output;
  std::vector<Delivered> got = delivered();
  ASSERT_EQ(got.size(), 1u) << output;
  EXPECT_EQ(got[0].envelope.mail_from, "b@y.example");
  EXPECT_THAT(got[0].envelope.recipients, ElementsAre("a@x.example"));
  EXPECT_THAT(got[0].raw, HasSubstr("Subject: from swaks\r\n"));
  EXPECT_THAT(got[0].raw, HasSubstr("Hello from swaks"));
}

}  // namespace
}  // namespace onestop::mail
