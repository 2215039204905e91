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
