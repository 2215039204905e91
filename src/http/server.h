// Server: HTTP/1.1 over TCP (Boost.Beast inside server.cc only).
//
// One io_context per I/O thread; the acceptor runs on the first and hands
// each new connection to the next context round-robin, so a connection lives
// on one thread and needs no strand. A connection handles one request at a
// time (pipelined requests wait in its buffer), so responses leave in order.
// Routes with RouteOptions::blocking run on a fixed worker pool and the
// response is posted back to the connection's thread; others run inline.
//
// Per request the server: parses with a header limit and the route's body
// limit (413 without reading the body), answers 400 to malformed HTTP,
// 404/405 (with Allow) from the router, 500 when a handler throws; sets
// X-Request-Id (the client's if it is a sane token, else a fresh one),
// Content-Type, Content-Length, Server, X-Content-Type-Options and
// Referrer-Policy; records metrics; and logs one JSON line at debug level
// (error level for 5xx). Request bodies and credentials are never logged.
//
// Threads: Start(), Shutdown() and Wait() may be called from any thread
// except the server's own I/O and worker threads (Shutdown() joins them, so
// calling it from a handler would deadlock); Shutdown() may be called more
// than once. The Router and Metrics must
// outlive the Server, and the Router must not change after Start().
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "http/metrics.h"
#include "http/router.h"

namespace onestop::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 8080;  // 0 = ephemeral; see Server::port()
  int io_threads = 0;    // 0 = hardware cores
  int worker_threads = 64;
  size_t body_limit = 1 << 20;  // default per-request body limit in bytes
  size_t header_limit = 16 * 1024;
  std::chrono::seconds read_timeout{30};    // to receive one request / send one response
  std::chrono::seconds keepalive_idle{60};  // idle time allowed between requests
  std::chrono::seconds shutdown_grace{10};  // how long Shutdown() waits for in-flight requests
};

class Server {
 public:
  Server(ServerOptions options, Router& router, Metrics& metrics);
  ~Server();  // calls Shutdown()
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds, listens and starts the threads. Returns an error (address in use,
  // bad address, permission) instead of throwing. Call once.
  absl::Status Start();

  // The bound port (useful with port 0). 0 before Start().
  uint16_t port() const;

  // Graceful stop: closes the listening socket (new connections are
  // refused), closes idle keep-alive connections, lets in-flight requests
  // finish and answers them with "Connection: close", waits up to
  // shutdown_grace, then stops and joins every thread.
  void Shutdown();

  // Blocks until Shutdown() has finished (returns at once if never started).
  void Wait();

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace onestop::http
