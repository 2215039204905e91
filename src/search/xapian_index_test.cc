// Ranking, visibility, snippets, suggestions and filters on a fixed corpus.
#include "search/xapian_index.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"

namespace onestop::search {
namespace {

using domain::Article;
using domain::ArticleAudience;
using domain::ArticleStatus;
using domain::SearchQuery;
using domain::SearchScope;

struct Fixture {
  int64_t id;
  std::string title;
  std::string summary;
  std::string body;
  std::vector<std::string> keywords;
  std::vector<std::string> services;
  std::string department;
  ArticleAudience audience = ArticleAudience::kPublic;
  ArticleStatus status = ArticleStatus::kPublished;
};

const std::vector<Fixture>& Corpus() {
  static const std::vector<Fixture> corpus = {
      {1, "Bin collection days", "Find out which day your bins are collected.",
       "General waste is collected every other week. Recycling is collected on the alternate week. "
       "Put your bin out by 7am on your collection day.",
       {"refuse", "rubbish", "wheelie bin", "collection day"}, {"missed-bin"}, "waste"},
      {2, "Report a missed bin collection", "Tell us if we did not empty your bin.",
       "If your bin was not emptied on your collection day, report it within two working days.",
       {"missed", "refuse"}, {"missed-bin"}, "waste"},
      {3, "Council Tax bands and charges", "How much Council Tax you pay for each band.",
       "Every home is in a valuation band from A to H. Band D is the average charge.",
       {"ctax", "valuation", "bands"}, {}, "revenues"},
      {4, "Council Tax single person discount", "Get 25% off if you live alone.",
       "If you are the only adult in your home you can apply for a single person discount on your Council Tax.",
       {"discount", "alone"}, {}, "revenues"},
      {5, "Residents parking permits", "Apply for or renew a residents parking permit.",
       "A residents parking permit lets you park in your zone. Permits cost £60 a year.",
       {"parking", "permit", "zone"}, {"parking-permit"}, "parking"},
      {6, "Library opening hours", "When Fairhaven's libraries are open.",
       "Fairhaven Central Library opens Monday to Saturday 9am to 5pm.",
       {"library", "opening times"}, {}, "libraries"},
      {7, "Report a pothole", "Tell us about a pothole or damaged road.",
       "Potholes deeper than 40mm are repaired within 28 days. Dangerous potholes are made safe within 24 hours.",
       {"road", "pothole", "highway"}, {"pothole"}, "highways"},
      {8, "Bulky waste collection", "Book a collection of large household items.",
       "We collect up to five bulky items such as sofas, fridges and mattresses for a fee.",
       {"sofa", "fridge", "furniture"}, {"bulky-waste"}, "waste"},
      {9, "Call script: Council Tax arrears", "Staff only: what to say to a caller in arrears.",
       "Confidential: offer a payment arrangement before enforcement. Check for vulnerability flags.",
       {"arrears", "enforcement"}, {}, "revenues", ArticleAudience::kStaff},
      {10, "Draft: new garden waste prices", "Not yet published.",
       "Garden waste subscriptions will cost £55 from April. Secretword zebrafinch.",
       {"garden"}, {"garden-waste"}, "waste", ArticleAudience::kPublic, ArticleStatus::kDraft},
      {11, "Garden waste subscription", "Subscribe to fortnightly garden waste collections.",
       "Garden waste (brown bin) collections run from March to November for an annual fee.",
       {"green bin", "brown bin", "garden"}, {"garden-waste"}, "waste"},
      {12, "Call script: abusive callers", "Staff only: handling abusive calls.",
       "Warn the caller once, then end the call and record the contact. Codeword platypus.",
       {"abuse"}, {}, "customer-services", ArticleAudience::kStaff},
  };
  return corpus;
}

Article ToArticle(const Fixture& f) {
  Article a;
  a.id = f.id;
  a.title = f.title;
  a.summary = f.summary;
  a.body = f.body;
  a.keywords = f.keywords;
  a.service_codes = f.services;
  a.departments = {f.department};
  a.audience = f.audience;
  a.status = f.status;
  return a;
}

void Load(XapianIndex& index) {
  for (const Fixture& f : Corpus()) ASSERT_TRUE(index.PutArticle(ToArticle(f)).ok());
  domain::Service service;
  service.code = "missed-bin";
  service.name = "Missed bin";
  service.description = "Report a bin we did not empty.";
  service.department = "waste";
  service.keywords = {"rubbish", "refuse", "trash"};
  ASSERT_TRUE(index.PutService(service).ok());
  ASSERT_TRUE(index.AddSynonyms(service.keywords).ok());
  domain::Citizen citizen;
  citizen.id = 41;
  citizen.given_name = "Margaret";
  citizen.family_name = "Okonkwo";
  citizen.phones = {"+447700900123"};
  citizen.emails = {"m.okonkwo@example.org"};
  domain::Address address;
  address.postcode = "FH1 2AB";
  citizen.addresses = {address};
  ASSERT_TRUE(index.PutCitizen(citizen).ok());
  domain::Case c;
  c.id = 77;
  c.reference = "4K7P-9QX3";
  c.summary = "Fly-tipped mattress behind the leisure centre";
  c.service_code = "fly-tipping";
  c.department = "waste";
  ASSERT_TRUE(index.PutCase(c).ok());
  ASSERT_TRUE(index.Commit().ok());
}

class XapianIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           absl::StrCat("onestop-search-test-", ::getpid(), "-",
                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    absl::StatusOr<std::unique_ptr<XapianIndex>> index = XapianIndex::Open(dir_.string());
    ASSERT_TRUE(index.ok()) << index.status();
    index_ = std::move(*index);
    Load(*index_);
  }
  void TearDown() override {
    index_.reset();
    std::filesystem::remove_all(dir_);
  }
  domain::SearchResult Search(const std::string& text, SearchScope scope = SearchScope::kPublic) {
    SearchQuery q;
    q.text = text;
    q.scope = scope;
    absl::StatusOr<domain::SearchResult> result = index_->Search(q);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : domain::SearchResult{};
  }
  std::filesystem::path dir_;
  std::unique_ptr<XapianIndex> index_;
};

struct RankingCase {
  std::string query;
  std::string expected_id;  // article id that must come first
};

TEST_F(XapianIndexTest, ExpectedArticleRanksFirst) {
  const std::vector<RankingCase> table = {
      {"bin collection day", "1"},
      {"when are my bins collected", "1"},
      {"missed bin", "2"},
      {"bin not emptied", "2"},
      {"council tax bands", "3"},
      {"council tax band D", "3"},
      {"live alone council tax", "4"},
      {"single person discount", "4"},
      {"parking permit", "5"},
      {"renew permit", "5"},
      {"library opening hours", "6"},
      {"when is the library open", "6"},
      {"pothole", "7"},
      {"potholes road", "7"},
      {"collect my old sofa", "8"},
      {"fridge collection", "8"},
      {"brown bin", "11"},
      {"garden waste", "11"},
      // Misspellings.
      {"counsil tax bands", "3"},
      {"libary opening hours", "6"},
      {"pothol", "7"},
      {"parkng permit", "5"},
      // Synonyms from the catalogue keywords.
      {"trash collection day", "1"},
      // Phrase and prefix.
      {"\"single person\"", "4"},
      {"valuat*", "3"},
  };
  for (const RankingCase& row : table) {
    domain::SearchResult result = Search(row.query);
    std::string first;
    for (const domain::SearchHit& hit : result.hits) {
      if (hit.kind == "article") {
        first = hit.id;
        break;
      }
    }
    EXPECT_EQ(first, row.expected_id) << "query: " << row.query << " suggestion: "
                                      << result.suggestion;
  }
}

TEST_F(XapianIndexTest, SuggestsSpellingForMisspeltQueries) {
  EXPECT_EQ(Search("libary").suggestion, "library");
  EXPECT_EQ(Search("council tax").suggestion, "");
}

TEST_F(XapianIndexTest, PublicSearchNeverShowsStaffScriptsDraftsOrPeople) {
  for (const std::string query :
       {"arrears", "enforcement", "call script", "abusive", "platypus", "zebrafinch",
        "confidential", "Okonkwo", "Margaret", "FH1 2AB", "4K7P-9QX3", "mattress", "garden waste prices",
        "+447700900123", "m.okonkwo@example.org", "council tax", "bin", "garden"}) {
    domain::SearchResult result = Search(query);
    for (const domain::SearchHit& hit : result.hits) {
      EXPECT_TRUE(hit.kind == "article" || hit.kind == "service") << query;
      EXPECT_NE(hit.id, "9") << query;
      EXPECT_NE(hit.id, "10") << query;
      EXPECT_NE(hit.id, "12") << query;
      for (const char* secret : {"arrears", "platypus", "zebrafinch", "Okonkwo", "enforcement"}) {
        EXPECT_EQ(hit.snippet.find(secret), std::string::npos) << query;
        EXPECT_EQ(hit.title.find(secret), std::string::npos) << query;
      }
    }
    for (const char* secret : {"platypus", "zebrafinch", "okonkwo", "arrears"}) {
      EXPECT_EQ(result.suggestion.find(secret), std::string::npos) << query;
    }
  }
  // Misspelt staff words suggest nothing staff-only.
  EXPECT_EQ(Search("platypuss").suggestion.find("platypus"), std::string::npos);
  EXPECT_EQ(Search("okonkow").suggestion.find("okonkwo"), std::string::npos);
}

// Search picks "not XVprivate" or the XVpublic filter by which list is
// shorter; the fixture has fewer private documents, so add enough staff
// articles to take the other path and check both hide the same things.
TEST_F(XapianIndexTest, PublicSearchHidesStaffWhicheverVisibilityListIsShorter) {
  for (const std::string query : {"arrears", "platypus", "bin"}) {
    for (const domain::SearchHit& hit : Search(query).hits) EXPECT_NE(hit.id, "9") << query;
  }
  for (int64_t id = 1000; id < 1020; ++id) {
    Article staff = ToArticle(Corpus()[8]);  // call script: arrears
    staff.id = id;
    ASSERT_TRUE(index_->PutArticle(staff).ok());
  }
  ASSERT_TRUE(index_->Commit().ok());
  for (const std::string query : {"arrears", "platypus", "bin", "council tax"}) {
    domain::SearchResult result = Search(query);
    for (const domain::SearchHit& hit : result.hits) {
      EXPECT_TRUE(hit.kind == "article" || hit.kind == "service") << query;
      EXPECT_TRUE(hit.id != "9" && hit.id != "10" && hit.id != "12" && hit.id.rfind("10", 0) != 0)
          << query << " " << hit.id;
    }
  }
  EXPECT_FALSE(Search("bin").hits.empty());
  EXPECT_EQ(Search("arrears", SearchScope::kStaff).hits.size(), 20u);  // the default limit
}

TEST_F(XapianIndexTest, StaffSearchFindsScriptsCitizensAndCases) {
  domain::SearchResult arrears = Search("arrears", SearchScope::kStaff);
  ASSERT_FALSE(arrears.hits.empty());
  EXPECT_EQ(arrears.hits[0].id, "9");
  for (const auto& [query, kind, id] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"Okonkwo", "citizen", "41"},
           {"07700900123", "citizen", "41"},
           {"+447700900123", "citizen", "41"},
           {"m.okonkwo@example.org", "citizen", "41"},
           {"FH1 2AB", "citizen", "41"},
           {"fh12ab", "citizen", "41"},
           {"4K7P-9QX3", "case", "77"},
           {"4k7p9qx3", "case", "77"},
           {"fly-tipped mattress", "case", "77"}}) {
    domain::SearchResult result = Search(query, SearchScope::kStaff);
    ASSERT_FALSE(result.hits.empty()) << query;
    EXPECT_EQ(result.hits[0].kind, kind) << query;
    EXPECT_EQ(result.hits[0].id, id) << query;
  }
}

