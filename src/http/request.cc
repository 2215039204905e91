#include "http/request.h"

#include <cstdio>

namespace onestop::http {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t char_idx = 0; char_idx < a.size(); ++char_idx) {
    if (AsciiLower(a[char_idx]) != AsciiLower(b[char_idx])) return false;
  }
  return true;
}

absl::StatusOr<std::string> UrlDecode(std::string_view text, bool plus_as_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t pos = 0; pos < text.size(); ++pos) {
    char c = text[pos];
    if (c == '%') {
      if (pos + 2 >= text.size()) {
        return absl::InvalidArgumentError("truncated %-escape in URL");
      }
      int hi = HexValue(text[pos + 1]);
      int lo = HexValue(text[pos + 2]);
      if (hi < 0 || lo < 0) return absl::InvalidArgumentError("invalid %-escape in URL");
      out.push_back(static_cast<char>(hi * 16 + lo));
      pos += 2;
    } else if (c == '+' && plus_as_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string UrlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

absl::StatusOr<ParamList> ParseQuery(std::string_view text) {
  ParamList out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('&', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view piece = text.substr(start, end - start);
    if (!piece.empty()) {
      size_t eq = piece.find('=');
      std::string_view raw_name = piece.substr(0, eq);
      std::string_view raw_value =
          eq == std::string_view::npos ? std::string_view() : piece.substr(eq + 1);
      absl::StatusOr<std::string> name = UrlDecode(raw_name, /*plus_as_space=*/true);
      if (!name.ok()) return name.status();
      absl::StatusOr<std::string> value = UrlDecode(raw_value, /*plus_as_space=*/true);
      if (!value.ok()) return value.status();
      out.emplace_back(std::move(*name), std::move(*value));
    }
    start = end + 1;
  }
  return out;
}

std::string JsonEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out.push_back(c);
        }
    }
  }
  return out;
}

absl::Status Request::SetTarget(std::string raw_target) {
  target = std::move(raw_target);
  if (target.empty() || target[0] != '/') {
    return absl::InvalidArgumentError("request target must start with '/'");
  }
  size_t qmark = target.find('?');
  std::string_view raw_path = std::string_view(target).substr(0, qmark);
  query = qmark == std::string::npos ? std::string() : target.substr(qmark + 1);
  absl::StatusOr<std::string> decoded = UrlDecode(raw_path);
  if (!decoded.ok()) return decoded.status();
  path = std::move(*decoded);
  query_params.clear();
  if (!query.empty()) {
    absl::StatusOr<ParamList> parsed = ParseQuery(query);
    if (!parsed.ok()) return parsed.status();
    query_params = std::move(*parsed);
  }
  return absl::OkStatus();
}

std::optional<std::string> Request::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoreCase(key, name)) return value;
  }
  return std::nullopt;
}

std::string Request::PathParam(std::string_view name) const {
  for (const auto& [key, value] : path_params) {
    if (key == name) return value;
  }
  return std::string();
}

std::optional<std::string> Request::QueryParam(std::string_view name) const {
  for (const auto& [key, value] : query_params) {
    if (key == name) return value;
  }
  return std::nullopt;
}

std::vector<std::string> Request::QueryParams(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [key, value] : query_params) {
    if (key == name) out.push_back(value);
  }
  return out;
}

bool Request::HasDuplicateQueryParam() const {
  // Query strings are short; quadratic is cheaper than hashing here.
  for (size_t first = 0; first < query_params.size(); ++first) {
    for (size_t second = first + 1; second < query_params.size(); ++second) {
      if (query_params[first].first == query_params[second].first) return true;
    }
  }
  return false;
}

void Response::SetHeader(std::string name, std::string value) {
  for (auto& [key, existing] : headers) {
    if (EqualsIgnoreCase(key, name)) {
      existing = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

std::optional<std::string> Response::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoreCase(key, name)) return value;
  }
  return std::nullopt;
}

Response Response::Json(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

Response Response::Text(int status, std::string body) {
  Response r;
  r.status = status;
  r.content_type = "text/plain; charset=utf-8";
  r.body = std::move(body);
  return r;
}

Response Response::Html(int status, std::string body) {
  Response r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  r.body = std::move(body);
  return r;
}

std::string_view StatusReason(int status) {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 428: return "Precondition Required";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Unknown";
  }
}

Response ProblemResponse(int status, std::string_view detail) {
  Response r;
  r.status = status;
  r.content_type = "application/problem+json";
  r.body = "{\"type\":\"about:blank\",\"title\":\"";
  r.body += StatusReason(status);
  r.body += "\",\"status\":";
  r.body += std::to_string(status);
  r.body += ",\"detail\":\"";
  r.body += JsonEscape(detail);
  r.body += "\"}";
  return r;
}

}  // namespace onestop::http
