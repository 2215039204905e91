#include "web/event_words.h"

#include <optional>
#include <string_view>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/time_format.h"
#include "web/context.h"

namespace onestop::web {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

std::string Say(const char* text, const Params& params) { return i18n::Substitute(text, params); }

const domain::FieldChange* Find(const domain::Event& e, std::string_view field) {
  for (const auto& change : e.changes) {
    if (change.field == field) return &change;
  }
  return nullptr;
}

std::string StatusText(const std::string& code, const i18n::Translator& tr) {
  auto status = domain::ParseCaseStatus(code);
  return status ? StaffStatusWords(*status, tr) : std::string(tr("Unknown status"));
}

std::string PriorityOf(const std::string& code, const i18n::Translator& tr) {
  auto priority = domain::ParsePriority(code);
  return priority ? PriorityText(*priority, tr) : tr("normal");
}

std::string TeamName(const std::string& code, const NameLookup& names, const i18n::Translator& tr) {
  auto it = names.teams.find(code);
  return it != names.teams.end() ? it->second : std::string(tr("another team"));
}

std::optional<std::string> DateText(const std::string& rfc3339, const i18n::Translator& tr) {
  auto t = ParseRfc3339(rfc3339);
  if (!t.ok()) return std::nullopt;
  return tr.DateTime(*t);
}

std::string Quoted(const std::string& text) {
  constexpr size_t kMax = 120;
  if (text.size() <= kMax) return "‘" + text + "’";
  size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // whole UTF-8 characters
  return "‘" + text.substr(0, cut) + "…’";
}

std::string Who(const domain::Event& e, const NameLookup& names, const i18n::Translator& tr) {
  if (e.actor_id != 0) {
    auto it = names.staff.find(e.actor_id);
    return it != names.staff.end() && !it->second.empty() ? it->second : std::string(tr("A member of staff"));
  }
  if (e.channel == domain::Channel::kApi) return tr("An app");
  if (e.channel == domain::Channel::kWeb || e.channel == domain::Channel::kTv) return tr("The resident");
  return tr("The system");
}

// The changes to a case (case.created, case.updated, case.status_changed).
void CaseChanges(const domain::Event& e, bool created, const NameLookup& names,
                 const i18n::Translator& tr, std::vector<std::string>& out) {
  for (const auto& ch : e.changes) {
    const std::string& f = ch.field;
    if (f == "status") {
      if (created) continue;  // every case starts New
      out.push_back(Say(tr("Status changed from {from} to {to}"),
                        {{"from", StatusText(ch.before, tr)}, {"to", StatusText(ch.after, tr)}}));
    } else if (f == "priority") {
      if (created) {
        if (ch.after != "normal") out.push_back(Say(tr("Priority: {priority}"), {{"priority", PriorityOf(ch.after, tr)}}));
        continue;
      }
      out.push_back(Say(tr("Priority changed from {from} to {to}"),
                        {{"from", PriorityOf(ch.before, tr)}, {"to", PriorityOf(ch.after, tr)}}));
    } else if (f == "team") {
      if (ch.after.empty()) {
        out.push_back(Say(tr("Removed from the {team} team"), {{"team", TeamName(ch.before, names, tr)}}));
      } else {
        out.push_back(Say(tr("Sent to the {team} team"), {{"team", TeamName(ch.after, names, tr)}}));
      }
    } else if (f == "assignee_id") {
      int64_t id = 0;
      if (!ch.after.empty() && absl::SimpleAtoi(ch.after, &id)) {
        out.push_back(Say(tr("Assigned to {name}"), {{"name", StaffNameOf(id, names, tr)}}));
      } else if (absl::SimpleAtoi(ch.before, &id)) {
        out.push_back(Say(tr("No longer assigned to {name}"), {{"name", StaffNameOf(id, names, tr)}}));
      }
    } else if (f == "duplicate_of") {
      // services/duplicates.cc keeps the original's reference here.
      if (!ch.after.empty()) {
        out.push_back(Say(tr("Closed as a duplicate of {reference}"), {{"reference", ch.after}}));
      }
    } else if (f == "summary") {
      out.push_back(Say(tr("Summary changed to {summary}"), {{"summary", Quoted(ch.after)}}));
    } else if (f == "location") {
      std::vector<std::string> parts = absl::StrSplit(ch.after, "; ", absl::SkipEmpty());
      out.push_back(parts.empty() ? std::string(tr("Location removed"))
                                  : Say(tr("Location changed to {location}"),
                                        {{"location", absl::StrJoin(parts, ", ")}}));
    } else if (f == "due_at") {
      auto date = DateText(ch.after, tr);
      if (!date) {
        out.push_back(tr("No longer has a due date"));
      } else if (created || ch.before.empty()) {
        out.push_back(Say(tr("Due {date}"), {{"date", *date}}));
      } else {
        out.push_back(Say(tr("Due date changed to {date}"), {{"date", *date}}));
      }
    } else if (f == "sla_paused_at") {
      out.push_back(ch.after.empty() ? tr("Target clock restarted")
                                     : tr("Target clock paused while waiting on the resident"));
    }
    // service_code: the case's service is shown beside every entry.
  }
}

void FlagChanges(const domain::Event& e, const i18n::Translator& tr, std::vector<std::string>& out) {
  const auto* language = Find(e, "flags.interpreter_language");
  for (const auto& ch : e.changes) {
    const bool on = ch.after == "true";
    if (ch.field == "flags.vulnerable") {
      out.push_back(on ? tr("Marked as vulnerable") : tr("No longer marked as vulnerable"));
    } else if (ch.field == "flags.vulnerability_note" && !ch.after.empty()) {
      out.push_back(Say(tr("What to bear in mind: {note}"), {{"note", Quoted(ch.after)}}));
    } else if (ch.field == "flags.interpreter_needed" && !on) {
      out.push_back(tr("No longer needs an interpreter"));
    } else if (ch.field == "flags.interpreter_needed" && on && language == nullptr) {
      out.push_back(tr("Needs an interpreter"));
    } else if (ch.field == "flags.interpreter_language" && !ch.after.empty()) {
      out.push_back(Say(tr("Needs an interpreter: {language}"), {{"language", ch.after}}));
    } else if (ch.field == "flags.email_undeliverable") {
      out.push_back(on ? tr("Email address marked as undeliverable")
                       : tr("Email address marked as working again"));
    }
  }
}

std::string ConsentWords(const std::string& codes, const i18n::Translator& tr) {
  std::vector<std::string> words;
  for (absl::string_view code : absl::StrSplit(codes, ',', absl::SkipEmpty())) {
    if (code == "email") words.push_back(tr("email"));
    if (code == "sms") words.push_back(tr("text message"));
    if (code == "phone") words.push_back(tr("phone"));
    if (code == "research") words.push_back(tr("research"));
  }
  return words.empty() ? std::string(tr("none")) : absl::StrJoin(words, ", ");
}

void CitizenChanges(const domain::Event& e, const i18n::Translator& tr, std::vector<std::string>& out) {
  for (const auto& ch : e.changes) {
    const std::string& f = ch.field;
    const std::string after = ch.after.empty() ? std::string(tr("nothing")) : ch.after;
    if (f == "title") {
      out.push_back(Say(tr("Title changed to {value}"), {{"value", after}}));
    } else if (f == "given_name") {
      out.push_back(Say(tr("First name changed to {value}"), {{"value", after}}));
    } else if (f == "family_name") {
      out.push_back(Say(tr("Last name changed to {value}"), {{"value", after}}));
    } else if (f == "phones") {
      out.push_back(Say(tr("Phone numbers: {value}"),
                        {{"value", absl::StrJoin(absl::StrSplit(ch.after, ',', absl::SkipEmpty()), ", ")}}));
    } else if (f == "emails") {
      out.push_back(Say(tr("Email addresses: {value}"),
                        {{"value", absl::StrJoin(absl::StrSplit(ch.after, ',', absl::SkipEmpty()), ", ")}}));
    } else if (f == "addresses") {
      out.push_back(Say(tr("Addresses: {value}"), {{"value", after}}));
    } else if (f == "preferred_channel") {
      auto channel = domain::ParseChannel(ch.after);
      out.push_back(channel ? Say(tr("Prefers to be contacted {how}"), {{"how", ChannelHow(*channel, tr)}})
                            : std::string(tr("No preferred channel")));
    } else if (f == "consent") {
      out.push_back(Say(tr("Agreed to be contacted by: {list}"), {{"list", ConsentWords(ch.after, tr)}}));
    } else if (f == "merged_into" && !ch.after.empty()) {
      out.push_back(tr("Merged into another resident record"));
    } else if (f == "merged_from") {
      out.push_back(tr("Another resident record was merged into this one"));
    }
  }
  FlagChanges(e, tr, out);
}

}  // namespace

