// Row mapping for the SQLite store: the column lists of each table, readers
// that turn the current row of a Stmt into a domain value, binders for the
// writable columns, and the point lookups that both the read side and the
// write transaction need (a case, a citizen with its child rows, an
// idempotency record). Keeping them in one place keeps SELECT and INSERT
// column orders in step.
//
// Stateless; callers pass the connection they own at the time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "domain/store.h"
#include "store/sqlite/db.h"

namespace onestop::store::sqlite {

// "id, reference, ..., version": every column of cases, id first.
extern const char kCaseColumns[];
extern const char kCitizenColumns[];
extern const char kContactColumns[];
extern const char kEventColumns[];
extern const char kStaffColumns[];
extern const char kServiceColumns[];
extern const char kMergeColumns[];
extern const char kNoteColumns[];
extern const char kAttachmentColumns[];

// Readers: the current row, selected with the matching column list.
absl::StatusOr<domain::Case> ReadCase(const Stmt& row);
domain::Citizen ReadCitizenRow(const Stmt& row);  // without phones/emails/addresses
absl::StatusOr<domain::Contact> ReadContact(const Stmt& row);
absl::StatusOr<domain::Event> ReadEvent(const Stmt& row);
absl::StatusOr<domain::StaffUser> ReadStaff(const Stmt& row);
absl::StatusOr<domain::Service> ReadService(const Stmt& row);
absl::StatusOr<domain::CitizenMerge> ReadMerge(const Stmt& row);
absl::StatusOr<domain::Note> ReadNote(const Stmt& row);
domain::Attachment ReadAttachment(const Stmt& row);

// Binds every case column except id, in kCaseColumns order.
void BindCaseFields(Stmt& stmt, const domain::Case& c);
// Binds every citizens column except id, in kCitizenColumns order.
void BindCitizenFields(Stmt& stmt, const domain::Citizen& c);
// Binds every staff column except id, in kStaffColumns order.
void BindStaffFields(Stmt& stmt, const domain::StaffUser& s);

// Point lookups. NotFound ("case 42 not found") when absent.
absl::StatusOr<domain::Case> LoadCase(Db& db, int64_t id);
absl::StatusOr<domain::Citizen> LoadCitizen(Db& db, int64_t id);
absl::StatusOr<std::optional<domain::IdempotencyRecord>> LoadIdempotency(Db& db,
                                                                         const std::string& key);
// Fills phones, emails and addresses of `citizen` (citizen.id set).
absl::Status LoadCitizenChildren(Db& db, domain::Citizen& citizen);

// The version of row `id` in `table`, or nullopt if there is no such row.
absl::StatusOr<std::optional<int64_t>> LoadVersion(Db& db, const char* table, int64_t id);

}  // namespace onestop::store::sqlite
