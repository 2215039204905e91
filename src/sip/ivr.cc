#include "sip/ivr.h"

#include <cmath>

#include "i18n/translator.h"

namespace onestop::sip {

Ivr::Ivr(const domain::Telephony& telephony, const domain::TelephoneNumber& number, const i18n::Catalogs& catalogs)
    : telephony_(telephony), catalogs_(catalogs), language_(number.language.empty() ? "en" : number.language),
      menu_(number.menu) {}

IvrStep Ivr::Start() { return EnterMenu(menu_); }

IvrStep Ivr::EnterMenu(const std::string& id, std::vector<Words> before) {
  const domain::IvrMenu* menu = telephony_.Menu(id);
  if (menu == nullptr) return Queue(telephony_.operator_queue);  // ValidateTelephony prevents this
  menu_ = id;
  in_message_ = false;
  deadline_ = absl::InfiniteFuture();  // until the prompt has played
  before.push_back({menu->prompt.In(language_), language_});
  return IvrStep{IvrStep::Kind::kPlay, std::move(before), ""};
}

IvrStep Ivr::Queue(const std::string& queue) {
  finished_ = true;
  deadline_ = absl::InfiniteFuture();
  const i18n::Translator& tr = catalogs_.Get(language_);
  return IvrStep{IvrStep::Kind::kQueue, {{tr(N_("Thank you. Please hold while we connect you.")), language_}}, queue};
}

IvrStep Ivr::Do(const domain::IvrAction& action) {
  retries_ = 0;
  switch (action.kind) {
    case domain::IvrActionKind::kQueue:
      return Queue(action.queue);
    case domain::IvrActionKind::kOperator:
      return Queue(telephony_.operator_queue);
    case domain::IvrActionKind::kMenu:
      return EnterMenu(action.menu);
    case domain::IvrActionKind::kLanguage:
      language_ = action.language == "cy" ? "cy" : "en";
      return EnterMenu(action.menu.empty() ? menu_ : action.menu);
    case domain::IvrActionKind::kMessage:
      in_message_ = true;
      after_message_ = action.menu;
      deadline_ = absl::InfiniteFuture();
      return IvrStep{IvrStep::Kind::kPlay, {{action.message.In(language_), language_}}, ""};
  }
  return Queue(telephony_.operator_queue);
}

std::optional<IvrStep> Ivr::OnPlayed(absl::Time now) {
  if (finished_) return std::nullopt;
  if (in_message_) {
    in_message_ = false;
    if (after_message_.empty()) {
      finished_ = true;
      return IvrStep{IvrStep::Kind::kHangup, {}, ""};
    }
    return EnterMenu(after_message_);
  }
  const domain::IvrMenu* menu = telephony_.Menu(menu_);
  deadline_ = now + absl::Seconds(menu != nullptr ? menu->timeout_seconds : 10);
  return std::nullopt;
}

std::optional<IvrStep> Ivr::OnDigit(char digit, absl::Time now) {
  if (finished_) return std::nullopt;
  digits_.push_back(digit);
  if (in_message_) return std::nullopt;  // a message plays to its end
  const domain::IvrMenu* menu = telephony_.Menu(menu_);
  if (menu == nullptr) return Queue(telephony_.operator_queue);
  if (const domain::IvrOption* option = menu->Option(digit); option != nullptr) return Do(option->action);
  if (++retries_ > menu->max_retries) return Do(menu->on_timeout);
  const i18n::Translator& tr = catalogs_.Get(language_);
  return EnterMenu(menu_, {{tr(N_("Sorry, that is not one of the choices.")), language_}});
}

std::optional<IvrStep> Ivr::OnTick(absl::Time now) {
  if (finished_ || now < deadline_) return std::nullopt;
  const domain::IvrMenu* menu = telephony_.Menu(menu_);
  if (menu == nullptr) return Queue(telephony_.operator_queue);
  return Do(menu->on_timeout);
}

std::vector<Words> QueueAnnouncement(const i18n::Catalogs& catalogs, const std::string& language, int position,
                                     std::optional<absl::Duration> estimated_wait) {
  const i18n::Translator& tr = catalogs.Get(language);
  std::vector<Words> out;
  if (position == 1) {
    out.push_back({tr(N_("You are next in the queue.")), language});
  } else if (position > 1) {
    out.push_back({i18n::Substitute(tr(N_("You are number {n} in the queue.")), {{"n", std::to_string(position)}}),
                   language});
  }
  if (estimated_wait.has_value() && position > 0) {
    const int64_t minutes = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(absl::ToDoubleMinutes(*estimated_wait))));
    out.push_back({i18n::Substitute(tr.Plural("Your call should be answered in about {n} minute.",
                                              "Your call should be answered in about {n} minutes.", minutes),
                                    {{"n", std::to_string(minutes)}}),
                   language});
  }
  return out;
}

}  // namespace onestop::sip
