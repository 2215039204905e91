// SqliteStore: domain::Store on one SQLite file in WAL mode — the embedded
// default backend (`make run` needs nothing else).
//
// Shape (see writer.h and read_pool.h):
//   - one write connection owned by a GroupCommitWriter thread: Write() calls
//     from any number of threads are batched into one transaction, one
//     savepoint per call, one durable COMMIT (synchronous=FULL) per batch;
//   - a pool of query-only connections for reads, which see committed data
//     and run concurrently with the writer.
//
// Open() runs no migrations: call Migrate() (idempotent) before use —
// `onestop migrate` and `onestop serve` both do. SchemaVersion() reports the
// highest applied migration (0 for a new file).
//
// Threads: every method may be called from any thread, concurrently, except
// that Write must not be called from inside a Write fn. Close() is
// idempotent; after it Write returns Unavailable, reads keep working until
// the store is destroyed.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/store.h"

namespace onestop::store {
class GroupCommitWriter;
}  // namespace onestop::store

namespace onestop::store::sqlite {

class Db;
class ReadPool;

class SqliteStore final : public domain::Store {
 public:
  struct Options {
    int read_pool_size = 4;        // query-only connections
    int batch_max = 512;           // most Write jobs in one transaction
    absl::Duration busy_timeout = absl::Seconds(5);  // waiting for another process's lock
  };

  // Opens (creating if absent) the database file at `path`. The parent
  // directory must exist.
  static absl::StatusOr<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                           Options options);
  static absl::StatusOr<std::unique_ptr<SqliteStore>> Open(const std::string& path) {
    return Open(path, Options());
  }
  ~SqliteStore() override;

  // Applies pending schema migrations, each in its own transaction.
  absl::Status Migrate();
  absl::StatusOr<int> SchemaVersion();
  // Number of migrations this binary knows (the version Migrate reaches).
  static int LatestSchemaVersion();

  // Group-commit statistics since Open (for benchmarks and metrics).
  int64_t CommittedBatches() const;
  int64_t CompletedWrites() const;

  // domain::Store
  absl::Status Write(const std::function<absl::Status(domain::WriteTxn&)>& fn) override;

  absl::StatusOr<std::vector<domain::Service>> ListServices() override;
  absl::StatusOr<domain::Service> GetService(const std::string& code) override;
  absl::StatusOr<std::vector<domain::Department>> ListDepartments() override;
  absl::StatusOr<std::vector<domain::Team>> ListTeams() override;

  absl::StatusOr<domain::Citizen> GetCitizen(int64_t id) override;
  absl::StatusOr<std::vector<domain::Citizen>> FindCitizens(
      const domain::CitizenQuery& query) override;
  absl::StatusOr<domain::CitizenMerge> GetMerge(int64_t id) override;

  absl::StatusOr<domain::Case> GetCase(int64_t id) override;
  // limit is clamped to 1..1000 (<= 0 means 50).
  absl::StatusOr<domain::CasePage> ListCases(const domain::CaseQuery& query) override;
  absl::StatusOr<std::vector<domain::Note>> ListNotes(int64_t case_id) override;
  absl::StatusOr<std::vector<domain::Attachment>> ListAttachments(int64_t case_id) override;
  absl::StatusOr<std::vector<std::pair<domain::CaseStatus, int64_t>>> CountCasesByStatus() override;
  absl::StatusOr<std::vector<std::pair<std::string, int64_t>>> CountCasesByService() override;
  absl::StatusOr<std::vector<domain::Case>> FindDuplicateCandidates(
      const domain::DuplicateQuery& query) override;
  absl::StatusOr<std::vector<domain::Case>> ListDuplicatesOf(int64_t case_id) override;
  absl::StatusOr<std::vector<domain::CaseFollower>> ListFollowers(int64_t case_id) override;

  absl::StatusOr<std::vector<domain::Contact>> ListContacts(
      const domain::ContactQuery& query) override;
  absl::StatusOr<std::vector<domain::Event>> ListEvents(const domain::EventQuery& query) override;
  absl::StatusOr<int64_t> LastEventSeq() override;

