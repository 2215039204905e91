// Private to src/web: what the staff desktop files (staff.cc,
// staff_contact.cc, staff_cases.cc) share — the signed-in staff member, the
// framed page helpers and the guarded handlers registered in staff.cc.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "domain/channel.h"
#include "domain/staff.h"
#include "web/context.h"

namespace onestop::web::staff_internal {

struct Staff {
  domain::Actor actor;
  std::string token;
  std::string csrf;
  std::string name;
  std::string team;
  Reader reader;  // the staff member's language (English unless they picked another)
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

// Case page and work queues (staff_cases.cc).
http::Response CaseGet(WebContext& ctx, http::Request& request, Staff& staff);
http::Response CaseNotePost(WebContext& ctx, http::Request& request, Staff& staff);
http::Response CaseUpdatePost(WebContext& ctx, http::Request& request, Staff& staff);
http::Response Queues(WebContext& ctx, http::Request& request, Staff& staff);

}  // namespace onestop::web::staff_internal
