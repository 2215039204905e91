// An inbound email, as a member of staff reads it (/staff/mail/{id}): the
// message parsed again from the bytes kept as delivered (src/mail/mime.h),
// shown as text — HTML mail is converted, never rendered — with its
// attachments named, and what it was filed as. The same permission as
// services::GetInboundMail.
#include <string>

#include "absl/strings/str_cat.h"
#include "mail/mime.h"
#include "services/mail_intake.h"
#include "web/staff_internal.h"

namespace onestop::web::staff_internal {

http::Response MailGet(WebContext& ctx, http::Request& request, Staff& staff) {
  const i18n::Translator& tr = staff.tr();
  int64_t id = 0;
  if (!ParseId(request.PathParam("id"), &id)) return StatusPage(ctx, staff, absl::NotFoundError(""));
  absl::StatusOr<domain::MailMessage> m = services::GetInboundMail(ctx.deps).Run(staff.actor, id);
  if (!m.ok()) return StatusPage(ctx, staff, m.status());
  absl::StatusOr<domain::InboundMail> mail = mail::ParseMail(m->raw);
  View v;
  v.Set("id", absl::StrCat(m->id));
  v.Set("mailbox", m->mailbox);
  v.Set("received", FormatDateTime(m->received_at));
  v.Set("subject", m->subject.empty() ? tr("(no subject)") : m->subject);
  if (mail.ok()) {
    v.Set("from", mail->from_name.empty() ? mail->from_address
                                          : absl::StrCat(mail->from_name, " <", mail->from_address, ">"));
    v.Set("text", mail->text);
    v.Flag("html_only", mail->html_only);
    for (const domain::MailAttachment& a : mail->attachments) {
      View row;
      row.Set("filename", a.filename.empty() ? tr("(no name)") : a.filename);
      row.Set("type", a.sniffed_type);
      row.Set("size", absl::StrCat((a.content.size() + 1023) / 1024, " KB"));
      v.Add("attachments", row);
    }
    v.Flag("has_attachments", !mail->attachments.empty());
  } else {
    v.Set("from", m->from_address);
    v.Flag("unreadable", true);
  }
  if (m->citizen_id) v.Set("citizen_href", absl::StrCat("/staff/citizens/", *m->citizen_id));
  if (m->case_id) {
    absl::StatusOr<domain::Case> c = ctx.deps.store.GetCase(*m->case_id);
    if (c.ok()) v.Set("case_reference", c->reference).Set("case_href", "/staff/cases/" + c->reference);
  }
  return StaffPage(ctx, staff, 200, "mail", m->subject.empty() ? tr("Email") : m->subject, v, "");
}

}  // namespace onestop::web::staff_internal
