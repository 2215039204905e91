#include "domain/service.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "common/status.h"

namespace onestop::domain {
namespace {

bool IsCodeChar(char c, bool allow_dash, bool allow_underscore) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (allow_dash && c == '-') ||
         (allow_underscore && c == '_');
}

bool IsCode(std::string_view s, bool allow_dash, bool allow_underscore) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!IsCodeChar(c, allow_dash, allow_underscore)) return false;
  }
  return true;
}

}  // namespace

std::string_view DatatypeName(Datatype d) {
  switch (d) {
    case Datatype::kString: return "string";
    case Datatype::kNumber: return "number";
    case Datatype::kDatetime: return "datetime";
    case Datatype::kText: return "text";
    case Datatype::kSingleValueList: return "singlevaluelist";
    case Datatype::kMultiValueList: return "multivaluelist";
  }
  return "string";
}

std::optional<Datatype> ParseDatatype(std::string_view name) {
  for (Datatype d : {Datatype::kString, Datatype::kNumber, Datatype::kDatetime, Datatype::kText,
                     Datatype::kSingleValueList, Datatype::kMultiValueList}) {
    if (DatatypeName(d) == name) return d;
  }
  return std::nullopt;
}

std::string_view InteractionTypeName(InteractionType t) {
  switch (t) {
    case InteractionType::kProvidingInformation: return "providing_information";
    case InteractionType::kCollectingRevenue: return "collecting_revenue";
    case InteractionType::kProvidingBenefitsAndGrants: return "providing_benefits_and_grants";
    case InteractionType::kConsultation: return "consultation";
    case InteractionType::kRegulation: return "regulation";
    case InteractionType::kApplicationsForServices: return "applications_for_services";
    case InteractionType::kBooking: return "booking";
    case InteractionType::kPayingForGoodsAndServices: return "paying_for_goods_and_services";
    case InteractionType::kAccessToNetworks: return "access_to_networks";
    case InteractionType::kProcurement: return "procurement";
  }
  return "providing_information";
}

std::optional<InteractionType> ParseInteractionType(std::string_view name) {
  for (int i = 0; i <= static_cast<int>(InteractionType::kProcurement); ++i) {
    auto t = static_cast<InteractionType>(i);
    if (InteractionTypeName(t) == name) return t;
  }
  return std::nullopt;
}

std::string_view SlaUnitName(SlaUnit u) {
  return u == SlaUnit::kWorkingHours ? "working_hours" : "working_days";
}

std::optional<SlaUnit> ParseSlaUnit(std::string_view name) {
  if (name == "working_hours") return SlaUnit::kWorkingHours;
  if (name == "working_days") return SlaUnit::kWorkingDays;
  return std::nullopt;
}

bool Service::OfferedOn(Channel c) const {
  for (Channel offered : channels) {
    if (offered == c) return true;
  }
  return false;
}

const FormField* Service::FindField(std::string_view field_code) const {
  for (const FormField& f : fields) {
    if (f.code == field_code) return &f;
  }
  return nullptr;
}

absl::Status ValidateServiceDefinition(const Service& service) {
  std::vector<FieldError> errors;
  if (!IsCode(service.code, /*allow_dash=*/true, /*allow_underscore=*/false)) {
    errors.push_back({"code", "invalid", "Service code must be 1-64 of a-z, 0-9 and '-'"});
  }
  if (service.name.empty() || service.name.size() > 200) {
    errors.push_back({"name", "invalid", "Service name must be 1-200 characters"});
  }
  if (service.department.empty()) {
    errors.push_back({"department", "required", "Department is required"});
  }
  if (service.sla.amount < 0 || service.sla.amount > 10000) {
    errors.push_back({"sla.amount", "invalid", "SLA amount must be between 0 and 10000"});
  }
  std::set<std::string> seen;
  for (size_t i = 0; i < service.fields.size(); ++i) {
    const FormField& f = service.fields[i];
    std::string where = absl::StrCat("fields[", i, "]");
    if (!IsCode(f.code, /*allow_dash=*/false, /*allow_underscore=*/true)) {
      errors.push_back({where + ".code", "invalid", "Field code must be 1-64 of a-z, 0-9 and '_'"});
    } else if (!seen.insert(f.code).second) {
      errors.push_back({where + ".code", "duplicate", "Field code '" + f.code + "' is repeated"});
    }
    bool is_list =
        f.datatype == Datatype::kSingleValueList || f.datatype == Datatype::kMultiValueList;
    if (is_list && f.values.empty()) {
      errors.push_back({where + ".values", "required", "A list field needs allowed values"});
    }
    if (!is_list && !f.values.empty()) {
      errors.push_back({where + ".values", "not_allowed", "Only list fields have allowed values"});
    }
    std::set<std::string> keys;
    for (const AllowedValue& v : f.values) {
      if (v.key.empty() || !keys.insert(v.key).second) {
        errors.push_back({where + ".values", "invalid", "Allowed value keys must be unique and non-empty"});
        break;
      }
    }
  }
  if (!errors.empty()) return InvalidFields("The service definition is not valid", errors);
  return absl::OkStatus();
}

}  // namespace onestop::domain
