// The catalogue editor of the staff admin area: the service list, a
// service's settings (SLA, channels, departments) and its form fields.
// Registered by RegisterAdminPages (admin_pages.cc); the same permission
// checks and CSRF handling apply.

#include "web/admin_internal.h"

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "services/permissions.h"
#include "web/context.h"
#include "web/form_fields.h"
#include "web/staff_internal.h"

namespace onestop::web::admin_internal {

std::vector<const i18n::Translator*> OtherLanguages() {
  std::vector<const i18n::Translator*> out;
  for (const i18n::Translator* tr : i18n::Catalogs::Default().All()) {
    if (tr->lang() != "en") out.push_back(tr);
  }
  return out;
}

std::string InLanguage(const char* label, const i18n::Translator& tr) {
  return absl::StrCat(label, " (", tr.native_name(), ")");
}

Result ServiceList(WebContext& ctx, const domain::Actor& actor, http::Request& request) {
  if (auto s = RequireAdmin(actor); !s.ok()) return s;
  const i18n::Translator& tr = *ReaderOf(ctx, request, true).tr;
  auto services = ctx.list_services.Run(actor, std::nullopt, /*include_inactive=*/true);
  if (!services.ok()) return services.status();
  View v;
  v.List("services");
  for (const auto& s : *services) {
    View row;
    row.Set("code", s.code).Set("name", s.name).Set("department", s.department);
    row.Set("sla", SlaInWords(s, tr)).Flag("inactive", !s.active);
    v.Add("services", row);
  }
  if (request.QueryParam("flash").value_or("") == "saved") v.Set("flash", tr("Service saved"));
  return MakePage("admin_services", N_("Services"), v, "/staff/admin");
}

http::ParamList ServiceAnswers(const domain::Service& s) {
  http::ParamList a = {{"name", s.name},
                       {"description", s.description},
                       {"department", s.department},
                       {"group", s.group},
                       {"keywords", absl::StrJoin(s.keywords, ", ")},
                       {"sla_amount", std::to_string(s.sla.amount)},
                       {"sla_unit", std::string(domain::SlaUnitName(s.sla.unit))},
                       {"default_team", s.default_team},
                       {"allow_anonymous", s.allow_anonymous ? "yes" : "no"},
                       {"active", s.active ? "yes" : "no"},
                       {"version", std::to_string(s.version)}};
  for (auto c : s.channels) a.push_back({"channels", std::string(domain::ChannelName(c))});
  for (const auto& [lang, text] : s.translations) {
    a.push_back({lang + ".name", text.name});
    a.push_back({lang + ".description", text.description});
    a.push_back({lang + ".group", text.group});
    a.push_back({lang + ".keywords", absl::StrJoin(text.keywords, ", ")});
  }
  return a;
}

Result RenderService(WebContext& ctx, const i18n::Translator& tr, const domain::Service& service,
                     const http::ParamList& answers, const ErrorMap& errors, const std::string& flash) {
  auto snapshot = ctx.deps.catalogue.Get();
  if (!snapshot.ok()) return snapshot.status();
  Options departments, teams;
  for (const auto& d : (*snapshot)->departments) departments.push_back({d.code, d.name});
  for (const auto& t : (*snapshot)->teams) teams.push_back({t.code, t.name});
  Options channels;
  for (auto c : domain::kAllChannels) {
    channels.push_back({std::string(domain::ChannelName(c)), staff_internal::ChannelWords(c, tr)});
  }
  View v;
  const bool is_new = service.code.empty();
  v.Set("code", service.code).Set("service_code", service.code).Set("name", service.name);
  v.Flag("is_new", is_new).Set("action", is_new ? "/staff/admin/services/new" : "/staff/admin/services/" + service.code);
  v.Set("version", FirstValue(answers, "version"));
  v.Set("flash", flash);
  AddErrors(v, errors, {"code", "name", "description", "department", "group", "keywords", "channels", "sla_amount",
                        "sla_unit", "default_team", "allow_anonymous", "active"});
  if (is_new) {
    v.Add("fields", SimpleField("code", tr("Code"), "input", answers, errors, true,
                                tr("Lower-case letters, digits and hyphens, for example missed-bin. Open311 "
                                   "clients see it as service_code; it cannot be changed later.")));
  }
  v.Add("fields", SimpleField("name", tr("Name"), "input", answers, errors));
  v.Add("fields", SimpleField("description", tr("Description"), "textarea", answers, errors, false));
  v.Add("fields", SimpleField("department", tr("Department"), "select", answers, errors, true, "", departments));
  v.Add("fields", SimpleField("group", tr("Group"), "input", answers, errors, false,
                              tr("For example, Bins and recycling")));
  v.Add("fields", SimpleField("keywords", tr("Keywords and synonyms"), "input", answers, errors, false,
                              tr("Separate them with commas")));
  v.Add("fields", Checkboxes("channels", tr("Channels it is offered on"), channels, AllValues(answers, "channels"),
                             errors));
  v.Add("fields", SimpleField("sla_amount", tr("Service level target"), "input", answers, errors, true,
                              tr("A whole number; 0 means no target")));
  v.Add("fields", SimpleField("sla_unit", tr("Target is counted in"), "radios", answers, errors, true, "",
                              {{"working_days", tr("Working days")}, {"working_hours", tr("Working hours")}}));
  v.Add("fields", SimpleField("default_team", tr("Default team"), "select", answers, errors, false, "", teams));
  v.Add("fields", SimpleField("allow_anonymous", tr("May residents report it without contact details?"), "radios",
                              answers, errors, true, "",
                              {{"yes", tr.Context("may report anonymously", "Yes")},
                               {"no", tr.Context("may report anonymously", "No")}}));
  v.Add("fields", SimpleField("active", tr("Offered to residents"), "radios", answers, errors, true, "",
                              {{"yes", tr("Yes, active")}, {"no", tr("No, withdrawn")}}));
  // The same texts in each other language; left empty, residents reading
  // that language see the English.
  for (const i18n::Translator* other : OtherLanguages()) {
    const std::string& lang = other->lang();
    v.Add("fields", SimpleField(lang + ".name", InLanguage(tr("Name"), *other), "input", answers, errors, false,
                                tr("Leave empty to show the English name")));
    v.Add("fields", SimpleField(lang + ".description", InLanguage(tr("Description"), *other), "textarea", answers,
                                errors, false));
    v.Add("fields", SimpleField(lang + ".group", InLanguage(tr("Group"), *other), "input", answers, errors, false));
    v.Add("fields", SimpleField(lang + ".keywords", InLanguage(tr("Keywords and synonyms"), *other), "input",
                                answers, errors, false, tr("Separate them with commas")));
  }
  v.List("form_fields");
  for (const auto& f : service.fields) {
    View row;
    row.Set("code", f.code).Set("question", f.description).Set("datatype", std::string(domain::DatatypeName(f.datatype)));
    row.Flag("required", f.required).Set("order", std::to_string(f.order));
    v.Add("form_fields", row);
  }
  return MakePage("admin_service",
                  is_new ? N_("Add a service") : i18n::Substitute(tr("Edit {name}"), {{"name", service.name}}), v,
                  "/staff/admin", errors);
}

// Failed saves: field errors back on the form, a stale version as a clear error.
ErrorMap SaveErrors(const absl::Status& status, const std::map<std::string, std::string>& rename,
                    const i18n::Translator& tr) {
  if (absl::IsAborted(status) || absl::IsFailedPrecondition(status)) {
    return {{"", tr("Someone else changed this service while you were editing it. Your changes were not "
                    "saved: reload the page to see the current version and make them again.")}};
  }
  ErrorMap out;
  for (auto& [name, message] : ErrorsFromStatus(status, nullptr, tr, rename)) {
    std::string key = name;
    if (key.rfind("fields[", 0) == 0 && key.find("].") != std::string::npos) key = key.substr(key.find("].") + 2);
    out[key] = message;
  }
  if (out.empty()) out[""] = std::string(status.message());
  return out;
}

// The service details of the edit and new-service forms into `s` (its
// code, fields and version untouched); problems into `errors`.
void ReadServiceForm(const http::ParamList& form, domain::Service& s, ErrorMap& errors,
                     const i18n::Translator& tr) {
  s.name = Trim(FirstValue(form, "name"));
  s.description = Trim(FirstValue(form, "description"));
  s.department = FirstValue(form, "department");
  s.group = Trim(FirstValue(form, "group"));
  s.keywords = SplitList(FirstValue(form, "keywords"));
  s.channels.clear();
  for (const auto& c : AllValues(form, "channels")) {
    if (auto ch = domain::ParseChannel(c)) s.channels.push_back(*ch);
  }
  if (s.channels.empty()) errors["channels"] = tr("Select at least one channel");
  if (s.name.empty()) errors["name"] = tr("Enter the service name");
  if (s.department.empty()) errors["department"] = tr("Select the department");
  int amount = 0;
  if (!absl::SimpleAtoi(Trim(FirstValue(form, "sla_amount")), &amount) || amount < 0 || amount > 10000) {
    errors["sla_amount"] = tr("Service level target must be a whole number between 0 and 10000");
  }
  s.sla.amount = amount;
  auto unit = domain::ParseSlaUnit(FirstValue(form, "sla_unit"));
  if (!unit) errors["sla_unit"] = tr("Select how the target is counted");
  else s.sla.unit = *unit;
  s.default_team = FirstValue(form, "default_team");
  s.allow_anonymous = FirstValue(form, "allow_anonymous") == "yes";
  s.active = FirstValue(form, "active") != "no";
  for (const i18n::Translator* other : OtherLanguages()) {
    const std::string& lang = other->lang();
    domain::ServiceText text;
    text.name = Trim(FirstValue(form, lang + ".name"));
    text.description = Trim(FirstValue(form, lang + ".description"));
    text.group = Trim(FirstValue(form, lang + ".group"));
    text.keywords = SplitList(FirstValue(form, lang + ".keywords"));
    if (text == domain::ServiceText{}) {
      s.translations.erase(lang);
    } else {
      s.translations[lang] = std::move(text);
    }
  }
}

Result ServiceEdit(WebContext& ctx, const domain::Actor& actor, http::Request& request) {
  if (auto s = RequireAdmin(actor); !s.ok()) return s;
  const i18n::Translator& tr = *ReaderOf(ctx, request, true).tr;
  auto service = ctx.get_service.Run(request.PathParam("code"));
  if (!service.ok()) return service.status();
  if (request.method != "POST") {
    const std::string flash = request.QueryParam("flash").value_or("") == "saved" ? tr("Saved") : "";
    return RenderService(ctx, tr, *service, ServiceAnswers(*service), {}, flash);
  }
  const http::ParamList form = FormBody(request);
  domain::Service updated = *service;
  ErrorMap errors;
  ReadServiceForm(form, updated, errors, tr);
  if (errors.empty()) {
    auto saved = ctx.save_service.Run(actor, updated, VersionOf(form));
    if (saved.ok()) return GoTo("/staff/admin/services/" + saved->code + "?flash=saved");
    if (!absl::IsInvalidArgument(saved.status()) && !absl::IsAborted(saved.status()) &&
        !absl::IsFailedPrecondition(saved.status())) {
      return saved.status();
    }
    errors = SaveErrors(saved.status(), {{"sla.amount", "sla_amount"}}, tr);
  }
  return RenderService(ctx, tr, *service, form, errors, "");
}

// A new service: its code and details; questions are added afterwards on
// its edit page. Saved create-only (expected version 0), so a code taken
// meanwhile is refused rather than overwritten.
Result ServiceNew(WebContext& ctx, const domain::Actor& actor, http::Request& request) {
  if (auto s = RequireAdmin(actor); !s.ok()) return s;
  const i18n::Translator& tr = *ReaderOf(ctx, request, true).tr;
  domain::Service blank;
  blank.code = "";
  blank.name = tr("New service");
  if (request.method != "POST") {
    http::ParamList defaults = {{"sla_amount", "10"}, {"sla_unit", "working_days"}, {"allow_anonymous", "no"},
                                {"active", "yes"},    {"channels", "phone"},          {"channels", "face_to_face"},
                                {"channels", "web"},  {"channels", "email"}};
    return RenderService(ctx, tr, blank, defaults, {}, "");
  }
  const http::ParamList form = FormBody(request);
  domain::Service created;
  ErrorMap errors;
  created.code = absl::AsciiStrToLower(Trim(FirstValue(form, "code")));
  if (created.code.empty()) errors["code"] = tr("Enter a code for the service, for example missed-bin");
  ReadServiceForm(form, created, errors, tr);
  if (errors.empty()) {
    auto saved = ctx.save_service.Run(actor, created, /*expected_version=*/0);
    if (saved.ok()) return GoTo("/staff/admin/services/" + saved->code + "?flash=saved");
    if (absl::IsAlreadyExists(saved.status())) {
      errors["code"] = tr("A service with this code already exists");
    } else if (absl::IsInvalidArgument(saved.status())) {
      errors = SaveErrors(saved.status(), {{"sla.amount", "sla_amount"}}, tr);
    } else {
      return saved.status();
    }
  }
  return RenderService(ctx, tr, blank, form, errors, "");
}

// Form fields of a service: add (field "new"), edit, remove; each saves the
// whole service with its version.
http::ParamList FieldAnswers(const domain::FormField& f) {
  std::vector<std::string> lines;
  for (const auto& value : f.values) lines.push_back(value.key + "|" + value.name);
  http::ParamList a = {{"code", f.code},
                       {"datatype", std::string(domain::DatatypeName(f.datatype))},
                       {"required", f.required ? "yes" : "no"},
                       {"order", std::to_string(f.order)},
                       {"question", f.description},
                       {"help_text", f.help_text},
                       {"values", absl::StrJoin(lines, "\n")}};
  for (const i18n::Translator* other : OtherLanguages()) {
    const std::string& lang = other->lang();
    if (auto it = f.translations.find(lang); it != f.translations.end()) {
      a.push_back({lang + ".question", it->second.description});
      a.push_back({lang + ".help_text", it->second.help_text});
    }
    std::vector<std::string> labels;
    for (const auto& value : f.values) {
      if (auto it = value.translations.find(lang); it != value.translations.end() && !it->second.empty()) {
        labels.push_back(value.key + "|" + it->second);
      }
    }
    a.push_back({lang + ".values", absl::StrJoin(labels, "\n")});
  }
  return a;
}

Result RenderField(const i18n::Translator& tr, const domain::Service& service, const std::string& field_code,
                   const http::ParamList& answers, const ErrorMap& errors) {
  View v;
  const bool is_new = field_code.empty();
  v.Set("service_code", service.code).Set("service_name", service.name);
  v.Set("action", is_new ? "new" : field_code).Flag("is_new", is_new);
  v.Set("version", FirstValue(answers, "version").empty() ? std::to_string(service.version)
                                                          : FirstValue(answers, "version"));
  AddErrors(v, errors, {"code", "datatype", "required", "order", "question", "help_text", "values"});
  v.Add("fields", SimpleField("code", tr("Field code"), "input", answers, errors, true,
                              tr("Lower-case letters, digits and underscores, for example bin_type")));
  v.Add("fields", SimpleField("datatype", tr("Type of answer"), "select", answers, errors, true, "",
                              {{"string", tr("Short text")}, {"text", tr("Long text")}, {"number", tr("Number")},
                               {"datetime", tr("Date")}, {"singlevaluelist", tr("Choose one")},
                               {"multivaluelist", tr("Choose any")}}));
  v.Add("fields", SimpleField("required", tr("Must residents answer it?"), "radios", answers, errors, true, "",
                              {{"yes", tr("Yes, required")}, {"no", tr("No, optional")}}));
  v.Add("fields", SimpleField("order", tr("Position"), "input", answers, errors, true,
                              tr("Fields are asked in ascending order")));
  v.Add("fields", SimpleField("question", tr("Question"), "input", answers, errors));
  v.Add("fields", SimpleField("help_text", tr("Help text"), "textarea", answers, errors, false));
  v.Add("fields", SimpleField("values", tr("Allowed values"), "textarea", answers, errors, false,
                              tr("For the two choice types only: one per line as key|label, for example "
                                 "blue|Recycling (blue bin)")));
  for (const i18n::Translator* other : OtherLanguages()) {
    const std::string& lang = other->lang();
    v.Add("fields", SimpleField(lang + ".question", InLanguage(tr("Question"), *other), "input", answers, errors,
                                false, tr("Leave empty to ask in English")));
    v.Add("fields", SimpleField(lang + ".help_text", InLanguage(tr("Help text"), *other), "textarea", answers,
                                errors, false));
    v.Add("fields", SimpleField(lang + ".values", InLanguage(tr("Allowed values"), *other), "textarea", answers,
                                errors, false,
                                tr("The labels in this language: one per line as key|label, with the keys above")));
  }
  return MakePage("admin_field",
                  is_new ? N_("Add a field") : i18n::Substitute(tr("Edit field {code}"), {{"code", field_code}}), v,
                  "/staff/admin", errors);
}

Result FieldEdit(WebContext& ctx, const domain::Actor& actor, http::Request& request) {
  if (auto s = RequireAdmin(actor); !s.ok()) return s;
  const i18n::Translator& tr = *ReaderOf(ctx, request, true).tr;
  auto service = ctx.get_service.Run(request.PathParam("code"));
  if (!service.ok()) return service.status();
  const std::string field_code = request.PathParam("field") == "new" ? "" : request.PathParam("field");
  const domain::FormField* existing = field_code.empty() ? nullptr : service->FindField(field_code);
  if (!field_code.empty() && existing == nullptr) return absl::NotFoundError("no such field");
  if (request.method != "POST") {
    domain::FormField blank;
    blank.order = service->fields.empty() ? 1 : service->fields.back().order + 1;
    return RenderField(tr, *service, field_code, FieldAnswers(existing ? *existing : blank), {});
  }
  const http::ParamList form = FormBody(request);
  domain::FormField f;
  ErrorMap errors;
  f.code = Trim(FirstValue(form, "code"));
  if (f.code.empty()) errors["code"] = tr("Enter the field code");
  auto datatype = domain::ParseDatatype(FirstValue(form, "datatype"));
  if (!datatype) errors["datatype"] = tr("Select the type of answer");
  else f.datatype = *datatype;
  f.required = FirstValue(form, "required") == "yes";
  if (!absl::SimpleAtoi(Trim(FirstValue(form, "order")), &f.order)) {
    errors["order"] = tr("Position must be a whole number");
  }
  f.description = Trim(FirstValue(form, "question"));
  if (f.description.empty()) errors["question"] = tr("Enter the question");
  f.help_text = Trim(FirstValue(form, "help_text"));
  for (absl::string_view line : absl::StrSplit(FirstValue(form, "values"), '\n', absl::SkipWhitespace())) {
    std::string l(absl::StripAsciiWhitespace(line));
    size_t bar = l.find('|');
    domain::AllowedValue value;
    value.key = Trim(bar == std::string::npos ? l : l.substr(0, bar));
    value.name = bar == std::string::npos ? value.key : Trim(l.substr(bar + 1));
    f.values.push_back(value);
  }
  for (const i18n::Translator* other : OtherLanguages()) {
    const std::string& lang = other->lang();
    domain::FieldText text{Trim(FirstValue(form, lang + ".question")), Trim(FirstValue(form, lang + ".help_text"))};
    if (!text.description.empty() || !text.help_text.empty()) f.translations[lang] = text;
    for (absl::string_view line : absl::StrSplit(FirstValue(form, lang + ".values"), '\n', absl::SkipWhitespace())) {
      std::string l(absl::StripAsciiWhitespace(line));
      size_t bar = l.find('|');
      const std::string key = Trim(bar == std::string::npos ? l : l.substr(0, bar));
      const std::string label = bar == std::string::npos ? "" : Trim(l.substr(bar + 1));
      bool known = false;
      for (auto& value : f.values) {
        if (value.key == key && !label.empty()) {
          value.translations[lang] = label;
          known = true;
        }
      }
      if (!known) {
        errors[lang + ".values"] = i18n::Substitute(
            tr("‘{key}’ is not one of the allowed values' keys above (key|label)"), {{"key", key}});
      }
    }
  }
  if (errors.empty()) {
    domain::Service updated = *service;
    auto& fields = updated.fields;
    if (existing) {
      for (auto& old : fields) {
        if (old.code == field_code) old = f;
      }
    } else {
      if (service->FindField(f.code)) errors["code"] = tr("This service already has a field with that code");
      fields.push_back(f);
    }
    if (errors.empty()) {
      auto saved = ctx.save_service.Run(actor, updated, VersionOf(form));
      if (saved.ok()) return GoTo("/staff/admin/services/" + saved->code + "?flash=saved");
      if (!absl::IsInvalidArgument(saved.status()) && !absl::IsAborted(saved.status())) return saved.status();
      errors = SaveErrors(saved.status(), {}, tr);
    }
  }
  return RenderField(tr, *service, field_code, form, errors);
}

Result FieldRemove(WebContext& ctx, const domain::Actor& actor, http::Request& request) {
  if (auto s = RequireAdmin(actor); !s.ok()) return s;
  const i18n::Translator& tr = *ReaderOf(ctx, request, true).tr;
  auto service = ctx.get_service.Run(request.PathParam("code"));
  if (!service.ok()) return service.status();
  const std::string field_code = request.PathParam("field");
  domain::Service updated = *service;
  std::erase_if(updated.fields, [&](const auto& f) { return f.code == field_code; });
  if (updated.fields.size() == service->fields.size()) return absl::NotFoundError("no such field");
  auto saved = ctx.save_service.Run(actor, updated, VersionOf(FormBody(request)));
  if (!saved.ok()) {
    if (absl::IsAborted(saved.status())) {
      return RenderService(ctx, tr, *service, ServiceAnswers(*service), SaveErrors(saved.status(), {}, tr), "");
    }
    return saved.status();
  }
  return GoTo("/staff/admin/services/" + saved->code + "?flash=saved");
}

}  // namespace onestop::web::admin_internal
