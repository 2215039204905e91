#include "store/common/json_columns.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace onestop::store {
namespace {

TEST(JsonColumnsTest, FormFieldsWrittenBeforeTranslationsStillRead) {
  // services.fields_json as schema v6 wrote it: no "translations" keys.
  absl::StatusOr<std::vector<domain::FormField>> fields = DecodeFormFields(
      R"([{"code":"bin","datatype":"singlevaluelist","required":true,"order":1,)"
      R"("description":"Which bin?","help_text":"","values":[{"key":"black","name":"Black"}]}])");
  ASSERT_TRUE(fields.ok()) << fields.status();
  ASSERT_EQ(fields->size(), 1u);
  EXPECT_TRUE((*fields)[0].translations.empty());
  EXPECT_TRUE((*fields)[0].values[0].translations.empty());
}

TEST(JsonColumnsTest, FormFieldTranslationsRoundTrip) {
  domain::FormField f;
  f.code = "bin";
  f.datatype = domain::Datatype::kSingleValueList;
  f.order = 1;
  f.description = "Which bin?";
  f.values = {{"black", "Black", {{"cy", "Du"}}}, {"blue", "Blue"}};
  f.translations["cy"] = {"Pa fin?", ""};
  absl::StatusOr<std::vector<domain::FormField>> back = DecodeFormFields(EncodeFormFields({f}));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, std::vector<domain::FormField>{f});
}

TEST(JsonColumnsTest, TranslationColumns) {
  domain::Translations<domain::ServiceText> service{{"cy", {"Enw", "Disgrifiad", "Grŵp", {"bin"}}}};
  EXPECT_EQ(*DecodeServiceTexts(EncodeServiceTexts(service)), service);
  EXPECT_EQ(EncodeNameTexts({}), "{}");
  EXPECT_EQ(*DecodeNameTexts(R"({"cy":"Gwastraff"})"),
            (domain::Translations<std::string>{{"cy", "Gwastraff"}}));
  domain::Translations<domain::ArticleText> article{{"cy", {"Teitl", "", "Corff"}}};
  EXPECT_EQ(*DecodeArticleTexts(EncodeArticleTexts(article)), article);
  EXPECT_TRUE(absl::IsDataLoss(DecodeNameTexts(R"({"cy":1})").status()));
  EXPECT_TRUE(absl::IsDataLoss(DecodeServiceTexts(R"({"cy":{"name":"x"}})").status()));
  EXPECT_TRUE(absl::IsDataLoss(DecodeArticleTexts("[]").status()));
}

}  // namespace
}  // namespace onestop::store
