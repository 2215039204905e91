#include "domain/outbox.h"

namespace onestop::domain {

std::string_view OutboxChannelName(OutboxChannel c) {
  switch (c) {
    case OutboxChannel::kEmail:
      return "email";
    case OutboxChannel::kSms:
      return "sms";
  }
  return "email";
}

std::optional<OutboxChannel> ParseOutboxChannel(std::string_view name) {
  for (OutboxChannel c : {OutboxChannel::kEmail, OutboxChannel::kSms}) {
    if (OutboxChannelName(c) == name) return c;
  }
  return std::nullopt;
}

std::string_view OutboxStateName(OutboxState s) {
  switch (s) {
    case OutboxState::kQueued:
      return "queued";
    case OutboxState::kSent:
      return "sent";
    case OutboxState::kDelivered:
      return "delivered";
    case OutboxState::kFailed:
      return "failed";
  }
  return "queued";
}

std::optional<OutboxState> ParseOutboxState(std::string_view name) {
  for (OutboxState s : {OutboxState::kQueued, OutboxState::kSent, OutboxState::kDelivered, OutboxState::kFailed}) {
    if (OutboxStateName(s) == name) return s;
  }
  return std::nullopt;
}

const std::string& OutboxMessage::Param(std::string_view key) const {
  static const std::string kEmpty;
  for (const auto& [k, v] : params) {
    if (k == key) return v;
  }
  return kEmpty;
}

}  // namespace onestop::domain
