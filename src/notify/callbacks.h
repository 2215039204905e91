// Notify's callbacks to us, parsed: the delivery-status callback (a message
// we sent reached the phone or failed) and the inbound-SMS callback (a
// resident texted the council's number). Pure functions of the request body —
// no I/O, no state; safe from any thread. The HTTP route that receives them
// checks the bearer token with BearerTokenMatches first, and answers 2xx only
// once it has recorded the result (Notify retries a failed callback every
// 5 minutes, 5 times, so the handler must be idempotent by notification id).
//
// Validation: the body must be at most kMaxCallbackBodyBytes of valid UTF-8
// holding one JSON object; the fields we use must be there with the right
// JSON type; fields Notify may add later are ignored. A rejected body is
// InvalidArgument with FieldErrors attached (common/status.h): field "body"
// or the key, code "invalid" / "required" / "type", reason a snake_case key
// ("too_large", "invalid_utf8", "json_syntax", "not_object", "key_required",
// "wrong_type", "not_uuid", "unknown_status", "not_time", "empty"); the
// status message is "notify_callback_invalid <field> <reason>" for the first
// problem. No value from the body is ever put in a status.
//
// Personal data: the delivery callback's "to" is checked for type but not
// kept. An InboundSms holds a phone number and the resident's words; treat it
// like any other contact content.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "notify/notify_client.h"

namespace onestop::notify {

inline constexpr size_t kMaxCallbackBodyBytes = 64 * 1024;

// From {id, reference, to, status, created_at, completed_at, sent_at,
// notification_type, template_id, template_version}.
struct DeliveryReceipt {
  std::string notification_id;  // Notify's id: what NotifySmsTransport::Send returned
  std::string reference;        // ours ("onestop-outbox-<id>"); "" when Notify sent null
  NotificationStatus status = NotificationStatus::kCreated;
  std::optional<absl::Time> completed_at;  // absent/null until final
  std::string notification_type;           // "sms", "email", "letter"; "" when absent
  bool operator==(const DeliveryReceipt&) const = default;
};

// Required: id (a UUID), status (one Notify names). Optional, null allowed,
// type-checked when present: reference, to, created_at, completed_at,
// sent_at (timestamps), notification_type ("sms" | "email" | "letter"),
// template_id (a UUID), template_version (an integer).
absl::StatusOr<DeliveryReceipt> ParseDeliveryReceipt(std::string_view body);

// From {id, source_number, destination_number, message, date_received}, all
// required; source_number must not be empty, message may be.
struct InboundSms {
  std::string id;
  std::string source_number;       // the resident's phone, as Notify gives it (e.g. "447700900123")
  std::string destination_number;  // the council's inbound number
  std::string message;
  absl::Time date_received = absl::UnixEpoch();
  bool operator==(const InboundSms&) const = default;
};

absl::StatusOr<InboundSms> ParseInboundSms(std::string_view body);

// True if `authorization_header` is "Bearer <expected_token>" (the scheme in
// any case, one space). The token is compared in constant time
// (sodium_memcmp, after a length check); an empty expected token never
// matches, so an unconfigured callback secret rejects everything.
bool BearerTokenMatches(std::string_view authorization_header, std::string_view expected_token);

}  // namespace onestop::notify
