#include "store/postgres/pg_store.h"

#include <poll.h>

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "store/common/group_commit.h"
#include "store/common/migrations.h"
#include "store/common/sql_articles.h"
#include "store/common/sql_duplicates.h"
#include "store/common/sql_leadership.h"
#include "store/common/sql_reads.h"
#include "store/common/sql_routing.h"
#include "store/common/sql_call_recordings.h"
#include "store/common/sql_mail.h"
#include "store/common/sql_outbox.h"
#include "store/common/sql_sip_accounts.h"
#include "store/common/sql_write_txn.h"
#include "store/postgres/pg.h"

namespace onestop::store::postgres {
namespace {

// pg_advisory_lock key that serialises `onestop migrate` across nodes
// ("onestop" in ASCII, as a number).
constexpr int64_t kMigrationLockKey = 0x6f6e6573746f70;
constexpr char kEventsChannel[] = "onestop_events";

absl::StatusOr<int> ReadSchemaVersion(Db& db) {
  {
    ONESTOP_ASSIGN_OR_RETURN(auto exists,
                             db.Prepare("SELECT to_regclass('schema_migrations') IS NOT NULL"));
    ONESTOP_ASSIGN_OR_RETURN(bool row, exists.Step());
    if (!row || exists.Text(0) != "t") return 0;
  }
  ONESTOP_ASSIGN_OR_RETURN(auto max,
                           db.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  ONESTOP_ASSIGN_OR_RETURN(bool row, max.Step());
  return row ? static_cast<int>(max.Int(0)) : 0;
}

// Applies pending migrations, each in its own transaction with its row in
// schema_migrations, holding the advisory lock so that two nodes migrating
// at once run one after the other (the second finds nothing to do).
absl::Status ApplyMigrations(Db& db, absl::Time now) {
  ONESTOP_RETURN_IF_ERROR(db.Exec(absl::StrCat("SELECT pg_advisory_lock(", kMigrationLockKey, ")")));
  auto apply = [&]() -> absl::Status {
    ONESTOP_RETURN_IF_ERROR(db.Exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)"));
    const std::vector<Migration>& migrations = Migrations();
    const int latest = static_cast<int>(migrations.size());
    ONESTOP_ASSIGN_OR_RETURN(int current, ReadSchemaVersion(db));
    if (current > latest) {
      return absl::FailedPreconditionError(
          absl::StrCat("database schema version ", current,
                       " is newer than this program understands (", latest, ")"));
    }
    for (int version = current + 1; version <= latest; ++version) {
      absl::Status status = db.Exec("BEGIN");
      if (status.ok()) status = db.Exec(std::string(migrations[version - 1].postgres));
      if (status.ok()) {
        absl::StatusOr<Stmt> record =
            db.Prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)");
        status = record.ok() ? record->Bind(version).Bind(now).Run() : record.status();
      }
      if (status.ok()) status = db.Exec("COMMIT");
      if (!status.ok()) {
        if (db.InTransaction()) db.Exec("ROLLBACK").IgnoreError();
        return absl::Status(status.code(),
                            absl::StrCat("migration ", version, ": ", status.message()));
      }
    }
    return absl::OkStatus();
  };
  absl::Status status = apply();
  absl::Status unlock =
      db.Exec(absl::StrCat("SELECT pg_advisory_unlock(", kMigrationLockKey, ")"));
  return status.ok() ? unlock : status;
}

// The writer's side of group commit on PostgreSQL. The whole batch commits
// with NOTIFY, which PostgreSQL delivers to listeners only at COMMIT.
class PgBatch final : public BatchTransaction {
 public:
  PgBatch(std::string url, std::unique_ptr<Db> db)
      : url_(std::move(url)), db_(std::move(db)), txn_(std::make_unique<SqlWriteTxn<Db>>(*db_)) {}

