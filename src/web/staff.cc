// The staff desktop: sign in/out, the contact screen (find a resident, single
// view, record a contact, raise a case, new resident with a duplicate
// warning), the case page and the work queues. Every action is a services use
// case run as the signed-in actor, so the services' role and department
// checks apply unchanged (officers get 404 for other departments' cases).
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

namespace onestop::web {
namespace {

constexpr char kSessionCookie[] = "onestop_staff";
constexpr char kLoginCookie[] = "onestop_login";

struct Staff {
  domain::Actor actor;
  std::string token;
  std::string csrf;
  std::string name;
  std::string team;
};

std::optional<std::string> Cookie(const http::Request& request, std::string_view name) {
  for (const auto& [header, value] : request.headers) {
    if (!http::EqualsIgnoreCase(header, "Cookie")) continue;
    for (absl::string_view part : absl::StrSplit(value, ';')) {
      part = absl::StripAsciiWhitespace(part);
      size_t eq = part.find('=');
      if (eq != absl::string_view::npos && part.substr(0, eq) == absl::string_view(name.data(), name.size())) {
        return std::string(part.substr(eq + 1));
      }
    }
  }
  return std::nullopt;
}

std::string CookieHeader(const WebContext& ctx, const std::string& name, const std::string& value,
                         absl::Duration max_age) {
  return absl::StrCat(name, "=", value, "; Path=/staff; HttpOnly; SameSite=Lax; Max-Age=",
                      absl::ToInt64Seconds(max_age), ctx.options.secure_cookies ? "; Secure" : "");
}

std::string CsrfFor(const WebContext& ctx, const std::string& token) {
  return ctx.signer.Mac("csrf\n" + services::HashToken(token));
}

std::string SessionCookieValue(const WebContext& ctx, const std::string& token, absl::Time now) {
  return ctx.signer.Sign(token + "\n" + std::to_string(absl::ToUnixSeconds(now)));
}

enum class AuthOutcome { kNone, kIdle, kOk };

AuthOutcome Authenticate(WebContext& ctx, const http::Request& request, Staff& staff) {
  auto cookie = Cookie(request, kSessionCookie);
  if (!cookie) return AuthOutcome::kNone;
  auto payload = ctx.signer.Verify(*cookie);
  if (!payload) return AuthOutcome::kNone;
  size_t nl = payload->find('\n');
  int64_t last_seen = 0;
  if (nl == std::string::npos || !absl::SimpleAtoi(payload->substr(nl + 1), &last_seen)) {
    return AuthOutcome::kNone;
  }
  staff.token = payload->substr(0, nl);
  const absl::Time now = ctx.deps.clock.Now();
  if (now - absl::FromUnixSeconds(last_seen) > ctx.options.idle_timeout) {
    (void)ctx.logout.Run(staff.token);
    return AuthOutcome::kIdle;
  }
  auto actor = ctx.authenticate.Run(staff.token);
  if (!actor.ok()) return AuthOutcome::kNone;
  staff.actor = *actor;
  staff.csrf = CsrfFor(ctx, staff.token);
  auto record = ctx.get_staff.Run(staff.actor, staff.actor.staff_id);
  if (record.ok()) {
    staff.name = record->display_name;
    staff.team = record->team;
  }
  return AuthOutcome::kOk;
}

View Frame(const Staff& staff, const std::string& current) {
  View frame;
  frame.Set("home_href", "/staff");
  frame.Set("staff_name", staff.name.empty() ? "staff" : staff.name);
  frame.Set("staff_role", domain::RoleName(staff.actor.role));
  frame.Set("csrf_token", staff.csrf);
  for (const auto& [href, text] : std::vector<std::pair<std::string, std::string>>{
           {"/staff", "Contact screen"}, {"/staff/queues", "Work queues"}, {"/staff/articles", "Knowledge base"}}) {
    View item;
    item.Set("href", href).Set("text", text).Flag("current", href == current);
    frame.Add("nav", item);
  }
  if (staff.actor.role == domain::Role::kSupervisor || staff.actor.role == domain::Role::kAdmin) {
    View item;
    item.Set("href", "/staff/wallboard").Set("text", "Wallboard").Flag("current", current == "/staff/wallboard");
    frame.Add("nav", item);
  }
  if (staff.actor.role == domain::Role::kAdmin) {
    View item;
    item.Set("href", "/staff/admin").Set("text", "Admin").Flag("current", current == "/staff/admin");
    frame.Add("nav", item);
  }
  return frame;
}

http::Response StaffPage(WebContext& ctx, const Staff& staff, int status, const std::string& tmpl,
                         const std::string& title, View view, const std::string& current,
                         bool has_error = false) {
  view.Set("csrf_token", staff.csrf);
  View frame = Frame(staff, current);
  http::Response response = Page(ctx, status, tmpl, title, std::move(view), has_error, &frame);
  response.SetHeader("Set-Cookie", CookieHeader(ctx, kSessionCookie,
                                                SessionCookieValue(ctx, staff.token, ctx.deps.clock.Now()),
                                                ctx.options.session_ttl));
  return response;
}

http::Response StaffMessage(WebContext& ctx, const Staff& staff, int status,
                            const std::string& heading, const std::string& message) {
  View v;
  v.Set("heading", heading).Set("message", message).Set("link_href", "/staff").Set("link_text",
                                                                                   "Back to the contact screen");
  return StaffPage(ctx, staff, status, "message", heading, v, "");
}

http::Response StatusPage(WebContext& ctx, const Staff& staff, const absl::Status& status) {
  const int code = api::HttpStatusOf(status);
  if (code == 404) return StaffMessage(ctx, staff, 404, "Not found", "There is nothing here you can open.");
  if (code == 403) return StaffMessage(ctx, staff, 403, "Not allowed", "Your role does not allow this.");
  if (code == 412 || code == 409) {
    return StaffMessage(ctx, staff, code, "Not saved", std::string(status.message()));
  }
  return StaffMessage(ctx, staff, code >= 500 ? code : 500, "Sorry, there is a problem",
                      "Try again later.");
}

using StaffHandler = http::Response (*)(WebContext&, http::Request&, Staff&);

http::Response Guard(WebContext& ctx, http::Request& request, StaffHandler handler) {
  Staff staff;
  AuthOutcome outcome = Authenticate(ctx, request, staff);
  if (outcome != AuthOutcome::kOk) {
    return Redirect(outcome == AuthOutcome::kIdle ? "/staff/login?idle=1" : "/staff/login");
  }
  if (request.method == "POST") {
    const std::string given = FirstValue(FormBody(request), "csrf_token");
    if (given.empty() || !ctx.signer.Matches("csrf\n" + services::HashToken(staff.token), given)) {
      return StaffMessage(ctx, staff, 403, "This form has expired",
                          "Go back, reload the page and try again.");
    }
  }
  return handler(ctx, request, staff);
}

// ---- sign in / out ----

http::Response RenderLogin(WebContext& ctx, const http::ParamList& answers, const ErrorMap& errors,
                           int status, const std::string& notice) {
  std::string pre = Base64UrlEncode(services::NewToken());
  View v;
  v.Set("csrf_token", ctx.signer.Mac("login\n" + pre)).Set("notice", notice);
  v.List("errors");
  for (auto& e : ErrorSummary(errors, {"email"})) v.Add("errors", e);
  View email = SimpleField("email", "Email address", "input", answers, errors);
  email.Set("autocomplete", "username").Flag("spellcheck_off", true);
  v.Add("fields", email);
  View frame;
  frame.Set("home_href", "/staff");
  http::Response response = Page(ctx, status, "login", "Sign in", v, !errors.empty(), &frame);
  response.SetHeader("Set-Cookie", CookieHeader(ctx, kLoginCookie, pre, absl::Hours(1)));
  return response;
}

http::Response LoginGet(WebContext& ctx, http::Request& request) {
  Staff staff;
  if (Authenticate(ctx, request, staff) == AuthOutcome::kOk) return Redirect("/staff");
  std::string notice;
  if (request.QueryParam("idle")) notice = "You were signed out because you were inactive. Sign in again.";
  if (request.QueryParam("out")) notice = "You have signed out.";
  return RenderLogin(ctx, {}, {}, 200, notice);
}

http::Response LoginPost(WebContext& ctx, http::Request& request) {
  const http::ParamList form = FormBody(request);
  auto pre = Cookie(request, kLoginCookie);
  if (!pre || !ctx.signer.Matches("login\n" + *pre, FirstValue(form, "csrf_token"))) {
    return RenderLogin(ctx, form, {{"", "The sign-in form expired. Try again."}}, 403, "");
  }
  auto login = ctx.login.Run(FirstValue(form, "email"), FirstValue(form, "password"));
  if (!login.ok()) {
    const int status = api::HttpStatusOf(login.status());
    return RenderLogin(ctx, {{"email", FirstValue(form, "email")}},
                       {{"email", status == 401 ? "Enter a correct email address and password"
                                                : "Sign-in is not working. Try again later."}},
                       status == 401 ? 401 : 503, "");
  }
  http::Response response = Redirect("/staff");
  response.headers.push_back({"Set-Cookie", CookieHeader(ctx, kSessionCookie,
                                                         SessionCookieValue(ctx, login->token, ctx.deps.clock.Now()),
                                                         ctx.options.session_ttl)});
  response.headers.push_back({"Set-Cookie", CookieHeader(ctx, kLoginCookie, "", absl::ZeroDuration())});
  return response;
}

http::Response LogoutPost(WebContext& ctx, http::Request& request, Staff& staff) {
  (void)ctx.logout.Run(staff.token);
  http::Response response = Redirect("/staff/login?out=1");
  response.SetHeader("Set-Cookie", CookieHeader(ctx, kSessionCookie, "", absl::ZeroDuration()));
  return response;
}

// ---- contact screen ----

std::string AddressText(const domain::Address& a) {
  std::vector<std::string> parts;
  for (const auto* p : {&a.line1, &a.line2, &a.town, &a.postcode}) {
    if (!p->empty()) parts.push_back(*p);
  }
  return absl::StrJoin(parts, ", ");
}

View CitizenRow(const domain::Citizen& c) {
  View row;
  row.Set("id", std::to_string(c.id)).Set("name", c.DisplayName().empty() ? "(no name)" : c.DisplayName());
  row.Set("phone", c.phones.empty() ? "" : c.phones.front());
  row.Set("email", c.emails.empty() ? "" : c.emails.front());
  row.Set("address", c.addresses.empty() ? "" : AddressText(c.addresses.front()));
  return row;
}

http::Response ContactScreen(WebContext& ctx, http::Request& request, Staff& staff) {
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
        v.Add("citizens", CitizenRow(c));
        ++count;
      }
    }
    v.Set("result_count", count == 0 ? "No matching residents"
                                     : absl::StrCat(count, count == 1 ? " matching resident" : " matching residents"));
    v.Flag("can_create", staff.actor.role != domain::Role::kOfficer);
    v.Set("create_query", EncodePairs({{"phone", query.phone}, {"email", query.email},
                                       {"name", query.name}, {"postcode", query.postcode}}));
  }
  return StaffPage(ctx, staff, 200, "contact", "Contact screen", v, "/staff");
}

