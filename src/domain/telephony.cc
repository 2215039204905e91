#include "domain/telephony.h"

#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status.h"

namespace onestop::domain {
namespace {

// The digits of a telephone number as dialled: spaces and the visual
// separators of RFC 3966 ("-", ".", "(", ")") dropped, a leading "+44" (the
// UK's country code) read as the national "0", any other leading "+"
// dropped. "+44 1632 960000", "01632 960000" and "01632-960000" are all
// "01632960000".
std::string DialledDigits(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')') continue;
    out.push_back(c);
  }
  if (out.starts_with("+44")) {
    std::string national = "0";  // (not "0" + substr: g++ 12 -O2 warns -Wrestrict there)
    national.append(out, 3, std::string::npos);
    return national;
  }
  if (out.starts_with("+")) return out.substr(1);
  return out;
}

// Digits after DialledDigits (so spaces and a leading + are allowed).
bool ValidNumber(std::string_view text) {
  const std::string number = DialledDigits(text);
  if (number.empty() || number.size() > 20) return false;
  for (char c : number) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool ValidMenuId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
  }
  return true;
}

bool ValidDigit(char digit) {
  return (digit >= '0' && digit <= '9') || digit == '*' || digit == '#';
}

bool ValidLanguage(std::string_view lang) { return lang == "en" || lang == "cy"; }

class Checker {
 public:
  Checker(const Telephony& telephony, const std::function<bool(std::string_view)>& queue_exists)
      : telephony_(telephony), queue_exists_(queue_exists) {}

  void Queue(const std::string& at, const std::string& code) {
    if (code.empty()) {
      Add(at, "required", "ivr_queue_required", {});
    } else if (queue_exists_ && !queue_exists_(code)) {
      Add(at, "not_found", "queue_not_in_file", {{"code", code}});
    }
  }

  void MenuRef(const std::string& at, const std::string& id) {
    if (telephony_.Menu(id) == nullptr) Add(at, "not_found", "ivr_menu_missing", {{"menu", id}});
  }

  void Action(const std::string& at, const IvrAction& action) {
    switch (action.kind) {
      case IvrActionKind::kQueue:
        Queue(at + ".queue", action.queue);
        break;
      case IvrActionKind::kMenu:
        if (action.menu.empty()) {
          Add(at + ".menu", "required", "ivr_menu_required", {});
        } else {
          MenuRef(at + ".menu", action.menu);
        }
        break;
      case IvrActionKind::kMessage:
        if (action.message.en.empty()) {
          Add(at + ".message.en", "required", "ivr_message_required", {});
        }
        if (!action.menu.empty()) MenuRef(at + ".then", action.menu);
        break;
      case IvrActionKind::kLanguage:
        if (!ValidLanguage(action.language)) {
          Add(at + ".language", "invalid", "not_one_of",
              {{"value", action.language}, {"allowed", "en, cy"}});
        }
        if (!action.menu.empty()) MenuRef(at + ".then", action.menu);
        break;
      case IvrActionKind::kOperator:
        break;
    }
  }

  void Add(std::string field, std::string code, std::string reason,
           std::vector<std::pair<std::string, std::string>> params) {
    errors_.push_back({std::move(field), std::move(code), std::move(reason), std::move(params)});
  }

  absl::Status Result() const {
    if (errors_.empty()) return absl::OkStatus();
    const FieldError& first = errors_.front();
    return InvalidFields(
        absl::StrCat("The telephony settings are not valid: ", first.field, ": ", first.reason),
        errors_);
  }

 private:
  const Telephony& telephony_;
  const std::function<bool(std::string_view)>& queue_exists_;
  std::vector<FieldError> errors_;
};

}  // namespace

std::string_view IvrActionKindName(IvrActionKind kind) {
  switch (kind) {
    case IvrActionKind::kQueue:
      return "queue";
    case IvrActionKind::kMenu:
      return "menu";
    case IvrActionKind::kMessage:
      return "message";
    case IvrActionKind::kLanguage:
      return "language";
    case IvrActionKind::kOperator:
      return "operator";
  }
  return "operator";
}

const TelephoneNumber* Telephony::Number(std::string_view dialled) const {
  const std::string wanted = DialledDigits(dialled);
  if (wanted.empty()) return nullptr;
  for (const TelephoneNumber& n : numbers) {
    if (DialledDigits(n.number) == wanted) return &n;
  }
  return nullptr;
}