  absl::Status Begin() override {
    if (db_ == nullptr || !db_->Healthy()) ONESTOP_RETURN_IF_ERROR(Reconnect());
    absl::Status status = db_->Exec("BEGIN");
    if (!status.ok() && !db_->Healthy()) {
      // The server restarted since the last batch: one fresh connection.
      ONESTOP_RETURN_IF_ERROR(Reconnect());
      status = db_->Exec("BEGIN");
    }
    return status;
  }
  absl::Status Savepoint() override { return db_->Exec("SAVEPOINT job"); }
  absl::Status RollbackToSavepoint() override { return db_->Exec("ROLLBACK TO SAVEPOINT job"); }
  absl::Status ReleaseSavepoint() override { return db_->Exec("RELEASE SAVEPOINT job"); }
  absl::Status Commit() override {
    Result result(PQexec(db_->raw(), "NOTIFY onestop_events; COMMIT"));
    ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK && std::string_view(PQcmdStatus(result.get())) == "COMMIT") {
      return absl::OkStatus();
    }
    if (!db_->Healthy()) {
      return absl::UnavailableError(
          "lost the database connection during COMMIT; the outcome is unknown");
    }
    if (status == PGRES_COMMAND_OK) return absl::InternalError("the transaction was rolled back");
    return db_->Exec("SELECT 1").ok() ? absl::InternalError(PQresultErrorMessage(result.get()))
                                      : absl::UnavailableError(PQresultErrorMessage(result.get()));
  }
  void Rollback() override {
    if (db_ && db_->Healthy() && db_->InTransaction()) db_->Exec("ROLLBACK").IgnoreError();
  }
  absl::Status CheckInTransaction() override {
    if (!db_->Healthy()) return absl::UnavailableError("lost the database connection mid-batch");
    if (!db_->InTransaction()) return absl::InternalError("PostgreSQL abandoned the transaction");
    return absl::OkStatus();
  }
  bool Retryable(const absl::Status& status) override { return IsRetryable(status); }
  domain::WriteTxn& txn() override { return *txn_; }

 private:
  absl::Status Reconnect() {
    txn_.reset();
    db_.reset();
    ONESTOP_ASSIGN_OR_RETURN(db_, Db::Connect(url_));
    txn_ = std::make_unique<SqlWriteTxn<Db>>(*db_);
    return absl::OkStatus();
  }

  const std::string url_;
  std::unique_ptr<Db> db_;
  std::unique_ptr<SqlWriteTxn<Db>> txn_;
};

}  // namespace

// Read connections, connected on first need and replaced when broken.
class ConnectionPool {
 public:
  class Lease {
   public:
    Lease(ConnectionPool* pool, std::unique_ptr<Db> db, bool reused)
        : pool_(pool), db_(std::move(db)), reused_(reused) {}
    Lease(Lease&&) = default;
    ~Lease() {
      if (db_) pool_->Release(std::move(db_));
    }
    Db& db() { return *db_; }
    bool reused() const { return reused_; }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<Db> db_;
    bool reused_;
  };

  ConnectionPool(std::string url, int size) : url_(std::move(url)), size_(size > 0 ? size : 1) {}

  absl::StatusOr<Lease> Acquire() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return !free_.empty() || total_ < size_; });
    if (!free_.empty()) {
      std::unique_ptr<Db> db = std::move(free_.back());
      free_.pop_back();
      return Lease(this, std::move(db), /*reused=*/true);
    }
    ++total_;
    lock.unlock();
    absl::StatusOr<std::unique_ptr<Db>> db = Db::Connect(url_);
    if (!db.ok()) {
      lock.lock();
      --total_;
      cv_.notify_one();
      return db.status();
    }
    return Lease(this, std::move(*db), /*reused=*/false);
  }

 private:
  void Release(std::unique_ptr<Db> db) {
    std::lock_guard<std::mutex> lock(mu_);
    if (db->Healthy() && !db->InTransaction()) {
      free_.push_back(std::move(db));
    } else {
      --total_;  // dropped; the next Acquire connects afresh
    }
    cv_.notify_one();
  }

  const std::string url_;
  const int size_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Db>> free_;  // GUARDED_BY(mu_)
  int total_ = 0;                          // GUARDED_BY(mu_): free + lent
};

// LISTEN onestop_events on a connection of its own; calls the subscribers
// on its thread whenever notifications arrive (and after a reconnect, since
// notifications sent while it was away are lost).
class Listener final : public domain::ChangeFeed {
 public:
  explicit Listener(std::string url) : url_(std::move(url)) {
    thread_ = std::thread([this] { Run(); });
  }
  ~Listener() override {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }

