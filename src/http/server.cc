#include "http/server.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include "http/request_id.h"
#include "spdlog/spdlog.h"

namespace onestop::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace bws = boost::beast::websocket;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::string_view kServerName = "onestop";
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
// After an error response that closes the connection (413, 400) the server
// keeps reading and discarding for a while so the client sees the response
// rather than a reset (cf. nginx lingering_close).
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr size_t kLingerBytes = 8 << 20;

bool IsHttpParseError(const beast::error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category();
}

}  // namespace

class Connection;

class Server::Impl {
 public:
  Impl(ServerOptions options, Router& router, Metrics& metrics)
      : options_(std::move(options)), router_(router), metrics_(metrics) {
    route_metric_index_.reserve(router_.size());
    for (size_t route_idx = 0; route_idx < router_.size(); ++route_idx) {
      route_metric_index_.push_back(metrics_.RegisterRoute(router_.route(route_idx).pattern));
    }
  }
  ~Impl() { Shutdown(); }

  absl::Status Start();
  void Shutdown();
  void Wait();
  uint16_t port() const { return port_.load(); }

  const ServerOptions& options() const { return options_; }
  const Router& router() const { return router_; }
  Metrics& metrics() { return metrics_; }
  size_t MetricIndex(const Route& route) const { return route_metric_index_[route.index]; }
  bool stopping() const { return stopping_.load(); }
  asio::thread_pool& workers() { return *pool_; }
  void Unregister(uint64_t id);

 private:
  enum class State { kNew, kRunning, kStopping, kStopped };
  void Accept();

  const ServerOptions options_;
  Router& router_;
  Metrics& metrics_;
  std::vector<size_t> route_metric_index_;  // Route::index → Metrics route index
  std::atomic<bool> stopping_{false};
  std::atomic<uint16_t> port_{0};

  // Declaration order is destruction order in reverse: connections held by
  // pending worker tasks must die before their io_context, and connection
  // destructors touch mu_/connections_.
  std::mutex mu_;
  std::condition_variable cv_;
  State state_ = State::kNew;                                           // guarded by mu_
  uint64_t next_connection_id_ = 0;                                     // guarded by mu_
  std::unordered_map<uint64_t, std::weak_ptr<Connection>> connections_;  // guarded by mu_

  std::vector<std::unique_ptr<asio::io_context>> contexts_;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> work_guards_;
  std::vector<std::thread> threads_;
  size_t next_context_ = 0;  // only touched by the acceptor's thread
  std::unique_ptr<tcp::acceptor> acceptor_;
  std::unique_ptr<asio::steady_timer> accept_retry_;
  std::unique_ptr<asio::thread_pool> pool_;
};

