// Tests of the pieces of NotifyClient that need no server: API key parsing,
// the JWT (checked independently: decoded and re-signed here), the HTTP error
// table, status names and the wire-format checks.
#include <gtest/gtest.h>
#include <sodium.h>

#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "notify/fake_notify_test_util.h"
#include "notify/notify_client.h"
#include "notify/wire_format.h"

namespace onestop::notify {
namespace {

using testing::kTestApiKey;
using testing::kTestSecret;
using testing::kTestServiceId;

std::string FromBase64Url(const std::string& text) {
  std::string out(text.size(), '\0');
  size_t length = 0;
  const int rc = sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(),
                                   text.data(), text.size(), nullptr, &length, nullptr,
                                   sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  EXPECT_EQ(rc, 0) << "not base64url: " << text;
  out.resize(length);
  return out;
}

// ---- API key ------------------------------------------------------------------

TEST(NotifyApiKeyTest, TakesTheTwoUuidsFromTheRight) {
  absl::StatusOr<NotifyApiKey> key = ParseNotifyApiKey(kTestApiKey);
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(key->name, "onestop_test");
  EXPECT_EQ(key->service_id, kTestServiceId);
  EXPECT_EQ(key->secret, kTestSecret);
}

TEST(NotifyApiKeyTest, NameMayContainDashes) {
  absl::StatusOr<NotifyApiKey> key =
      ParseNotifyApiKey(std::string("my-council-live-") + kTestServiceId + "-" + kTestSecret);
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(key->name, "my-council-live");
  EXPECT_EQ(key->service_id, kTestServiceId);
}

TEST(NotifyApiKeyTest, NameMayBeAbsent) {
  absl::StatusOr<NotifyApiKey> key =
      ParseNotifyApiKey(std::string(kTestServiceId) + "-" + kTestSecret);
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(key->name, "");
  EXPECT_EQ(key->secret, kTestSecret);
}

TEST(NotifyApiKeyTest, MalformedKeysAreInvalidArgumentWithoutEchoingTheKey) {
  const std::string service = kTestServiceId;
  const std::string secret = kTestSecret;
  const std::vector<std::string> bad = {
      "",
      "short",
      secret,                                            // one UUID only
      "name-" + service + secret,                        // no dash between the UUIDs
      "name_" + service + "-" + secret,                  // no dash before the service id
      "-" + service + "-" + secret,                      // a dash but no name
      "name-" + service + "-" + secret.substr(1) + "g",  // not hex
      "name-" + service.substr(0, 35) + "-" + secret,    // service id one short
      "na me-" + service + "-" + secret,                 // whitespace
      "name-" + service + "-" + secret + "\n",           // trailing newline from a file
  };
  for (const std::string& key : bad) {
    absl::StatusOr<NotifyApiKey> parsed = ParseNotifyApiKey(key);
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument) << key;
    EXPECT_EQ(parsed.status().message(), "notify_api_key_malformed") << key;
  }
}

TEST(NotifyClientCreateTest, RejectsBadKeyAndBadBaseUrl) {
  NotifyClientOptions options;
  options.api_key = "nonsense";
  EXPECT_EQ(NotifyClient::Create(options).status().code(), absl::StatusCode::kInvalidArgument);

  options.api_key = kTestApiKey;
  for (const char* url : {"", "ftp://x", "https://", "http://host/path", "http://user@host",
                          "http://ho st", "api.notifications.service.gov.uk"}) {
    options.base_url = url;
    absl::StatusOr<std::unique_ptr<NotifyClient>> client = NotifyClient::Create(options);
    EXPECT_EQ(client.status().code(), absl::StatusCode::kInvalidArgument) << url;
  }
  options.base_url = "https://api.notifications.service.gov.uk/";
  absl::StatusOr<std::unique_ptr<NotifyClient>> client = NotifyClient::Create(options);
  ASSERT_TRUE(client.ok()) << client.status();
  EXPECT_EQ((*client)->service_id(), kTestServiceId);

  options.timeout = absl::ZeroDuration();
  EXPECT_EQ(NotifyClient::Create(options).status().code(), absl::StatusCode::kInvalidArgument);
}

// ---- JWT ----------------------------------------------------------------------

TEST(NotifyJwtTest, HasNotifysShapeAndAVerifiableSignature) {
  const absl::Time now = absl::FromUnixSeconds(1'700'000'123);
  const std::string token = MakeNotifyJwt(kTestServiceId, kTestSecret, now);
  const std::vector<std::string> parts = absl::StrSplit(token, '.');
  ASSERT_EQ(parts.size(), 3u) << token;
  for (const std::string& part : parts) {
    EXPECT_EQ(part.find_first_of("+/="), std::string::npos) << "not URL-safe unpadded: " << part;
  }

  const boost::json::value header = boost::json::parse(FromBase64Url(parts[0]));
  ASSERT_TRUE(header.is_object());
  EXPECT_EQ(header.as_object().size(), 2u);
  EXPECT_EQ(header.at("typ"), "JWT");
  EXPECT_EQ(header.at("alg"), "HS256");

  const boost::json::value claims = boost::json::parse(FromBase64Url(parts[1]));
  ASSERT_TRUE(claims.is_object());
  EXPECT_EQ(claims.as_object().size(), 2u);
  EXPECT_EQ(claims.at("iss"), kTestServiceId);
  ASSERT_TRUE(claims.at("iat").is_int64());
  EXPECT_EQ(claims.at("iat").as_int64(), 1'700'000'123);

  // Recompute HMAC-SHA256(secret text, header.claims) here.
  const std::string signing_input = parts[0] + "." + parts[1];
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> expected{};
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(kTestSecret),
                              sizeof kTestSecret - 1);
  crypto_auth_hmacsha256_update(
      &state, reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size());
  crypto_auth_hmacsha256_final(&state, expected.data());
  const std::string signature = FromBase64Url(parts[2]);
  ASSERT_EQ(signature.size(), expected.size());
  EXPECT_EQ(signature, std::string(expected.begin(), expected.end()));
}

TEST(NotifyJwtTest, MatchesATokenMadeByPythonHmac) {
  // python3: hmac.new(secret.encode(), h + "." + c, hashlib.sha256), base64url unpadded,
  // over the compact JSON {"typ":"JWT","alg":"HS256"} and {"iss":…,"iat":1700000000}.
  EXPECT_EQ(MakeNotifyJwt(kTestServiceId, kTestSecret, absl::FromUnixSeconds(1'700'000'000)),
            "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9."
            "eyJpc3MiOiIyNjc4NWEwOS1hYjE2LTRlYjAtODQwNy1hMzc0OTdhNTc1MDYiLCJpYXQiOjE3MDAwMDAwMDB9."
            "q1v0ZBAPOtT5-Ng39fZDm8ojJu-wrEQD-OrsVHHKnIM");
}

TEST(NotifyJwtTest, IatIsWholeSecondsOfTheGivenTime) {
  const std::string token =
      MakeNotifyJwt(kTestServiceId, kTestSecret, absl::FromUnixMillis(1'700'000'000'999));
  const std::vector<std::string> parts = absl::StrSplit(token, '.');
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(boost::json::parse(FromBase64Url(parts[1])).at("iat").as_int64(), 1'700'000'000);
}

// ---- errors -------------------------------------------------------------------

std::string ErrorBody(const std::string& type, const std::string& message, int status) {
  return R"({"errors":[{"error":")" + type + R"(","message":")" + message +
         R"("}],"status_code":)" + std::to_string(status) + "}";
}

