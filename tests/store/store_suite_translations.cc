// Store suite, part 5: other languages' texts of the catalogue and the
// knowledge base (schema v7), and settings.
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "tests/store/store_suite.h"

namespace onestop::store_test {
namespace {

using domain::WriteTxn;

domain::Service WelshService() {
  domain::Service s;
  s.code = "missed-bin";
  s.name = "Report a missed bin";
  s.description = "Tell us about a bin we missed";
  s.department = "waste";
  s.group = "Bins and recycling";
  s.keywords = {"bin"};
  s.channels = {domain::Channel::kWeb};
  domain::FormField f;
  f.code = "bin_type";
  f.datatype = domain::Datatype::kSingleValueList;
  f.order = 1;
  f.description = "Which bin?";
  f.help_text = "The colour of the lid";
  f.values = {{"black", "Black bin", {{"cy", "Bin du"}}}, {"blue", "Blue bin"}};
  f.translations["cy"] = {"Pa fin?", "Lliw'r caead"};
  domain::FormField g;
  g.code = "notes";
  g.datatype = domain::Datatype::kText;
  g.order = 2;
  g.description = "Anything else?";
  s.fields = {f, g};
  s.translations["cy"] = {"Rhoi gwybod am fin heb ei gasglu", "Dywedwch wrthym", "Biniau ac ailgylchu",
                          {"bin", "sbwriel"}};
  s.translations["pl"] = {"Zgłoś nieodebrany pojemnik", "", "", {}};
  return s;
}

}  // namespace

TEST_P(StoreSuite, ServiceTranslationsRoundTripAndAreReplaced) {
  domain::Service s = WelshService();
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) { return txn.UpsertService(s).status(); }));
  s.version = 1;
  absl::StatusOr<domain::Service> got = store().GetService(s.code);
  STORE_ASSERT_OK(got);
  EXPECT_EQ(*got, s);

  // A save replaces every language's texts, field and value ones included.
  s.translations.erase("pl");
  s.translations["cy"].keywords.clear();
  s.fields[0].values[0].translations.clear();
  s.fields[1].translations["cy"].description = "Unrhyw beth arall?";
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) { return txn.UpsertService(s).status(); }));
  s.version = 2;
  absl::StatusOr<std::vector<domain::Service>> list = store().ListServices();
  STORE_ASSERT_OK(list);
  EXPECT_EQ(*list, std::vector<domain::Service>{s});
}

TEST_P(StoreSuite, DepartmentTranslationsRoundTrip) {
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) -> absl::Status {
    absl::Status status = txn.UpsertDepartment({"waste", "Waste", {{"cy", "Gwastraff"}}});
    if (!status.ok()) return status;
    status = txn.UpsertDepartment({"highways", "Highways", {{"cy", "Priffyrdd"}, {"pl", "Drogi"}}});
    if (!status.ok()) return status;
    return txn.UpsertDepartment({"waste", "Waste and Recycling", {{"cy", "Gwastraff ac Ailgylchu"}}});
  }));
  absl::StatusOr<std::vector<domain::Department>> got = store().ListDepartments();
  STORE_ASSERT_OK(got);
  EXPECT_EQ(*got, (std::vector<domain::Department>{
                      {"highways", "Highways", {{"cy", "Priffyrdd"}, {"pl", "Drogi"}}},
                      {"waste", "Waste and Recycling", {{"cy", "Gwastraff ac Ailgylchu"}}}}));
}

TEST_P(StoreSuite, ArticleTranslationsRoundTripAndUpdate) {
  domain::Article a;
  a.title = "When is my bin collected?";
  a.summary = "Collection days";
  a.body = "Every other week.";
  a.version = 1;
  a.created_at = absl::FromUnixMicros(1'800'000'000'000'000);
  a.updated_at = a.created_at;
  a.translations["cy"] = {"Pryd mae fy min yn cael ei gasglu?", "Diwrnodau casglu",
                          "Bob yn ail wythnos."};
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) -> absl::Status {
    absl::StatusOr<int64_t> id = txn.InsertArticle(a);
    if (!id.ok()) return id.status();
    a.id = *id;
    return absl::OkStatus();
  }));
  absl::StatusOr<domain::Article> got = store().GetArticle(a.id);
  STORE_ASSERT_OK(got);
  EXPECT_EQ(*got, a);

  a.translations["cy"].body = "Bob wythnos.";
  a.version = 2;
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) { return txn.UpdateArticle(a, 1); }));
  absl::StatusOr<std::vector<domain::Article>> list = store().ListArticles();
  STORE_ASSERT_OK(list);
  EXPECT_EQ(*list, std::vector<domain::Article>{a});
}

TEST_P(StoreSuite, SettingsPutGetReplaceAndRollBack) {
  absl::StatusOr<std::optional<std::string>> none = store().GetSetting("theme");
  STORE_ASSERT_OK(none);
  EXPECT_EQ(*none, std::nullopt);

  const std::string big(200'000, 'x');  // a theme with a logo is a long text
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) -> absl::Status {
    absl::Status status = txn.PutSetting("theme", "{\"name\":\"Fairhaven\"}");
    if (!status.ok()) return status;
    status = txn.PutSetting("other", big);
    if (!status.ok()) return status;
    return txn.PutSetting("theme", "{\"name\":\"Borough of Fairhaven\"}");
  }));
  EXPECT_EQ(*store().GetSetting("theme"), std::optional<std::string>("{\"name\":\"Borough of Fairhaven\"}"));
  EXPECT_EQ(*store().GetSetting("other"), std::optional<std::string>(big));

  absl::Status failed = store().Write([&](WriteTxn& txn) -> absl::Status {
    absl::Status status = txn.PutSetting("theme", "{}");
    if (!status.ok()) return status;
    return absl::InvalidArgumentError("changed my mind");
  });
  EXPECT_TRUE(absl::IsInvalidArgument(failed)) << failed;
  EXPECT_EQ(*store().GetSetting("theme"), std::optional<std::string>("{\"name\":\"Borough of Fairhaven\"}"));

  if (!GetParam().reopen) return;
  Reopen();
  EXPECT_EQ(*store().GetSetting("other"), std::optional<std::string>(big));
}

}  // namespace onestop::store_test
