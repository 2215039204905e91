#include "domain/citizen.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "domain/postcode.h"

namespace onestop::domain {
namespace {

constexpr size_t kMaxNameChars = 100;
constexpr size_t kMaxEntries = 10;  // phones, emails, addresses each
constexpr int64_t kMaxUprn = 999'999'999'999;
constexpr size_t kMaxPhoneDigits = 15;  // E.164 limit, international prefix excluded
constexpr size_t kMinPhoneDigits = 6;
constexpr size_t kMaxEmailLength = 254;  // RFC 5321 path limit

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string Trimmed(std::string_view s) {
  std::string out(s);
  absl::StripAsciiWhitespace(&out);
  return out;
}

// Characters, not bytes: UTF-8 continuation bytes are not counted.
size_t CharCount(std::string_view s) {
  size_t count = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++count;
  }
  return count;
}

bool HasControlChars(const std::string& value) {
  for (char ch : value) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7F) return true;
  }
  return false;
}

void CheckName(std::string_view field, const std::string& value, std::vector<FieldError>& errors) {
  if (HasControlChars(value)) {
    errors.push_back({std::string(field), "invalid", "name_control_chars", {}});
  } else if (CharCount(value) > kMaxNameChars) {
    errors.push_back(
        {std::string(field), "too_long", "name_length", {{"max", absl::StrCat(kMaxNameChars)}}});
  }
}

}  // namespace

// "Mrs Ada Lovelace"; the title is shown only alongside a name. Empty when
// the record has no name at all (callers choose their own placeholder).
std::string Citizen::DisplayName() const {
  std::string given = Trimmed(given_name);
  std::string family = Trimmed(family_name);
  if (given.empty() && family.empty()) return "";
  std::string out = Trimmed(title);
  for (const std::string* part : {&given, &family}) {
    if (part->empty()) continue;
    if (!out.empty()) out.push_back(' ');
    out += *part;
  }
  return out;
}

// UK numbers come out in national form ("07700900123"): "+44", "0044" and a
// "(0)" after them become the trunk "0". Other international numbers keep a
// leading '+' ("+33123456789", also from "0033 ..."), as Citizen::phones
// documents. Anything that is not a digit is dropped.
bool IsUkMobile(std::string_view phone) {
  const std::string n = NormalisePhone(phone);
  if (n.size() != 11 || n.compare(0, 2, "07") != 0) return false;
  if (n.compare(0, 5, "07624") == 0) return true;  // Isle of Man mobiles among the pagers
  const char third = n[2];
  return (third >= '1' && third <= '5') || (third >= '7' && third <= '9');
}

std::string NormalisePhone(std::string_view raw) {
  std::string trimmed = Trimmed(raw);
  std::string digits;
  for (char c : trimmed) {
    if (IsDigit(c)) digits.push_back(c);
  }
  bool international = false;
  if (!trimmed.empty() && trimmed[0] == '+') {
    international = true;
  } else if (digits.size() >= 2 && digits.compare(0, 2, "00") == 0) {
    international = true;
    digits.erase(0, 2);
  }
  std::string out;
  if (international && digits.compare(0, 2, "44") == 0) {
    digits.erase(0, 2);
    if (!digits.empty() && digits[0] == '0') digits.erase(0, 1);  // "+44 (0)20 ..."
    out = "0" + digits;
  } else if (international) {
    out = "+" + digits;
  } else {
    out = digits;
  }
  size_t digit_count = international && out[0] == '+' ? out.size() - 1 : out.size();
  if (digit_count < kMinPhoneDigits || digit_count > kMaxPhoneDigits) return "";
  return out;
}

// Deliberately simple: the only real check of an address is sending to it.
std::string NormaliseEmail(std::string_view raw) {
  std::string email = absl::AsciiStrToLower(Trimmed(raw));
  if (email.empty() || email.size() > kMaxEmailLength) return "";
  size_t at = email.find('@');
  if (at == std::string::npos || at == 0 || email.find('@', at + 1) != std::string::npos) {
    return "";
  }
  for (unsigned char c : email) {
    if (c <= 0x20 || c == 0x7F) return "";  // spaces and control characters
  }
  std::string_view domain = std::string_view(email).substr(at + 1);
  if (domain.find('.') == std::string_view::npos || domain.front() == '.' || domain.back() == '.' ||
      domain.find("..") != std::string_view::npos) {
    return "";
  }
  return email;
}

