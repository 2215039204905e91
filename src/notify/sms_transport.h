// NotifySmsTransport: the outbox's sender for SMS (domain::MessageTransport),
// through GOV.UK Notify.
//
// The words of an SMS live in Notify templates, one per outbox template code
// and language; the transport only picks the template and hands over the
// placeholders. The template map is keyed by the template code
// ("case_acknowledgement") for English and by "code.language"
// ("case_acknowledgement.cy") for another language; a language without its
// own template falls back to the plain code (English), so a council that has
// not yet had its Welsh texts written still sends something.
//
// Send() maps an OutboxMessage to SendSms:
//   recipient              → phone_number
//   template (code, lang)  → template_id (no entry: FailedPrecondition, permanent)
//   params                 → personalisation (every param, in order)
//   id                     → reference "onestop-outbox-<id>"
// and returns Notify's notification id, which the outbox stores as
// provider_id so a delivery receipt (callbacks.h) finds its message. Errors
// are NotifyClient's (see its table): retry-later codes stay retry-later.
//
// Idempotency — what we do NOT get: Notify does not deduplicate by reference
// (or anything else); every accepted POST is a new SMS. If the process dies,
// the request times out or the connection drops after Notify accepted the
// message but before the outbox recorded it as sent, the outbox tries again
// and the resident gets the message twice. The reference lets an operator
// find such duplicates in Notify afterwards; it cannot prevent them. We accept
// this: the outbox is at-least-once, and a repeated acknowledgement is better
// than a lost one.
//
// Threads: Send may be called from several threads at once (the map is
// immutable, NotifyApi implementations are thread-safe).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "domain/outbox.h"
#include "notify/notify_client.h"

namespace onestop::notify {

// Template code (optionally ".language") → Notify template id.
using NotifyTemplateMap = std::map<std::string, std::string, std::less<>>;

class NotifySmsTransport final : public domain::MessageTransport {
 public:
  // InvalidArgument ("notify_template_map_invalid") when a key is empty or a
  // value is not a UUID, or `client` is null.
  static absl::StatusOr<std::unique_ptr<NotifySmsTransport>> Create(
      std::shared_ptr<NotifyApi> client, NotifyTemplateMap templates);

  absl::StatusOr<std::string> Send(const domain::OutboxMessage& message) override;

  // "onestop-outbox-<id>": the reference Notify stores and echoes in callbacks.
  static std::string ReferenceFor(int64_t outbox_id);
  // The template id for a code in a language, with the fallback to the plain
  // code; nullptr when there is none.
  const std::string* TemplateFor(const std::string& code, const std::string& language) const;

 private:
  NotifySmsTransport(std::shared_ptr<NotifyApi> client, NotifyTemplateMap templates)
      : client_(std::move(client)), templates_(std::move(templates)) {}

  const std::shared_ptr<NotifyApi> client_;
  const NotifyTemplateMap templates_;
};

}  // namespace onestop::notify
