#include "notify/callbacks.h"

#include <sodium.h>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "notify/wire_format.h"

namespace onestop::notify {
namespace {

namespace json = boost::json;

// Reads one callback object, gathering a FieldError per problem.
class CallbackReader {
 public:
  // Checks size, UTF-8 and JSON; on failure `object()` is null and an error is recorded.
  explicit CallbackReader(std::string_view body) {
    if (body.size() > kMaxCallbackBodyBytes) {
      Fail("body", "invalid", "too_large");
      return;
    }
    if (!IsValidUtf8(body)) {
      Fail("body", "invalid", "invalid_utf8");
      return;
    }
    std::error_code ec;
    value_ = json::parse(json::string_view(body.data(), body.size()), ec);
    if (ec) {
      Fail("body", "invalid", "json_syntax");
    } else if (!value_.is_object()) {
      Fail("body", "invalid", "not_object");
    } else {
      object_ = &value_.as_object();
    }
  }

  bool parsed() const { return object_ != nullptr; }

  // A string member. Absent or null: nullopt, and an error if required.
  std::optional<std::string> String(std::string_view key, bool required) {
    const json::value* value = Find(key);
    if (value == nullptr || value->is_null()) {
      if (required) Fail(key, "required", "key_required");
      return std::nullopt;
    }
    if (!value->is_string()) {
      Fail(key, "type", "wrong_type", {{"expected", "string"}});
      return std::nullopt;
    }
    std::string text(value->as_string());
    // \u escapes can spell a lone surrogate, which the raw-byte check cannot see.
    if (!IsValidUtf8(text)) {
      Fail(key, "invalid", "invalid_utf8");
      return std::nullopt;
    }
    return text;
  }

  std::optional<std::string> Uuid(std::string_view key, bool required) {
    std::optional<std::string> text = String(key, required);
    if (text.has_value() && !IsUuid(*text)) {
      Fail(key, "invalid", "not_uuid");
      return std::nullopt;
    }
    return text;
  }

  std::optional<absl::Time> Time(std::string_view key, bool required) {
    const std::optional<std::string> text = String(key, required);
    if (!text.has_value()) return std::nullopt;
    std::optional<absl::Time> time = ParseNotifyTime(*text);
    if (!time.has_value()) Fail(key, "invalid", "not_time");
    return time;
  }

  void Integer(std::string_view key) {
    const json::value* value = Find(key);
    if (value == nullptr || value->is_null()) return;
    if (!value->is_int64() && !value->is_uint64()) {
      Fail(key, "type", "wrong_type", {{"expected", "integer"}});
    }
  }

  void Fail(std::string_view field, std::string code, std::string reason,
            std::vector<std::pair<std::string, std::string>> params = {}) {
    errors_.push_back(
        FieldError{std::string(field), std::move(code), std::move(reason), std::move(params)});
  }

  absl::Status Result() const {
    if (errors_.empty()) return absl::OkStatus();
    return InvalidFields(absl::StrCat("notify_callback_invalid ", errors_.front().field, " ",
                                      errors_.front().reason),
                         errors_);
  }

 private:
  const json::value* Find(std::string_view key) const {
    return object_ == nullptr ? nullptr
                              : object_->if_contains(json::string_view(key.data(), key.size()));
  }

  json::value value_;
  const json::object* object_ = nullptr;
  std::vector<FieldError> errors_;
};

}  // namespace

absl::StatusOr<DeliveryReceipt> ParseDeliveryReceipt(std::string_view body) {
  CallbackReader in(body);
  if (!in.parsed()) return in.Result();
  DeliveryReceipt receipt;
  if (auto id = in.Uuid("id", true)) receipt.notification_id = *std::move(id);
  if (auto reference = in.String("reference", false)) receipt.reference = *std::move(reference);
  (void)in.String("to", false);
  if (auto status = in.String("status", true)) {
    if (std::optional<NotificationStatus> parsed = ParseNotificationStatus(*status)) {
      receipt.status = *parsed;
    } else {
      in.Fail("status", "invalid", "unknown_status");
    }
  }
  (void)in.Time("created_at", false);
  receipt.completed_at = in.Time("completed_at", false);
  (void)in.Time("sent_at", false);
  if (auto type = in.String("notification_type", false)) {
    if (*type == "sms" || *type == "email" || *type == "letter") {
      receipt.notification_type = *std::move(type);
    } else {
      in.Fail("notification_type", "invalid", "unknown_type");
    }
  }
  (void)in.Uuid("template_id", false);
  in.Integer("template_version");
  if (absl::Status status = in.Result(); !status.ok()) return status;
  return receipt;
}

absl::StatusOr<InboundSms> ParseInboundSms(std::string_view body) {
  CallbackReader in(body);
  if (!in.parsed()) return in.Result();
  InboundSms sms;
  if (auto id = in.Uuid("id", true)) sms.id = *std::move(id);
  if (auto source = in.String("source_number", true)) {
    if (source->empty()) in.Fail("source_number", "required", "empty");
    sms.source_number = *std::move(source);
  }
  if (auto destination = in.String("destination_number", true)) {
    sms.destination_number = *std::move(destination);
  }
  if (auto message = in.String("message", true)) sms.message = *std::move(message);
  if (auto received = in.Time("date_received", true)) sms.date_received = *received;
  if (absl::Status status = in.Result(); !status.ok()) return status;
  return sms;
}

bool BearerTokenMatches(std::string_view authorization_header, std::string_view expected_token) {
  constexpr std::string_view kScheme = "bearer ";
  if (expected_token.empty() || authorization_header.size() < kScheme.size()) return false;
  const std::string scheme =
      absl::AsciiStrToLower(std::string(authorization_header.substr(0, kScheme.size())));
  if (scheme != kScheme) return false;
  const std::string_view token = authorization_header.substr(kScheme.size());
  if (token.size() != expected_token.size()) return false;
  return sodium_memcmp(token.data(), expected_token.data(), token.size()) == 0;
}

}  // namespace onestop::notify
