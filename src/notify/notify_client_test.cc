// NotifyClient and NotifySmsTransport against the real fake Notify
// (tests/fakes/fake_notify.py), one fake process per test.
#include "notify/notify_client.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "common/clock.h"
#include "notify/callbacks.h"
#include "notify/fake_notify_test_util.h"
#include "notify/sms_transport.h"
#include "notify/wire_format.h"

namespace onestop::notify {
namespace {

using testing::FakeNotifyProcess;
using testing::kTestApiKey;

constexpr char kTemplate[] = "f33517ff-2a88-4f6e-b855-c550268ce08a";
constexpr char kWelshTemplate[] = "0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6";
constexpr char kOtherTemplate[] = "99999999-9999-4999-8999-999999999999";

class NotifyClientTest : public ::testing::Test {
 protected:
  // Starts the fake with `args`, and a client for it.
  void Start(const std::vector<std::string>& args = {}) {
    fake_ = std::make_unique<FakeNotifyProcess>(args);
    ASSERT_TRUE(fake_->ok()) << "fake_notify.py did not start";
    client_ = MakeClient(kTestApiKey);
    ASSERT_NE(client_, nullptr);
  }

  std::unique_ptr<NotifyClient> MakeClient(const std::string& key,
                                           absl::Duration timeout = absl::Seconds(10)) {
    NotifyClientOptions options;
    options.base_url = fake_->base_url();
    options.api_key = key;
    options.timeout = timeout;
    options.clock = &clock_;
    absl::StatusOr<std::unique_ptr<NotifyClient>> client = NotifyClient::Create(options);
    EXPECT_TRUE(client.ok()) << client.status();
    return client.ok() ? *std::move(client) : nullptr;
  }

  boost::json::value Sent() const {
    const testing::HttpResult sent = fake_->Get("/_fake/sent");
    EXPECT_EQ(sent.status, 200);
    return boost::json::parse(sent.body);
  }

