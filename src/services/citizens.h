// Citizen use cases: register, update, find (the agent's lookup while the
// phone rings), merge duplicates (reversibly) and the single view timeline.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/case.h"
#include "domain/citizen.h"
#include "domain/contact.h"
#include "domain/event.h"
#include "domain/staff.h"
#include "services/deps.h"

namespace onestop::services {

// Normalises phones, emails and postcodes in place and validates the result.
absl::Status NormaliseAndValidateCitizen(domain::Citizen& citizen);

// Idempotency for creating POSTs: the caller's key and a hash of the request.
// A replay with the same key returns the first result; the same key with a
// different request hash is InvalidArgument.
struct IdempotencyKey {
  std::string key;           // already scoped to the caller
  std::string request_hash;  // hex
  bool empty() const { return key.empty(); }
};

struct CreateCitizenResult {
  domain::Citizen citizen;
  bool replayed = false;
  // Existing citizens sharing a phone, email or postcode+name (a likely
  // duplicate the agent should look at). Not an error.
  std::vector<domain::Citizen> possible_duplicates;
};

class CreateCitizen {
 public:
  explicit CreateCitizen(Deps deps) : deps_(deps) {}
  absl::StatusOr<CreateCitizenResult> Run(const domain::Actor& actor, domain::Citizen citizen,
                                          std::optional<domain::Channel> channel,
                                          const IdempotencyKey& idempotency = {}) const;

 private:
  Deps deps_;
};

class GetCitizen {
 public:
  explicit GetCitizen(Deps deps) : deps_(deps) {}
  absl::StatusOr<domain::Citizen> Run(const domain::Actor& actor, int64_t id) const;

 private:
  Deps deps_;
};

// Replaces the citizen's details (names, phones, emails, addresses,
// preferences, consent). expected_version → Aborted when stale.
class UpdateCitizen {
 public:
  explicit UpdateCitizen(Deps deps) : deps_(deps) {}
  absl::StatusOr<domain::Citizen> Run(const domain::Actor& actor, domain::Citizen updated,
                                      std::optional<int64_t> expected_version) const;

 private:
  Deps deps_;
};

// Sets the resident's flags (vulnerability, interpreter, undeliverable
// email): the same permission as editing the citizen; a
// "citizen.flags_changed" event with the flags that changed. Nothing is
// written when nothing changed. expected_version → Aborted when stale.
class SetCitizenFlags {
 public:
  explicit SetCitizenFlags(Deps deps) : deps_(deps) {}
  absl::StatusOr<domain::Citizen> Run(const domain::Actor& actor, int64_t citizen_id,
                                      domain::CitizenFlags flags,
                                      std::optional<int64_t> expected_version = std::nullopt) const;

 private:
  Deps deps_;
};

class FindCitizens {
 public:
  explicit FindCitizens(Deps deps) : deps_(deps) {}
  // InvalidArgument if every criterion is empty (no full-table dumps).
  absl::StatusOr<std::vector<domain::Citizen>> Run(const domain::Actor& actor,
                                                   domain::CitizenQuery query) const;

 private:
  Deps deps_;
};

// Moves every case and contact of `from` onto `into`, copies phones, emails
// and addresses `into` lacks, and marks `from` merged. Recorded as a merge
// that an admin can reverse.
class MergeCitizens {
 public:
  explicit MergeCitizens(Deps deps) : deps_(deps) {}
  absl::StatusOr<domain::CitizenMerge> Run(const domain::Actor& actor, int64_t from,
                                           int64_t into) const;

 private:
  Deps deps_;
};

// Reverses a merge: the moved cases and contacts go back, `from` is live
// again. Details copied onto `into` stay (they were true of the person).
class UnmergeCitizens {
 public:
  explicit UnmergeCitizens(Deps deps) : deps_(deps) {}
  absl::StatusOr<domain::CitizenMerge> Run(const domain::Actor& actor, int64_t merge_id) const;

 private:
  Deps deps_;
};

class GetMerge {
 public:
  explicit GetMerge(Deps deps) : deps_(deps) {}
  absl::StatusOr<domain::CitizenMerge> Run(const domain::Actor& actor, int64_t merge_id) const;

 private:
  Deps deps_;
};

// One entry of the single view: a contact, a case or an event, by time.
struct TimelineEntry {
  absl::Time at;
  std::variant<domain::Contact, domain::Case, domain::Event> item;
};

class GetTimeline {
 public:
  explicit GetTimeline(Deps deps) : deps_(deps) {}
  // Newest first. Officers see only their department's cases (and events of them).
  absl::StatusOr<std::vector<TimelineEntry>> Run(const domain::Actor& actor, int64_t citizen_id,
                                                 int limit = 200) const;

 private:
  Deps deps_;
};

}  // namespace onestop::services
