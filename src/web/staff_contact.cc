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
#include "i18n/field_errors.h"
#include "services/case_rules.h"
#include "services/interactions.h"
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

http::Response RenderCitizen(WebContext& ctx, http::Request& request, Staff& staff, int64_t id,
                             const http::ParamList& answers, const ErrorMap& errors) {
  return RenderSingleView(ctx, request, staff, id, answers, errors);
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
  // During a call (chat, visit) with this resident the form writes on that
  // interaction's one contact; its disposition comes at wrap-up.
  if (std::optional<int64_t> interaction = CurrentInteraction(ctx, staff, id)) {
    absl::StatusOr<domain::Contact> noted = services::LinkInteractionCitizen(ctx.deps).Run(
        staff.actor, *interaction, id, contact.reason, contact.outcome);
    if (!noted.ok()) {
      if (absl::IsInvalidArgument(noted.status())) {
        return RenderCitizen(ctx, request, staff, id, form, ErrorsFromStatus(noted.status(), nullptr, tr));
      }
      return StatusPage(ctx, staff, noted.status());
    }
    if (article_id > 0) {
      absl::Status answered = ctx.mark_contact_answered.Run(staff.actor, noted->id, article_id);
      if (!answered.ok()) return StatusPage(ctx, staff, answered);
    }
    return Redirect(absl::StrCat("/staff/citizens/", id, "?flash=contact"));
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

namespace {

// The "Possible duplicates" step: what the check found, each with "Link to
// this case", and "Raise a new case anyway"; every answer rides along in
// hidden inputs so either button works without JavaScript.
void AddDuplicatesStep(WebContext& ctx, Staff& staff, const http::ParamList& answers,
                       const std::vector<services::DuplicateCandidate>& found, View& v) {
  const i18n::Translator& tr = staff.tr();
  v.Flag("duplicates_found", true);
  v.List("hidden_answers");
  for (const auto& [name, value] : answers) {
    if (name == "csrf_token" || name == "dup_action" || name == "dup_case") continue;
    View hidden;
    hidden.Set("name", name).Set("value", value);
    v.Add("hidden_answers", hidden);
  }
  auto snapshot = ctx.deps.catalogue.Get();
  for (const services::DuplicateCandidate& d : found) {
    View item;
    item.Set("id", std::to_string(d.c.id)).Set("reference", d.c.reference);
    item.Set("status", StaffStatusWords(d.c.status, tr)).Set("status_class", StatusTagClass(d.c.status));
    const domain::Service* service = snapshot.ok() ? (*snapshot)->Find(d.c.service_code) : nullptr;
    item.Set("service", service ? service->name : d.c.service_code);
    std::vector<std::string> where;
    if (!d.c.location.description.empty()) where.push_back(d.c.location.description);
    if (!d.c.location.postcode.empty()) where.push_back(d.c.location.postcode);
    item.Set("address", where.empty() ? tr("Not given") : absl::StrJoin(where, ", "));
    item.Set("raised", tr.DateTime(d.c.created_at));
    if (d.match.reason == domain::DuplicateReason::kSameResidentService) {
      item.Set("reason", tr("This resident’s open case for the same service"));
    } else if (d.match.distance_m) {
      item.Set("reason", i18n::Substitute(tr("Reported {metres} m away"),
                                          {{"metres", absl::StrCat(static_cast<int64_t>(*d.match.distance_m + 0.5))}}));
    } else {
      item.Set("reason", tr("Reported at the same address or postcode"));
    }
    v.Add("duplicates", item);
  }
}

}  // namespace

http::Response RenderRaise(WebContext& ctx, Staff& staff, const domain::Citizen& citizen,
                           const domain::Service& service, const http::ParamList& answers,
                           const ErrorMap& errors,
                           const std::vector<services::DuplicateCandidate>* duplicates = nullptr) {
  const i18n::Translator& tr = staff.tr();
  View v;
  if (duplicates) AddDuplicatesStep(ctx, staff, answers, *duplicates, v);
  v.Set("citizen_name", citizen.DisplayName()).Set("citizen_id", std::to_string(citizen.id));
  v.Set("service_name", service.name).Set("service_code", service.code);
  v.List("errors");
  std::vector<std::string> order;
  for (const auto& f : service.fields) order.push_back("v." + f.code);
  order.push_back("l.postcode");
  order.push_back("l.uprn");
  for (auto& e : ErrorSummary(errors, order, &service)) v.Add("errors", e);
  for (auto& f : ServiceFieldViews(service, answers, errors, tr)) v.Add("fields", f);
  v.Flag("location_prefilled", FirstValue(answers, "l.prefilled") == "1");
  v.Add("location_fields", SimpleField("l.postcode", tr("Postcode"), "input", answers, errors, false));
  v.Add("location_fields",
        SimpleField("l.address", tr("Address or description"), "textarea", answers, errors, false));
  v.Add("location_fields", SimpleField("l.uprn", tr("UPRN"), "input", answers, errors, false,
                                       tr("The property’s Unique Property Reference Number, up to 12 digits")));
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
  staff.viewing_citizen = citizen->id;
  staff.viewing_name = citizen->DisplayName();
  // No service yet: the searchable service picker (staff_single_view.cc).
  if (request.method != "POST" && request.QueryParam("service").value_or("").empty()) {
    return ServicePicker(ctx, request, staff, *citizen);
  }
  auto service = ctx.get_service.Run(request.QueryParam("service").value_or(""));
  if (!service.ok()) return StatusPage(ctx, staff, service.status());
  if (request.method != "POST") {
    // The resident's known address, to check with them rather than retype.
    http::ParamList answers = {{"channel", "phone"}};
    if (!citizen->addresses.empty()) {
      const domain::Address& home = citizen->addresses.front();
      std::vector<std::string> lines;
      for (const auto* p : {&home.line1, &home.line2, &home.town}) {
        if (!p->empty()) lines.push_back(*p);
      }
      answers.push_back({"l.postcode", home.postcode});
      answers.push_back({"l.address", absl::StrJoin(lines, ", ")});
      if (home.uprn) answers.push_back({"l.uprn", std::to_string(*home.uprn)});
      answers.push_back({"l.prefilled", "1"});
    }
    return RenderRaise(ctx, staff, *citizen, *service, answers, {});
  }

  const http::ParamList form = FormBody(request);
  services::NewCase input;
  input.service_code = service->code;
  input.citizen_id = id;
  input.channel = domain::ParseChannel(FirstValue(form, "channel")).value_or(domain::Channel::kPhone);
  input.values = FormValuesFromAnswers(*service, form);
  input.location.postcode = std::string(absl::StripAsciiWhitespace(FirstValue(form, "l.postcode")));
  input.location.description = std::string(absl::StripAsciiWhitespace(FirstValue(form, "l.address")));
  const std::string uprn(absl::StripAsciiWhitespace(FirstValue(form, "l.uprn")));
  if (int64_t n = 0; !uprn.empty()) {
    if (!absl::SimpleAtoi(uprn, &n)) {
      return RenderRaise(ctx, staff, *citizen, *service, form,
                         {{"l.uprn", i18n::FieldErrorText({"location.uprn", "invalid", "uprn_digits", {}},
                                                          staff.tr())}});
    }
    input.location.uprn = n;
  }
  // Raised during a call with this resident: the call's one contact records it.
  input.interaction_id = CurrentInteraction(ctx, staff, id);
  const std::string dup_action = FirstValue(form, "dup_action");
  if (dup_action == "link") {
    // "Link to this case": the resident follows the existing case and this
    // contact is recorded against it; no new case.
    int64_t original = 0;
    if (!absl::SimpleAtoi(FirstValue(form, "dup_case"), &original)) {
      return StatusPage(ctx, staff, absl::NotFoundError("no such case"));
    }
    services::FollowRequest follow{original, id, input.channel, !input.interaction_id.has_value(),
                                   std::nullopt};
    auto linked = ctx.follow_case.Run(staff.actor, follow);
    if (!linked.ok()) return StatusPage(ctx, staff, linked.status());
    if (input.interaction_id) {
      auto noted = services::LinkInteractionCitizen(ctx.deps).Run(
          staff.actor, *input.interaction_id, id, "linked to " + linked->c.reference,
          domain::ContactOutcome::kCaseUpdated);
      if (!noted.ok()) return StatusPage(ctx, staff, noted.status());
    }
    return Redirect("/staff/cases/" + linked->c.reference + "?flash=linked");
  }
  if (dup_action != "new") {
    // Possible duplicates before saving; an invalid form falls through to
    // OpenCase, which reports the same errors.
    auto found = ctx.check_duplicates.Run(staff.actor, input);
    if (found.ok() && !found->empty()) {
      return RenderRaise(ctx, staff, *citizen, *service, form, {}, &*found);
    }
  }
  auto opened = ctx.open_case.Run(staff.actor, input);
  if (!opened.ok()) {
    if (absl::IsInvalidArgument(opened.status())) {
      return RenderRaise(ctx, staff, *citizen, *service, form,
                         ErrorsFromStatus(opened.status(), &*service, staff.tr(),
                                          {{"location.postcode", "l.postcode"},
                                           {"location.description", "l.address"},
                                           {"location.uprn", "l.uprn"}}));
    }
    return StatusPage(ctx, staff, opened.status());
  }
  return Redirect("/staff/cases/" + opened->c.reference + "?flash=raised");
}

}  // namespace onestop::web::staff_internal