// One TCP connection. Lives on one io_context thread; the only work done
// elsewhere is the handler call on a worker thread, during which the
// connection has no other operation in flight (phase kHandling).
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Server::Impl& server, tcp::socket socket, uint64_t id)
      : server_(server), stream_(std::move(socket)), id_(id) {}
  ~Connection() { server_.Unregister(id_); }

  void Start() {
    beast::error_code ec;
    tcp::endpoint peer = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_address_ = peer.address().to_string();
    stream_.socket().set_option(tcp::no_delay(true), ec);
    ReadHeader();
  }

  // Runs on the connection's executor when the server starts shutting down.
  void OnShutdown() {
    if (ws_) return WsClose();
    if (phase_ == Phase::kIdle && buffer_.size() == 0) stream_.cancel();
    // Otherwise the request in progress finishes and its response closes the connection.
  }

  asio::any_io_executor executor() { return stream_.get_executor(); }

 private:
  enum class Phase { kIdle, kReading, kHandling, kWriting, kClosing };

  void ReadHeader() {
    phase_ = Phase::kIdle;
    if (server_.stopping()) return Close();
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(server_.options().header_limit));
    parser_->body_limit(boost::none);  // checked against the route's limit once headers are in
    stream_.expires_after(served_ == 0 ? server_.options().read_timeout
                                       : server_.options().keepalive_idle);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = shared_from_this()](beast::error_code ec, size_t) {
                               self->OnHeader(ec);
                             });
  }

  void OnHeader(beast::error_code ec) {
    if (ec) return OnReadError(ec);
    phase_ = Phase::kReading;
    started_ = Clock::now();
    const auto& msg = parser_->get();

    req_ = Request{};
    req_.method = std::string(msg.method_string());
    req_.remote_address = remote_address_;
    req_.headers.reserve(16);
    for (const auto& field : msg) {
      req_.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    auto id_it = msg.find("X-Request-Id");
    req_.request_id =
        ChooseRequestId(id_it != msg.end() ? std::string_view(id_it->value()) : std::string_view());
    is_head_ = msg.method() == bhttp::verb::head;
    keep_alive_ = msg.keep_alive();
    route_ = nullptr;
    metric_index_ = 0;

    if (absl::Status target_status = req_.SetTarget(std::string(msg.target())); !target_status.ok()) {
      return SendErrorAndClose(400, std::string(target_status.message()));
    }
    match_ = server_.router().Match(req_.method, req_.path);
    size_t limit = server_.options().body_limit;
    if (match_.outcome == RouteMatch::Outcome::kFound) {
      route_ = match_.route;
      metric_index_ = server_.MetricIndex(*route_);
      if (route_->options.body_limit != 0) limit = route_->options.body_limit;
    }
    if (auto length = parser_->content_length(); length && *length > limit) {
      return SendErrorAndClose(413, "Request body exceeds " + std::to_string(limit) + " bytes.");
    }
    parser_->body_limit(limit);  // enforces chunked bodies as they arrive

    if (parser_->is_done()) return Dispatch();
    auto expect = msg.find(bhttp::field::expect);
    if (expect != msg.end() && EqualsIgnoreCase(expect->value(), "100-continue")) {
      stream_.expires_after(server_.options().read_timeout);
      asio::async_write(stream_, asio::buffer(kContinue.data(), kContinue.size()),
                        [self = shared_from_this()](beast::error_code write_ec, size_t) {
                          if (write_ec) return self->Close();
                          self->ReadBody();
                        });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    stream_.expires_after(server_.options().read_timeout);
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code ec, size_t) {
                        if (ec) return self->OnReadError(ec);
                        self->Dispatch();
                      });
  }

  void OnReadError(beast::error_code ec) {
    if (phase_ == Phase::kIdle) {
      // Failed before a request line was understood: nothing of the previous
      // request may leak into the error response or the metrics.
      req_ = Request{};
      route_ = nullptr;
      metric_index_ = 0;
      is_head_ = false;
      started_ = Clock::now();
    }
    if (ec == bhttp::error::body_limit) {
      return SendErrorAndClose(413, "Request body exceeds the limit for this resource.");
    }
    if (ec == bhttp::error::header_limit) {
      return SendErrorAndClose(431, "Request header fields are too large.");
    }
    // A clean close between requests, a timeout, a reset or our own cancel.
    if (ec == bhttp::error::end_of_stream || !IsHttpParseError(ec)) return Close();
    SendErrorAndClose(400, "Malformed HTTP request.");
  }

  void Dispatch() {
    stream_.expires_never();
    upgrade_ = parser_->release();
    req_.body = std::move(upgrade_.body());
    switch (match_.outcome) {
      case RouteMatch::Outcome::kNotFound:
        return Finish(ProblemResponse(404, "No resource at this path."));
      case RouteMatch::Outcome::kMethodNotAllowed: {
        Response res = ProblemResponse(405, "Method " + req_.method + " is not allowed here.");
        res.SetHeader("Allow", match_.allow);
        return Finish(std::move(res));
      }
      case RouteMatch::Outcome::kFound:
        break;
    }
    req_.path_params = std::move(match_.params);
    req_.route = route_->pattern;
    if (route_->websocket && bws::is_upgrade(upgrade_)) return Upgrade();
    upgrade_ = {};
    if (!route_->options.blocking) return Finish(RunHandler());
    phase_ = Phase::kHandling;
    asio::post(server_.workers(), [self = shared_from_this()]() {
      Response res = self->RunHandler();
      asio::post(self->executor(), [self, res = std::move(res)]() mutable {
        self->Finish(std::move(res));
      });
    });
  }

  // Any thread; the connection is otherwise quiescent while this runs.
  Response RunHandler() {
    try {
      return route_->handler(req_);
    } catch (const std::exception& e) {
      spdlog::error(R"({{"msg":"handler threw","route":"{}","request_id":"{}","error":"{}"}})",
                    JsonEscape(route_->pattern), req_.request_id, JsonEscape(e.what()));
    } catch (...) {
      spdlog::error(R"({{"msg":"handler threw","route":"{}","request_id":"{}","error":"unknown"}})",
                    JsonEscape(route_->pattern), req_.request_id);
    }
    return ProblemResponse(500, "Internal error; quote request id " + req_.request_id + ".");
  }

  void SendErrorAndClose(int status, std::string detail) {
    close_after_ = true;
    if (req_.request_id.empty()) req_.request_id = ChooseRequestId("");
    Finish(ProblemResponse(status, detail));
  }

  void Finish(Response res) {
    phase_ = Phase::kWriting;
    if (res.status < 100 || res.status > 999) {
      spdlog::error(R"({{"msg":"handler returned invalid status","status":{},"request_id":"{}"}})",
                    res.status, req_.request_id);
      res = ProblemResponse(500, "Internal error; quote request id " + req_.request_id + ".");
    }
    bool close = close_after_ || !keep_alive_ || server_.stopping();

    res_ = {};
    res_.version(11);
    res_.result(static_cast<unsigned>(res.status));
    res_.set(bhttp::field::server, kServerName);
    bool bodiless = res.status == 204 || res.status == 304 || res.status < 200;
    if (!bodiless || !res.body.empty()) res_.set(bhttp::field::content_type, res.content_type);
    res_.set("X-Request-Id", req_.request_id);
    res_.set("X-Content-Type-Options", "nosniff");
    res_.set("Referrer-Policy", "same-origin");
    for (auto& [name, value] : res.headers) {
      if (IsServerOwnedHeader(name)) continue;
      res_.insert(name, value);
    }
    if (bodiless) res.body.clear();  // beast refuses a body on 1xx/204/304
    size_t body_bytes = res.body.size();
    res_.body() = std::move(res.body);
    res_.keep_alive(!close);
    res_.prepare_payload();
    if (is_head_) {
      res_.body().clear();
      if (!bodiless) res_.content_length(body_bytes);
    }

    Record(res.status, body_bytes);
    stream_.expires_after(server_.options().read_timeout);
    bhttp::async_write(stream_, res_, [self = shared_from_this(), close](beast::error_code ec, size_t) {
      self->OnWrite(ec, close);
    });
  }

  void OnWrite(beast::error_code ec, bool close) {
    res_ = {};
    if (ec) return Close();
    ++served_;
    if (close) return close_after_ ? Linger() : Close();
    ReadHeader();
  }

  void Record(int status, size_t body_bytes) {
    double seconds = std::chrono::duration<double>(Clock::now() - started_).count();
    server_.metrics().Observe(metric_index_, req_.method, status, seconds);
    spdlog::level::level_enum level = status >= 500 ? spdlog::level::err : spdlog::level::debug;
    if (!spdlog::should_log(level)) return;
    spdlog::log(level,
                R"({{"msg":"http request","method":"{}","route":"{}","path":"{}","status":{},)"
                R"("duration_ms":{:.3f},"request_id":"{}","bytes":{},"remote":"{}"}})",
                JsonEscape(req_.method), JsonEscape(route_ ? route_->pattern : ""),
                JsonEscape(req_.path), status, seconds * 1000.0, req_.request_id, body_bytes,
                remote_address_);
  }

  // Half-close, then drain what the client is still sending for a bounded
  // time, so it can read our error response before the socket goes away.
  void Linger() {
    phase_ = Phase::kClosing;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return Close();
    stream_.expires_after(kLingerTime);
    linger_buffer_.resize(16 * 1024);
    DrainSome();
  }

  void DrainSome() {
    stream_.async_read_some(asio::buffer(linger_buffer_),
                            [self = shared_from_this()](beast::error_code ec, size_t bytes) {
                              self->lingered_ += bytes;
                              if (ec || self->lingered_ > kLingerBytes) return self->Close();
                              self->DrainSome();
                            });
  }

  void Close() {
    phase_ = Phase::kClosing;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
  }

  // ---- WebSocket (Router::AddWebSocket) ----
  // The factory runs on a worker; on acceptance this connection becomes the
  // WebSocket: one read loop and one write queue on the connection's thread.
  class WsSession : public WebSocketSession {
   public:
    explicit WsSession(std::weak_ptr<Connection> connection) : connection_(std::move(connection)) {}
    void Send(std::string text) override {
      auto connection = connection_.lock();
      if (!connection) return;
      asio::post(connection->executor(), [connection, text = std::move(text)]() mutable {
        connection->WsQueue(std::move(text));
      });
    }
    void Close() override {
      auto connection = connection_.lock();
      if (!connection) return;
      asio::post(connection->executor(), [connection] { connection->WsClose(); });
    }

   private:
    std::weak_ptr<Connection> connection_;
  };
  static constexpr size_t kWsMaxQueued = 1000;

  void Upgrade() {
    phase_ = Phase::kHandling;
    asio::post(server_.workers(), [self = shared_from_this()]() {
      WebSocketUpgrade result;
      try {
        result = (*self->route_->websocket)(self->req_);
      } catch (const std::exception& e) {
        spdlog::error(R"({{"msg":"websocket factory threw","route":"{}","error":"{}"}})",
                      JsonEscape(self->route_->pattern), JsonEscape(e.what()));
        result.refusal = ProblemResponse(500, "Internal error.");
      }
      asio::post(self->executor(), [self, result = std::move(result)]() mutable {
        if (!result.handler) {
          self->upgrade_ = {};
          if (result.refusal.status < 300) result.refusal = ProblemResponse(403, "Refused.");
          return self->Finish(std::move(result.refusal));
        }
        self->WsAccept(std::move(result.handler));
      });
    });
  }

  void WsAccept(std::shared_ptr<WebSocketHandler> handler) {
    ws_handler_ = std::move(handler);
    ws_.emplace(stream_);
    bws::stream_base::timeout timeouts = bws::stream_base::timeout::suggested(beast::role_type::server);
    timeouts.idle_timeout = std::chrono::seconds(60);
    timeouts.keep_alive_pings = true;
    timeouts.handshake_timeout = std::chrono::seconds(5);  // also bounds the close handshake
    ws_->set_option(timeouts);
    ws_->read_message_max(64 * 1024);
    ws_->set_option(bws::stream_base::decorator([](bws::response_type& res) {
      res.set(bhttp::field::server, kServerName);
    }));
    Record(101, 0);
    ws_->async_accept(upgrade_, [self = shared_from_this()](beast::error_code ec) {
      self->upgrade_ = {};
      if (ec) return self->WsEnd();
      self->ws_open_ = true;
      self->ws_handler_->OnOpen(std::make_shared<WsSession>(self->weak_from_this()));
      self->WsRead();
    });
  }

  void WsRead() {
    ws_->async_read(ws_buffer_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->WsEnd();
      std::string text = beast::buffers_to_string(self->ws_buffer_.data());
      self->ws_buffer_.consume(self->ws_buffer_.size());
      if (self->ws_->got_text()) self->ws_handler_->OnText(text);
      self->WsRead();
    });
  }

  void WsQueue(std::string text) {
    if (!ws_open_) return;
    if (ws_outbox_.size() >= kWsMaxQueued) return WsClose();
    ws_outbox_.push_back(std::move(text));
    if (ws_outbox_.size() == 1) WsWrite();
  }

  void WsWrite() {
    ws_->text(true);
    ws_->async_write(asio::buffer(ws_outbox_.front()),
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       if (ec) return self->WsEnd();
                       self->ws_outbox_.pop_front();
                       if (!self->ws_outbox_.empty()) self->WsWrite();
                     });
  }

  void WsClose() {
    if (!ws_open_ || ws_closing_) return;
    ws_closing_ = true;
    ws_->async_close(bws::close_code::normal, [self = shared_from_this()](beast::error_code) {
      // The pending read ends with `closed` and calls WsEnd.
    });
  }

  // The socket is done (either side closed, or an error): tell the handler once.
  void WsEnd() {
    if (ws_ended_) return;
    ws_ended_ = true;
    ws_open_ = false;
    ws_outbox_.clear();
    if (ws_handler_) ws_handler_->OnClose();
    ws_handler_.reset();
    Close();
  }

  Server::Impl& server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bhttp::response<bhttp::string_body> res_;
  Request req_;
  RouteMatch match_;
  const Route* route_ = nullptr;
  size_t metric_index_ = 0;
  Clock::time_point started_;
  std::string remote_address_;
  std::vector<char> linger_buffer_;
  size_t lingered_ = 0;
  uint64_t served_ = 0;
  const uint64_t id_;
  Phase phase_ = Phase::kIdle;
  bool keep_alive_ = true;
  bool close_after_ = false;
  bool is_head_ = false;
  bhttp::request<bhttp::string_body> upgrade_;  // the request, kept for a WebSocket handshake
  std::optional<bws::stream<beast::tcp_stream&>> ws_;
  std::shared_ptr<WebSocketHandler> ws_handler_;
  beast::flat_buffer ws_buffer_;
  std::deque<std::string> ws_outbox_;
  bool ws_open_ = false;
  bool ws_closing_ = false;
  bool ws_ended_ = false;
};