  // The fake checks iat against its own clock: keep ours at real time.
  FakeClock clock_{absl::Now()};
  std::unique_ptr<FakeNotifyProcess> fake_;
  std::unique_ptr<NotifyClient> client_;
};

TEST_F(NotifyClientTest, SmsIsAcceptedAndRecordedWithItsPersonalisation) {
  Start({"--template", std::string(kTemplate) + "=reference,service"});
  absl::StatusOr<NotifyReceipt> receipt = client_->SendSms(
      "07700900123", kTemplate, {{"reference", "CAS-0001"}, {"service", "Casgliad biniau"}},
      "onestop-outbox-1");
  ASSERT_TRUE(receipt.ok()) << receipt.status();
  EXPECT_TRUE(IsUuid(receipt->id));
  EXPECT_EQ(receipt->reference, "onestop-outbox-1");

  const boost::json::value sent = Sent();
  ASSERT_EQ(sent.as_array().size(), 1u);
  const boost::json::value& one = sent.as_array()[0];
  EXPECT_EQ(one.at("id"), receipt->id.c_str());
  EXPECT_EQ(one.at("type"), "sms");
  EXPECT_EQ(one.at("phone_number"), "07700900123");
  EXPECT_EQ(one.at("template_id"), kTemplate);
  EXPECT_EQ(one.at("reference"), "onestop-outbox-1");
  EXPECT_EQ(one.at("personalisation").as_object().size(), 2u);
  EXPECT_EQ(one.at("personalisation").at("reference"), "CAS-0001");
  EXPECT_EQ(one.at("personalisation").at("service"), "Casgliad biniau");
}

TEST_F(NotifyClientTest, EmailIsAccepted) {
  Start();
  absl::StatusOr<NotifyReceipt> receipt =
      client_->SendEmail("resident@example.org", kTemplate, {}, "");
  ASSERT_TRUE(receipt.ok()) << receipt.status();
  EXPECT_EQ(receipt->reference, "");
  const boost::json::value sent = Sent();
  ASSERT_EQ(sent.as_array().size(), 1u);
  EXPECT_EQ(sent.as_array()[0].at("email_address"), "resident@example.org");
  EXPECT_TRUE(sent.as_array()[0].at("reference").is_null());
}

TEST_F(NotifyClientTest, WrongKeyIsPermissionDenied) {
  Start();
  std::unique_ptr<NotifyClient> wrong = MakeClient(
      "onestop_test-26785a09-ab16-4eb0-8407-a37497a57506-00000000-8d35-48ac-975b-e847b4f122b0");
  absl::StatusOr<NotifyReceipt> receipt = wrong->SendSms("07700900123", kTemplate, {}, "r");
  EXPECT_EQ(receipt.status().code(), absl::StatusCode::kPermissionDenied) << receipt.status();
  EXPECT_NE(std::string(receipt.status().message()).find("AuthError"), std::string::npos);
  EXPECT_EQ(Sent().as_array().size(), 0u);
}

TEST_F(NotifyClientTest, ClockOutBy30SecondsIsPermissionDenied) {
  Start();
  clock_.Advance(-absl::Seconds(90));
  EXPECT_EQ(client_->SendSms("07700900123", kTemplate, {}, "r").status().code(),
            absl::StatusCode::kPermissionDenied);
  clock_.Set(absl::Now());
  EXPECT_TRUE(client_->SendSms("07700900123", kTemplate, {}, "r").ok());
}

TEST_F(NotifyClientTest, RateLimitIsResourceExhaustedThenSucceeds) {
  Start();
  ASSERT_EQ(fake_->Post("/_fake/fail-next", R"({"status":429,"count":2})").status, 200);
  for (int attempt = 0; attempt < 2; ++attempt) {
    absl::StatusOr<NotifyReceipt> limited = client_->SendSms("07700900123", kTemplate, {}, "r");
    EXPECT_EQ(limited.status().code(), absl::StatusCode::kResourceExhausted) << limited.status();
  }
  EXPECT_TRUE(client_->SendSms("07700900123", kTemplate, {}, "r").ok());
  EXPECT_EQ(Sent().as_array().size(), 1u);
}

TEST_F(NotifyClientTest, ServerErrorIsUnavailable) {
  Start();
  ASSERT_EQ(fake_->Post("/_fake/fail-next", R"({"status":500,"count":1})").status, 200);
  EXPECT_EQ(client_->SendSms("07700900123", kTemplate, {}, "r").status().code(),
            absl::StatusCode::kUnavailable);
}

TEST_F(NotifyClientTest, UnknownTemplateAndMissingPlaceholderAreInvalidArgument) {
  Start({"--template", std::string(kTemplate) + "=reference"});
  absl::StatusOr<NotifyReceipt> unknown =
      client_->SendSms("07700900123", kOtherTemplate, {{"reference", "x"}}, "r");
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kInvalidArgument) << unknown.status();
  EXPECT_NE(std::string(unknown.status().message()).find("BadRequestError"), std::string::npos);
  absl::StatusOr<NotifyReceipt> missing = client_->SendSms("07700900123", kTemplate, {}, "r");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kInvalidArgument) << missing.status();
  EXPECT_EQ(Sent().as_array().size(), 0u);
}

TEST_F(NotifyClientTest, BadPhoneNumberIsInvalidArgumentWithoutTheNumber) {
  Start();
  absl::StatusOr<NotifyReceipt> receipt = client_->SendSms("0123 not-a-phone", kTemplate, {}, "r");
  EXPECT_EQ(receipt.status().code(), absl::StatusCode::kInvalidArgument) << receipt.status();
  EXPECT_EQ(receipt.status().ToString().find("not-a-phone"), std::string::npos);
}

