// LmtpServer: the inbound mail listener, LMTP (RFC 2033) over TCP.
//
// An MTA (Postfix: `lmtp:inet:127.0.0.1:2424`) hands each message to us with
// LHLO / MAIL FROM / RCPT TO / DATA and, unlike SMTP, expects one reply per
// accepted recipient after the data. Each recipient is checked on the I/O
// thread by AcceptRecipient (quick, no database); the whole message then goes
// to Deliver on a delivery thread, which may block (it stores the message).
// A 250 for a recipient is sent only after Deliver returned OK for it, so a
// message the MTA was told we took is already durable; a 4xx makes the MTA keep
// it and retry.
//
// Offered: PIPELINING, ENHANCEDSTATUSCODES, 8BITMIME, SIZE. Not offered:
// CHUNKING (BDAT), STARTTLS, AUTH, SMTPUTF8, DSN — LMTP is spoken on loopback
// or a trusted network only. Memory per session is bounded: a command line by
// max_line_bytes, the message by max_message_bytes (beyond it the rest of the
// data is read and discarded and every recipient gets 552 5.3.4). Bare LF line
// ends are accepted and the message is handed to Deliver with CRLF line ends,
// dot-unstuffed, including the CRLF before the final ".".
//
// Logging: one info line per message (size, recipient count, reply codes);
// never addresses or contents.
//
// Threads: Start(), Stop() and the accessors may be called from any thread
// except the server's own (Stop() joins them, so calling it from AcceptRecipient
// or Deliver would deadlock). The callbacks are called concurrently from
// several threads (AcceptRecipient on I/O threads, Deliver on delivery threads)
// and must be thread-safe. Asio stays inside lmtp_server.cc.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace onestop::mail {

struct Envelope {
  std::string mail_from;                // reverse-path without <>; empty for the null sender <>
  std::vector<std::string> recipients;  // accepted RCPT TO addresses as given, without <>, in order
  std::string client_address;           // the peer's IP address
};

struct LmtpOptions {
  std::string host = "127.0.0.1";
  int port = 2424;                              // 0 = any free port; see LmtpServer::port()
  std::string hostname = "onestop";             // in the greeting and the LHLO reply
  size_t max_message_bytes = 25 * 1024 * 1024;  // advertised as SIZE
  size_t max_recipients = 100;                  // per transaction; more get 452 4.5.3
  size_t max_sessions = 64;                     // more get 421 4.3.2 at connect
  size_t max_line_bytes = 4096;                 // command lines (without CRLF); longer: 500 5.5.2
  absl::Duration idle_timeout = absl::Minutes(5);  // waiting for the client; then 421 4.4.2
  int threads = 1;                                 // I/O threads
  int delivery_threads = 4;                        // where Deliver runs
};

// Checks one RCPT TO address: OK → 250 2.1.5; NotFound → 550 5.1.1;
// Unavailable → 451 4.3.0; any other error → 550 5.1.1; an exception →
// 451 4.3.0. Runs on an I/O thread: must be quick (no database).
using AcceptRecipient = std::function<absl::Status(std::string_view address)>;

// Delivers one message to the accepted recipients: one Status per recipient,
// in the envelope's order. OK → 250 2.1.5; ResourceExhausted → 552 5.2.2;
// InvalidArgument → 554 5.6.0; anything else → 451 4.3.0 (the MTA retries).
// A missing entry (short vector) or an exception counts as Internal.
// Runs on a delivery thread and may block; it must make the message durable
// before returning OK.
using Deliver = std::function<std::vector<absl::Status>(const Envelope&, std::string raw_message)>;

class LmtpServer {
 public:
  LmtpServer(LmtpOptions options, AcceptRecipient accept, Deliver deliver);
  ~LmtpServer();  // calls Stop()
  LmtpServer(const LmtpServer&) = delete;
  LmtpServer& operator=(const LmtpServer&) = delete;

  // Binds and listens (an error if the address is bad or the port taken) and
  // starts the threads. Call once.
  absl::Status Start();

  // Closes the listener, answers idle sessions 421 4.3.2 and closes them,
  // waits for deliveries in progress (however long Deliver takes) and sends
  // their replies (bounded by a short grace period), then joins every thread.
  // Idempotent; a concurrent second call waits for the first.
  void Stop();

  // The bound port (useful with port 0); 0 before Start().
  uint16_t port() const;

  // Counters since Start(). sessions: connections served (not those refused
  // by max_sessions); messages: DATA transfers completed; delivered /
  // deferred / rejected: per-recipient results after DATA (2xx / 4xx / 5xx).
  struct Stats {
    int64_t sessions = 0;
    int64_t messages = 0;
    int64_t delivered = 0;
    int64_t deferred = 0;
    int64_t rejected = 0;
  };
  Stats stats() const;

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace onestop::mail
