// One LMTP connection (lmtp_internal.h Session): reading commands and
// message data under the limits, replying in order, handing each message to
// the delivery pool and answering per recipient (RFC 2033).
#include <algorithm>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <exception>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "mail/lmtp_internal.h"
#include "mail/lmtp_protocol.h"
#include "mail/text_util.h"
#include "spdlog/spdlog.h"

namespace onestop::mail {

using namespace text_util;      // NOLINT: the shared helpers of this folder
using namespace lmtp_protocol;  // NOLINT

void Session::Start() {
  error_code ec;
  tcp::endpoint peer = socket_.remote_endpoint(ec);
  if (!ec) envelope_.client_address = peer.address().to_string();
  socket_.set_option(tcp::no_delay(true), ec);
  Reply(absl::StrCat("220 ", options_.hostname, " LMTP onestop ready"));
  Pump();
}

void Session::OnShutdown() {
  if (reading_) {
    error_code ec;
    socket_.cancel(ec);
  }
}

void Session::Pump() {
  if (closed_ || reading_ || writing_) return;
  if (!closing_ && !delivering_ && !server_.stopping()) ProcessInput();
  if (pos_ > 0) {
    in_.erase(0, pos_);
    pos_ = 0;
  }
  if (server_.stopping() && !delivering_ && !closing_) {
    Reply(absl::StrCat("421 4.3.2 ", options_.hostname, " Service shutting down"));
    closing_ = true;
  }
  if (!out_.empty()) return StartWrite();
  if (closing_) return Close();
  if (delivering_) return;
  StartRead();
}

void Session::ArmTimer() {
  timed_out_ = false;
  timer_.expires_after(absl::ToChronoMilliseconds(options_.idle_timeout));
  timer_.async_wait([self = shared_from_this(), generation = ++timer_generation_](error_code ec) {
    if (ec || generation != self->timer_generation_ || self->closed_) return;
    self->timed_out_ = true;
    error_code cancel_ec;
    self->socket_.cancel(cancel_ec);
  });
}

void Session::StartRead() {
  reading_ = true;
  ArmTimer();
  socket_.async_read_some(
      asio::buffer(chunk_),
      [self = shared_from_this()](error_code ec, size_t bytes) { self->OnRead(ec, bytes); });
}

void Session::OnRead(error_code ec, size_t bytes) {
  reading_ = false;
  ++timer_generation_;
  timer_.cancel();
  if (closed_) return;
  if (ec) {
    if (timed_out_) {
      spdlog::debug("lmtp: session idle for {} ms, closing",
                    absl::ToInt64Milliseconds(options_.idle_timeout));
      Reply(absl::StrCat("421 4.4.2 ", options_.hostname, " Idle timeout, closing connection"));
      closing_ = true;
      return Pump();
    }
    if (ec == asio::error::operation_aborted && server_.stopping()) return Pump();
    if (ec != asio::error::eof && ec != asio::error::connection_reset) {
      spdlog::warn("lmtp: read failed: {}", ec.message());
    }
    return Close();
  }
  in_.append(chunk_.data(), bytes);
  Pump();
}

void Session::StartWrite() {
  writing_ = true;
  write_buffer_ = std::move(out_);
  out_.clear();
  ArmTimer();
  asio::async_write(socket_, asio::buffer(write_buffer_),
                    [self = shared_from_this()](error_code ec, size_t) { self->OnWrite(ec); });
}

void Session::OnWrite(error_code ec) {
  writing_ = false;
  ++timer_generation_;
  timer_.cancel();
  write_buffer_.clear();
  if (closed_) return;
  if (ec) {
    if (ec != asio::error::broken_pipe && ec != asio::error::connection_reset) {
      spdlog::warn("lmtp: write failed: {}", timed_out_ ? "timeout" : ec.message());
    }
    return Close();
  }
  Pump();
}

void Session::Close() {
  if (closed_) return;
  closed_ = true;
  ++timer_generation_;
  timer_.cancel();
  error_code ec;
  socket_.shutdown(tcp::socket::shutdown_both, ec);
  socket_.close(ec);
}

void Session::ProcessInput() {
  while (!delivering_ && !closing_) {
    if (mode_ == Mode::kData) {
      if (!ProcessData()) return;
      continue;
    }
    std::string_view rest(in_.data() + pos_, in_.size() - pos_);
    size_t newline = rest.find('\n');
    if (newline == std::string_view::npos) {
      // A partial line already longer than allowed: drop it as it comes and
      // answer once its end arrives (so pipelined replies stay in order).
      if (rest.size() > options_.max_line_bytes + 1) {
        discarding_line_ = true;
        pos_ = in_.size();
      }
      return;
    }
    std::string_view line = rest.substr(0, newline);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (discarding_line_ || line.size() > options_.max_line_bytes) {
      discarding_line_ = false;
      Reply("500 5.5.2 Line too long");
    } else {
      HandleCommand(line);
    }
    pos_ += newline + 1;
  }
}

void Session::HandleCommand(std::string_view line) {
  if (line.empty()) return Reply("500 5.5.2 Empty command");
  if (line.find('\0') != std::string_view::npos || !IsValidUtf8(line)) {
    return Reply("500 5.5.2 Invalid characters in command");
  }
  size_t space = line.find(' ');
  std::string verb = Upper(line.substr(0, space));
  std::string_view arg =
      space == std::string_view::npos ? std::string_view() : StripWs(line.substr(space + 1));

  if (verb == "LHLO") return Lhlo(arg);
  if (verb == "MAIL") return Mail(arg);
  if (verb == "RCPT") return Rcpt(arg);
  if (verb == "DATA") return Data(arg);
  if (verb == "RSET") {
    if (!arg.empty()) return Reply("501 5.5.4 Syntax: RSET");
    ResetTransaction();
    return Reply("250 2.0.0 OK");
  }
  if (verb == "NOOP") return Reply("250 2.0.0 OK");
  if (verb == "VRFY") return Reply("252 2.5.0 Cannot VRFY user, but will accept message");
  if (verb == "QUIT") {
    Reply(absl::StrCat("221 2.0.0 ", options_.hostname, " closing connection"));
    closing_ = true;
    return;
  }
  if (verb == "HELO" || verb == "EHLO") {
    return Reply("500 5.5.1 This is an LMTP server: use LHLO");
  }
  Reply("500 5.5.2 Command not recognised");
}

void Session::Lhlo(std::string_view arg) {
  if (arg.empty()) return Reply("501 5.5.4 Syntax: LHLO hostname");
  ResetTransaction();
  greeted_ = true;
  Reply(absl::StrCat("250-", options_.hostname));
  Reply("250-PIPELINING");
  Reply("250-ENHANCEDSTATUSCODES");
  Reply("250-8BITMIME");
  Reply(absl::StrCat("250 SIZE ", options_.max_message_bytes));
}

void Session::Mail(std::string_view arg) {
  if (!greeted_) return Reply("503 5.5.1 Send LHLO first");
  if (in_transaction_) return Reply("503 5.5.1 Nested MAIL command");
  std::string address;
  std::string_view params;
  if (!StartsWithIgnoreCase(arg, "FROM:") || !ParsePath(arg.substr(5), &address, &params)) {
    return Reply("501 5.5.4 Syntax: MAIL FROM:<address>");
  }
  while (!params.empty()) {
    size_t end = params.find(' ');
    std::string_view param = params.substr(0, end);
    params = end == std::string_view::npos ? std::string_view() : StripLeadingWs(params.substr(end));
    size_t equals = param.find('=');
    std::string key = Upper(param.substr(0, equals));
    std::string_view value =
        equals == std::string_view::npos ? std::string_view() : param.substr(equals + 1);
    if (key == "SIZE") {
      uint64_t size = 0;
      if (!ParseSize(value, &size)) return Reply("501 5.5.4 Syntax: SIZE=<number>");
      if (size > options_.max_message_bytes) {
        return Reply("552 5.3.4 Message size exceeds fixed maximum message size");
      }
    } else if (key == "BODY") {
      if (!EqualsIgnoreCase(value, "7BIT") && !EqualsIgnoreCase(value, "8BITMIME")) {
        return Reply("501 5.5.4 Syntax: BODY=7BIT|8BITMIME");
      }
    } else {
      return Reply("555 5.5.4 Unsupported MAIL parameter");
    }
  }
  in_transaction_ = true;
  envelope_.mail_from = std::move(address);
  envelope_.recipients.clear();
  Reply("250 2.1.0 OK");
}

void Session::Rcpt(std::string_view arg) {
  if (!in_transaction_) return Reply("503 5.5.1 Need MAIL before RCPT");
  std::string address;
  std::string_view params;
  if (!StartsWithIgnoreCase(arg, "TO:") || !ParsePath(arg.substr(3), &address, &params) ||
      address.empty()) {
    return Reply("501 5.5.4 Syntax: RCPT TO:<address>");
  }
  if (!params.empty()) return Reply("555 5.5.4 Unsupported RCPT parameter");
  if (envelope_.recipients.size() >= options_.max_recipients) {
    return Reply("452 4.5.3 Too many recipients");
  }
  absl::Status status;
  try {
    status = server_.accept()(address);
  } catch (const std::exception& e) {
    spdlog::warn("lmtp: recipient check threw: {}", e.what());
    status = absl::UnavailableError("recipient check threw");
  } catch (...) {
    spdlog::warn("lmtp: recipient check threw");
    status = absl::UnavailableError("recipient check threw");
  }
  if (status.ok()) {
    envelope_.recipients.push_back(std::move(address));
    return Reply("250 2.1.5 OK");
  }
  if (absl::IsUnavailable(status)) return Reply("451 4.3.0 Temporary failure, try again later");
  if (!absl::IsNotFound(status)) {
    spdlog::warn("lmtp: recipient check failed: {}", absl::StatusCodeToString(status.code()));
  }
  Reply("550 5.1.1 No such mailbox");
}

void Session::Data(std::string_view arg) {
  if (!arg.empty()) return Reply("501 5.5.4 Syntax: DATA");
  if (!in_transaction_) return Reply("503 5.5.1 Need MAIL before DATA");
  if (envelope_.recipients.empty()) return Reply("503 5.5.1 No valid recipients");
  mode_ = Mode::kData;
  data_.clear();
  data_bytes_ = 0;
  oversize_ = false;
  at_line_start_ = true;
  Reply("354 Start mail input; end with <CRLF>.<CRLF>");
}

bool Session::ProcessData() {
  std::string_view rest(in_.data() + pos_, in_.size() - pos_);
  size_t newline = rest.find('\n');
  if (newline == std::string_view::npos) {
    // "." / ".\r" at a line start may still become the end-of-data line.
    if (at_line_start_ && rest.size() < 3) return false;
    // A trailing CR waits for its LF, so CRLF split across reads stays one line end.
    size_t keep = !rest.empty() && rest.back() == '\r' ? 1 : 0;
    std::string_view piece = rest.substr(0, rest.size() - keep);
    if (piece.empty()) return false;
    pos_ += piece.size();
    if (at_line_start_ && piece[0] == '.') piece.remove_prefix(1);  // dot-unstuffing
    AppendData(piece);
    at_line_start_ = false;
    return false;
  }
  std::string_view line = rest.substr(0, newline);
  pos_ += newline + 1;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (at_line_start_ && line == ".") {
    EndOfData();
    return true;
  }
  if (at_line_start_ && !line.empty() && line[0] == '.') line.remove_prefix(1);
  AppendData(line);
  AppendData("\r\n");  // bare LF becomes CRLF
  at_line_start_ = true;
  return true;
}

void Session::AppendData(std::string_view piece) {
  data_bytes_ += piece.size();
  if (oversize_) return;
  size_t needed = data_.size() + piece.size();
  if (needed > options_.max_message_bytes) {
    oversize_ = true;
    std::string().swap(data_);
    return;
  }
  if (needed > data_.capacity()) {
    data_.reserve(std::min(std::max(needed, data_.capacity() * 2), options_.max_message_bytes));
  }
  data_.append(piece);
}

void Session::EndOfData() {
  mode_ = Mode::kCommand;
  server_.CountMessage();
  size_t recipients = envelope_.recipients.size();
  if (oversize_) {
    for (size_t rcpt_idx = 0; rcpt_idx < recipients; ++rcpt_idx) {
      Reply(absl::StrCat("552 5.3.4 <", envelope_.recipients[rcpt_idx], "> Message too big"));
      server_.CountResult(552);
    }
    spdlog::info("lmtp: message bytes={} recipients={} replies=552 (over the {} byte limit)",
                 data_bytes_, recipients, options_.max_message_bytes);
    ResetTransaction();
    return;
  }
  StartDelivery();
}

void Session::StartDelivery() {
  if (!server_.BeginDelivery()) {
    for (size_t rcpt_idx = 0; rcpt_idx < envelope_.recipients.size(); ++rcpt_idx) {
      Reply("421 4.3.2 Service shutting down, try again later");
      server_.CountResult(421);
    }
    ResetTransaction();
    closing_ = true;
    return;
  }
  delivering_ = true;
  std::string raw;
  raw.swap(data_);
  asio::post(server_.delivery_pool(), [self = shared_from_this(), envelope = envelope_,
                                       raw = std::move(raw)]() mutable {
    size_t bytes = raw.size();
    std::vector<absl::Status> results;
    try {
      results = self->server_.deliver()(envelope, std::move(raw));
    } catch (const std::exception& e) {
      spdlog::warn("lmtp: delivery threw: {}", e.what());
      results.assign(envelope.recipients.size(), absl::InternalError("delivery threw"));
    } catch (...) {
      spdlog::warn("lmtp: delivery threw");
      results.assign(envelope.recipients.size(), absl::InternalError("delivery threw"));
    }
    LmtpServer::Impl& server = self->server_;
    asio::any_io_executor executor = self->executor();
    // The completion takes over the session reference: the pool keeps none
    // once EndDelivery() lets Stop() go on.
    asio::post(executor, [self = std::move(self), results = std::move(results), bytes]() mutable {
      self->OnDelivered(std::move(results), bytes);
    });
    server.EndDelivery();
  });
}

void Session::OnDelivered(std::vector<absl::Status> results, size_t bytes) {
  delivering_ = false;
  size_t recipients = envelope_.recipients.size();
  if (results.size() != recipients) {
    spdlog::warn("lmtp: delivery returned {} results for {} recipients", results.size(),
                 recipients);
  }
  std::vector<std::string> codes;
  codes.reserve(recipients);
  for (size_t rcpt_idx = 0; rcpt_idx < recipients; ++rcpt_idx) {
    absl::Status status = rcpt_idx < results.size()
                              ? results[rcpt_idx]
                              : absl::InternalError("no result for this recipient");
    std::string reply = DeliveryReply(status, envelope_.recipients[rcpt_idx]);
    int code = (reply[0] - '0') * 100 + (reply[1] - '0') * 10 + (reply[2] - '0');
    server_.CountResult(code);
    codes.push_back(reply.substr(0, 3));
    if (code == 451) {
      spdlog::warn("lmtp: delivery failed for a recipient: {}",
                   absl::StatusCodeToString(status.code()));
    }
    Reply(reply);
  }
  spdlog::info("lmtp: message bytes={} recipients={} replies={}", bytes, recipients,
               absl::StrJoin(codes, ","));
  ResetTransaction();
  Pump();
}

void Session::ResetTransaction() {
  in_transaction_ = false;
  envelope_.mail_from.clear();
  envelope_.recipients.clear();
  std::string().swap(data_);
}

}  // namespace onestop::mail
