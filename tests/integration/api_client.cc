#include "api_client.h"

#include <algorithm>
#include <chrono>
#include <ostream>
#include <thread>

namespace onestop::integration {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t idx = 0; idx < a.size(); ++idx) {
    if (std::tolower(static_cast<unsigned char>(a[idx])) !=
        std::tolower(static_cast<unsigned char>(b[idx]))) {
      return false;
    }
  }
  return true;
}

bool HasHeaderNamed(const http::HeaderList& headers, std::string_view name) {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const auto& header) { return EqualsIgnoreCase(header.first, name); });
}

const boost::json::value& Null() {
  static const boost::json::value kNull;
  return kNull;
}

}  // namespace

std::string Reply::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoreCase(key, name)) return value;
  }
  return "";
}

bool Reply::HasHeader(std::string_view name) const { return HasHeaderNamed(headers, name); }

const boost::json::value& Reply::At(std::string_view key) const {
  if (!json.is_object()) return Null();
  const boost::json::value* found = json.get_object().if_contains(key);
  return found ? *found : Null();
}

std::string Reply::Str(std::string_view key) const {
  const boost::json::value& v = At(key);
  return v.is_string() ? std::string(v.get_string()) : std::string();
}

int64_t Reply::Int(std::string_view key) const {
  const boost::json::value& v = At(key);
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64()) return static_cast<int64_t>(v.get_uint64());
  return 0;
}

const boost::json::array& Reply::Items() const {
  static const boost::json::array kEmpty;
  const boost::json::value& v = At("items");
  return v.is_array() ? v.get_array() : kEmpty;
}

std::ostream& operator<<(std::ostream& out, const Reply& reply) {
  out << "HTTP " << reply.status << " (" << reply.content_type << ")";
  std::string_view body = reply.body;
  if (body.size() > 2000) body = body.substr(0, 2000);
  return out << " " << body;
}

Api::Api(uint16_t port, std::string token) : client_(port), token_(std::move(token)) {
  client_.set_timeout(std::chrono::seconds(30));
}

Reply Api::Send(std::string_view method, std::string_view target, std::string_view body,
                const http::HeaderList& headers) {
  http::HeaderList all = headers;
  if (!token_.empty() && !HasHeaderNamed(all, "Authorization")) {
    all.emplace_back("Authorization", "Bearer " + token_);
  }
  if (!body.empty() && !HasHeaderNamed(all, "Content-Type")) {
    all.emplace_back("Content-Type", "application/json");
  }
  http::Response response = client_.Send(method, target, body, all);
  Reply reply;
  reply.status = response.status;
  reply.body = std::move(response.body);
  reply.content_type = std::move(response.content_type);
  reply.headers = std::move(response.headers);
  if (!reply.body.empty()) {
    boost::system::error_code ec;
    boost::json::value parsed = boost::json::parse(reply.body, ec);
    if (!ec) reply.json = std::move(parsed);
  }
  return reply;
}

Reply Api::Get(std::string_view target, const http::HeaderList& headers) {
  return Send("GET", target, "", headers);
}
Reply Api::Delete(std::string_view target, const http::HeaderList& headers) {
  return Send("DELETE", target, "", headers);
}
Reply Api::Post(std::string_view target, const boost::json::value& body,
                const http::HeaderList& headers) {
  return Send("POST", target, boost::json::serialize(body), headers);
}
Reply Api::Patch(std::string_view target, const boost::json::value& body,
                 const http::HeaderList& headers) {
  return Send("PATCH", target, boost::json::serialize(body), headers);
}
Reply Api::Put(std::string_view target, const boost::json::value& body,
               const http::HeaderList& headers) {
  return Send("PUT", target, boost::json::serialize(body), headers);
}

