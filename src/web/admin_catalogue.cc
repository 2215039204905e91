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

namespace onestop::web::admin_internal {

Result ServiceList(WebContext& ctx, const domain::Actor& actor, http::Request& request) {
  if (auto s = RequireAdmin(actor); !s.ok()) return s;
  auto services = ctx.list_services.Run(actor, std::nullopt, /*include_inactive=*/true);
  if (!services.ok()) return services.status();
  View v;
  v.List("services");
  for (const auto& s : *services) {
    View row;
    row.Set("code", s.code).Set("name", s.name).Set("department", s.department);
    row.Set("sla", SlaInWords(s)).Flag("inactive", !s.active);
    v.Add("services", row);
  }
  if (request.QueryParam("flash").value_or("") == "saved") v.Set("flash", "Service saved");
  return MakePage("admin_services", "Services", v, "/staff/admin");
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
  return a;
}

Result RenderService(WebContext& ctx, const domain::Service& service, const http::ParamList& answers,
                     const ErrorMap& errors, const std::string& flash) {
  auto snapshot = ctx.deps.catalogue.Get();
  if (!snapshot.ok()) return snapshot.status();
  Options departments, teams;
  for (const auto& d : (*snapshot)->departments) departments.push_back({d.code, d.name});
  for (const auto& t : (*snapshot)->teams) teams.push_back({t.code, t.name});
  Options channels;
  for (auto c : domain::kAllChannels) {
    channels.push_back({std::string(domain::ChannelName(c)), std::string(domain::ChannelName(c))});
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
    v.Add("fields", SimpleField("code", "Code", "input", answers, errors, true,
                                "Lower-case letters, digits and hyphens, for example missed-bin. Open311 "
                                "clients see it as service_code; it cannot be changed later."));
  }
  v.Add("fields", SimpleField("name", "Name", "input", answers, errors));
  v.Add("fields", SimpleField("description", "Description", "textarea", answers, errors, false));
  v.Add("fields", SimpleField("department", "Department", "select", answers, errors, true, "", departments));
  v.Add("fields", SimpleField("group", "Group", "input", answers, errors, false, "For example, Bins and recycling"));
  v.Add("fields", SimpleField("keywords", "Keywords and synonyms", "input", answers, errors, false,
                              "Separate them with commas"));
  v.Add("fields", Checkboxes("channels", "Channels it is offered on", channels, AllValues(answers, "channels"), errors));
  v.Add("fields", SimpleField("sla_amount", "Service level target", "input", answers, errors, true,
                              "A whole number; 0 means no target"));
  v.Add("fields", SimpleField("sla_unit", "Target is counted in", "radios", answers, errors, true, "",
                              {{"working_days", "Working days"}, {"working_hours", "Working hours"}}));
  v.Add("fields", SimpleField("default_team", "Default team", "select", answers, errors, false, "", teams));
  v.Add("fields", SimpleField("allow_anonymous", "May residents report it without contact details?", "radios",
                              answers, errors, true, "", {{"yes", "Yes"}, {"no", "No"}}));
  v.Add("fields", SimpleField("active", "Offered to residents", "radios", answers, errors, true, "",
                              {{"yes", "Yes, active"}, {"no", "No, withdrawn"}}));
  v.List("form_fields");
  for (const auto& f : service.fields) {
    View row;
    row.Set("code", f.code).Set("question", f.description).Set("datatype", std::string(domain::DatatypeName(f.datatype)));
    row.Flag("required", f.required).Set("order", std::to_string(f.order));
    v.Add("form_fields", row);
  }
  return MakePage("admin_service", is_new ? "Add a service" : "Edit " + service.name, v, "/staff/admin", errors);
}

// Failed saves: field errors back on the form, a stale version as a clear error.
ErrorMap SaveErrors(const absl::Status& status, const std::map<std::string, std::string>& rename) {
  if (absl::IsAborted(status) || absl::IsFailedPrecondition(status)) {
    return {{"", "Someone else changed this service while you were editing it. Your changes were not "
                 "saved: reload the page to see the current version and make them again."}};
  }
  ErrorMap out;
  for (auto& [name, message] : ErrorsFromStatus(status, nullptr, rename)) {
    std::string key = name;
    if (key.rfind("fields[", 0) == 0 && key.find("].") != std::string::npos) key = key.substr(key.find("].") + 2);
    out[key] = message;
  }
  if (out.empty()) out[""] = std::string(status.message());
  return out;
}

// The service details of the edit and new-service forms into `s` (its
// code, fields and version untouched); problems into `errors`.
void ReadServiceForm(const http::ParamList& form, domain::Service& s, ErrorMap& errors) {
  s.name = Trim(FirstValue(form, "name"));
  s.description = Trim(FirstValue(form, "description"));
  s.department = FirstValue(form, "department");
  s.group = Trim(FirstValue(form, "group"));
  s.keywords = SplitList(FirstValue(form, "keywords"));
  s.channels.clear();
  for (const auto& c : AllValues(form, "channels")) {
    if (auto ch = domain::ParseChannel(c)) s.channels.push_back(*ch);
  }
  if (s.channels.empty()) errors["channels"] = "Select at least one channel";
  if (s.name.empty()) errors["name"] = "Enter the service name";
  if (s.department.empty()) errors["department"] = "Select the department";
  int amount = 0;
  if (!absl::SimpleAtoi(Trim(FirstValue(form, "sla_amount")), &amount) || amount < 0 || amount > 10000) {
    errors["sla_amount"] = "Service level target must be a whole number between 0 and 10000";
  }
  s.sla.amount = amount;
  auto unit = domain::ParseSlaUnit(FirstValue(form, "sla_unit"));
  if (!unit) errors["sla_unit"] = "Select how the target is counted";
  else s.sla.unit = *unit;
  s.default_team = FirstValue(form, "default_team");
  s.allow_anonymous = FirstValue(form, "allow_anonymous") == "yes";
  s.active = FirstValue(form, "active") != "no";
}

Result ServiceEdit(WebContext& ctx, const domain::Actor& actor, http::Request& request) {
  if (auto s = RequireAdmin(actor); !s.ok()) return s;
  auto service = ctx.get_service.Run(request.PathParam("code"));
  if (!service.ok()) return service.status();
  if (request.method != "POST") {
    const std::string flash = request.QueryParam("flash").value_or("") == "saved" ? "Saved" : "";
    return RenderService(ctx, *service, ServiceAnswers(*service), {}, flash);
  }
  const http::ParamList form = FormBody(request);
  domain::Service updated = *service;
  ErrorMap errors;
  ReadServiceForm(form, updated, errors);
  if (errors.empty()) {
    auto saved = ctx.save_service.Run(actor, updated, VersionOf(form));
    if (saved.ok()) return GoTo("/staff/admin/services/" + saved->code + "?flash=saved");
    if (!absl::IsInvalidArgument(saved.status()) && !absl::IsAborted(saved.status()) &&
        !absl::IsFailedPrecondition(saved.status())) {
      return saved.status();
    }
    errors = SaveErrors(saved.status(), {{"sla.amount", "sla_amount"}});
  }
  return RenderService(ctx, *service, form, errors, "");
}

// A new service: its code and details; questions are added afterwards on
// its edit page. Saved create-only (expected version 0), so a code taken
// meanwhile is refused rather than overwritten.
Result ServiceNew(WebContext& ctx, const domain::Actor& actor, http::Request& request) {
  if (auto s = RequireAdmin(actor); !s.ok()) return s;
  domain::Service blank;
  blank.code = "";
  blank.name = "New service";
  if (request.method != "POST") {
    http::ParamList defaults = {{"sla_amount", "10"}, {"sla_unit", "working_days"}, {"allow_anonymous", "no"},
                                {"active", "yes"},    {"channels", "phone"},          {"channels", "face_to_face"},
                                {"channels", "web"},  {"channels", "email"}};
    return RenderService(ctx, blank, defaults, {}, "");
  }
  const http::ParamList form = FormBody(request);
  domain::Service created;
  ErrorMap errors;
  created.code = absl::AsciiStrToLower(Trim(FirstValue(form, "code")));
  if (created.code.empty()) errors["code"] = "Enter a code for the service, for example missed-bin";
  ReadServiceForm(form, created, errors);
  if (errors.empty()) {
    auto saved = ctx.save_service.Run(actor, created, /*expected_version=*/0);
    if (saved.ok()) return GoTo("/staff/admin/services/" + saved->code + "?flash=saved");
    if (absl::IsAlreadyExists(saved.status())) {
      errors["code"] = "A service with this code already exists";
    } else if (absl::IsInvalidArgument(saved.status())) {
      errors = SaveErrors(saved.status(), {{"sla.amount", "sla_amount"}});
    } else {
      return saved.status();
    }
  }
  return RenderService(ctx, blank, form, errors, "");
}

// Form fields of a service: add (field "new"), edit, remove; each saves the
// whole service with its version.
http::ParamList FieldAnswers(const domain::FormField& f) {
  std::vector<std::string> lines;
  for (const auto& value : f.values) lines.push_back(value.key + "|" + value.name);
  return {{"code", f.code},
          {"datatype", std::string(domain::DatatypeName(f.datatype))},
          {"required", f.required ? "yes" : "no"},
          {"order", std::to_string(f.order)},
          {"question", f.description},
          {"help_text", f.help_text},
          {"values", absl::StrJoin(lines, "\n")}};
}

Result RenderField(const domain::Service& service, const std::string& field_code, const http::ParamList& answers,
                   const ErrorMap& errors) {
  View v;
  const bool is_new = field_code.empty();
  v.Set("service_code", service.code).Set("service_name", service.name);
  v.Set("action", is_new ? "new" : field_code).Flag("is_new", is_new);
  v.Set("version", FirstValue(answers, "version").empty() ? std::to_string(service.version)
                                                          : FirstValue(answers, "version"));
  AddErrors(v, errors, {"code", "datatype", "required", "order", "question", "help_text", "values"});
  v.Add("fields", SimpleField("code", "Field code", "input", answers, errors, true,
                              "Lower-case letters, digits and underscores, for example bin_type"));
  v.Add("fields", SimpleField("datatype", "Type of answer", "select", answers, errors, true, "",
                              {{"string", "Short text"}, {"text", "Long text"}, {"number", "Number"},
                               {"datetime", "Date"}, {"singlevaluelist", "Choose one"},
                               {"multivaluelist", "Choose any"}}));
  v.Add("fields", SimpleField("required", "Must residents answer it?", "radios", answers, errors, true, "",
                              {{"yes", "Yes, required"}, {"no", "No, optional"}}));
  v.Add("fields", SimpleField("order", "Position", "input", answers, errors, true, "Fields are asked in ascending order"));
  v.Add("fields", SimpleField("question", "Question", "input", answers, errors));
  v.Add("fields", SimpleField("help_text", "Help text", "textarea", answers, errors, false));
  v.Add("fields", SimpleField("values", "Allowed values", "textarea", answers, errors, false,
                              "For the two choice types only: one per line as key|label, for example blue|Recycling (blue bin)"));
  return MakePage("admin_field", is_new ? "Add a field" : "Edit field " + field_code, v, "/staff/admin", errors);
}

Result FieldEdit(WebContext& ctx, const domain::Actor& actor, http::Request& request) {
  if (auto s = RequireAdmin(actor); !s.ok()) return s;
  auto service = ctx.get_service.Run(request.PathParam("code"));
  if (!service.ok()) return service.status();
  const std::string field_code = request.PathParam("field") == "new" ? "" : request.PathParam("field");
  const domain::FormField* existing = field_code.empty() ? nullptr : service->FindField(field_code);
  if (!field_code.empty() && existing == nullptr) return absl::NotFoundError("no such field");
  if (request.method != "POST") {
    domain::FormField blank;
    blank.order = service->fields.empty() ? 1 : service->fields.back().order + 1;
    return RenderField(*service, field_code, FieldAnswers(existing ? *existing : blank), {});
  }
  const http::ParamList form = FormBody(request);
  domain::FormField f;
  ErrorMap errors;
  f.code = Trim(FirstValue(form, "code"));
  if (f.code.empty()) errors["code"] = "Enter the field code";
  auto datatype = domain::ParseDatatype(FirstValue(form, "datatype"));
  if (!datatype) errors["datatype"] = "Select the type of answer";
  else f.datatype = *datatype;
  f.required = FirstValue(form, "required") == "yes";
  if (!absl::SimpleAtoi(Trim(FirstValue(form, "order")), &f.order)) errors["order"] = "Position must be a whole number";
  f.description = Trim(FirstValue(form, "question"));
  if (f.description.empty()) errors["question"] = "Enter the question";
  f.help_text = Trim(FirstValue(form, "help_text"));
  for (absl::string_view line : absl::StrSplit(FirstValue(form, "values"), '\n', absl::SkipWhitespace())) {
    std::string l(absl::StripAsciiWhitespace(line));
    size_t bar = l.find('|');
    domain::AllowedValue value;
    value.key = Trim(bar == std::string::npos ? l : l.substr(0, bar));
    value.name = bar == std::string::npos ? value.key : Trim(l.substr(bar + 1));
    f.values.push_back(value);
  }
  if (errors.empty()) {
    domain::Service updated = *service;
    auto& fields = updated.fields;
    if (existing) {
      for (auto& old : fields) {
        if (old.code == field_code) old = f;
      }
    } else {
      if (service->FindField(f.code)) errors["code"] = "This service already has a field with that code";
      fields.push_back(f);
    }
    if (errors.empty()) {
      auto saved = ctx.save_service.Run(actor, updated, VersionOf(form));
      if (saved.ok()) return GoTo("/staff/admin/services/" + saved->code + "?flash=saved");
      if (!absl::IsInvalidArgument(saved.status()) && !absl::IsAborted(saved.status())) return saved.status();
      errors = SaveErrors(saved.status(), {});
    }
  }
  return RenderField(*service, field_code, form, errors);
}

Result FieldRemove(WebContext& ctx, const domain::Actor& actor, http::Request& request) {
  if (auto s = RequireAdmin(actor); !s.ok()) return s;
  auto service = ctx.get_service.Run(request.PathParam("code"));
  if (!service.ok()) return service.status();
  const std::string field_code = request.PathParam("field");
  domain::Service updated = *service;
  std::erase_if(updated.fields, [&](const auto& f) { return f.code == field_code; });
  if (updated.fields.size() == service->fields.size()) return absl::NotFoundError("no such field");
  auto saved = ctx.save_service.Run(actor, updated, VersionOf(FormBody(request)));
  if (!saved.ok()) {
    if (absl::IsAborted(saved.status())) {
      return RenderService(ctx, *service, ServiceAnswers(*service), SaveErrors(saved.status(), {}), "");
    }
    return saved.status();
  }
  return GoTo("/staff/admin/services/" + saved->code + "?flash=saved");
}

}  // namespace onestop::web::admin_internal
