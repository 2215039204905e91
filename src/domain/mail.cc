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

std::optional<MailState> ParseMailState(std::string_view name) {
  for (MailState s : {MailState::kNew, MailState::kFiled, MailState::kIgnored}) {
    if (MailStateName(s) == name) return s;
  }
  return std::nullopt;
}

}  // namespace onestop::domain
