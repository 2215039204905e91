#include "web/form_fields.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "i18n/field_errors.h"

namespace onestop::web {

namespace {

bool AllDigits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

std::string Pad(const std::string& s, size_t width) {
  return AllDigits(s) && s.size() < width ? std::string(width - s.size(), '0') + s : s;
}

std::string Trimmed(const std::string& s) { return std::string(absl::StripAsciiWhitespace(s)); }

// GOV.UK wording for an error on a catalogue question, naming the question
// in the reader's language.
std::string MessageFor(const domain::FormField& field, const FieldError& error,
                       const i18n::Translator& tr) {
  using domain::Datatype;
  const std::string& question = domain::DescriptionIn(field, tr.lang());
  const char* text = nullptr;
  switch (field.datatype) {
    case Datatype::kDatetime:
      text = error.code == "required" ? tr("Enter a date for ‘{question}’")
                                      : tr("‘{question}’ must be a real date, like 27 3 2026");
      break;
    case Datatype::kSingleValueList:
    case Datatype::kMultiValueList:
      text = error.code == "required" ? tr("Select an answer for ‘{question}’")
                                      : tr("Select one of the options for ‘{question}’");
      break;
    case Datatype::kNumber:
      text = error.code == "required" ? tr("Enter a number for ‘{question}’")
                                      : tr("‘{question}’ must be a number, like 3 or 2.5");
      break;
    case Datatype::kString:
    case Datatype::kText:
      if (error.code == "required") {
        text = tr("Enter an answer for ‘{question}’");
      } else {
        return i18n::Substitute(tr("Check your answer for ‘{question}’: {problem}"),
                                {{"question", question}, {"problem", i18n::FieldErrorText(error, tr)}});
      }
      break;
  }
  if (text == nullptr) return i18n::FieldErrorText(error, tr);
  return i18n::Substitute(text, {{"question", question}});
}

View OptionView(const std::string& id, const std::string& name, const std::string& value,
                const std::string& label, bool checked) {
  View option;
  option.Set("id", id).Set("name", name).Set("value", value).Set("label", label).Flag("checked",
                                                                                        checked);
  return option;
}

}  // namespace

http::ParamList WithPrefix(const http::ParamList& answers, const std::string& prefix) {
  http::ParamList out;
  for (const auto& pair : answers) {
    if (pair.first.rfind(prefix, 0) == 0) out.push_back(pair);
  }
  return out;
}

std::string FirstValue(const http::ParamList& answers, const std::string& name) {
  for (const auto& [key, value] : answers) {
    if (key == name) return value;
  }
  return "";
}

domain::FormValues FormValuesFromAnswers(const domain::Service& service,
                                         const http::ParamList& answers) {
  domain::FormValues values;
  for (const auto& field : service.fields) {
    const std::string name = "v." + field.code;
    if (field.datatype == domain::Datatype::kDatetime) {
      std::string day = Trimmed(FirstValue(answers, name + ".day"));
      std::string month = Trimmed(FirstValue(answers, name + ".month"));
      std::string year = Trimmed(FirstValue(answers, name + ".year"));
      if (day.empty() && month.empty() && year.empty()) continue;
      values[field.code] = {Pad(year, 4) + "-" + Pad(month, 2) + "-" + Pad(day, 2)};
      continue;
    }
    for (const auto& [key, value] : answers) {
      if (key != name) continue;
      std::string v = field.datatype == domain::Datatype::kText ? value : Trimmed(value);
      if (v.empty()) continue;
      values[field.code].push_back(v);
    }
  }
  return values;
}

std::string ElementId(const std::string& name, const domain::Service* service) {
  // The one-letter step prefixes ("v.", "c.", "l.", "t.") are dropped;
  // others ("cy.name" of the catalogue editor) stay, so ids never collide.
  const bool step_prefix = name.size() > 2 && name[1] == '.';
  std::string id = "f-" + (step_prefix ? name.substr(2) : name);
  std::replace(id.begin(), id.end(), '.', '-');
  if (service != nullptr && name.rfind("v.", 0) == 0) {
    const domain::FormField* field = service->FindField(name.substr(2));
    if (field != nullptr && field->datatype == domain::Datatype::kDatetime) id += "-day";
    if (field != nullptr && (field->datatype == domain::Datatype::kMultiValueList ||
                             (field->datatype == domain::Datatype::kSingleValueList &&
                              field->values.size() <= 8))) {
      id += "-0";
    }
  }
  return id;
}

std::vector<View> ServiceFieldViews(const domain::Service& service, const http::ParamList& answers,
                                    const ErrorMap& errors, const i18n::Translator& tr) {
  const std::string& lang = tr.lang();
  std::vector<View> out;
  for (const auto& field : service.fields) {
    const std::string name = "v." + field.code;
    const std::string id = "f-" + field.code;
    View v;
    const std::string& question = domain::DescriptionIn(field, lang);
    v.Set("name", name).Set("id", id).Set("label", question.empty() ? field.code : question);
    v.Flag("required", field.required);
    v.Set("hint", domain::HelpTextIn(field, lang));
    auto error = errors.find(name);
    std::string described_by;
    if (!field.help_text.empty() || field.datatype == domain::Datatype::kDatetime ||
        field.datatype == domain::Datatype::kMultiValueList) {
      described_by = id + "-hint";
    }
    if (error != errors.end()) {
      v.Set("error", error->second);
      described_by += (described_by.empty() ? "" : " ") + id + "-error";
    }
    v.Set("described_by", described_by);
    std::vector<std::string> given;
    for (const auto& [key, value] : answers) {
      if (key == name) given.push_back(value);
    }
    const std::string first = given.empty() ? "" : given.front();
    switch (field.datatype) {
      case domain::Datatype::kString:
        v.Flag("is_input", true).Set("value", first);
        break;
      case domain::Datatype::kNumber:
        v.Flag("is_input", true).Set("value", first).Set("inputmode", "decimal").Set(
            "width_class", "govuk-input--width-5");
        break;
      case domain::Datatype::kText:
        v.Flag("is_textarea", true).Set("value", first);
        break;
      case domain::Datatype::kDatetime:
        v.Flag("is_date", true);
        v.Set("day", FirstValue(answers, name + ".day"));
        v.Set("month", FirstValue(answers, name + ".month"));
        v.Set("year", FirstValue(answers, name + ".year"));
        break;
      case domain::Datatype::kSingleValueList:
      case domain::Datatype::kMultiValueList: {
        const bool multi = field.datatype == domain::Datatype::kMultiValueList;
        const bool select = !multi && field.values.size() > 8;
        v.Flag(multi ? "is_checkboxes" : (select ? "is_select" : "is_radios"), true);
        v.List("options");
        int index = 0;
        for (const auto& allowed : field.values) {
          bool checked = std::find(given.begin(), given.end(), allowed.key) != given.end();
          v.Add("options", OptionView(id + "-" + std::to_string(index++), name, allowed.key,
                                      domain::NameIn(allowed, lang), checked));
        }
        break;
      }
    }
    out.push_back(std::move(v));
  }
  return out;
}

View SimpleField(const std::string& name, const std::string& label, const std::string& kind,
                 const http::ParamList& answers, const ErrorMap& errors, bool required,
                 const std::string& hint,
                 const std::vector<std::pair<std::string, std::string>>& options) {
  View v;
  const std::string id = ElementId(name, nullptr);
  v.Set("name", name).Set("id", id).Set("label", label).Flag("required", required).Set("hint", hint);
  std::string described_by = hint.empty() ? "" : id + "-hint";
  auto error = errors.find(name);
  if (error != errors.end()) {
    v.Set("error", error->second);
    described_by += (described_by.empty() ? "" : " ") + id + "-error";
  }
  v.Set("described_by", described_by);
  const std::string value = FirstValue(answers, name);
  if (kind == "radios" || kind == "select") {
    v.Flag(kind == "radios" ? "is_radios" : "is_select", true);
    v.List("options");
    int index = 0;
    for (const auto& [key, text] : options) {
      v.Add("options", OptionView(index == 0 ? id : id + "-" + std::to_string(index), name, key,
                                  text, key == value));
      ++index;
    }
  } else {
    v.Flag(kind == "textarea" ? "is_textarea" : "is_input", true).Set("value", value);
  }
  return v;
}

ErrorMap ErrorsFromStatus(const absl::Status& status, const domain::Service* service,
                          const i18n::Translator& tr,
                          const std::map<std::string, std::string>& rename) {
  ErrorMap out;
  for (const auto& error : FieldErrorsOf(status)) {
    std::string name;
    std::string message;
    if (error.field.rfind("values.", 0) == 0 && service != nullptr) {
      const std::string code = error.field.substr(7);
      if (const domain::FormField* field = service->FindField(code)) {
        name = "v." + code;
        message = MessageFor(*field, error, tr);
      }
    } else if (auto it = rename.find(error.field); it != rename.end()) {
      name = it->second;
    }
    if (message.empty()) message = i18n::FieldErrorText(error, tr);
    if (!out.contains(name)) out[name] = message;
  }
  if (out.empty() && !status.ok()) out[""] = tr("Sorry, there is a problem with the service. Try again later.");
  return out;
}

std::vector<View> ErrorSummary(const ErrorMap& errors, const std::vector<std::string>& order,
                               const domain::Service* service) {
  std::vector<View> out;
  std::set<std::string> done;
  auto add = [&](const std::string& name, const std::string& message) {
    if (!done.insert(name).second) return;
    View v;
    v.Set("message", message);
    if (!name.empty()) v.Set("href", ElementId(name, service));
    out.push_back(std::move(v));
  };
  for (const auto& name : order) {
    if (auto it = errors.find(name); it != errors.end()) add(it->first, it->second);
  }
  for (const auto& [name, message] : errors) add(name, message);
  return out;
}

std::string AnswerText(const domain::FormField& field, const domain::FormValues& values,
                       const i18n::Translator& tr) {
  auto it = values.find(field.code);
  if (it == values.end() || it->second.empty()) return tr("Not answered");
  std::vector<std::string> parts;
  for (const auto& value : it->second) {
    std::string text = value;
    for (const auto& allowed : field.values) {
      if (allowed.key == value) text = domain::NameIn(allowed, tr.lang());
    }
    if (field.datatype == domain::Datatype::kDatetime && value.size() >= 10) {
      absl::CivilDay day;
      if (absl::ParseCivilTime(value.substr(0, 10), &day)) {
        text = tr.Date(absl::FromCivil(absl::CivilHour(day.year(), day.month(), day.day(), 12),
                                       absl::UTCTimeZone()));
      }
    }
    parts.push_back(text);
  }
  return absl::StrJoin(parts, ", ");
}

}  // namespace onestop::web