TEST(NotifyHttpErrorTest, MapsByStatusCodeAndNamesTheErrorType) {
  struct Case {
    long status;
    std::string type;
    absl::StatusCode code;
  };
  const std::vector<Case> cases = {
      {400, "BadRequestError", absl::StatusCode::kInvalidArgument},
      {400, "ValidationError", absl::StatusCode::kInvalidArgument},
      {403, "AuthError", absl::StatusCode::kPermissionDenied},
      {401, "AuthError", absl::StatusCode::kPermissionDenied},
      {404, "NoResultFound", absl::StatusCode::kNotFound},
      {429, "RateLimitError", absl::StatusCode::kResourceExhausted},
      {429, "TooManyRequestsError", absl::StatusCode::kResourceExhausted},
      {500, "Exception", absl::StatusCode::kUnavailable},
      {502, "", absl::StatusCode::kUnavailable},
      {503, "", absl::StatusCode::kUnavailable},
      {418, "", absl::StatusCode::kUnknown},
      {302, "", absl::StatusCode::kUnknown},
  };
  for (const Case& c : cases) {
    const absl::Status status = NotifyHttpError(c.status, ErrorBody(c.type, "words", c.status));
    EXPECT_EQ(status.code(), c.code) << c.status << " " << c.type;
    EXPECT_TRUE(
        absl::StartsWith(std::string(status.message()), "notify_http_" + std::to_string(c.status)))
        << status;
    if (!c.type.empty()) {
      EXPECT_NE(std::string(status.message()).find(c.type), std::string::npos) << status;
    }
  }
}

