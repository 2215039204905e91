// SipServer::Impl (sip/server_impl.h): the IVR and the queue (prompts, digits, position
// announcements).
#include "sip/server_impl.h"

#include "i18n/translator.h"
#include "spdlog/spdlog.h"

namespace onestop::sip {

// ---- the IVR and the queue -------------------------------------------

std::vector<media::SharedPcm> SipServer::Impl::Clips(const std::vector<Words>& words) {
  std::vector<media::SharedPcm> out;
  for (const Words& w : words) {
    if (w.text.empty()) continue;
    absl::StatusOr<media::SharedPcm> pcm = prompts.Get(w.text, w.language);
    if (pcm.ok()) {
      out.push_back(*pcm);
    } else {
      spdlog::warn("sip: cannot synthesise a prompt: {}", pcm.status().ToString());
    }
  }
  return out;
}

void SipServer::Impl::Play(Call& call, const std::vector<Words>& words, bool then_music) {
  const uint64_t token = ++call.play_token;
  const uint64_t id = call.id;
  std::vector<media::SharedPcm> clips = Clips(words);
  if (!call.caller.rtp) return;
  call.caller.rtp->Play(std::move(clips), false, [this, id, token] {
    loop.Post([this, id, token] { OnPlayed(id, token); });
  });
  (void)then_music;
}

void SipServer::Impl::PlayMusic(Call& call) {
  ++call.play_token;
  if (call.caller.rtp) call.caller.rtp->Play({music}, true);
}

void SipServer::Impl::OnPlayed(uint64_t id, uint64_t token) {
  Call* call = Find(id);
  if (call == nullptr || call->play_token != token) return;
  if (call->phase == Phase::kIvr) {
    if (std::optional<IvrStep> step = call->ivr->OnPlayed(deps.clock.Now())) Run(*call, *step);
  } else if (call->phase == Phase::kSurvey) {
    if (call->survey_answered) {
      HangUpAll(*call);  // thanked
    } else {
      call->survey_deadline = deps.clock.Now() + absl::Seconds(telephony.survey->timeout_seconds);
    }
  } else if (call->callback && call->caller.nh != nullptr && !call->caller.cancelled &&
             (call->phase == Phase::kQueued || call->phase == Phase::kRinging)) {
    // The call-back confirmation has been said: we hang up for them.
    call->caller.cancelled = true;
    nua_bye(call->caller.nh, TAG_END());
  } else if (call->phase == Phase::kQueued || call->phase == Phase::kRinging) {
    PlayMusic(*call);
  }
}

std::vector<Words> SipServer::Impl::CallbackOffer(const Call& call) const {
  if (telephony.callback_digit == '\0' || options.dial_uri.empty() || call.callback ||
      call.caller_number.size() < 3) {
    return {};
  }
  const i18n::Translator& tr = catalogs.Get(call.language);
  std::string key(1, telephony.callback_digit);
  if (telephony.callback_digit == '*') key = tr(N_("star"));
  if (telephony.callback_digit == '#') key = tr(N_("hash"));
  return {{i18n::Substitute(tr(N_("To keep your place and be called back, press {key}.")), {{"key", key}}),
           call.language}};
}

void SipServer::Impl::OnDigit(uint64_t id, char digit) {
  Call* call = Find(id);
  if (call == nullptr) return;
  if (call->phase == Phase::kIvr && !call->caller.answered) return;  // before the ACK: nothing asked yet
  spdlog::debug("sip: call {} digit {} (phase {})", id, digit, static_cast<int>(call->phase));
  if (call->phase == Phase::kIvr) {
    if (std::optional<IvrStep> step = call->ivr->OnDigit(digit, deps.clock.Now())) Run(*call, *step);
  } else if (call->phase == Phase::kSurvey) {
    OnSurveyDigit(*call, digit);
  } else if ((call->phase == Phase::kQueued || call->phase == Phase::kRinging) && call->caller.nh != nullptr &&
             !call->callback && telephony.callback_digit != '\0' && digit == telephony.callback_digit) {
    RequestCallback(*call);
  }
}

void SipServer::Impl::Run(Call& call, const IvrStep& step) {
  call.language = call.ivr->language();
  switch (step.kind) {
    case IvrStep::Kind::kPlay:
      Play(call, step.say, false);
      break;
    case IvrStep::Kind::kHangup:
      HangUpAll(call);
      break;
    case IvrStep::Kind::kQueue:
      Enqueue(call, step.queue, step.say);
      break;
  }
}

void SipServer::Impl::Enqueue(Call& call, const std::string& queue, std::vector<Words> say) {
  routing::NewItem item;
  item.media = routing::Media::kVoice;
  item.queue = queue;
  item.caller = call.caller_number;
  item.reference = call.reference;
  absl::StatusOr<routing::Arrival> arrival = engine.AddItem(item);
  if (!arrival.ok()) {
    spdlog::warn("sip: call {} cannot join queue {}: {}", call.id, queue, arrival.status().ToString());
    const i18n::Translator& tr = catalogs.Get(call.language);
    call.phase = Phase::kIvr;
    call.ivr = nullptr;
    Play(call, {{tr(N_("Sorry, we cannot take your call at the moment. Please try again later.")), call.language}},
         false);
    call.phase = Phase::kEnded;  // hang up once it is said (Tick)
    call.next_announce = deps.clock.Now() + absl::Seconds(6);
    return;
  }
  call.item_id = arrival->item_id;
  call.queue = queue;
  call.phase = Phase::kQueued;
  call_of_item[call.item_id] = call.id;
  if (arrival->position > 0) {
    std::vector<Words> more = QueueAnnouncement(catalogs, call.language, arrival->position, EstimatedWait(queue, arrival->position));
    say.insert(say.end(), more.begin(), more.end());
    std::vector<Words> offer = CallbackOffer(call);
    say.insert(say.end(), offer.begin(), offer.end());
  }
  Play(call, say, true);
  call.next_announce = telephony.announce_seconds > 0
                           ? deps.clock.Now() + absl::Seconds(telephony.announce_seconds)
                           : absl::InfiniteFuture();
}

std::optional<absl::Duration> SipServer::Impl::EstimatedWait(const std::string& queue, int position) {
  double aht = 0;
  if (auto today = engine.FiguresToday(); today.contains(queue)) aht = today[queue].aht();
  if (aht <= 0) {
    if (auto all = engine.Figures(); all.contains(queue)) aht = all[queue].aht();
  }
  if (aht <= 0) return std::nullopt;
  int staffed = 0;
  for (const routing::QueueView& q : engine.QueueViews()) {
    if (q.id != queue) continue;
    staffed = q.agents_by_state[static_cast<int>(routing::Presence::kAvailable)] +
              q.agents_by_state[static_cast<int>(routing::Presence::kBusy)] +
              q.agents_by_state[static_cast<int>(routing::Presence::kWrapUp)];
  }
  if (staffed <= 0) return std::nullopt;
  return absl::Seconds(aht * position / staffed);
}

void SipServer::Impl::Warm() {
  std::vector<std::pair<std::string, std::string>> texts;
  for (const domain::IvrMenu& menu : telephony.menus) {
    texts.push_back({menu.prompt.en, "en"});
    if (!menu.prompt.cy.empty()) texts.push_back({menu.prompt.cy, "cy"});
    for (const domain::IvrOption& option : menu.options) {
      if (option.action.kind != domain::IvrActionKind::kMessage) continue;
      texts.push_back({option.action.message.en, "en"});
      if (!option.action.message.cy.empty()) texts.push_back({option.action.message.cy, "cy"});
    }
  }
  if (telephony.survey) {
    for (const domain::SpokenText* t : {&telephony.survey->prompt, &telephony.survey->thanks}) {
      if (!t->en.empty()) texts.push_back({t->en, "en"});
      if (!t->cy.empty()) texts.push_back({t->cy, "cy"});
    }
  }
  for (const char* lang : {"en", "cy"}) {
    const i18n::Translator& tr = catalogs.Get(lang);
    for (const char* id : {N_("Thank you. Please hold while we connect you."),
                           N_("Sorry, that is not one of the choices."),
                           N_("Please hold while we transfer your call.")}) {
      texts.push_back({tr(id), lang});
    }
    for (int n = 1; n <= 10 && !stopping; ++n) {
      for (const Words& w : QueueAnnouncement(catalogs, lang, n, absl::Minutes(n))) texts.push_back({w.text, lang});
    }
  }
  for (const auto& [text, lang] : texts) {
    if (stopping) return;
    if (absl::StatusOr<media::SharedPcm> pcm = prompts.Get(text, lang); !pcm.ok()) {
      spdlog::warn("sip: prompt not synthesised: {}", pcm.status().ToString());
    }
  }
  spdlog::info("sip: {} prompts ready ({} KiB)", prompts.size(), prompts.bytes() / 1024);
}

}  // namespace onestop::sip
