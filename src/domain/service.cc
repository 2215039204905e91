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

// Every key of a translations map is a language code.
template <typename T>
void CheckLanguages(const Translations<T>& translations, const std::string& where,
                    std::vector<FieldError>& errors) {
  for (const auto& entry : translations) {
    if (!IsLanguageCode(entry.first)) {
      errors.push_back({absl::StrCat(where, where.empty() ? "" : ".", "translations.", entry.first),
                        "invalid", "language_code", {{"code", entry.first}}});
    }
  }
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
    errors.push_back({"code", "invalid", "service_code_format", {}});
  }
  if (service.name.empty() || service.name.size() > 200) {
    errors.push_back({"name", "invalid", "service_name_length", {{"min", "1"}, {"max", "200"}}});
  }
  if (service.department.empty()) {
    errors.push_back({"department", "required", "department_required", {}});
  }
  if (service.sla.amount < 0 || service.sla.amount > 10000) {
    errors.push_back(
        {"sla.amount", "invalid", "sla_amount_range", {{"min", "0"}, {"max", "10000"}}});
  }
  std::set<std::string> seen;
  for (size_t i = 0; i < service.fields.size(); ++i) {
    const FormField& f = service.fields[i];
    std::string where = absl::StrCat("fields[", i, "]");
    if (!IsCode(f.code, /*allow_dash=*/false, /*allow_underscore=*/true)) {
      errors.push_back({where + ".code", "invalid", "field_code_format", {}});
    } else if (!seen.insert(f.code).second) {
      errors.push_back({where + ".code", "duplicate", "field_code_repeated", {{"code", f.code}}});
    }
    bool is_list =
        f.datatype == Datatype::kSingleValueList || f.datatype == Datatype::kMultiValueList;
    if (is_list && f.values.empty()) {
      errors.push_back({where + ".values", "required", "list_values_required", {}});
    }
    if (!is_list && !f.values.empty()) {
      errors.push_back({where + ".values", "not_allowed", "values_only_for_lists", {}});
    }
    std::set<std::string> keys;
    for (const AllowedValue& v : f.values) {
      if (v.key.empty() || !keys.insert(v.key).second) {
        errors.push_back({where + ".values", "invalid", "value_keys_unique", {}});
        break;
      }
    }
    CheckLanguages(f.translations, where, errors);
    for (size_t value_idx = 0; value_idx < f.values.size(); ++value_idx) {
      CheckLanguages(f.values[value_idx].translations,
                     absl::StrCat(where, ".values[", value_idx, "]"), errors);
    }
  }
  CheckLanguages(service.translations, "", errors);
  for (const auto& [lang, text] : service.translations) {
    if (text.name.size() > 200) {
      errors.push_back({absl::StrCat("translations.", lang, ".name"), "invalid",
                        "service_name_length", {{"min", "1"}, {"max", "200"}}});
    }
  }
  if (!errors.empty()) return InvalidFields("The service definition is not valid", errors);
  return absl::OkStatus();
}

const std::string& NameIn(const Service& service, std::string_view lang) {
  return TextIn(service.translations, lang, &ServiceText::name, service.name);
}

const std::string& DescriptionIn(const Service& service, std::string_view lang) {
  return TextIn(service.translations, lang, &ServiceText::description, service.description);
}

const std::string& GroupIn(const Service& service, std::string_view lang) {
  return TextIn(service.translations, lang, &ServiceText::group, service.group);
}

const std::vector<std::string>& KeywordsIn(const Service& service, std::string_view lang) {
  auto it = service.translations.find(std::string(lang));
  if (it == service.translations.end() || it->second.keywords.empty()) return service.keywords;
  return it->second.keywords;
}

const std::string& DescriptionIn(const FormField& field, std::string_view lang) {
  return TextIn(field.translations, lang, &FieldText::description, field.description);
}

const std::string& HelpTextIn(const FormField& field, std::string_view lang) {
  return TextIn(field.translations, lang, &FieldText::help_text, field.help_text);
}

const std::string& NameIn(const AllowedValue& value, std::string_view lang) {
  return TextIn(value.translations, lang, value.name);
}

const std::string& NameIn(const Department& department, std::string_view lang) {
  return TextIn(department.translations, lang, department.name);
}

}  // namespace onestop::domain