TEST_F(XapianIndexTest, SnippetsHighlightAndEscape) {
  domain::SearchResult result = Search("potholes");
  ASSERT_FALSE(result.hits.empty());
  EXPECT_NE(result.hits[0].snippet.find("<mark>"), std::string::npos) << result.hits[0].snippet;
  Article nasty;
  nasty.id = 99;
  nasty.title = "Escaping test";
  nasty.summary = "Contains <script>alert('x')</script> & more";
  nasty.body = "Nasty <b>html</b> escapingword";
  nasty.status = ArticleStatus::kPublished;
  ASSERT_TRUE(index_->PutArticle(nasty).ok());
  ASSERT_TRUE(index_->Commit().ok());
  domain::SearchResult escaped = Search("escapingword");
  ASSERT_FALSE(escaped.hits.empty());
  EXPECT_EQ(escaped.hits[0].snippet.find("<script"), std::string::npos) << escaped.hits[0].snippet;
  EXPECT_EQ(escaped.hits[0].snippet.find("<b>"), std::string::npos) << escaped.hits[0].snippet;
}

TEST_F(XapianIndexTest, FiltersAndSearchAsYouType) {
  SearchQuery q;
  q.text = "bin";
  q.department = "waste";
  q.kinds = {"article"};
  q.service_code = "garden-waste";
  domain::SearchResult result = *index_->Search(q);
  ASSERT_FALSE(result.hits.empty());
  for (const domain::SearchHit& hit : result.hits) EXPECT_EQ(hit.id, "11");
  SearchQuery typing;
  typing.text = "parking perm";
  typing.as_you_type = true;
  domain::SearchResult partial = *index_->Search(typing);
  ASSERT_FALSE(partial.hits.empty());
  EXPECT_EQ(partial.hits[0].id, "5");
  SearchQuery staff_only;
  staff_only.text = "call";
  staff_only.scope = SearchScope::kStaff;
  staff_only.audience = ArticleAudience::kStaff;
  absl::StatusOr<domain::SearchResult> staff_result = index_->Search(staff_only);
  ASSERT_TRUE(staff_result.ok());
  for (const domain::SearchHit& hit : staff_result->hits) {
    EXPECT_TRUE(hit.id == "9" || hit.id == "12") << hit.id;
  }
}