std::vector<View> NewCitizenFields(const http::ParamList& answers, const ErrorMap& errors) {
  return {SimpleField("given_name", "First name", "input", answers, errors, false),
          SimpleField("family_name", "Last name", "input", answers, errors),
          SimpleField("phone", "Phone", "input", answers, errors, false),
          SimpleField("email", "Email address", "input", answers, errors, false),
          SimpleField("line1", "Address", "input", answers, errors, false),
          SimpleField("postcode", "Postcode", "input", answers, errors, false)};
}

http::Response RenderNewCitizen(WebContext& ctx, Staff& staff, const http::ParamList& answers,
                                const ErrorMap& errors, const std::vector<domain::Citizen>& dups) {
  View v;
  v.List("errors").List("duplicates");
  for (auto& e : ErrorSummary(errors, {"given_name", "family_name", "phone", "email", "postcode"})) {
    v.Add("errors", e);
  }
  for (const auto& d : dups) {
    View row = CitizenRow(d);
    row.Set("detail", absl::StrJoin({std::string(d.phones.empty() ? "" : d.phones[0]),
                                     std::string(d.emails.empty() ? "" : d.emails[0])}, " "));
    v.Add("duplicates", row);
  }
  for (auto& f : NewCitizenFields(answers, errors)) v.Add("fields", f);
  return StaffPage(ctx, staff, errors.empty() ? 200 : 400, "citizen_new", "New resident record", v,
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
                            ErrorsFromStatus(valid, nullptr,
                                             {{"given_name", "given_name"}, {"family_name", "family_name"},
                                              {"phones[0]", "phone"}, {"emails[0]", "email"},
                                              {"addresses[0].postcode", "postcode"}}),
                            {});
  }
  if (FirstValue(form, "confirm") != "1") {
    // Likely duplicates first: the agent decides before a second record exists.
    std::vector<domain::Citizen> dups;
    std::vector<domain::CitizenQuery> queries;
    for (const auto& p : c.phones) queries.push_back({.phone = p});
    for (const auto& e : c.emails) queries.push_back({.email = e});
    for (const auto& a : c.addresses) {
      if (!a.postcode.empty()) queries.push_back({.postcode = a.postcode, .name = c.family_name});
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
      return RenderNewCitizen(ctx, staff, form, ErrorsFromStatus(created.status(), nullptr), {});
    }
    return StatusPage(ctx, staff, created.status());
  }
  return Redirect(absl::StrCat("/staff/citizens/", created->citizen.id, "?flash=created"));
}

