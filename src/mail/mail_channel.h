// The email channel: mail delivered over LMTP (lmtp_server.h) to one of the
// council's mailboxes is parsed (mime.h), stored as delivered
// (services::StoreInboundMail) — the 250 for that recipient goes out only
// then; a store failure answers 451 so the MTA retries — and filed
// (services::FileInboundMail). A message whose filing fails (routing on
// another node, a database hiccup) stays stored as "new" and the sweep files
// it again every `sweep_every`; nothing acknowledged is lost.
//
// Unknown recipients: 550 5.1.1. A message that is not a message at all
// (no headers) or passes the parser's limits: 554 5.6.0 / 552 5.2.2.
//
// Threads: Start/Stop from one thread; deliveries on the LMTP server's
// delivery threads, the sweep on its own.
#pragma once

#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "domain/mail.h"
#include "mail/lmtp_server.h"
#include "routing/live_engine.h"
#include "services/deps.h"

namespace onestop::mail {

struct MailChannelOptions {
  LmtpOptions lmtp;
  absl::Duration sweep_every = absl::Seconds(30);
};

class MailChannel {
 public:
  MailChannel(services::Deps deps, routing::LiveEngine& engine, std::vector<domain::Mailbox> mailboxes,
              MailChannelOptions options);
  ~MailChannel();  // Stop()
  MailChannel(const MailChannel&) = delete;
  MailChannel& operator=(const MailChannel&) = delete;

  absl::Status Start();
  void Stop();
  uint16_t port() const;
  // Files the stored messages still "new" (the sweep; public for tests).
  void FileWaiting();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace onestop::mail
