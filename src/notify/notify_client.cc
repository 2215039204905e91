#include "notify/notify_client.h"

#include <curl/curl.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <mutex>
#include <string>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "notify/wire_format.h"
#include "spdlog/spdlog.h"

namespace onestop::notify {
namespace {

namespace json = boost::json;

constexpr std::string_view kUserAgent = "onestop-notify/0.1";
constexpr size_t kMaxProviderMessageBytes = 200;

// ---- one-time library set-up ------------------------------------------------

struct LibraryInit {
  bool sodium_ok = false;
  bool curl_ok = false;
};

const LibraryInit& InitLibraries() {
  static std::once_flag once;
  static LibraryInit init;
  std::call_once(once, [] {
    init.sodium_ok = sodium_init() >= 0;
    init.curl_ok = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  });
  return init;
}

const Clock& DefaultClock() {
  static const SystemClock clock;
  return clock;
}

// ---- JWT --------------------------------------------------------------------

std::string Base64Url(const unsigned char* data, size_t size) {
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_ENCODED_LEN(size, kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), data, size, kVariant);
  out.resize(out.size() - 1);  // the encoded length counts the terminating NUL
  return out;
}

std::string Base64Url(std::string_view text) {
  return Base64Url(reinterpret_cast<const unsigned char*>(text.data()), text.size());
}

// ---- HTTP -------------------------------------------------------------------

struct CurlDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using CurlHandle = std::unique_ptr<CURL, CurlDeleter>;
using HeaderList = std::unique_ptr<curl_slist, SlistDeleter>;

struct HttpResponse {
  long status = 0;
  std::string body;
  bool truncated = false;  // the body was longer than the limit; `body` holds its start
};

struct BodySink {
  std::string* body;
  size_t max_bytes;
  bool truncated = false;
};

size_t WriteBody(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<BodySink*>(user);
  const size_t bytes = size * count;
  const size_t room = sink->max_bytes - std::min(sink->max_bytes, sink->body->size());
  if (bytes > room) {
    sink->body->append(data, room);
    sink->truncated = true;
    return 0;  // makes libcurl stop with CURLE_WRITE_ERROR
  }
  sink->body->append(data, bytes);
  return bytes;
}

absl::Status CurlError(CURLcode code, const char* error_buffer) {
  std::string text = absl::StrCat("notify_transport ", curl_easy_strerror(code));
  if (error_buffer[0] != '\0') absl::StrAppend(&text, ": ", std::string(error_buffer));
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return absl::DeadlineExceededError(text);
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:  // often a proxy or a clock problem that passes
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_HTTP3:
    case CURLE_AGAIN:
    case CURLE_WEIRD_SERVER_REPLY:
      return absl::UnavailableError(text);
    case CURLE_OUT_OF_MEMORY:
      return absl::ResourceExhaustedError(text);
    default:
      return absl::InternalError(text);
  }
}

