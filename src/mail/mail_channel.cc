#include "mail/mail_channel.h"

#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "common/periodic.h"
#include "mail/mime.h"
#include "services/mail_intake.h"
#include "spdlog/spdlog.h"

namespace onestop::mail {

struct MailChannel::Impl {
  Impl(services::Deps d, routing::LiveEngine& e, std::vector<domain::Mailbox> boxes, MailChannelOptions o)
      : deps(d), engine(e), options(std::move(o)) {
    for (domain::Mailbox& m : boxes) {
      std::string address = absl::AsciiStrToLower(m.address);
      our_addresses.push_back(address);
      mailboxes.emplace(std::move(address), std::move(m));
    }
  }

  const domain::Mailbox* MailboxOf(std::string_view address) const {
    auto it = mailboxes.find(absl::AsciiStrToLower(std::string(address)));
    return it == mailboxes.end() ? nullptr : &it->second;
  }

  // Files one stored message; a failure leaves it "new" for the sweep.
  void File(const domain::MailMessage& stored, const domain::InboundMail& mail, const domain::Mailbox& box) {
    absl::StatusOr<domain::MailMessage> filed = services::FileInboundMail(deps, engine).Run(stored, mail, box);
    if (!filed.ok()) {
      spdlog::log(absl::IsUnavailable(filed.status()) ? spdlog::level::info : spdlog::level::warn,
                  "mail: message {} stored, not filed yet: {}", stored.id, filed.status().ToString());
      return;
    }
    spdlog::info("mail: message {} filed: {}", filed->id, filed->outcome);
  }

  std::vector<absl::Status> Deliver(const Envelope& envelope, std::string raw) {
    std::vector<absl::Status> out(envelope.recipients.size(), absl::OkStatus());
    absl::StatusOr<domain::InboundMail> mail = ParseMail(raw, {}, our_addresses);
    if (!mail.ok()) {
      spdlog::warn("mail: a message of {} bytes refused: {}", raw.size(), std::string(mail.status().message()));
      for (absl::Status& s : out) s = mail.status();
      return out;
    }
    for (size_t idx = 0; idx < envelope.recipients.size(); ++idx) {
      const domain::Mailbox* box = MailboxOf(envelope.recipients[idx]);
      if (box == nullptr) {
        out[idx] = absl::NotFoundError("no such mailbox");
        continue;
      }
      absl::StatusOr<domain::MailMessage> stored = services::StoreInboundMail(deps).Run(box->address, *mail, raw);
      if (!stored.ok()) {
        spdlog::warn("mail: cannot store a message for a mailbox: {}", stored.status().ToString());
        out[idx] = absl::UnavailableError("not stored");  // 451: the MTA tries again
        continue;
      }
      File(*stored, *mail, *box);
    }
    return out;
  }

  void FileWaiting() {
    std::lock_guard<std::mutex> lock(sweep_mu);  // one sweep at a time
    int64_t after = 0;
    while (true) {
      absl::StatusOr<std::vector<domain::MailMessage>> waiting =
          deps.store.ListMailMessages(domain::MailState::kNew, after, 50);
      if (!waiting.ok()) {
        spdlog::warn("mail: cannot list the messages to file: {}", waiting.status().ToString());
        return;
      }
      if (waiting->empty()) return;
      for (const domain::MailMessage& m : *waiting) {
        after = m.id;
        // Just stored: its delivery is filing it (a second filer could
        // race it to the work item).
        if (m.received_at > deps.clock.Now() - absl::Seconds(10)) continue;
        const domain::Mailbox* box = MailboxOf(m.mailbox);
        absl::StatusOr<domain::InboundMail> mail = ParseMail(m.raw, {}, our_addresses);
        if (box == nullptr || !mail.ok()) {
          spdlog::warn("mail: message {} cannot be filed (its mailbox is gone or it no longer parses)", m.id);
          continue;
        }
        if (!engine.leading()) return;  // the leader's sweep files them
        File(m, *mail, *box);
      }
    }
  }

  services::Deps deps;
  routing::LiveEngine& engine;
  MailChannelOptions options;
  std::map<std::string, domain::Mailbox> mailboxes;  // by lower-case address
  std::vector<std::string> our_addresses;
  std::mutex sweep_mu;
  std::unique_ptr<LmtpServer> server;
  std::unique_ptr<Periodic> sweep;
};

MailChannel::MailChannel(services::Deps deps, routing::LiveEngine& engine, std::vector<domain::Mailbox> mailboxes,
                         MailChannelOptions options)
    : impl_(std::make_unique<Impl>(deps, engine, std::move(mailboxes), std::move(options))) {}

MailChannel::~MailChannel() { Stop(); }

absl::Status MailChannel::Start() {
  Impl* impl = impl_.get();
  impl->server = std::make_unique<LmtpServer>(
      impl->options.lmtp,
      [impl](std::string_view address) {
        return impl->MailboxOf(address) != nullptr ? absl::OkStatus() : absl::NotFoundError("no such mailbox");
      },
      [impl](const Envelope& envelope, std::string raw) { return impl->Deliver(envelope, std::move(raw)); });
  if (absl::Status s = impl->server->Start(); !s.ok()) {
    impl->server.reset();
    return s;
  }
  impl->sweep = std::make_unique<Periodic>(impl->options.sweep_every, [impl] { impl->FileWaiting(); });
  return absl::OkStatus();
}

void MailChannel::Stop() {
  if (!impl_) return;
  if (impl_->server) impl_->server->Stop();
  impl_->sweep.reset();
  impl_->server.reset();
}

uint16_t MailChannel::port() const { return impl_->server ? impl_->server->port() : 0; }

void MailChannel::FileWaiting() { impl_->FileWaiting(); }

}  // namespace onestop::mail
