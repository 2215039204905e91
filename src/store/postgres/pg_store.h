// PgStore: domain::Store on PostgreSQL (15+) through libpq — the production
// backend, where several `onestop serve` nodes share one database.
//
// Shape (the same as SqliteStore, store/sqlite/sqlite_store.h):
//   - one writer connection owned by a GroupCommitWriter thread
//     (store/common/group_commit.h): Write() calls from any number of threads
//     are batched into one transaction, one SAVEPOINT per call, one durable
//     COMMIT per batch; serialization failures and deadlocks re-run the
//     batch (at most 3 attempts, then Unavailable);
//   - a pool of connections for reads (READ COMMITTED: they see committed data);
//   - a listener connection (LISTEN onestop_events) behind changes(): every
//     batch commits with NOTIFY onestop_events, so each node learns of events
//     any node wrote.
// The SQL is shared with SQLite (store/common/sql_*.h); the schema is the
// PostgreSQL column of store/common/migrations.h.
//
// Across nodes: case numbers come from a sequence (unique, gaps allowed);
// event seq from a counter row locked until COMMIT (gap-free in commit
// order); optimistic versions and unique keys are enforced by the database.
//
// Faults: Open fails (Unavailable) when the database cannot be reached. A
// lost connection fails the requests using it with Unavailable (HTTP 503);
// the writer and the pool reconnect on their next use.
//
// Open() runs no migrations: call Migrate() (idempotent; concurrent calls
// from several nodes serialise on an advisory lock).
//
// Threads: every method may be called from any thread, except Write from
// inside a Write fn. Close() is idempotent; after it Write returns
// Unavailable.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "domain/change_feed.h"
#include "domain/store.h"

namespace onestop::store {
class GroupCommitWriter;
}  // namespace onestop::store

namespace onestop::store::postgres {

class ConnectionPool;
class Db;
class Listener;

class PgStore final : public domain::Store {
 public:
  struct Options {
    int pool_size = 8;      // read connections
    int batch_max = 512;    // most Write jobs in one transaction
    int max_attempts = 3;   // runs of a batch that hits serialization failures
  };

  static absl::StatusOr<std::unique_ptr<PgStore>> Open(const std::string& url, Options options);
  static absl::StatusOr<std::unique_ptr<PgStore>> Open(const std::string& url) {
    return Open(url, Options());
  }
  ~PgStore() override;

  absl::Status Migrate();
  absl::StatusOr<int> SchemaVersion();
  static int LatestSchemaVersion();

  int64_t CommittedBatches() const;
  int64_t CompletedWrites() const;

  // Cross-node change notification (LISTEN/NOTIFY).
  domain::ChangeFeed& changes();

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
  PgStore(std::string url, Options options, std::unique_ptr<GroupCommitWriter> writer,
          std::unique_ptr<ConnectionPool> pool);

  const std::string url_;
  const Options options_;
  std::unique_ptr<GroupCommitWriter> writer_;
  std::unique_ptr<ConnectionPool> pool_;
  std::unique_ptr<Listener> listener_;
  // TryLead: a standby's connection for each role, kept between attempts
  // (one cheap query per attempt rather than a new connection).
  std::mutex lead_mu_;
  std::map<std::string, std::unique_ptr<Db>> lead_candidates_;  // GUARDED_BY(lead_mu_)
};

}  // namespace onestop::store::postgres