// One request with its own handle. A transport failure is a Status; any HTTP
// answer, whatever its code, is a HttpResponse.
absl::StatusOr<HttpResponse> Perform(const NotifyClientOptions& options, const std::string& url,
                                     const std::string& bearer, const std::string* post_body) {
  CurlHandle curl(curl_easy_init());
  if (curl == nullptr) return absl::InternalError("notify_transport curl_easy_init failed");
  std::array<char, CURL_ERROR_SIZE> error_buffer{};

  HeaderList headers;
  auto add_header = [&](const std::string& line) -> bool {
    curl_slist* grown = curl_slist_append(headers.get(), line.c_str());
    if (grown == nullptr) return false;
    (void)headers.release();
    headers.reset(grown);
    return true;
  };
  if (!add_header(absl::StrCat("Authorization: Bearer ", bearer)) ||
      !add_header("Accept: application/json") ||
      !add_header(absl::StrCat("User-Agent: ", std::string(kUserAgent))) ||
      (post_body != nullptr && !add_header("Content-Type: application/json")) ||
      !add_header("Expect:")) {
    return absl::ResourceExhaustedError("notify_transport out of memory");
  }

  HttpResponse response;
  BodySink sink{&response.body, options.max_response_bytes};
  const int64_t timeout_ms = absl::ToInt64Milliseconds(options.timeout);
  const int64_t connect_ms =
      std::min(timeout_ms, absl::ToInt64Milliseconds(options.connect_timeout));
  CURL* handle = curl.get();
  bool set_ok = curl_easy_setopt(handle, CURLOPT_URL, url.c_str()) == CURLE_OK;
  set_ok &= curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https") == CURLE_OK;
  set_ok &= curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_buffer.data()) == CURLE_OK;
  set_ok &= curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L) == CURLE_OK;
  set_ok &= curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms)) == CURLE_OK;
  set_ok &= curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(connect_ms)) ==
            CURLE_OK;
  set_ok &= curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L) == CURLE_OK;
  set_ok &= curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.get()) == CURLE_OK;
  set_ok &= curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &WriteBody) == CURLE_OK;
  set_ok &= curl_easy_setopt(handle, CURLOPT_WRITEDATA, &sink) == CURLE_OK;
  if (post_body != nullptr) {
    set_ok &= curl_easy_setopt(handle, CURLOPT_POST, 1L) == CURLE_OK;
    set_ok &= curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE,
                               static_cast<curl_off_t>(post_body->size())) == CURLE_OK;
    set_ok &= curl_easy_setopt(handle, CURLOPT_POSTFIELDS, post_body->data()) == CURLE_OK;
  }
  if (!set_ok) return absl::InternalError("notify_transport curl_easy_setopt failed");

  const CURLcode code = curl_easy_perform(handle);
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &response.status);
  response.truncated = sink.truncated;
  if (code == CURLE_WRITE_ERROR && sink.truncated && response.status != 0) return response;
  if (code != CURLE_OK) return CurlError(code, error_buffer.data());
  return response;
}

// ---- JSON -------------------------------------------------------------------

absl::StatusOr<json::object> ParseObject(std::string_view body, std::string_view what) {
  std::error_code ec;
  json::value value = json::parse(json::string_view(body.data(), body.size()), ec);
  if (ec || !value.is_object()) {
    return absl::DataLossError(absl::StrCat("notify_response_malformed ", std::string(what)));
  }
  return std::move(value.as_object());
}

// A string member, "" for null or absent; nullopt for any other type.
std::optional<std::string> OptionalString(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(json::string_view(key.data(), key.size()));
  if (value == nullptr || value->is_null()) return std::string();
  if (!value->is_string()) return std::nullopt;
  return std::string(value->as_string());
}

// Notify's message text, made safe for a status: printable, valid UTF-8, short.
std::string ProviderMessage(std::string_view message) {
  std::string out;
  for (const char c : message.substr(0, kMaxProviderMessageBytes)) {
    out.push_back(static_cast<unsigned char>(c) < 0x20 || c == 0x7F ? ' ' : c);
  }
  // Cutting may have split a multi-byte character: drop the broken tail.
  while (!out.empty() && !IsValidUtf8(out)) out.pop_back();
  return out;
}

}  // namespace

// ---- public free functions --------------------------------------------------

absl::StatusOr<NotifyApiKey> ParseNotifyApiKey(std::string_view api_key) {
  constexpr size_t kUuid = 36;
  const auto malformed = [] { return absl::InvalidArgumentError("notify_api_key_malformed"); };
  // name? "-" service "-" secret, where the name and its dash may be absent.
  if (api_key.size() < 2 * kUuid + 1) return malformed();
  const std::string_view secret = api_key.substr(api_key.size() - kUuid);
  const std::string_view service = api_key.substr(api_key.size() - 2 * kUuid - 1, kUuid);
  if (api_key[api_key.size() - kUuid - 1] != '-' || !IsUuid(secret) || !IsUuid(service)) {
    return malformed();
  }
  std::string_view name;
  if (api_key.size() > 2 * kUuid + 1) {
    const size_t name_end = api_key.size() - 2 * kUuid - 2;
    if (api_key[name_end] != '-' || name_end == 0) return malformed();
    name = api_key.substr(0, name_end);
  }
  for (const char c : api_key) {
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7F) {
      return malformed();
    }
  }
  return NotifyApiKey{std::string(name), std::string(service), std::string(secret)};
}

