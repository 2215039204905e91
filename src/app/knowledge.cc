#include "app/knowledge.h"

#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

#include <boost/json.hpp>

#include "absl/strings/str_format.h"
#include <cstdio>

#include "app/database_url.h"
#include "codec/json_reader.h"
#include "codec/translations.h"
#include "common/status.h"
#include "search/indexer.h"
#include "search/xapian_index.h"
#include "services/articles.h"

namespace onestop::app {

std::string SearchDirFor(const std::string& database_url) {
  if (const char* dir = std::getenv("ONESTOP_SEARCH_DIR"); dir != nullptr && *dir != '\0') {
    return dir;
  }
  absl::StatusOr<DatabaseUrl> url = ParseDatabaseUrl(database_url);
  if (url.ok() && url->kind == DatabaseUrl::Kind::kSqlite) {
    std::filesystem::path path(url->path);
    return (path.parent_path() / (path.stem().string() + ".search")).string();
  }
  // One index per database (and so per test database on a shared machine):
  // var/search-<FNV-1a of the URL without its password>. Nodes sharing one
  // database on the same host set ONESTOP_SEARCH_DIR each.
  uint64_t hash = 1469598103934665603ull;
  for (unsigned char c : RedactDatabaseUrl(database_url)) {
    hash = (hash ^ c) * 1099511628211ull;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  return std::string("var/search-") + hex;
}

absl::StatusOr<ArticleSeedReport> SeedArticles(services::Deps deps, std::string_view articles_json) {
  boost::system::error_code ec;
  boost::json::value root = boost::json::parse(articles_json, ec);
  if (ec || !root.is_object() || !root.get_object().contains("articles") ||
      !root.get_object().at("articles").is_array()) {
    return absl::InvalidArgumentError("articles file: expected {\"articles\": [...]}");
  }
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::Article> existing, deps.store.ListArticles());
  std::set<std::string> titles;
  std::map<std::string, const domain::Article*> untranslated;  // by title
  for (const domain::Article& a : existing) {
    titles.insert(a.title);
    if (a.translations.empty()) untranslated.emplace(a.title, &a);
  }
  auto text = [](const boost::json::object& o, const char* key) -> std::string {
    const boost::json::value* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
  };
  auto strings = [](const boost::json::object& o, const char* key) {
    std::vector<std::string> out;
    if (const boost::json::value* v = o.if_contains(key); v != nullptr && v->is_array()) {
      for (const boost::json::value& item : v->get_array()) {
        if (item.is_string()) out.emplace_back(item.get_string());
      }
    }
    return out;
  };
  services::CreateArticle create(deps);
  services::UpdateArticle update(deps);
  ArticleSeedReport report;
  size_t article_idx = 0;
  for (const boost::json::value& item : root.get_object().at("articles").get_array()) {
    if (!item.is_object()) return absl::InvalidArgumentError("articles file: each article is an object");
    const boost::json::object& o = item.get_object();
    domain::Article a;
    a.title = text(o, "title");
    // "translations" is read strictly (codec/translations.h), unlike the
    // rest of this demo file.
    codec::ErrorList errors;
    codec::ObjectReader reader(item, absl::StrFormat("articles[%d]", article_idx++), errors);
    codec::ReadArticleTranslations(reader, a.translations);
    if (!errors.empty()) {
      const FieldError& first = errors.errors().front();
      return absl::InvalidArgumentError(absl::StrFormat("article \"%s\": %s is not valid (%s, %s)",
                                                        a.title, first.field, first.code,
                                                        first.reason));
    }
    if (titles.contains(a.title)) {
      // Stored before it had translations (an older demo database): add
      // them; an article that has some is left as its editors made it.
      auto found = untranslated.find(a.title);
      if (found != untranslated.end() && !a.translations.empty()) {
        domain::Article translated = *found->second;
        translated.translations = a.translations;
        ONESTOP_RETURN_IF_ERROR(
            update.Run(domain::Actor::System(), translated, translated.version).status());
        untranslated.erase(found);
        ++report.translated;
      } else {
        ++report.existing;
      }
      continue;
    }
    a.summary = text(o, "summary");
    a.body = text(o, "body");
    a.audience = domain::ParseArticleAudience(text(o, "audience")).value_or(domain::ArticleAudience::kPublic);
    a.status = domain::ParseArticleStatus(text(o, "status")).value_or(domain::ArticleStatus::kDraft);
    a.service_codes = strings(o, "service_codes");
    a.departments = strings(o, "departments");
    a.keywords = strings(o, "keywords");
    if (std::string email = text(o, "owner_email"); !email.empty()) {
      absl::StatusOr<domain::StaffUser> owner = deps.store.GetStaffByEmail(email);
      if (owner.ok()) a.owner_id = owner->id;
    }
    if (std::string date = text(o, "review_date"); !date.empty()) {
      absl::CivilDay day;
      if (absl::ParseCivilTime(date, &day)) a.review_at = absl::FromCivil(day, absl::UTCTimeZone());
    }
    absl::StatusOr<domain::Article> created = create.Run(domain::Actor::System(), a);
    if (!created.ok()) {
      return absl::Status(created.status().code(),
                          absl::StrFormat("article \"%s\": %s", a.title, created.status().message()));
    }
    titles.insert(a.title);
    ++report.created;
  }
  return report;
}

SearchNode::~SearchNode() {
  if (indexer_) indexer_->Stop();
}

domain::SearchIndex& SearchNode::index() { return *index_; }

void SearchNode::Wake() { indexer_->Wake(); }

absl::StatusOr<std::unique_ptr<SearchNode>> StartSearch(domain::Store& store, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(dir).parent_path(), ec);
  auto node = std::unique_ptr<SearchNode>(new SearchNode());
  ONESTOP_ASSIGN_OR_RETURN(node->index_, search::XapianIndex::Open(dir));
  node->indexer_ = std::make_unique<search::Indexer>(store, *node->index_);
  ONESTOP_RETURN_IF_ERROR(node->indexer_->CatchUp());
  node->indexer_->Start();
  return node;
}

absl::StatusOr<int64_t> RebuildSearchIndex(domain::Store& store, const std::string& dir,
                                           std::ostream& progress) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(dir).parent_path(), ec);
  ONESTOP_ASSIGN_OR_RETURN(std::unique_ptr<search::XapianIndex> index, search::XapianIndex::Open(dir));
  search::Indexer indexer(store, *index);
  constexpr int kWidth = 40;
  ONESTOP_RETURN_IF_ERROR(indexer.Rebuild([&](int64_t done, int64_t total) {
    const int filled = total == 0 ? kWidth : static_cast<int>(kWidth * done / total);
    progress << "\r[" << std::string(filled, '#') << std::string(kWidth - filled, ' ') << "] "
             << done << "/" << total << std::flush;
  }));
  progress << "\n";
  return index->DocumentCount();
}

}  // namespace onestop::app
