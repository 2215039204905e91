// The staff contact screen: find a resident, the single view, recording a
// contact, raising a case with the generated form and a new resident with a
// duplicate warning. Registered by RegisterStaffRoutes (staff.cc).

#include "web/staff_internal.h"

#include <algorithm>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "api/support.h"
#include "domain/contact.h"
#include "domain/postcode.h"
#include "services/case_rules.h"
#include "web/context.h"
#include "web/form_fields.h"

namespace onestop::web::staff_internal {

// ---- contact screen ----

std::string AddressText(const domain::Address& a) {
  std::vector<std::string> parts;
  for (const auto* p : {&a.line1, &a.line2, &a.town, &a.postcode}) {
    if (!p->empty()) parts.push_back(*p);
  }
  return absl::StrJoin(parts, ", ");
}

View CitizenRow(const domain::Citizen& c, const i18n::Translator& tr) {
  View row;
  row.Set("id", std::to_string(c.id)).Set("name", c.DisplayName().empty() ? tr("(no name)") : c.DisplayName());
  row.Set("phone", c.phones.empty() ? "" : c.phones.front());
  row.Set("email", c.emails.empty() ? "" : c.emails.front());
  row.Set("address", c.addresses.empty() ? "" : AddressText(c.addresses.front()));
  return row;
}

http::Response ContactScreen(WebContext& ctx, http::Request& request, Staff& staff) {
  const i18n::Translator& tr = staff.tr();
  domain::CitizenQuery query;
  query.phone = request.QueryParam("phone").value_or("");
  query.email = request.QueryParam("email").value_or("");
  query.name = std::string(absl::StripAsciiWhitespace(request.QueryParam("name").value_or("")));
  query.postcode = request.QueryParam("postcode").value_or("");
  query.limit = 25;
  View v;
  v.Set("phone", query.phone).Set("email", query.email).Set("name", query.name).Set("postcode", query.postcode);
  const bool searched = !query.phone.empty() || !query.email.empty() || !query.name.empty() ||
                        !query.postcode.empty();
  v.Flag("searched", searched);
  if (searched) {
    auto found = ctx.find_citizens.Run(staff.actor, query);
    if (!found.ok() && !absl::IsInvalidArgument(found.status())) return StatusPage(ctx, staff, found.status());
    v.List("citizens");
    size_t count = 0;
    if (found.ok()) {
      for (const auto& c : *found) {
        v.Add("citizens", CitizenRow(c, tr));
        ++count;
      }
    }
    v.Set("result_count",
          count == 0 ? tr("No matching residents")
                     : i18n::Substitute(tr.Plural("{n} matching resident", "{n} matching residents", count),
                                        {{"n", std::to_string(count)}}));
    v.Flag("can_create", staff.actor.role != domain::Role::kOfficer);
    v.Set("create_query", EncodePairs({{"phone", query.phone}, {"email", query.email},
                                       {"name", query.name}, {"postcode", query.postcode}}));
  }
  return StaffPage(ctx, staff, 200, "contact", N_("Contact screen"), v, "/staff");
}

std::vector<View> NewCitizenFields(const http::ParamList& answers, const ErrorMap& errors,
                                   const i18n::Translator& tr) {
  return {SimpleField("given_name", tr("First name"), "input", answers, errors, false),
          SimpleField("family_name", tr("Last name"), "input", answers, errors),
          SimpleField("phone", tr("Phone"), "input", answers, errors, false),
          SimpleField("email", tr("Email address"), "input", answers, errors, false),
          SimpleField("line1", tr("Address"), "input", answers, errors, false),
          SimpleField("postcode", tr("Postcode"), "input", answers, errors, false)};
}

http::Response RenderNewCitizen(WebContext& ctx, Staff& staff, const http::ParamList& answers,
                                const ErrorMap& errors, const std::vector<domain::Citizen>& dups) {
  const i18n::Translator& tr = staff.tr();
  View v;
  v.List("errors").List("duplicates");
  for (auto& e : ErrorSummary(errors, {"given_name", "family_name", "phone", "email", "postcode"})) {
    v.Add("errors", e);
  }
  for (const auto& d : dups) {
    View row = CitizenRow(d, tr);
    row.Set("detail", absl::StrJoin({std::string(d.phones.empty() ? "" : d.phones[0]),
                                     std::string(d.emails.empty() ? "" : d.emails[0])}, " "));
    v.Add("duplicates", row);
  }
  for (auto& f : NewCitizenFields(answers, errors, tr)) v.Add("fields", f);
  return StaffPage(ctx, staff, errors.empty() ? 200 : 400, "citizen_new", N_("New resident record"), v,
                   "/staff", !errors.empty());
}

http::Response CitizenNewGet(WebContext& ctx, http::Request& request, Staff& staff) {
  http::ParamList answers;
  for (const char* key : {"phone", "email", "postcode"}) {
    answers.push_back({key, request.QueryParam(key).value_or("")});
  }
  answers.push_back({"family_name", request.QueryParam("name").value_or("")});
  return RenderNewCitizen(ctx, staff, answers, {}, {});
}

http::Response CitizenNewPost(WebContext& ctx, http::Request& request, Staff& staff) {
  const http::ParamList form = FormBody(request);
  domain::Citizen c;
  c.given_name = FirstValue(form, "given_name");
  c.family_name = FirstValue(form, "family_name");
  if (!FirstValue(form, "phone").empty()) c.phones.push_back(FirstValue(form, "phone"));
  if (!FirstValue(form, "email").empty()) c.emails.push_back(FirstValue(form, "email"));
  if (!FirstValue(form, "line1").empty() || !FirstValue(form, "postcode").empty()) {
    c.addresses.push_back({std::nullopt, FirstValue(form, "line1"), "", "", FirstValue(form, "postcode")});
  }
  absl::Status valid = services::NormaliseAndValidateCitizen(c);
  if (!valid.ok()) {
    return RenderNewCitizen(ctx, staff, form,
                            ErrorsFromStatus(valid, nullptr, staff.tr(),
                                             {{"given_name", "given_name"}, {"family_name", "family_name"},
                                              {"phones[0]", "phone"}, {"emails[0]", "email"},
                                              {"addresses[0].postcode", "postcode"}}),
                            {});
  }
  if (FirstValue(form, "confirm") != "1") {
    // Likely duplicates first: the agent decides before a second record exists.
    std::vector<domain::Citizen> dups;
    std::vector<domain::CitizenQuery> queries;
    for (const auto& p : c.phones) queries.emplace_back().phone = p;
    for (const auto& e : c.emails) queries.emplace_back().email = e;
    for (const auto& a : c.addresses) {
      if (a.postcode.empty()) continue;
      domain::CitizenQuery& q = queries.emplace_back();
      q.postcode = a.postcode;
      q.name = c.family_name;
    }
    for (auto& q : queries) {
      q.limit = 10;
      auto found = ctx.find_citizens.Run(staff.actor, q);
      if (!found.ok()) continue;
      for (auto& f : *found) {
        if (std::none_of(dups.begin(), dups.end(), [&](const auto& d) { return d.id == f.id; })) dups.push_back(f);
      }
    }
    if (!dups.empty()) return RenderNewCitizen(ctx, staff, form, {}, dups);
  }
  auto created = ctx.create_citizen.Run(staff.actor, c, domain::Channel::kPhone);
  if (!created.ok()) {
    if (absl::IsInvalidArgument(created.status())) {
      return RenderNewCitizen(ctx, staff, form, ErrorsFromStatus(created.status(), nullptr, staff.tr()), {});
    }
    return StatusPage(ctx, staff, created.status());
  }
  return Redirect(absl::StrCat("/staff/citizens/", created->citizen.id, "?flash=created"));
}

std::vector<std::pair<std::string, std::string>> ChannelOptions(const i18n::Translator& tr) {
  return {{"phone", tr("Phone")}, {"face_to_face", tr("Face to face")}, {"email", tr("Email")}};
}

std::vector<View> ContactFields(const http::ParamList& answers, const ErrorMap& errors,
                                const i18n::Translator& tr) {
  return {SimpleField("channel", tr("Channel"), "select", answers, errors, true, "", ChannelOptions(tr)),
          SimpleField("reason", tr("Reason for contact"), "textarea", answers, errors),
          SimpleField("outcome", tr("Outcome"), "radios", answers, errors, true, "",
                      {{"resolved_first_contact", tr("Resolved there and then (first contact resolution)")},
                       {"information_given", tr("Information given")},
                       {"transferred", tr("Transferred")},
                       {"other", tr("Other")}})};
}

// A contact's outcome (the code, "information_given") in the reader's language.
const char* OutcomeWords(domain::ContactOutcome outcome, const i18n::Translator& tr) {
  switch (outcome) {
    case domain::ContactOutcome::kResolvedFirstContact: return tr("resolved_first_contact");
    case domain::ContactOutcome::kCaseRaised: return tr("case_raised");
    case domain::ContactOutcome::kCaseUpdated: return tr("case_updated");
    case domain::ContactOutcome::kInformationGiven: return tr("information_given");
    case domain::ContactOutcome::kTransferred: return tr("transferred");
    case domain::ContactOutcome::kAbandoned: return tr("abandoned");
    case domain::ContactOutcome::kOther: return tr("other");
  }
  return tr("other");
}

http::Response RenderCitizen(WebContext& ctx, http::Request& request, Staff& staff, int64_t id,
                             const http::ParamList& answers, const ErrorMap& errors) {
  auto citizen = ctx.get_citizen.Run(staff.actor, id);
  if (!citizen.ok()) return StatusPage(ctx, staff, citizen.status());
  auto timeline = ctx.get_timeline.Run(staff.actor, id, 100);
  if (!timeline.ok()) return StatusPage(ctx, staff, timeline.status());
  auto services = ctx.list_services.Run(staff.actor, std::nullopt);
  if (!services.ok()) return StatusPage(ctx, staff, services.status());
  std::map<std::string, std::string> service_names;
  for (const auto& s : *services) service_names[s.code] = s.name;
  const i18n::Translator& tr = staff.tr();

  View v;
  v.Set("id", std::to_string(id)).Set("name", citizen->DisplayName());
  v.Set("phones", absl::StrJoin(citizen->phones, ", "));
  v.Set("emails", absl::StrJoin(citizen->emails, ", "));
  v.Set("address", citizen->addresses.empty() ? "" : AddressText(citizen->addresses.front()));
  const std::string flash = request.QueryParam("flash").value_or("");
  if (flash == "created") v.Set("flash", tr("Resident record created"));
  if (flash == "contact") v.Set("flash", tr("Contact recorded"));
  v.List("errors");
  for (auto& e : ErrorSummary(errors, {"channel", "reason", "outcome", "article_id"})) v.Add("errors", e);
  v.Flag("can_contact", true);
  for (auto& f : ContactFields(answers, errors, tr)) v.Add("contact_fields", f);
  // Answered from an article (first-contact resolution): a GET search for
  // articles, whose hits become a choice in the contact form.
  const std::string article_q(absl::StripAsciiWhitespace(
      request.QueryParam("article_q").value_or(FirstValue(answers, "article_q"))));
  v.Set("article_q", article_q);
  if (!article_q.empty()) {
    domain::SearchQuery q;
    q.text = article_q.substr(0, 200);
    q.kinds = {"article"};
    q.limit = 8;
    auto found = ctx.search.Run(staff.actor, q);
    v.Flag("article_searched", true);
    v.List("article_options");
    const std::string chosen = FirstValue(answers, "article_id");
    if (found.ok()) {
      for (const auto& hit : found->hits) {
        if (hit.kind != "article") continue;
        View option;
        option.Set("value", hit.id).Set("label", hit.title).Flag("checked", chosen == hit.id);
        v.Add("article_options", option);
      }
    }
  }
  v.Flag("can_raise", true);
  for (const auto& s : *services) {
    if (staff.actor.role == domain::Role::kOfficer && s.department != staff.actor.department) continue;
    if (!s.OfferedOn(domain::Channel::kPhone) && !s.OfferedOn(domain::Channel::kFaceToFace)) continue;
    View item;
    item.Set("code", s.code).Set("name", s.name);
    v.Add("services", item);
  }
  v.List("timeline");
  for (const auto& entry : *timeline) {
    View item;
    item.Set("at", tr.DateTime(entry.at));
    if (const auto* contact = std::get_if<domain::Contact>(&entry.item)) {
      item.Set("kind", i18n::Substitute(tr("Contact by {channel}"), {{"channel", ChannelWords(contact->channel, tr)}}));
      item.Set("title", contact->reason.empty() ? tr("Contact") : contact->reason);
      item.Set("detail", absl::StrCat(i18n::Substitute(tr("Outcome: {outcome}"),
                                                       {{"outcome", OutcomeWords(contact->outcome, tr)}}),
                                      contact->outcome == domain::ContactOutcome::kResolvedFirstContact
                                          ? " (FCR)" : ""));
    } else if (const auto* c = std::get_if<domain::Case>(&entry.item)) {
      item.Set("kind", i18n::Substitute(tr("Case via {channel}"), {{"channel", ChannelWords(c->channel, tr)}}));
      item.Set("title", absl::StrCat(c->reference, " – ", service_names.contains(c->service_code)
                                                             ? service_names[c->service_code]
                                                             : c->service_code));
      item.Set("href", "/staff/cases/" + c->reference);
      item.Set("detail", absl::StrCat(StaffStatusWords(c->status, tr), " · ", c->summary));
    } else if (const auto* e = std::get_if<domain::Event>(&entry.item)) {
      item.Set("kind", tr("Event"));
      item.Set("title", e->type + (e->entity_key.empty() ? "" : " " + e->entity_key));
    }
    v.Add("timeline", item);
  }
  return StaffPage(ctx, staff, errors.empty() ? 200 : 400, "citizen", citizen->DisplayName(), v,
                   "/staff", !errors.empty());
}

bool ParseId(const std::string& text, int64_t* id) { return absl::SimpleAtoi(text, id) && *id > 0; }

http::Response CitizenGet(WebContext& ctx, http::Request& request, Staff& staff) {
  int64_t id = 0;
  if (!ParseId(request.PathParam("id"), &id)) return StatusPage(ctx, staff, absl::NotFoundError(""));
  return RenderCitizen(ctx, request, staff, id, {{"channel", "phone"}}, {});
}

http::Response ContactPost(WebContext& ctx, http::Request& request, Staff& staff) {
  const i18n::Translator& tr = staff.tr();
  int64_t id = 0;
  if (!ParseId(request.PathParam("id"), &id)) return StatusPage(ctx, staff, absl::NotFoundError(""));
  const http::ParamList form = FormBody(request);
  ErrorMap errors;
  domain::Contact contact;
  contact.citizen_id = id;
  auto channel = domain::ParseChannel(FirstValue(form, "channel"));
  if (!channel) errors["channel"] = tr("Select the channel");
  auto outcome = domain::ParseContactOutcome(FirstValue(form, "outcome"));
  if (!outcome) errors["outcome"] = tr("Select the outcome");
  contact.reason = std::string(absl::StripAsciiWhitespace(FirstValue(form, "reason")));
  if (contact.reason.empty()) errors["reason"] = tr("Enter the reason for contact");
  if (!errors.empty()) return RenderCitizen(ctx, request, staff, id, form, errors);
  contact.channel = *channel;
  contact.outcome = *outcome;
  int64_t article_id = 0;
  const std::string article_text = FirstValue(form, "article_id");
  if (!article_text.empty() && !ParseId(article_text, &article_id)) {
    return RenderCitizen(ctx, request, staff, id, form, {{"article_id", tr("Select an article from the list")}});
  }
  if (article_id > 0) {
    auto article = ctx.get_article.Run(staff.actor, article_id);
    if (!article.ok()) {
      return RenderCitizen(ctx, request, staff, id, form, {{"article_id", tr("Select an article from the list")}});
    }
  }
  auto recorded = ctx.record_contact.Run(staff.actor, contact);
  if (!recorded.ok()) {
    if (absl::IsInvalidArgument(recorded.status())) {
      return RenderCitizen(ctx, request, staff, id, form, ErrorsFromStatus(recorded.status(), nullptr, tr));
    }
    return StatusPage(ctx, staff, recorded.status());
  }
  if (article_id > 0) {
    // The same use case as POST /api/v1/contacts/{id}/answered-by.
    absl::Status answered = ctx.mark_contact_answered.Run(staff.actor, recorded->contact.id, article_id);
    if (!answered.ok()) return StatusPage(ctx, staff, answered);
  }
  return Redirect(absl::StrCat("/staff/citizens/", id, "?flash=contact"));
}

// ---- raising a case with the generated form ----

http::Response RenderRaise(WebContext& ctx, Staff& staff, const domain::Citizen& citizen,
                           const domain::Service& service, const http::ParamList& answers,
                           const ErrorMap& errors) {
  const i18n::Translator& tr = staff.tr();
  View v;
  v.Set("citizen_name", citizen.DisplayName()).Set("citizen_id", std::to_string(citizen.id));
  v.Set("service_name", service.name).Set("service_code", service.code);
  v.List("errors");
  std::vector<std::string> order;
  for (const auto& f : service.fields) order.push_back("v." + f.code);
  order.push_back("l.postcode");
  for (auto& e : ErrorSummary(errors, order, &service)) v.Add("errors", e);
  for (auto& f : ServiceFieldViews(service, answers, errors, tr)) v.Add("fields", f);
  v.Add("location_fields", SimpleField("l.postcode", tr("Postcode"), "input", answers, errors, false));
  v.Add("location_fields",
        SimpleField("l.address", tr("Address or description"), "textarea", answers, errors, false));
  v.Add("channel_fields", SimpleField("channel", tr("Channel"), "select", answers, errors, true, "",
                                      ChannelOptions(tr)));
  return StaffPage(ctx, staff, errors.empty() ? 200 : 400, "raise", service.name, v, "/staff",
                   !errors.empty());
}

http::Response Raise(WebContext& ctx, http::Request& request, Staff& staff) {
  int64_t id = 0;
  if (!ParseId(request.PathParam("id"), &id)) return StatusPage(ctx, staff, absl::NotFoundError(""));
  auto citizen = ctx.get_citizen.Run(staff.actor, id);
  if (!citizen.ok()) return StatusPage(ctx, staff, citizen.status());
  auto service = ctx.get_service.Run(request.QueryParam("service").value_or(""));
  if (!service.ok()) return StatusPage(ctx, staff, service.status());
  if (request.method != "POST") return RenderRaise(ctx, staff, *citizen, *service, {{"channel", "phone"}}, {});

  const http::ParamList form = FormBody(request);
  services::NewCase input;
  input.service_code = service->code;
  input.citizen_id = id;
  input.channel = domain::ParseChannel(FirstValue(form, "channel")).value_or(domain::Channel::kPhone);
  input.values = FormValuesFromAnswers(*service, form);
  input.location.postcode = std::string(absl::StripAsciiWhitespace(FirstValue(form, "l.postcode")));
  input.location.description = std::string(absl::StripAsciiWhitespace(FirstValue(form, "l.address")));
  auto opened = ctx.open_case.Run(staff.actor, input);
  if (!opened.ok()) {
    if (absl::IsInvalidArgument(opened.status())) {
      return RenderRaise(ctx, staff, *citizen, *service, form,
                         ErrorsFromStatus(opened.status(), &*service, staff.tr(),
                                          {{"location.postcode", "l.postcode"},
                                           {"location.description", "l.address"}}));
    }
    return StatusPage(ctx, staff, opened.status());
  }
  return Redirect("/staff/cases/" + opened->c.reference + "?flash=raised");
}

}  // namespace onestop::web::staff_internal
