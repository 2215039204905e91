// /api/v1/articles (knowledge base), /api/v1/search (staff),
// /api/v1/public/search and article feedback (no login), and marking a
// contact as answered from an article.
#include <boost/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "api/api.h"
#include "api/article_json.h"
#include "api/support.h"
#include "codec/json_reader.h"
#include "common/status.h"

namespace onestop::api {
namespace {

http::Response ArticleResponse(ApiContext& ctx, int status, const domain::Article& article,
                               const domain::Actor& actor) {
  http::Response response =
      JsonResponse(status, ArticleToJson(article, actor, ctx.deps.clock.Now()));
  response.SetHeader("ETag", ETagFor(article.version));
  return response;
}

absl::StatusOr<http::Response> ListArticlesHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_RETURN_IF_ERROR(RejectDuplicateQueryParams(request));
  codec::ErrorList errors;
  QueryReader query(request, errors);
  services::ArticleFilter filter;
  if (auto v = query.String("audience")) {
    filter.audience = domain::ParseArticleAudience(*v);
    if (!filter.audience) errors.Add("audience", "invalid", "audience_values");
  }
  if (auto v = query.String("status")) {
    filter.status = domain::ParseArticleStatus(*v);
    if (!filter.status) errors.Add("status", "invalid", "article_status_values");
  }
  filter.review_overdue = query.Bool("review_overdue").value_or(false);
  if (auto v = query.Int("owner_id", 1, INT64_MAX)) filter.owner_id = *v;
  ONESTOP_RETURN_IF_ERROR(errors.ToStatus("The query is not valid"));
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::Article> articles,
                           ctx.list_articles.Run(actor, filter));
  boost::json::array items;
  const absl::Time now = ctx.deps.clock.Now();
  for (const domain::Article& article : articles) items.push_back(ArticleToJson(article, actor, now));
  return JsonResponse(200, boost::json::object{{"items", std::move(items)}, {"next", nullptr}});
}

absl::StatusOr<http::Response> PostArticleHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(boost::json::value body, ParseJsonBody(request));
  ONESTOP_ASSIGN_OR_RETURN(domain::Article article, ArticleFromJson(body));
  ONESTOP_ASSIGN_OR_RETURN(domain::Article saved, ctx.create_article.Run(actor, article));
  if (ctx.search_wake) ctx.search_wake();
  http::Response response = ArticleResponse(ctx, 201, saved, actor);
  response.SetHeader("Location", absl::StrCat("/api/v1/articles/", saved.id));
  return response;
}

absl::StatusOr<http::Response> GetArticleHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(int64_t id, ParsePathId(request.PathParam("id")));
  ONESTOP_ASSIGN_OR_RETURN(domain::Article article, ctx.get_article.Run(actor, id));
  return ArticleResponse(ctx, 200, article, actor);
}

absl::StatusOr<http::Response> PatchArticleHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(int64_t id, ParsePathId(request.PathParam("id")));
  ONESTOP_ASSIGN_OR_RETURN(std::optional<int64_t> if_match, ParseIfMatch(request));
  ONESTOP_ASSIGN_OR_RETURN(boost::json::value body, ParseJsonBody(request));
  ONESTOP_ASSIGN_OR_RETURN(domain::Article article, ctx.get_article.Run(actor, id));
  ONESTOP_RETURN_IF_ERROR(ApplyArticlePatch(body, article));
  ONESTOP_ASSIGN_OR_RETURN(domain::Article saved, ctx.update_article.Run(actor, article, if_match));
  if (ctx.search_wake) ctx.search_wake();
  return ArticleResponse(ctx, 200, saved, actor);
}

absl::StatusOr<http::Response> ListVersionsHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(int64_t id, ParsePathId(request.PathParam("id")));
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::ArticleVersion> versions,
                           ctx.list_article_versions.Run(actor, id));
  boost::json::array items;
  for (const domain::ArticleVersion& v : versions) items.push_back(ArticleVersionToJson(v));
  return JsonResponse(200, boost::json::object{{"items", std::move(items)}, {"next", nullptr}});
}