  int Subscribe(Callback callback) override {
    std::lock_guard<std::mutex> lock(mu_);
    callbacks_[next_handle_] = std::move(callback);
    return next_handle_++;
  }
  void Unsubscribe(int handle) override {
    std::lock_guard<std::mutex> lock(mu_);
    callbacks_.erase(handle);
  }

 private:
  void Notify() {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& [handle, callback] : callbacks_) callback();
  }

  void Run() {
    std::unique_ptr<Db> db;
    while (!stop_) {
      if (db == nullptr || !db->Healthy()) {
        db.reset();
        absl::StatusOr<std::unique_ptr<Db>> fresh = Db::Connect(url_);
        if (!fresh.ok() || !(*fresh)->Exec(absl::StrCat("LISTEN ", kEventsChannel)).ok()) {
          std::this_thread::sleep_for(std::chrono::milliseconds(200));
          continue;
        }
        db = std::move(*fresh);
        Notify();  // we may have missed some while disconnected
      }
      pollfd pfd{PQsocket(db->raw()), POLLIN, 0};
      int ready = poll(&pfd, 1, 100);  // wakes to check stop_
      if (ready <= 0) continue;
      if (PQconsumeInput(db->raw()) == 0) continue;  // broken: Healthy() turns false
      bool any = false;
      while (PGnotify* note = PQnotifies(db->raw())) {
        any = true;
        PQfreemem(note);
      }
      if (any) Notify();
    }
  }

  const std::string url_;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::map<int, Callback> callbacks_;  // GUARDED_BY(mu_)
  int next_handle_ = 1;                // GUARDED_BY(mu_)
  std::thread thread_;
};

absl::StatusOr<std::unique_ptr<PgStore>> PgStore::Open(const std::string& url, Options options) {
  // Connect the writer now, so a database that is down fails here, clearly.
  ONESTOP_ASSIGN_OR_RETURN(std::unique_ptr<Db> write_db, Db::Connect(url));
  auto writer = std::make_unique<GroupCommitWriter>(
      std::make_unique<PgBatch>(url, std::move(write_db)), options.batch_max, options.max_attempts);
  auto pool = std::make_unique<ConnectionPool>(url, options.pool_size);
  return std::unique_ptr<PgStore>(
      new PgStore(url, options, std::move(writer), std::move(pool)));
}

PgStore::PgStore(std::string url, Options options, std::unique_ptr<GroupCommitWriter> writer,
                 std::unique_ptr<ConnectionPool> pool)
    : url_(std::move(url)), options_(options), writer_(std::move(writer)), pool_(std::move(pool)) {}

PgStore::~PgStore() {
  Close();
  listener_.reset();
}

absl::Status PgStore::Migrate() {
  // A connection of its own: the write connection belongs to the writer.
  ONESTOP_ASSIGN_OR_RETURN(std::unique_ptr<Db> db, Db::Connect(url_));
  return ApplyMigrations(*db, absl::Now());
}

absl::StatusOr<int> PgStore::SchemaVersion() {
  ONESTOP_ASSIGN_OR_RETURN(ConnectionPool::Lease lease, pool_->Acquire());
  return ReadSchemaVersion(lease.db());
}

int PgStore::LatestSchemaVersion() { return static_cast<int>(Migrations().size()); }

int64_t PgStore::CommittedBatches() const { return writer_->batches(); }
int64_t PgStore::CompletedWrites() const { return writer_->jobs(); }

domain::ChangeFeed& PgStore::changes() {
  static std::mutex mu;
  std::lock_guard<std::mutex> lock(mu);
  if (!listener_) listener_ = std::make_unique<Listener>(url_);
  return *listener_;
}

absl::Status PgStore::Write(const std::function<absl::Status(domain::WriteTxn&)>& fn) {
  return writer_->Submit(fn);
}

absl::Status PgStore::Ping() {
  ONESTOP_ASSIGN_OR_RETURN(ConnectionPool::Lease lease, pool_->Acquire());
  absl::Status status = lease.db().Exec("SELECT 1");
  if (!status.ok() && lease.reused() && !lease.db().Healthy()) {
    ONESTOP_ASSIGN_OR_RETURN(ConnectionPool::Lease fresh, pool_->Acquire());
    return fresh.db().Exec("SELECT 1");
  }
  return status;
}

