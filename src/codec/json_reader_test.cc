#include "codec/json_reader.h"

#include <boost/json.hpp>

#include "codec/field_error_matchers_test_util.h"
#include "domain/channel.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace onestop::codec {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

TEST(JsonPathTest, JoinsKeysAndIndices) {
  EXPECT_EQ(JoinPath("", "code"), "code");
  EXPECT_EQ(JoinPath("sla", "unit"), "sla.unit");
  EXPECT_EQ(JoinPath(IndexPath("fields", 2), "datatype"), "fields[2].datatype");
}

TEST(ParseJsonTest, ReportsLineAndColumnOfSyntaxErrors) {
  auto parsed = ParseJson("{\n  \"a\": [1, 2,,]\n}");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(parsed.status().message()), ::testing::HasSubstr("line 2"));
  EXPECT_THAT(FieldErrorsOf(parsed.status()), ElementsAre(Error("", "syntax")));
  const FieldError syntax = FieldErrorsOf(parsed.status())[0];
  EXPECT_EQ(syntax.reason, "json_syntax");
  ASSERT_GE(syntax.params.size(), 2u);
  EXPECT_EQ(syntax.params[0], std::make_pair(std::string("line"), std::string("2")));
  EXPECT_EQ(syntax.params[1].first, "column");
  EXPECT_TRUE(ParseJson(R"({"a": [1, 2]})").ok());
  EXPECT_FALSE(ParseJson("").ok());
  EXPECT_FALSE(ParseJson("{} trailing").ok());
}

TEST(ParseJsonTest, RefusesAKeyRepeatedInOneObjectNamingWhere) {
  auto top = ParseJson(R"({"a": 1, "b": 2, "a": 3})");
  ASSERT_FALSE(top.ok());
  EXPECT_EQ(top.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(FieldErrorsOf(top.status()), ElementsAre(Error("a", "duplicate")));

  auto nested = ParseJson(R"({"items": [{"code": "x"}, {"code": "y", "v": [1, {"k": 1, "k": 2}]}]})");
  ASSERT_FALSE(nested.ok());
  EXPECT_THAT(FieldErrorsOf(nested.status()), ElementsAre(Error("items[1].v[1].k", "duplicate")));

  // Escapes count: "\u0061" is "a".
  EXPECT_FALSE(ParseJson(R"({"a": 1, "\u0061": 2})").ok());
  // The same key in different objects, or a key equal to a value, is fine.
  EXPECT_TRUE(ParseJson(R"({"a": {"a": 1}, "b": [{"a": 1}, {"a": 2}], "c": "a"})").ok());
  // Colons and escaped quotes inside strings are not members.
  EXPECT_TRUE(ParseJson(R"({"k\":": "x:y", "z": ["a:b", {"q": "\"::\\"}], "e": {}})").ok());
  EXPECT_FALSE(ParseJson(R"({"k\":": 1, "z": {"q": "::", "q": ":"}})").ok());
  // A key split over a long escape sequence is still one key.
  EXPECT_TRUE(ParseJson(R"({"long\u00e9key": 1, "long\u00e9kez": 2})").ok());
}

TEST(ObjectReaderTest, ReadsEveryTypeAndReportsNothingWhenAllIsWell) {
  auto json = boost::json::parse(
      R"({"s": "x", "b": true, "i": 42, "d": 2.5, "arr": ["a", "b"], "o": {"k": 1},
          "ch": "sms", "null": null})");
  ErrorList errors;
  ObjectReader in(json, "", errors);
  EXPECT_EQ(in.String("s"), "x");
  EXPECT_EQ(in.Bool("b"), true);
  EXPECT_EQ(in.Int("i"), 42);
  EXPECT_EQ(in.Int32("i", Presence::kRequired, 0, 100), 42);
  EXPECT_EQ(in.Double("d"), 2.5);
  EXPECT_THAT(*in.StringArray("arr"), ElementsAre("a", "b"));
  bool saw_child = false;
  in.WithObject("o", [&](ObjectReader& child) {
    saw_child = true;
    EXPECT_EQ(child.Int("k"), 1);
  });
  EXPECT_TRUE(saw_child);
  EXPECT_EQ(in.Enum("ch", domain::ParseChannel, "..."), domain::Channel::kSms);
  EXPECT_EQ(in.String("null"), std::nullopt);  // null is absent
  EXPECT_EQ(in.String("missing"), std::nullopt);
  in.Finish();
  EXPECT_THAT(errors.errors(), IsEmpty());
}

