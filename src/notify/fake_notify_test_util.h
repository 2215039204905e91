// Test helpers: runs tests/fakes/fake_notify.py as a child process on a free
// loopback port, and makes plain HTTP calls to its /_fake/ controls. Each
// FakeNotifyProcess is its own process (ctest runs tests in parallel), killed
// by the destructor. Test-only; header-only so it stays out of the library.
#pragma once

#include <curl/curl.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "common/testing/port_child.h"

namespace onestop::notify::testing {

inline constexpr char kTestApiKey[] =
    "onestop_test-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0";
inline constexpr char kTestServiceId[] = "26785a09-ab16-4eb0-8407-a37497a57506";
inline constexpr char kTestSecret[] = "3d844edf-8d35-48ac-975b-e847b4f122b0";

using onestop::test_support::SourceDir;

struct HttpResult {
  long status = 0;  // 0: no answer
  std::string body;
};

inline size_t AppendToString(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

// A plain request without auth (the fake's controls need none). `body` null: GET.
inline HttpResult HttpCall(const std::string& url, const std::string* body,
                           const std::vector<std::string>& extra_headers = {}) {
  HttpResult result;
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return result;
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  for (const std::string& header : extra_headers)
    headers = curl_slist_append(headers, header.c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 10000L);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &AppendToString);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &result.body);
  if (body != nullptr) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body->size()));
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body->c_str());
  }
  if (curl_easy_perform(curl) == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result.status);
  }
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return result;
}

class FakeNotifyProcess {
 public:
  // Starts the fake with `--api-key kTestApiKey` and `extra_args`; check ok()
  // (or use ASSERT_TRUE(fake.ok())) before use.
  explicit FakeNotifyProcess(const std::vector<std::string>& extra_args = {}) : child_(Args(extra_args)) {}

  bool ok() const { return child_.ok(); }
  int port() const { return child_.port(); }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port()); }

  HttpResult Get(const std::string& path) const { return HttpCall(base_url() + path, nullptr); }
  HttpResult Post(const std::string& path, const std::string& body) const {
    return HttpCall(base_url() + path, &body);
  }

 private:
  static std::vector<std::string> Args(const std::vector<std::string>& extra_args) {
    const std::string script = (SourceDir() / "tests" / "fakes" / "fake_notify.py").string();
    std::vector<std::string> args = {"python3", script, "--api-key", kTestApiKey};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    return args;
  }

  onestop::test_support::PortChild child_;
};

}  // namespace onestop::notify::testing
