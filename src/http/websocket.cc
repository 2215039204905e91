// Router::AddWebSocket. The upgrade itself (Beast's websocket::stream) lives
// in server.cc, next to the connection it takes over.
#include <memory>
#include <utility>

#include "http/router.h"

namespace onestop::http {

void Router::AddWebSocket(std::string pattern, WebSocketFactory factory) {
  Add("GET", pattern, [](Request&) {
    Response res = ProblemResponse(426, "This resource is a WebSocket; connect with Upgrade: websocket.");
    res.SetHeader("Upgrade", "websocket");
    return res;
  });
  routes_.back()->websocket = std::make_shared<const WebSocketFactory>(std::move(factory));
}

}  // namespace onestop::http