TEST(NotifyHttpErrorTest, DecidesOnTheCodeNotTheMessageText) {
  // A message that reads like a rate limit does not make a 400 retryable.
  EXPECT_EQ(NotifyHttpError(400, ErrorBody("BadRequestError", "rate limit exceeded", 400)).code(),
            absl::StatusCode::kInvalidArgument);
  // A 5xx with an HTML body (a proxy) is still Unavailable.
  EXPECT_EQ(NotifyHttpError(502, "<html>Bad gateway</html>").code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(NotifyHttpError(429, "").code(), absl::StatusCode::kResourceExhausted);
}

TEST(NotifyHttpErrorTest, ProviderMessageIsCutAndCleaned) {
  const std::string longer(1000, 'x');
  const absl::Status status = NotifyHttpError(400, ErrorBody("BadRequestError", longer, 400));
  EXPECT_LT(status.message().size(), 300u);
  const absl::Status control =
      NotifyHttpError(400, ErrorBody("BadRequestError", "a\\nb\\u0007c", 400));
  EXPECT_EQ(std::string(control.message()), "notify_http_400 BadRequestError: a b c");
}

// ---- names and wire format ----------------------------------------------------

TEST(NotificationStatusTest, NamesRoundTrip) {
  for (const char* name : {"created", "sending", "pending", "sent", "delivered",
                           "permanent-failure", "temporary-failure", "technical-failure"}) {
    const std::optional<NotificationStatus> status = ParseNotificationStatus(name);
    ASSERT_TRUE(status.has_value()) << name;
    EXPECT_EQ(NotificationStatusName(*status), name);
  }
  EXPECT_FALSE(ParseNotificationStatus("Delivered").has_value());
  EXPECT_FALSE(ParseNotificationStatus("").has_value());
  EXPECT_TRUE(IsFinal(NotificationStatus::kDelivered));
  EXPECT_TRUE(IsFinal(NotificationStatus::kTemporaryFailure));
  EXPECT_FALSE(IsFinal(NotificationStatus::kSending));
}

TEST(WireFormatTest, Uuid) {
  EXPECT_TRUE(IsUuid("26785a09-ab16-4eb0-8407-a37497a57506"));
  EXPECT_TRUE(IsUuid("26785A09-AB16-4EB0-8407-A37497A57506"));
  EXPECT_FALSE(IsUuid("26785a09ab16-4eb0-8407-a37497a57506-"));
  EXPECT_FALSE(IsUuid("26785a09-ab16-4eb0-8407-a37497a5750"));
  EXPECT_FALSE(IsUuid("g6785a09-ab16-4eb0-8407-a37497a57506"));
}

TEST(WireFormatTest, Utf8) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("Bore da, Caerdydd — £5 ✓ 𝄞"));
  EXPECT_FALSE(IsValidUtf8("\xff"));
  EXPECT_FALSE(IsValidUtf8("\xc3"));              // truncated
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong "/"
  EXPECT_FALSE(IsValidUtf8("\xe0\x80\xaf"));      // overlong 3-byte
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate U+D800
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\x80"));              // lone continuation
}

TEST(WireFormatTest, NotifyTimes) {
  const absl::Time expected =
      absl::FromCivil(absl::CivilSecond(2017, 5, 14, 12, 15, 30), absl::UTCTimeZone()) +
      absl::Microseconds(123456);
  EXPECT_EQ(ParseNotifyTime("2017-05-14T12:15:30.123456Z"), expected);
  EXPECT_EQ(ParseNotifyTime("2017-05-14T12:15:30.123456"), expected);
  EXPECT_EQ(ParseNotifyTime("2017-05-14T13:15:30.123456+01:00"), expected);
  EXPECT_EQ(ParseNotifyTime("2017-05-14T12:15:30Z"), expected - absl::Microseconds(123456));
  EXPECT_FALSE(ParseNotifyTime("yesterday").has_value());
  EXPECT_FALSE(ParseNotifyTime("2017-13-14T12:15:30Z").has_value());
  EXPECT_FALSE(ParseNotifyTime("").has_value());
}

}  // namespace
}  // namespace onestop::notify
