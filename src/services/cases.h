// Case use cases: open a case on any channel, read, list, update (status
// machine, priority, team, assignee), notes and attachments.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/case.h"
#include "domain/staff.h"
#include "services/citizens.h"
#include "services/deps.h"

namespace onestop::services {

struct NewCase {
  std::string service_code;
  std::optional<int64_t> citizen_id;
  domain::Channel channel = domain::Channel::kWeb;
  domain::FormValues values;
  domain::Location location;
  std::optional<domain::Priority> priority;
  std::string summary;  // optional; derived from the service and answers when empty
  std::vector<std::string> media_urls;
  // Raised during this routed interaction (services/interactions.h): the
  // interaction's contact records the case instead of a new contact. The
  // caller checks the actor holds the interaction.
  std::optional<int64_t> interaction_id;
  // More writes that belong to the same transaction as the case (the email
  // it came from filed, its acknowledgement queued), given the case and its
  // new contact; an error rolls the case back and is returned. Not called
  // for a case raised during an interaction.
  std::function<absl::Status(domain::WriteTxn&, const domain::Case&, int64_t contact_id)> also_in_transaction;
};

struct OpenCaseResult {
  domain::Case c;
  bool replayed = false;  // an Idempotency-Key replay: nothing new was created
};

// Validates the answers against the service's form (the same rules on every
// channel), computes the due time on the working calendar, stores the case,
// its creation event and a contact on the channel of origin, durably.
class OpenCase {
 public:
  explicit OpenCase(Deps deps) : deps_(deps) {}
  absl::StatusOr<OpenCaseResult> Run(const domain::Actor& actor, const NewCase& input,
                                     const IdempotencyKey& idempotency = {}) const;

 private:
  Deps deps_;
};

class GetCase {
 public:
  explicit GetCase(Deps deps) : deps_(deps) {}
  // `id_or_reference`: a numeric id or a reference such as "4K7P-9QX3".
  absl::StatusOr<domain::Case> Run(const domain::Actor& actor,
                                   const std::string& id_or_reference) const;

 private:
  Deps deps_;
};

class ListCases {
 public:
  explicit ListCases(Deps deps) : deps_(deps) {}
  absl::StatusOr<domain::CasePage> Run(const domain::Actor& actor, domain::CaseQuery query) const;

 private:
  Deps deps_;
};

struct CaseChanges {
  std::optional<domain::CaseStatus> status;
  std::optional<domain::Priority> priority;
  std::optional<std::string> team;
  std::optional<std::optional<int64_t>> assignee_id;  // set to nullopt to unassign
  std::optional<std::string> summary;
  std::optional<domain::Location> location;
  bool empty() const {
    return !status && !priority && !team && !assignee_id && !summary && !location;
  }
};

// Applies changes with optimistic concurrency: expected_version (from
// If-Match) → Aborted when stale. Illegal status transitions →
// FailedPrecondition naming the legal ones. Pauses the SLA clock on entering
// waiting_on_citizen and resumes it on leaving.
class UpdateCase {
 public:
  explicit UpdateCase(Deps deps) : deps_(deps) {}
  absl::StatusOr<domain::Case> Run(const domain::Actor& actor, int64_t case_id,
                                   const CaseChanges& changes,
                                   std::optional<int64_t> expected_version) const;

 private:
  Deps deps_;
};

class AddNote {
 public:
  explicit AddNote(Deps deps) : deps_(deps) {}
  absl::StatusOr<domain::Note> Run(const domain::Actor& actor, int64_t case_id,
                                   domain::NoteVisibility visibility, const std::string& body) const;

 private:
  Deps deps_;
};

class ListNotes {
 public:
  explicit ListNotes(Deps deps) : deps_(deps) {}
  absl::StatusOr<std::vector<domain::Note>> Run(const domain::Actor& actor, int64_t case_id) const;

 private:
  Deps deps_;
};

class AddAttachment {
 public:
  explicit AddAttachment(Deps deps) : deps_(deps) {}
  absl::StatusOr<domain::Attachment> Run(const domain::Actor& actor, int64_t case_id,
                                         domain::Attachment attachment) const;

 private:
  Deps deps_;
};

class ListAttachments {
 public:
  explicit ListAttachments(Deps deps) : deps_(deps) {}
  absl::StatusOr<std::vector<domain::Attachment>> Run(const domain::Actor& actor,
                                                      int64_t case_id) const;

 private:
  Deps deps_;
};

// The case's own history (its events), oldest first.
class GetCaseHistory {
 public:
  explicit GetCaseHistory(Deps deps) : deps_(deps) {}
  absl::StatusOr<std::vector<domain::Event>> Run(const domain::Actor& actor, int64_t case_id) const;

 private:
  Deps deps_;
};

}  // namespace onestop::services
