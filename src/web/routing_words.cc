#include "web/routing_words.h"

namespace onestop::web {

const char* PresenceWords(routing::Presence presence, const i18n::Translator& tr) {
  switch (presence) {
    case routing::Presence::kOffline: return tr("Offline");
    case routing::Presence::kAvailable: return tr("Available");
    case routing::Presence::kOnBreak: return tr("On a break");
    case routing::Presence::kBusy: return tr("Busy");
    case routing::Presence::kWrapUp: return tr("Wrap-up");
  }
  return tr("Offline");
}

const char* MediaWords(routing::Media media, const i18n::Translator& tr) {
  switch (media) {
    case routing::Media::kVoice: return tr("Call");
    case routing::Media::kChat: return tr("Chat");
    case routing::Media::kEmail: return tr("Email");
    case routing::Media::kWalkIn: return tr("Visitor");
    case routing::Media::kCaseTask: return tr("Case task");
  }
  return tr("Call");
}

}  // namespace onestop::web
