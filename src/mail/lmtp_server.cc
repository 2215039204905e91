#include "mail/lmtp_server.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <future>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "spdlog/spdlog.h"

namespace onestop::mail {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

constexpr size_t kReadChunk = 16 * 1024;
// After the last delivery has returned, Stop() gives sessions this long to
// send their replies before the threads are stopped.
constexpr auto kShutdownGrace = std::chrono::seconds(2);

// Debian's abseil has its own absl::string_view (not std::string_view), so
// the few string helpers needed here are written for std::string_view.
bool IsSpace(char c) { return c == ' ' || c == '\t'; }

std::string_view TrimLeft(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  return text;
}

std::string_view Trim(std::string_view text) {
  text = TrimLeft(text);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  return text;
}

char AsciiUpper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = AsciiUpper(c);
  return out;
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t idx = 0; idx < a.size(); ++idx) {
    if (AsciiUpper(a[idx]) != AsciiUpper(b[idx])) return false;
  }
  return true;
}

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && EqualsNoCase(text.substr(0, prefix.size()), prefix);
}

// Digits only (no sign, no spaces), fitting in 64 bits.
bool ParseSize(std::string_view text, uint64_t* size) {
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *size);
  return ec == std::errc() && end == text.data() + text.size() && text.front() != '+';
}

// RFC 3629 well-formed UTF-8 (no overlongs, no surrogates, at most U+10FFFF).
bool IsValidUtf8(std::string_view text) {
  size_t idx = 0;
  while (idx < text.size()) {
    auto byte = static_cast<unsigned char>(text[idx]);
    if (byte < 0x80) {
      ++idx;
      continue;
    }
    size_t length;
    unsigned char lower = 0x80, upper = 0xBF;
    if (byte >= 0xC2 && byte <= 0xDF) {
      length = 2;
    } else if (byte >= 0xE0 && byte <= 0xEF) {
      length = 3;
      if (byte == 0xE0) lower = 0xA0;
      if (byte == 0xED) upper = 0x9F;
    } else if (byte >= 0xF0 && byte <= 0xF4) {
      length = 4;
      if (byte == 0xF0) lower = 0x90;
      if (byte == 0xF4) upper = 0x8F;
    } else {
      return false;
    }
    if (idx + length > text.size()) return false;
    auto second = static_cast<unsigned char>(text[idx + 1]);
    if (second < lower || second > upper) return false;
    for (size_t cont_idx = 2; cont_idx < length; ++cont_idx) {
      auto cont = static_cast<unsigned char>(text[idx + cont_idx]);
      if (cont < 0x80 || cont > 0xBF) return false;
    }
    idx += length;
  }
  return true;
}

// Parses `<path> [params]` after "FROM:" / "TO:" (RFC 5321 4.1.2). Lenient
// about spaces after the colon, as real clients are; strict about the angle
// brackets. A source route (`<@a,@b:user@d>`) is dropped, as 4.1.2 advises.
bool ParsePath(std::string_view text, std::string* address, std::string_view* params) {
  text = TrimLeft(text);
  if (text.empty() || text[0] != '<') return false;
  bool quoted = false;
  size_t end = std::string_view::npos;
  for (size_t idx = 1; idx < text.size(); ++idx) {
    char c = text[idx];
    if (quoted) {
      if (c == '\\') {
        ++idx;
      } else if (c == '"') {
        quoted = false;
      }
      continue;
    }
    if (c == '"') {
      quoted = true;
    } else if (c == '>') {
      end = idx;
      break;
    } else if (c == '<' || c == ' ' || c == '\t') {
      return false;
    }
  }
  if (end == std::string_view::npos) return false;
  std::string_view path = text.substr(1, end - 1);
  for (char c : path) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) return false;
  }
  if (!path.empty() && path[0] == '@') {
    size_t colon = path.find(':');
    if (colon == std::string_view::npos || colon + 1 == path.size()) return false;
    path.remove_prefix(colon + 1);
  }
  std::string_view rest = text.substr(end + 1);
  if (!rest.empty() && rest[0] != ' ') return false;
  *params = Trim(rest);
  *address = std::string(path);
  return true;
}

