#include "markdown/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include <cstdlib>
#include <mutex>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace onestop::markdown {
namespace {

void RegisterExtensionsOnce() {
  static std::once_flag once;
  std::call_once(once, [] { cmark_gfm_core_extensions_ensure_registered(); });
}

// Parses with the GFM extensions and renders with `render`.
template <typename Render>
std::string WithDocument(std::string_view text, Render render) {
  RegisterExtensionsOnce();
  const int options = CMARK_OPT_SAFE | CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE;
  cmark_parser* parser = cmark_parser_new(options);
  for (const char* name : {"table", "strikethrough", "autolink"}) {
    if (cmark_syntax_extension* ext = cmark_find_syntax_extension(name)) {
      cmark_parser_attach_syntax_extension(parser, ext);
    }
  }
  cmark_parser_feed(parser, text.data(), text.size());
  cmark_node* doc = cmark_parser_finish(parser);
  char* out = render(doc, options, cmark_parser_get_syntax_extensions(parser));
  std::string result = out ? out : "";
  free(out);
  cmark_node_free(doc);
  cmark_parser_free(parser);
  return result;
}

}  // namespace

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += ch;
    }
  }
  return out;
}

bool IsSanitisedHtml(std::string_view html) {
  static const std::set<std::string, std::less<>> kAllowed = {
      "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "a", "em", "strong", "del",
      "code", "pre", "blockquote", "hr", "br", "table", "thead", "tbody", "tr", "th", "td", "img",
      "input"};
  // What CMARK_OPT_SAFE leaves in place of raw HTML.
  static constexpr std::string_view kOmitted = "<!-- raw HTML omitted -->";
  size_t pos = 0;
  while ((pos = html.find('<', pos)) != std::string_view::npos) {
    if (html.substr(pos, kOmitted.size()) == kOmitted) {
      pos += kOmitted.size();
      continue;
    }
    size_t end = html.find('>', pos);
    if (end == std::string_view::npos) return false;
    std::string_view tag = html.substr(pos + 1, end - pos - 1);
    if (!tag.empty() && tag.front() == '/') tag.remove_prefix(1);
    size_t name_end = 0;
    while (name_end < tag.size() && absl::ascii_isalnum(static_cast<unsigned char>(tag[name_end]))) {
      ++name_end;
    }
    std::string name = absl::AsciiStrToLower(std::string(tag.substr(0, name_end)));
    if (!kAllowed.contains(name)) return false;
    std::string attrs = absl::AsciiStrToLower(std::string(tag.substr(name_end)));
    if (absl::StrContains(attrs, " on") || absl::StrContains(attrs, "style=") ||
        absl::StrContains(attrs, "javascript:")) {
      return false;
    }
    if (name == "input" && !absl::StrContains(attrs, "type=\"checkbox\"")) return false;
    pos = end + 1;
  }
  return true;
}

std::string RenderMarkdown(std::string_view markdown) {
  std::string html = WithDocument(markdown, [](cmark_node* doc, int options, cmark_llist* exts) {
    return cmark_render_html(doc, options, exts);
  });
  if (!IsSanitisedHtml(html)) return "<p>" + EscapeHtml(MarkdownToText(markdown)) + "</p>\n";
  return html;
}

std::string MarkdownToText(std::string_view markdown) {
  return WithDocument(markdown, [](cmark_node* doc, int options, cmark_llist*) {
    return cmark_render_plaintext(doc, options, 0);
  });
}

}  // namespace onestop::markdown
