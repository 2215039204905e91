#include "domain/service.h"

#include <string>
#include <vector>

#include "common/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace onestop::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

Service ValidService() {
  Service s;
  s.code = "missed-bin";
  s.name = "Report a missed bin";
  s.department = "waste";
  s.sla = {2, SlaUnit::kWorkingDays};
  FormField bin;
  bin.code = "bin_type";
  bin.datatype = Datatype::kSingleValueList;
  bin.values = {{"black", "Black bin"}, {"blue", "Blue bin"}};
  FormField notes;
  notes.code = "notes";
  notes.datatype = Datatype::kText;
  s.fields = {bin, notes};
  return s;
}

std::vector<std::string> Errors(const absl::Status& status) {
  std::vector<std::string> out;
  for (const FieldError& e : FieldErrorsOf(status)) out.push_back(e.field + ":" + e.code);
  return out;
}

TEST(ServiceValidateTest, AcceptsAValidService) {
  EXPECT_TRUE(ValidateServiceDefinition(ValidService()).ok());
  Service no_fields = ValidService();
  no_fields.fields.clear();
  no_fields.sla = {};
  EXPECT_TRUE(ValidateServiceDefinition(no_fields).ok());
}

TEST(ServiceValidateTest, Code) {
  for (std::string good :
       std::vector<std::string>{"a", "missed-bin", "council-tax-2", std::string(64, 'x')}) {
    Service s = ValidService();
    s.code = good;
    EXPECT_TRUE(ValidateServiceDefinition(s).ok()) << good;
  }
  for (std::string bad : std::vector<std::string>{"", "Missed-bin", "missed_bin", "missed bin",
                                                  "bin/1", std::string(65, 'x')}) {
    Service s = ValidService();
    s.code = bad;
    absl::Status status = ValidateServiceDefinition(s);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(Errors(status), ElementsAre("code:invalid")) << bad;
  }
}

TEST(ServiceValidateTest, NameDepartmentAndSla) {
  Service s = ValidService();
  s.name = "";
  s.department = "";
  s.sla.amount = -1;
  EXPECT_THAT(Errors(ValidateServiceDefinition(s)),
              ElementsAre("name:invalid", "department:required", "sla.amount:invalid"));
  s = ValidService();
  s.name = std::string(201, 'n');
  s.sla.amount = 10001;
  EXPECT_THAT(Errors(ValidateServiceDefinition(s)),
              ElementsAre("name:invalid", "sla.amount:invalid"));
  s.name = std::string(200, 'n');
  s.sla.amount = 10000;
  EXPECT_TRUE(ValidateServiceDefinition(s).ok());
}

TEST(ServiceValidateTest, FieldCodes) {
  Service s = ValidService();
  s.fields[1].code = "Notes";
  EXPECT_THAT(Errors(ValidateServiceDefinition(s)), ElementsAre("fields[1].code:invalid"));
  s.fields[1].code = "bin-type";
  EXPECT_THAT(Errors(ValidateServiceDefinition(s)), ElementsAre("fields[1].code:invalid"));
  s.fields[1].code = "bin_type";
  EXPECT_THAT(Errors(ValidateServiceDefinition(s)), ElementsAre("fields[1].code:duplicate"));
}

TEST(ServiceValidateTest, ListFieldsNeedValuesAndOthersMustNotHaveThem) {
  Service s = ValidService();
  s.fields[0].values.clear();
  s.fields[1].values = {{"x", "X"}};
  EXPECT_THAT(Errors(ValidateServiceDefinition(s)),
              ElementsAre("fields[0].values:required", "fields[1].values:not_allowed"));
  s = ValidService();
  s.fields[0].datatype = Datatype::kMultiValueList;
  EXPECT_TRUE(ValidateServiceDefinition(s).ok());
}

TEST(ServiceValidateTest, AllowedValueKeysUniqueAndNonEmpty) {
  Service s = ValidService();
  s.fields[0].values.push_back({"black", "Another black"});
  EXPECT_THAT(Errors(ValidateServiceDefinition(s)), ElementsAre("fields[0].values:invalid"));
  s = ValidService();
  s.fields[0].values.push_back({"", "Blank"});
  EXPECT_THAT(Errors(ValidateServiceDefinition(s)), ElementsAre("fields[0].values:invalid"));
}

TEST(ServiceTest, OfferedOnAndFindField) {
  Service s = ValidService();
  s.channels = {Channel::kWeb, Channel::kPhone};
  EXPECT_TRUE(s.OfferedOn(Channel::kWeb));
  EXPECT_TRUE(s.OfferedOn(Channel::kPhone));
  EXPECT_FALSE(s.OfferedOn(Channel::kTv));
  ASSERT_NE(s.FindField("notes"), nullptr);
  EXPECT_EQ(s.FindField("notes")->datatype, Datatype::kText);
  EXPECT_EQ(s.FindField("missing"), nullptr);
}

TEST(ServiceNamesTest, DatatypesRoundTrip) {
  const std::vector<std::pair<Datatype, std::string_view>> names = {
      {Datatype::kString, "string"},
      {Datatype::kNumber, "number"},
      {Datatype::kDatetime, "datetime"},
      {Datatype::kText, "text"},
      {Datatype::kSingleValueList, "singlevaluelist"},
      {Datatype::kMultiValueList, "multivaluelist"}};
  for (const auto& [datatype, name] : names) {
    EXPECT_EQ(DatatypeName(datatype), name);
    EXPECT_EQ(ParseDatatype(name), datatype);
  }
  EXPECT_EQ(ParseDatatype("String"), std::nullopt);
}

TEST(ServiceNamesTest, InteractionTypesRoundTrip) {
  std::vector<std::string_view> names = {"providing_information",
                                         "collecting_revenue",
                                         "providing_benefits_and_grants",
                                         "consultation",
                                         "regulation",
                                         "applications_for_services",
                                         "booking",
                                         "paying_for_goods_and_services",
                                         "access_to_networks",
                                         "procurement"};
  for (size_t i = 0; i < names.size(); ++i) {
    auto type = static_cast<InteractionType>(i);
    EXPECT_EQ(InteractionTypeName(type), names[i]);
    EXPECT_EQ(ParseInteractionType(names[i]), type);
  }
  EXPECT_EQ(ParseInteractionType("other"), std::nullopt);
}

TEST(ServiceNamesTest, SlaUnitsRoundTrip) {
  EXPECT_EQ(SlaUnitName(SlaUnit::kWorkingHours), "working_hours");
  EXPECT_EQ(SlaUnitName(SlaUnit::kWorkingDays), "working_days");
  EXPECT_EQ(ParseSlaUnit("working_hours"), SlaUnit::kWorkingHours);
  EXPECT_EQ(ParseSlaUnit("working_days"), SlaUnit::kWorkingDays);
  EXPECT_EQ(ParseSlaUnit("days"), std::nullopt);
}

}  // namespace
}  // namespace onestop::domain