void PgStore::Close() { writer_->Close(); }

namespace {

// Runs a read on a pooled connection. A pooled connection that turns out to
// be dead (the server restarted since it was last used) is replaced and the
// read tried once more, so a restart costs only the requests in flight.
template <typename Fn>
auto WithConnection(ConnectionPool& pool, Fn fn) -> decltype(fn(std::declval<Db&>())) {
  for (int attempt = 0;; ++attempt) {
    absl::StatusOr<ConnectionPool::Lease> lease = pool.Acquire();
    if (!lease.ok()) return lease.status();
    auto result = fn(lease->db());
    if (result.ok() || attempt > 0 || !lease->reused() || lease->db().Healthy()) return result;
  }
}

}  // namespace

absl::StatusOr<std::vector<domain::Service>> PgStore::ListServices() {
  return WithConnection(*pool_, [](Db& db) { return sql_reads::ListServices(db); });
}

absl::StatusOr<domain::Service> PgStore::GetService(const std::string& code) {
  return WithConnection(*pool_, [&](Db& db) { return sql_reads::GetService(db, code); });
}

absl::StatusOr<std::vector<domain::Department>> PgStore::ListDepartments() {
  return WithConnection(*pool_, [](Db& db) { return sql_reads::ListDepartments(db); });
}

absl::StatusOr<std::vector<domain::Team>> PgStore::ListTeams() {
  return WithConnection(*pool_, [](Db& db) { return sql_reads::ListTeams(db); });
}

absl::StatusOr<domain::Citizen> PgStore::GetCitizen(int64_t id) {
  return WithConnection(*pool_, [&](Db& db) { return sql_reads::GetCitizen(db, id); });
}

absl::StatusOr<std::vector<domain::Citizen>> PgStore::FindCitizens(
    const domain::CitizenQuery& query) {
  return WithConnection(*pool_, [&](Db& db) { return sql_reads::FindCitizens(db, query); });
}

absl::StatusOr<domain::CitizenMerge> PgStore::GetMerge(int64_t id) {
  return WithConnection(*pool_, [&](Db& db) { return sql_reads::GetMerge(db, id); });
}

absl::StatusOr<domain::Case> PgStore::GetCase(int64_t id) {
  return WithConnection(*pool_, [&](Db& db) { return sql_reads::GetCase(db, id); });
}

absl::StatusOr<domain::CasePage> PgStore::ListCases(const domain::CaseQuery& query) {
  return WithConnection(*pool_, [&](Db& db) { return sql_reads::ListCases(db, query); });
}

absl::StatusOr<std::vector<domain::Note>> PgStore::ListNotes(int64_t case_id) {
  return WithConnection(*pool_, [&](Db& db) { return sql_reads::ListNotes(db, case_id); });
}

absl::StatusOr<std::vector<domain::Attachment>> PgStore::ListAttachments(int64_t case_id) {
  return WithConnection(*pool_, [&](Db& db) { return sql_reads::ListAttachments(db, case_id); });
}

absl::StatusOr<std::vector<domain::Case>> PgStore::FindDuplicateCandidates(
    const domain::DuplicateQuery& query) {
  return WithConnection(*pool_, [&](Db& db) { return sql_duplicates::FindDuplicateCandidates(db, query); });
}

absl::StatusOr<std::vector<domain::Case>> PgStore::ListDuplicatesOf(int64_t case_id) {
  return WithConnection(*pool_, [&](Db& db) { return sql_duplicates::ListDuplicatesOf(db, case_id); });
}

absl::StatusOr<std::vector<domain::CaseFollower>> PgStore::ListFollowers(int64_t case_id) {
  return WithConnection(*pool_, [&](Db& db) { return sql_duplicates::ListFollowers(db, case_id); });
}

absl::StatusOr<std::vector<std::pair<std::string, int64_t>>> PgStore::CountCasesByService() {
  return WithConnection(*pool_, [](Db& db) { return sql_reads::CountCasesByService(db); });
}

absl::StatusOr<std::vector<std::pair<domain::CaseStatus, int64_t>>> PgStore::CountCasesByStatus() {
  return WithConnection(*pool_, [](Db& db) { return sql_reads::CountCasesByStatus(db); });
}

