// Dispositions: the council's wrap-up codes. When an agent finishes a routed
// interaction (a call, a chat, an email, a visitor) they say how it ended —
// "answered from the knowledge base", "case raised", "progress chasing",
// "failure demand" … — and the contact records the code, so first-contact
// resolution and avoidable-contact figures come from what agents said, not
// from guesses. Each code counts as one ContactOutcome and may be marked
// avoidable (NI 14 / failure demand). A code may be limited to some queues
// and some services; with none listed it applies everywhere.
// Plain values; any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "domain/contact.h"
#include "domain/language.h"

namespace onestop::domain {

struct Disposition {
  std::string code;  // "answered_from_kb": lower-case letters, digits, '-' and '_'
  std::string name;  // English, as agents read it
  Translations<std::string> translations = {};  // language -> name
  ContactOutcome outcome = ContactOutcome::kOther;
  bool avoidable = false;             // the contact need not have happened
  std::vector<std::string> queues;    // routing queue codes; empty: every queue
  std::vector<std::string> services;  // service codes; empty: every service
  bool operator==(const Disposition&) const = default;
};

inline const std::string& NameIn(const Disposition& d, std::string_view lang) {
  return TextIn(d.translations, lang, d.name);
}

// The codes an agent may choose for an interaction of `queue` about
// `service_code` (empty: not known yet, so any service's), in list order.
std::vector<const Disposition*> DispositionsFor(const std::vector<Disposition>& all,
                                                std::string_view queue,
                                                std::string_view service_code);
// The code's entry, or nullptr.
const Disposition* FindDisposition(const std::vector<Disposition>& all, std::string_view code);

// Codes well-formed and unique, names present, no empty queue or service
// codes (InvalidFields naming "dispositions[i].code" ...; reasons
// "disposition_code_format", "duplicate_code", "name_required").
absl::Status ValidateDispositions(const std::vector<Disposition>& all);

}  // namespace onestop::domain
