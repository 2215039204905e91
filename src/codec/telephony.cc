#include "codec/telephony.h"

#include <boost/json.hpp>
#include <string>
#include <utility>

#include "common/status.h"

namespace onestop::codec {
namespace {

boost::json::string Js(const std::string& s) { return boost::json::string(s.data(), s.size()); }

bool ValidDigit(char digit) {
  return (digit >= '0' && digit <= '9') || digit == '*' || digit == '#';
}

domain::SpokenText ReadSpoken(ObjectReader& in) {
  domain::SpokenText text;
  if (auto v = in.String("en", Presence::kRequired)) text.en = *v;
  if (auto v = in.String("cy")) text.cy = *v;
  return text;
}

boost::json::object SpokenToJson(const domain::SpokenText& text) {
  boost::json::object o{{"en", Js(text.en)}};
  if (!text.cy.empty()) o["cy"] = Js(text.cy);
  return o;
}

// {"queue"} | {"menu"} | {"message", "then"?} | {"language", "then"?} | {"operator": true}
domain::IvrAction ReadAction(ObjectReader& in) {
  domain::IvrAction action;
  int kinds = 0;
  auto kind = [&](std::string_view key, domain::IvrActionKind k) {
    if (!in.Has(key)) return false;
    if (++kinds > 1) {
      in.errors().Add(in.PathOf(key), "invalid", "ivr_action_twice", {{"key", std::string(key)}});
      in.Raw(key);  // reported here, not again as unknown
      return false;
    }
    action.kind = k;
    return true;
  };
  if (kind("queue", domain::IvrActionKind::kQueue)) {
    if (auto v = in.String("queue")) action.queue = *v;
  }
  if (kind("menu", domain::IvrActionKind::kMenu)) {
    if (auto v = in.String("menu")) action.menu = *v;
  }
  if (kind("message", domain::IvrActionKind::kMessage)) {
    in.WithObject("message", [&](ObjectReader& text) { action.message = ReadSpoken(text); });
  }
  if (kind("language", domain::IvrActionKind::kLanguage)) {
    if (auto v = in.String("language")) action.language = *v;
  }
  if (kind("operator", domain::IvrActionKind::kOperator)) {
    if (auto v = in.Bool("operator"); v && !*v) {
      in.errors().Add(in.PathOf("operator"), "invalid", "ivr_operator_true");
    }
  }
  if (kinds == 0) {
    in.errors().Add(in.path(), "required", "ivr_action_required",
                    {{"allowed", "queue, menu, message, language, operator"}});
  }
  if (in.Has("then")) {
    if (action.kind == domain::IvrActionKind::kMessage ||
        action.kind == domain::IvrActionKind::kLanguage) {
      if (auto v = in.String("then")) action.menu = *v;
    }
    // Otherwise left unread: Finish() reports it as an unknown key.
  }
  return action;
}

boost::json::object ActionToJson(const domain::IvrAction& action) {
  boost::json::object o;
  switch (action.kind) {
    case domain::IvrActionKind::kQueue:
      o["queue"] = Js(action.queue);
      break;
    case domain::IvrActionKind::kMenu:
      o["menu"] = Js(action.menu);
      break;
    case domain::IvrActionKind::kMessage:
      o["message"] = SpokenToJson(action.message);
      if (!action.menu.empty()) o["then"] = Js(action.menu);
      break;
    case domain::IvrActionKind::kLanguage:
      o["language"] = Js(action.language);
      if (!action.menu.empty()) o["then"] = Js(action.menu);
      break;
    case domain::IvrActionKind::kOperator:
      o["operator"] = true;
      break;
  }
  return o;
}

domain::IvrMenu ReadMenu(ObjectReader& in) {
  domain::IvrMenu menu;
  if (auto v = in.String("id", Presence::kRequired)) menu.id = *v;
  in.WithObject(
      "prompt", [&](ObjectReader& text) { menu.prompt = ReadSpoken(text); }, Presence::kRequired);
  if (auto v = in.Int32("timeout_seconds", Presence::kOptional, 1, 120)) menu.timeout_seconds = *v;
  if (auto v = in.Int32("max_retries", Presence::kOptional, 0, 10)) menu.max_retries = *v;
  if (const boost::json::object* options = in.Object("options")) {
    const std::string where = in.PathOf("options");
    for (const auto& member : *options) {
      const std::string key(member.key().data(), member.key().size());
      const std::string path = JoinPath(where, key);
      if (key.size() != 1 || !ValidDigit(key[0])) {
        in.errors().Add(path, "invalid", "ivr_digit", {{"value", key}});
        continue;
      }
      ObjectReader action_in(member.value(), path, in.errors());
      if (!action_in.is_object()) continue;
      domain::IvrOption option;
      option.digit = key[0];
      option.action = ReadAction(action_in);
      action_in.Finish();
      menu.options.push_back(std::move(option));
    }
  }
  in.WithObject("on_timeout",
                [&](ObjectReader& action_in) { menu.on_timeout = ReadAction(action_in); });
  return menu;
}

}  // namespace

std::optional<domain::Telephony> ReadTelephony(
    ObjectReader& in, std::string_view key,
    const std::function<bool(std::string_view)>& queue_exists) {
  std::optional<domain::Telephony> out;
  in.WithObject(key, [&](ObjectReader& t_in) {
    domain::Telephony t;
    t_in.ForEachObject("numbers", [&](ObjectReader& n_in, size_t) {
      domain::TelephoneNumber n;
      if (auto v = n_in.String("number", Presence::kRequired)) n.number = *v;
      if (auto v = n_in.String("name")) n.name = *v;
      if (auto v = n_in.String("menu", Presence::kRequired)) n.menu = *v;
      if (auto v = n_in.String("language")) n.language = *v;
      t.numbers.push_back(std::move(n));
    });
    t_in.WithObject("ivr", [&](ObjectReader& ivr) {
      ivr.ForEachObject("menus",
                        [&](ObjectReader& m_in, size_t) { t.menus.push_back(ReadMenu(m_in)); });
    });
    if (auto v = t_in.String("operator_queue")) t.operator_queue = *v;
    if (auto v = t_in.Int32("announce_seconds", Presence::kOptional, 0, 3600))
      t.announce_seconds = *v;
    if (auto v = t_in.String("callback_digit")) {
      if (v->empty()) {
        t.callback_digit = '\0';
      } else if (v->size() == 1 && ValidDigit((*v)[0])) {
        t.callback_digit = (*v)[0];
      } else {
        t_in.errors().Add(t_in.PathOf("callback_digit"), "invalid", "ivr_digit", {{"value", *v}});
      }
    }
    t_in.ForEachObject("recording", [&](ObjectReader& r_in, size_t) {
      domain::CallRecordingRule rule;
      if (auto v = r_in.String("queue", Presence::kRequired)) rule.queue = *v;
      if (auto v = r_in.Int32("retention_days", Presence::kRequired,
                              domain::kMinRecordingRetentionDays,
                              domain::kMaxRecordingRetentionDays)) {
        rule.retention_days = *v;
      }
      t.recording.push_back(std::move(rule));
    });
    t_in.WithObject("survey", [&](ObjectReader& s_in) {
      domain::CallSurveyPolicy survey;
      if (auto v = s_in.StringArray("queues")) survey.queues = std::move(*v);
      s_in.WithObject(
          "prompt", [&](ObjectReader& text) { survey.prompt = ReadSpoken(text); },
          Presence::kRequired);
      s_in.WithObject("thanks", [&](ObjectReader& text) { survey.thanks = ReadSpoken(text); });
      if (auto v = s_in.Int32("timeout_seconds", Presence::kOptional, 1, 60)) {
        survey.timeout_seconds = *v;
      }
      t.survey = std::move(survey);
    });
    out = std::move(t);
  });
  if (out) in.errors().AddStatus(in.path(), domain::ValidateTelephony(*out, queue_exists));
  return out;
}

boost::json::object TelephonyToJson(const domain::Telephony& telephony) {
  boost::json::array numbers;
  for (const domain::TelephoneNumber& n : telephony.numbers) {
    numbers.push_back(boost::json::object{{"number", Js(n.number)},
                                          {"name", Js(n.name)},
                                          {"menu", Js(n.menu)},
                                          {"language", Js(n.language)}});
  }
  boost::json::array menus;
  for (const domain::IvrMenu& m : telephony.menus) {
    boost::json::object options;
    for (const domain::IvrOption& o : m.options) {
      options[std::string_view(&o.digit, 1)] = ActionToJson(o.action);
    }
    menus.push_back(boost::json::object{{"id", Js(m.id)},
                                        {"prompt", SpokenToJson(m.prompt)},
                                        {"timeout_seconds", m.timeout_seconds},
                                        {"max_retries", m.max_retries},
                                        {"options", std::move(options)},
                                        {"on_timeout", ActionToJson(m.on_timeout)}});
  }
  boost::json::object out{{"numbers", std::move(numbers)},
                          {"ivr", boost::json::object{{"menus", std::move(menus)}}},
                          {"operator_queue", Js(telephony.operator_queue)},
                          {"announce_seconds", telephony.announce_seconds}};
  if (telephony.callback_digit != '\0') {
    out["callback_digit"] = boost::json::string(std::string_view(&telephony.callback_digit, 1));
  }
  if (!telephony.recording.empty()) {
    boost::json::array recording;
    for (const domain::CallRecordingRule& rule : telephony.recording) {
      recording.push_back(boost::json::object{{"queue", Js(rule.queue)},
                                              {"retention_days", rule.retention_days}});
    }
    out["recording"] = std::move(recording);
  }
  if (telephony.survey) {
    const domain::CallSurveyPolicy& survey = *telephony.survey;
    boost::json::array queues;
    for (const std::string& q : survey.queues) queues.push_back(Js(q));
    boost::json::object s{{"queues", std::move(queues)},
                          {"prompt", SpokenToJson(survey.prompt)},
                          {"timeout_seconds", survey.timeout_seconds}};
    if (!survey.thanks.en.empty()) s["thanks"] = SpokenToJson(survey.thanks);
    out["survey"] = std::move(s);
  }
  return out;
}

absl::StatusOr<domain::Telephony> TelephonyFromJsonText(std::string_view text) {
  absl::StatusOr<boost::json::value> json = ParseJson(text);
  if (!json.ok()) return json.status();
  boost::json::value value(boost::json::object{{"telephony", std::move(*json)}});
  ErrorList errors;
  ObjectReader in(value, "", errors);
  std::optional<domain::Telephony> out = ReadTelephony(in, "telephony");
  in.Finish();
  ONESTOP_RETURN_IF_ERROR(errors.ToStatus("The stored telephony settings are not valid"));
  if (!out) return absl::InvalidArgumentError("The stored telephony settings are not an object");
  return *std::move(out);
}

}  // namespace onestop::codec
