// The resident portal: home, services A–Z and search, a service's start page,
// the report journey (questions → contact details → location → check your
// answers → confirmation) and tracking.
#include <algorithm>
#include <map>
#include <set>

#include "absl/algorithm/container.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "api/support.h"
#include "domain/form_validation.h"
#include "domain/postcode.h"
#include "services/case_rules.h"
#include "web/catalogue_search.h"
#include "web/context.h"
#include "web/form_fields.h"

namespace onestop::web {
namespace {

constexpr const char* kSteps[] = {"questions", "contact", "location", "check"};

// `heading` and `message` are message ids, translated here.
http::Response ErrorPage(const WebContext& ctx, const Reader& r, int status, const char* heading,
                         const char* message) {
  const i18n::Translator& tr = *r.tr;
  View v;
  v.Set("heading", tr(heading)).Set("message", tr(message)).Set("link_href", "/services").Set(
      "link_text", tr("See all services"));
  return Page(ctx, r, status, "message", tr(heading), v);
}

http::Response Unavailable(const WebContext& ctx, const Reader& r, const absl::Status& status) {
  return ErrorPage(ctx, r, api::HttpStatusOf(status) >= 500 ? api::HttpStatusOf(status) : 500,
                   N_("Sorry, there is a problem with the service"), N_("Try again later."));
}

// Web services, for the public.
absl::StatusOr<services::ListServices::Shared> WebServices(WebContext& ctx) {
  return ctx.list_services.RunShared(domain::Actor::Public(), domain::Channel::kWeb);
}

std::map<std::string, std::string> DepartmentNames(WebContext& ctx, const std::string& lang) {
  std::map<std::string, std::string> names;
  auto snapshot = ctx.deps.catalogue.Get();
  if (snapshot.ok()) {
    for (const auto& d : (*snapshot)->departments) names[d.code] = domain::NameIn(d, lang);
  }
  return names;
}

http::Response Home(WebContext& ctx, http::Request& request) {
  const Reader r = ReaderOf(ctx, request, false);
  auto services = WebServices(ctx);
  if (!services.ok()) return Unavailable(ctx, r, services.status());
  View v;
  v.List("popular");
  // The council's choice, else the most used (services/popular_services.h).
  auto popular = ctx.popular_services.Run(8);
  if (!popular.ok()) return Unavailable(ctx, r, popular.status());
  for (const std::string& code : *popular) {
    auto it = std::find_if(services->services.begin(), services->services.end(),
                           [&](const domain::Service* s) { return s->code == code; });
    if (it == services->services.end()) continue;
    View item;
    item.Set("code", code).Set("name", domain::NameIn(**it, r.tr->lang()));
    v.Add("popular", item);
  }
  const i18n::Translator& tr = *r.tr;
  return Page(ctx, r, 200, "home", tr("Home"), v);
}

http::Response ServicesList(WebContext& ctx, http::Request& request) {
  const Reader r = ReaderOf(ctx, request, false);
  const i18n::Translator& tr = *r.tr;
  const std::string& lang = tr.lang();
  auto services = WebServices(ctx);
  if (!services.ok()) return Unavailable(ctx, r, services.status());
  const auto names = DepartmentNames(ctx, lang);
  auto dept_name = [&](const std::string& code) {
    auto it = names.find(code);
    return it == names.end() ? code : it->second;
  };
  View v;
  const std::string query(absl::StripAsciiWhitespace(request.QueryParam("q").value_or("")));
  v.Set("query", query);
  if (!query.empty()) {
    std::vector<const domain::Service*> hits = SearchServices(services->services, query, lang);
    v.List("results");
    for (const domain::Service* s : hits) {
      View item;
      item.Set("code", s->code).Set("name", domain::NameIn(*s, lang)).Set("department_name", dept_name(s->department));
      v.Add("results", item);
    }
    v.Set("result_count", i18n::Substitute(tr.Plural("{n} service", "{n} services", hits.size()),
                                           {{"n", std::to_string(hits.size())}}));
    return Page(ctx, r, 200, "services", i18n::Substitute(tr("Search results for ‘{query}’"), {{"query", query}}), v);
  }
  // A–Z by department name, services A–Z within.
  std::map<std::string, std::vector<const domain::Service*>> by_dept;
  for (const domain::Service* s : services->services) {
    by_dept[dept_name(s->department) + "\n" + s->department].push_back(s);
  }
  v.List("departments");
  for (auto& [key, list] : by_dept) {
    std::sort(list.begin(), list.end(),
              [&](auto* a, auto* b) { return domain::NameIn(*a, lang) < domain::NameIn(*b, lang); });
    View dept;
    dept.Set("name", key.substr(0, key.find('\n'))).Set("code", key.substr(key.find('\n') + 1));
    for (const auto* s : list) {
      View item;
      item.Set("code", s->code).Set("name", domain::NameIn(*s, lang));
      dept.Add("services", item);
    }
    v.Add("departments", dept);
  }
  return Page(ctx, r, 200, "services", tr("Services A to Z"), v);
}

absl::StatusOr<domain::Service> FindService(WebContext& ctx, const std::string& code) {
  auto service = ctx.get_service.Run(code);
  if (!service.ok()) return service.status();
  if (!service->active) return absl::NotFoundError("withdrawn");
  return service;
}

http::Response NotFoundPage(const WebContext& ctx, const Reader& r) {
  return ErrorPage(ctx, r, 404, N_("Page not found"),
                   N_("If you typed the web address, check it is correct."));
}

http::Response Start(WebContext& ctx, http::Request& request) {
  const Reader r = ReaderOf(ctx, request, false);
  const std::string& lang = r.tr->lang();
  auto service = FindService(ctx, request.PathParam("code"));
  if (absl::IsNotFound(service.status())) return NotFoundPage(ctx, r);
  if (!service.ok()) return Unavailable(ctx, r, service.status());
  const auto names = DepartmentNames(ctx, lang);
  View v;
  v.Set("code", service->code).Set("name", domain::NameIn(*service, lang))
      .Set("description", domain::DescriptionIn(*service, lang));
  v.Set("department_name", names.contains(service->department) ? names.at(service->department)
                                                               : service->department);
  v.Flag("online", service->OfferedOn(domain::Channel::kWeb));
  v.Flag("anonymous", service->allow_anonymous);
  v.Set("sla_words", SlaInWords(*service, *r.tr));
  return Page(ctx, r, 200, "start", domain::NameIn(*service, lang), v);
}

// ---- the report journey ----

struct Journey {
  domain::Service service;
  http::ParamList answers;  // every answer so far, from the signed state
  Reader reader;            // who answers, in which language
  const i18n::Translator& tr() const { return *reader.tr; }
  const std::string& name() const { return domain::NameIn(service, reader.tr->lang()); }
};

std::string SignedState(const WebContext& ctx, const Journey& j) {
  return ctx.signer.Sign(j.service.code + "\n" + EncodePairs(j.answers));
}

http::ParamList ContactAnswers(const http::ParamList& answers) { return WithPrefix(answers, "c."); }

bool Anonymous(const Journey& j) {
  return j.service.allow_anonymous && FirstValue(j.answers, "c.choice") == "anonymous";
}

services::ResidentDetails Details(const http::ParamList& answers) {
  services::ResidentDetails d;
  d.given_name = FirstValue(answers, "c.given_name");
  d.family_name = FirstValue(answers, "c.family_name");
  d.email = FirstValue(answers, "c.email");
  d.phone = FirstValue(answers, "c.phone");
  d.postcode = FirstValue(answers, "l.postcode");
  d.address_line = FirstValue(answers, "l.address");
  return d;
}

// The UPRN as typed, spaces removed; "" when not given.
std::string UprnText(const http::ParamList& answers) {
  std::string text = FirstValue(answers, "l.uprn");
  std::erase_if(text, [](char c) { return absl::ascii_isspace(static_cast<unsigned char>(c)); });
  return text;
}

// A UPRN the resident typed that is not 1 to 12 digits is kept out of the
// location (ValidateStep reports it).
domain::Location LocationOf(const http::ParamList& answers) {
  domain::Location location;
  location.postcode = std::string(absl::StripAsciiWhitespace(FirstValue(answers, "l.postcode")));
  location.description = std::string(absl::StripAsciiWhitespace(FirstValue(answers, "l.address")));
  const std::string uprn = UprnText(answers);
  int64_t value = 0;
  if (!uprn.empty() && uprn.size() <= 12 && absl::c_all_of(uprn, absl::ascii_isdigit) &&
      absl::SimpleAtoi(uprn, &value) && value > 0) {
    location.uprn = value;
  }
  return location;
}

const std::map<std::string, std::string> kContactRename = {
    {"given_name", "c.given_name"}, {"family_name", "c.family_name"}, {"email", "c.email"},
    {"phone", "c.phone"},           {"citizen_id", "c.given_name"}};
const std::map<std::string, std::string> kLocationRename = {
    {"location.postcode", "l.postcode"}, {"location.description", "l.address"},
    {"location.uprn", "l.uprn"}};

// Validates one step's answers; empty when fine.
ErrorMap ValidateStep(const std::string& step, const Journey& j) {
  const i18n::Translator& tr = j.tr();
  if (step == "questions") {
    auto values = domain::ValidateFormValues(j.service, FormValuesFromAnswers(j.service, j.answers));
    return values.ok() ? ErrorMap{} : ErrorsFromStatus(values.status(), &j.service, j.tr());
  }
  if (step == "contact") {
    ErrorMap errors;
    const std::string choice = FirstValue(j.answers, "c.choice");
    if (j.service.allow_anonymous && choice.empty()) {
      errors["c.choice"] = tr("Select whether you want to give your contact details");
      return errors;
    }
    if (Anonymous(j)) return errors;
    services::ResidentDetails d = Details(j.answers);
    d.postcode.clear();  // checked on the location step
    absl::Status s = services::ValidateResidentDetails(d);
    return s.ok() ? ErrorMap{} : ErrorsFromStatus(s, nullptr, j.tr(), kContactRename);
  }
  if (step == "location") {
    domain::Location location = LocationOf(j.answers);
    ErrorMap errors;
    if (!UprnText(j.answers).empty() && !location.uprn) {
      errors["l.uprn"] = tr("Enter the UPRN as a number of up to 12 digits, or leave it out");
      return errors;
    }
    if (location.postcode.empty() && location.description.empty() && !location.uprn) {
      errors["l.postcode"] = tr("Enter the postcode, or describe where it is");
      return errors;
    }
    absl::Status s = services::NormaliseAndValidateLocation(location);
    return s.ok() ? ErrorMap{} : ErrorsFromStatus(s, nullptr, j.tr(), kLocationRename);
  }
  return {};
}

std::vector<std::string> ErrorOrder(const Journey& j, const std::string& step) {
  std::vector<std::string> order;
  if (step == "questions") {
    for (const auto& f : j.service.fields) order.push_back("v." + f.code);
  } else if (step == "contact") {
    order = {"c.choice", "c.given_name", "c.family_name", "c.email", "c.phone"};
  } else {
    order = {"l.postcode", "l.address", "l.uprn"};
  }
  return order;
}

http::Response RenderStep(const WebContext& ctx, const Journey& j, const std::string& step,
                          const ErrorMap& errors) {
  const i18n::Translator& tr = j.tr();
  View v;
  v.Set("code", j.service.code).Set("service_name", j.name()).Set("step", step);
  v.Set("state", SignedState(ctx, j)).Set("lang_form", "journey");
  v.List("errors");
  for (auto& e : ErrorSummary(errors, ErrorOrder(j, step), &j.service)) v.Add("errors", e);
  View section;
  std::string title;
  if (step == "questions") {
    title = tr("Tell us about it");
    for (auto& f : ServiceFieldViews(j.service, j.answers, errors, tr)) section.Add("fields", f);
  } else if (step == "contact") {
    title = tr("Your contact details");
    section.Flag("anonymous_allowed", j.service.allow_anonymous);
    if (errors.contains("c.choice")) section.Set("choice_error", errors.at("c.choice"));
    section.Flag("choice_details", FirstValue(j.answers, "c.choice") == "details");
    section.Flag("choice_anonymous", FirstValue(j.answers, "c.choice") == "anonymous");
    const bool optional = j.service.allow_anonymous;
    View given = SimpleField("c.given_name", tr("First name"), "input", j.answers, errors, !optional);
    given.Set("autocomplete", "given-name");
    View family = SimpleField("c.family_name", tr("Last name"), "input", j.answers, errors, !optional);
    family.Set("autocomplete", "family-name");
    View email = SimpleField("c.email", tr("Email address"), "input", j.answers, errors, false,
                             tr("We will send updates here. Give an email address or a phone number."));
    email.Set("autocomplete", "email").Flag("spellcheck_off", true);
    View phone = SimpleField("c.phone", tr("UK telephone number"), "input", j.answers, errors, false);
    phone.Set("autocomplete", "tel").Set("inputmode", "tel").Set("width_class", "govuk-input--width-20");
    for (auto* f : {&given, &family, &email, &phone}) section.Add("fields", *f);
  } else {
    title = tr("Where is it?");
    // A postcode or a description is needed (ValidateStep): neither is
    // labelled "(optional)", the step says "one or both" instead.
    View postcode = SimpleField("l.postcode", tr("Postcode"), "input", j.answers, errors, true,
                                tr("For example, FH1 4AB"));
    postcode.Set("autocomplete", "postal-code").Set("width_class", "govuk-input--width-10");
    View address = SimpleField("l.address", tr("Address or description of the place"), "textarea",
                               j.answers, errors, true,
                               tr("For example, 12 Mill Lane, or outside the school gates"));
    // The field template adds "(optional)" to fields that are not required.
    View uprn = SimpleField("l.uprn", tr("UPRN"), "input", j.answers, errors, false,
                            tr("The Unique Property Reference Number of the address, if you know it. "
                               "It is up to 12 digits long."));
    uprn.Set("inputmode", "numeric").Set("width_class", "govuk-input--width-20").Flag("spellcheck_off", true);
    section.Add("fields", postcode).Add("fields", address).Add("fields", uprn);
  }
  v.Child(step, section);
  return Page(ctx, j.reader, errors.empty() ? 200 : 400, "step", title + " – " + j.name(), v,
              !errors.empty());
}

// The report as OpenCase would get it, without the resident (who is found
// or created only when they send it).
services::NewCase ReportInput(const Journey& j) {
  services::NewCase input;
  input.service_code = j.service.code;
  input.channel = domain::Channel::kWeb;
  input.values = FormValuesFromAnswers(j.service, j.answers);
  input.location = LocationOf(j.answers);
  return input;
}

http::Response RenderCheck(const WebContext& ctx, const Journey& j, const ErrorMap& errors) {
  const i18n::Translator& tr = j.tr();
  const std::string& lang = tr.lang();
  View v;
  v.Set("code", j.service.code).Set("service_name", j.name()).Set("state", SignedState(ctx, j));
  v.Set("lang_form", "check-form");
  v.List("errors");
  for (auto& e : ErrorSummary(errors, {}, &j.service)) v.Add("errors", e);
  const domain::FormValues values = FormValuesFromAnswers(j.service, j.answers);
  auto row = [&tr](const std::string& key, const std::string& value, const std::string& step) {
    View r;
    r.Set("key", key).Set("value", value.empty() ? std::string(tr("Not given")) : value).Set("goto", step);
    return r;
  };
  View problem;
  problem.Set("heading", tr("About the problem"));
  for (const auto& f : j.service.fields) {
    const std::string& question = domain::DescriptionIn(f, lang);
    problem.Add("rows", row(question.empty() ? f.code : question, AnswerText(f, values, tr),
                            "questions"));
  }
  View contact;
  contact.Set("heading", tr("Your details"));
  if (Anonymous(j)) {
    contact.Add("rows", row(tr("Contact details"), tr("Anonymous report"), "contact"));
  } else {
    contact.Add("rows", row(tr("Name"),
                            absl::StrCat(FirstValue(j.answers, "c.given_name"), " ",
                                         FirstValue(j.answers, "c.family_name")),
                            "contact"));
    contact.Add("rows", row(tr("Email address"), FirstValue(j.answers, "c.email"), "contact"));
    contact.Add("rows", row(tr("Telephone"), FirstValue(j.answers, "c.phone"), "contact"));
  }
  View where;
  where.Set("heading", tr("Where"));
  where.Add("rows", row(tr("Postcode"), FirstValue(j.answers, "l.postcode"), "location"));
  where.Add("rows", row(tr("Address or description"), FirstValue(j.answers, "l.address"), "location"));
  where.Add("rows", row(tr("UPRN"), UprnText(j.answers), "location"));
  v.Add("sections", problem).Add("sections", contact).Add("sections", where);
  // Already reported? Open reports of the same problem nearby (the public
  // sees nearby matches only: services/duplicates.h).
  auto found = ctx.check_duplicates.Run(domain::Actor::Public(), ReportInput(j));
  if (found.ok() && !found->empty()) {
    v.Flag("already_reported", true).Flag("can_follow", !Anonymous(j));
    for (const services::DuplicateCandidate& d : *found) {
      View item;
      item.Set("id", std::to_string(d.c.id)).Set("reference", d.c.reference);
      item.Set("status", StatusWords(d.c.status, tr)).Set("status_class", StatusTagClass(d.c.status));
      item.Set("reported", tr.Date(d.c.created_at));
      std::vector<std::string> place;
      if (!d.c.location.description.empty()) place.push_back(d.c.location.description);
      if (!d.c.location.postcode.empty()) place.push_back(d.c.location.postcode);
      item.Set("place", absl::StrJoin(place, ", "));
      if (d.match.distance_m) {
        item.Set("distance", i18n::Substitute(tr("About {metres} metres from the place you gave"),
                                              {{"metres", absl::StrCat(static_cast<int64_t>(*d.match.distance_m + 0.5))}}));
      }
      v.Add("duplicates", item);
    }
  }
  return Page(ctx, j.reader, errors.empty() ? 200 : 400, "check",
              std::string(tr("Check your answers")) + " – " + j.name(), v, !errors.empty());
}

// "Add me to that report to be kept informed": the resident (found or
// created from their details, as a report would be) follows an existing
// report that the check step showed them; no new case.
http::Response Follow(WebContext& ctx, Journey& j, const std::string& case_id_text) {
  int64_t case_id = 0;
  if (Anonymous(j) || !absl::SimpleAtoi(case_id_text, &case_id)) return RenderCheck(ctx, j, {});
  auto citizen = ctx.register_resident.Run(Details(j.answers));
  if (!citizen.ok()) {
    if (absl::IsInvalidArgument(citizen.status())) {
      return RenderStep(ctx, j, "contact", ErrorsFromStatus(citizen.status(), nullptr, j.tr(), kContactRename));
    }
    return Unavailable(ctx, j.reader, citizen.status());
  }
  services::FollowRequest request{case_id, *citizen, domain::Channel::kWeb, false, ReportInput(j)};
  auto followed = ctx.follow_case.Run(domain::Actor::Public(), request);
  if (absl::IsNotFound(followed.status()) || absl::IsFailedPrecondition(followed.status())) {
    return RenderCheck(ctx, j, {});  // no longer open or nearby: show the check again
  }
  if (!followed.ok()) return Unavailable(ctx, j.reader, followed.status());
  std::string token = ctx.signer.Sign("followed\n" + followed->c.reference);
  return Redirect("/services/" + j.service.code + "/done?t=" + token);
}

http::Response Submit(WebContext& ctx, Journey& j) {
  // Every step again: the state is signed, but the catalogue may have changed.
  for (const char* step : {"questions", "contact", "location"}) {
    ErrorMap errors = ValidateStep(step, j);
    if (!errors.empty()) return RenderStep(ctx, j, step, errors);
  }
  services::NewCase input;
  input.service_code = j.service.code;
  input.channel = domain::Channel::kWeb;
  input.values = FormValuesFromAnswers(j.service, j.answers);
  input.location = LocationOf(j.answers);
  if (!Anonymous(j)) {
    auto citizen = ctx.register_resident.Run(Details(j.answers));
    if (!citizen.ok()) {
      if (absl::IsInvalidArgument(citizen.status())) {
        return RenderStep(ctx, j, "contact",
                          ErrorsFromStatus(citizen.status(), nullptr, j.tr(), kContactRename));
      }
      return Unavailable(ctx, j.reader, citizen.status());
    }
    input.citizen_id = *citizen;
  }
  auto opened = ctx.open_case.Run(domain::Actor::Public(), input);
  if (!opened.ok()) {
    if (absl::IsInvalidArgument(opened.status())) {
      ErrorMap errors = ErrorsFromStatus(opened.status(), &j.service, j.tr(), kLocationRename);
      bool on_questions = std::any_of(errors.begin(), errors.end(),
                                      [](const auto& e) { return e.first.rfind("v.", 0) == 0; });
      if (on_questions) return RenderStep(ctx, j, "questions", errors);
      if (errors.contains("l.postcode") || errors.contains("l.address")) {
        return RenderStep(ctx, j, "location", errors);
      }
      return RenderCheck(ctx, j, errors);
    }
    return Unavailable(ctx, j.reader, opened.status());
  }
  const domain::Case& c = opened->c;
  std::string token = ctx.signer.Sign("done\n" + c.reference);
  return Redirect("/services/" + j.service.code + "/done?t=" + token);
}

http::Response ReportGet(WebContext& ctx, http::Request& request) {
  const Reader r = ReaderOf(ctx, request, false);
  auto service = FindService(ctx, request.PathParam("code"));
  if (absl::IsNotFound(service.status())) return NotFoundPage(ctx, r);
  if (!service.ok()) return Unavailable(ctx, r, service.status());
  if (!service->OfferedOn(domain::Channel::kWeb)) return Redirect("/services/" + service->code);
  Journey j{*service, {}, r};
  return RenderStep(ctx, j, "questions", {});
}

http::Response ReportPost(WebContext& ctx, http::Request& request) {
  const Reader r = ReaderOf(ctx, request, false);
  auto service = FindService(ctx, request.PathParam("code"));
  if (absl::IsNotFound(service.status())) return NotFoundPage(ctx, r);
  if (!service.ok()) return Unavailable(ctx, r, service.status());
  if (!service->OfferedOn(domain::Channel::kWeb)) return Redirect("/services/" + service->code);
  const http::ParamList form = FormBody(request);
  Journey j{*service, {}, r};
  std::optional<std::string> state = ctx.signer.Verify(FirstValue(form, "state"));
  if (!state || state->rfind(service->code + "\n", 0) != 0) {
    return ErrorPage(ctx, r, 400, N_("Sorry, we could not read your answers"),
                     N_("Your session may have ended. Start again from the service page."));
  }
  j.answers = DecodePairs(state->substr(service->code.size() + 1));
  const std::string step = FirstValue(form, "step");
  const std::string go = FirstValue(form, "goto");
  if (step == "check") {
    if (go == "submit") return Submit(ctx, j);
    // "Add me to that report": the button's value is the report's id.
    if (const std::string follow = FirstValue(form, "follow_case"); !follow.empty()) {
      return Follow(ctx, j, follow);
    }
    if (go == "questions" || go == "contact" || go == "location") return RenderStep(ctx, j, go, {});
    return RenderCheck(ctx, j, {});
  }
  const char* prefix = step == "questions" ? "v." : step == "contact" ? "c." : step == "location" ? "l." : nullptr;
  if (prefix == nullptr) return RenderStep(ctx, j, "questions", {});
  // Replace this step's answers with the ones just posted.
  http::ParamList merged;
  for (const auto& pair : j.answers) {
    if (pair.first.rfind(prefix, 0) != 0) merged.push_back(pair);
  }
  for (const auto& pair : WithPrefix(form, prefix)) merged.push_back(pair);
  j.answers = std::move(merged);
  // The language switch posts the form: the same step again, answers kept.
  if (go == "stay") return RenderStep(ctx, j, step, {});
  ErrorMap errors = ValidateStep(step, j);
  if (!errors.empty()) return RenderStep(ctx, j, step, errors);
  // Next step: the first later step not yet answered, else check your answers.
  const bool has_contact = !ContactAnswers(j.answers).empty();
  const bool has_location = !WithPrefix(j.answers, "l.").empty();
  if (step == "questions" && !has_contact) return RenderStep(ctx, j, "contact", {});
  if (step != "location" && !has_location) return RenderStep(ctx, j, "location", {});
  return RenderCheck(ctx, j, {});
}

http::Response Done(WebContext& ctx, http::Request& request) {
  const Reader r = ReaderOf(ctx, request, false);
  const i18n::Translator& tr = *r.tr;
  auto service = FindService(ctx, request.PathParam("code"));
  std::optional<std::string> token = ctx.signer.Verify(request.QueryParam("t").value_or(""));
  const bool followed = token && token->rfind("followed\n", 0) == 0;
  if (!service.ok() || !token || (!followed && token->rfind("done\n", 0) != 0)) return NotFoundPage(ctx, r);
  View v;
  v.Set("reference", token->substr(followed ? 9 : 5)).Set("service_name", domain::NameIn(*service, tr.lang()));
  if (followed) {
    v.Flag("followed", true);
    return Page(ctx, r, 200, "done", tr("You will be kept informed"), v);
  }
  v.Set("sla_words", SlaInWords(*service, tr));
  auto due = services::DueTime(ctx.deps.calendar, *service, ctx.deps.clock.Now());
  if (due) v.Set("due", tr.Date(*due));
  return Page(ctx, r, 200, "done", tr("Request sent"), v);
}

// ---- tracking ----

http::Response RenderTrack(const WebContext& ctx, const Reader& r, const http::ParamList& answers,
                           const ErrorMap& errors, int status) {
  const i18n::Translator& tr = *r.tr;
  View v;
  v.List("errors");
  for (auto& e : ErrorSummary(errors, {"t.reference", "t.contact"})) v.Add("errors", e);
  View reference = SimpleField("t.reference", tr("Reference"), "input", answers, errors, true,
                               tr("For example, 4K7P-9QX3"));
  reference.Set("width_class", "govuk-input--width-10").Flag("spellcheck_off", true);
  View contact = SimpleField("t.contact", tr("Email address or postcode you gave us"), "input", answers,
                             errors, true);
  contact.Flag("spellcheck_off", true);
  v.Add("fields", reference).Add("fields", contact);
  return Page(ctx, r, status, "track", tr("Track a request"), v, !errors.empty());
}

http::Response TrackGet(WebContext& ctx, http::Request& request) {
  return RenderTrack(ctx, ReaderOf(ctx, request, false), {}, {}, 200);
}

http::Response TrackPost(WebContext& ctx, http::Request& request) {
  const Reader r = ReaderOf(ctx, request, false);
  const i18n::Translator& tr = *r.tr;
  const http::ParamList form = FormBody(request);
  const std::string reference = FirstValue(form, "t.reference");
  const std::string contact = FirstValue(form, "t.contact");
  ErrorMap errors;
  if (absl::StripAsciiWhitespace(reference).empty()) errors["t.reference"] = tr("Enter your reference");
  if (absl::StripAsciiWhitespace(contact).empty()) {
    errors["t.contact"] = tr("Enter the email address or postcode you gave us");
  }
  if (!errors.empty()) return RenderTrack(ctx, r, form, errors, 400);
  const absl::Time now = ctx.deps.clock.Now();
  const std::string who = request.remote_address;
  if (ctx.track_limiter.Blocked(who, now)) {
    errors[""] = tr("Too many attempts. Wait 15 minutes and try again.");
    return RenderTrack(ctx, r, form, errors, 429);
  }
  auto tracked = ctx.track_case.Run(absl::AsciiStrToUpper(reference), contact);
  if (absl::IsNotFound(tracked.status())) {
    ctx.track_limiter.RecordFailure(who, now);
    // The same words whichever half of the pair was wrong.
    errors["t.reference"] =
        tr("We could not find a request with that reference and email address or postcode");
    return RenderTrack(ctx, r, form, errors, 404);
  }
  if (!tracked.ok()) return Unavailable(ctx, r, tracked.status());
  View result;
  std::string service_name = tracked->service_name;
  if (auto service = ctx.get_service.Run(tracked->service_code); service.ok()) {
    service_name = domain::NameIn(*service, tr.lang());
  }
  result.Set("reference", tracked->reference).Set("service_name", service_name);
  result.Set("status", StatusWords(tracked->status, tr)).Set("status_class", StatusTagClass(tracked->status));
  result.Set("created", tr.Date(tracked->created_at));
  if (tracked->due_at && !domain::IsFinished(tracked->status)) result.Set("due", tr.Date(*tracked->due_at));
  if (tracked->resolved_at) result.Set("resolved", tr.Date(*tracked->resolved_at));
  result.List("notes");
  for (const auto& note : tracked->public_notes) {
    View n;
    n.Set("at", tr.DateTime(note.created_at)).Set("body", note.body);
    result.Add("notes", n);
  }
  if (tracked->original) {
    // Closed as a duplicate: the original's progress is this resident's.
    const auto& o = *tracked->original;
    View original;
    original.Set("reference", o.reference);
    original.Set("status", StatusWords(o.status, tr)).Set("status_class", StatusTagClass(o.status));
    if (o.due_at && !domain::IsFinished(o.status)) original.Set("due", tr.Date(*o.due_at));
    if (o.resolved_at) original.Set("resolved", tr.Date(*o.resolved_at));
    original.List("notes");
    for (const auto& note : o.public_notes) {
      View n;
      n.Set("at", tr.DateTime(note.created_at)).Set("body", note.body);
      original.Add("notes", n);
    }
    result.Child("original", original);
  }
  View v;
  v.Child("result", result);
  v.List("errors");
  return Page(ctx, r, 200, "track", i18n::Substitute(tr("Request {reference}"), {{"reference", tracked->reference}}), v);
}

}  // namespace

void RegisterPortalRoutes(http::Router& router, WebContext& ctx) {
  auto add = [&](const char* method, const char* pattern,
                 http::Response (*fn)(WebContext&, http::Request&)) {
    router.Add(method, pattern, [&ctx, fn](http::Request& request) { return fn(ctx, request); });
  };
  add("GET", "/", Home);
  add("GET", "/services", ServicesList);
  add("GET", "/services/{code}", Start);
  add("GET", "/services/{code}/report", ReportGet);
  add("POST", "/services/{code}/report", ReportPost);
  add("GET", "/services/{code}/done", Done);
  add("GET", "/track", TrackGet);
  add("POST", "/track", TrackPost);
}

}  // namespace onestop::web