const char* ChannelText(domain::Channel channel, const i18n::Translator& tr) {
  switch (channel) {
    case domain::Channel::kPhone: return tr("Phone");
    case domain::Channel::kFaceToFace: return tr("Face to face");
    case domain::Channel::kWeb: return tr("Web");
    case domain::Channel::kTv: return tr("TV");
    case domain::Channel::kEmail: return tr("Email");
    case domain::Channel::kSms: return tr("Text message");
    case domain::Channel::kApi: return tr("App (Open311 or API)");
  }
  return tr("Phone");
}

const char* ChannelHow(domain::Channel channel, const i18n::Translator& tr) {
  switch (channel) {
    case domain::Channel::kPhone: return tr("by phone");
    case domain::Channel::kFaceToFace: return tr("face to face");
    case domain::Channel::kWeb: return tr("online");
    case domain::Channel::kTv: return tr("on TV");
    case domain::Channel::kEmail: return tr("by email");
    case domain::Channel::kSms: return tr("by text message");
    case domain::Channel::kApi: return tr("through an app");
  }
  return tr("by phone");
}

const char* OutcomeText(domain::ContactOutcome outcome, const i18n::Translator& tr) {
  switch (outcome) {
    case domain::ContactOutcome::kResolvedFirstContact: return tr("Resolved at first contact");
    case domain::ContactOutcome::kCaseRaised: return tr("Case raised");
    case domain::ContactOutcome::kCaseUpdated: return tr("Case updated");
    case domain::ContactOutcome::kInformationGiven: return tr("Information given");
    case domain::ContactOutcome::kTransferred: return tr("Transferred");
    case domain::ContactOutcome::kAbandoned: return tr("Abandoned");
    case domain::ContactOutcome::kOther: return tr("Other");
  }
  return tr("Other");
}

