// Email out at the web edge (web.h): the words of the mail the outbox
// sends (MailRendererFor) — the templates web/templates/mail_<template
// code>.mustache in the message's language, and the subject, which always
// carries "[Ref XXXX-XXXX]" — and the case page's reply (SetMailOut).
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "web/context.h"
#include "web/web.h"

namespace onestop::web {
namespace {

std::string Subject(const domain::OutboxMessage& m, const i18n::Translator& tr) {
  std::string about(absl::StripAsciiWhitespace(m.Param("case_subject")));
  if (about.empty()) about = tr("Your request");
  // One "Re:" only, and no second reference tag.
  const std::string lower = absl::AsciiStrToLower(about);
  if (!absl::StartsWith(lower, "re:")) about = absl::StrCat("Re: ", about);
  const std::string tag = absl::StrCat("[Ref ", m.Param("reference"), "]");
  if (m.Param("reference").empty() || absl::StrContains(about, tag)) return about;
  return absl::StrCat(about, " ", tag);
}

}  // namespace

mail::MailRenderer MailRendererFor(const WebContext& ctx) {
  return [&ctx](const domain::OutboxMessage& m) -> absl::StatusOr<mail::RenderedMail> {
    const std::string name = absl::StrCat("mail_", m.template_code);
    if (!ctx.templates->Has(name)) {
      return absl::FailedPreconditionError(absl::StrCat("no template for message kind ", m.template_code));
    }
    const i18n::Translator& tr = ctx.catalogs.Get(m.language);
    View view;
    for (const auto& [key, value] : m.params) view.Set(key, value);
    view.Set("council", ctx.options.theme.name);
    if (const std::string& due = m.Param("due_at"); !due.empty()) {
      absl::Time t;
      std::string error;
      if (absl::ParseTime(absl::RFC3339_full, due, &t, &error)) view.Set("due_date", tr.Date(t));
    }
    // The service's name in the reader's language, when the catalogue has it.
    if (const std::string& code = m.Param("service_code"); !code.empty()) {
      if (auto catalogue = ctx.deps.catalogue.Get(); catalogue.ok()) {
        if (const domain::Service* s = (*catalogue)->Find(code)) {
          view.Set("service", domain::NameIn(*s, m.language));
        }
      }
    }
    if (m.Param("given_name").empty()) view.Set("given_name", tr("resident"));
    mail::RenderedMail words;
    words.subject = Subject(m, tr);
    words.text = ctx.templates->Render(name, view, tr);
    return words;
  };
}

void SetMailOut(WebContext& ctx, services::ReplyToResident* reply, std::function<void()> wake) {
  ctx.reply_to_resident = reply;
  ctx.outbox_wake = std::move(wake);
}

}  // namespace onestop::web