std::string MakeNotifyJwt(std::string_view service_id, std::string_view secret, absl::Time now) {
  json::object claims;
  claims["iss"] = json::string_view(service_id.data(), service_id.size());
  claims["iat"] = absl::ToUnixSeconds(now);
  const std::string signing_input = absl::StrCat(Base64Url(R"({"typ":"JWT","alg":"HS256"})"), ".",
                                                 Base64Url(json::serialize(claims)));

  // The one-shot crypto_auth_hmacsha256 wants a 32-byte key; Notify's key is the
  // 36-character secret text, so use the streaming form, which takes any length.
  (void)InitLibraries();
  crypto_auth_hmacsha256_state state;
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()),
                              secret.size());
  crypto_auth_hmacsha256_update(
      &state, reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size());
  crypto_auth_hmacsha256_final(&state, mac.data());
  sodium_memzero(&state, sizeof state);
  return absl::StrCat(signing_input, ".", Base64Url(mac.data(), mac.size()));
}

std::string_view NotificationStatusName(NotificationStatus status) {
  switch (status) {
    case NotificationStatus::kCreated:
      return "created";
    case NotificationStatus::kSending:
      return "sending";
    case NotificationStatus::kPending:
      return "pending";
    case NotificationStatus::kSent:
      return "sent";
    case NotificationStatus::kDelivered:
      return "delivered";
    case NotificationStatus::kPermanentFailure:
      return "permanent-failure";
    case NotificationStatus::kTemporaryFailure:
      return "temporary-failure";
    case NotificationStatus::kTechnicalFailure:
      return "technical-failure";
  }
  return "created";
}

std::optional<NotificationStatus> ParseNotificationStatus(std::string_view name) {
  for (const NotificationStatus status :
       {NotificationStatus::kCreated, NotificationStatus::kSending, NotificationStatus::kPending,
        NotificationStatus::kSent, NotificationStatus::kDelivered,
        NotificationStatus::kPermanentFailure, NotificationStatus::kTemporaryFailure,
        NotificationStatus::kTechnicalFailure}) {
    if (NotificationStatusName(status) == name) return status;
  }
  return std::nullopt;
}

bool IsFinal(NotificationStatus status) {
  switch (status) {
    case NotificationStatus::kCreated:
    case NotificationStatus::kSending:
    case NotificationStatus::kPending:
      return false;
    case NotificationStatus::kSent:
    case NotificationStatus::kDelivered:
    case NotificationStatus::kPermanentFailure:
    case NotificationStatus::kTemporaryFailure:
    case NotificationStatus::kTechnicalFailure:
      return true;
  }
  return false;
}

absl::Status NotifyHttpError(long http_status, std::string_view body) {
  std::string type;
  std::string message;
  std::error_code ec;
  const json::value value = json::parse(json::string_view(body.data(), body.size()), ec);
  if (!ec && value.is_object()) {
    const json::value* errors = value.as_object().if_contains("errors");
    if (errors != nullptr && errors->is_array() && !errors->as_array().empty() &&
        errors->as_array().front().is_object()) {
      const json::object& first = errors->as_array().front().as_object();
      if (std::optional<std::string> v = OptionalString(first, "error")) type = *v;
      if (std::optional<std::string> v = OptionalString(first, "message")) message = *v;
    }
  }
  std::string text = absl::StrCat("notify_http_", http_status);
  type = ProviderMessage(type);
  message = ProviderMessage(message);
  if (!type.empty()) absl::StrAppend(&text, " ", type);
  if (!message.empty()) absl::StrAppend(&text, ": ", message);

  if (http_status == 400 || http_status == 413) return absl::InvalidArgumentError(text);
  if (http_status == 401 || http_status == 403) return absl::PermissionDeniedError(text);
  if (http_status == 404) return absl::NotFoundError(text);
  if (http_status == 408) return absl::DeadlineExceededError(text);
  // RateLimitError (per minute) and TooManyRequestsError (per day) are both 429.
  if (http_status == 429) return absl::ResourceExhaustedError(text);
  if (http_status >= 500 && http_status <= 599) return absl::UnavailableError(text);
  return absl::UnknownError(text);
}