TEST_F(XapianIndexTest, UpdatesReplaceAndUnpublishingHides) {
  Article a = ToArticle(Corpus()[5]);  // library
  a.status = ArticleStatus::kDraft;
  ASSERT_TRUE(index_->PutArticle(a).ok());
  ASSERT_TRUE(index_->Commit().ok());
  for (const domain::SearchHit& hit : Search("library opening hours").hits) EXPECT_NE(hit.id, "6");
  EXPECT_FALSE(Search("library opening hours", SearchScope::kStaff).hits.empty());
  const int64_t count = index_->DocumentCount();
  a.status = ArticleStatus::kPublished;
  ASSERT_TRUE(index_->PutArticle(a).ok());
  ASSERT_TRUE(index_->Commit().ok());
  EXPECT_EQ(index_->DocumentCount(), count);
  EXPECT_EQ(Search("library opening hours").hits.at(0).id, "6");
}

TEST_F(XapianIndexTest, ClearEmptiesEverything) {
  XapianIndex* index = index_.get();
  ASSERT_TRUE(index->SetLastSeq(42).ok());
  EXPECT_EQ(index->LastSeq(), 42);
  ASSERT_TRUE(index->Clear().ok());
  EXPECT_EQ(index->DocumentCount(), 0);
  EXPECT_EQ(index->LastSeq(), 0);
}

}  // namespace
}  // namespace onestop::search