std::vector<std::pair<std::string, std::string>> ChannelOptions() {
  return {{"phone", "Phone"}, {"face_to_face", "Face to face"}, {"email", "Email"}};
}

std::vector<View> ContactFields(const http::ParamList& answers, const ErrorMap& errors) {
  return {SimpleField("channel", "Channel", "select", answers, errors, true, "", ChannelOptions()),
          SimpleField("reason", "Reason for contact", "textarea", answers, errors),
          SimpleField("outcome", "Outcome", "radios", answers, errors, true, "",
                      {{"resolved_first_contact", "Resolved there and then (first contact resolution)"},
                       {"information_given", "Information given"},
                       {"transferred", "Transferred"},
                       {"other", "Other"}})};
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

  View v;
  v.Set("id", std::to_string(id)).Set("name", citizen->DisplayName());
  v.Set("phones", absl::StrJoin(citizen->phones, ", "));
  v.Set("emails", absl::StrJoin(citizen->emails, ", "));
  v.Set("address", citizen->addresses.empty() ? "" : AddressText(citizen->addresses.front()));
  const std::string flash = request.QueryParam("flash").value_or("");
  if (flash == "created") v.Set("flash", "Resident record created");
  if (flash == "contact") v.Set("flash", "Contact recorded");
  v.List("errors");
  for (auto& e : ErrorSummary(errors, {"channel", "reason", "outcome", "article_id"})) v.Add("errors", e);
  v.Flag("can_contact", true);
  for (auto& f : ContactFields(answers, errors)) v.Add("contact_fields", f);
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
    item.Set("at", FormatDateTime(entry.at));
    if (const auto* contact = std::get_if<domain::Contact>(&entry.item)) {
      item.Set("kind", "Contact by " + std::string(domain::ChannelName(contact->channel)));
      item.Set("title", contact->reason.empty() ? "Contact" : contact->reason);
      item.Set("detail", absl::StrCat("Outcome: ", std::string(domain::ContactOutcomeName(contact->outcome)),
                                      contact->outcome == domain::ContactOutcome::kResolvedFirstContact
                                          ? " (FCR)" : ""));
    } else if (const auto* c = std::get_if<domain::Case>(&entry.item)) {
      item.Set("kind", "Case via " + std::string(domain::ChannelName(c->channel)));
      item.Set("title", absl::StrCat(c->reference, " – ", service_names.contains(c->service_code)
                                                             ? service_names[c->service_code]
                                                             : c->service_code));
      item.Set("href", "/staff/cases/" + c->reference);
      item.Set("detail", absl::StrCat(StatusWords(c->status), " · ", c->summary));
    } else if (const auto* e = std::get_if<domain::Event>(&entry.item)) {
      item.Set("kind", "Event");
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
  int64_t id = 0;
  if (!ParseId(request.PathParam("id"), &id)) return StatusPage(ctx, staff, absl::NotFoundError(""));
  const http::ParamList form = FormBody(request);
  ErrorMap errors;
  domain::Contact contact;
  contact.citizen_id = id;
  auto channel = domain::ParseChannel(FirstValue(form, "channel"));
  if (!channel) errors["channel"] = "Select the channel";
  auto outcome = domain::ParseContactOutcome(FirstValue(form, "outcome"));
  if (!outcome) errors["outcome"] = "Select the outcome";
  contact.reason = std::string(absl::StripAsciiWhitespace(FirstValue(form, "reason")));
  if (contact.reason.empty()) errors["reason"] = "Enter the reason for contact";
  if (!errors.empty()) return RenderCitizen(ctx, request, staff, id, form, errors);
  contact.channel = *channel;
  contact.outcome = *outcome;
  int64_t article_id = 0;
  const std::string article_text = FirstValue(form, "article_id");
  if (!article_text.empty() && !ParseId(article_text, &article_id)) {
    return RenderCitizen(ctx, request, staff, id, form, {{"article_id", "Select an article from the list"}});
  }
  if (article_id > 0) {
    auto article = ctx.get_article.Run(staff.actor, article_id);
    if (!article.ok()) {
      return RenderCitizen(ctx, request, staff, id, form, {{"article_id", "Select an article from the list"}});
    }
  }
  auto recorded = ctx.record_contact.Run(staff.actor, contact);
  if (!recorded.ok()) {
    if (absl::IsInvalidArgument(recorded.status())) {
      return RenderCitizen(ctx, request, staff, id, form, ErrorsFromStatus(recorded.status(), nullptr));
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
  View v;
  v.Set("citizen_name", citizen.DisplayName()).Set("citizen_id", std::to_string(citizen.id));
  v.Set("service_name", service.name).Set("service_code", service.code);
  v.List("errors");
  std::vector<std::string> order;
  for (const auto& f : service.fields) order.push_back("v." + f.code);
  order.push_back("l.postcode");
  for (auto& e : ErrorSummary(errors, order, &service)) v.Add("errors", e);
  for (auto& f : ServiceFieldViews(service, answers, errors)) v.Add("fields", f);
  v.Add("location_fields", SimpleField("l.postcode", "Postcode", "input", answers, errors, false));
  v.Add("location_fields",
        SimpleField("l.address", "Address or description", "textarea", answers, errors, false));
  v.Add("channel_fields", SimpleField("channel", "Channel", "select", answers, errors, true, "",
                                      ChannelOptions()));
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
                         ErrorsFromStatus(opened.status(), &*service,
                                          {{"location.postcode", "l.postcode"},
                                           {"location.description", "l.address"}}));
    }
    return StatusPage(ctx, staff, opened.status());
  }
  return Redirect("/staff/cases/" + opened->c.reference + "?flash=raised");
}

