// NotifyClient: a client for the GOV.UK Notify REST API (v2): send an SMS or
// an email from a template, and look a notification up. It also talks to any
// service that speaks the same API, such as tests/fakes/fake_notify.py.
//
// Each request is signed with a fresh JWT (HS256 over {"iss": service id,
// "iat": now}) made from the API key `{name}-{service uuid}-{secret uuid}`;
// Notify accepts a token within 30 s of its own clock, so "now" comes from the
// Clock given in the options.
//
// Errors are decided on the HTTP status code and the "error" type of Notify's
// answer, never on its message text, and follow domain::MessageTransport's
// rule (retry later / permanent):
//   400 BadRequestError, ValidationError   InvalidArgument     permanent
//   401, 403 AuthError                     PermissionDenied    permanent
//   404                                    NotFound            permanent
//   408, a timeout on our side             DeadlineExceeded    retry
//   429 RateLimitError, TooManyRequests    ResourceExhausted   retry
//   5xx, connection refused/reset, DNS     Unavailable         retry
//   other status codes                     Unknown             permanent
//   2xx with a body we cannot read         DataLoss            permanent
// The last is permanent on purpose: Notify accepted the request, and sending it
// again would send the message twice. A response body longer than
// max_response_bytes is not read further: after a 2xx that is DataLoss, after
// an error status it is mapped by the status code alone. Status messages are
// short technical text ("notify_http_400 BadRequestError: Missing
// personalisation: name") — Notify's own message is appended, cut to 200
// bytes, because it names the field at fault; Notify does not echo recipients
// or personalisation in it.
//
// Personal data: phone numbers, email addresses and personalisation values
// are sent, never logged and never put in a status. The log shows the
// reference, the notification id and the status.
//
// Threads: every method may be called from any thread at the same time (each
// call uses its own libcurl handle; nothing is shared but the immutable
// configuration). Calls block for at most `timeout`.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/clock.h"

namespace onestop::notify {

// The two halves of an API key that matter. The secret signs tokens and must
// not be logged.
struct NotifyApiKey {
  std::string name;        // the part left of the two UUIDs, e.g. "onestop_live"; may be empty
  std::string service_id;  // the "iss" claim
  std::string secret;      // the HMAC key (the UUID text itself, as Notify's own clients use it)
};

// Splits `{name}-{service uuid}-{secret uuid}`: the two UUIDs from the right.
// InvalidArgument ("notify_api_key_malformed") when the key has no such form;
// the status never contains the key.
absl::StatusOr<NotifyApiKey> ParseNotifyApiKey(std::string_view api_key);

// The JWT Notify expects: base64url(header).base64url(claims).base64url(sig),
// header {"typ":"JWT","alg":"HS256"}, claims {"iss":service_id,"iat":<now in
// epoch seconds>}, sig = HMAC-SHA256(secret, header.claims). Exposed for tests.
std::string MakeNotifyJwt(std::string_view service_id, std::string_view secret, absl::Time now);

// A notification's status, as Notify names it.
enum class NotificationStatus {
  kCreated,
  kSending,
  kPending,
  kSent,  // sent to an international number; no further receipt comes
  kDelivered,
  kPermanentFailure,
  kTemporaryFailure,
  kTechnicalFailure,
};
std::string_view NotificationStatusName(NotificationStatus status);  // "permanent-failure", …
std::optional<NotificationStatus> ParseNotificationStatus(std::string_view name);
// True for the statuses after which nothing changes (delivered, sent and the
// three failures).
bool IsFinal(NotificationStatus status);

// Placeholder name → value, in order. A repeated name: the last one wins.
using Personalisation = std::vector<std::pair<std::string, std::string>>;

// What Notify answered to a send.
struct NotifyReceipt {
  std::string id;         // Notify's notification id (a UUID)
  std::string reference;  // our reference, echoed; "" when none was given
  bool operator==(const NotifyReceipt&) const = default;
};

// What GetNotification reports.
struct NotificationInfo {
  std::string id;
  std::string reference;  // "" when none
  std::string type;       // "sms", "email", "letter"
  NotificationStatus status = NotificationStatus::kCreated;
  std::optional<absl::Time> created_at;
  std::optional<absl::Time> completed_at;
};

// The Notify API as the rest of onestop sees it; NotifyClient is the one
// implementation, tests may mock it.
class NotifyApi {
 public:
  virtual ~NotifyApi() = default;
  // POST /v2/notifications/sms. `reference` may be "" (then none is sent).
  virtual absl::StatusOr<NotifyReceipt> SendSms(std::string_view phone_number,
                                                std::string_view template_id,
                                                const Personalisation& personalisation,
                                                std::string_view reference) = 0;
  // POST /v2/notifications/email.
  virtual absl::StatusOr<NotifyReceipt> SendEmail(std::string_view email_address,
                                                  std::string_view template_id,
                                                  const Personalisation& personalisation,
                                                  std::string_view reference) = 0;
  // GET /v2/notifications/{id}. InvalidArgument if `id` is not a UUID,
  // NotFound if Notify does not know it, DataLoss for a status we do not know.
  virtual absl::StatusOr<NotificationInfo> GetNotification(std::string_view id) = 0;
};

struct NotifyClientOptions {
  // Scheme, host and optional port, no trailing path:
  // "https://api.notifications.service.gov.uk" or "http://127.0.0.1:PORT".
  std::string base_url = "https://api.notifications.service.gov.uk";
  std::string api_key;                         // `{name}-{service uuid}-{secret uuid}`
  absl::Duration timeout = absl::Seconds(10);  // the whole request, connecting included
  absl::Duration connect_timeout = absl::Seconds(5);
  size_t max_response_bytes = 64 * 1024;  // read no more of an answer than this
  // Where "now" comes from for the token's "iat"; nullptr = the system clock.
  // Must outlive the client.
  const Clock* clock = nullptr;
};

class NotifyClient final : public NotifyApi {
 public:
  // InvalidArgument for a malformed API key ("notify_api_key_malformed"), a
  // base_url that is not http(s)://host[:port] ("notify_base_url_invalid"), or
  // a non-positive timeout; Internal if libsodium or libcurl cannot start.
  static absl::StatusOr<std::unique_ptr<NotifyClient>> Create(NotifyClientOptions options);

  absl::StatusOr<NotifyReceipt> SendSms(std::string_view phone_number, std::string_view template_id,
                                        const Personalisation& personalisation,
                                        std::string_view reference) override;
  absl::StatusOr<NotifyReceipt> SendEmail(std::string_view email_address,
                                          std::string_view template_id,
                                          const Personalisation& personalisation,
                                          std::string_view reference) override;
  absl::StatusOr<NotificationInfo> GetNotification(std::string_view id) override;

  const std::string& service_id() const { return key_.service_id; }

 private:
  NotifyClient(NotifyClientOptions options, NotifyApiKey key);

  absl::StatusOr<NotifyReceipt> Send(std::string_view kind, std::string_view recipient_field,
                                     std::string_view recipient, std::string_view template_id,
                                     const Personalisation& personalisation,
                                     std::string_view reference);

  const NotifyClientOptions options_;
  const NotifyApiKey key_;
  const Clock* const clock_;
};

// Turns an HTTP answer from Notify that is not a success into a Status, by the
// table above. Exposed for tests.
absl::Status NotifyHttpError(long http_status, std::string_view body);

}  // namespace onestop::notify
