// Router: maps (method, path) to a handler.
//
// Patterns are split into segments at registration: literal segments
// ("cases"), parameters ("{id}", one non-empty segment) and a trailing
// catch-all ("{path...}", one or more segments, used by AddStaticDir).
// Matching walks a segment tree — no regex per request — and prefers a literal
// segment over a parameter at the same position, backtracking if the literal
// branch does not lead to a full match ("/cases/search" beats "/cases/{id}").
//
// Outcomes: a route; 404 when no pattern matches the path; 405 (with the
// methods to put in Allow) when the path matches but not the method. HEAD is
// served by the GET handler unless a HEAD route is registered (the server
// drops the body).
//
// Threads: register every route before Server::Start(); after that the router
// is read-only and Match() may be called from any thread. Add() throws
// std::invalid_argument on a malformed or duplicate pattern — a programming
// error caught at startup, never caused by a request.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/request.h"

namespace onestop::http {

using Handler = std::function<Response(Request&)>;

// WebSockets (RFC 6455, text messages only) as the application sees them:
// plain interfaces, Beast stays in server.cc.
//
// The session the server hands to a handler. Send() and Close() may be
// called from any thread, also after the socket has gone (they do nothing
// then). Messages leave in the order they were sent; a client that falls
// more than 1,000 messages behind is disconnected.
class WebSocketSession {
 public:
  virtual ~WebSocketSession() = default;
  virtual void Send(std::string text) = 0;
  virtual void Close() = 0;
};

// One per accepted upgrade. Every callback runs on the connection's I/O
// thread and must not block (post blocking work elsewhere). OnClose is the
// last call, made once whichever side closed.
class WebSocketHandler {
 public:
  virtual ~WebSocketHandler() = default;
  virtual void OnOpen(std::shared_ptr<WebSocketSession> session) {}
  virtual void OnText(const std::string& text) {}
  virtual void OnClose() {}
};

// What a WebSocketFactory decides: a handler accepts the upgrade; without
// one the server answers `refusal` (e.g. 401, 403) as a plain HTTP response.
struct WebSocketUpgrade {
  std::shared_ptr<WebSocketHandler> handler;
  Response refusal;
};
// Called on a worker thread (it may block, e.g. to look up a session) with
// the upgrade request: headers, cookies, path and query.
using WebSocketFactory = std::function<WebSocketUpgrade(Request&)>;

struct RouteOptions {
  // true: run on the worker pool (may block: database, files, network).
  // false: run inline on the I/O thread; only for cheap, never-blocking work
  // such as /healthz or /metrics.
  bool blocking = true;
  // Maximum request body in bytes; 0 = the server's default.
  size_t body_limit = 0;
};

struct Route {
  std::string method;
  std::string pattern;
  Handler handler;
  RouteOptions options;
  size_t index = 0;  // position in registration order, dense from 0
  // One entry per pattern segment: the parameter name, or empty for a literal.
  std::vector<std::string> segment_params;
  bool catch_all = false;  // last segment is "{name...}"
  // Set for AddWebSocket routes: the server upgrades GETs that ask for it.
  std::shared_ptr<const WebSocketFactory> websocket;
};

struct RouteMatch {
  enum class Outcome { kFound, kNotFound, kMethodNotAllowed };
  Outcome outcome = Outcome::kNotFound;
  const Route* route = nullptr;  // set when kFound
  ParamList params;              // decoded path parameters, when kFound
  std::string allow;             // "GET, HEAD, POST", when kMethodNotAllowed
};

struct StaticDirOptions {
  std::string cache_control = "public, max-age=300";
  bool blocking = true;  // file reads go to the worker pool by default
};

class Router {
 public:
  Router();
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  void Add(std::string method, std::string pattern, Handler handler, RouteOptions options = {});

  // Serves files under `dir` at GET `prefix`/<relative path> (prefix like
  // "/assets", no trailing slash). Content-Type from the extension,
  // Cache-Control from options, a strong ETag with If-None-Match → 304.
  // Rejects ".." segments and anything resolving outside `dir` with 404.
  void AddStaticDir(std::string prefix, std::string dir, StaticDirOptions options = {});

  // A WebSocket endpoint at GET `pattern`: the server calls `factory` for a
  // request with "Upgrade: websocket" and, if it returns a handler,
  // completes the handshake. A GET without the upgrade (and Dispatch(),
  // which has no socket) answers 426 Upgrade Required.
  void AddWebSocket(std::string pattern, WebSocketFactory factory);

  // `path` is the decoded path (Request::path).
  RouteMatch Match(std::string_view method, std::string_view path) const;

  // Matches and runs the handler in the calling thread, filling
  // req.path_params and req.route; 404/405 problem responses otherwise. Used
  // by tests and by anything that needs routing without a socket.
  Response Dispatch(Request& req) const;

  // (method, pattern) for every registered route, in registration order.
  std::vector<std::pair<std::string, std::string>> Routes() const;

  size_t size() const { return routes_.size(); }
  const Route& route(size_t index) const { return *routes_[index]; }

 private:
  struct Node;
  std::unique_ptr<Node> root_;
  std::vector<std::unique_ptr<Route>> routes_;
};

// Content-Type for a file name by extension ("app.css" → "text/css; charset=utf-8");
// "application/octet-stream" when unknown.
std::string_view ContentTypeForPath(std::string_view path);

}  // namespace onestop::http
