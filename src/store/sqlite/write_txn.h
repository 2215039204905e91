// SqliteWriteTxn: the domain::WriteTxn handed to each Write() job. It runs on
// the writer thread against the write connection, inside the batch
// transaction and the job's own savepoint (see writer.h); it never begins,
// commits or rolls back itself.
//
// Threads: only the writer thread, only during the job's fn call.
#pragma once

#include "domain/store.h"
#include "store/sqlite/db.h"

namespace onestop::store::sqlite {

class SqliteWriteTxn final : public domain::WriteTxn {
 public:
  explicit SqliteWriteTxn(Db& db) : db_(db) {}

  absl::StatusOr<domain::Case> GetCase(int64_t id) override;
  absl::StatusOr<domain::Citizen> GetCitizen(int64_t id) override;
  absl::StatusOr<std::optional<domain::IdempotencyRecord>> GetIdempotency(
      const std::string& key) override;

  absl::StatusOr<int64_t> AppendEvent(const domain::Event& event) override;

  absl::StatusOr<int64_t> UpsertService(const domain::Service& service) override;
  absl::Status UpsertDepartment(const domain::Department& department) override;
  absl::Status UpsertTeam(const domain::Team& team) override;

  absl::StatusOr<int64_t> InsertCitizen(const domain::Citizen& citizen) override;
  absl::Status UpdateCitizen(const domain::Citizen& citizen, int64_t expected_version) override;

  absl::StatusOr<int64_t> NextCaseNumber() override;
  absl::Status InsertCase(const domain::Case& c) override;
  absl::Status UpdateCase(const domain::Case& c, int64_t expected_version) override;

  absl::StatusOr<int64_t> InsertNote(const domain::Note& note) override;
  absl::StatusOr<int64_t> InsertAttachment(const domain::Attachment& attachment) override;
  absl::StatusOr<int64_t> InsertContact(const domain::Contact& contact) override;

  // Moving cases/contacts between citizens also bumps each moved case's
  // version, so a client holding the old ETag cannot silently move it back.
  absl::StatusOr<std::vector<int64_t>> MoveAllCases(int64_t from, int64_t into) override;
  absl::StatusOr<std::vector<int64_t>> MoveAllContacts(int64_t from, int64_t into) override;
  absl::Status MoveCases(const std::vector<int64_t>& ids, int64_t into) override;
  absl::Status MoveContacts(const std::vector<int64_t>& ids, int64_t into) override;
  absl::StatusOr<int64_t> InsertMerge(const domain::CitizenMerge& merge) override;
  absl::Status UpdateMerge(const domain::CitizenMerge& merge) override;

  absl::StatusOr<int64_t> InsertStaff(const domain::StaffUser& staff) override;
  absl::Status UpdateStaff(const domain::StaffUser& staff, int64_t expected_version) override;
  absl::Status InsertSession(const domain::Session& session) override;
  // Deleting a session that does not exist is not an error (logout twice).
  absl::Status DeleteSession(const std::string& token_hash) override;

  absl::Status PutIdempotency(const domain::IdempotencyRecord& record) override;
  absl::StatusOr<int64_t> InsertApiKey(const domain::ApiKey& key) override;
  absl::Status RevokeApiKey(int64_t id, absl::Time at) override;

 private:
  absl::Status WriteCitizenChildren(const domain::Citizen& citizen);
  // After an UPDATE ... WHERE id = ? AND version = ? touched no row.
  absl::Status VersionMismatch(const char* table, const char* noun, int64_t id,
                               int64_t expected_version);

  Db& db_;
};

}  // namespace onestop::store::sqlite
