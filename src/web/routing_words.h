// Routing codes as staff read them, shared by the interaction bar
// (desk_bar.cc) and the supervisor pages (supervisor_pages.cc): "Available",
// "On a break", "Wrap-up"; "Call", "Visitor", "Case task".
#pragma once

#include "i18n/translator.h"
#include "routing/types.h"

namespace onestop::web {

const char* PresenceWords(routing::Presence presence, const i18n::Translator& tr);
const char* MediaWords(routing::Media media, const i18n::Translator& tr);

}  // namespace onestop::web