void NormaliseCitizenFlags(CitizenFlags& flags) {
  flags.interpreter_language = Trimmed(flags.interpreter_language);
  flags.vulnerability_note = Trimmed(flags.vulnerability_note);
  if (!flags.interpreter_needed) flags.interpreter_language.clear();
  if (!flags.vulnerable) flags.vulnerability_note.clear();
}

std::vector<FieldError> CitizenFlagErrors(const CitizenFlags& flags) {
  std::vector<FieldError> errors;
  const std::string language = Trimmed(flags.interpreter_language);
  if (flags.interpreter_needed && language.empty()) {
    errors.push_back({"flags.interpreter_language", "required", "interpreter_language_required", {}});
  } else if (HasControlChars(language)) {
    errors.push_back({"flags.interpreter_language", "invalid", "name_control_chars", {}});
  } else if (CharCount(language) > kMaxInterpreterLanguageChars) {
    errors.push_back({"flags.interpreter_language", "too_long", "interpreter_language_length",
                      {{"max", absl::StrCat(kMaxInterpreterLanguageChars)}}});
  }
  // The note may run over lines; other control characters are refused.
  for (char ch : flags.vulnerability_note) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\n' && c != '\r') || c == 0x7F) {
      errors.push_back({"flags.vulnerability_note", "invalid", "name_control_chars", {}});
      return errors;
    }
  }
  if (CharCount(flags.vulnerability_note) > kMaxVulnerabilityNoteChars) {
    errors.push_back({"flags.vulnerability_note", "too_long", "vulnerability_note_length",
                      {{"max", absl::StrCat(kMaxVulnerabilityNoteChars)}}});
  }
  return errors;
}

absl::Status ValidateCitizen(const Citizen& citizen) {
  std::vector<FieldError> errors = CitizenFlagErrors(citizen.flags);
  if (Trimmed(citizen.given_name).empty() && Trimmed(citizen.family_name).empty()) {
    errors.push_back({"given_name", "required", "citizen_name_required", {}});
  }
  CheckName("title", citizen.title, errors);
  CheckName("given_name", citizen.given_name, errors);
  CheckName("family_name", citizen.family_name, errors);

  auto check_count = [&](std::string_view field, std::string_view reason, size_t count) {
    if (count > kMaxEntries) {
      errors.push_back({std::string(field), "too_many", std::string(reason),
                        {{"max", absl::StrCat(kMaxEntries)}}});
    }
  };
  check_count("phones", "too_many_phones", citizen.phones.size());
  check_count("emails", "too_many_emails", citizen.emails.size());
  check_count("addresses", "too_many_addresses", citizen.addresses.size());
  for (size_t address_idx = 0; address_idx < citizen.addresses.size(); ++address_idx) {
    const Address& address = citizen.addresses[address_idx];
    const std::string prefix = absl::StrCat("addresses[", address_idx, "].");
    CheckName(prefix + "line1", address.line1, errors);
    CheckName(prefix + "line2", address.line2, errors);
    CheckName(prefix + "town", address.town, errors);
  }

  for (size_t phone_idx = 0; phone_idx < citizen.phones.size(); ++phone_idx) {
    if (NormalisePhone(citizen.phones[phone_idx]).empty()) {
      errors.push_back({absl::StrCat("phones[", phone_idx, "]"), "invalid", "phone_format", {}});
    }
  }
  for (size_t email_idx = 0; email_idx < citizen.emails.size(); ++email_idx) {
    if (NormaliseEmail(citizen.emails[email_idx]).empty()) {
      errors.push_back({absl::StrCat("emails[", email_idx, "]"), "invalid", "email_format", {}});
    }
  }
  for (size_t address_idx = 0; address_idx < citizen.addresses.size(); ++address_idx) {
    const Address& address = citizen.addresses[address_idx];
    std::string where = absl::StrCat("addresses[", address_idx, "]");
    if (Trimmed(address.postcode).empty()) {
      if (Trimmed(address.line1).empty()) {
        errors.push_back({where + ".postcode", "required", "postcode_or_line1_required", {}});
      }
    } else if (!NormalisePostcode(address.postcode).has_value()) {
      errors.push_back({where + ".postcode", "invalid", "postcode_format", {}});
    }
    if (address.uprn.has_value() && (*address.uprn < 1 || *address.uprn > kMaxUprn)) {
      errors.push_back({where + ".uprn", "invalid", "uprn_digits", {}});
    }
  }
  if (!errors.empty()) return InvalidFields("The citizen's details are not valid", errors);
  return absl::OkStatus();
}

}  // namespace onestop::domain