// The reply to one recipient after DATA, from Deliver's status for it.
std::string DeliveryReply(const absl::Status& status, std::string_view recipient) {
  switch (status.code()) {
    case absl::StatusCode::kOk:
      return "250 2.1.5 <" + std::string(recipient) + "> Delivered";
    case absl::StatusCode::kResourceExhausted:
      return "552 5.2.2 <" + std::string(recipient) + "> Mailbox full";
    case absl::StatusCode::kInvalidArgument:
      return "554 5.6.0 <" + std::string(recipient) + "> Message content rejected";
    default:
      return "451 4.3.0 <" + std::string(recipient) + "> Temporary failure, try again later";
  }
}

}  // namespace

class Session;

class LmtpServer::Impl {
 public:
  Impl(LmtpOptions options, AcceptRecipient accept, Deliver deliver)
      : options_(std::move(options)), accept_(std::move(accept)), deliver_(std::move(deliver)) {}
  ~Impl() { Stop(); }

  absl::Status Start();
  void Stop();
  uint16_t port() const { return port_.load(); }
  Stats stats() const {
    Stats out;
    out.sessions = sessions_total_.load();
    out.messages = messages_.load();
    out.delivered = delivered_.load();
    out.deferred = deferred_.load();
    out.rejected = rejected_.load();
    return out;
  }

  // ---- for Session ----
  const LmtpOptions& options() const { return options_; }
  const AcceptRecipient& accept() const { return accept_; }
  const Deliver& deliver() const { return deliver_; }
  bool stopping() const { return stopping_.load(); }
  asio::thread_pool& delivery_pool() { return *pool_; }
  void Unregister(uint64_t id);
  // False once Stop() has seen the last delivery finish: no new one may start.
  bool BeginDelivery();
  void EndDelivery();
  void CountMessage() { ++messages_; }
  void CountResult(int reply_code) {
    if (reply_code < 400) {
      ++delivered_;
    } else if (reply_code < 500) {
      ++deferred_;
    } else {
      ++rejected_;
    }
  }

 private:
  enum class State { kNew, kRunning, kStopping, kStopped };
  void Accept();
  void Refuse(tcp::socket socket);

  const LmtpOptions options_;
  const AcceptRecipient accept_;
  const Deliver deliver_;
  std::atomic<bool> stopping_{false};
  std::atomic<uint16_t> port_{0};
  std::atomic<int64_t> sessions_total_{0}, messages_{0}, delivered_{0}, deferred_{0}, rejected_{0};

  // Sessions' destructors touch mu_ and sessions_, so these are declared
  // before (destroyed after) the io_contexts that own the sessions' handlers.
  std::mutex mu_;
  std::condition_variable cv_;
  State state_ = State::kNew;                                      // guarded by mu_
  uint64_t next_session_id_ = 0;                                   // guarded by mu_
  std::unordered_map<uint64_t, std::weak_ptr<Session>> sessions_;  // guarded by mu_
  int deliveries_ = 0;                                             // guarded by mu_
  bool deliveries_closed_ = false;                                 // guarded by mu_

  std::vector<std::unique_ptr<asio::io_context>> contexts_;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> work_guards_;
  std::vector<std::thread> threads_;
  size_t next_context_ = 0;  // only touched on the acceptor's thread
  std::unique_ptr<tcp::acceptor> acceptor_;
  std::unique_ptr<asio::steady_timer> accept_retry_;
  std::unique_ptr<asio::thread_pool> pool_;
};

