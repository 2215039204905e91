// The admin pages for staff accounts: the list, a new account, editing one
// (role, department, team, skills, active, password) and its phone extension
// (services/sip_accounts.h: set with a new password, or remove). Registered
// by RegisterAdminPages (admin_pages.cc).

#include "web/admin_internal.h"
#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <vector>
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "domain/routing_config.h"
#include "markdown/markdown.h"
#include "services/permissions.h"
#include "services/sip_accounts.h"
#include "web/context.h"
#include "web/form_fields.h"
#include "web/staff_internal.h"

namespace onestop::web::admin_internal {


// ---- staff users ----

static Options RoleOptions(const i18n::Translator& tr) {
  return {{"agent", tr.Context("role", "Agent")},
          {"officer", tr.Context("role", "Officer")},
          {"supervisor", tr.Context("role", "Supervisor")},
          {"admin", tr.Context("role", "Admin")}};
}

static Options DepartmentOptions(WebContext& ctx) {
  Options out;
  auto snapshot = ctx.deps.catalogue.Get();
  if (snapshot.ok()) {
    for (const auto& d : (*snapshot)->departments) out.push_back({d.code, d.name});
  }
  return out;
}

// Skills as the form shows them: one per line, "code level".
static std::string SkillLines(const std::vector<domain::Skill>& skills) {
  std::string out;
  for (const domain::Skill& skill : skills) {
    absl::StrAppend(&out, out.empty() ? "" : "\n", skill.code, " ", skill.proficiency);
  }
  return out;
}

// Parses the skills box: one skill per line, "code" or "code level" (also
// "code:level"); level 1-5, default 3; codes a-z, 0-9, - and _. Sets
// *error and returns nothing on the first bad line.
static std::optional<std::vector<domain::Skill>> ParseSkillLines(const std::string& text, std::string* error,
                                                          const i18n::Translator& tr) {
  std::vector<domain::Skill> skills;
  int line_no = 0;
  for (absl::string_view raw : absl::StrSplit(text, '\n')) {
    ++line_no;
    std::string line(absl::StripAsciiWhitespace(raw));
    if (line.empty()) continue;
    std::replace(line.begin(), line.end(), ':', ' ');
    std::vector<std::string> parts = absl::StrSplit(line, ' ', absl::SkipEmpty());
    domain::Skill skill;
    skill.code = absl::AsciiStrToLower(parts[0]);
    int level = 3;
    const bool level_ok = parts.size() == 1 || (parts.size() == 2 && absl::SimpleAtoi(parts[1], &level) &&
                                                level >= 1 && level <= 5);
    if (!domain::ValidRoutingCode(skill.code) || !level_ok) {
      *error = i18n::Substitute(tr("Line {line}: enter a skill code (letters, digits and -) and a level from 1 "
                                   "to 5, for example council-tax 4"),
                                {{"line", absl::StrCat(line_no)}});
      return std::nullopt;
    }
    skill.proficiency = level;
    for (const domain::Skill& seen : skills) {
      if (seen.code == skill.code) {
        *error = i18n::Substitute(tr("Line {line}: {skill} is listed twice"),
                                  {{"line", absl::StrCat(line_no)}, {"skill", skill.code}});
        return std::nullopt;
      }
    }
    skills.push_back(skill);
  }
  return skills;
}

Result StaffList(WebContext& ctx, const domain::Actor& actor, http::Request& request) {
  if (auto s = RequireAdmin(actor); !s.ok()) return s;
  const i18n::Translator& tr = *ReaderOf(ctx, request, true).tr;
  auto all = ctx.list_staff.Run(actor);
  if (!all.ok()) return all.status();
  View v;
  v.List("staff");
  for (const auto& s : *all) {
    View row;
    row.Set("id", std::to_string(s.id)).Set("name", s.display_name).Set("email", s.email);
    row.Set("role", staff_internal::RoleWords(s.role, tr)).Set("department", s.department).Set("team", s.team);
    row.Flag("inactive", !s.active);
    v.Add("staff", row);
  }
  const std::string flash = request.QueryParam("flash").value_or("");
  if (flash == "created") v.Set("flash", tr("Staff user created"));
  if (flash == "saved") v.Set("flash", tr("Staff user saved"));
  return MakePage("admin_staff", N_("Staff users"), v, "/staff/admin");
}

// The "Phone extension" section of the edit page: the current extension (or
// none) and the forms to set it with a new password, or remove it.
static void AddPhoneSection(WebContext& ctx, const domain::Actor& actor, const i18n::Translator& tr,
                            int64_t id, const http::ParamList& answers, const ErrorMap& errors,
                            View& v) {
  v.Flag("phone", true);
  const std::string base = "/staff/admin/staff/" + std::to_string(id) + "/sip";
  v.Set("sip_action", base).Set("sip_remove_action", base + "/remove");
  absl::StatusOr<domain::SipAccount> account = services::GetSipAccount(ctx.deps).Run(actor, id);
  v.Flag("has_extension", account.ok());
  if (account.ok()) v.Set("phone_extension", account->extension);
  http::ParamList sip_answers = answers;
  if (FirstValue(sip_answers, "sip_extension").empty() && account.ok()) {
    sip_answers.push_back({"sip_extension", account->extension});
  }
  View extension = SimpleField("sip_extension", tr("Extension"), "input", sip_answers, errors, true,
                               tr("2 to 8 digits, like 1001: the phone signs in as this number"));
  extension.Set("width_class", "govuk-input--width-10").Set("inputmode", "numeric");
  v.Add("sip_fields", extension);
  v.Add("sip_fields", SimpleField("sip_password", tr("New phone password"), "input", {}, errors, true,
                                  tr("8 to 128 characters, entered in the phone. Setting the "
                                     "extension always needs a new password.")));
  const std::string flash = FirstValue(answers, "phone_flash");
  if (flash == "set") v.Set("phone_flash", tr("Phone extension saved"));
  if (flash == "removed") v.Set("phone_flash", tr("Phone extension removed"));
}

static Result RenderStaffForm(WebContext& ctx, const i18n::Translator& tr, const std::string& id,
                       const std::string& heading, const http::ParamList& answers, const ErrorMap& errors,
                       const domain::Actor* actor = nullptr) {
  View v;
  const bool is_new = id.empty();
  v.Set("action", is_new ? "/staff/admin/staff/new" : "/staff/admin/staff/" + id).Set("heading", heading);
  v.Flag("is_new", is_new).Set("version", FirstValue(answers, "version"));
  AddErrors(v, errors, {"display_name", "email", "password", "role", "department", "team", "skills", "active",
                        "sip_extension", "sip_password"});
  v.Add("fields", SimpleField("display_name", tr("Full name"), "input", answers, errors));
  if (is_new) {
    v.Add("fields", SimpleField("email", tr("Email address"), "input", answers, errors));
    v.Add("fields", SimpleField("password", tr("Initial password"), "input", answers, errors, true,
                                tr("At least 10 characters; give it to them privately")));
  }
  v.Add("fields", SimpleField("role", tr("Role"), "radios", answers, errors, true, "", RoleOptions(tr)));
  v.Add("fields", SimpleField("department", tr("Department"), "select", answers, errors, false,
                              tr("Required for officers: they see only their department's cases"),
                              DepartmentOptions(ctx)));
  v.Add("fields", SimpleField("team", tr("Team"), "select", answers, errors, false, "", TeamOptions(ctx)));
  v.Add("fields", SimpleField("skills", tr("Skills"), "textarea", answers, errors, false,
                              tr("One per line: a skill code and a level from 1 (basic) to 5 (expert), for "
                                 "example council-tax 4. Calls and tasks that need a skill are offered only "
                                 "to staff who have it; a change counts at once. On the floor page skills "
                                 "are picked from a list.")));
  if (!is_new) {
    v.Add("fields", SimpleField("password", tr("New password (optional)"), "input", answers, errors, false,
                                tr("Only to reset a forgotten password: at least 10 characters; give it to them "
                                   "privately. Leave empty to keep the current one.")));
    v.Add("fields", SimpleField("active", tr("Can sign in"), "radios", answers, errors, true, "",
                                {{"yes", tr("Yes, active")}, {"no", tr("No, deactivated")}}));
    int64_t staff_id = 0;
    if (actor != nullptr && absl::SimpleAtoi(id, &staff_id)) {
      AddPhoneSection(ctx, *actor, tr, staff_id, answers, errors, v);
    }
  }
  return MakePage("admin_staff_form", heading, v, "/staff/admin", errors);
}

static ErrorMap StaffErrors(const absl::Status& status, const i18n::Translator& tr) {
  ErrorMap errors = ErrorsFromStatus(status, nullptr, tr);
  if (absl::IsAlreadyExists(status)) errors["email"] = tr("A staff user with this email address already exists");
  if (absl::IsAborted(status)) {
    errors[""] = tr("Someone else changed this user while you were editing. Reload and try again.");
  }
  if (errors.empty()) errors[""] = std::string(status.message());
  return errors;
}

Result StaffNew(WebContext& ctx, const domain::Actor& actor, http::Request& request) {
  if (auto s = RequireAdmin(actor); !s.ok()) return s;
  const i18n::Translator& tr = *ReaderOf(ctx, request, true).tr;
  if (request.method != "POST") return RenderStaffForm(ctx, tr, "", tr("New staff user"), {{"role", "agent"}}, {});
  const http::ParamList form = FormBody(request);
  services::NewStaff input;
  input.display_name = Trim(FirstValue(form, "display_name"));
  input.email = Trim(FirstValue(form, "email"));
  input.password = FirstValue(form, "password");
  input.department = FirstValue(form, "department");
  input.team = FirstValue(form, "team");
  ErrorMap errors;
  std::string skills_error;
  if (auto skills = ParseSkillLines(FirstValue(form, "skills"), &skills_error, tr)) {
    input.skills = *skills;
  } else {
    errors["skills"] = skills_error;
  }
  auto role = domain::ParseRole(FirstValue(form, "role"));
  if (!role) errors["role"] = tr("Select the role");
  else input.role = *role;
  if (input.display_name.empty()) errors["display_name"] = tr("Enter the full name");
  if (input.email.empty()) errors["email"] = tr("Enter the email address");
  if (input.password.empty()) errors["password"] = tr("Enter an initial password");
  if (errors.empty()) {
    auto created = ctx.create_staff.Run(actor, input);
    if (created.ok()) return GoTo("/staff/admin/staff?flash=created");
    if (!absl::IsInvalidArgument(created.status()) && !absl::IsAlreadyExists(created.status())) {
      return created.status();
    }
    errors = StaffErrors(created.status(), tr);
  }
  http::ParamList kept = form;
  std::erase_if(kept, [](const auto& p) { return p.first == "password"; });
  return RenderStaffForm(ctx, tr, "", tr("New staff user"), kept, errors);
}

// The edit form's answers for `user` as stored (and the phone section's flash).
static http::ParamList UserAnswers(const domain::StaffUser& user, const http::Request& request) {
  return {{"display_name", user.display_name}, {"role", std::string(domain::RoleName(user.role))},
          {"department", user.department}, {"team", user.team},
          {"skills", SkillLines(user.skills)},
          {"active", user.active ? "yes" : "no"}, {"version", std::to_string(user.version)},
          {"phone_flash", request.QueryParam("phone_flash").value_or("")}};
}

Result StaffEdit(WebContext& ctx, const domain::Actor& actor, http::Request& request) {
  if (auto s = RequireAdmin(actor); !s.ok()) return s;
  const i18n::Translator& tr = *ReaderOf(ctx, request, true).tr;
  int64_t id = 0;
  if (!absl::SimpleAtoi(request.PathParam("id"), &id)) return absl::NotFoundError("");
  auto user = ctx.get_staff.Run(actor, id);
  if (!user.ok()) return user.status();
  const std::string heading = i18n::Substitute(tr("Edit {name}"), {{"name", user->display_name}});
  if (request.method != "POST") {
    return RenderStaffForm(ctx, tr, std::to_string(id), heading, UserAnswers(*user, request), {},
                           &actor);
  }
  const http::ParamList form = FormBody(request);
  services::StaffChanges changes;
  ErrorMap errors;
  changes.display_name = Trim(FirstValue(form, "display_name"));
  if (changes.display_name->empty()) errors["display_name"] = tr("Enter the full name");
  auto role = domain::ParseRole(FirstValue(form, "role"));
  if (!role) errors["role"] = tr("Select the role");
  changes.role = role;
  changes.department = FirstValue(form, "department");
  changes.team = FirstValue(form, "team");
  std::string skills_error;
  if (auto skills = ParseSkillLines(FirstValue(form, "skills"), &skills_error, tr)) {
    changes.skills = *skills;
  } else {
    errors["skills"] = skills_error;
  }
  changes.active = FirstValue(form, "active") != "no";
  if (const std::string password = FirstValue(form, "password"); !password.empty()) changes.password = password;
  if (errors.empty()) {
    auto saved = ctx.update_staff.Run(actor, id, changes, VersionOf(form));
    if (saved.ok()) {
      // Routing takes the new skills now, not at the agent's next presence
      // change (a deactivated account simply leaves the engine's offers).
      if (ctx.routing_hub && ctx.routing_hub->leading() && saved->active) {
        (void)ctx.routing_hub->desk().ApplyStaffChange(actor, id);
      }
      return GoTo("/staff/admin/staff?flash=saved");
    }
    if (!absl::IsInvalidArgument(saved.status()) && !absl::IsAborted(saved.status())) return saved.status();
    errors = StaffErrors(saved.status(), tr);
  }
  http::ParamList kept = form;
  std::erase_if(kept, [](const auto& p) { return p.first == "password"; });
  return RenderStaffForm(ctx, tr, std::to_string(id), heading, kept, errors, &actor);
}

// POST /staff/admin/staff/{id}/sip: sets the phone extension with a new
// password; errors are shown on the edit page like the other forms'.
Result StaffSipSet(WebContext& ctx, const domain::Actor& actor, http::Request& request) {
  if (auto s = RequireAdmin(actor); !s.ok()) return s;
  const i18n::Translator& tr = *ReaderOf(ctx, request, true).tr;
  int64_t id = 0;
  if (!absl::SimpleAtoi(request.PathParam("id"), &id)) return absl::NotFoundError("");
  auto user = ctx.get_staff.Run(actor, id);
  if (!user.ok()) return user.status();
  const http::ParamList form = FormBody(request);
  const std::string extension = Trim(FirstValue(form, "sip_extension"));
  const std::string password = FirstValue(form, "sip_password");
  ErrorMap errors;
  if (extension.empty()) errors["sip_extension"] = tr("Enter the extension");
  if (password.empty()) errors["sip_password"] = tr("Enter a new phone password");
  if (errors.empty()) {
    auto set = services::SetSipAccount(ctx.deps, ctx.options.sip_realm).Run(actor, id, extension, password);
    if (set.ok()) return GoTo("/staff/admin/staff/" + std::to_string(id) + "?phone_flash=set#phone");
    if (absl::IsAlreadyExists(set.status())) {
      errors["sip_extension"] = tr("Another staff member has this extension");
    } else if (absl::IsInvalidArgument(set.status())) {
      errors = ErrorsFromStatus(set.status(), nullptr, tr,
                                {{"extension", "sip_extension"}, {"password", "sip_password"}});
    } else {
      return set.status();
    }
  }
  http::ParamList answers = UserAnswers(*user, request);
  answers.push_back({"sip_extension", extension});
  const std::string heading = i18n::Substitute(tr("Edit {name}"), {{"name", user->display_name}});
  return RenderStaffForm(ctx, tr, std::to_string(id), heading, answers, errors, &actor);
}

// POST /staff/admin/staff/{id}/sip/remove.
Result StaffSipRemove(WebContext& ctx, const domain::Actor& actor, http::Request& request) {
  if (auto s = RequireAdmin(actor); !s.ok()) return s;
  int64_t id = 0;
  if (!absl::SimpleAtoi(request.PathParam("id"), &id)) return absl::NotFoundError("");
  absl::Status removed = services::RemoveSipAccount(ctx.deps).Run(actor, id);
  // Removing twice (a double click) lands on the page showing "No phone".
  if (!removed.ok() && !absl::IsNotFound(removed)) return removed;
  if (absl::IsNotFound(removed)) ONESTOP_RETURN_IF_ERROR(ctx.get_staff.Run(actor, id).status());
  return GoTo("/staff/admin/staff/" + std::to_string(id) + "?phone_flash=removed#phone");
}

}  // namespace onestop::web::admin_internal
