// One response tree, two wire formats. Open311 GeoReport v2 answers every
// resource in XML (required by the spec) and JSON (by suffix); the element
// names are the same in both, and the JSON form turns list wrappers into
// arrays ("<services><service>…" → "[{…}]"). Handlers build a Node tree once
// and render it with RenderXml or RenderJson.
//
// Text is made safe for both formats here: invalid UTF-8 becomes U+FFFD and
// characters that XML 1.0 does not allow (C0 controls except tab/LF/CR,
// U+FFFE/U+FFFF, surrogates) are dropped, then XML escapes &, <, >, " and '.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace onestop::open311 {

enum class Format { kXml, kJson };

// "xml" / "json" → Format; anything else → false.
bool ParseFormat(std::string_view suffix, Format* out);
// "text/xml; charset=utf-8" or "application/json; charset=utf-8".
std::string_view ContentType(Format format);

struct Node {
  enum class Kind { kText, kNumber, kBool, kNull, kObject, kList };
  std::string name;
  Kind kind = Kind::kText;
  std::string text;            // kText, kNumber ("51.5"), kBool ("true"/"false")
  std::vector<Node> children;  // kObject members / kList items

  static Node Text(std::string name, std::string value);
  static Node Number(std::string name, std::string value);  // value must be a JSON number
  static Node Bool(std::string name, bool value);
  static Node Null(std::string name);  // empty element in XML, null in JSON
  static Node Object(std::string name, std::vector<Node> members = {});
  // XML: <name><item/>…</name>; JSON: [item, …]. Items are named by the caller.
  static Node List(std::string name, std::vector<Node> items = {});
};

// `<?xml version="1.0" encoding="utf-8"?>` and the tree, no namespace.
std::string RenderXml(const Node& root);
// The root's value: an array for a kList root, an object for a kObject root.
std::string RenderJson(const Node& root);
std::string Render(const Node& root, Format format);

// Valid UTF-8 without characters XML 1.0 forbids (see the file comment).
std::string SanitizeText(std::string_view text);
// True if `text` is well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF).
bool IsValidUtf8(std::string_view text);
// Number of code points in valid UTF-8 `text`.
size_t Utf8Length(std::string_view text);

}  // namespace onestop::open311