// ---- case page ----

std::string SlaText(const domain::Case& c, absl::Time now) {
  if (c.sla_paused_at) return "Paused while waiting for the resident";
  if (domain::IsFinished(c.status)) return "Stopped (" + StatusWords(c.status) + ")";
  if (!c.due_at) return "No target";
  absl::Duration left = *c.due_at - now;
  const bool overdue = left < absl::ZeroDuration();
  if (overdue) left = -left;
  const int64_t hours = absl::ToInt64Hours(left);
  std::string span = hours >= 24 ? absl::StrCat(hours / 24, " days ", hours % 24, " hours")
                                 : absl::StrCat(hours, " hours ", absl::ToInt64Minutes(left) % 60, " minutes");
  return absl::StrCat(overdue ? "Overdue by " : "Due in ", span, " (", FormatDateTime(*c.due_at), ")");
}

http::Response RenderCase(WebContext& ctx, http::Request& request, Staff& staff,
                          const std::string& ref, const ErrorMap& errors) {
  auto c = ctx.get_case.Run(staff.actor, ref);
  if (!c.ok()) return StatusPage(ctx, staff, c.status());
  auto notes = ctx.list_notes.Run(staff.actor, c->id);
  if (!notes.ok()) return StatusPage(ctx, staff, notes.status());
  auto history = ctx.get_case_history.Run(staff.actor, c->id);
  if (!history.ok()) return StatusPage(ctx, staff, history.status());
  auto service = ctx.get_service.Run(c->service_code);

  View v;
  v.Set("reference", c->reference).Set("version", std::to_string(c->version));
  v.Set("service_name", service.ok() ? service->name : c->service_code);
  v.Set("status", StatusWords(c->status)).Set("status_class", StatusTagClass(c->status));
  v.Set("sla", SlaText(*c, ctx.deps.clock.Now()));
  v.Set("summary", c->summary).Set("channel", domain::ChannelName(c->channel)).Set("team", c->team);
  std::vector<std::string> where;
  if (!c->location.postcode.empty()) where.push_back(c->location.postcode);
  if (!c->location.description.empty()) where.push_back(c->location.description);
  if (c->location.uprn) where.push_back(absl::StrCat("UPRN ", *c->location.uprn));
  v.Set("location", where.empty() ? "Not given" : absl::StrJoin(where, ", "));
  if (c->citizen_id) {
    v.Set("citizen_href", absl::StrCat("/staff/citizens/", *c->citizen_id));
    auto citizen = ctx.get_citizen.Run(staff.actor, *c->citizen_id);
    v.Set("citizen_name", citizen.ok() ? citizen->DisplayName() : "Resident");
  }
  if (service.ok()) {
    for (const auto& f : service->fields) {
      View row;
      row.Set("key", f.description.empty() ? f.code : f.description).Set("value", AnswerText(f, c->values));
      v.Add("answers", row);
    }
  }
  v.List("next_statuses");
  for (auto next : domain::NextStatuses(c->status)) {
    View option;
    option.Set("value", domain::CaseStatusName(next)).Set("label", StatusWords(next));
    v.Add("next_statuses", option);
  }
  // Assignment: supervisors and admins pick anyone; others take or release it.
  v.Set("me", std::to_string(staff.actor.staff_id));
  v.List("staff_options");
  std::string assignee_name = c->assignee_id ? absl::StrCat("Staff ", *c->assignee_id) : "Nobody";
  auto all_staff = ctx.list_staff.Run(staff.actor);
  if (all_staff.ok()) {
    for (const auto& s : *all_staff) {
      if (!s.active) continue;
      if (s.role == domain::Role::kOfficer && s.department != c->department) continue;
      View option;
      option.Set("value", std::to_string(s.id)).Set("label", s.display_name);
      option.Flag("checked", c->assignee_id && *c->assignee_id == s.id);
      v.Add("staff_options", option);
      if (c->assignee_id && *c->assignee_id == s.id) assignee_name = s.display_name;
    }
  } else if (c->assignee_id && *c->assignee_id == staff.actor.staff_id) {
    assignee_name = staff.name + " (you)";
  }
  v.Set("assignee", assignee_name);
  v.List("notes");
  for (const auto& n : *notes) {
    View item;
    const bool pub = n.visibility == domain::NoteVisibility::kPublic;
    item.Set("visibility", pub ? "Public" : "Internal").Set("tag_class", pub ? "govuk-tag--green" : "govuk-tag--grey");
    item.Set("at", FormatDateTime(n.created_at)).Set("body", n.body);
    v.Add("notes", item);
  }
  v.List("history");
  for (const auto& e : *history) {
    View item;
    std::vector<std::string> changes;
    for (const auto& ch : e.changes) changes.push_back(ch.field + ": " + ch.before + " → " + ch.after);
    item.Set("at", FormatDateTime(e.at)).Set("type", e.type).Set("changes", absl::StrJoin(changes, "; "));
    v.Add("history", item);
  }
  http::ParamList note_answers = {{"visibility", "internal"}};
  v.Add("note_fields", SimpleField("body", "Note", "textarea", note_answers, errors));
  v.Add("note_fields", SimpleField("visibility", "Who can see it", "radios", note_answers, errors, true, "",
                                   {{"internal", "Staff only"}, {"public", "Public – shown to the resident"}}));
  v.List("errors");
  for (auto& e : ErrorSummary(errors, {"body", "status"})) v.Add("errors", e);
  const std::string flash = request.QueryParam("flash").value_or("");
  if (flash == "raised") v.Set("flash", "Case raised: " + c->reference);
  if (flash == "saved") v.Set("flash", "Saved");
  return StaffPage(ctx, staff, errors.empty() ? 200 : 400, "case", "Case " + c->reference, v, "",
                   !errors.empty());
}

