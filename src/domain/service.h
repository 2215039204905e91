// The service catalogue: what the council offers, the form each service asks
// for (Open311 datatypes, shared by every channel), its service-level target
// and which team handles it. Plain values; no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "domain/channel.h"
#include "domain/language.h"

namespace onestop::domain {

// Open311 GeoReport v2 attribute datatypes.
enum class Datatype { kString, kNumber, kDatetime, kText, kSingleValueList, kMultiValueList };
std::string_view DatatypeName(Datatype d);  // "string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"
std::optional<Datatype> ParseDatatype(std::string_view name);

// BVPI 157 interaction types (the ten of the ODPM definition).
enum class InteractionType {
  kProvidingInformation,
  kCollectingRevenue,
  kProvidingBenefitsAndGrants,
  kConsultation,
  kRegulation,
  kApplicationsForServices,
  kBooking,
  kPayingForGoodsAndServices,
  kAccessToNetworks,
  kProcurement,
};
// Wire names: "providing_information", "collecting_revenue",
// "providing_benefits_and_grants", "consultation", "regulation",
// "applications_for_services", "booking", "paying_for_goods_and_services",
// "access_to_networks", "procurement".
std::string_view InteractionTypeName(InteractionType t);
std::optional<InteractionType> ParseInteractionType(std::string_view name);

struct AllowedValue {
  std::string key;   // stored value
  std::string name;  // label shown to people
  Translations<std::string> translations = {};  // language -> name
  bool operator==(const AllowedValue&) const = default;
};

// A form field's texts in one language (empty = the English one).
struct FieldText {
  std::string description;
  std::string help_text;
  bool operator==(const FieldText&) const = default;
};

struct FormField {
  std::string code;         // unique within the service, [a-z0-9_]+
  Datatype datatype = Datatype::kString;
  bool required = false;
  int order = 0;            // display order, ascending
  std::string description;  // the question as asked ("What type of bin was missed?")
  std::string help_text;
  std::vector<AllowedValue> values;  // for the two list datatypes
  Translations<FieldText> translations = {};
  bool operator==(const FormField&) const = default;
};

enum class SlaUnit { kWorkingHours, kWorkingDays };
std::string_view SlaUnitName(SlaUnit u);  // "working_hours", "working_days"
std::optional<SlaUnit> ParseSlaUnit(std::string_view name);

struct SlaTarget {
  int amount = 0;  // 0 = no target
  SlaUnit unit = SlaUnit::kWorkingDays;
  bool operator==(const SlaTarget&) const = default;
};

// How duplicates of this service's cases are looked for (domain/duplicates.h).
// The same resident's open case for the service is always a candidate;
// `nearby` (street problems: fly-tipping, potholes …) adds open cases of the
// service within `radius_m` metres raised in the last `days` days.
struct DuplicateRule {
  bool nearby = false;
  int radius_m = 50;  // 1..5000
  int days = 30;      // 1..365
  bool operator==(const DuplicateRule&) const = default;
};

// A service's texts in one language (empty = the English one; keywords:
// empty = the English ones).
struct ServiceText {
  std::string name;
  std::string description;
  std::string group;
  std::vector<std::string> keywords;
  bool operator==(const ServiceText&) const = default;
};

struct Service {
  std::string code;  // e.g. "missed-bin"; unique, [a-z0-9-]+
  std::string name;
  std::string description;
  std::string department;  // department code, e.g. "waste"
  std::string group;       // Open311 group, e.g. "Bins and recycling"
  std::vector<std::string> keywords;
  InteractionType interaction_type = InteractionType::kApplicationsForServices;
  std::vector<Channel> channels;  // channels it is offered on
  SlaTarget sla;
  std::string default_team;       // team code
  bool allow_anonymous = false;   // may be reported without citizen details
  bool active = true;
  std::vector<FormField> fields;  // sorted by order
  int64_t version = 0;            // bumped on every change (store sets it)
  Translations<ServiceText> translations = {};
  DuplicateRule duplicates = {};
  bool operator==(const Service&) const = default;

  bool OfferedOn(Channel c) const;
  const FormField* FindField(std::string_view code) const;
};

struct Department {
  std::string code;  // "waste"
  std::string name;  // "Waste and Recycling"
  Translations<std::string> translations = {};  // language -> name
  bool operator==(const Department&) const = default;
};

struct Team {
  std::string code;        // "waste-crews"
  std::string name;
  std::string department;  // department code
  bool operator==(const Team&) const = default;
};

// The texts in language `lang` ("cy"), falling back to English where the
// translation is missing or empty. For the edge (pages, Open311, the TV
// app); the returned reference lives as long as the argument.
const std::string& NameIn(const Service& service, std::string_view lang);
const std::string& DescriptionIn(const Service& service, std::string_view lang);
const std::string& GroupIn(const Service& service, std::string_view lang);
const std::vector<std::string>& KeywordsIn(const Service& service, std::string_view lang);
const std::string& DescriptionIn(const FormField& field, std::string_view lang);
const std::string& HelpTextIn(const FormField& field, std::string_view lang);
const std::string& NameIn(const AllowedValue& value, std::string_view lang);
const std::string& NameIn(const Department& department, std::string_view lang);

// Checks a service definition for internal consistency (codes well formed,
// list fields have values, unique field codes, known team/department given the
// lists). Returns InvalidArgument with field errors.
absl::Status ValidateServiceDefinition(const Service& service);

}  // namespace onestop::domain
