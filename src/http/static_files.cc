// Router::AddStaticDir and content types: serving files from a directory.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "http/router.h"

namespace onestop::http {
namespace {

namespace fs = std::filesystem;

bool IfNoneMatchHits(std::string_view header, std::string_view etag) {
  size_t start = 0;
  while (start < header.size()) {
    size_t end = header.find(',', start);
    if (end == std::string_view::npos) end = header.size();
    std::string_view item = header.substr(start, end - start);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (item.substr(0, 2) == "W/") item.remove_prefix(2);  // weak comparison for GET
    if (item == "*" || item == etag) return true;
    start = end + 1;
  }
  return false;
}

// The relative path must not climb out: no "..", no empty or absolute pieces.
bool SafeRelativePath(std::string_view rel) {
  if (rel.empty() || rel.front() == '/') return false;
  if (rel.find('\0') != std::string_view::npos || rel.find('\\') != std::string_view::npos) {
    return false;
  }
  size_t start = 0;
  while (start <= rel.size()) {
    size_t end = rel.find('/', start);
    if (end == std::string_view::npos) end = rel.size();
    std::string_view piece = rel.substr(start, end - start);
    if (piece.empty() || piece == "." || piece == "..") return false;
    start = end + 1;
  }
  return true;
}

Response ServeFile(const fs::path& root, const std::string& cache_control, Request& req) {
  std::string rel = req.PathParam("path");
  if (!SafeRelativePath(rel)) return ProblemResponse(404, "No such file.");
  std::error_code ec;
  fs::path full = fs::weakly_canonical(root / rel, ec);
  if (ec) return ProblemResponse(404, "No such file.");
  // Symlinks pointing outside the directory are refused as well.
  auto [root_end, full_it] = std::mismatch(root.begin(), root.end(), full.begin(), full.end());
  if (root_end != root.end() || !fs::is_regular_file(full, ec)) {
    return ProblemResponse(404, "No such file.");
  }
  uintmax_t size = fs::file_size(full, ec);
  if (ec) return ProblemResponse(404, "No such file.");
  auto mtime = fs::last_write_time(full, ec);
  if (ec) return ProblemResponse(404, "No such file.");
  char etag_buf[64];
  std::snprintf(etag_buf, sizeof(etag_buf), "\"%jx-%llx\"", size,
                static_cast<unsigned long long>(mtime.time_since_epoch().count()));
  std::string etag = etag_buf;

  Response res;
  res.content_type = std::string(ContentTypeForPath(full.filename().string()));
  res.SetHeader("Cache-Control", cache_control);
  res.SetHeader("ETag", etag);
  if (std::optional<std::string> inm = req.Header("If-None-Match"); inm && IfNoneMatchHits(*inm, etag)) {
    res.status = 304;
    return res;
  }
  std::ifstream in(full, std::ios::binary);
  if (!in) return ProblemResponse(404, "No such file.");
  res.body.resize(size);
  in.read(res.body.data(), static_cast<std::streamsize>(size));
  res.body.resize(static_cast<size_t>(in.gcount()));
  return res;
}

}  // namespace

std::string_view ContentTypeForPath(std::string_view path) {
  size_t dot = path.rfind('.');
  if (dot == std::string_view::npos) return "application/octet-stream";
  std::string ext(path.substr(dot + 1));
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  struct Entry {
    std::string_view ext;
    std::string_view type;
  };
  static constexpr Entry kTypes[] = {
      {"html", "text/html; charset=utf-8"},
      {"htm", "text/html; charset=utf-8"},
      {"css", "text/css; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"},
      {"json", "application/json"},
      {"map", "application/json"},
      {"txt", "text/plain; charset=utf-8"},
      {"csv", "text/csv; charset=utf-8"},
      {"xml", "application/xml"},
      {"svg", "image/svg+xml"},
      {"png", "image/png"},
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"gif", "image/gif"},
      {"webp", "image/webp"},
      {"ico", "image/x-icon"},
      {"woff", "font/woff"},
      {"woff2", "font/woff2"},
      {"pdf", "application/pdf"},
      {"webmanifest", "application/manifest+json"},
      {"yaml", "application/yaml"},
      {"yml", "application/yaml"},
  };
  for (const Entry& entry : kTypes) {
    if (entry.ext == ext) return entry.type;
  }
  return "application/octet-stream";
}

void Router::AddStaticDir(std::string prefix, std::string dir, StaticDirOptions options) {
  std::error_code ec;
  fs::path root = fs::weakly_canonical(fs::path(dir), ec);
  if (ec) root = fs::path(dir);
  if (!root.has_filename()) root = root.parent_path();  // "dir/" → "dir"
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  Add("GET", prefix + "/{path...}",
      [root, cache_control = options.cache_control](Request& req) {
        return ServeFile(root, cache_control, req);
      },
      RouteOptions{.blocking = options.blocking});
}

}  // namespace onestop::http