  absl::StatusOr<domain::StaffUser> GetStaff(int64_t id) override;
  absl::StatusOr<domain::StaffUser> GetStaffByEmail(const std::string& email) override;
  absl::StatusOr<std::vector<domain::StaffUser>> ListStaff() override;
  absl::StatusOr<domain::Session> GetSession(const std::string& token_hash) override;
  absl::StatusOr<domain::SipAccount> GetSipAccount(int64_t staff_id) override;
  absl::StatusOr<domain::SipAccount> GetSipAccountByExtension(const std::string& extension) override;
  absl::StatusOr<std::vector<domain::SipAccount>> ListSipAccounts() override;
  absl::StatusOr<std::vector<domain::SipBinding>> ListSipBindings(absl::Time now) override;
  absl::StatusOr<domain::MailMessage> GetMailMessage(int64_t id) override;
  absl::StatusOr<std::optional<domain::MailMessage>> FindFiledMail(
      const std::vector<std::string>& message_ids) override;
  absl::StatusOr<std::vector<domain::MailMessage>> ListMailMessages(domain::MailState state, int64_t after_id,
                                                                    int limit) override;
  absl::StatusOr<std::vector<domain::MailMessage>> ListCaseMail(int64_t case_id) override;
  absl::StatusOr<domain::OutboxMessage> GetOutboxMessage(int64_t id) override;
  absl::StatusOr<int64_t> CountAutomaticOutboxSince(const std::string& recipient, absl::Time since) override;
  absl::StatusOr<std::vector<domain::OutboxMessage>> ListDueOutbox(absl::Time now, int limit) override;
  absl::StatusOr<std::vector<domain::OutboxMessage>> ListCaseOutbox(int64_t case_id) override;
  absl::StatusOr<std::optional<domain::OutboxMessage>> FindOutboxByMessageIds(
      const std::vector<std::string>& message_ids) override;
  absl::StatusOr<std::optional<domain::OutboxMessage>> FindOutboxByProviderId(const std::string& provider_id) override;
  absl::StatusOr<std::vector<domain::OutboxMessage>> ListOutbox(std::optional<domain::OutboxState> state,
                                                                int64_t after_id, int limit) override;
  absl::StatusOr<std::optional<domain::CallRecording>> GetContactCallRecording(
      int64_t contact_id) override;
  absl::StatusOr<std::optional<domain::CallSurvey>> GetContactCallSurvey(int64_t contact_id) override;
  absl::StatusOr<std::vector<domain::CallRecording>> ListExpiredCallRecordings(absl::Time now,
                                                                               int limit) override;
  absl::StatusOr<domain::ApiKey> GetApiKeyByHash(const std::string& key_hash) override;
  absl::StatusOr<std::vector<domain::ApiKey>> ListApiKeys() override;
  absl::StatusOr<domain::Article> GetArticle(int64_t id) override;
  absl::StatusOr<std::vector<domain::Article>> ListArticles() override;
  absl::StatusOr<std::vector<domain::ArticleVersion>> ListArticleVersions(
      int64_t article_id) override;
  absl::StatusOr<std::optional<int64_t>> GetContactArticle(int64_t contact_id) override;
  absl::StatusOr<std::vector<domain::RoutingQueue>> ListRoutingQueues() override;
  absl::StatusOr<std::vector<domain::RoutingProfile>> ListRoutingProfiles() override;

  absl::StatusOr<std::unique_ptr<domain::Leadership>> TryLead(const std::string& role,
                                                              const std::string& node,
                                                              absl::Time now) override;
  absl::StatusOr<std::optional<domain::LeaderInfo>> GetLeader(const std::string& role) override;
  absl::StatusOr<std::optional<std::string>> GetSetting(const std::string& key) override;

  absl::Status Ping() override;
  void Close() override;

 private:
  SqliteStore(std::string path, Options options, std::unique_ptr<GroupCommitWriter> writer,
              std::unique_ptr<ReadPool> readers);

  const std::string path_;
  const Options options_;
  std::unique_ptr<GroupCommitWriter> writer_;
  std::unique_ptr<ReadPool> readers_;
};

}  // namespace onestop::store::sqlite
