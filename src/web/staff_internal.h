// Private to src/web: what the staff desktop files (staff.cc,
// staff_contact.cc, staff_cases.cc) share — the signed-in staff member, the
// framed page helpers and the guarded handlers registered in staff.cc.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "domain/channel.h"
#include "domain/staff.h"
#include "web/context.h"
#include "web/event_words.h"
#include "web/form_fields.h"
#include "web/form_fields.h"

namespace onestop::web::staff_internal {

struct Staff {
  domain::Actor actor;
  std::string token;
  std::string csrf;
  std::string name;
  std::string team;
  Reader reader;  // the staff member's language (English unless they picked another)
  std::string path;             // the page asked for (request-target), for the bar's forms
  int64_t viewing_citizen = 0;  // the resident whose record the page shows, if any
  std::string viewing_name;
  const i18n::Translator& tr() const { return *reader.tr; }
};

// Role and channel names (the codes "agent", "face_to_face") in the reader's language.
const char* RoleWords(domain::Role role, const i18n::Translator& tr);
const char* ChannelWords(domain::Channel channel, const i18n::Translator& tr);

http::Response StaffPage(WebContext& ctx, const Staff& staff, int status, const std::string& tmpl,
                         const std::string& title, View view, const std::string& current,
                         bool has_error = false);
// `heading` and `message` are message ids (translated here) or text.
http::Response StaffMessage(WebContext& ctx, const Staff& staff, int status,
                            const std::string& heading, const std::string& message);
http::Response StatusPage(WebContext& ctx, const Staff& staff, const absl::Status& status);

// Contact screen, single view, contacts, raising a case (staff_contact.cc).
http::Response ContactScreen(WebContext& ctx, http::Request& request, Staff& staff);
http::Response CitizenNewGet(WebContext& ctx, http::Request& request, Staff& staff);
http::Response CitizenNewPost(WebContext& ctx, http::Request& request, Staff& staff);
http::Response CitizenGet(WebContext& ctx, http::Request& request, Staff& staff);
http::Response ContactPost(WebContext& ctx, http::Request& request, Staff& staff);
http::Response Raise(WebContext& ctx, http::Request& request, Staff& staff);
// An inbound email (staff_mail.cc).
http::Response MailGet(WebContext& ctx, http::Request& request, Staff& staff);

// The interaction bar (desk_bar.cc): its view for any staff page (nullopt
// when routing does not run here or the role takes no routed work), the
// fragment desk.mjs fetches, the no-JS page and the bar's forms.
// `open_panel` ("complete-12", "transfer-12") is shown open.
std::optional<View> DeskBarView(WebContext& ctx, const Staff& staff, const ErrorMap& errors,
                                const std::string& open_panel = "");
http::Response DeskBarGet(WebContext& ctx, http::Request& request, Staff& staff);
http::Response DeskPage(WebContext& ctx, http::Request& request, Staff& staff);
http::Response DeskPresencePost(WebContext& ctx, http::Request& request, Staff& staff);
http::Response DeskEndWrapUpPost(WebContext& ctx, http::Request& request, Staff& staff);
http::Response DeskItemPost(WebContext& ctx, http::Request& request, Staff& staff);
// Click-to-dial from a resident's record (form: number, citizen_id).
http::Response DeskDialPost(WebContext& ctx, http::Request& request, Staff& staff);
// Whether the bar can ring a resident for this staff member (a telephone here, routing work).
bool CanDial(WebContext& ctx, const Staff& staff);
// The agent's connected call/chat/email/visit that a record of resident
// `citizen_id` belongs to: the one linked to them, else the only one not
// linked to anybody.
std::optional<int64_t> CurrentInteraction(WebContext& ctx, const Staff& staff, int64_t citizen_id);

// Shared by the contact screen and the single view (staff_contact.cc).
std::string AddressText(const domain::Address& a);
bool ParseId(const std::string& text, int64_t* id);
std::vector<View> ContactFields(const http::ParamList& answers, const ErrorMap& errors,
                                const i18n::Translator& tr);

// The single view, its flags, "answered from this" and the service picker
// (staff_single_view.cc). `answers`/`errors`: the contact form's;
// `flag_answers`/`flag_errors`: the flags form's.
http::Response RenderSingleView(WebContext& ctx, http::Request& request, Staff& staff, int64_t id,
                                const http::ParamList& answers, const ErrorMap& errors,
                                const http::ParamList& flag_answers = {}, const ErrorMap& flag_errors = {});
http::Response FlagsPost(WebContext& ctx, http::Request& request, Staff& staff);
http::Response AnsweredPost(WebContext& ctx, http::Request& request, Staff& staff);
// GET /staff/citizens/{id}/raise without a service: search the catalogue.
http::Response ServicePicker(WebContext& ctx, http::Request& request, Staff& staff,
                             const domain::Citizen& citizen);
// Rendered Markdown with its headings moved down so that "#" becomes <h`top`>
// (an article inside a page that has its own h1 and h2).
std::string DemoteHeadings(std::string html, int top);
// Staff, team and service names for the event words (event_words.h);
// AddArticleName adds the title of the article a "contact.answered" names.
NameLookup NamesFor(WebContext& ctx, const Staff& staff);
void AddArticleName(WebContext& ctx, const Staff& staff, const domain::Event& event, NameLookup& names);
// True when `article` is published and tagged "script:<code>" (a service or
// queue code): the call script shown at the top of the knowledge panel.
bool IsScriptFor(const domain::Article& article, const std::string& code);

// Case page and work queues (staff_cases.cc).
http::Response CaseGet(WebContext& ctx, http::Request& request, Staff& staff);
http::Response CaseNotePost(WebContext& ctx, http::Request& request, Staff& staff);
http::Response CaseReplyPost(WebContext& ctx, http::Request& request, Staff& staff);
http::Response CaseUpdatePost(WebContext& ctx, http::Request& request, Staff& staff);
http::Response CaseDuplicatePost(WebContext& ctx, http::Request& request, Staff& staff);
http::Response Queues(WebContext& ctx, http::Request& request, Staff& staff);

}  // namespace onestop::web::staff_internal
