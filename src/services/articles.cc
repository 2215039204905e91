#include "services/articles.h"

#include <algorithm>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status.h"
#include "services/catalogue.h"
#include "services/events_util.h"
#include "services/permissions.h"

namespace onestop::services {
namespace {

// Trims and drops empty / duplicate entries, keeping order.
std::vector<std::string> CleanList(const std::vector<std::string>& in) {
  std::vector<std::string> out;
  for (const std::string& raw : in) {
    std::string item(absl::StripAsciiWhitespace(raw));
    if (!item.empty() && std::find(out.begin(), out.end(), item) == out.end()) out.push_back(item);
  }
  return out;
}

absl::Status Validate(Deps deps, domain::Article& a) {
  a.title = std::string(absl::StripAsciiWhitespace(a.title));
  a.summary = std::string(absl::StripAsciiWhitespace(a.summary));
  a.service_codes = CleanList(a.service_codes);
  a.departments = CleanList(a.departments);
  a.keywords = CleanList(a.keywords);
  std::vector<FieldError> errors;
  if (a.title.empty()) errors.push_back({"title", "required", "title_required", {}});
  if (a.title.size() > kMaxArticleTitle) {
    errors.push_back(
        {"title", "too_long", "title_length", {{"max", absl::StrCat(kMaxArticleTitle)}}});
  }
  if (a.summary.size() > kMaxArticleSummary) {
    errors.push_back(
        {"summary", "too_long", "summary_max_length", {{"max", absl::StrCat(kMaxArticleSummary)}}});
  }
  if (a.body.size() > kMaxArticleBody) {
    errors.push_back({"body", "too_long", "body_length", {{"max", absl::StrCat(kMaxArticleBody)}}});
  }
  if (a.keywords.size() > 100) {
    errors.push_back({"keywords", "too_many", "too_many_keywords", {{"max", "100"}}});
  }
  ONESTOP_ASSIGN_OR_RETURN(auto catalogue, deps.catalogue.Get());
  for (const std::string& code : a.service_codes) {
    const domain::Service* service = catalogue->Find(code);
    if (service == nullptr) {
      errors.push_back({"service_codes", "unknown", "no_such_service", {{"code", code}}});
    } else if (std::find(a.departments.begin(), a.departments.end(), service->department) ==
               a.departments.end()) {
      a.departments.push_back(service->department);  // a service implies its department
    }
  }
  for (const std::string& code : a.departments) {
    if (catalogue->FindDepartment(code) == nullptr) {
      errors.push_back({"departments", "unknown", "no_such_department", {{"code", code}}});
    }
  }
  if (!errors.empty()) return InvalidFields("The article is not valid", std::move(errors));
  return absl::OkStatus();
}

domain::ArticleVersion VersionOf(const domain::Article& a) {
  return domain::ArticleVersion{a.id,   a.version,   a.title,      a.summary, a.body,
                                a.audience, a.status, a.updated_by, a.updated_at};
}

std::string ReviewText(const std::optional<absl::Time>& t) { return OptionalTimeText(t); }

}  // namespace

absl::StatusOr<domain::Article> CreateArticle::Run(const domain::Actor& actor,
                                                   domain::Article article) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kEditArticles));
  ONESTOP_RETURN_IF_ERROR(Validate(deps_, article));
  const absl::Time now = deps_.clock.Now();
  if (article.owner_id == 0) article.owner_id = actor.staff_id;
  article.version = 1;
  article.created_at = now;
  article.updated_at = now;
  article.updated_by = actor.staff_id;
  article.helpful_yes = article.helpful_no = article.resolved_contacts = 0;
  ONESTOP_RETURN_IF_ERROR(deps_.store.Write([&](domain::WriteTxn& txn) -> absl::Status {
    ONESTOP_ASSIGN_OR_RETURN(article.id, txn.InsertArticle(article));
    ONESTOP_RETURN_IF_ERROR(txn.InsertArticleVersion(VersionOf(article)));
    domain::Event event = MakeEvent(actor, now, "article", article.id, "article.created");
    AddChange(event.changes, "title", "", article.title);
    AddChange(event.changes, "audience", "", std::string(domain::ArticleAudienceName(article.audience)));
    AddChange(event.changes, "status", "", std::string(domain::ArticleStatusName(article.status)));
    return txn.AppendEvent(event).status();
  }));
  return article;
}