TEST(ObjectReaderTest, ReportsTypeRequiredInvalidAndUnknown) {
  auto json = boost::json::parse(
      R"({"s": 1, "i": 2.0, "big": 500, "ch": "fax", "arr": ["a", 3], "extra": true})");
  ErrorList errors;
  ObjectReader in(json, "thing", errors);
  EXPECT_EQ(in.String("s"), std::nullopt);
  EXPECT_EQ(in.Int("i"), std::nullopt);
  EXPECT_EQ(in.Int32("big", Presence::kOptional, 1, 100), std::nullopt);
  EXPECT_EQ(in.Enum("ch", domain::ParseChannel, "phone, web"), std::nullopt);
  EXPECT_THAT(*in.StringArray("arr"), ElementsAre("a"));
  EXPECT_EQ(in.String("needed", Presence::kRequired), std::nullopt);
  in.Finish();
  EXPECT_THAT(errors.errors(),
              UnorderedElementsAre(Error("thing.s", "type"), Error("thing.i", "type"),
                                   Error("thing.big", "invalid"), Error("thing.ch", "invalid"),
                                   Error("thing.arr[1]", "type"), Error("thing.needed", "required"),
                                   Error("thing.extra", "unknown")));
  absl::Status status = errors.ToStatus("bad thing");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldErrorsOf(status).size(), 7u);
}

TEST(ObjectReaderTest, ErrorsCarryReasonsAndParametersNotWords) {
  auto json = boost::json::parse(R"({"s": 1, "big": 500, "extra": true})");
  ErrorList errors;
  ObjectReader in(json, "", errors);
  EXPECT_EQ(in.String("s"), std::nullopt);
  EXPECT_EQ(in.Int32("big", Presence::kOptional, 1, 100), std::nullopt);
  EXPECT_EQ(in.String("needed", Presence::kRequired), std::nullopt);
  in.Finish();
  using Params = std::vector<std::pair<std::string, std::string>>;
  EXPECT_THAT(
      errors.errors(),
      ElementsAre(
          FieldError{"s", "type", "wrong_type",
                     Params{{"expected", "string"}, {"found", "integer"}}},
          FieldError{"big", "invalid", "integer_range", Params{{"min", "1"}, {"max", "100"}}},
          FieldError{"needed", "required", "key_required", Params{{"key", "needed"}}},
          FieldError{"extra", "unknown", "unknown_key", Params{{"key", "extra"}}}));
}

TEST(ObjectReaderTest, NonObjectIsOneTypeErrorAndReadsAreQuiet) {
  auto json = boost::json::parse("[1, 2]");
  ErrorList errors;
  ObjectReader in(json, "root", errors);
  EXPECT_FALSE(in.is_object());
  EXPECT_EQ(in.String("x", Presence::kRequired), std::nullopt);
  in.Finish();
  EXPECT_THAT(errors.errors(), ElementsAre(Error("root", "type")));
}

TEST(ObjectReaderTest, ForEachObjectFinishesEachElement) {
  auto json = boost::json::parse(R"({"items": [{"k": "a"}, 7, {"k": "b", "z": 1}]})");
  ErrorList errors;
  ObjectReader in(json, "", errors);
  std::vector<std::string> seen;
  in.ForEachObject("items", [&](ObjectReader& item, size_t idx) {
    seen.push_back(*item.String("k") + std::to_string(idx));
  });
  in.Finish();
  EXPECT_THAT(seen, ElementsAre("a0", "b2"));
  EXPECT_THAT(errors.errors(),
              UnorderedElementsAre(Error("items[1]", "type"), Error("items[2].z", "unknown")));
}

TEST(ErrorListTest, AddStatusPrefixesFieldErrors) {
  ErrorList errors;
  errors.AddStatus("services[3]",
                   InvalidFields("x", {{"fields[0].code", "invalid", "field_code_format", {}}}));
  errors.AddStatus("citizens[1]", absl::InvalidArgumentError("plain"));
  errors.AddStatus("ok", absl::OkStatus());
  EXPECT_THAT(errors.errors(), ElementsAre(Error("services[3].fields[0].code", "invalid"),
                                           Error("citizens[1]", "invalid")));
  EXPECT_EQ(errors.errors()[0].reason, "field_code_format");
  EXPECT_EQ(errors.errors()[1].reason, "rejected");
  EXPECT_TRUE(errors.HasErrorAt("services[3]"));
  EXPECT_TRUE(errors.HasErrorAt("services[3].fields[0]"));
  EXPECT_FALSE(errors.HasErrorAt("services[30]"));
  EXPECT_FALSE(errors.HasErrorAt("services[3].fields[0].code.x"));
}

}  // namespace
}  // namespace onestop::codec
