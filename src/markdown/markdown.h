// Markdown → HTML and plain text for knowledge-base articles (cmark-gfm).
//
// RenderMarkdown: CommonMark + GFM tables, strikethrough and autolinks,
// rendered with CMARK_OPT_SAFE (raw HTML and unsafe link schemes removed);
// the result then passes IsSanitisedHtml or is replaced by the escaped text.
// Stateless; any thread.
#pragma once

#include <string>
#include <string_view>

namespace onestop::markdown {

std::string RenderMarkdown(std::string_view markdown);

// The text of the document without markup (for indexing and snippets).
std::string MarkdownToText(std::string_view markdown);

// True when every tag in `html` is one cmark emits (p, h1–h6, ul, ol, li, a,
// em, strong, del, code, pre, blockquote, hr, br, table parts, img) with no
// event-handler or style attributes and no raw "<script".
bool IsSanitisedHtml(std::string_view html);

std::string EscapeHtml(std::string_view text);

}  // namespace onestop::markdown