http::Response CaseGet(WebContext& ctx, http::Request& request, Staff& staff) {
  return RenderCase(ctx, request, staff, request.PathParam("ref"), {});
}

http::Response CaseNotePost(WebContext& ctx, http::Request& request, Staff& staff) {
  const std::string ref = request.PathParam("ref");
  auto c = ctx.get_case.Run(staff.actor, ref);
  if (!c.ok()) return StatusPage(ctx, staff, c.status());
  const http::ParamList form = FormBody(request);
  const std::string body(absl::StripAsciiWhitespace(FirstValue(form, "body")));
  if (body.empty()) return RenderCase(ctx, request, staff, ref, {{"body", "Enter the note"}});
  auto visibility = domain::ParseNoteVisibility(FirstValue(form, "visibility"))
                        .value_or(domain::NoteVisibility::kInternal);
  auto note = ctx.add_note.Run(staff.actor, c->id, visibility, body);
  if (!note.ok()) {
    if (absl::IsInvalidArgument(note.status())) {
      return RenderCase(ctx, request, staff, ref, {{"body", std::string(note.status().message())}});
    }
    return StatusPage(ctx, staff, note.status());
  }
  return Redirect("/staff/cases/" + c->reference + "?flash=saved");
}

http::Response CaseUpdatePost(WebContext& ctx, http::Request& request, Staff& staff) {
  const std::string ref = request.PathParam("ref");
  auto c = ctx.get_case.Run(staff.actor, ref);
  if (!c.ok()) return StatusPage(ctx, staff, c.status());
  const http::ParamList form = FormBody(request);
  int64_t version = 0;
  std::optional<int64_t> expected;
  if (absl::SimpleAtoi(FirstValue(form, "version"), &version)) expected = version;
  services::CaseChanges changes;
  if (request.route.ends_with("/status")) {
    auto status = domain::ParseCaseStatus(FirstValue(form, "status"));
    if (!status) return RenderCase(ctx, request, staff, ref, {{"status", "Select a new status"}});
    changes.status = *status;
  } else {
    const std::string assignee = FirstValue(form, "assignee");
    int64_t assignee_id = 0;
    if (assignee.empty()) {
      changes.assignee_id = std::optional<int64_t>();
    } else if (absl::SimpleAtoi(assignee, &assignee_id)) {
      changes.assignee_id = std::optional<int64_t>(assignee_id);
    }
  }
  auto updated = ctx.update_case.Run(staff.actor, c->id, changes, expected);
  if (!updated.ok()) {
    if (absl::IsFailedPrecondition(updated.status()) || absl::IsInvalidArgument(updated.status())) {
      return RenderCase(ctx, request, staff, ref, {{"status", std::string(updated.status().message())}});
    }
    return StatusPage(ctx, staff, updated.status());
  }
  const std::string public_note(absl::StripAsciiWhitespace(FirstValue(form, "public_note")));
  if (!public_note.empty()) {
    auto note = ctx.add_note.Run(staff.actor, c->id, domain::NoteVisibility::kPublic, public_note);
    if (!note.ok()) return StatusPage(ctx, staff, note.status());
  }
  return Redirect("/staff/cases/" + c->reference + "?flash=saved");
}

