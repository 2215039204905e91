// The LMTP listener (lmtp_server.h): the listening socket, the I/O threads
// each session lives on, the delivery pool, and an orderly stop. One
// connection's protocol is Session's (lmtp_session.cc).
#include "mail/lmtp_server.h"

#include <algorithm>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <exception>
#include <future>
#include <utility>

#include "absl/strings/str_cat.h"
#include "mail/lmtp_internal.h"
#include "spdlog/spdlog.h"

namespace onestop::mail {

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
