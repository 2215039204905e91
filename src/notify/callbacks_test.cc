// Tests of the callback parsers and the bearer-token check.
#include "notify/callbacks.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "common/status.h"

namespace onestop::notify {
namespace {

constexpr char kDelivered[] = R"({
  "id": "740e5834-3a29-46b4-9a6f-16142fde533a",
  "reference": "onestop-outbox-42",
  "to": "07700900123",
  "status": "delivered",
  "created_at": "2017-05-14T12:15:30.000000Z",
  "completed_at": "2017-05-14T12:15:31.500000Z",
  "sent_at": "2017-05-14T12:15:30.500000Z",
  "notification_type": "sms",
  "template_id": "f33517ff-2a88-4f6e-b855-c550268ce08a",
  "template_version": 1
})";

constexpr char kInbound[] = R"({
  "id": "df10a23e-2c6d-4ea5-87fb-82e520cbf93a",
  "source_number": "447700900111",
  "destination_number": "07700900000",
  "message": "Diolch! The bin was collected",
  "date_received": "2017-05-14T12:15:30.000000Z"
})";

absl::Time Utc(int year, int month, int day, int hour, int minute, int second) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, second),
                         absl::UTCTimeZone());
}

// Replaces the first `from` in `text` by `to`.
std::string With(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// The field and reason of the first error, "" when OK.
std::pair<std::string, std::string> FirstError(const absl::Status& status) {
  const std::vector<FieldError> errors = FieldErrorsOf(status);
  if (errors.empty()) return {"", ""};
  return {errors.front().field, errors.front().reason};
}

TEST(DeliveryReceiptTest, ParsesNotifysCallback) {
  absl::StatusOr<DeliveryReceipt> receipt = ParseDeliveryReceipt(kDelivered);
  ASSERT_TRUE(receipt.ok()) << receipt.status();
  EXPECT_EQ(receipt->notification_id, "740e5834-3a29-46b4-9a6f-16142fde533a");
  EXPECT_EQ(receipt->reference, "onestop-outbox-42");
  EXPECT_EQ(receipt->status, NotificationStatus::kDelivered);
  ASSERT_TRUE(receipt->completed_at.has_value());
  EXPECT_EQ(*receipt->completed_at, Utc(2017, 5, 14, 12, 15, 31) + absl::Milliseconds(500));
  EXPECT_EQ(receipt->notification_type, "sms");
}

TEST(DeliveryReceiptTest, NullsAndAbsentOptionalFieldsAreFine) {
  absl::StatusOr<DeliveryReceipt> receipt = ParseDeliveryReceipt(
      R"({"id":"740e5834-3a29-46b4-9a6f-16142fde533a","status":"temporary-failure",)"
      R"("reference":null,"completed_at":null,"sent_at":null,"future_field":[1,2]})");
  ASSERT_TRUE(receipt.ok()) << receipt.status();
  EXPECT_EQ(receipt->reference, "");
  EXPECT_EQ(receipt->status, NotificationStatus::kTemporaryFailure);
  EXPECT_FALSE(receipt->completed_at.has_value());
}

TEST(DeliveryReceiptTest, RejectsBadBodiesNamingTheField) {
  struct Case {
    std::string body;
    std::string field;
    std::string reason;
  };
  const std::string good = kDelivered;
  const std::vector<Case> cases = {
      {"", "body", "json_syntax"},
      {"{", "body", "json_syntax"},
      {"[1]", "body", "not_object"},
      {"\"x\"", "body", "not_object"},
      {std::string(kMaxCallbackBodyBytes + 1, ' '), "body", "too_large"},
      {With(good, "Z\"", "Z\xff\""), "body", "invalid_utf8"},
      {With(good, "\"id\": \"740e5834", "\"idx\": \"740e5834"), "id", "key_required"},
      {With(good, "\"740e5834-3a29-46b4-9a6f-16142fde533a\"", "42"), "id", "wrong_type"},
      {With(good, "740e5834-3a29-46b4-9a6f-16142fde533a", "onestop-outbox-42"), "id", "not_uuid"},
      {With(good, "\"status\": \"delivered\"", "\"status\": null"), "status", "key_required"},
      {With(good, "\"delivered\"", "true"), "status", "wrong_type"},
      {With(good, "\"delivered\"", "\"DELIVERED\""), "status", "unknown_status"},
      {With(good, "\"onestop-outbox-42\"", "{}"), "reference", "wrong_type"},
      {With(good, "\"07700900123\"", "7700900123"), "to", "wrong_type"},
      {With(good, "\"2017-05-14T12:15:31.500000Z\"", "\"soon\""), "completed_at", "not_time"},
      {With(good, "\"2017-05-14T12:15:31.500000Z\"", "1494764131"), "completed_at", "wrong_type"},
      {With(good, "\"sms\"", "\"pigeon\""), "notification_type", "unknown_type"},
      {With(good, "\"template_version\": 1", "\"template_version\": \"1\""), "template_version",
       "wrong_type"},
      {With(good, "\"template_version\": 1", "\"template_version\": 1.5"), "template_version",
       "wrong_type"},
      // A lone surrogate spelt as an escape: valid bytes, invalid text (Boost.JSON
      // refuses it while parsing; the reader would check the string again).
      {With(good, "onestop-outbox-42", "\\ud800"), "body", "json_syntax"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<DeliveryReceipt> receipt = ParseDeliveryReceipt(c.body);
    ASSERT_FALSE(receipt.ok()) << c.field << " " << c.reason;
    EXPECT_EQ(receipt.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(FirstError(receipt.status()), std::make_pair(c.field, c.reason)) << receipt.status();
    EXPECT_EQ(std::string(receipt.status().message()),
              "notify_callback_invalid " + c.field + " " + c.reason);
  }
}

TEST(DeliveryReceiptTest, StatusNeverCarriesTheRecipient) {
  absl::StatusOr<DeliveryReceipt> receipt =
      ParseDeliveryReceipt(With(kDelivered, "\"delivered\"", "\"07700900123\""));
  ASSERT_FALSE(receipt.ok());
  EXPECT_EQ(receipt.status().ToString().find("07700900123"), std::string::npos);
}

TEST(DeliveryReceiptTest, ReportsEveryProblem) {
  absl::StatusOr<DeliveryReceipt> receipt = ParseDeliveryReceipt(R"({"status": 3})");
  ASSERT_FALSE(receipt.ok());
  EXPECT_EQ(FieldErrorsOf(receipt.status()).size(), 2u);  // id required, status wrong type
}

TEST(InboundSmsTest, ParsesNotifysCallback) {
  absl::StatusOr<InboundSms> sms = ParseInboundSms(kInbound);
  ASSERT_TRUE(sms.ok()) << sms.status();
  EXPECT_EQ(sms->id, "df10a23e-2c6d-4ea5-87fb-82e520cbf93a");
  EXPECT_EQ(sms->source_number, "447700900111");
  EXPECT_EQ(sms->destination_number, "07700900000");
  EXPECT_EQ(sms->message, "Diolch! The bin was collected");
  EXPECT_EQ(sms->date_received, Utc(2017, 5, 14, 12, 15, 30));
}

TEST(InboundSmsTest, KeepsWelshAndEmptyMessages) {
  absl::StatusOr<InboundSms> welsh =
      ParseInboundSms(With(kInbound, "Diolch! The bin was collected", "Diolch yn fawr — ŵ ŷ"));
  ASSERT_TRUE(welsh.ok()) << welsh.status();
  EXPECT_EQ(welsh->message, "Diolch yn fawr — ŵ ŷ");
  absl::StatusOr<InboundSms> empty =
      ParseInboundSms(With(kInbound, "Diolch! The bin was collected", ""));
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->message, "");
}

TEST(InboundSmsTest, RejectsBadBodies) {
  struct Case {
    std::string body;
    std::string field;
    std::string reason;
  };
  const std::string good = kInbound;
  const std::vector<Case> cases = {
      {"null", "body", "not_object"},
      {With(good, "bin", "\xc0\xaf"), "body", "invalid_utf8"},
      {With(good, "\"source_number\": \"447700900111\",", ""), "source_number", "key_required"},
      {With(good, "\"447700900111\"", "447700900111"), "source_number", "wrong_type"},
      {With(good, "\"447700900111\"", "\"\""), "source_number", "empty"},
      {With(good, "\"Diolch! The bin was collected\"", "[\"hi\"]"), "message", "wrong_type"},
      {With(good, "\"07700900000\"", "null"), "destination_number", "key_required"},
      {With(good, "\"2017-05-14T12:15:30.000000Z\"", "\"14/05/2017\""), "date_received",
       "not_time"},
      {With(good, "df10a23e-2c6d-4ea5-87fb-82e520cbf93a", "x"), "id", "not_uuid"},
      {std::string(kMaxCallbackBodyBytes + 1, '{'), "body", "too_large"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<InboundSms> sms = ParseInboundSms(c.body);
    ASSERT_FALSE(sms.ok()) << c.field << " " << c.reason;
    EXPECT_EQ(sms.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(FirstError(sms.status()), std::make_pair(c.field, c.reason)) << sms.status();
    EXPECT_EQ(sms.status().ToString().find("447700900111"), std::string::npos);
  }
}

TEST(BearerTokenTest, MatchesOnlyTheExactToken) {
  EXPECT_TRUE(BearerTokenMatches("Bearer s3cret-token", "s3cret-token"));
  EXPECT_TRUE(BearerTokenMatches("bearer s3cret-token", "s3cret-token"));
  EXPECT_TRUE(BearerTokenMatches("BEARER s3cret-token", "s3cret-token"));
  EXPECT_FALSE(BearerTokenMatches("Bearer s3cret-tokeN", "s3cret-token"));
  EXPECT_FALSE(BearerTokenMatches("Bearer s3cret-toke", "s3cret-token"));
  EXPECT_FALSE(BearerTokenMatches("Bearer s3cret-token ", "s3cret-token"));
  EXPECT_FALSE(BearerTokenMatches("Bearer  s3cret-token", "s3cret-token"));
  EXPECT_FALSE(BearerTokenMatches("Basic s3cret-token", "s3cret-token"));
  EXPECT_FALSE(BearerTokenMatches("s3cret-token", "s3cret-token"));
  EXPECT_FALSE(BearerTokenMatches("", "s3cret-token"));
  EXPECT_FALSE(BearerTokenMatches("Bearer ", ""));  // an unset token matches nothing
  EXPECT_FALSE(BearerTokenMatches("Bearer", ""));
}

}  // namespace
}  // namespace onestop::notify