// ---- work queues ----

http::Response Queues(WebContext& ctx, http::Request& request, Staff& staff) {
  const std::string view = request.QueryParam("view").value_or("mine");
  const std::string status_filter = request.QueryParam("status").value_or("");
  const std::string service_filter = request.QueryParam("service").value_or("");
  const std::string sort = request.QueryParam("sort").value_or("due");
  domain::CaseQuery query;
  query.limit = 200;
  query.service_code = service_filter;
  if (auto s = domain::ParseCaseStatus(status_filter)) {
    query.statuses = {*s};
  } else {
    query.statuses = {domain::CaseStatus::kNew, domain::CaseStatus::kOpen, domain::CaseStatus::kInProgress,
                      domain::CaseStatus::kWaitingOnCitizen};
  }
  if (staff.actor.role == domain::Role::kOfficer) query.department = staff.actor.department;
  std::string heading = "My cases";
  const absl::Time now = ctx.deps.clock.Now();
  if (view == "team") {
    heading = "My team's cases";
    query.team = staff.team.empty() ? "-" : staff.team;
  } else if (view == "overdue") {
    heading = "Overdue cases";
    query.due_before = now;
  } else if (view == "unassigned") {
    heading = "Unassigned cases";
    query.unassigned_only = true;
  } else {
    query.assignee_id = staff.actor.staff_id;
  }
  auto page = ctx.list_cases.Run(staff.actor, query);
  if (!page.ok()) return StatusPage(ctx, staff, page.status());
  std::vector<domain::Case> cases = page->items;
  std::stable_sort(cases.begin(), cases.end(), [&](const auto& a, const auto& b) {
    if (sort == "created") return a.created_at > b.created_at;
    if (sort == "priority") return a.priority > b.priority;
    return a.due_at.value_or(absl::InfiniteFuture()) < b.due_at.value_or(absl::InfiniteFuture());
  });
  View v;
  v.Set("view", view).Set("heading", absl::StrCat(heading, " (", cases.size(), ")"));
  for (const auto& [value, label] : std::vector<std::pair<std::string, std::string>>{
           {"mine", "My cases"}, {"team", "My team's"}, {"overdue", "Overdue"}, {"unassigned", "Unassigned"}}) {
    View item;
    item.Set("value", value).Set("label", label).Flag("current", value == view);
    v.Add("views", item);
  }
  for (auto s : domain::kAllCaseStatuses) {
    View item;
    item.Set("value", domain::CaseStatusName(s)).Set("label", StatusWords(s)).Flag("checked", status_filter == domain::CaseStatusName(s));
    v.Add("status_options", item);
  }
  auto services = ctx.list_services.Run(staff.actor, std::nullopt);
  if (services.ok()) {
    for (const auto& s : *services) {
      if (staff.actor.role == domain::Role::kOfficer && s.department != staff.actor.department) continue;
      View item;
      item.Set("value", s.code).Set("label", s.name).Flag("checked", s.code == service_filter);
      v.Add("service_options", item);
    }
  }
  for (const auto& [value, label] : std::vector<std::pair<std::string, std::string>>{
           {"due", "Due soonest"}, {"created", "Newest"}, {"priority", "Priority"}}) {
    View item;
    item.Set("value", value).Set("label", label).Flag("checked", value == sort);
    v.Add("sort_options", item);
  }
  v.List("cases");
  for (const auto& c : cases) {
    View row;
    row.Set("reference", c.reference).Set("summary", c.summary).Set("status", StatusWords(c.status));
    row.Set("priority", domain::PriorityName(c.priority));
    row.Set("due", c.due_at ? FormatDateTime(*c.due_at) : "No target");
    row.Flag("overdue", c.due_at && *c.due_at < now && !domain::IsFinished(c.status));
    v.Add("cases", row);
  }
  return StaffPage(ctx, staff, 200, "queues", heading, v, "/staff/queues");
}

}  // namespace

