// Self-service use cases for residents who are not logged in (the web
// portal): identifying the resident who reports something, and tracking a
// request by its reference. Both run as the public actor; neither reveals
// anything about other residents.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/case.h"
#include "domain/citizen.h"
#include "services/deps.h"

namespace onestop::services {

struct ResidentDetails {
  std::string given_name;
  std::string family_name;
  std::string email;
  std::string phone;
  std::string postcode;      // of the resident's address (optional)
  std::string address_line;  // optional
};

// The checks RegisterResident makes, without storing anything (for a form
// step that comes before the final submission).
absl::Status ValidateResidentDetails(const ResidentDetails& details);

// Finds the citizen record a self-service report belongs to, or creates one,
// so that an agent later sees the report in that resident's single view.
// Match: the same email address, else the same phone number and family name.
// An existing record is never changed or shown (the caller only gets an id),
// so typing someone else's email reveals nothing. Validation errors carry
// field names "given_name", "family_name", "email", "phone", "postcode"; at
// least an email or a phone is required. Thread-safe.
class RegisterResident {
 public:
  explicit RegisterResident(Deps deps) : deps_(deps) {}
  absl::StatusOr<int64_t> Run(const ResidentDetails& details) const;

 private:
  Deps deps_;
};

// What a resident may see about their own request.
struct TrackedCase {
  std::string reference;
  std::string service_code;
  std::string service_name;  // English; the edge names it in the reader's language
  domain::CaseStatus status = domain::CaseStatus::kNew;
  absl::Time created_at;
  std::optional<absl::Time> due_at;
  std::optional<absl::Time> resolved_at;
  std::vector<domain::Note> public_notes;  // oldest first; internal notes never
  // When the request was closed as a duplicate: the original report, whose
  // status and public updates are this resident's too.
  struct Original {
    std::string reference;
    domain::CaseStatus status = domain::CaseStatus::kNew;
    std::optional<absl::Time> due_at;
    std::optional<absl::Time> resolved_at;
    std::vector<domain::Note> public_notes;
  };
  std::optional<Original> original;
};

// Public tracking: a reference plus the email address or postcode given with
// the request (or by a resident following it: domain::CaseFollower). Any mismatch — unknown reference, wrong email, wrong postcode,
// anonymous case without a postcode — is the same NotFound, so the lookup
// cannot be used to learn which references exist. Rate limiting is the
// adapter's job (it knows the caller's address).
class TrackCase {
 public:
  explicit TrackCase(Deps deps) : deps_(deps) {}
  absl::StatusOr<TrackedCase> Run(const std::string& reference,
                                  const std::string& email_or_postcode) const;

 private:
  Deps deps_;
};

}  // namespace onestop::services