absl::StatusOr<domain::Article> UpdateArticle::Run(const domain::Actor& actor,
                                                   domain::Article article,
                                                   std::optional<int64_t> expected_version) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kEditArticles));
  ONESTOP_ASSIGN_OR_RETURN(domain::Article current, deps_.store.GetArticle(article.id));
  if (expected_version && *expected_version != current.version) {
    return absl::AbortedError(absl::StrCat("article ", article.id, " is at version ",
                                           current.version, ", not ", *expected_version));
  }
  ONESTOP_RETURN_IF_ERROR(Validate(deps_, article));
  const absl::Time now = deps_.clock.Now();
  article.version = current.version + 1;
  article.created_at = current.created_at;
  article.updated_at = now;
  article.updated_by = actor.staff_id;
  if (article.owner_id == 0) article.owner_id = current.owner_id;
  domain::Event event = MakeEvent(actor, now, "article", article.id, "article.updated");
  AddChange(event.changes, "title", current.title, article.title);
  AddChange(event.changes, "summary", current.summary, article.summary);
  AddChange(event.changes, "body", current.body == article.body ? "" : "(previous text)",
            current.body == article.body ? "" : absl::StrCat("(version ", article.version, ")"));
  AddChange(event.changes, "audience", std::string(domain::ArticleAudienceName(current.audience)),
            std::string(domain::ArticleAudienceName(article.audience)));
  AddChange(event.changes, "status", std::string(domain::ArticleStatusName(current.status)),
            std::string(domain::ArticleStatusName(article.status)));
  AddChange(event.changes, "service_codes", absl::StrJoin(current.service_codes, ","),
            absl::StrJoin(article.service_codes, ","));
  AddChange(event.changes, "keywords", absl::StrJoin(current.keywords, ","),
            absl::StrJoin(article.keywords, ","));
  AddChange(event.changes, "review_at", ReviewText(current.review_at), ReviewText(article.review_at));
  ONESTOP_RETURN_IF_ERROR(deps_.store.Write([&](domain::WriteTxn& txn) -> absl::Status {
    ONESTOP_RETURN_IF_ERROR(txn.UpdateArticle(article, current.version));
    ONESTOP_RETURN_IF_ERROR(txn.InsertArticleVersion(VersionOf(article)));
    return txn.AppendEvent(event).status();
  }));
  article.helpful_yes = current.helpful_yes;
  article.helpful_no = current.helpful_no;
  article.resolved_contacts = current.resolved_contacts;
  return article;
}

absl::StatusOr<domain::Article> GetArticle::Run(const domain::Actor& actor, int64_t id) const {
  ONESTOP_ASSIGN_OR_RETURN(domain::Article article, deps_.store.GetArticle(id));
  if (!actor.authenticated && !article.IsPublic()) {
    return absl::NotFoundError(absl::StrCat("article ", id, " not found"));
  }
  return article;
}

absl::StatusOr<std::vector<domain::Article>> ListArticles::Run(const domain::Actor& actor,
                                                              const ArticleFilter& filter) const {
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::Article> all, deps_.store.ListArticles());
  const absl::Time now = deps_.clock.Now();
  std::vector<domain::Article> out;
  for (domain::Article& a : all) {
    if (!actor.authenticated && !a.IsPublic()) continue;
    if (filter.audience && a.audience != *filter.audience) continue;
    if (filter.status && a.status != *filter.status) continue;
    if (filter.review_overdue && !a.ReviewOverdue(now)) continue;
    if (filter.owner_id && a.owner_id != *filter.owner_id) continue;
    out.push_back(std::move(a));
  }
  return out;
}

absl::StatusOr<std::vector<domain::ArticleVersion>> ListArticleVersions::Run(
    const domain::Actor& actor, int64_t id) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kReadArticles));
  ONESTOP_RETURN_IF_ERROR(deps_.store.GetArticle(id).status());
  return deps_.store.ListArticleVersions(id);
}

absl::Status RecordArticleFeedback::Run(int64_t article_id, bool helpful) const {
  ONESTOP_ASSIGN_OR_RETURN(domain::Article article, deps_.store.GetArticle(article_id));
  if (!article.IsPublic()) return absl::NotFoundError(absl::StrCat("article ", article_id, " not found"));
  return deps_.store.Write(
      [&](domain::WriteTxn& txn) { return txn.AddArticleFeedback(article_id, helpful); });
}

absl::Status MarkContactAnswered::Run(const domain::Actor& actor, int64_t contact_id,
                                      int64_t article_id) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kRecordContacts));
  ONESTOP_ASSIGN_OR_RETURN(domain::Article article, deps_.store.GetArticle(article_id));
  ONESTOP_ASSIGN_OR_RETURN(std::optional<int64_t> before, deps_.store.GetContactArticle(contact_id));
  // The resident's (and case's) ids put the event on their timeline.
  domain::ContactQuery query;
  query.id = contact_id;
  query.limit = 1;
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::Contact> contacts, deps_.store.ListContacts(query));
  const absl::Time now = deps_.clock.Now();
  return deps_.store.Write([&](domain::WriteTxn& txn) -> absl::Status {
    ONESTOP_RETURN_IF_ERROR(txn.SetContactArticle(contact_id, article.id));
    domain::Event event = MakeEvent(actor, now, "contact", contact_id, "contact.answered");
    if (!contacts.empty()) {
      event.citizen_id = contacts.front().citizen_id;
      event.case_id = contacts.front().case_id;
    }
    AddChange(event.changes, "article_id", OptionalIdText(before), absl::StrCat(article.id));
    return txn.AppendEvent(event).status();
  });
}

absl::StatusOr<domain::SearchResult> Search::Run(const domain::Actor& actor,
                                                 domain::SearchQuery query) const {
  if (index_ == nullptr) return absl::UnavailableError("search is not available on this node");
  if (actor.authenticated) {
    ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kReadArticles));
    query.scope = domain::SearchScope::kStaff;
  } else {
    query.scope = domain::SearchScope::kPublic;
    query.audience.reset();
  }
  if (query.text.size() > 500) {
    return InvalidFields("The query is too long",
                         {{"q", "too_long", "query_length", {{"max", "500"}}}});
  }
  query.limit = std::clamp(query.limit <= 0 ? 20 : query.limit, 1, 100);
  return index_->Search(query);
}

}  // namespace onestop::services