std::optional<domain::Actor> SignedInStaff(WebContext& ctx, const http::Request& request) {
  Staff staff;
  if (Authenticate(ctx, request, staff) != AuthOutcome::kOk) return std::nullopt;
  return staff.actor;
}

void AddStaffPage(http::Router& router, WebContext& ctx, const char* pattern,
                  std::function<absl::StatusOr<StaffPageResult>(const domain::Actor&, http::Request&)> build) {
  router.Add("GET", pattern, [&ctx, build = std::move(build)](http::Request& request) {
    Staff staff;
    AuthOutcome outcome = Authenticate(ctx, request, staff);
    if (outcome != AuthOutcome::kOk) {
      return Redirect(outcome == AuthOutcome::kIdle ? "/staff/login?idle=1" : "/staff/login");
    }
    absl::StatusOr<StaffPageResult> page = build(staff.actor, request);
    if (!page.ok()) return StatusPage(ctx, staff, page.status());
    return StaffPage(ctx, staff, page->status, page->template_name, page->title, std::move(page->view),
                     page->current);
  });
}

void AddStaffRoute(http::Router& router, WebContext& ctx, const char* method, const char* pattern,
                   std::function<absl::StatusOr<StaffPageResult>(const domain::Actor&, http::Request&)> build) {
  router.Add(method, pattern, [&ctx, build = std::move(build)](http::Request& request) {
    Staff staff;
    AuthOutcome outcome = Authenticate(ctx, request, staff);
    if (outcome != AuthOutcome::kOk) {
      return Redirect(outcome == AuthOutcome::kIdle ? "/staff/login?idle=1" : "/staff/login");
    }
    if (request.method == "POST") {
      const std::string given = FirstValue(FormBody(request), "csrf_token");
      if (given.empty() || !ctx.signer.Matches("csrf\n" + services::HashToken(staff.token), given)) {
        return StaffMessage(ctx, staff, 403, "This form has expired", "Go back, reload the page and try again.");
      }
    }
    absl::StatusOr<StaffPageResult> page = build(staff.actor, request);
    if (!page.ok()) return StatusPage(ctx, staff, page.status());
    if (!page->redirect.empty()) return Redirect(page->redirect);
    return StaffPage(ctx, staff, page->status, page->template_name, page->title, std::move(page->view),
                     page->current, page->has_error);
  });
}

