// Tests of the outbox → Notify mapping, against a mock NotifyApi.
#include "notify/sms_transport.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace onestop::notify {
namespace {

using ::testing::_;
using ::testing::ElementsAre;
using ::testing::Eq;
using ::testing::Pair;
using ::testing::Return;

constexpr char kAckEn[] = "11111111-1111-4111-8111-111111111111";
constexpr char kAckCy[] = "22222222-2222-4222-8222-222222222222";
constexpr char kReplyEn[] = "33333333-3333-4333-8333-333333333333";
constexpr char kNotifyId[] = "740e5834-3a29-46b4-9a6f-16142fde533a";

class MockNotifyApi : public NotifyApi {
 public:
  MOCK_METHOD(absl::StatusOr<NotifyReceipt>, SendSms,
              (std::string_view, std::string_view, const Personalisation&, std::string_view),
              (override));
  MOCK_METHOD(absl::StatusOr<NotifyReceipt>, SendEmail,
              (std::string_view, std::string_view, const Personalisation&, std::string_view),
              (override));
  MOCK_METHOD(absl::StatusOr<NotificationInfo>, GetNotification, (std::string_view), (override));
};

class NotifySmsTransportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<NotifySmsTransport>> made =
        NotifySmsTransport::Create(api_, {{"case_acknowledgement", kAckEn},
                                          {"case_acknowledgement.cy", kAckCy},
                                          {"case_reply", kReplyEn}});
    ASSERT_TRUE(made.ok()) << made.status();
    transport_ = *std::move(made);
  }

  static domain::OutboxMessage Message(std::string code, std::string language) {
    domain::OutboxMessage message;
    message.id = 42;
    message.channel = domain::OutboxChannel::kSms;
    message.recipient = "07700900123";
    message.template_code = std::move(code);
    message.language = std::move(language);
    message.params = {{"reference", "CAS-0001"}, {"service", "Bins"}};
    return message;
  }

  std::shared_ptr<MockNotifyApi> api_ = std::make_shared<MockNotifyApi>();
  std::unique_ptr<NotifySmsTransport> transport_;
};

TEST_F(NotifySmsTransportTest, MapsTheMessageAndReturnsNotifysId) {
  EXPECT_CALL(*api_, SendSms(Eq("07700900123"), Eq(kAckEn),
                             ElementsAre(Pair("reference", "CAS-0001"), Pair("service", "Bins")),
                             Eq("onestop-outbox-42")))
      .WillOnce(Return(NotifyReceipt{kNotifyId, "onestop-outbox-42"}));
  absl::StatusOr<std::string> id = transport_->Send(Message("case_acknowledgement", "en"));
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(*id, kNotifyId);
}

TEST_F(NotifySmsTransportTest, WelshUsesTheWelshTemplate) {
  EXPECT_CALL(*api_, SendSms(_, Eq(kAckCy), _, _))
      .WillOnce(Return(NotifyReceipt{kNotifyId, "onestop-outbox-42"}));
  EXPECT_TRUE(transport_->Send(Message("case_acknowledgement", "cy")).ok());
}

TEST_F(NotifySmsTransportTest, WelshWithoutItsOwnTemplateFallsBackToEnglish) {
  EXPECT_CALL(*api_, SendSms(_, Eq(kReplyEn), _, _))
      .WillOnce(Return(NotifyReceipt{kNotifyId, "onestop-outbox-42"}));
  EXPECT_TRUE(transport_->Send(Message("case_reply", "cy")).ok());
}

TEST_F(NotifySmsTransportTest, UnknownTemplateCodeIsPermanentAndSendsNothing) {
  EXPECT_CALL(*api_, SendSms).Times(0);
  absl::StatusOr<std::string> id = transport_->Send(Message("sign_in_code", "en"));
  EXPECT_EQ(id.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(id.status().message(), "notify_template_unmapped sign_in_code");
  // A Welsh-only entry does not serve English.
  absl::StatusOr<std::unique_ptr<NotifySmsTransport>> welsh_only =
      NotifySmsTransport::Create(api_, {{"case_reply.cy", kAckCy}});
  ASSERT_TRUE(welsh_only.ok());
  EXPECT_EQ((*welsh_only)->Send(Message("case_reply", "en")).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(NotifySmsTransportTest, EmailMessagesAndEmptyRecipientsAreRefused) {
  EXPECT_CALL(*api_, SendSms).Times(0);
  domain::OutboxMessage email = Message("case_acknowledgement", "en");
  email.channel = domain::OutboxChannel::kEmail;
  EXPECT_EQ(transport_->Send(email).status().code(), absl::StatusCode::kFailedPrecondition);
  domain::OutboxMessage nobody = Message("case_acknowledgement", "en");
  nobody.recipient.clear();
  EXPECT_EQ(transport_->Send(nobody).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(NotifySmsTransportTest, PassesTheClientsErrorThrough) {
  EXPECT_CALL(*api_, SendSms)
      .WillOnce(Return(absl::ResourceExhaustedError("notify_http_429 RateLimitError")))
      .WillOnce(Return(absl::InvalidArgumentError("notify_http_400 BadRequestError")));
  EXPECT_EQ(transport_->Send(Message("case_acknowledgement", "en")).status().code(),
            absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(transport_->Send(Message("case_acknowledgement", "en")).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(NotifySmsTransportCreateTest, RejectsABadMap) {
  auto api = std::make_shared<MockNotifyApi>();
  EXPECT_EQ(NotifySmsTransport::Create(api, {{"case_reply", "not-a-uuid"}}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(NotifySmsTransport::Create(api, {{"", kAckEn}}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(NotifySmsTransport::Create(nullptr, {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(NotifySmsTransport::ReferenceFor(7), "onestop-outbox-7");
}

}  // namespace
}  // namespace onestop::notify
