#include "open311/multipart.h"

#include <optional>

#include "absl/strings/ascii.h"

namespace onestop::open311 {
namespace {

absl::Status Bad(std::string_view what) {
  return absl::InvalidArgumentError("malformed multipart/form-data body: " + std::string(what));
}

// std::string_view helpers (Debian's abseil has its own string_view type).
std::string_view Trim(std::string_view s) {
  while (!s.empty() && absl::ascii_isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && absl::ascii_isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}
std::string Lower(std::string_view s) { return absl::AsciiStrToLower(std::string(s)); }

// Splits `value` of a header like `form-data; name="a"; filename="b.jpg"` into
// its first token and its parameters. Quoted strings may hold ';' and '\"'.
struct HeaderValue {
  std::string token;
  std::vector<std::pair<std::string, std::string>> params;
};

std::optional<HeaderValue> ParseHeaderValue(std::string_view value) {
  HeaderValue out;
  size_t pos = value.find(';');
  out.token = Lower(Trim(value.substr(0, pos)));
  while (pos != std::string_view::npos && pos < value.size()) {
    ++pos;  // past ';'
    while (pos < value.size() && (value[pos] == ' ' || value[pos] == '\t')) ++pos;
    if (pos >= value.size()) break;
    size_t eq = value.find('=', pos);
    if (eq == std::string_view::npos) return std::nullopt;
    std::string key = Lower(Trim(value.substr(pos, eq - pos)));
    if (key.empty()) return std::nullopt;
    pos = eq + 1;
    while (pos < value.size() && (value[pos] == ' ' || value[pos] == '\t')) ++pos;
    std::string param;
    if (pos < value.size() && value[pos] == '"') {
      ++pos;
      bool closed = false;
      while (pos < value.size()) {
        char ch = value[pos++];
        if (ch == '\\' && pos < value.size()) {
          param += value[pos++];
        } else if (ch == '"') {
          closed = true;
          break;
        } else {
          param += ch;
        }
      }
      if (!closed) return std::nullopt;
      while (pos < value.size() && (value[pos] == ' ' || value[pos] == '\t')) ++pos;
      if (pos < value.size() && value[pos] != ';') return std::nullopt;
    } else {
      size_t end = value.find(';', pos);
      param = std::string(Trim(value.substr(pos, end == std::string_view::npos ? end : end - pos)));
      pos = end;
    }
    out.params.emplace_back(std::move(key), std::move(param));
    if (pos != std::string_view::npos && pos < value.size() && value[pos] != ';') pos = value.find(';', pos);
  }
  return out;
}

}  // namespace

absl::StatusOr<std::string> MultipartBoundary(std::string_view content_type) {
  auto parsed = ParseHeaderValue(content_type);
  if (!parsed || parsed->token != "multipart/form-data") {
    return absl::InvalidArgumentError("Content-Type is not multipart/form-data");
  }
  for (const auto& [key, value] : parsed->params) {
    if (key != "boundary") continue;
    if (value.empty() || value.size() > 70) {
      return absl::InvalidArgumentError("the multipart boundary must have 1 to 70 characters");
    }
    for (unsigned char ch : value) {
      if (ch < 0x20 || ch > 0x7e) {
        return absl::InvalidArgumentError("the multipart boundary has a character not allowed");
      }
    }
    return value;
  }
  return absl::InvalidArgumentError("multipart/form-data without a boundary");
}

absl::StatusOr<std::vector<MultipartPart>> ParseMultipart(std::string_view body,
                                                          std::string_view boundary,
                                                          const MultipartLimits& limits) {
  if (boundary.empty()) return Bad("empty boundary");
  const std::string delimiter = "--" + std::string(boundary);
  const std::string inner_delimiter = "\r\n" + delimiter;
  // The first delimiter: at the very start, or after a preamble ending in CRLF.
  size_t pos = 0;
  if (body.substr(0, delimiter.size()) != delimiter) {
    size_t found = body.find(inner_delimiter);
    if (found == std::string_view::npos) return Bad("no boundary delimiter");
    pos = found + 2;
  }
  std::vector<MultipartPart> parts;
  while (true) {
    pos += delimiter.size();  // at the end of a delimiter
    if (body.substr(pos, 2) == "--") return parts;  // close delimiter; epilogue ignored
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;  // padding
    if (body.substr(pos, 2) != "\r\n") return Bad("delimiter not followed by CRLF");
    pos += 2;
    if (parts.size() >= limits.max_parts) return Bad("too many parts");

    MultipartPart part;
    bool have_disposition = false;
    size_t header_start = pos;
    while (true) {  // header lines up to an empty line
      size_t eol = body.find("\r\n", pos);
      if (eol == std::string_view::npos) return Bad("part headers not terminated by CRLF");
      if (eol - header_start > limits.max_header_bytes) return Bad("part headers too long");
      std::string_view line = body.substr(pos, eol - pos);
      pos = eol + 2;
      if (line.empty()) break;
      size_t colon = line.find(':');
      if (colon == std::string_view::npos || colon == 0) return Bad("header line without a name");
      std::string name = Lower(Trim(line.substr(0, colon)));
      std::string_view value = Trim(line.substr(colon + 1));
      if (name == "content-disposition") {
        if (have_disposition) return Bad("two Content-Disposition headers in one part");
        auto parsed = ParseHeaderValue(value);
        if (!parsed || parsed->token != "form-data") return Bad("Content-Disposition is not form-data");
        bool have_name = false;
        for (auto& [key, param] : parsed->params) {
          if (key == "name") {
            part.name = param;
            have_name = true;
          } else if (key == "filename") {
            part.filename = param;
            part.has_filename = true;
          }
        }
        if (!have_name || part.name.empty()) return Bad("part without a name");
        have_disposition = true;
      } else if (name == "content-type") {
        part.content_type = std::string(value);
      }
    }
    if (!have_disposition) return Bad("part without Content-Disposition");
    size_t end = body.find(inner_delimiter, pos);
    if (end == std::string_view::npos) return Bad("part not closed by a boundary delimiter");
    part.data = std::string(body.substr(pos, end - pos));
    parts.push_back(std::move(part));
    pos = end + 2;  // at the next delimiter
  }
}

}  // namespace onestop::open311
