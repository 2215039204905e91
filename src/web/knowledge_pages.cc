// The portal's knowledge pages: /search (public articles and services, with
// highlighted snippets and "Did you mean"), /articles/{id} (a published
// public article, rendered from Markdown by markdown/, sanitised) and its
// "Did this answer your question?" form.
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "markdown/markdown.h"
#include "web/context.h"

namespace onestop::web {
namespace {

http::Response NotFoundPage(const WebContext& ctx) {
  View v;
  v.Set("heading", "Page not found").Set("message", "If you typed the web address, check it is correct.")
      .Set("link_href", "/search").Set("link_text", "Search the site");
  return Page(ctx, 404, "message", "Page not found", v);
}

http::Response SearchPage(WebContext& ctx, http::Request& request) {
  const std::string query(absl::StripAsciiWhitespace(request.QueryParam("q").value_or("")));
  View v;
  v.Set("query", query);
  v.List("results");
  if (!query.empty()) {
    domain::SearchQuery q;
    q.text = query.substr(0, 500);
    q.limit = 20;
    absl::StatusOr<domain::SearchResult> result = ctx.search.Run(domain::Actor::Public(), q);
    if (!result.ok()) {
      v.Flag("unavailable", true);
    } else {
      for (const domain::SearchHit& hit : result->hits) {
        View item;
        item.Set("title", hit.title)
            .Set("href", hit.kind == "service" ? absl::StrCat("/services/", hit.id)
                                               : absl::StrCat("/articles/", hit.id))
            .Set("snippet_html", hit.snippet)  // escaped by the index, <mark> added
            .Set("kind", hit.kind == "service" ? "Service" : "Guidance");
        v.Add("results", item);
      }
      const size_t n = result->hits.size();
      v.Set("result_count", n == 1 ? "1 result" : absl::StrCat(n, " results"));
      if (!result->suggestion.empty()) {
        v.Set("suggestion", result->suggestion);
      }
    }
  }
  return Page(ctx, 200, "search", query.empty() ? "Search" : "Search results for " + query, v);
}

http::Response ArticlePage(WebContext& ctx, http::Request& request, const std::string& notice) {
  int64_t id = 0;
  if (!absl::SimpleAtoi(request.PathParam("id"), &id) || id <= 0) return NotFoundPage(ctx);
  absl::StatusOr<domain::Article> article = ctx.get_article.Run(domain::Actor::Public(), id);
  if (!article.ok()) return NotFoundPage(ctx);
  View v;
  v.Set("id", absl::StrCat(article->id))
      .Set("title", article->title)
      .Set("summary", article->summary)
      .Set("body_html", markdown::RenderMarkdown(article->body))
      .Set("updated", FormatDate(article->updated_at));
  if (!notice.empty()) v.Set("notice", notice);
  return Page(ctx, 200, "article", article->title, v);
}

http::Response ArticleGet(WebContext& ctx, http::Request& request) {
  return ArticlePage(ctx, request, "");
}

http::Response ArticleFeedback(WebContext& ctx, http::Request& request) {
  int64_t id = 0;
  if (!absl::SimpleAtoi(request.PathParam("id"), &id) || id <= 0) return NotFoundPage(ctx);
  http::ParamList form = FormBody(request);
  std::string answer;
  for (const auto& [key, value] : form) {
    if (key == "helpful") answer = value;
  }
  if (answer != "yes" && answer != "no") return ArticlePage(ctx, request, "");
  absl::Status status = ctx.record_article_feedback.Run(id, answer == "yes");
  if (!status.ok()) return NotFoundPage(ctx);
  return ArticlePage(ctx, request, "Thank you for your feedback.");
}

}  // namespace

void SetSearchIndex(WebContext& ctx, domain::SearchIndex* index) {
  ctx.search.SetIndex(index);
}

void RegisterKnowledgeRoutes(http::Router& router, WebContext& ctx) {
  router.Add("GET", "/search", [&ctx](http::Request& r) { return SearchPage(ctx, r); });
  router.Add("GET", "/articles/{id}", [&ctx](http::Request& r) { return ArticleGet(ctx, r); });
  router.Add("POST", "/articles/{id}/feedback",
             [&ctx](http::Request& r) { return ArticleFeedback(ctx, r); });
}

}  // namespace onestop::web
