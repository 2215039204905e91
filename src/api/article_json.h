// JSON ⇄ knowledge-base articles and search results for the API.
//
// Article JSON: {"id","title","summary","body" (Markdown),"body_html"
// (sanitised),"audience":"public"|"staff","status":"published"|"draft",
// "service_codes":[],"departments":[],"keywords":[],"owner_id",
// "review_date":"YYYY-MM-DD"|null,"review_overdue","version","created_at",
// "updated_at","updated_by"} plus "feedback":{"helpful_yes","helpful_no",
// "resolved_contacts"} when the caller may see the counts (the owner,
// supervisors and admins).
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/article.h"
#include "domain/search_index.h"
#include "domain/staff.h"

namespace onestop::api {

boost::json::object ArticleToJson(const domain::Article& article, const domain::Actor& actor,
                                  absl::Time now);
boost::json::object ArticleVersionToJson(const domain::ArticleVersion& version);
// A new article (POST): title and body required; audience defaults to
// public, status to draft.
absl::StatusOr<domain::Article> ArticleFromJson(const boost::json::value& json);
// A PATCH: only the keys present change `article`.
absl::Status ApplyArticlePatch(const boost::json::value& json, domain::Article& article);
boost::json::object SearchResultToJson(const domain::SearchResult& result);

}  // namespace onestop::api