absl::StatusOr<http::Response> FeedbackHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(int64_t id, ParsePathId(request.PathParam("id")));
  ONESTOP_ASSIGN_OR_RETURN(boost::json::value body, ParseJsonBody(request));
  codec::ErrorList errors;
  codec::ObjectReader in(body, "", errors);
  std::optional<bool> helpful = in.Bool("helpful", codec::Presence::kRequired);
  in.Finish();
  ONESTOP_RETURN_IF_ERROR(errors.ToStatus("The feedback is not valid"));
  ONESTOP_RETURN_IF_ERROR(ctx.record_article_feedback.Run(id, *helpful));
  return NoContent();
}

absl::StatusOr<http::Response> AnsweredHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(int64_t contact_id, ParsePathId(request.PathParam("id")));
  ONESTOP_ASSIGN_OR_RETURN(boost::json::value body, ParseJsonBody(request));
  codec::ErrorList errors;
  codec::ObjectReader in(body, "", errors);
  std::optional<int64_t> article_id = in.Int("article_id", codec::Presence::kRequired);
  in.Finish();
  ONESTOP_RETURN_IF_ERROR(errors.ToStatus("The request is not valid"));
  ONESTOP_RETURN_IF_ERROR(ctx.mark_contact_answered.Run(actor, contact_id, *article_id));
  return JsonResponse(200, boost::json::object{{"contact_id", contact_id},
                                               {"article_id", *article_id}});
}

// Shared by both search routes; the use case picks the scope from `actor`.
absl::StatusOr<http::Response> RunSearch(ApiContext& ctx, http::Request& request,
                                         const domain::Actor& actor) {
  ONESTOP_RETURN_IF_ERROR(RejectDuplicateQueryParams(request));
  codec::ErrorList errors;
  QueryReader query(request, errors);
  domain::SearchQuery q;
  q.text = query.String("q").value_or("");
  if (auto v = query.String("kind")) {
    for (absl::string_view kind : absl::StrSplit(*v, ',')) {
      std::string name(kind);
      if (name != "article" && name != "service" && name != "citizen" && name != "case") {
        errors.Add("kind", "invalid", "search_kind_values");
      }
      q.kinds.push_back(name);
    }
  }
  q.department = query.String("department").value_or("");
  q.service_code = query.String("service").value_or("");
  if (auto v = query.String("audience")) {
    q.audience = domain::ParseArticleAudience(*v);
    if (!q.audience) errors.Add("audience", "invalid", "audience_values");
  }
  q.as_you_type = query.Bool("as_you_type").value_or(false);
  q.limit = static_cast<int>(query.Int("limit", 1, 100).value_or(20));
  ONESTOP_RETURN_IF_ERROR(errors.ToStatus("The query is not valid"));
  ONESTOP_ASSIGN_OR_RETURN(domain::SearchResult result, ctx.search.Run(actor, q));
  http::Response response = JsonResponse(200, SearchResultToJson(result));
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

}  // namespace

void RegisterArticleRoutes(http::Router& router, ApiContext& ctx) {
  AddRoute(router, "GET", "/api/v1/articles",
           [&ctx](http::Request& r) { return ListArticlesHandler(ctx, r); });
  AddRoute(router, "POST", "/api/v1/articles",
           [&ctx](http::Request& r) { return PostArticleHandler(ctx, r); });
  AddRoute(router, "GET", "/api/v1/articles/{id}",
           [&ctx](http::Request& r) { return GetArticleHandler(ctx, r); });
  AddRoute(router, "PATCH", "/api/v1/articles/{id}",
           [&ctx](http::Request& r) { return PatchArticleHandler(ctx, r); });
  AddRoute(router, "GET", "/api/v1/articles/{id}/versions",
           [&ctx](http::Request& r) { return ListVersionsHandler(ctx, r); });
  AddRoute(router, "POST", "/api/v1/public/articles/{id}/feedback",
           [&ctx](http::Request& r) { return FeedbackHandler(ctx, r); });
  AddRoute(router, "POST", "/api/v1/contacts/{id}/answered-by",
           [&ctx](http::Request& r) { return AnsweredHandler(ctx, r); });
  AddRoute(router, "GET", "/api/v1/search", [&ctx](http::Request& r) -> absl::StatusOr<http::Response> {
    ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, r));
    return RunSearch(ctx, r, actor);
  });
  AddRoute(router, "GET", "/api/v1/public/search", [&ctx](http::Request& r) {
    return RunSearch(ctx, r, domain::Actor::Public());
  });
}

}  // namespace onestop::api
