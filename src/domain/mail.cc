#include "domain/mail.h"

namespace onestop::domain {

std::string_view MailStateName(MailState s) {
  switch (s) {
    case MailState::kNew:
      return "new";
    case MailState::kFiled:
      return "filed";
    case MailState::kIgnored:
      return "ignored";
  }
  return "new";
}

bool IsSystemAddress(std::string_view address) {
  std::string local(address.substr(0, address.find('@')));
  for (char& c : local) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  for (std::string_view name : {"mailer-daemon", "postmaster", "abuse", "root", "noreply", "no-reply", "donotreply",
                                "do-not-reply"}) {
    if (local == name) return true;
  }
  return false;
}

std::optional<std::string> MailTextField(const Service& service) {
  const FormField* text = nullptr;
  for (const FormField& f : service.fields) {
    if (f.datatype == Datatype::kText && (text == nullptr || f.order < text->order)) text = &f;
  }
  if (text == nullptr) return std::nullopt;
  for (const FormField& f : service.fields) {
    if (f.required && f.code != text->code) return std::nullopt;
  }
  return text->code;
}

std::optional<MailState> ParseMailState(std::string_view name) {
  for (MailState s : {MailState::kNew, MailState::kFiled, MailState::kIgnored}) {
    if (MailStateName(s) == name) return s;
  }
  return std::nullopt;
}

}  // namespace onestop::domain
