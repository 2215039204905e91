// Store suite, part 3: the knowledge base — articles round-trip, optimistic
// versions, saved versions, feedback counters and first-contact resolution.
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "tests/store/store_suite.h"

namespace onestop::store_test {
namespace {

using domain::Article;
using domain::ArticleVersion;
using domain::WriteTxn;

Article FullArticle() {
  Article a;
  a.title = "When is my bin collected?";
  a.summary = "Collection days by street.";
  a.body = "# Bin days\n\nGeneral waste is collected **every other week**.";
  a.audience = domain::ArticleAudience::kPublic;
  a.status = domain::ArticleStatus::kPublished;
  a.service_codes = {"missed-bin", "bulky-waste"};
  a.departments = {"waste"};
  a.keywords = {"rubbish", "refuse", "bin day"};
  a.owner_id = 7;
  a.review_at = absl::FromUnixMicros(1'900'000'000'000'000);
  a.version = 1;
  a.created_at = absl::FromUnixMicros(1'800'000'000'000'001);
  a.updated_at = a.created_at;
  a.updated_by = 7;
  return a;
}

int64_t AddArticle(domain::Store& store, const Article& a) {
  int64_t id = 0;
  absl::Status status = store.Write([&](WriteTxn& txn) -> absl::Status {
    absl::StatusOr<int64_t> inserted = txn.InsertArticle(a);
    if (!inserted.ok()) return inserted.status();
    id = *inserted;
    ArticleVersion v{id, a.version, a.title, a.summary, a.body, a.audience, a.status,
                     a.updated_by, a.updated_at};
    return txn.InsertArticleVersion(v);
  });
  EXPECT_TRUE(status.ok()) << status;
  return id;
}

}  // namespace

TEST_P(StoreSuite, ArticleRoundTripsEveryField) {
  Article a = FullArticle();
  a.id = AddArticle(store(), a);
  ASSERT_GT(a.id, 0);
  absl::StatusOr<Article> got = store().GetArticle(a.id);
  STORE_ASSERT_OK(got);
  EXPECT_EQ(*got, a);
  Article no_review = FullArticle();
  no_review.review_at.reset();
  no_review.keywords.clear();
  no_review.id = AddArticle(store(), no_review);
  EXPECT_EQ(*store().GetArticle(no_review.id), no_review);
  absl::StatusOr<std::vector<Article>> all = store().ListArticles();
  STORE_ASSERT_OK(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].id, a.id);
  EXPECT_EQ(store().GetArticle(a.id + 100).status().code(), absl::StatusCode::kNotFound);
}

TEST_P(StoreSuite, ArticleUpdateChecksVersionAndKeepsVersions) {
  Article a = FullArticle();
  a.id = AddArticle(store(), a);
  Article edited = a;
  edited.title = "Bin collection days";
  edited.version = 2;
  edited.updated_by = 9;
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) -> absl::Status {
    absl::Status status = txn.UpdateArticle(edited, 1);
    if (!status.ok()) return status;
    return txn.InsertArticleVersion({a.id, 2, edited.title, edited.summary, edited.body,
                                     edited.audience, edited.status, 9, edited.updated_at});
  }));
  EXPECT_EQ(store().GetArticle(a.id)->title, "Bin collection days");
  absl::Status stale = store().Write([&](WriteTxn& txn) { return txn.UpdateArticle(edited, 1); });
  EXPECT_EQ(stale.code(), absl::StatusCode::kAborted) << stale;
  Article missing = edited;
  missing.id = a.id + 50;
  EXPECT_EQ(store().Write([&](WriteTxn& txn) { return txn.UpdateArticle(missing, 2); }).code(),
            absl::StatusCode::kNotFound);
  absl::StatusOr<std::vector<ArticleVersion>> versions = store().ListArticleVersions(a.id);
  STORE_ASSERT_OK(versions);
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[0].version, 2);
  EXPECT_EQ((*versions)[0].saved_by, 9);
  EXPECT_EQ((*versions)[1].title, "When is my bin collected?");
  absl::Status duplicate = store().Write([&](WriteTxn& txn) {
    return txn.InsertArticleVersion((*versions)[0]);
  });
  EXPECT_EQ(duplicate.code(), absl::StatusCode::kAlreadyExists) << duplicate;
}

TEST_P(StoreSuite, ArticleFeedbackAndContactResolution) {
  Article a = FullArticle();
  a.id = AddArticle(store(), a);
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) -> absl::Status {
    absl::Status status = txn.AddArticleFeedback(a.id, true);
    if (status.ok()) status = txn.AddArticleFeedback(a.id, true);
    if (status.ok()) status = txn.AddArticleFeedback(a.id, false);
    return status;
  }));
  EXPECT_EQ(store().Write([&](WriteTxn& txn) { return txn.AddArticleFeedback(a.id + 9, true); }).code(),
            absl::StatusCode::kNotFound);
  int64_t contact_id = 0;
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) -> absl::Status {
    domain::Contact contact;
    contact.at = absl::FromUnixMicros(1'800'000'000'000'001);
    contact.reason = "asked about bin day";
    absl::StatusOr<int64_t> id = txn.InsertContact(contact);
    if (!id.ok()) return id.status();
    contact_id = *id;
    return absl::OkStatus();
  }));
  EXPECT_EQ(*store().GetContactArticle(contact_id), std::nullopt);
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) { return txn.SetContactArticle(contact_id, a.id); }));
  EXPECT_EQ(*store().GetContactArticle(contact_id), a.id);
  EXPECT_EQ(store().Write([&](WriteTxn& txn) { return txn.SetContactArticle(contact_id + 5, a.id); }).code(),
            absl::StatusCode::kNotFound);
  absl::StatusOr<Article> got = store().GetArticle(a.id);
  STORE_ASSERT_OK(got);
  EXPECT_EQ(got->helpful_yes, 2);
  EXPECT_EQ(got->helpful_no, 1);
  EXPECT_EQ(got->resolved_contacts, 1);
}

}  // namespace onestop::store_test
