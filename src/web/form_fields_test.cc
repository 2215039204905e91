#include "web/form_fields.h"

#include "domain/form_validation.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "web/catalogue_search.h"
#include "web/template_set.h"

namespace onestop::web {
namespace {

const i18n::Translator& English() { return i18n::Catalogs::Default().English(); }
const i18n::Translator& Welsh() { return i18n::Catalogs::Default().Get("cy"); }

std::string Render(const char* name, const View& view, const i18n::Translator& tr = English()) {
  static const TemplateSet* templates = [] {
    auto loaded = TemplateSet::Load(i18n::Catalogs::Default(), "");
    EXPECT_TRUE(loaded.ok()) << loaded.status();
    return loaded->release();
  }();
  return templates->Render(name, view, tr);
}

domain::Service MissedBin() {
  domain::Service s;
  s.code = "missed-bin";
  s.name = "Report a missed bin collection";
  s.keywords = {"bin", "rubbish", "refuse"};
  s.fields = {
      {"bin_type", domain::Datatype::kSingleValueList, true, 1, "Which bin was missed?", "",
       {{"general", "General waste"}, {"recycling", "Recycling"}}},
      {"collection_date", domain::Datatype::kDatetime, true, 2, "Which day?", "", {}},
      {"items", domain::Datatype::kMultiValueList, false, 3, "What items?", "",
       {{"sofa", "Sofa"}, {"fridge", "Fridge"}}},
      {"count", domain::Datatype::kNumber, false, 4, "How many?", "", {}},
      {"notes", domain::Datatype::kText, false, 5, "Anything else?", "Where the bin is", {}},
  };
  return s;
}

TEST(FormFieldsTest, GeneratesOneControlPerDatatype) {
  const http::ParamList answers = {{"v.bin_type", "recycling"}, {"v.items", "fridge"},
                                   {"v.collection_date.day", "7"}, {"v.notes", "by the gate"}};
  auto views = ServiceFieldViews(MissedBin(), answers, {{"v.count", "Enter a number"}}, English());
  ASSERT_EQ(views.size(), 5u);
  std::string html;
  for (const auto& v : views) html += Render("_field", v);
  EXPECT_THAT(html, ::testing::HasSubstr(R"(type="radio" value="recycling" checked)"));
  EXPECT_THAT(html, ::testing::HasSubstr(R"(type="checkbox" value="fridge" checked)"));
  EXPECT_THAT(html, ::testing::HasSubstr(R"(name="v.collection_date.day" type="text" inputmode="numeric" value="7")"));
  EXPECT_THAT(html, ::testing::HasSubstr(R"(inputmode="decimal")"));
  EXPECT_THAT(html, ::testing::HasSubstr("<textarea"));
  EXPECT_THAT(html, ::testing::HasSubstr("by the gate</textarea>"));
  EXPECT_THAT(html, ::testing::HasSubstr(R"(id="f-count-error")"));
  EXPECT_THAT(html, ::testing::HasSubstr("How many? (optional)"));
  EXPECT_THAT(html, ::testing::HasSubstr("<legend"));  // radios, checkboxes and dates are fieldsets
}

TEST(FormFieldsTest, EscapesAnswers) {
  auto views = ServiceFieldViews(MissedBin(), {{"v.notes", "<script>x</script>"}}, {}, English());
  EXPECT_THAT(Render("_field", views[4]), ::testing::HasSubstr("&lt;script&gt;"));
}

TEST(FormFieldsTest, AnswersBecomeValidatedValuesWithGovukMessages) {
  const domain::Service s = MissedBin();
  auto values = FormValuesFromAnswers(
      s, {{"v.bin_type", "general"}, {"v.collection_date.day", "7"},
          {"v.collection_date.month", "3"}, {"v.collection_date.year", "2026"}, {"v.items", "sofa"},
          {"v.items", "fridge"}, {"v.count", " "}});
  EXPECT_EQ(values["collection_date"], std::vector<std::string>{"2026-03-07"});
  EXPECT_EQ(values["items"].size(), 2u);
  EXPECT_FALSE(values.contains("count"));
  EXPECT_TRUE(domain::ValidateFormValues(s, values).ok());

  auto bad = domain::ValidateFormValues(
      s, FormValuesFromAnswers(s, {{"v.collection_date.day", "32"}, {"v.collection_date.month", "13"},
                                   {"v.collection_date.year", "2026"}, {"v.count", "lots"}}));
  ASSERT_FALSE(bad.ok());
  ErrorMap errors = ErrorsFromStatus(bad.status(), &s, English());
  EXPECT_EQ(errors["v.bin_type"], "Select an answer for ‘Which bin was missed?’");
  EXPECT_THAT(errors["v.collection_date"], ::testing::HasSubstr("real date"));
  EXPECT_THAT(errors["v.count"], ::testing::HasSubstr("must be a number"));
  auto summary = ErrorSummary(errors, {"v.bin_type", "v.collection_date"}, &s);
  ASSERT_EQ(summary.size(), 3u);
  EXPECT_EQ(summary[0].fields().at("href").text, "f-bin_type-0");
  EXPECT_EQ(summary[1].fields().at("href").text, "f-collection_date-day");
}

TEST(FormFieldsTest, AnswerTextReadsLikeTheForm) {
  const domain::Service s = MissedBin();
  domain::FormValues values = {{"bin_type", {"general"}}, {"collection_date", {"2026-03-07"}}};
  EXPECT_EQ(AnswerText(s.fields[0], values, English()), "General waste");
  EXPECT_EQ(AnswerText(s.fields[1], values, English()), "7 March 2026");
  EXPECT_EQ(AnswerText(s.fields[3], values, English()), "Not answered");
}

TEST(FormFieldsTest, WelshQuestionsAndAnswersWithEnglishFallback) {
  domain::Service s = MissedBin();
  s.fields[0].translations["cy"] = {"Pa fin a fethwyd?", ""};
  s.fields[0].values[0].translations["cy"] = "Gwastraff cyffredinol";
  // fields[1] has no Welsh: its English question stays.
  auto views = ServiceFieldViews(s, {}, {}, Welsh());
  std::string html = Render("_field", views[0], Welsh()) + Render("_field", views[1], Welsh());
  EXPECT_THAT(html, ::testing::HasSubstr("Pa fin a fethwyd?"));
  EXPECT_THAT(html, ::testing::HasSubstr("Gwastraff cyffredinol"));
  EXPECT_THAT(html, ::testing::HasSubstr("Recycling"));  // untranslated option
  EXPECT_THAT(html, ::testing::HasSubstr("Which day?"));
  EXPECT_THAT(html, ::testing::HasSubstr("Diwrnod"));    // the date boxes' labels
  EXPECT_THAT(html, ::testing::Not(::testing::HasSubstr(">Day<")));
  domain::FormValues values = {{"bin_type", {"general"}}, {"collection_date", {"2026-03-07"}}};
  EXPECT_EQ(AnswerText(s.fields[0], values, Welsh()), "Gwastraff cyffredinol");
  EXPECT_EQ(AnswerText(s.fields[1], values, Welsh()), "7 Mawrth 2026");
  auto bad = domain::ValidateFormValues(s, {});
  ErrorMap errors = ErrorsFromStatus(bad.status(), &s, Welsh());
  EXPECT_THAT(errors["v.bin_type"], ::testing::HasSubstr("Pa fin a fethwyd?"));
  EXPECT_THAT(errors["v.bin_type"], ::testing::Not(::testing::HasSubstr("Select")));
}

TEST(CatalogueSearchTest, SynonymsFindTheService) {
  domain::Service pothole;
  pothole.code = "pothole";
  pothole.name = "Report a pothole";
  pothole.keywords = {"road", "pavement"};
  std::vector<domain::Service> all = {pothole, MissedBin()};
  for (const char* q : {"bin", "Rubbish", "refuse", "missed bin"}) {
    auto hits = SearchServices(all, q);
    ASSERT_EQ(hits.size(), 1u) << q;
    EXPECT_EQ(hits[0].code, "missed-bin");
  }
  EXPECT_TRUE(SearchServices(all, "library").empty());
  EXPECT_TRUE(SearchServices(all, "  ").empty());
}

}  // namespace
}  // namespace onestop::web
