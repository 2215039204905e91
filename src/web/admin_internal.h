// Private to src/web: the helpers shared by the admin pages (admin_pages.cc),
// the catalogue editor (admin_catalogue.cc), staff accounts (admin_staff.cc)
// and the knowledge-base editor (admin_articles.cc), and their handlers
// registered by RegisterAdminPages.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "web/context.h"
#include "web/form_fields.h"

namespace onestop::web::admin_internal {

using Result = absl::StatusOr<StaffPageResult>;
using Options = std::vector<std::pair<std::string, std::string>>;

StaffPageResult MakePage(std::string tmpl, std::string title, View v, std::string current,
                         const ErrorMap& errors = {});
StaffPageResult GoTo(std::string location);
std::string Trim(const std::string& s);
// The languages besides English that the catalogue and articles can be
// written in: one set of inputs each ("cy.name", "cy.question", …) on the
// editors' pages; and a label naming the language ("Name (Cymraeg)").
std::vector<const i18n::Translator*> OtherLanguages();
std::string InLanguage(const char* label, const i18n::Translator& tr);
std::vector<std::string> AllValues(const http::ParamList& form, const std::string& name);
std::vector<std::string> SplitList(const std::string& text);
View Checkboxes(const std::string& name, const std::string& label, const Options& options,
                const std::vector<std::string>& checked, const ErrorMap& errors);
void AddErrors(View& v, const ErrorMap& errors, const std::vector<std::string>& order);
absl::Status RequireAdmin(const domain::Actor& actor);
std::optional<int64_t> VersionOf(const http::ParamList& form);
// The catalogue's teams as (code, name) choices.
Options TeamOptions(WebContext& ctx);

// The catalogue editor (admin_catalogue.cc).
Result ServiceList(WebContext& ctx, const domain::Actor& actor, http::Request& request);
Result ServiceEdit(WebContext& ctx, const domain::Actor& actor, http::Request& request);
Result ServiceNew(WebContext& ctx, const domain::Actor& actor, http::Request& request);
Result FieldEdit(WebContext& ctx, const domain::Actor& actor, http::Request& request);
Result FieldRemove(WebContext& ctx, const domain::Actor& actor, http::Request& request);

// Staff accounts (admin_staff.cc).
Result StaffList(WebContext& ctx, const domain::Actor& actor, http::Request& request);
Result StaffNew(WebContext& ctx, const domain::Actor& actor, http::Request& request);
Result StaffEdit(WebContext& ctx, const domain::Actor& actor, http::Request& request);
Result StaffSipSet(WebContext& ctx, const domain::Actor& actor, http::Request& request);
Result StaffSipRemove(WebContext& ctx, const domain::Actor& actor, http::Request& request);

// The knowledge-base editor (admin_articles.cc).
Result ArticleList(WebContext& ctx, const domain::Actor& actor, http::Request& request);
Result ArticleNew(WebContext& ctx, const domain::Actor& actor, http::Request& request);
Result ArticleEdit(WebContext& ctx, const domain::Actor& actor, http::Request& request);

}  // namespace onestop::web::admin_internal
