#include "codec/catalogue.h"

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "codec/translations.h"
#include "common/status.h"

namespace onestop::codec {
namespace {

using domain::Channel;
using domain::Datatype;
using domain::InteractionType;
using domain::SlaUnit;

constexpr Datatype kAllDatatypes[] = {Datatype::kString,          Datatype::kNumber,
                                      Datatype::kDatetime,        Datatype::kText,
                                      Datatype::kSingleValueList, Datatype::kMultiValueList};

template <typename E, size_t N, typename NameFn>
std::string JoinNames(const E (&all)[N], NameFn name) {
  std::vector<std::string> names;
  for (E value : all) names.emplace_back(name(value));
  return absl::StrJoin(names, ", ");
}

boost::json::string_view Js(std::string_view s) { return {s.data(), s.size()}; }

// Department and team codes: what URLs and the store use as keys.
bool IsSlugCode(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

void CheckSlugCode(ObjectReader& in, const std::string& code) {
  if (!code.empty() && !IsSlugCode(code)) {
    in.errors().Add(in.PathOf("code"), "invalid", "slug_code_format");
  }
}

void CheckNotBlank(ObjectReader& in, std::string_view key, const std::string& value) {
  if (value.find_first_not_of(" \t\r\n") == std::string::npos && in.Has(key) &&
      !in.errors().HasErrorAt(in.PathOf(key))) {
    in.errors().Add(in.PathOf(key), "required", "key_blank", {{"key", std::string(key)}});
  }
}

domain::FormField ReadField(ObjectReader& in, size_t index) {
  domain::FormField field;
  if (auto v = in.String("code", Presence::kRequired)) field.code = *v;
  if (auto v = in.Enum("datatype", domain::ParseDatatype, DatatypeNames())) field.datatype = *v;
  if (auto v = in.Bool("required")) field.required = *v;
  // Default: position in the array, so a list written in order needs no numbers.
  field.order = static_cast<int>(index) + 1;
  if (auto v = in.Int32("order", Presence::kOptional, 1, 1000000)) field.order = *v;
  if (auto v = in.String("description", Presence::kRequired)) field.description = *v;
  CheckNotBlank(in, "description", field.description);
  if (auto v = in.String("help_text")) field.help_text = *v;
  in.ForEachObject("values", [&](ObjectReader& value_in, size_t) {
    domain::AllowedValue value;
    if (auto v = value_in.String("key", Presence::kRequired)) value.key = *v;
    if (auto v = value_in.String("name")) {
      value.name = *v;
    } else {
      value.name = value.key;
    }
    ReadTranslations(value_in, [&](ObjectReader& texts, const std::string& lang) {
      if (auto v = texts.String("name")) value.translations[lang] = *v;
    });
    field.values.push_back(std::move(value));
  });
  ReadTranslations(in, [&](ObjectReader& texts, const std::string& lang) {
    domain::FieldText text;
    if (auto v = texts.String("description")) text.description = *v;
    if (auto v = texts.String("help_text")) text.help_text = *v;
    field.translations[lang] = std::move(text);
  });
  return field;
}

// {"<lang>": {"name": ...}}: departments and allowed values.
boost::json::object NameTranslationsToJson(const domain::Translations<std::string>& names) {
  return TranslationsToJson(names, [](const std::string& name) {
    return boost::json::object{{"name", Js(name)}};
  });
}

// Rewrites "fields[<i>]..." from an index into the fields read to the index
// in the input array.
std::string MapFieldIndex(const std::string& field, const std::vector<size_t>& input_index) {
  constexpr std::string_view kPrefix = "fields[";
  if (field.compare(0, kPrefix.size(), kPrefix) != 0) return field;
  size_t close = field.find(']', kPrefix.size());
  if (close == std::string::npos) return field;
  size_t idx = 0;
  for (size_t pos = kPrefix.size(); pos < close; ++pos) {
    if (field[pos] < '0' || field[pos] > '9') return field;
    idx = idx * 10 + static_cast<size_t>(field[pos] - '0');
  }
  if (idx >= input_index.size()) return field;
  return absl::StrCat("fields[", input_index[idx], field.substr(close));
}

}  // namespace

std::string_view ChannelNames() {
  static const std::string* names =
      new std::string(JoinNames(domain::kAllChannels, domain::ChannelName));
  return *names;
}

std::string_view InteractionTypeNames() {
  static const std::string* names = [] {
    std::vector<std::string> out;
    for (int idx = 0; idx <= static_cast<int>(InteractionType::kProcurement); ++idx) {
      out.emplace_back(domain::InteractionTypeName(static_cast<InteractionType>(idx)));
    }
    return new std::string(absl::StrJoin(out, ", "));
  }();
  return *names;
}

std::string_view DatatypeNames() {
  static const std::string* names = new std::string(JoinNames(kAllDatatypes, domain::DatatypeName));
  return *names;
}

std::string_view SlaUnitNames() { return "working_hours, working_days"; }

boost::json::object ServiceToJson(const domain::Service& service) {
  boost::json::object out;
  out["code"] = Js(service.code);
  out["name"] = Js(service.name);
  out["description"] = Js(service.description);
  out["department"] = Js(service.department);
  out["group"] = Js(service.group);
  boost::json::array keywords;
  for (const std::string& keyword : service.keywords) keywords.emplace_back(Js(keyword));
  out["keywords"] = std::move(keywords);
  out["interaction_type"] = Js(domain::InteractionTypeName(service.interaction_type));
  boost::json::array channels;
  for (Channel channel : service.channels) channels.emplace_back(Js(domain::ChannelName(channel)));
  out["channels"] = std::move(channels);
  out["sla"] = boost::json::object{{"amount", service.sla.amount},
                                   {"unit", Js(domain::SlaUnitName(service.sla.unit))}};
  out["default_team"] = Js(service.default_team);
  out["allow_anonymous"] = service.allow_anonymous;
  out["duplicates"] = boost::json::object{{"nearby", service.duplicates.nearby},
                                          {"radius_m", service.duplicates.radius_m},
                                          {"days", service.duplicates.days}};
  out["active"] = service.active;
  out["version"] = service.version;
  boost::json::array fields;
  for (const domain::FormField& field : service.fields) {
    boost::json::object f;
    f["code"] = Js(field.code);
    f["datatype"] = Js(domain::DatatypeName(field.datatype));
    f["required"] = field.required;
    f["order"] = field.order;
    f["description"] = Js(field.description);
    f["help_text"] = Js(field.help_text);
    boost::json::array values;
    for (const domain::AllowedValue& value : field.values) {
      values.emplace_back(boost::json::object{{"key", Js(value.key)},
                                              {"name", Js(value.name)},
                                              {"translations", NameTranslationsToJson(value.translations)}});
    }
    f["values"] = std::move(values);
    f["translations"] = TranslationsToJson(field.translations, [](const domain::FieldText& text) {
      return boost::json::object{{"description", Js(text.description)},
                                 {"help_text", Js(text.help_text)}};
    });
    fields.emplace_back(std::move(f));
  }
  out["fields"] = std::move(fields);
  out["translations"] = TranslationsToJson(service.translations, [](const domain::ServiceText& text) {
    boost::json::array keywords;
    for (const std::string& keyword : text.keywords) keywords.emplace_back(Js(keyword));
    return boost::json::object{{"name", Js(text.name)},
                               {"description", Js(text.description)},
                               {"group", Js(text.group)},
                               {"keywords", std::move(keywords)}};
  });
  return out;
}

std::optional<domain::Service> ReadService(const boost::json::value& json, std::string_view path,
                                           ErrorList& errors) {
  size_t errors_before = errors.size();
  ObjectReader in(json, std::string(path), errors);
  if (!in.is_object()) return std::nullopt;

  domain::Service service;
  if (auto v = in.String("code", Presence::kRequired)) service.code = *v;
  if (auto v = in.String("name", Presence::kRequired)) service.name = *v;
  CheckNotBlank(in, "name", service.name);
  if (auto v = in.String("description")) service.description = *v;
  if (auto v = in.String("department", Presence::kRequired)) service.department = *v;
  if (auto v = in.String("group")) service.group = *v;
  if (auto v = in.StringArray("keywords")) service.keywords = std::move(*v);
  if (auto v = in.Enum("interaction_type", domain::ParseInteractionType, InteractionTypeNames())) {
    service.interaction_type = *v;
  }
  if (auto v = in.EnumArray("channels", domain::ParseChannel, ChannelNames())) {
    service.channels = std::move(*v);
  } else if (!in.Has("channels")) {
    service.channels.assign(std::begin(domain::kAllChannels), std::end(domain::kAllChannels));
  }
  for (size_t idx = 0; idx < service.channels.size(); ++idx) {
    for (size_t earlier = 0; earlier < idx; ++earlier) {
      if (service.channels[earlier] == service.channels[idx]) {
        errors.Add(IndexPath(in.PathOf("channels"), idx), "duplicate", "channel_listed_twice",
                   {{"channel", std::string(domain::ChannelName(service.channels[idx]))}});
      }
    }
  }
  in.WithObject("sla", [&](ObjectReader& sla) {
    if (auto v = sla.Int32("amount", Presence::kRequired)) service.sla.amount = *v;
    if (auto v = sla.Enum("unit", domain::ParseSlaUnit, SlaUnitNames())) service.sla.unit = *v;
  });
  if (auto v = in.String("default_team")) service.default_team = *v;
  if (auto v = in.Bool("allow_anonymous")) service.allow_anonymous = *v;
  in.WithObject("duplicates", [&](ObjectReader& dup) {
    if (auto v = dup.Bool("nearby")) service.duplicates.nearby = *v;
    if (auto v = dup.Int32("radius_m", Presence::kOptional, 1, 5000)) service.duplicates.radius_m = *v;
    if (auto v = dup.Int32("days", Presence::kOptional, 1, 365)) service.duplicates.days = *v;
  });
  if (auto v = in.Bool("active")) service.active = *v;
  if (auto v = in.Int("version")) service.version = *v;
  ReadTranslations(in, [&](ObjectReader& texts, const std::string& lang) {
    domain::ServiceText text;
    if (auto v = texts.String("name")) text.name = *v;
    if (auto v = texts.String("description")) text.description = *v;
    if (auto v = texts.String("group")) text.group = *v;
    if (auto v = texts.StringArray("keywords")) text.keywords = std::move(*v);
    service.translations[lang] = std::move(text);
  });
  // Input index of each field read, for error paths: a non-object element is
  // skipped, so service.fields[i] is not always input fields[i].
  std::vector<size_t> field_input_index;
  in.ForEachObject("fields", [&](ObjectReader& field_in, size_t idx) {
    service.fields.push_back(ReadField(field_in, idx));
    field_input_index.push_back(idx);
  });
  auto field_path = [&](size_t idx) {
    return IndexPath(in.PathOf("fields"), field_input_index[idx]);
  };
  in.Finish();

  // Open311: order is a positive integer unique within the service.
  std::map<int, size_t> first_with_order;
  for (size_t idx = 0; idx < service.fields.size(); ++idx) {
    auto [it, inserted] = first_with_order.emplace(service.fields[idx].order, idx);
    if (!inserted) {
      errors.Add(JoinPath(field_path(idx), "order"), "duplicate", "order_used",
                 {{"order", absl::StrCat(service.fields[idx].order)},
                  {"other", field_path(it->second)}});
    }
  }

  // Domain rules, on the fields in input order so the indices in its errors
  // match the input. Skip errors on paths already reported above (a missing
  // code is "required", not also "invalid").
  absl::Status valid = domain::ValidateServiceDefinition(service);
  for (FieldError& e : FieldErrorsOf(valid)) {
    std::string field = JoinPath(path, MapFieldIndex(e.field, field_input_index));
    if (!errors.HasErrorAt(field)) {
      e.field = std::move(field);
      errors.Add(std::move(e));
    }
  }
  if (!valid.ok() && FieldErrorsOf(valid).empty()) errors.AddStatus(path, valid);
  if (errors.size() != errors_before) return std::nullopt;

  std::stable_sort(
      service.fields.begin(), service.fields.end(),
      [](const domain::FormField& a, const domain::FormField& b) { return a.order < b.order; });
  return service;
}

absl::StatusOr<domain::Service> ServiceFromJson(const boost::json::value& json) {
  ErrorList errors;
  std::optional<domain::Service> service = ReadService(json, "", errors);
  if (!service) return errors.ToStatus("The service definition is not valid");
  return std::move(*service);
}

boost::json::object DepartmentToJson(const domain::Department& department) {
  return boost::json::object{{"code", Js(department.code)},
                             {"name", Js(department.name)},
                             {"translations", NameTranslationsToJson(department.translations)}};
}

std::optional<domain::Department> ReadDepartment(const boost::json::value& json,
                                                 std::string_view path, ErrorList& errors) {
  size_t errors_before = errors.size();
  ObjectReader in(json, std::string(path), errors);
  if (!in.is_object()) return std::nullopt;
  domain::Department department;
  if (auto v = in.String("code", Presence::kRequired)) department.code = *v;
  CheckSlugCode(in, department.code);
  if (auto v = in.String("name", Presence::kRequired)) department.name = *v;
  CheckNotBlank(in, "name", department.name);
  ReadTranslations(in, [&](ObjectReader& texts, const std::string& lang) {
    if (auto v = texts.String("name")) department.translations[lang] = *v;
  });
  in.Finish();
  if (errors.size() != errors_before) return std::nullopt;
  return department;
}

absl::StatusOr<domain::Department> DepartmentFromJson(const boost::json::value& json) {
  ErrorList errors;
  std::optional<domain::Department> department = ReadDepartment(json, "", errors);
  if (!department) return errors.ToStatus("The department is not valid");
  return std::move(*department);
}

boost::json::object TeamToJson(const domain::Team& team) {
  return boost::json::object{
      {"code", Js(team.code)}, {"name", Js(team.name)}, {"department", Js(team.department)}};
}

std::optional<domain::Team> ReadTeam(const boost::json::value& json, std::string_view path,
                                     ErrorList& errors) {
  size_t errors_before = errors.size();
  ObjectReader in(json, std::string(path), errors);
  if (!in.is_object()) return std::nullopt;
  domain::Team team;
  if (auto v = in.String("code", Presence::kRequired)) team.code = *v;
  CheckSlugCode(in, team.code);
  if (auto v = in.String("name", Presence::kRequired)) team.name = *v;
  CheckNotBlank(in, "name", team.name);
  if (auto v = in.String("department", Presence::kRequired)) team.department = *v;
  in.Finish();
  if (errors.size() != errors_before) return std::nullopt;
  return team;
}

absl::StatusOr<domain::Team> TeamFromJson(const boost::json::value& json) {
  ErrorList errors;
  std::optional<domain::Team> team = ReadTeam(json, "", errors);
  if (!team) return errors.ToStatus("The team is not valid");
  return std::move(*team);
}

}  // namespace onestop::codec
