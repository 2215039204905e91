// The LMTP listener's insides (internal to src/mail): LmtpServer::Impl,
// which owns the listening socket, the I/O threads and the delivery pool
// (lmtp_server.cc), and Session, one connection's protocol state machine
// (lmtp_session.cc).
#pragma once

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "mail/lmtp_server.h"

namespace onestop::mail {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;

inline constexpr size_t kReadChunk = 16 * 1024;
// After the last delivery has returned, Stop() gives sessions this long to
// send their replies before the threads are stopped.
inline constexpr auto kShutdownGrace = std::chrono::seconds(2);

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

  void Start();

  // On the session's executor when Stop() begins: an idle session is told
  // 421 and closed (Pump does that once stopping() is true); one in a delivery
  // finishes it first.
  void OnShutdown();

  asio::any_io_executor executor() { return socket_.get_executor(); }

 private:
  enum class Mode { kCommand, kData };

  void Pump();

  void ArmTimer();

  void StartRead();

  void OnRead(error_code ec, size_t bytes);

  void StartWrite();

  void OnWrite(error_code ec);

  void Close();

  void Reply(std::string_view line) { out_.append(line).append("\r\n"); }

  // Consumes as much of in_ (from pos_) as possible, appending replies to out_.
  void ProcessInput();

  void HandleCommand(std::string_view line);

  void Lhlo(std::string_view arg);

  void Mail(std::string_view arg);

  void Rcpt(std::string_view arg);

  void Data(std::string_view arg);

  // One step of the data phase: a whole line, or what of a partial line can
  // safely be kept. False when more input is needed.
  bool ProcessData();

  // Keeps at most max_message_bytes; beyond that only counts.
  void AppendData(std::string_view piece);

  void EndOfData();

  void StartDelivery();

  void OnDelivered(std::vector<absl::Status> results, size_t bytes);

  void ResetTransaction();

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

}  // namespace onestop::mail
