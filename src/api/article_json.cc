#include "api/article_json.h"

#include <boost/json.hpp>

#include "absl/strings/str_format.h"
#include "codec/json_reader.h"
#include "common/status.h"
#include "common/time_format.h"
#include "markdown/markdown.h"

namespace onestop::api {
namespace {

using codec::ErrorList;
using codec::ObjectReader;
using codec::Presence;

constexpr std::string_view kAudienceNames = "public, staff";
constexpr std::string_view kStatusNames = "published, draft";

boost::json::array Strings(const std::vector<std::string>& values) {
  boost::json::array out;
  for (const std::string& v : values) out.push_back(boost::json::string(v));
  return out;
}

std::string DateText(absl::Time t) {
  absl::CivilDay day = absl::ToCivilDay(t, absl::UTCTimeZone());
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

// Reads every key a POST or PATCH may carry into `a`.
void ReadFields(ObjectReader& in, ErrorList& errors, domain::Article& a, bool create) {
  const Presence required = create ? Presence::kRequired : Presence::kOptional;
  if (auto v = in.String("title", required)) a.title = *v;
  if (auto v = in.String("body", required)) a.body = *v;
  if (auto v = in.String("summary")) a.summary = *v;
  if (auto v = in.Enum("audience", domain::ParseArticleAudience, kAudienceNames)) a.audience = *v;
  if (auto v = in.Enum("status", domain::ParseArticleStatus, kStatusNames)) a.status = *v;
  if (auto v = in.StringArray("service_codes")) a.service_codes = *v;
  if (auto v = in.StringArray("departments")) a.departments = *v;
  if (auto v = in.StringArray("keywords")) a.keywords = *v;
  if (auto v = in.Int("owner_id")) {
    if (*v < 1) errors.Add("owner_id", "invalid", "staff_id_format");
    a.owner_id = *v;
  }
  if (in.Has("review_date")) {
    if (auto v = in.String("review_date")) {
      absl::CivilDay day;
      if (v->size() == 10 && absl::ParseCivilTime(*v, &day)) {
        a.review_at = absl::FromCivil(day, absl::UTCTimeZone());
      } else {
        errors.Add("review_date", "invalid", "date_format");
      }
    }
  } else if (in.Raw("review_date") == nullptr && !create) {
    // Absent: unchanged. (An explicit null is read above as absent too.)
  }
}

}  // namespace

boost::json::object ArticleToJson(const domain::Article& a, const domain::Actor& actor,
                                  absl::Time now) {
  boost::json::object out;
  out["id"] = a.id;
  out["title"] = a.title;
  out["summary"] = a.summary;
  out["body"] = a.body;
  out["body_html"] = markdown::RenderMarkdown(a.body);
  out["audience"] = std::string(domain::ArticleAudienceName(a.audience));
  out["status"] = std::string(domain::ArticleStatusName(a.status));
  out["service_codes"] = Strings(a.service_codes);
  out["departments"] = Strings(a.departments);
  out["keywords"] = Strings(a.keywords);
  out["owner_id"] = a.owner_id;
  out["review_date"] = a.review_at ? boost::json::value(DateText(*a.review_at)) : nullptr;
  out["review_overdue"] = a.ReviewOverdue(now);
  out["version"] = a.version;
  out["created_at"] = FormatRfc3339(a.created_at);
  out["updated_at"] = FormatRfc3339(a.updated_at);
  out["updated_by"] = a.updated_by;
  const bool sees_counts =
      actor.authenticated && (actor.staff_id == a.owner_id || actor.role == domain::Role::kSupervisor ||
                              actor.role == domain::Role::kAdmin);
  if (sees_counts) {
    out["feedback"] = boost::json::object{{"helpful_yes", a.helpful_yes},
                                          {"helpful_no", a.helpful_no},
                                          {"resolved_contacts", a.resolved_contacts}};
  }
  return out;
}

boost::json::object ArticleVersionToJson(const domain::ArticleVersion& v) {
  boost::json::object out;
  out["article_id"] = v.article_id;
  out["version"] = v.version;
  out["title"] = v.title;
  out["summary"] = v.summary;
  out["body"] = v.body;
  out["audience"] = std::string(domain::ArticleAudienceName(v.audience));
  out["status"] = std::string(domain::ArticleStatusName(v.status));
  out["saved_by"] = v.saved_by;
  out["saved_at"] = FormatRfc3339(v.saved_at);
  return out;
}

absl::StatusOr<domain::Article> ArticleFromJson(const boost::json::value& json) {
  ErrorList errors;
  ObjectReader in(json, "", errors);
  domain::Article a;
  ReadFields(in, errors, a, /*create=*/true);
  in.Finish();
  ONESTOP_RETURN_IF_ERROR(errors.ToStatus("The article is not valid"));
  return a;
}

absl::Status ApplyArticlePatch(const boost::json::value& json, domain::Article& article) {
  ErrorList errors;
  ObjectReader in(json, "", errors);
  const bool clear_review = json.is_object() && json.get_object().contains("review_date") &&
                            json.get_object().at("review_date").is_null();
  ReadFields(in, errors, article, /*create=*/false);
  if (clear_review) article.review_at.reset();
  for (const char* key : {"id", "version", "created_at", "updated_at", "updated_by", "body_html",
                          "review_overdue", "feedback"}) {
    in.Raw(key);  // read-only fields echoed back by clients are ignored
  }
  in.Finish();
  return errors.ToStatus("The article changes are not valid");
}

boost::json::object SearchResultToJson(const domain::SearchResult& result) {
  boost::json::array hits;
  for (const domain::SearchHit& hit : result.hits) {
    hits.push_back(boost::json::object{{"kind", hit.kind},
                                       {"id", hit.id},
                                       {"title", hit.title},
                                       {"snippet", hit.snippet},
                                       {"score", hit.score}});
  }
  boost::json::object out;
  out["items"] = std::move(hits);
  out["estimated_total"] = result.estimated_total;
  if (!result.suggestion.empty()) out["suggestion"] = result.suggestion;
  return out;
}

}  // namespace onestop::api