absl::Status Server::Impl::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (state_ != State::kNew) return absl::FailedPreconditionError("server already started");

  beast::error_code ec;
  asio::ip::address address = asio::ip::make_address(options_.address, ec);
  if (ec) return absl::InvalidArgumentError("bad listen address '" + options_.address + "'");
  tcp::endpoint endpoint(address, options_.port);
  std::string where = options_.address + ":" + std::to_string(options_.port);

  int io_threads = options_.io_threads > 0
                       ? options_.io_threads
                       : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  for (int thread_idx = 0; thread_idx < io_threads; ++thread_idx) {
    contexts_.push_back(std::make_unique<asio::io_context>(1));
  }
  acceptor_ = std::make_unique<tcp::acceptor>(*contexts_[0]);
  accept_retry_ = std::make_unique<asio::steady_timer>(*contexts_[0]);
  auto fail = [&](std::string_view step) {
    std::string message = std::string(step) + " " + where + ": " + ec.message();
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

  pool_ = std::make_unique<asio::thread_pool>(std::max(1, options_.worker_threads));
  for (auto& context : contexts_) {
    work_guards_.push_back(asio::make_work_guard(*context));
    threads_.emplace_back([ctx = context.get()] {
      while (true) {
        try {
          ctx->run();
          return;
        } catch (const std::exception& e) {
          // Handlers catch their own errors; this is a last resort.
          spdlog::error(R"({{"msg":"io thread exception","error":"{}"}})", JsonEscape(e.what()));
        }
      }
    });
  }
  state_ = State::kRunning;
  asio::post(*contexts_[0], [this] { Accept(); });
  spdlog::info("http: listening on {}:{} ({} I/O threads, {} workers)", options_.address,
               port_.load(), io_threads, options_.worker_threads);
  return absl::OkStatus();
}