absl::StatusOr<std::vector<domain::Contact>> PgStore::ListContacts(
    const domain::ContactQuery& query) {
  return WithConnection(*pool_, [&](Db& db) { return sql_reads::ListContacts(db, query); });
}

absl::StatusOr<int64_t> PgStore::LastEventSeq() {
  return WithConnection(*pool_, [](Db& db) { return sql_reads::LastEventSeq(db); });
}

absl::StatusOr<std::vector<domain::Event>> PgStore::ListEvents(const domain::EventQuery& query) {
  return WithConnection(*pool_, [&](Db& db) { return sql_reads::ListEvents(db, query); });
}

absl::StatusOr<domain::StaffUser> PgStore::GetStaff(int64_t id) {
  return WithConnection(*pool_, [&](Db& db) { return sql_reads::GetStaff(db, id); });
}

absl::StatusOr<domain::StaffUser> PgStore::GetStaffByEmail(const std::string& email) {
  return WithConnection(*pool_, [&](Db& db) { return sql_reads::GetStaffByEmail(db, email); });
}

absl::StatusOr<std::vector<domain::StaffUser>> PgStore::ListStaff() {
  return WithConnection(*pool_, [](Db& db) { return sql_reads::ListStaff(db); });
}

absl::StatusOr<domain::Session> PgStore::GetSession(const std::string& token_hash) {
  return WithConnection(*pool_, [&](Db& db) { return sql_reads::GetSession(db, token_hash); });
}

absl::StatusOr<domain::ApiKey> PgStore::GetApiKeyByHash(const std::string& key_hash) {
  return WithConnection(*pool_, [&](Db& db) { return sql_reads::GetApiKeyByHash(db, key_hash); });
}

absl::StatusOr<std::vector<domain::ApiKey>> PgStore::ListApiKeys() {
  return WithConnection(*pool_, [](Db& db) { return sql_reads::ListApiKeys(db); });
}

absl::StatusOr<domain::SipAccount> PgStore::GetSipAccount(int64_t staff_id) {
  return WithConnection(*pool_, [&](Db& db) { return sql_sip_accounts::Get(db, staff_id); });
}

absl::StatusOr<domain::SipAccount> PgStore::GetSipAccountByExtension(const std::string& extension) {
  return WithConnection(*pool_,
                        [&](Db& db) { return sql_sip_accounts::GetByExtension(db, extension); });
}

absl::StatusOr<std::vector<domain::SipAccount>> PgStore::ListSipAccounts() {
  return WithConnection(*pool_, [](Db& db) { return sql_sip_accounts::List(db); });
}

absl::StatusOr<std::vector<domain::SipBinding>> PgStore::ListSipBindings(absl::Time now) {
  return WithConnection(*pool_, [now](Db& db) { return sql_sip_accounts::ListBindings(db, now); });
}

absl::StatusOr<domain::MailMessage> PgStore::GetMailMessage(int64_t id) {
  return WithConnection(*pool_, [id](Db& db) { return sql_mail::Get(db, id); });
}

absl::StatusOr<std::optional<domain::MailMessage>> PgStore::FindFiledMail(
    const std::vector<std::string>& message_ids) {
  return WithConnection(*pool_, [&message_ids](Db& db) { return sql_mail::FindFiledByMessageIds(db, message_ids); });
}

absl::StatusOr<std::vector<domain::MailMessage>> PgStore::ListMailMessages(domain::MailState state,
                                                                           int64_t after_id, int limit) {
  return WithConnection(*pool_,
                        [state, after_id, limit](Db& db) { return sql_mail::List(db, state, after_id, limit); });
}

absl::StatusOr<std::vector<domain::MailMessage>> PgStore::ListCaseMail(int64_t case_id) {
  return WithConnection(*pool_, [case_id](Db& db) { return sql_mail::ListForCase(db, case_id); });
}

absl::StatusOr<int64_t> PgStore::CountAutomaticOutboxSince(const std::string& recipient, absl::Time since) {
  return WithConnection(*pool_,
                        [&recipient, since](Db& db) { return sql_outbox::CountAutomaticSince(db, recipient, since); });
}