absl::Status ValidateTelephony(const Telephony& telephony,
                               const std::function<bool(std::string_view)>& queue_exists) {
  Checker check(telephony, queue_exists);

  std::set<std::string> numbers;
  for (size_t idx = 0; idx < telephony.numbers.size(); ++idx) {
    const TelephoneNumber& n = telephony.numbers[idx];
    const std::string at = absl::StrCat("telephony.numbers[", idx, "]");
    if (!ValidNumber(n.number)) {
      check.Add(at + ".number", "invalid", "telephone_number_digits", {{"value", n.number}});
    } else if (!numbers.insert(DialledDigits(n.number)).second) {
      check.Add(at + ".number", "duplicate", "telephone_number_twice", {{"number", n.number}});
    }
    if (n.name.size() > 200) check.Add(at + ".name", "invalid", "name_length", {{"max", "200"}});
    if (n.menu.empty()) {
      check.Add(at + ".menu", "required", "ivr_menu_required", {});
    } else {
      check.MenuRef(at + ".menu", n.menu);
    }
    if (!ValidLanguage(n.language)) {
      check.Add(at + ".language", "invalid", "not_one_of",
                {{"value", n.language}, {"allowed", "en, cy"}});
    }
  }

  std::set<std::string> ids;
  for (size_t idx = 0; idx < telephony.menus.size(); ++idx) {
    const IvrMenu& menu = telephony.menus[idx];
    // A menu is named by its id where that is usable, else by its place.
    const bool named = ValidMenuId(menu.id) && !ids.contains(menu.id);
    const std::string at =
        absl::StrCat("telephony.ivr.menus[", named ? menu.id : std::to_string(idx), "]");
    if (!ValidMenuId(menu.id)) {
      check.Add(at + ".id", "invalid", "ivr_menu_id_format", {{"value", menu.id}});
    } else if (!ids.insert(menu.id).second) {
      check.Add(at + ".id", "duplicate", "ivr_menu_twice", {{"menu", menu.id}});
    }
    if (menu.prompt.en.empty()) check.Add(at + ".prompt.en", "required", "ivr_prompt_required", {});
    if (menu.timeout_seconds < 1 || menu.timeout_seconds > 120) {
      check.Add(at + ".timeout_seconds", "invalid", "integer_range",
                {{"min", "1"}, {"max", "120"}});
    }
    if (menu.max_retries < 0 || menu.max_retries > 10) {
      check.Add(at + ".max_retries", "invalid", "integer_range", {{"min", "0"}, {"max", "10"}});
    }
    std::set<char> digits;
    for (const IvrOption& option : menu.options) {
      const std::string where = absl::StrCat(at, ".options[", std::string(1, option.digit), "]");
      if (!ValidDigit(option.digit)) {
        check.Add(where, "invalid", "ivr_digit", {{"value", std::string(1, option.digit)}});
        continue;
      }
      if (!digits.insert(option.digit).second) {
        check.Add(where, "duplicate", "ivr_digit_twice", {{"digit", std::string(1, option.digit)}});
        continue;
      }
      check.Action(where, option.action);
    }
    check.Action(at + ".on_timeout", menu.on_timeout);
  }

  check.Queue("telephony.operator_queue", telephony.operator_queue);
  if (telephony.announce_seconds < 0 || telephony.announce_seconds > 3600) {
    check.Add("telephony.announce_seconds", "invalid", "integer_range",
              {{"min", "0"}, {"max", "3600"}});
  }
  if (telephony.callback_digit != '\0' && !ValidDigit(telephony.callback_digit)) {
    check.Add("telephony.callback_digit", "invalid", "ivr_digit",
              {{"value", std::string(1, telephony.callback_digit)}});
  }

  std::set<std::string> recorded;
  for (size_t idx = 0; idx < telephony.recording.size(); ++idx) {
    const CallRecordingRule& rule = telephony.recording[idx];
    const std::string at = absl::StrCat("telephony.recording[", idx, "]");
    check.Queue(at + ".queue", rule.queue);
    if (!rule.queue.empty() && !recorded.insert(rule.queue).second) {
      check.Add(at + ".queue", "duplicate", "queue_defined_twice", {{"code", rule.queue}});
    }
    if (rule.retention_days < kMinRecordingRetentionDays ||
        rule.retention_days > kMaxRecordingRetentionDays) {
      check.Add(at + ".retention_days", "invalid", "integer_range",
                {{"min", absl::StrCat(kMinRecordingRetentionDays)},
                 {"max", absl::StrCat(kMaxRecordingRetentionDays)}});
    }
  }
  if (telephony.survey) {
    const CallSurveyPolicy& survey = *telephony.survey;
    for (size_t idx = 0; idx < survey.queues.size(); ++idx) {
      check.Queue(absl::StrCat("telephony.survey.queues[", idx, "]"), survey.queues[idx]);
    }
    if (survey.prompt.en.empty()) {
      check.Add("telephony.survey.prompt.en", "required", "ivr_message_required", {});
    }
    if (survey.thanks.en.empty() && !survey.thanks.cy.empty()) {
      check.Add("telephony.survey.thanks.en", "required", "ivr_message_required", {});
    }
    if (survey.timeout_seconds < 1 || survey.timeout_seconds > 60) {
      check.Add("telephony.survey.timeout_seconds", "invalid", "integer_range",
                {{"min", "1"}, {"max", "60"}});
    }
  }
  return check.Result();
}

}  // namespace onestop::domain