void Server::Impl::Accept() {
  asio::io_context& target = *contexts_[next_context_];
  next_context_ = (next_context_ + 1) % contexts_.size();
  acceptor_->async_accept(target, [this](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_->is_open()) return;
    if (ec) {
      // Typically EMFILE: back off briefly instead of spinning.
      spdlog::warn("http: accept failed: {}", ec.message());
      accept_retry_->expires_after(std::chrono::milliseconds(50));
      accept_retry_->async_wait([this](beast::error_code wait_ec) {
        if (!wait_ec) Accept();
      });
      return;
    }
    std::shared_ptr<Connection> connection;
    {
      std::lock_guard<std::mutex> lock(mu_);
      uint64_t id = next_connection_id_++;
      connection = std::make_shared<Connection>(*this, std::move(socket), id);
      connections_.emplace(id, connection);
    }
    asio::dispatch(connection->executor(), [connection] { connection->Start(); });
    Accept();
  });
}

void Server::Impl::Unregister(uint64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  connections_.erase(id);
  if (connections_.empty()) cv_.notify_all();
}

void Server::Impl::Shutdown() {
  std::vector<std::shared_ptr<Connection>> live;
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
    beast::error_code ec;
    acceptor_->close(ec);
    accept_retry_->cancel();
    closed.set_value();
  });
  closed.get_future().wait();

  {
    std::unique_lock<std::mutex> lock(mu_);
    for (auto& [id, weak] : connections_) {
      if (auto connection = weak.lock()) live.push_back(std::move(connection));
    }
  }
  for (auto& connection : live) {
    asio::post(connection->executor(), [connection] { connection->OnShutdown(); });
  }
  live.clear();  // the connections must be free to die

  {
    std::unique_lock<std::mutex> lock(mu_);
    bool drained = cv_.wait_for(lock, options_.shutdown_grace,
                                [this] { return connections_.empty(); });
    if (!drained) {
      spdlog::warn("http: {} connections still open after the shutdown grace period",
                   connections_.size());
    }
  }

  work_guards_.clear();
  for (auto& context : contexts_) context->stop();
  for (auto& thread : threads_) thread.join();
  pool_->stop();
  pool_->join();
  threads_.clear();

  std::lock_guard<std::mutex> lock(mu_);
  state_ = State::kStopped;
  cv_.notify_all();
  spdlog::info("http: stopped");
}

void Server::Impl::Wait() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [this] { return state_ == State::kStopped || state_ == State::kNew; });
}

Server::Server(ServerOptions options, Router& router, Metrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(options), router, metrics)) {}
Server::~Server() = default;
absl::Status Server::Start() { return impl_->Start(); }
uint16_t Server::port() const { return impl_->port(); }
void Server::Shutdown() { impl_->Shutdown(); }
void Server::Wait() { impl_->Wait(); }

}  // namespace onestop::http