void RegisterStaffRoutes(http::Router& router, WebContext& ctx) {
  router.Add("GET", "/staff/login", [&ctx](http::Request& r) { return LoginGet(ctx, r); });
  router.Add("POST", "/staff/login", [&ctx](http::Request& r) { return LoginPost(ctx, r); });
  auto add = [&](const char* method, const char* pattern, StaffHandler handler) {
    router.Add(method, pattern, [&ctx, handler](http::Request& r) { return Guard(ctx, r, handler); });
  };
  add("POST", "/staff/logout", LogoutPost);
  add("GET", "/staff", ContactScreen);
  add("GET", "/staff/citizens/new", CitizenNewGet);
  add("POST", "/staff/citizens/new", CitizenNewPost);
  add("GET", "/staff/citizens/{id}", CitizenGet);
  add("POST", "/staff/citizens/{id}/contacts", ContactPost);
  add("GET", "/staff/citizens/{id}/raise", Raise);
  add("POST", "/staff/citizens/{id}/raise", Raise);
  add("GET", "/staff/cases/{ref}", CaseGet);
  add("POST", "/staff/cases/{ref}/notes", CaseNotePost);
  add("POST", "/staff/cases/{ref}/status", CaseUpdatePost);
  add("POST", "/staff/cases/{ref}/assign", CaseUpdatePost);
  add("GET", "/staff/queues", Queues);
}

}  // namespace onestop::web