// One LMTP connection. Lives on one io_context, which one thread runs, so it
// needs no strand. At most one read or one write is in flight, and none while
// a delivery runs: commands pipelined behind DATA wait in in_ until the
// delivery's replies are written, so replies always leave in order. Pump()
// decides the next step after every event.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(LmtpServer::Impl& server, tcp::socket socket, uint64_t id)
      : server_(server),
        options_(server.options()),
        socket_(std::move(socket)),
        timer_(socket_.get_executor()),
        id_(id) {}
  ~Session() { server_.Unregister(id_); }

  void Start() {
    error_code ec;
    tcp::endpoint peer = socket_.remote_endpoint(ec);
    if (!ec) envelope_.client_address = peer.address().to_string();
    socket_.set_option(tcp::no_delay(true), ec);
    Reply(absl::StrCat("220 ", options_.hostname, " LMTP onestop ready"));
    Pump();
  }

  // On the session's executor when Stop() begins: an idle session is told
  // 421 and closed (Pump does that once stopping() is true); one in a delivery
  // finishes it first.
  void OnShutdown() {
    if (reading_) {
      error_code ec;
      socket_.cancel(ec);
    }
  }

  asio::any_io_executor executor() { return socket_.get_executor(); }

 private:
  enum class Mode { kCommand, kData };

  void Pump() {
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

  void ArmTimer() {
    timed_out_ = false;
    timer_.expires_after(absl::ToChronoMilliseconds(options_.idle_timeout));
    timer_.async_wait([self = shared_from_this(), generation = ++timer_generation_](error_code ec) {
      if (ec || generation != self->timer_generation_ || self->closed_) return;
      self->timed_out_ = true;
      error_code cancel_ec;
      self->socket_.cancel(cancel_ec);
    });
  }

  void StartRead() {
    reading_ = true;
    ArmTimer();
    socket_.async_read_some(
        asio::buffer(chunk_),
        [self = shared_from_this()](error_code ec, size_t bytes) { self->OnRead(ec, bytes); });
  }

  void OnRead(error_code ec, size_t bytes) {
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

  void StartWrite() {
    writing_ = true;
    write_buffer_ = std::move(out_);
    out_.clear();
    ArmTimer();
    asio::async_write(socket_, asio::buffer(write_buffer_),
                      [self = shared_from_this()](error_code ec, size_t) { self->OnWrite(ec); });
  }

  void OnWrite(error_code ec) {
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

  void Close() {
    if (closed_) return;
    closed_ = true;
    ++timer_generation_;
    timer_.cancel();
    error_code ec;
    socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
  }

  void Reply(std::string_view line) { out_.append(line).append("\r\n"); }

  // Consumes as much of in_ (from pos_) as possible, appending replies to out_.
  void ProcessInput() {
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

  void HandleCommand(std::string_view line) {
    if (line.empty()) return Reply("500 5.5.2 Empty command");
    if (line.find('\0') != std::string_view::npos || !IsValidUtf8(line)) {
      return Reply("500 5.5.2 Invalid characters in command");
    }
    size_t space = line.find(' ');
    std::string verb = Upper(line.substr(0, space));
    std::string_view arg =
        space == std::string_view::npos ? std::string_view() : Trim(line.substr(space + 1));

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

  void Lhlo(std::string_view arg) {
    if (arg.empty()) return Reply("501 5.5.4 Syntax: LHLO hostname");
    ResetTransaction();
    greeted_ = true;
    Reply(absl::StrCat("250-", options_.hostname));
    Reply("250-PIPELINING");
    Reply("250-ENHANCEDSTATUSCODES");
    Reply("250-8BITMIME");
    Reply(absl::StrCat("250 SIZE ", options_.max_message_bytes));
  }

  void Mail(std::string_view arg) {
    if (!greeted_) return Reply("503 5.5.1 Send LHLO first");
    if (in_transaction_) return Reply("503 5.5.1 Nested MAIL command");
    std::string address;
    std::string_view params;
    if (!StartsWithNoCase(arg, "FROM:") || !ParsePath(arg.substr(5), &address, &params)) {
      return Reply("501 5.5.4 Syntax: MAIL FROM:<address>");
    }
    while (!params.empty()) {
      size_t end = params.find(' ');
      std::string_view param = params.substr(0, end);
      params = end == std::string_view::npos ? std::string_view() : TrimLeft(params.substr(end));
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
        if (!EqualsNoCase(value, "7BIT") && !EqualsNoCase(value, "8BITMIME")) {
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

  void Rcpt(std::string_view arg) {
    if (!in_transaction_) return Reply("503 5.5.1 Need MAIL before RCPT");
    std::string address;
    std::string_view params;
    if (!StartsWithNoCase(arg, "TO:") || !ParsePath(arg.substr(3), &address, &params) ||
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

  void Data(std::string_view arg) {
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

  // One step of the data phase: a whole line, or what of a partial line can
  // safely be kept. False when more input is needed.
  bool ProcessData() {
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

  // Keeps at most max_message_bytes; beyond that only counts.
  void AppendData(std::string_view piece) {
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

  void EndOfData() {
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

  void StartDelivery() {
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

  void OnDelivered(std::vector<absl::Status> results, size_t bytes) {
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

  void ResetTransaction() {
    in_transaction_ = false;
    envelope_.mail_from.clear();
    envelope_.recipients.clear();
    std::string().swap(data_);
  }

  LmtpServer::Impl& server_;
  const LmtpOptions& options_;
  tcp::socket socket_;
  asio::steady_timer timer_;
  const uint64_t id_;
  uint64_t timer_generation_ = 0;
  std::array<char, kReadChunk> chunk_{};
  std::string in_;  // received, not yet consumed from pos_
  size_t pos_ = 0;
  std::string out_;  // replies not yet written
  std::string write_buffer_;
  bool reading_ = false;
  bool writing_ = false;
  bool delivering_ = false;
  bool closing_ = false;  // close once out_ is written
  bool closed_ = false;
  bool timed_out_ = false;
  bool discarding_line_ = false;
  Mode mode_ = Mode::kCommand;
  bool greeted_ = false;
  bool in_transaction_ = false;
  Envelope envelope_;
  std::string data_;
  size_t data_bytes_ = 0;  // bytes of message seen, kept or not
  bool oversize_ = false;
  bool at_line_start_ = true;
};

absl::Status LmtpServer::Impl::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (state_ != State::kNew) return absl::FailedPreconditionError("lmtp server already started");
  if (options_.port < 0 || options_.port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat("bad lmtp port ", options_.port));
  }
  error_code ec;
  asio::ip::address address = asio::ip::make_address(options_.host, ec);
  if (ec) return absl::InvalidArgumentError("bad lmtp listen address '" + options_.host + "'");
  tcp::endpoint endpoint(address, static_cast<uint16_t>(options_.port));
  std::string where = absl::StrCat(options_.host, ":", options_.port);

  int io_threads = std::max(1, options_.threads);
  for (int thread_idx = 0; thread_idx < io_threads; ++thread_idx) {
    contexts_.push_back(std::make_unique<asio::io_context>(1));
  }
  acceptor_ = std::make_unique<tcp::acceptor>(*contexts_[0]);
  accept_retry_ = std::make_unique<asio::steady_timer>(*contexts_[0]);
  auto fail = [&](std::string_view step) {
    std::string message = absl::StrCat("lmtp: ", std::string(step), " ", where, ": ", ec.message());
    acceptor_.reset();
    accept_retry_.reset();
    contexts_.clear();
    return absl::UnavailableError(message);
  };
  acceptor_->open(endpoint.protocol(), ec);
  if (ec) return fail("open");
  acceptor_->set_option(asio::socket_base::reuse_address(true), ec);
  if (ec) return fail("setsockopt");
  acceptor_->bind(endpoint, ec);
  if (ec) return fail("bind");
  acceptor_->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail("listen");
  port_ = acceptor_->local_endpoint(ec).port();

  pool_ = std::make_unique<asio::thread_pool>(std::max(1, options_.delivery_threads));
  for (auto& context : contexts_) {
    work_guards_.push_back(asio::make_work_guard(*context));
    threads_.emplace_back([ctx = context.get()] {
      while (true) {
        try {
          ctx->run();
          return;
        } catch (const std::exception& e) {
          // Handlers catch their own errors; this is a last resort.
          spdlog::error("lmtp: io thread exception: {}", e.what());
        }
      }
    });
  }
  state_ = State::kRunning;
  asio::post(*contexts_[0], [this] { Accept(); });
  spdlog::info("lmtp: listening on {}:{} ({} I/O threads, {} delivery threads)", options_.host,
               port_.load(), io_threads, std::max(1, options_.delivery_threads));
  return absl::OkStatus();
}

void LmtpServer::Impl::Accept() {
  asio::io_context& target = *contexts_[next_context_];
  next_context_ = (next_context_ + 1) % contexts_.size();
  acceptor_->async_accept(target, [this](error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_->is_open()) return;
    if (ec) {
      // Typically EMFILE: back off briefly instead of spinning.
      spdlog::warn("lmtp: accept failed: {}", ec.message());
      accept_retry_->expires_after(std::chrono::milliseconds(50));
      accept_retry_->async_wait([this](error_code wait_ec) {
        if (!wait_ec) Accept();
      });
      return;
    }
    std::shared_ptr<Session> session;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (sessions_.size() < options_.max_sessions) {
        uint64_t id = next_session_id_++;
        session = std::make_shared<Session>(*this, std::move(socket), id);
        sessions_.emplace(id, session);
      }
    }
    if (session) {
      ++sessions_total_;
      asio::dispatch(session->executor(), [session] { session->Start(); });
    } else {
      Refuse(std::move(socket));
    }
    Accept();
  });
}

void LmtpServer::Impl::Refuse(tcp::socket socket) {
  spdlog::warn("lmtp: refusing a session: {} sessions open (max_sessions)", options_.max_sessions);
  auto refused = std::make_shared<tcp::socket>(std::move(socket));
  auto reply = std::make_shared<std::string>(
      absl::StrCat("421 4.3.2 ", options_.hostname, " Too many sessions, try again later\r\n"));
  asio::async_write(*refused, asio::buffer(*reply), [refused, reply](error_code, size_t) {
    error_code ec;
    refused->shutdown(tcp::socket::shutdown_both, ec);
    refused->close(ec);
  });
}

void LmtpServer::Impl::Unregister(uint64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  sessions_.erase(id);
  if (sessions_.empty()) cv_.notify_all();
}

bool LmtpServer::Impl::BeginDelivery() {
  std::lock_guard<std::mutex> lock(mu_);
  if (deliveries_closed_) return false;
  ++deliveries_;
  return true;
}

void LmtpServer::Impl::EndDelivery() {
  std::lock_guard<std::mutex> lock(mu_);
  if (--deliveries_ == 0) cv_.notify_all();
}

void LmtpServer::Impl::Stop() {
  {
    std::unique_lock<std::mutex> lock(mu_);
    if (state_ == State::kNew) {
      state_ = State::kStopped;
      cv_.notify_all();
      return;
    }
    if (state_ == State::kStopping) {
      cv_.wait(lock, [this] { return state_ == State::kStopped; });
      return;
    }
    if (state_ == State::kStopped) return;
    state_ = State::kStopping;
    stopping_ = true;
  }

  // Stop accepting: after this, connects are refused.
  std::promise<void> closed;
  asio::post(*contexts_[0], [this, &closed] {
    error_code ec;
    acceptor_->close(ec);
    accept_retry_->cancel();
    closed.set_value();
  });
  closed.get_future().wait();

  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& [id, weak] : sessions_) {
      if (auto session = weak.lock()) live.push_back(std::move(session));
    }
  }
  for (auto& session : live) {
    asio::post(session->executor(), [session] { session->OnShutdown(); });
  }
  live.clear();  // the sessions must be free to die

  {
    std::unique_lock<std::mutex> lock(mu_);
    // However long Deliver takes: its message may already be durable, and the
    // MTA should hear so rather than send it again.
    if (deliveries_ > 0) {
      spdlog::info("lmtp: stopping: waiting for {} deliveries in progress", deliveries_);
    }
    cv_.wait(lock, [this] { return deliveries_ == 0; });
    deliveries_closed_ = true;
    bool drained = cv_.wait_for(lock, kShutdownGrace, [this] { return sessions_.empty(); });
    if (!drained) {
      spdlog::warn("lmtp: {} sessions still open after the shutdown grace period",
                   sessions_.size());
    }
  }

  work_guards_.clear();
  for (auto& context : contexts_) context->stop();
  for (auto& thread : threads_) thread.join();
  threads_.clear();
  pool_->join();  // idle by now; joined before the contexts go so no task holds a session
  acceptor_.reset();
  accept_retry_.reset();
  contexts_.clear();  // destroys the remaining handlers and with them the sessions

  std::lock_guard<std::mutex> lock(mu_);
  state_ = State::kStopped;
  cv_.notify_all();
  spdlog::info("lmtp: stopped");
}

LmtpServer::LmtpServer(LmtpOptions options, AcceptRecipient accept, Deliver deliver)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(accept), std::move(deliver))) {}
LmtpServer::~LmtpServer() = default;
absl::Status LmtpServer::Start() { return impl_->Start(); }
void LmtpServer::Stop() { impl_->Stop(); }
uint16_t LmtpServer::port() const { return impl_->port(); }
LmtpServer::Stats LmtpServer::stats() const { return impl_->stats(); }

}  // namespace onestop::mail
