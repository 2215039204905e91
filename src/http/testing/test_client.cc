#include "http/testing/test_client.h"

#include <optional>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

namespace onestop::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

class TestClient::Impl {
 public:
  Impl(uint16_t port, std::string host) : port_(port), host_(std::move(host)) {}

  Response Send(std::string_view method, std::string_view target, std::string_view body,
                const HeaderList& headers) {
    bool reused = stream_.has_value();
    Response res = SendOnce(method, target, body, headers);
    // A kept-alive connection the server closed meanwhile: retry once on a new one.
    if (res.status == 0 && reused) {
      Close();
      res = SendOnce(method, target, body, headers);
    }
    return res;
  }

  std::string SendRaw(std::string_view bytes) {
    asio::io_context ioc;
    beast::tcp_stream stream(ioc);
    beast::error_code ec;
    std::string out;
    stream.expires_after(timeout_);
    stream.async_connect(tcp::endpoint(asio::ip::make_address(host_), port_),
                         [&](beast::error_code e) { ec = e; });
    ioc.run();
    if (ec) return out;
    ioc.restart();
    stream.expires_after(timeout_);
    asio::async_write(stream, asio::buffer(bytes.data(), bytes.size()),
                      [&](beast::error_code e, size_t) { ec = e; });
    ioc.run();
    char chunk[4096];
    while (true) {
      ioc.restart();
      size_t got = 0;
      stream.async_read_some(asio::buffer(chunk), [&](beast::error_code e, size_t n) {
        ec = e;
        got = n;
      });
      ioc.run();
      out.append(chunk, got);
      if (ec) break;
    }
    return out;
  }

  void Close() {
    if (stream_) {
      beast::error_code ec;
      stream_->socket().shutdown(tcp::socket::shutdown_both, ec);
      stream_->close();
    }
    stream_.reset();
    buffer_.clear();
  }

  bool connected() const { return stream_.has_value(); }
  int connections_opened() const { return connections_opened_; }
  void set_timeout(std::chrono::milliseconds timeout) { timeout_ = timeout; }

 private:
  static Response TransportError(std::string_view what, const beast::error_code& ec) {
    Response res;
    res.status = 0;
    res.content_type.clear();
    res.body = std::string(what) + ": " + ec.message();
    return res;
  }

  Response SendOnce(std::string_view method, std::string_view target, std::string_view body,
                    const HeaderList& headers) {
    beast::error_code ec;
    if (!stream_) {
      stream_.emplace(ioc_);
      ioc_.restart();
      stream_->expires_after(timeout_);
      stream_->async_connect(tcp::endpoint(asio::ip::make_address(host_), port_),
                             [&](beast::error_code e) { ec = e; });
      ioc_.run();
      if (ec) {
        Close();
        return TransportError("connect", ec);
      }
      beast::error_code opt_ec;
      stream_->socket().set_option(tcp::no_delay(true), opt_ec);
      ++connections_opened_;
    }

    bhttp::request<bhttp::string_body> req;
    req.method_string(method);
    req.target(target);
    req.version(11);
    req.set(bhttp::field::host, host_ + ":" + std::to_string(port_));
    for (const auto& [name, value] : headers) req.insert(name, value);
    req.body() = std::string(body);
    if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
      req.prepare_payload();
    }

    ioc_.restart();
    beast::error_code write_ec;
    stream_->expires_after(timeout_);
    bhttp::async_write(*stream_, req, [&](beast::error_code e, size_t) { write_ec = e; });
    ioc_.run();

    // Read even after a failed write: the server may have answered early
    // (413) and closed its side.
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(boost::none);
    if (method == "HEAD") parser.skip(true);
    ioc_.restart();
    stream_->expires_after(timeout_);
    bhttp::async_read(*stream_, buffer_, parser, [&](beast::error_code e, size_t) { ec = e; });
    ioc_.run();
    if (ec) {
      Close();
      return TransportError(write_ec ? "write" : "read", write_ec ? write_ec : ec);
    }

    auto msg = parser.release();
    Response res;
    res.status = static_cast<int>(msg.result_int());
    res.content_type.clear();
    for (const auto& field : msg) {
      res.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
      if (field.name() == bhttp::field::content_type) res.content_type = std::string(field.value());
    }
    res.body = std::move(msg.body());
    if (!msg.keep_alive() || write_ec) Close();
    return res;
  }

  const uint16_t port_;
  const std::string host_;
  std::chrono::milliseconds timeout_{10000};
  asio::io_context ioc_;
  std::optional<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
  int connections_opened_ = 0;
};

TestClient::TestClient(uint16_t port, std::string host)
    : impl_(std::make_unique<Impl>(port, std::move(host))) {}
TestClient::~TestClient() = default;
Response TestClient::Send(std::string_view method, std::string_view target, std::string_view body,
                          const HeaderList& headers) {
  return impl_->Send(method, target, body, headers);
}
std::string TestClient::SendRaw(std::string_view bytes) { return impl_->SendRaw(bytes); }
void TestClient::Close() { impl_->Close(); }
bool TestClient::connected() const { return impl_->connected(); }
int TestClient::connections_opened() const { return impl_->connections_opened(); }
void TestClient::set_timeout(std::chrono::milliseconds timeout) { impl_->set_timeout(timeout); }

}  // namespace onestop::http
