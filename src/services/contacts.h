// Contacts: recording every interaction, on every channel.
#pragma once

#include <vector>

#include "absl/status/statusor.h"
#include "domain/contact.h"
#include "domain/staff.h"
#include "services/citizens.h"
#include "services/deps.h"

namespace onestop::services {

struct RecordContactResult {
  domain::Contact contact;
  bool replayed = false;  // an Idempotency-Key replay: nothing new was recorded
};

class RecordContact {
 public:
  explicit RecordContact(Deps deps) : deps_(deps) {}
  // `contact.at` defaults to now; staff_id defaults to the actor. Citizen and
  // case must exist (and be visible to the actor).
  absl::StatusOr<RecordContactResult> Run(const domain::Actor& actor, domain::Contact contact,
                                          const IdempotencyKey& idempotency = {}) const;

 private:
  Deps deps_;
};

// One contact. Officers see a contact only through a case of their
// department (NotFound otherwise, as for the case itself).
class GetContact {
 public:
  explicit GetContact(Deps deps) : deps_(deps) {}
  absl::StatusOr<domain::Contact> Run(const domain::Actor& actor, int64_t id) const;

 private:
  Deps deps_;
};

class ListContacts {
 public:
  explicit ListContacts(Deps deps) : deps_(deps) {}
  absl::StatusOr<std::vector<domain::Contact>> Run(const domain::Actor& actor,
                                                   domain::ContactQuery query) const;

 private:
  Deps deps_;
};


}  // namespace onestop::services