TEST_F(NotifyClientTest, BadInputIsRefusedBeforeSending) {
  Start();
  EXPECT_EQ(client_->SendSms("07700900123", "not-a-uuid", {}, "r").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(client_->SendSms("", kTemplate, {}, "r").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(client_->SendSms("07700900123", kTemplate, {{"name", "\xff"}}, "r").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Sent().as_array().size(), 0u);
}

TEST_F(NotifyClientTest, SlowAnswerIsDeadlineExceeded) {
  Start();
  std::unique_ptr<NotifyClient> hasty = MakeClient(kTestApiKey, absl::Milliseconds(300));
  ASSERT_EQ(fake_->Post("/_fake/delay-next", R"({"seconds":2,"count":1})").status, 200);
  EXPECT_EQ(hasty->SendSms("07700900123", kTemplate, {}, "r").status().code(),
            absl::StatusCode::kDeadlineExceeded);
}

TEST_F(NotifyClientTest, OversizeAnswerIsNotRead) {
  Start();
  NotifyClientOptions options;
  options.base_url = fake_->base_url();
  options.api_key = kTestApiKey;
  options.clock = &clock_;
  options.max_response_bytes = 64;
  absl::StatusOr<std::unique_ptr<NotifyClient>> small = NotifyClient::Create(options);
  ASSERT_TRUE(small.ok());
  // After a 201 the message went: permanent, so the outbox does not send it twice.
  EXPECT_EQ((*small)->SendSms("07700900123", kTemplate, {}, "r").status().code(),
            absl::StatusCode::kDataLoss);
  // After an error status the code alone decides.
  ASSERT_EQ(fake_->Post("/_fake/fail-next", R"({"status":429,"count":1})").status, 200);
  EXPECT_EQ((*small)->SendSms("07700900123", kTemplate, {}, "r").status().code(),
            absl::StatusCode::kResourceExhausted);
}

TEST_F(NotifyClientTest, GetNotificationReportsTheStatus) {
  Start();
  absl::StatusOr<NotifyReceipt> delivered = client_->SendSms("07700900123", kTemplate, {}, "a");
  absl::StatusOr<NotifyReceipt> permanent = client_->SendSms("07700900002", kTemplate, {}, "b");
  absl::StatusOr<NotifyReceipt> temporary = client_->SendSms("+447700900003", kTemplate, {}, "c");
  ASSERT_TRUE(delivered.ok() && permanent.ok() && temporary.ok());

  absl::StatusOr<NotificationInfo> info = client_->GetNotification(delivered->id);
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->id, delivered->id);
  EXPECT_EQ(info->reference, "a");
  EXPECT_EQ(info->type, "sms");
  EXPECT_EQ(info->status, NotificationStatus::kDelivered);
  EXPECT_TRUE(info->created_at.has_value());
  EXPECT_TRUE(info->completed_at.has_value());
  EXPECT_EQ(client_->GetNotification(permanent->id)->status, NotificationStatus::kPermanentFailure);
  EXPECT_EQ(client_->GetNotification(temporary->id)->status, NotificationStatus::kTemporaryFailure);

  EXPECT_EQ(client_->GetNotification(kOtherTemplate).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(client_->GetNotification("../_fake/sent").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(NotifyClientTest, ConcurrentSendsFromSeveralThreads) {
  Start();
  constexpr int kThreads = 4;
  constexpr int kPerThread = 5;
  std::atomic<int> accepted{0};
  std::vector<std::thread> threads;
  for (int thread_idx = 0; thread_idx < kThreads; ++thread_idx) {
    threads.emplace_back([&, thread_idx] {
      for (int send_idx = 0; send_idx < kPerThread; ++send_idx) {
        const std::string reference =
            "onestop-outbox-" + std::to_string(thread_idx * 100 + send_idx);
        if (client_->SendSms("07700900123", kTemplate, {}, reference).ok()) ++accepted;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(accepted.load(), kThreads * kPerThread);
  EXPECT_EQ(Sent().as_array().size(), static_cast<size_t>(kThreads * kPerThread));
}

TEST(NotifyClientNoServerTest, NothingListeningIsUnavailable) {
  // Take a free port and let it go: nothing listens there now.
  const int probe = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(probe, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(probe, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  socklen_t length = sizeof address;
  ASSERT_EQ(::getsockname(probe, reinterpret_cast<sockaddr*>(&address), &length), 0);
  ::close(probe);

  NotifyClientOptions options;
  options.base_url = "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port));
  options.api_key = kTestApiKey;
  options.timeout = absl::Seconds(3);
  absl::StatusOr<std::unique_ptr<NotifyClient>> client = NotifyClient::Create(options);
  ASSERT_TRUE(client.ok());
  absl::StatusOr<NotifyReceipt> receipt = (*client)->SendSms("07700900123", kTemplate, {}, "r");
  EXPECT_EQ(receipt.status().code(), absl::StatusCode::kUnavailable) << receipt.status();
}

// ---- the transport end to end --------------------------------------------------

TEST_F(NotifyClientTest, TransportSendsTheRightTemplateAndReference) {
  Start({"--template", std::string(kTemplate) + "=reference", "--template",
         std::string(kWelshTemplate) + "=reference"});
  absl::StatusOr<std::unique_ptr<NotifySmsTransport>> transport = NotifySmsTransport::Create(
      std::shared_ptr<NotifyApi>(std::move(client_)),
      {{"case_acknowledgement", kTemplate}, {"case_acknowledgement.cy", kWelshTemplate}});
  ASSERT_TRUE(transport.ok()) << transport.status();

  domain::OutboxMessage message;
  message.id = 17;
  message.channel = domain::OutboxChannel::kSms;
  message.recipient = "07700900123";
  message.template_code = "case_acknowledgement";
  message.language = "cy";
  message.params = {{"reference", "CAS-0017"}};
  absl::StatusOr<std::string> id = (*transport)->Send(message);
  ASSERT_TRUE(id.ok()) << id.status();

  message.template_code = "case_reply";
  EXPECT_EQ((*transport)->Send(message).status().code(), absl::StatusCode::kFailedPrecondition);

  const boost::json::value sent = Sent();
  ASSERT_EQ(sent.as_array().size(), 1u);
  EXPECT_EQ(sent.as_array()[0].at("id"), id->c_str());
  EXPECT_EQ(sent.as_array()[0].at("template_id"), kWelshTemplate);
  EXPECT_EQ(sent.as_array()[0].at("reference"), "onestop-outbox-17");
  EXPECT_EQ(sent.as_array()[0].at("personalisation").at("reference"), "CAS-0017");
}

// ---- the fake's delivery callback ----------------------------------------------

// Accepts one HTTP request on a loopback port, answers 200, keeps what came.
class OneShotListener {
 public:
  OneShotListener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(fd_, 4) != 0) {
      return;
    }
    socklen_t length = sizeof address;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~OneShotListener() {
    if (thread_.joinable()) thread_.join();
    if (fd_ >= 0) ::close(fd_);
  }

  int port() const { return port_; }
  // The whole request; call after the thread is done (Join).
  void Join() {
    if (thread_.joinable()) thread_.join();
  }
  const std::string& request() const { return request_; }

 private:
  void Serve() {
    pollfd wait{fd_, POLLIN, 0};
    if (::poll(&wait, 1, 10000) != 1) return;
    const int client = ::accept(fd_, nullptr, nullptr);
    if (client < 0) return;
    // Read headers, then Content-Length bytes of body.
    size_t wanted = std::string::npos;
    for (;;) {
      pollfd readable{client, POLLIN, 0};
      if (::poll(&readable, 1, 5000) != 1) break;
      char buffer[4096];
      const ssize_t got = ::read(client, buffer, sizeof buffer);
      if (got <= 0) break;
      request_.append(buffer, static_cast<size_t>(got));
      const size_t end = request_.find("\r\n\r\n");
      if (end != std::string::npos && wanted == std::string::npos) {
        const size_t at = request_.find("Content-Length: ");
        if (at != std::string::npos && at < end) {
          wanted = end + 4 + std::stoul(request_.substr(at + 16));
        }
      }
      if (wanted != std::string::npos && request_.size() >= wanted) break;
    }
    constexpr char kOk[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    (void)!::write(client, kOk, sizeof kOk - 1);
    ::close(client);
  }

  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::string request_;
};

TEST_F(NotifyClientTest, FakeSendsADeliveryCallbackWeCanParse) {
  OneShotListener listener;
  ASSERT_GT(listener.port(), 0);
  Start({"--callback-url", "http://127.0.0.1:" + std::to_string(listener.port()) + "/notify/status",
         "--callback-token", "callback-secret"});
  absl::StatusOr<NotifyReceipt> receipt =
      client_->SendSms("07700900002", kTemplate, {}, "onestop-outbox-5");
  ASSERT_TRUE(receipt.ok()) << receipt.status();
  listener.Join();

  const std::string& request = listener.request();
  ASSERT_NE(request.find("POST /notify/status "), std::string::npos) << request;
  const size_t auth = request.find("Authorization: ");
  ASSERT_NE(auth, std::string::npos);
  const std::string header = request.substr(auth + 15, request.find("\r\n", auth) - (auth + 15));
  EXPECT_TRUE(BearerTokenMatches(header, "callback-secret"));
  EXPECT_FALSE(BearerTokenMatches(header, "other-secret"));

  absl::StatusOr<DeliveryReceipt> parsed =
      ParseDeliveryReceipt(request.substr(request.find("\r\n\r\n") + 4));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->notification_id, receipt->id);
  EXPECT_EQ(parsed->reference, "onestop-outbox-5");
  EXPECT_EQ(parsed->status, NotificationStatus::kPermanentFailure);
  EXPECT_TRUE(parsed->completed_at.has_value());
}

}  // namespace
}  // namespace onestop::notify
