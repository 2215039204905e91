#include "open311/render.h"

#include <boost/json.hpp>

namespace onestop::open311 {
namespace {

// Decodes one code point at text[pos]; returns its length, or 0 if the bytes
// there are not well-formed UTF-8.
size_t DecodeUtf8(std::string_view text, size_t pos, char32_t* out) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(pos);
  if (lead < 0x80) {
    *out = lead;
    return 1;
  }
  size_t len = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if ((lead & 0xE0) == 0xC0) {
    len = 2, cp = lead & 0x1F, min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    len = 3, cp = lead & 0x0F, min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    len = 4, cp = lead & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (pos + len > text.size()) return 0;
  for (size_t i = 1; i < len; ++i) {
    if ((byte(pos + i) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(pos + i) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  *out = cp;
  return len;
}

bool AllowedInXml(char32_t cp) {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
         (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

void AppendXmlEscaped(std::string& out, std::string_view text) {
  for (char ch : SanitizeText(text)) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\r': out += "&#13;"; break;  // keep CR through XML end-of-line handling
      default: out += ch;
    }
  }
}

void AppendXml(std::string& out, const Node& node) {
  out += '<';
  out += node.name;
  out += '>';
  switch (node.kind) {
    case Node::Kind::kText:
    case Node::Kind::kNumber:
    case Node::Kind::kBool:
      AppendXmlEscaped(out, node.text);
      break;
    case Node::Kind::kNull:
      break;
    case Node::Kind::kObject:
    case Node::Kind::kList:
      for (const Node& child : node.children) AppendXml(out, child);
      break;
  }
  out += "</";
  out += node.name;
  out += '>';
}

boost::json::value ToJson(const Node& node) {
  switch (node.kind) {
    case Node::Kind::kText:
      return boost::json::string(SanitizeText(node.text));
    case Node::Kind::kNumber: {
      boost::system::error_code ec;
      boost::json::value v = boost::json::parse(node.text, ec);
      if (ec || !v.is_number()) return boost::json::string(SanitizeText(node.text));
      return v;
    }
    case Node::Kind::kBool:
      return node.text == "true";
    case Node::Kind::kNull:
      return nullptr;
    case Node::Kind::kObject: {
      boost::json::object out;
      for (const Node& child : node.children) out[child.name] = ToJson(child);
      return out;
    }
    case Node::Kind::kList: {
      boost::json::array out;
      for (const Node& child : node.children) out.push_back(ToJson(child));
      return out;
    }
  }
  return nullptr;
}

}  // namespace

bool ParseFormat(std::string_view suffix, Format* out) {
  if (suffix == "xml") {
    *out = Format::kXml;
    return true;
  }
  if (suffix == "json") {
    *out = Format::kJson;
    return true;
  }
  return false;
}

std::string_view ContentType(Format format) {
  return format == Format::kXml ? "text/xml; charset=utf-8" : "application/json; charset=utf-8";
}

Node Node::Text(std::string name, std::string value) {
  return Node{std::move(name), Kind::kText, std::move(value), {}};
}
Node Node::Number(std::string name, std::string value) {
  return Node{std::move(name), Kind::kNumber, std::move(value), {}};
}
Node Node::Bool(std::string name, bool value) {
  return Node{std::move(name), Kind::kBool, value ? "true" : "false", {}};
}
Node Node::Null(std::string name) { return Node{std::move(name), Kind::kNull, "", {}}; }
Node Node::Object(std::string name, std::vector<Node> members) {
  return Node{std::move(name), Kind::kObject, "", std::move(members)};
}
Node Node::List(std::string name, std::vector<Node> items) {
  return Node{std::move(name), Kind::kList, "", std::move(items)};
}

std::string RenderXml(const Node& root) {
  std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
  AppendXml(out, root);
  out += '\n';
  return out;
}

std::string RenderJson(const Node& root) { return boost::json::serialize(ToJson(root)); }

std::string Render(const Node& root, Format format) {
  return format == Format::kXml ? RenderXml(root) : RenderJson(root);
}

std::string SanitizeText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    char32_t cp = 0;
    size_t len = DecodeUtf8(text, pos, &cp);
    if (len == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++pos;
      continue;
    }
    if (AllowedInXml(cp)) out.append(text.substr(pos, len));
    pos += len;
  }
  return out;
}

bool IsValidUtf8(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    char32_t cp = 0;
    size_t len = DecodeUtf8(text, pos, &cp);
    if (len == 0) return false;
    pos += len;
  }
  return true;
}

size_t Utf8Length(std::string_view text) {
  size_t count = 0;
  for (char ch : text) count += (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
  return count;
}

}  // namespace onestop::open311
