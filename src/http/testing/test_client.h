// TestClient: a blocking HTTP/1.1 client for tests against a real server on
// loopback. Keeps one connection alive across Send() calls and reconnects
// when the server has closed it. Every call has a timeout, so a broken server
// fails the test instead of hanging it.
//
// Threads: one TestClient per thread; use several for concurrency tests.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "http/request.h"

namespace onestop::http {

class TestClient {
 public:
  explicit TestClient(uint16_t port, std::string host = "127.0.0.1");
  ~TestClient();
  TestClient(const TestClient&) = delete;
  TestClient& operator=(const TestClient&) = delete;

  // Sends one request and reads the response. A transport failure (refused,
  // reset, timeout) gives status 0 with the error text in body. Response
  // headers are all returned in `headers`; content_type mirrors Content-Type.
  Response Send(std::string_view method, std::string_view target, std::string_view body = "",
                const HeaderList& headers = {});

  // Opens a fresh connection, writes `bytes` verbatim and returns everything
  // the server sends back until it closes the connection or the timeout hits.
  std::string SendRaw(std::string_view bytes);

  void Close();
  bool connected() const;
  // TCP connections opened by Send() so far (keep-alive tests check this).
  int connections_opened() const;

  void set_timeout(std::chrono::milliseconds timeout);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace onestop::http