::testing::AssertionResult IsProblem(const Reply& reply, int status) {
  if (reply.status != status) {
    return ::testing::AssertionFailure() << "expected HTTP " << status << ", got " << reply;
  }
  if (reply.content_type.rfind("application/problem+json", 0) != 0) {
    return ::testing::AssertionFailure()
           << "expected Content-Type application/problem+json, got " << reply;
  }
  if (!reply.json.is_object()) {
    return ::testing::AssertionFailure() << "problem body is not a JSON object: " << reply;
  }
  for (const char* key : {"type", "title", "detail"}) {
    if (!reply.At(key).is_string() || reply.Str(key).empty()) {
      return ::testing::AssertionFailure() << "problem lacks a \"" << key << "\": " << reply;
    }
  }
  if (reply.Int("status") != status) {
    return ::testing::AssertionFailure() << "problem \"status\" is not " << status << ": " << reply;
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult IsFieldProblem(const Reply& reply, int status, std::string_view field) {
  ::testing::AssertionResult problem = IsProblem(reply, status);
  if (!problem) return problem;
  const boost::json::value& errors = reply.At("errors");
  if (!errors.is_array() || errors.get_array().empty()) {
    return ::testing::AssertionFailure() << "problem has no errors[]: " << reply;
  }
  for (const boost::json::value& error : errors.get_array()) {
    const boost::json::value* name = error.is_object() ? error.get_object().if_contains("field")
                                                       : nullptr;
    if (name != nullptr && name->is_string() &&
        std::string_view(name->get_string()).rfind(field, 0) == 0) {
      return ::testing::AssertionSuccess();
    }
  }
  return ::testing::AssertionFailure() << "errors[] names no field \"" << field << "\": " << reply;
}

bool LooksLikeReference(std::string_view text) {
  constexpr std::string_view kData = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  constexpr std::string_view kCheck = "0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U";
  if (text.size() != 9 || text[4] != '-') return false;
  for (size_t idx = 0; idx < 8; ++idx) {
    char c = text[idx < 4 ? idx : idx + 1];
    std::string_view alphabet = idx == 7 ? kCheck : kData;
    if (alphabet.find(c) == std::string_view::npos) return false;
  }
  return true;
}

// ---- ServerSuite ----

void ServerSuite::SetUpTestSuite() {
  tokens_.clear();
  services_.clear();
  if (!OnestopProcess::SkipReason().empty()) return;  // SetUp skips each test
  server_ = std::make_unique<OnestopProcess>();
  started_ = server_->Seed() && server_->Start();
}

void ServerSuite::TearDownTestSuite() {
  if (server_ && started_ && server_->Alive()) {
    int code = server_->Stop();
    EXPECT_EQ(code, 0) << "onestop serve should exit 0 after SIGTERM; log tail:\n"
                       << server_->ReadLog().substr(
                              server_->ReadLog().size() > 4000 ? server_->ReadLog().size() - 4000
                                                               : 0);
  }
  server_.reset();
  tokens_.clear();
  services_.clear();
  started_ = false;
}

void ServerSuite::SetUp() {
  if (std::string skip = OnestopProcess::SkipReason(); !skip.empty()) GTEST_SKIP() << skip;
  if (!started_) GTEST_SKIP() << "the server did not start (see the suite's first failure)";
  ASSERT_TRUE(server_->Alive()) << "the server has died; log:\n" << server_->ReadLog();
}

std::string ServerSuite::TokenFor(const std::string& email) {
  auto found = tokens_.find(email);
  if (found != tokens_.end()) return found->second;
  std::string token = server_->Login(email, kDemoPassword);
  if (!token.empty()) tokens_[email] = token;
  return token;
}

const std::vector<ServiceInfo>& ServerSuite::Services() {
  if (!services_.empty()) return services_;
  Api api(port());
  Reply reply = api.Get("/api/v1/services");
  EXPECT_EQ(reply.status, 200) << reply;
  for (const boost::json::value& item : reply.Items()) {
    if (!item.is_object()) continue;
    ServiceInfo info;
    info.json = item.get_object();
    if (const auto* code = info.json.if_contains("code"); code && code->is_string()) {
      info.code = std::string(code->get_string());
    }
    if (const auto* dep = info.json.if_contains("department"); dep && dep->is_string()) {
      info.department = std::string(dep->get_string());
    }
    services_.push_back(std::move(info));
  }
  return services_;
}

const ServiceInfo& ServerSuite::ServiceIn(std::string_view department, std::string_view hint) {
  static const ServiceInfo kNone;
  const ServiceInfo* best = nullptr;
  for (const ServiceInfo& service : Services()) {
    if (service.department != department) continue;
    const boost::json::value* active = service.json.if_contains("active");
    if (active && active->is_bool() && !active->get_bool()) continue;
    const boost::json::value* channels = service.json.if_contains("channels");
    bool phone = channels == nullptr || !channels->is_array();
    if (!phone) {
      for (const auto& ch : channels->get_array()) phone = phone || ch == "phone";
    }
    if (!phone) continue;
    if (best == nullptr) best = &service;
    if (!hint.empty() && service.code.find(hint) != std::string::npos) return service;
  }
  if (best == nullptr) {
    ADD_FAILURE() << "no phone service in department " << department;
    return kNone;
  }
  return *best;
}

boost::json::object ServerSuite::ValidValues(const ServiceInfo& service, bool all) {
  boost::json::object values;
  const boost::json::value* fields = service.json.if_contains("fields");
  if (fields == nullptr || !fields->is_array()) return values;
  for (const boost::json::value& field_value : fields->get_array()) {
    if (!field_value.is_object()) continue;
    const boost::json::object& field = field_value.get_object();
    const boost::json::value* required = field.if_contains("required");
    bool is_required = required && required->is_bool() && required->get_bool();
    if (!is_required && !all) continue;
    std::string code = field.contains("code") ? std::string(field.at("code").as_string()) : "";
    std::string datatype =
        field.contains("datatype") ? std::string(field.at("datatype").as_string()) : "string";
    std::string first_key;
    if (const auto* allowed = field.if_contains("values"); allowed && allowed->is_array()) {
      for (const auto& v : allowed->get_array()) {
        if (v.is_object() && v.get_object().contains("key")) {
          first_key = std::string(v.get_object().at("key").as_string());
          break;
        }
      }
    }
    if (datatype == "number") {
      values[code] = 2;
    } else if (datatype == "datetime") {
      values[code] = "2026-11-20T10:00:00Z";
    } else if (datatype == "singlevaluelist") {
      values[code] = first_key;
    } else if (datatype == "multivaluelist") {
      values[code] = boost::json::array{boost::json::value(first_key)};
    } else if (datatype == "text") {
      values[code] = "Reported in the integration tests.\nSecond line.";
    } else {
      values[code] = "integration test";
    }
  }
  return values;
}

boost::json::object ServerSuite::NewCaseBody(const ServiceInfo& service, int64_t citizen_id) {
  boost::json::object body;
  body["service_code"] = service.code;
  if (citizen_id > 0) body["citizen_id"] = citizen_id;
  body["channel"] = "phone";
  body["values"] = ValidValues(service);
  body["location"] = boost::json::object{
      {"description", "Outside 12 Mill Lane"}, {"postcode", "FH1 2AB"}, {"lat", 51.5}, {"lng", -0.1}};
  return body;
}

int64_t ServerSuite::CreateCitizen(Api& api, const boost::json::object& body) {
  Reply reply = api.Post("/api/v1/citizens", body);
  EXPECT_EQ(reply.status, 201) << reply;
  return reply.Int("id");
}

int64_t ServerSuite::CreateCitizen(Api& api, std::string_view given_name) {
  return CreateCitizen(api, boost::json::object{{"given_name", given_name},
                                                {"family_name", "Tester"}});
}

Reply ServerSuite::CreateCase(Api& api, const ServiceInfo& service, int64_t citizen_id) {
  Reply reply = api.Post("/api/v1/cases", NewCaseBody(service, citizen_id));
  EXPECT_EQ(reply.status, 201) << reply;
  return reply;
}

std::vector<boost::json::object> ServerSuite::EventsAfter(Api& api, int64_t after) {
  std::vector<boost::json::object> out;
  for (int page = 0; page < 1000; ++page) {
    Reply reply = api.Get("/api/v1/events?after=" + std::to_string(after) + "&limit=1000");
    EXPECT_EQ(reply.status, 200) << reply;
    if (reply.status != 200 || reply.Items().empty()) break;
    for (const auto& item : reply.Items()) out.push_back(item.as_object());
    int64_t next = reply.Int("next_after");
    if (next <= after) break;
    after = next;
  }
  return out;
}

int64_t ServerSuite::LastEventSeq(Api& api) {
  std::vector<boost::json::object> events = EventsAfter(api, 0);
  int64_t last = 0;
  for (const auto& event : events) {
    if (const auto* seq = event.if_contains("seq"); seq && seq->is_int64()) {
      last = std::max(last, seq->get_int64());
    }
  }
  return last;
}

int64_t ServerSuite::SettleEvents(Api& api) {
  int64_t last = LastEventSeq(api);
  int quiet = 0;
  for (int round = 0; round < 50 && quiet < 3; ++round) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const int64_t now = LastEventSeq(api);
    quiet = now == last ? quiet + 1 : 0;
    last = now;
  }
  return last;
}

}  // namespace onestop::integration