const char* PriorityText(domain::Priority priority, const i18n::Translator& tr) {
  switch (priority) {
    case domain::Priority::kLow: return tr("low");
    case domain::Priority::kNormal: return tr("normal");
    case domain::Priority::kHigh: return tr("high");
    case domain::Priority::kUrgent: return tr("urgent");
  }
  return tr("normal");
}

std::string StaffNameOf(int64_t staff_id, const NameLookup& names, const i18n::Translator& tr) {
  auto it = names.staff.find(staff_id);
  return it != names.staff.end() && !it->second.empty() ? it->second : std::string(tr("a member of staff"));
}

EventWords DescribeEvent(const domain::Event& e, const NameLookup& names, const i18n::Translator& tr) {
  EventWords words;
  words.who = Who(e, names, tr);
  std::vector<std::string>& out = words.sentences;
  const std::string how = e.channel ? ChannelHow(*e.channel, tr) : "";
  const std::string& t = e.type;
  if (t == "case.created") {
    if (e.actor_id != 0) {
      out.push_back(how.empty() ? Say(tr("Case raised by {name}"), {{"name", words.who}})
                                : Say(tr("Case raised {how} by {name}"), {{"how", how}, {"name", words.who}}));
    } else {
      out.push_back(how.empty() ? std::string(tr("Case raised")) : Say(tr("Case raised {how}"), {{"how", how}}));
    }
    CaseChanges(e, true, names, tr, out);
  } else if (t == "case.updated" || t == "case.status_changed") {
    CaseChanges(e, false, names, tr, out);
    if (out.empty()) out.push_back(tr("Case updated"));
  } else if (t == "note.added") {
    const auto* visibility = Find(e, "visibility");
    out.push_back(visibility != nullptr && visibility->after == "public"
                      ? tr("Note added for the resident to see")
                      : tr("Internal note added"));
    if (const auto* body = Find(e, "body"); body != nullptr && !body->after.empty()) out.push_back(Quoted(body->after));
  } else if (t == "message.queued" || t == "message.sent" || t == "message.failed" || t == "message.delivered") {
    const auto* tmpl = Find(e, "template");
    const auto* channel = Find(e, "channel");
    const bool ack = tmpl != nullptr && tmpl->after == "case_acknowledgement";
    if (channel != nullptr && channel->after == "sms") {
      if (t == "message.queued") out.push_back(tr("Text message queued to the resident"));
      if (t == "message.sent") out.push_back(tr("Text message sent"));
      if (t == "message.delivered") out.push_back(tr("Text message delivered to the resident's phone"));
      if (t == "message.failed") out.push_back(tr("Text message could not be delivered"));
    } else if (t == "message.delivered") {
      out.push_back(tr("Email delivered"));
    } else if (t == "message.queued") {
      out.push_back(ack ? tr("Acknowledgement email queued to the resident") : tr("Reply email queued to the resident"));
    } else if (t == "message.sent") {
      out.push_back(ack ? tr("Acknowledgement email sent") : tr("Reply email sent"));
    } else {
      out.push_back(ack ? tr("Acknowledgement email could not be sent") : tr("Reply email could not be sent"));
    }
  } else if (t == "attachment.added") {
    const auto* file = Find(e, "filename");
    out.push_back(Say(tr("File attached: {name}"), {{"name", file != nullptr ? file->after : ""}}));
  } else if (t == "contact.recorded") {
    const auto* outcome_change = Find(e, "outcome");
    auto outcome = outcome_change ? domain::ParseContactOutcome(outcome_change->after) : std::nullopt;
    out.push_back(how.empty() ? std::string(tr("Contact recorded"))
                              : Say(tr("Contact {how} recorded"), {{"how", how}}));
    if (outcome) out.push_back(Say(tr("Outcome: {outcome}"), {{"outcome", OutcomeText(*outcome, tr)}}));
  } else if (t == "contact.wrapped_up") {
    // services/interactions.cc: the agent's wrap-up of a routed interaction.
    const auto* code = Find(e, "disposition");
    auto it = code != nullptr ? names.dispositions.find(code->after) : names.dispositions.end();
    out.push_back(it != names.dispositions.end() ? Say(tr("Wrapped up: {disposition}"), {{"disposition", it->second}})
                                                 : std::string(tr("Wrapped up")));
    int64_t seconds = 0;
    if (const auto* d = Find(e, "duration_seconds"); d != nullptr && absl::SimpleAtoi(d->after, &seconds)) {
      out.push_back(seconds >= 60 ? Say(tr("Took {min} min {s} s"), {{"min", absl::StrCat(seconds / 60)},
                                                                   {"s", absl::StrCat(seconds % 60)}})
                                  : Say(tr("Took {s} s"), {{"s", absl::StrCat(seconds)}}));
    }
    if (const auto* service = Find(e, "service_code"); service != nullptr && !service->after.empty()) {
      auto s = names.services.find(service->after);
      if (s != names.services.end()) out.push_back(Say(tr("About {service}"), {{"service", s->second}}));
    }
  } else if (t == "contact.call_ended") {
    // src/sip: the phone call's conversation ended (the wrap-up follows).
    out.push_back(tr("Call ended"));
    int64_t seconds = 0;
    if (const auto* d = Find(e, "duration_seconds"); d != nullptr && absl::SimpleAtoi(d->after, &seconds)) {
      out.push_back(seconds >= 60 ? Say(tr("Took {min} min {s} s"), {{"min", absl::StrCat(seconds / 60)},
                                                                   {"s", absl::StrCat(seconds % 60)}})
                                  : Say(tr("Took {s} s"), {{"s", absl::StrCat(seconds)}}));
    }
  } else if (t == "contact.call_recorded") {
    // src/sip: the call's recording was stored (played by supervisors).
    out.push_back(tr("Call recorded"));
    int64_t pauses = 0;
    if (const auto* p = Find(e, "pauses"); p != nullptr && absl::SimpleAtoi(p->after, &pauses) && pauses > 0) {
      out.push_back(Say(tr("Pauses for card payments: {n}"), {{"n", absl::StrCat(pauses)}}));
    }
  } else if (t == "contact.survey_answered") {
    const auto* score = Find(e, "satisfaction");
    out.push_back(score != nullptr ? Say(tr("The caller rated the call {score} out of 5"), {{"score", score->after}})
                                   : std::string(tr("The caller rated the call")));
  } else if (t == "contact.transferred") {
    const auto* staff = Find(e, "staff_id");
    int64_t id = 0;
    out.push_back(staff != nullptr && absl::SimpleAtoi(staff->after, &id)
                      ? Say(tr("Transferred to {name}"), {{"name", StaffNameOf(id, names, tr)}})
                      : std::string(tr("Transferred")));
  } else if (t == "contact.updated") {
    out.push_back(tr("Contact details recorded"));
    const auto* outcome_change = Find(e, "outcome");
    auto outcome = outcome_change ? domain::ParseContactOutcome(outcome_change->after) : std::nullopt;
    if (outcome) out.push_back(Say(tr("Outcome: {outcome}"), {{"outcome", OutcomeText(*outcome, tr)}}));
  } else if (t == "contact.answered") {
    const auto* article = Find(e, "article_id");
    int64_t id = 0;
    auto it = article != nullptr && absl::SimpleAtoi(article->after, &id) ? names.articles.find(id)
                                                                          : names.articles.end();
    out.push_back(it != names.articles.end() ? Say(tr("Answered from the article {title}"), {{"title", Quoted(it->second)}})
                                             : std::string(tr("Answered from a knowledge base article")));
  } else if (t == "citizen.created") {
    if (e.actor_id != 0) {
      out.push_back(how.empty() ? Say(tr("Resident record created by {name}"), {{"name", words.who}})
                                : Say(tr("Resident record created {how} by {name}"), {{"how", how}, {"name", words.who}}));
    } else {
      out.push_back(how.empty() ? std::string(tr("Resident registered")) : Say(tr("Resident registered {how}"), {{"how", how}}));
    }
  } else if (t == "citizen.updated") {
    out.push_back(tr("Resident's details changed"));
    CitizenChanges(e, tr, out);
  } else if (t == "citizen.flags_changed") {
    FlagChanges(e, tr, out);
    if (out.empty()) out.push_back(tr("Flags changed"));
  } else if (t == "citizen.merged") {
    out.push_back(tr("Resident records merged"));
    CitizenChanges(e, tr, out);
  } else if (t == "citizen.unmerged") {
    out.push_back(tr("Merge of resident records reversed"));
  } else if (t == "case.duplicate_added") {
    const auto* dup = Find(e, "duplicate");
    out.push_back(dup != nullptr && !dup->after.empty()
                      ? Say(tr("{reference} was marked as a duplicate of this case"), {{"reference", dup->after}})
                      : std::string(tr("Marked as a duplicate of another case")));
  } else if (t == "case.follower_added") {
    out.push_back(tr("A resident will be kept informed"));
  } else if (t.find("duplicate") != std::string::npos) {
    out.push_back(tr("Marked as a duplicate of another case"));
  } else if (e.entity == "case") {
    out.push_back(tr("Case changed"));
    CaseChanges(e, false, names, tr, out);
  } else if (e.entity == "contact") {
    out.push_back(tr("Contact changed"));
  } else {
    out.push_back(tr("Record changed"));
  }
  return words;
}

}  // namespace onestop::web
