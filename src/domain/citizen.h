// A resident (or business) the council deals with: one record per person,
// holding every phone, email and address they have given on any channel.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "absl/status/status.h"
#include "common/status.h"
#include "domain/channel.h"

namespace onestop::domain {

struct Address {
  std::optional<int64_t> uprn;  // Unique Property Reference Number, up to 12 digits
  std::string line1;            // e.g. "12 Mill Lane"
  std::string line2;
  std::string town;
  std::string postcode;  // normalised: upper case, one space before the inward code
  bool operator==(const Address&) const = default;
};

struct Consent {
  bool contact_by_email = false;
  bool contact_by_sms = false;
  bool contact_by_phone = false;
  bool research = false;
  bool operator==(const Consent&) const = default;
};

// What staff must know before they speak to the resident: shown as tags at
// the top of the single view. Set by staff (SetCitizenFlags, or the citizen
// in PATCH /api/v1/citizens/{id}); the texts are free text in the staff
// member's words.
struct CitizenFlags {
  bool vulnerable = false;
  std::string vulnerability_note;    // what to bear in mind; empty unless vulnerable
  bool interpreter_needed = false;
  std::string interpreter_language;  // "Polish"; required when interpreter_needed, else empty
  bool email_undeliverable = false;  // mail to the primary email address bounces
  bool operator==(const CitizenFlags&) const = default;
  bool Any() const { return vulnerable || interpreter_needed || email_undeliverable; }
};

inline constexpr size_t kMaxInterpreterLanguageChars = 50;
inline constexpr size_t kMaxVulnerabilityNoteChars = 200;

struct Citizen {
  int64_t id = 0;
  std::string title;
  std::string given_name;
  std::string family_name;
  std::vector<std::string> phones;  // normalised (digits, leading + kept); first is primary
  std::vector<std::string> emails;  // lower-cased; first is primary
  std::vector<Address> addresses;   // first is primary
  std::optional<Channel> preferred_channel;
  Consent consent;
  CitizenFlags flags;
  std::optional<int64_t> merged_into;  // set when merged into another citizen
  absl::Time created_at;
  absl::Time updated_at;
  int64_t version = 0;  // optimistic concurrency
  bool operator==(const Citizen&) const = default;

  std::string DisplayName() const;
};

// What an agent types while the phone rings. Fields are ANDed; empty = ignored.
// Default member initialisers on every field, so designated initialisers
// ({.phone = p}) may leave any of them out without a warning.
struct CitizenQuery {
  std::string phone = {};     // normalised before searching
  std::string email = {};     // case-insensitive exact match
  std::string postcode = {};  // normalised
  std::string name = {};      // prefix match on given or family name, case-insensitive
  bool include_merged = false;
  int limit = 50;
};

// Normalises a UK phone number for matching: keeps digits, turns a leading
// "+44" or "0044" into "0". Returns empty if fewer than 6 digits remain.
std::string NormalisePhone(std::string_view raw);
// True for a UK mobile number (071–075, 077–079, 07624), the only numbers a
// text message may go to (never a landline, a pager or a personal number).
bool IsUkMobile(std::string_view phone);
// Lower-cases and trims; returns empty if it does not look like an email.
std::string NormaliseEmail(std::string_view raw);

// Checks names, phones, emails and postcodes; returns InvalidArgument with
// field errors naming the offending entries ("phones[1]", "addresses[0].postcode").
absl::Status ValidateCitizen(const Citizen& citizen);

// Trims the flags' texts and drops a language or note whose flag is off.
void NormaliseCitizenFlags(CitizenFlags& flags);
// Field errors ("flags.interpreter_language") for flags that are not valid:
// an interpreter without a language, texts too long or with control characters.
std::vector<FieldError> CitizenFlagErrors(const CitizenFlags& flags);

// A record of two citizens merged: everything of `from` moved onto `into`.
struct CitizenMerge {
  int64_t id = 0;
  int64_t from_citizen = 0;
  int64_t into_citizen = 0;
  std::vector<int64_t> moved_cases;
  std::vector<int64_t> moved_contacts;
  int64_t merged_by = 0;  // staff id
  absl::Time merged_at;
  std::optional<absl::Time> reversed_at;
  std::optional<int64_t> reversed_by;
  bool operator==(const CitizenMerge&) const = default;
};

}  // namespace onestop::domain
