#include "http/router.h"

#include <stdexcept>

namespace onestop::http {

struct Router::Node {
  std::vector<std::pair<std::string, std::unique_ptr<Node>>> literals;  // few per node: linear scan
  std::unique_ptr<Node> param;
  std::unique_ptr<Node> catch_all;
  std::vector<const Route*> routes;  // routes ending at this node, one per method

  Node* FindLiteral(std::string_view segment) const {
    for (const auto& [literal, child] : literals) {
      if (literal == segment) return child.get();
    }
    return nullptr;
  }
  const Route* ForMethod(std::string_view method) const {
    for (const Route* r : routes) {
      if (r->method == method) return r;
    }
    if (method == "HEAD") return ForMethod("GET");
    return nullptr;
  }
};

namespace {

constexpr size_t kMaxSegments = 32;

// Splits "/a/b/c" into {"a","b","c"} with their offsets; "/" gives none.
// Returns false when there are too many segments to be one of our routes.
struct Segments {
  std::string_view items[kMaxSegments];
  size_t offsets[kMaxSegments];
  size_t count = 0;
};

bool SplitPath(std::string_view path, Segments* out) {
  out->count = 0;
  if (path.empty() || path[0] != '/') return false;
  if (path.size() == 1) return true;
  size_t start = 1;
  while (true) {
    if (out->count == kMaxSegments) return false;
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    out->items[out->count] = path.substr(start, end - start);
    out->offsets[out->count] = start;
    ++out->count;
    if (end == path.size()) return true;
    start = end + 1;
  }
}

std::string AllowList(const std::vector<const Route*>& routes) {
  std::string allow;
  bool has_get = false;
  bool has_head = false;
  for (const Route* r : routes) {
    if (!allow.empty()) allow += ", ";
    allow += r->method;
    has_get |= r->method == "GET";
    has_head |= r->method == "HEAD";
  }
  if (has_get && !has_head) allow += ", HEAD";
  return allow;
}

}  // namespace

Router::Router() : root_(std::make_unique<Node>()) {}
Router::~Router() = default;

void Router::Add(std::string method, std::string pattern, Handler handler, RouteOptions options) {
  Segments segments;
  if (method.empty() || !SplitPath(pattern, &segments)) {
    throw std::invalid_argument("bad route: " + method + " " + pattern);
  }
  auto route = std::make_unique<Route>();
  Node* node = root_.get();
  for (size_t seg_idx = 0; seg_idx < segments.count; ++seg_idx) {
    std::string_view segment = segments.items[seg_idx];
    bool is_param = segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
    if (!is_param) {
      if (segment.find_first_of("{}") != std::string_view::npos) {
        throw std::invalid_argument("bad route segment: " + pattern);
      }
      route->segment_params.emplace_back();
      Node* child = node->FindLiteral(segment);
      if (child == nullptr) {
        node->literals.emplace_back(std::string(segment), std::make_unique<Node>());
        child = node->literals.back().second.get();
      }
      node = child;
      continue;
    }
    std::string_view name = segment.substr(1, segment.size() - 2);
    bool catch_all = name.size() > 3 && name.substr(name.size() - 3) == "...";
    if (catch_all) {
      if (seg_idx + 1 != segments.count) {
        throw std::invalid_argument("catch-all must be the last segment: " + pattern);
      }
      name.remove_suffix(3);
      route->catch_all = true;
    }
    if (name.empty()) throw std::invalid_argument("empty parameter name: " + pattern);
    route->segment_params.emplace_back(name);
    std::unique_ptr<Node>& child = catch_all ? node->catch_all : node->param;
    if (!child) child = std::make_unique<Node>();
    node = child.get();
  }
  for (const Route* existing : node->routes) {
    if (existing->method == method) {
      throw std::invalid_argument("duplicate route: " + method + " " + pattern + " (already " +
                                  existing->pattern + ")");
    }
  }
  route->method = std::move(method);
  route->pattern = std::move(pattern);
  route->handler = std::move(handler);
  route->options = options;
  route->index = routes_.size();
  node->routes.push_back(route.get());
  routes_.push_back(std::move(route));
}

RouteMatch Router::Match(std::string_view method, std::string_view path) const {
  RouteMatch result;
  Segments segments;
  if (!SplitPath(path, &segments)) return result;

  const Route* found = nullptr;
  const Node* path_only = nullptr;  // first node matching the path but not the method
  // Depth-first: literal, then parameter, then catch-all at each level.
  auto visit = [&](auto& self, const Node* node, size_t seg_idx) -> bool {
    if (seg_idx == segments.count) {
      if (node->routes.empty()) return false;
      found = node->ForMethod(method);
      if (found != nullptr) return true;
      if (path_only == nullptr) path_only = node;
      return false;
    }
    std::string_view segment = segments.items[seg_idx];
    if (const Node* child = node->FindLiteral(segment); child && self(self, child, seg_idx + 1)) {
      return true;
    }
    if (node->param && !segment.empty() && self(self, node->param.get(), seg_idx + 1)) return true;
    if (node->catch_all && !segment.empty()) {
      const Node* tail = node->catch_all.get();
      if (!tail->routes.empty()) {
        found = tail->ForMethod(method);
        if (found != nullptr) return true;
        if (path_only == nullptr) path_only = tail;
      }
    }
    return false;
  };
  if (visit(visit, root_.get(), 0)) {
    result.outcome = RouteMatch::Outcome::kFound;
    result.route = found;
    for (size_t seg_idx = 0; seg_idx < found->segment_params.size(); ++seg_idx) {
      const std::string& name = found->segment_params[seg_idx];
      if (name.empty()) continue;
      if (found->catch_all && seg_idx + 1 == found->segment_params.size()) {
        result.params.emplace_back(name, std::string(path.substr(segments.offsets[seg_idx])));
      } else {
        result.params.emplace_back(name, std::string(segments.items[seg_idx]));
      }
    }
  } else if (path_only != nullptr) {
    result.outcome = RouteMatch::Outcome::kMethodNotAllowed;
    result.allow = AllowList(path_only->routes);
  }
  return result;
}

Response Router::Dispatch(Request& req) const {
  RouteMatch match = Match(req.method, req.path);
  switch (match.outcome) {
    case RouteMatch::Outcome::kNotFound:
      return ProblemResponse(404, "No resource at this path.");
    case RouteMatch::Outcome::kMethodNotAllowed: {
      Response r = ProblemResponse(405, "Method " + req.method + " is not allowed here.");
      r.SetHeader("Allow", match.allow);
      return r;
    }
    case RouteMatch::Outcome::kFound:
      break;
  }
  req.path_params = std::move(match.params);
  req.route = match.route->pattern;
  return match.route->handler(req);
}

std::vector<std::pair<std::string, std::string>> Router::Routes() const {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(routes_.size());
  for (const auto& r : routes_) out.emplace_back(r->method, r->pattern);
  return out;
}

}  // namespace onestop::http
