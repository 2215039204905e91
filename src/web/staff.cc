// The staff desktop: sign in/out, the contact screen (find a resident, single
// view, record a contact, raise a case, new resident with a duplicate
// warning), the case page and the work queues. Every action is a services use
// case run as the signed-in actor, so the services' role and department
// checks apply unchanged (officers get 404 for other departments' cases).

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

namespace onestop::web {
namespace staff_internal {
namespace {

constexpr char kSessionCookie[] = "onestop_staff";
constexpr char kLoginCookie[] = "onestop_login";

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
  staff.reader = ReaderOf(ctx, request, true);
  staff.path = request.target;
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
  const i18n::Translator& tr = staff.tr();
  View frame;
  frame.Set("home_href", "/staff");
  frame.Set("staff_name", staff.name.empty() ? tr("staff") : staff.name);
  frame.Set("staff_role", RoleWords(staff.actor.role, tr));
  frame.Set("csrf_token", staff.csrf);
  for (const auto& [href, text] : std::vector<std::pair<std::string, std::string>>{
           {"/staff", tr("Contact screen")}, {"/staff/queues", tr("Work queues")},
           {"/staff/articles", tr("Knowledge base")}}) {
    View item;
    item.Set("href", href).Set("text", text).Flag("current", href == current);
    frame.Add("nav", item);
  }
  if (staff.actor.role == domain::Role::kSupervisor || staff.actor.role == domain::Role::kAdmin) {
    View item;
    item.Set("href", "/staff/wallboard").Set("text", tr("Wallboard")).Flag("current", current == "/staff/wallboard");
    frame.Add("nav", item);
    View floor;
    floor.Set("href", "/staff/floor").Set("text", tr("Floor")).Flag("current", current == "/staff/floor");
    frame.Add("nav", floor);
  }
  if (staff.actor.role == domain::Role::kAdmin) {
    View item;
    item.Set("href", "/staff/admin").Set("text", tr("Admin")).Flag("current", current == "/staff/admin");
    frame.Add("nav", item);
  }
  return frame;
}

}  // namespace

const char* RoleWords(domain::Role role, const i18n::Translator& tr) {
  switch (role) {
    case domain::Role::kAgent: return tr("agent");
    case domain::Role::kOfficer: return tr("officer");
    case domain::Role::kSupervisor: return tr("supervisor");
    case domain::Role::kAdmin: return tr("admin");
  }
  return tr("agent");
}

const char* ChannelWords(domain::Channel channel, const i18n::Translator& tr) {
  switch (channel) {
    case domain::Channel::kPhone: return tr("phone");
    case domain::Channel::kFaceToFace: return tr("face_to_face");
    case domain::Channel::kWeb: return tr("web");
    case domain::Channel::kTv: return tr("tv");
    case domain::Channel::kEmail: return tr("email");
    case domain::Channel::kSms: return tr("sms");
    case domain::Channel::kApi: return tr("api");
  }
  return tr("unknown");
}

http::Response StaffPage(WebContext& ctx, const Staff& staff, int status, const std::string& tmpl,
                         const std::string& title, View view, const std::string& current,
                         bool has_error) {
  view.Set("csrf_token", staff.csrf);
  View frame = Frame(staff, current);
  // The interaction bar on every staff page (desk_bar.cc), except the page
  // that shows it as its content and the wallboard (a wall display).
  if (tmpl != "desk" && tmpl != "wallboard") {
    if (std::optional<View> bar = DeskBarView(ctx, staff, {})) {
      frame.Set("desk_bar", ctx.templates->Render("desk_bar", *bar, *staff.reader.tr));
      if (staff.viewing_citizen > 0) {
        frame.Set("viewing_citizen", absl::StrCat(staff.viewing_citizen)).Set("viewing_name", staff.viewing_name);
      }
    }
  }
  http::Response response = Page(ctx, staff.reader, status, tmpl, (*staff.reader.tr)(title.c_str()),
                                 std::move(view), has_error, &frame);
  response.AddHeader("Set-Cookie", CookieHeader(ctx, kSessionCookie,
                                                SessionCookieValue(ctx, staff.token, ctx.deps.clock.Now()),
                                                ctx.options.session_ttl));
  return response;
}

http::Response StaffMessage(WebContext& ctx, const Staff& staff, int status,
                            const std::string& heading, const std::string& message) {
  const i18n::Translator& tr = *staff.reader.tr;
  View v;
  v.Set("heading", tr(heading.c_str())).Set("message", tr(message.c_str())).Set("link_href", "/staff")
      .Set("link_text", tr("Back to the contact screen"));
  return StaffPage(ctx, staff, status, "message", heading, v, "");
}

http::Response StatusPage(WebContext& ctx, const Staff& staff, const absl::Status& status) {
  const int code = api::HttpStatusOf(status);
  if (code == 404) return StaffMessage(ctx, staff, 404, N_("Not found"), N_("There is nothing here you can open."));
  if (code == 403) return StaffMessage(ctx, staff, 403, N_("Not allowed"), N_("Your role does not allow this."));
  if (code == 412 || code == 409) {
    return StaffMessage(ctx, staff, code, N_("Not saved"), std::string(status.message()));
  }
  return StaffMessage(ctx, staff, code >= 500 ? code : 500, N_("Sorry, there is a problem"),
                      N_("Try again later."));
}

namespace {

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
      return StaffMessage(ctx, staff, 403, N_("This form has expired"),
                          N_("Go back, reload the page and try again."));
    }
  }
  return handler(ctx, request, staff);
}

