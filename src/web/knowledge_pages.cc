// The portal's knowledge pages: /search (public articles and services, with
// highlighted snippets and "Did you mean"), /articles/{id} (a published
// public article, rendered from Markdown by markdown/, sanitised) and its
// "Did this answer your question?" form.
#include <kainjow/mustache.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "markdown/markdown.h"
#include "web/context.h"

namespace onestop::web {
namespace {

std::string HtmlEscape(const std::string& text) { return kainjow::mustache::html_escape<std::string>(text); }

http::Response NotFoundPage(const WebContext& ctx, const Reader& r) {
  const i18n::Translator& tr = *r.tr;
  View v;
  v.Set("heading", tr("Page not found")).Set("message", tr("If you typed the web address, check it is correct."))
      .Set("link_href", "/search").Set("link_text", tr("Search the site"));
  return Page(ctx, r, 404, "message", tr("Page not found"), v);
}

http::Response SearchPage(WebContext& ctx, http::Request& request) {
  const Reader r = ReaderOf(ctx, request, false);
  const i18n::Translator& tr = *r.tr;
  const std::string& lang = tr.lang();
  auto snapshot = ctx.deps.catalogue.Get();
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
        // The index holds the English titles; name the hit in the reader's language.
        // The index holds the English texts; a Welsh reader gets the
        // record's Welsh title and summary where it has them.
        std::string title = hit.title;
        std::string snippet_html = hit.snippet;  // escaped by the index, <mark> added
        if (lang != "en" && hit.kind == "service" && snapshot.ok()) {
          for (const auto& s : (*snapshot)->services) {
            if (s.code != hit.id || !s.translations.contains(lang)) continue;
            title = domain::NameIn(s, lang);
            snippet_html = HtmlEscape(domain::DescriptionIn(s, lang));
          }
        } else if (lang != "en") {
          int64_t article_id = 0;
          if (absl::SimpleAtoi(hit.id, &article_id)) {
            auto article = ctx.get_article.Run(domain::Actor::Public(), article_id);
            if (article.ok() && article->translations.contains(lang)) {
              title = domain::TitleIn(*article, lang);
              snippet_html = HtmlEscape(domain::SummaryIn(*article, lang));
            }
          }
        }
        item.Set("title", title)
            .Set("href", hit.kind == "service" ? absl::StrCat("/services/", hit.id)
                                               : absl::StrCat("/articles/", hit.id))
            .Set("snippet_html", snippet_html)
            .Set("kind", hit.kind == "service" ? tr("Service") : tr("Guidance"));
        v.Add("results", item);
      }
      const size_t n = result->hits.size();
      v.Set("result_count", i18n::Substitute(tr.Plural("{n} result", "{n} results", n),
                                             {{"n", std::to_string(n)}}));
      if (!result->suggestion.empty()) {
        v.Set("suggestion", result->suggestion);
      }
    }
  }
  return Page(ctx, r, 200, "search",
              query.empty() ? std::string(tr("Search"))
                            : i18n::Substitute(tr("Search results for ‘{query}’"), {{"query", query}}),
              v);
}

// `notice`: a message id, or null.
http::Response ArticlePage(WebContext& ctx, http::Request& request, const char* notice) {
  const Reader r = ReaderOf(ctx, request, false);
  const i18n::Translator& tr = *r.tr;
  const std::string& lang = tr.lang();
  int64_t id = 0;
  if (!absl::SimpleAtoi(request.PathParam("id"), &id) || id <= 0) return NotFoundPage(ctx, r);
  absl::StatusOr<domain::Article> article = ctx.get_article.Run(domain::Actor::Public(), id);
  if (!article.ok()) return NotFoundPage(ctx, r);
  const std::string& title = domain::TitleIn(*article, lang);
  View v;
  v.Set("id", absl::StrCat(article->id))
      .Set("title", title)
      .Set("summary", domain::SummaryIn(*article, lang))
      .Set("body_html", markdown::RenderMarkdown(domain::BodyIn(*article, lang)))
      .Set("updated", tr.Date(article->updated_at));
  // No translation: the English text, marked as English for screen readers.
  if (lang != "en" && !article->translations.contains(lang)) v.Set("content_lang", "en");
  if (notice != nullptr) v.Set("notice", tr(notice));
  return Page(ctx, r, 200, "article", title, v);
}

http::Response ArticleGet(WebContext& ctx, http::Request& request) {
  return ArticlePage(ctx, request, nullptr);
}

http::Response ArticleFeedback(WebContext& ctx, http::Request& request) {
  int64_t id = 0;
  if (!absl::SimpleAtoi(request.PathParam("id"), &id) || id <= 0) {
    return NotFoundPage(ctx, ReaderOf(ctx, request, false));
  }
  http::ParamList form = FormBody(request);
  std::string answer;
  for (const auto& [key, value] : form) {
    if (key == "helpful") answer = value;
  }
  if (answer != "yes" && answer != "no") return ArticlePage(ctx, request, nullptr);
  absl::Status status = ctx.record_article_feedback.Run(id, answer == "yes");
  if (!status.ok()) return NotFoundPage(ctx, ReaderOf(ctx, request, false));
  return ArticlePage(ctx, request, N_("Thank you for your feedback."));
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