// ---- NotifyClient -----------------------------------------------------------

absl::StatusOr<std::unique_ptr<NotifyClient>> NotifyClient::Create(NotifyClientOptions options) {
  absl::StatusOr<NotifyApiKey> key = ParseNotifyApiKey(options.api_key);
  if (!key.ok()) return key.status();

  std::string& base = options.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  size_t host_start = 0;
  if (base.rfind("https://", 0) == 0) {
    host_start = 8;
  } else if (base.rfind("http://", 0) == 0) {
    host_start = 7;
  }
  const bool base_ok =
      host_start != 0 && base.size() > host_start &&
      std::all_of(base.begin() + static_cast<std::ptrdiff_t>(host_start), base.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte > 0x20 && byte < 0x7F && c != '/' && c != '?' && c != '#' && c != '@' &&
               c != '\\';
      });
  if (!base_ok) return absl::InvalidArgumentError("notify_base_url_invalid");
  if (options.timeout <= absl::ZeroDuration() || options.connect_timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("notify_timeout_invalid");
  }
  if (options.max_response_bytes == 0) {
    return absl::InvalidArgumentError("notify_max_response_bytes_invalid");
  }

  const LibraryInit& init = InitLibraries();
  if (!init.sodium_ok) return absl::InternalError("notify_init sodium_init failed");
  if (!init.curl_ok) return absl::InternalError("notify_init curl_global_init failed");
  return std::unique_ptr<NotifyClient>(new NotifyClient(std::move(options), *std::move(key)));
}

NotifyClient::NotifyClient(NotifyClientOptions options, NotifyApiKey key)
    : options_(std::move(options)),
      key_(std::move(key)),
      clock_(options_.clock != nullptr ? options_.clock : &DefaultClock()) {}

absl::StatusOr<NotifyReceipt> NotifyClient::SendSms(std::string_view phone_number,
                                                    std::string_view template_id,
                                                    const Personalisation& personalisation,
                                                    std::string_view reference) {
  return Send("sms", "phone_number", phone_number, template_id, personalisation, reference);
}

absl::StatusOr<NotifyReceipt> NotifyClient::SendEmail(std::string_view email_address,
                                                      std::string_view template_id,
                                                      const Personalisation& personalisation,
                                                      std::string_view reference) {
  return Send("email", "email_address", email_address, template_id, personalisation, reference);
}