// ---- sign in / out ----

http::Response RenderLogin(WebContext& ctx, const Reader& reader, const http::ParamList& answers,
                           const ErrorMap& errors, int status, const char* notice) {
  const i18n::Translator& tr = *reader.tr;
  std::string pre = Base64UrlEncode(services::NewToken());
  View v;
  v.Set("csrf_token", ctx.signer.Mac("login\n" + pre)).Set("notice", notice == nullptr ? "" : tr(notice));
  v.List("errors");
  for (auto& e : ErrorSummary(errors, {"email"})) v.Add("errors", e);
  View email = SimpleField("email", tr("Email address"), "input", answers, errors);
  email.Set("autocomplete", "username").Flag("spellcheck_off", true);
  v.Add("fields", email);
  View frame;
  frame.Set("home_href", "/staff");
  http::Response response = Page(ctx, reader, status, "login", tr("Sign in"), v, !errors.empty(), &frame);
  response.AddHeader("Set-Cookie", CookieHeader(ctx, kLoginCookie, pre, absl::Hours(1)));
  return response;
}

http::Response LoginGet(WebContext& ctx, http::Request& request) {
  Staff staff;
  if (Authenticate(ctx, request, staff) == AuthOutcome::kOk) return Redirect("/staff");
  const char* notice = nullptr;
  if (request.QueryParam("idle")) notice = N_("You were signed out because you were inactive. Sign in again.");
  if (request.QueryParam("out")) notice = N_("You have signed out.");
  return RenderLogin(ctx, ReaderOf(ctx, request, true), {}, {}, 200, notice);
}

http::Response LoginPost(WebContext& ctx, http::Request& request) {
  const Reader reader = ReaderOf(ctx, request, true);
  const i18n::Translator& tr = *reader.tr;
  const http::ParamList form = FormBody(request);
  auto pre = Cookie(request, kLoginCookie);
  if (!pre || !ctx.signer.Matches("login\n" + *pre, FirstValue(form, "csrf_token"))) {
    return RenderLogin(ctx, reader, form, {{"", tr("The sign-in form expired. Try again.")}}, 403, nullptr);
  }
  auto login = ctx.login.Run(FirstValue(form, "email"), FirstValue(form, "password"));
  if (!login.ok()) {
    const int status = api::HttpStatusOf(login.status());
    return RenderLogin(ctx, reader, {{"email", FirstValue(form, "email")}},
                       {{"email", status == 401 ? tr("Enter a correct email address and password")
                                                : tr("Sign-in is not working. Try again later.")}},
                       status == 401 ? 401 : 503, nullptr);
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

}  // namespace
}  // namespace staff_internal

using namespace staff_internal;

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
        return StaffMessage(ctx, staff, 403, N_("This form has expired"),
                            N_("Go back, reload the page and try again."));
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
  add("POST", "/staff/citizens/{id}/flags", FlagsPost);
  add("POST", "/staff/citizens/{id}/answered", AnsweredPost);
  add("GET", "/staff/citizens/{id}/raise", Raise);
  add("POST", "/staff/citizens/{id}/raise", Raise);
  add("GET", "/staff/cases/{ref}", CaseGet);
  add("POST", "/staff/cases/{ref}/notes", CaseNotePost);
  add("POST", "/staff/cases/{ref}/reply", CaseReplyPost);
  add("POST", "/staff/cases/{ref}/status", CaseUpdatePost);
  add("POST", "/staff/cases/{ref}/assign", CaseUpdatePost);
  add("POST", "/staff/cases/{ref}/duplicate-of", CaseDuplicatePost);
  add("GET", "/staff/queues", Queues);
  add("GET", "/staff/mail/{id}", MailGet);
  add("GET", "/staff/desk", DeskPage);
  add("GET", "/staff/desk/bar", DeskBarGet);
  add("POST", "/staff/desk/presence", DeskPresencePost);
  add("POST", "/staff/desk/wrap-up/end", DeskEndWrapUpPost);
  add("POST", "/staff/desk/items/{id}/{action}", DeskItemPost);
  add("POST", "/staff/desk/dial", DeskDialPost);
}

}  // namespace onestop::web
