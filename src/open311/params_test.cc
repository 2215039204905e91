#include "open311/params.h"

#include <gtest/gtest.h>

#include "common/status.h"
#include "open311/status_map.h"

namespace onestop::open311 {
namespace {

http::ParamList Base() {
  return {{"service_code", "pothole"}, {"lat", "51.5"}, {"long", "-0.12"}};
}

TEST(ParamsTest, ReadsEveryField) {
  http::ParamList p = Base();
  for (const char* k : {"email", "device_id", "account_id", "first_name", "last_name", "phone",
                        "description", "media_url", "address_string", "api_key", "jurisdiction_id"}) {
    p.push_back({k, std::string("v-") + k});
  }
  p.push_back({"address_id", "100023336956"});
  p.push_back({"attribute[surface]", "road"});
  p.push_back({"attribute[kinds][]", "a"});
  p.push_back({"attribute[kinds][]", "b"});
  p.push_back({"attribute[blank]", ""});
  auto form = ParseServiceRequestForm(p);
  ASSERT_TRUE(form.ok()) << form.status();
  EXPECT_EQ(form->service_code, "pothole");
  EXPECT_DOUBLE_EQ(*form->lat, 51.5);
  EXPECT_DOUBLE_EQ(*form->lng, -0.12);
  EXPECT_EQ(*form->address_id, 100023336956);
  EXPECT_EQ(form->device_id, "v-device_id");
  EXPECT_EQ(form->account_id, "v-account_id");
  EXPECT_EQ(form->attributes.at("surface"), std::vector<std::string>{"road"});
  EXPECT_EQ(form->attributes.at("kinds"), (std::vector<std::string>{"a", "b"}));
  EXPECT_FALSE(form->attributes.count("blank"));
}

struct BadCase {
  std::string name;
  http::ParamList params;
  std::string field;
};
class ParamsBadTest : public ::testing::TestWithParam<BadCase> {};
TEST_P(ParamsBadTest, Rejected) {
  auto form = ParseServiceRequestForm(GetParam().params);
  ASSERT_FALSE(form.ok());
  EXPECT_EQ(form.status().code(), absl::StatusCode::kInvalidArgument);
  auto errors = FieldErrorsOf(form.status());
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors[0].field, GetParam().field);
}
http::ParamList With(http::ParamList extra, std::string drop = "") {
  http::ParamList p;
  for (auto& kv : Base()) {
    if (kv.first != drop) p.push_back(kv);
  }
  p.insert(p.end(), extra.begin(), extra.end());
  return p;
}
INSTANTIATE_TEST_SUITE_P(
    Table, ParamsBadTest,
    ::testing::Values(
        BadCase{"no_service", With({}, "service_code"), "service_code"},
        BadCase{"duplicate", With({{"lat", "1"}}), "lat"},
        BadCase{"lat_range", With({{"lat", "90.1"}}, "lat"), "lat"},
        BadCase{"long_range", With({{"long", "-181"}}, "long"), "long"},
        BadCase{"lat_exponent", With({{"lat", "1e1"}}, "lat"), "lat"},
        BadCase{"lat_nan", With({{"lat", "nan"}}, "lat"), "lat"},
        BadCase{"long_missing", With({}, "long"), "long"},
        BadCase{"no_location", http::ParamList{{"service_code", "x"}}, "lat"},
        BadCase{"address_id", With({{"address_id", "flat 2"}}), "address_id"},
        BadCase{"description", With({{"description", std::string(4001, 'd')}}), "description"},
        BadCase{"attr_shape", With({{"attribute[a][b]", "1"}}), "attribute[a][b]"},
        BadCase{"attr_empty", With({{"attribute[]", "1"}}), "attribute[]"},
        BadCase{"attr_mixed", With({{"attribute[a]", "1"}, {"attribute[a][]", "2"}}), "attribute[a]"},
        BadCase{"utf8", With({{"description", "\xff"}}), "description"}),
    [](const auto& info) { return info.param.name; });

TEST(ParamsTest, DescriptionLimitCountsCharacters) {
  std::string four_thousand_e_acute;
  for (int i = 0; i < 4000; ++i) four_thousand_e_acute += "é";
  EXPECT_TRUE(ParseServiceRequestForm(With({{"description", four_thousand_e_acute}})).ok());
}

TEST(ParamsTest, FieldNames) {
  EXPECT_EQ(Open311FieldName("values.bin_type"), "attribute[bin_type]");
  EXPECT_EQ(Open311FieldName("location.lng"), "long");
  EXPECT_EQ(Open311FieldName("emails[0]"), "email");
}

TEST(ReadPostParamsTest, ContentTypes) {
  http::Request r;
  r.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  r.body = "a=1&b=x+y";
  auto p = ReadPostParams(r);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(Param(*p, "b"), "x y");
  r.body = "a=%zz";
  EXPECT_FALSE(ReadPostParams(r).ok());
  r.headers = {{"Content-Type", "application/json"}};
  EXPECT_FALSE(ReadPostParams(r).ok());
  r.headers = {{"Content-Type", "multipart/form-data; boundary=q"}};
  r.body = "--q\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--q--\r\n";
  p = ReadPostParams(r);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(Param(*p, "a"), "1");
}

TEST(StatusMapTest, EveryStatusHasOneOutboundRow) {
  for (auto s : domain::kAllCaseStatuses) {
    int rows = 0;
    for (const auto& row : kOutboundStatuses) rows += row.status == s;
    EXPECT_EQ(rows, 1) << domain::CaseStatusName(s);
    EXPECT_EQ(Open311Status(s) == "closed", domain::IsFinished(s));
  }
}

struct InboundCase {
  std::string status;
  domain::CaseStatus current;
  std::optional<domain::CaseStatus> target;
};
class InboundTest : public ::testing::TestWithParam<InboundCase> {};
TEST_P(InboundTest, Target) {
  const InboundStatus* rule = FindInbound(GetParam().status);
  ASSERT_NE(rule, nullptr);
  EXPECT_EQ(TargetStatus(*rule, GetParam().current), GetParam().target);
}
using S = domain::CaseStatus;
INSTANTIATE_TEST_SUITE_P(
    Table, InboundTest,
    ::testing::Values(InboundCase{"FIXED", S::kNew, S::kResolved},
                      InboundCase{"fixed", S::kInProgress, S::kResolved},
                      InboundCase{"FIXED", S::kResolved, std::nullopt},
                      InboundCase{"OPEN", S::kInProgress, std::nullopt},
                      InboundCase{"REOPEN", S::kClosed, S::kOpen},
                      InboundCase{"IN_PROGRESS", S::kNew, S::kInProgress},
                      InboundCase{"IN_PROGRESS", S::kInProgress, std::nullopt},
                      InboundCase{"CANCELLED", S::kOpen, S::kCancelled},
                      InboundCase{"FOR_TRIAGE", S::kOpen, std::nullopt}));

TEST(StatusMapTest, UnknownInbound) { EXPECT_EQ(FindInbound("EXPLODED"), nullptr); }

}  // namespace
}  // namespace onestop::open311