absl::StatusOr<NotifyReceipt> NotifyClient::Send(std::string_view kind,
                                                 std::string_view recipient_field,
                                                 std::string_view recipient,
                                                 std::string_view template_id,
                                                 const Personalisation& personalisation,
                                                 std::string_view reference) {
  const std::string ref(reference);
  // Checked here because Notify would answer each with a 400 anyway, and a bad
  // byte would make the JSON we send invalid.
  if (recipient.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("notify_request_invalid ", std::string(recipient_field)));
  }
  if (!IsUuid(template_id)) return absl::InvalidArgumentError("notify_request_invalid template_id");
  if (!IsValidUtf8(recipient) || !IsValidUtf8(reference)) {
    return absl::InvalidArgumentError("notify_request_invalid not_utf8");
  }
  json::object body;
  body[json::string_view(recipient_field.data(), recipient_field.size())] =
      json::string_view(recipient.data(), recipient.size());
  body["template_id"] = json::string_view(template_id.data(), template_id.size());
  if (!personalisation.empty()) {
    json::object values;
    for (const auto& [name, value] : personalisation) {
      if (!IsValidUtf8(name) || !IsValidUtf8(value)) {
        return absl::InvalidArgumentError("notify_request_invalid personalisation not_utf8");
      }
      values[name] = value;
    }
    body["personalisation"] = std::move(values);
  }
  if (!reference.empty()) body["reference"] = json::string_view(reference.data(), reference.size());
  const std::string request = json::serialize(body);

  const std::string url = absl::StrCat(options_.base_url, "/v2/notifications/", std::string(kind));
  absl::StatusOr<HttpResponse> response =
      Perform(options_, url, MakeNotifyJwt(key_.service_id, key_.secret, clock_->Now()), &request);
  absl::Status failure;
  NotifyReceipt receipt;
  if (!response.ok()) {
    failure = response.status();
  } else if (response->status < 200 || response->status > 299) {
    failure = NotifyHttpError(response->status, response->body);
  } else if (response->truncated) {
    failure = absl::DataLossError("notify_response_too_large");
  } else {
    absl::StatusOr<json::object> answer = ParseObject(response->body, "body");
    if (!answer.ok()) {
      failure = answer.status();
    } else {
      const std::optional<std::string> id = OptionalString(*answer, "id");
      const std::optional<std::string> echoed = OptionalString(*answer, "reference");
      if (!id.has_value() || !IsUuid(*id)) {
        failure = absl::DataLossError("notify_response_malformed id");
      } else if (!echoed.has_value()) {
        failure = absl::DataLossError("notify_response_malformed reference");
      } else {
        receipt = NotifyReceipt{*id, *echoed};
      }
    }
  }
  if (!failure.ok()) {
    spdlog::warn("notify: {} not sent, reference={} status={}", std::string(kind), ref,
                 failure.ToString());
    return failure;
  }
  spdlog::info("notify: {} accepted, reference={} id={}", std::string(kind), ref, receipt.id);
  return receipt;
}

absl::StatusOr<NotificationInfo> NotifyClient::GetNotification(std::string_view id) {
  if (!IsUuid(id)) return absl::InvalidArgumentError("notify_request_invalid notification_id");
  const std::string url = absl::StrCat(options_.base_url, "/v2/notifications/", std::string(id));
  absl::StatusOr<HttpResponse> response =
      Perform(options_, url, MakeNotifyJwt(key_.service_id, key_.secret, clock_->Now()), nullptr);
  if (!response.ok()) return response.status();
  if (response->status < 200 || response->status > 299) {
    return NotifyHttpError(response->status, response->body);
  }
  if (response->truncated) return absl::DataLossError("notify_response_too_large");
  absl::StatusOr<json::object> answer = ParseObject(response->body, "body");
  if (!answer.ok()) return answer.status();

  NotificationInfo info;
  const std::optional<std::string> got_id = OptionalString(*answer, "id");
  if (!got_id.has_value() || *got_id != id) {
    return absl::DataLossError("notify_response_malformed id");
  }
  info.id = *got_id;
  const std::optional<std::string> reference = OptionalString(*answer, "reference");
  const std::optional<std::string> type = OptionalString(*answer, "type");
  const std::optional<std::string> status = OptionalString(*answer, "status");
  if (!reference.has_value()) return absl::DataLossError("notify_response_malformed reference");
  if (!type.has_value()) return absl::DataLossError("notify_response_malformed type");
  if (!status.has_value()) return absl::DataLossError("notify_response_malformed status");
  const std::optional<NotificationStatus> parsed = ParseNotificationStatus(*status);
  if (!parsed.has_value()) return absl::DataLossError("notify_status_unknown");
  info.reference = *reference;
  info.type = *type;
  info.status = *parsed;
  for (const auto& [key, slot] :
       {std::pair{"created_at", &info.created_at}, std::pair{"completed_at", &info.completed_at}}) {
    const std::optional<std::string> text = OptionalString(*answer, key);
    if (!text.has_value())
      return absl::DataLossError(absl::StrCat("notify_response_malformed ", key));
    if (text->empty()) continue;
    *slot = ParseNotifyTime(*text);
    if (!slot->has_value())
      return absl::DataLossError(absl::StrCat("notify_response_malformed ", key));
  }
  return info;
}

}  // namespace onestop::notify
