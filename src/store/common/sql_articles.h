// The knowledge-base tables (articles, article_versions, contacts.article_id)
// for the SQL stores: the writes SqlWriteTxn delegates to and the reads
// SqliteStore/PgStore run on a borrowed connection. Plain SQL both dialects
// share; templates over the backend's Db (see sql_rows.h).
//
// Stateless; the caller owns the connection for the call.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "domain/article.h"
#include "store/common/json_columns.h"

namespace onestop::store::sql_articles {

inline constexpr char kArticleColumns[] =
    "id, title, summary, body, audience, status, service_codes_json, departments_json, "
    "keywords_json, owner_id, review_at, version, created_at, updated_at, updated_by, "
    "helpful_yes, helpful_no, translations_json, "
    "(SELECT COUNT(*) FROM contacts WHERE contacts.article_id = articles.id)";

template <typename Row>
absl::StatusOr<domain::Article> ReadArticle(const Row& row) {
  domain::Article a;
  a.id = row.Int(0);
  a.title = row.Text(1);
  a.summary = row.Text(2);
  a.body = row.Text(3);
  a.audience = domain::ParseArticleAudience(row.Text(4)).value_or(domain::ArticleAudience::kStaff);
  a.status = domain::ParseArticleStatus(row.Text(5)).value_or(domain::ArticleStatus::kDraft);
  ONESTOP_ASSIGN_OR_RETURN(a.service_codes, DecodeStrings(row.Text(6)));
  ONESTOP_ASSIGN_OR_RETURN(a.departments, DecodeStrings(row.Text(7)));
  ONESTOP_ASSIGN_OR_RETURN(a.keywords, DecodeStrings(row.Text(8)));
  a.owner_id = row.Int(9);
  a.review_at = row.OptTime(10);
  a.version = row.Int(11);
  a.created_at = row.Time(12);
  a.updated_at = row.Time(13);
  a.updated_by = row.Int(14);
  a.helpful_yes = row.Int(15);
  a.helpful_no = row.Int(16);
  ONESTOP_ASSIGN_OR_RETURN(a.translations, DecodeArticleTexts(row.Text(17)));
  a.resolved_contacts = row.Int(18);
  return a;
}

template <typename Stmt>
void BindArticleFields(Stmt& stmt, const domain::Article& a) {
  stmt.Bind(a.title)
      .Bind(a.summary)
      .Bind(a.body)
      .Bind(domain::ArticleAudienceName(a.audience))
      .Bind(domain::ArticleStatusName(a.status))
      .Bind(EncodeStrings(a.service_codes))
      .Bind(EncodeStrings(a.departments))
      .Bind(EncodeStrings(a.keywords))
      .Bind(a.owner_id)
      .Bind(a.review_at)
      .Bind(a.version)
      .Bind(a.created_at)
      .Bind(a.updated_at)
      .Bind(a.updated_by)
      .Bind(EncodeArticleTexts(a.translations));
}

template <typename Db>
absl::StatusOr<int64_t> InsertArticle(Db& db, const domain::Article& a) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt,
      db.Prepare("INSERT INTO articles (title, summary, body, audience, status, service_codes_json, "
                 "departments_json, keywords_json, owner_id, review_at, version, created_at, "
                 "updated_at, updated_by, translations_json, helpful_yes, helpful_no) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0) RETURNING id"));
  BindArticleFields(stmt, a);
  ONESTOP_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return absl::InternalError("INSERT ... RETURNING returned no row");
  return stmt.Int(0);
}

template <typename Db>
absl::Status UpdateArticle(Db& db, const domain::Article& a, int64_t expected_version) {
  {
    ONESTOP_ASSIGN_OR_RETURN(
        auto stmt,
        db.Prepare("UPDATE articles SET title = ?, summary = ?, body = ?, audience = ?, status = ?, "
                   "service_codes_json = ?, departments_json = ?, keywords_json = ?, owner_id = ?, "
                   "review_at = ?, version = ?, created_at = ?, updated_at = ?, updated_by = ?, "
                   "translations_json = ? WHERE id = ? AND version = ?"));
    BindArticleFields(stmt, a);
    ONESTOP_RETURN_IF_ERROR(stmt.Bind(a.id).Bind(expected_version).Run());
  }
  if (db.Changes() > 0) return absl::OkStatus();
  ONESTOP_ASSIGN_OR_RETURN(auto exists, db.Prepare("SELECT version FROM articles WHERE id = ?"));
  exists.Bind(a.id);
  ONESTOP_ASSIGN_OR_RETURN(bool found, exists.Step());
  if (!found) return absl::NotFoundError(absl::StrCat("article ", a.id, " not found"));
  return absl::AbortedError(absl::StrCat("article ", a.id, " has changed (version ",
                                         exists.Int(0), ", expected ", expected_version, ")"));
}