absl::StatusOr<domain::OutboxMessage> PgStore::GetOutboxMessage(int64_t id) {
  return WithConnection(*pool_, [id](Db& db) { return sql_outbox::Get(db, id); });
}

absl::StatusOr<std::vector<domain::OutboxMessage>> PgStore::ListDueOutbox(absl::Time now, int limit) {
  return WithConnection(*pool_, [now, limit](Db& db) { return sql_outbox::ListDue(db, now, limit); });
}

absl::StatusOr<std::vector<domain::OutboxMessage>> PgStore::ListCaseOutbox(int64_t case_id) {
  return WithConnection(*pool_, [case_id](Db& db) { return sql_outbox::ListForCase(db, case_id); });
}

absl::StatusOr<std::optional<domain::OutboxMessage>> PgStore::FindOutboxByMessageIds(
    const std::vector<std::string>& message_ids) {
  return WithConnection(*pool_, [&message_ids](Db& db) { return sql_outbox::FindByMessageIds(db, message_ids); });
}

absl::StatusOr<std::optional<domain::OutboxMessage>> PgStore::FindOutboxByProviderId(const std::string& provider_id) {
  return WithConnection(*pool_, [&provider_id](Db& db) { return sql_outbox::FindByProviderId(db, provider_id); });
}

absl::StatusOr<std::vector<domain::OutboxMessage>> PgStore::ListOutbox(std::optional<domain::OutboxState> state,
                                                                       int64_t after_id, int limit) {
  return WithConnection(*pool_, [state, after_id, limit](Db& db) { return sql_outbox::List(db, state, after_id, limit); });
}

absl::StatusOr<std::optional<domain::CallRecording>> PgStore::GetContactCallRecording(
    int64_t contact_id) {
  return WithConnection(*pool_, [contact_id](Db& db) {
    return sql_call_recordings::GetForContact(db, contact_id);
  });
}

absl::StatusOr<std::optional<domain::CallSurvey>> PgStore::GetContactCallSurvey(int64_t contact_id) {
  return WithConnection(*pool_, [contact_id](Db& db) {
    return sql_call_recordings::GetSurveyForContact(db, contact_id);
  });
}

absl::StatusOr<std::vector<domain::CallRecording>> PgStore::ListExpiredCallRecordings(
    absl::Time now, int limit) {
  return WithConnection(*pool_, [now, limit](Db& db) {
    return sql_call_recordings::ListExpired(db, now, limit);
  });
}

absl::StatusOr<std::vector<domain::RoutingQueue>> PgStore::ListRoutingQueues() {
  return WithConnection(*pool_, [](Db& db) { return sql_routing::ListQueues(db); });
}

absl::StatusOr<std::vector<domain::RoutingProfile>> PgStore::ListRoutingProfiles() {
  return WithConnection(*pool_, [](Db& db) { return sql_routing::ListProfiles(db); });
}

absl::StatusOr<std::optional<domain::LeaderInfo>> PgStore::GetLeader(const std::string& role) {
  return WithConnection(*pool_, [&](Db& db) { return sql_leadership::Get(db, role); });
}

absl::StatusOr<std::optional<std::string>> PgStore::GetSetting(const std::string& key) {
  return WithConnection(*pool_, [&](Db& db) { return sql_reads::GetSetting(db, key); });
}

absl::StatusOr<domain::Article> PgStore::GetArticle(int64_t id) {
  return WithConnection(*pool_, [id](Db& db) { return sql_articles::GetArticle(db, id); });
}

absl::StatusOr<std::vector<domain::Article>> PgStore::ListArticles() {
  return WithConnection(*pool_, [](Db& db) { return sql_articles::ListArticles(db); });
}

absl::StatusOr<std::vector<domain::ArticleVersion>> PgStore::ListArticleVersions(
    int64_t article_id) {
  return WithConnection(*pool_, [article_id](Db& db) {
    return sql_articles::ListArticleVersions(db, article_id);
  });
}

absl::StatusOr<std::optional<int64_t>> PgStore::GetContactArticle(int64_t contact_id) {
  return WithConnection(*pool_, [contact_id](Db& db) {
    return sql_articles::GetContactArticle(db, contact_id);
  });
}

}  // namespace onestop::store::postgres
