// The event log in words, for the staff desktop: the resident's timeline and
// the case history read "Case raised by phone by Aisha Agent", "Assigned to
// Sam Officer", "Status changed from New to In progress", "Due 5 December
// 2026 at 5:00pm" — never field codes, raw ids or RFC 3339 times.
//
// Events carry codes (domain/event.h: type, FieldChange before/after as
// text); this is the one place that turns them into sentences, through the
// reader's Translator (English and Welsh), with names from a lookup the page
// fills (staff by id, teams and services by code, articles by id). Pure
// functions; any thread.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "domain/case.h"
#include "domain/channel.h"
#include "domain/contact.h"
#include "domain/event.h"
#include "i18n/translator.h"

namespace onestop::web {

// Names the sentences need. A missing entry is worded without the raw code
// ("a member of staff", "another team").
struct NameLookup {
  std::map<int64_t, std::string> staff;        // staff id → display name
  std::map<std::string, std::string> teams;     // team code → name
  std::map<std::string, std::string> services;  // service code → name (reader's language)
  std::map<int64_t, std::string> articles;      // article id → title
  std::map<std::string, std::string> dispositions;  // wrap-up code → name (reader's language)
};

struct EventWords {
  std::string who;                     // "Aisha Agent", "The resident", "An app"
  std::vector<std::string> sentences;  // first is the headline; never empty
};

EventWords DescribeEvent(const domain::Event& event, const NameLookup& names,
                         const i18n::Translator& tr);

// Codes as staff read them.
const char* ChannelText(domain::Channel channel, const i18n::Translator& tr);  // "Phone", "Face to face"
const char* ChannelHow(domain::Channel channel, const i18n::Translator& tr);   // "by phone", "online"
const char* OutcomeText(domain::ContactOutcome outcome, const i18n::Translator& tr);
const char* PriorityText(domain::Priority priority, const i18n::Translator& tr);
// A staff member's name, or "a member of staff" when unknown.
std::string StaffNameOf(int64_t staff_id, const NameLookup& names, const i18n::Translator& tr);

}  // namespace onestop::web