template <typename Db>
absl::Status InsertArticleVersion(Db& db, const domain::ArticleVersion& v) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("INSERT INTO article_versions (article_id, version, title, summary, "
                            "body, audience, status, saved_by, saved_at) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  absl::Status status = stmt.Bind(v.article_id)
                            .Bind(v.version)
                            .Bind(v.title)
                            .Bind(v.summary)
                            .Bind(v.body)
                            .Bind(domain::ArticleAudienceName(v.audience))
                            .Bind(domain::ArticleStatusName(v.status))
                            .Bind(v.saved_by)
                            .Bind(v.saved_at)
                            .Run();
  if (status.code() == absl::StatusCode::kFailedPrecondition) {
    return absl::NotFoundError(absl::StrCat("article ", v.article_id, " not found"));
  }
  if (status.code() == absl::StatusCode::kAlreadyExists) {
    return absl::AlreadyExistsError(
        absl::StrCat("article ", v.article_id, " already has version ", v.version));
  }
  return status;
}

template <typename Db>
absl::Status AddArticleFeedback(Db& db, int64_t article_id, bool helpful) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare(helpful ? "UPDATE articles SET helpful_yes = helpful_yes + 1 WHERE id = ?"
                                    : "UPDATE articles SET helpful_no = helpful_no + 1 WHERE id = ?"));
  ONESTOP_RETURN_IF_ERROR(stmt.Bind(article_id).Run());
  if (db.Changes() == 0) return absl::NotFoundError(absl::StrCat("article ", article_id, " not found"));
  return absl::OkStatus();
}

template <typename Db>
absl::Status SetContactArticle(Db& db, int64_t contact_id, int64_t article_id) {
  ONESTOP_ASSIGN_OR_RETURN(auto stmt, db.Prepare("UPDATE contacts SET article_id = ? WHERE id = ?"));
  absl::Status status = stmt.Bind(article_id).Bind(contact_id).Run();
  if (status.code() == absl::StatusCode::kFailedPrecondition) {
    return absl::NotFoundError(absl::StrCat("article ", article_id, " not found"));
  }
  ONESTOP_RETURN_IF_ERROR(status);
  if (db.Changes() == 0) return absl::NotFoundError(absl::StrCat("contact ", contact_id, " not found"));
  return absl::OkStatus();
}

template <typename Db>
absl::StatusOr<domain::Article> GetArticle(Db& db, int64_t id) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare(absl::StrCat("SELECT ", kArticleColumns, " FROM articles WHERE id = ?")));
  stmt.Bind(id);
  ONESTOP_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return absl::NotFoundError(absl::StrCat("article ", id, " not found"));
  return ReadArticle(stmt);
}

template <typename Db>
absl::StatusOr<std::vector<domain::Article>> ListArticles(Db& db) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare(absl::StrCat("SELECT ", kArticleColumns, " FROM articles ORDER BY id")));
  std::vector<domain::Article> out;
  while (true) {
    ONESTOP_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    ONESTOP_ASSIGN_OR_RETURN(domain::Article article, ReadArticle(stmt));
    out.push_back(std::move(article));
  }
  return out;
}

template <typename Db>
absl::StatusOr<std::vector<domain::ArticleVersion>> ListArticleVersions(Db& db, int64_t article_id) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("SELECT article_id, version, title, summary, body, audience, status, "
                            "saved_by, saved_at FROM article_versions WHERE article_id = ? "
                            "ORDER BY version DESC"));
  stmt.Bind(article_id);
  std::vector<domain::ArticleVersion> out;
  while (true) {
    ONESTOP_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    domain::ArticleVersion v;
    v.article_id = stmt.Int(0);
    v.version = stmt.Int(1);
    v.title = stmt.Text(2);
    v.summary = stmt.Text(3);
    v.body = stmt.Text(4);
    v.audience = domain::ParseArticleAudience(stmt.Text(5)).value_or(domain::ArticleAudience::kStaff);
    v.status = domain::ParseArticleStatus(stmt.Text(6)).value_or(domain::ArticleStatus::kDraft);
    v.saved_by = stmt.Int(7);
    v.saved_at = stmt.Time(8);
    out.push_back(std::move(v));
  }
  return out;
}

template <typename Db>
absl::StatusOr<std::optional<int64_t>> GetContactArticle(Db& db, int64_t contact_id) {
  ONESTOP_ASSIGN_OR_RETURN(auto stmt, db.Prepare("SELECT article_id FROM contacts WHERE id = ?"));
  stmt.Bind(contact_id);
  ONESTOP_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return absl::NotFoundError(absl::StrCat("contact ", contact_id, " not found"));
  return stmt.OptInt(0);
}

}  // namespace onestop::store::sql_articles
