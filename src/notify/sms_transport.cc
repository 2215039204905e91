#include "notify/sms_transport.h"

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "notify/wire_format.h"

namespace onestop::notify {

absl::StatusOr<std::unique_ptr<NotifySmsTransport>> NotifySmsTransport::Create(
    std::shared_ptr<NotifyApi> client, NotifyTemplateMap templates) {
  if (client == nullptr) return absl::InvalidArgumentError("notify_client_missing");
  for (const auto& [key, template_id] : templates) {
    if (key.empty() || key.front() == '.' || !IsUuid(template_id)) {
      return absl::InvalidArgumentError(absl::StrCat("notify_template_map_invalid ", key));
    }
  }
  return std::unique_ptr<NotifySmsTransport>(
      new NotifySmsTransport(std::move(client), std::move(templates)));
}

std::string NotifySmsTransport::ReferenceFor(int64_t outbox_id) {
  return absl::StrCat("onestop-outbox-", outbox_id);
}

const std::string* NotifySmsTransport::TemplateFor(const std::string& code,
                                                   const std::string& language) const {
  if (!language.empty() && language != "en") {
    auto localised = templates_.find(absl::StrCat(code, ".", language));
    if (localised != templates_.end()) return &localised->second;
  }
  auto plain = templates_.find(code);
  return plain != templates_.end() ? &plain->second : nullptr;
}

absl::StatusOr<std::string> NotifySmsTransport::Send(const domain::OutboxMessage& message) {
  if (message.channel != domain::OutboxChannel::kSms) {
    return absl::FailedPreconditionError("notify_sms_wrong_channel");
  }
  if (message.recipient.empty()) return absl::InvalidArgumentError("notify_sms_no_recipient");
  const std::string* template_id = TemplateFor(message.template_code, message.language);
  if (template_id == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("notify_template_unmapped ", message.template_code));
  }
  absl::StatusOr<NotifyReceipt> receipt =
      client_->SendSms(message.recipient, *template_id, message.params, ReferenceFor(message.id));
  if (!receipt.ok()) return receipt.status();
  return std::move(receipt->id);
}

}  // namespace onestop::notify
