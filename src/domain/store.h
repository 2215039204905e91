// The store: where every record lives. Declared here, implemented by
// store/sqlite (and later store/postgres). One test suite runs against every
// implementation (tests/store/store_suite.h).
//
// Reads may be called from any thread at any time and see committed data.
// Writes go through Store::Write(fn): `fn` runs inside a transaction on the
// store's writer; the call blocks until that transaction has committed
// durably (or failed). Implementations batch concurrent Write calls into one
// transaction (group commit), giving each call its own savepoint so one
// call's failure rolls back only its own changes.
//
// `fn` must be deterministic with respect to the WriteTxn it is given and must
// not block on anything else (it runs on the writer thread). It may be called
// again if the batch has to be retried.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/api_key.h"
#include "domain/article.h"
#include "domain/call_recording.h"
#include "domain/case.h"
#include "domain/citizen.h"
#include "domain/contact.h"
#include "domain/duplicates.h"
#include "domain/event.h"
#include "domain/mail.h"
#include "domain/outbox.h"
#include "domain/routing_config.h"
#include "domain/service.h"
#include "domain/sip_account.h"
#include "domain/staff.h"

namespace onestop::domain {

// A stored result of a POST made with an Idempotency-Key.
struct IdempotencyRecord {
  std::string key;           // scoped: "<caller>:<Idempotency-Key header>"
  std::string request_hash;  // hex SHA-256 of method+path+body
  int status = 0;            // HTTP status of the first response
  std::string body;          // the first response body
  std::string location;      // Location header of the first response, if any
  absl::Time created_at;
  bool operator==(const IdempotencyRecord&) const = default;
};

// The operations available inside a write transaction. Every mutating method
// bumps `version` and `updated_at` where the type has them is NOT done here:
// the services set fields; the store only persists. Errors:
//   NotFound  — the row to update does not exist
//   Aborted   — optimistic version check failed (concurrent edit)
//   AlreadyExists — unique key violated (email, reference, service code)
class WriteTxn {
 public:
  virtual ~WriteTxn() = default;

  // Reads inside the transaction (see this transaction's own writes).
  // Cases are found by id only: a reference decodes to its case's id
  // (domain/reference.h), so references need no index of their own.
  virtual absl::StatusOr<Case> GetCase(int64_t id) = 0;
  virtual absl::StatusOr<Citizen> GetCitizen(int64_t id) = 0;
  virtual absl::StatusOr<std::optional<IdempotencyRecord>> GetIdempotency(const std::string& key) = 0;

  // Appends to the event log; returns the assigned seq.
  virtual absl::StatusOr<int64_t> AppendEvent(const Event& event) = 0;

  // Catalogue. UpsertService stores the service with version = previous + 1
  // (1 when new) and returns that version.
  virtual absl::StatusOr<int64_t> UpsertService(const Service& service) = 0;
  virtual absl::Status UpsertDepartment(const Department& department) = 0;
  virtual absl::Status UpsertTeam(const Team& team) = 0;

  // Citizens. InsertCitizen assigns and returns the id (citizen.id ignored).
  virtual absl::StatusOr<int64_t> InsertCitizen(const Citizen& citizen) = 0;
  // Writes `citizen` if the stored version equals expected_version; the stored
  // version becomes citizen.version (the caller sets expected + 1).
  virtual absl::Status UpdateCitizen(const Citizen& citizen, int64_t expected_version) = 0;

  // Cases. NextCaseNumber returns a number never returned before for this
  // store (unique across nodes); the caller derives the id and reference from
  // it and InsertCase stores the case with that id.
  virtual absl::StatusOr<int64_t> NextCaseNumber() = 0;
  virtual absl::Status InsertCase(const Case& c) = 0;
  virtual absl::Status UpdateCase(const Case& c, int64_t expected_version) = 0;

  virtual absl::StatusOr<int64_t> InsertNote(const Note& note) = 0;
  virtual absl::StatusOr<int64_t> InsertAttachment(const Attachment& attachment) = 0;
  virtual absl::StatusOr<int64_t> InsertContact(const Contact& contact) = 0;
  // The contact recording routed interaction `interaction_id`, if any.
  virtual absl::StatusOr<std::optional<Contact>> FindContactByInteraction(int64_t interaction_id) = 0;
  // Rewrites a contact's staff, citizen, case, service, reason, outcome,
  // duration and disposition (channel, direction, time and interaction stay);
  // NotFound for an unknown id.
  virtual absl::Status UpdateContact(const Contact& contact) = 0;

  // Followers (domain/duplicates.h): adds `follower` unless that citizen
  // already follows that case; true when added. NotFound if the case or
  // citizen does not exist.
  virtual absl::StatusOr<bool> AddFollower(const CaseFollower& follower) = 0;

  // Merging: moves every case/contact of `from` onto `into`, returning the ids
  // moved; MoveCases/MoveContacts move the listed ids back (for unmerge).
  virtual absl::StatusOr<std::vector<int64_t>> MoveAllCases(int64_t from, int64_t into) = 0;
  virtual absl::StatusOr<std::vector<int64_t>> MoveAllContacts(int64_t from, int64_t into) = 0;
  virtual absl::Status MoveCases(const std::vector<int64_t>& ids, int64_t into) = 0;
  virtual absl::Status MoveContacts(const std::vector<int64_t>& ids, int64_t into) = 0;
  virtual absl::StatusOr<int64_t> InsertMerge(const CitizenMerge& merge) = 0;
  virtual absl::Status UpdateMerge(const CitizenMerge& merge) = 0;  // sets reversed_*

  // Staff and sessions.
  virtual absl::StatusOr<int64_t> InsertStaff(const StaffUser& staff) = 0;
  virtual absl::Status UpdateStaff(const StaffUser& staff, int64_t expected_version) = 0;
  virtual absl::Status InsertSession(const Session& session) = 0;
  virtual absl::Status DeleteSession(const std::string& token_hash) = 0;
  // Staff SIP accounts (domain/sip_account.h). Put inserts or replaces the
  // account of account.staff_id: AlreadyExists when the extension belongs to
  // another staff member, NotFound for an unknown staff id. Delete answers
  // NotFound when that staff member has no account.
  virtual absl::Status PutSipAccount(const SipAccount& account) = 0;
  virtual absl::Status DeleteSipAccount(int64_t staff_id) = 0;
  // Inbound mail (domain/mail.h): Insert stores a delivered message (its id
  // assigned); UpdateMailFiling records what it was filed as (state,
  // outcome, links, filed_at; NotFound for an unknown id).
  virtual absl::StatusOr<int64_t> InsertMailMessage(const MailMessage& message) = 0;
  virtual absl::Status UpdateMailFiling(const MailMessage& message) = 0;
  virtual absl::StatusOr<MailMessage> GetMailMessage(int64_t id) = 0;  // NotFound
  // The outbox (domain/outbox.h): Insert queues a message (its id
  // assigned); ClaimOutboxMessage takes a due, queued message for sending
  // (counts the attempt, moves next_attempt_at to lease_until; false when
  // it is no longer due or queued — another sender has it);
  // UpdateOutboxDelivery records an attempt's result (state, attempts,
  // next attempt, times, error, provider id; NotFound for an unknown id).
  virtual absl::StatusOr<int64_t> InsertOutboxMessage(const OutboxMessage& message) = 0;
  virtual absl::StatusOr<bool> ClaimOutboxMessage(int64_t id, absl::Time now, absl::Time lease_until) = 0;
  virtual absl::Status UpdateOutboxDelivery(const OutboxMessage& message) = 0;
  virtual absl::StatusOr<OutboxMessage> GetOutboxMessage(int64_t id) = 0;  // NotFound
  // Automatic messages queued to `recipient` since `since` (rate limits).
  virtual absl::StatusOr<int64_t> CountAutomaticOutboxSince(const std::string& recipient, absl::Time since) = 0;
  // Phone registrations (domain/sip_account.h SipBinding): Put inserts or
  // replaces the binding of binding.extension; Delete removes it (OK when
  // there is none: unregistering twice is harmless).
  virtual absl::Status PutSipBinding(const SipBinding& binding) = 0;
  virtual absl::Status DeleteSipBinding(const std::string& extension) = 0;
  // Call recordings and survey answers (domain/call_recording.h; the ids are
  // assigned). InsertCallRecording: AlreadyExists for a path already stored,
  // NotFound for an unknown contact_id (0 = none). DeleteCallRecording:
  // NotFound for an unknown id. InsertCallSurvey: AlreadyExists when the
  // interaction already has an answer, NotFound for an unknown contact_id.
  virtual absl::StatusOr<int64_t> InsertCallRecording(const CallRecording& recording) = 0;
  virtual absl::Status DeleteCallRecording(int64_t id) = 0;
  virtual absl::StatusOr<int64_t> InsertCallSurvey(const CallSurvey& survey) = 0;

  virtual absl::Status PutIdempotency(const IdempotencyRecord& record) = 0;

  // Housekeeping: delete at most `limit` sessions that expired before
  // `before` / idempotency records created before `before`; return how many.
  virtual absl::StatusOr<int64_t> DeleteExpiredSessions(absl::Time before, int limit) = 0;
  virtual absl::StatusOr<int64_t> DeleteIdempotencyBefore(absl::Time before, int limit) = 0;

  // API keys. InsertApiKey assigns the id (AlreadyExists on a duplicate
  // hash); RevokeApiKey sets revoked_at (NotFound for an unknown id).
  virtual absl::StatusOr<int64_t> InsertApiKey(const ApiKey& key) = 0;
  virtual absl::Status RevokeApiKey(int64_t id, absl::Time at) = 0;

  // Routing configuration (queue definitions, routing profiles), keyed by
  // code. Put* inserts or replaces, setting version to 1 / previous + 1;
  // Delete* answers NotFound for an unknown code. `expected_version`, checked
  // in the same statement as the write: nullopt writes whatever is stored,
  // 0 only creates (Aborted if the code exists), n only replaces version n
  // (Aborted if the stored version differs or the code does not exist).
  virtual absl::Status PutRoutingQueue(const RoutingQueue& queue,
                                       std::optional<int64_t> expected_version) = 0;
  virtual absl::Status DeleteRoutingQueue(const std::string& code) = 0;
  virtual absl::Status PutRoutingProfile(const RoutingProfile& profile,
                                         std::optional<int64_t> expected_version) = 0;
  virtual absl::Status DeleteRoutingProfile(const std::string& code) = 0;
  // Unconditional puts (expected_version nullopt).
  absl::Status PutRoutingQueue(const RoutingQueue& queue) { return PutRoutingQueue(queue, std::nullopt); }
  absl::Status PutRoutingProfile(const RoutingProfile& profile) {
    return PutRoutingProfile(profile, std::nullopt);
  }

  // Knowledge base. InsertArticle assigns and returns the id; UpdateArticle
  // writes the article if the stored version equals expected_version (Aborted
  // otherwise, NotFound if absent). Neither touches the feedback counters.
  // InsertArticleVersion keeps one saved text (AlreadyExists for a repeated
  // (article_id, version)).
  virtual absl::StatusOr<int64_t> InsertArticle(const Article& article) = 0;
  virtual absl::Status UpdateArticle(const Article& article, int64_t expected_version) = 0;
  virtual absl::Status InsertArticleVersion(const ArticleVersion& version) = 0;
  // "Did this answer your question?" — bumps helpful_yes or helpful_no.
  virtual absl::Status AddArticleFeedback(int64_t article_id, bool helpful) = 0;
  // First-contact resolution: records that `contact_id` was answered from
  // `article_id` (NotFound if either is absent).
  virtual absl::Status SetContactArticle(int64_t contact_id, int64_t article_id) = 0;

  // Leadership (see Store::TryLead). TakeLeadership records that `node` now
  // holds `role` and returns the new epoch (1 the first time, then previous
  // + 1); only Store::TryLead implementations call it, holding the role's
  // lock. CheckLeadership fails with Aborted unless `epoch` is still the
  // role's epoch — the fencing check a leader's writes make in their own
  // transaction (on PostgreSQL it also locks the row until commit, so a
  // successor's TakeLeadership waits for writes already under way).
  virtual absl::StatusOr<int64_t> TakeLeadership(const std::string& role, const std::string& node,
                                                 absl::Time since) = 0;
  virtual absl::Status CheckLeadership(const std::string& role, int64_t epoch) = 0;

  // Settings: whole values by key, inserted or replaced (the theme under
  // "theme", as codec::ThemeToJson text). The store keeps the text as given.
  virtual absl::Status PutSetting(const std::string& key, const std::string& value) = 0;
};

// The node holding a role and since when (Store::GetLeader).
struct LeaderInfo {
  std::string role;
  int64_t epoch = 0;
  std::string node;
  absl::Time since;
  bool operator==(const LeaderInfo&) const = default;
};

// A role this node holds (Store::TryLead). Destroying it gives the role up.
class Leadership {
 public:
  virtual ~Leadership() = default;
  virtual int64_t epoch() const = 0;
  // OK while this node still holds the role; Unavailable once it may have
  // lost it (the lock's connection failed, or another node took the epoch).
  virtual absl::Status Check() = 0;
};

struct CasePage {
  std::vector<Case> items;
  int64_t next_after_id = 0;  // 0 when there are no more
};

class Store {
 public:
  virtual ~Store() = default;

  // Runs `fn` in a durable transaction (see the file comment). Returns fn's
  // error (its changes rolled back) or the commit error.
  virtual absl::Status Write(const std::function<absl::Status(WriteTxn&)>& fn) = 0;

  // Catalogue.
  virtual absl::StatusOr<std::vector<Service>> ListServices() = 0;  // ordered by code
  virtual absl::StatusOr<Service> GetService(const std::string& code) = 0;
  virtual absl::StatusOr<std::vector<Department>> ListDepartments() = 0;
  virtual absl::StatusOr<std::vector<Team>> ListTeams() = 0;

  // Citizens.
  virtual absl::StatusOr<Citizen> GetCitizen(int64_t id) = 0;
  virtual absl::StatusOr<std::vector<Citizen>> FindCitizens(const CitizenQuery& query) = 0;
  virtual absl::StatusOr<CitizenMerge> GetMerge(int64_t id) = 0;

  // Cases.
  virtual absl::StatusOr<Case> GetCase(int64_t id) = 0;
  virtual absl::StatusOr<CasePage> ListCases(const CaseQuery& query) = 0;
  virtual absl::StatusOr<std::vector<Note>> ListNotes(int64_t case_id) = 0;
  virtual absl::StatusOr<std::vector<Attachment>> ListAttachments(int64_t case_id) = 0;
  // Duplicate detection: the union of the parts of `query` (domain/
  // duplicates.h), open cases of query.service_code only, each case once,
  // ordered by id; read from the v8 indexes, never a scan of the cases.
  virtual absl::StatusOr<std::vector<Case>> FindDuplicateCandidates(const DuplicateQuery& query) = 0;
  // The cases marked duplicates of `case_id`, ordered by id.
  virtual absl::StatusOr<std::vector<Case>> ListDuplicatesOf(int64_t case_id) = 0;
  // The residents following `case_id`, in the order they were added.
  virtual absl::StatusOr<std::vector<CaseFollower>> ListFollowers(int64_t case_id) = 0;
  // Count of cases per service code, most first (the portal's popular
  // services when the council has not chosen them); services with none are absent.
  virtual absl::StatusOr<std::vector<std::pair<std::string, int64_t>>> CountCasesByService() = 0;
  // Count of cases per status (for /metrics); statuses with none may be absent.
  virtual absl::StatusOr<std::vector<std::pair<CaseStatus, int64_t>>> CountCasesByStatus() = 0;

  // Contacts, ordered by id ascending.
  virtual absl::StatusOr<std::vector<Contact>> ListContacts(const ContactQuery& query) = 0;

  // Events, ordered by seq ascending.
  virtual absl::StatusOr<std::vector<Event>> ListEvents(const EventQuery& query) = 0;
  // The seq of the newest committed event (0 when there is none).
  virtual absl::StatusOr<int64_t> LastEventSeq() = 0;

  // Routing configuration, ordered by code.
  virtual absl::StatusOr<std::vector<RoutingQueue>> ListRoutingQueues() = 0;
  virtual absl::StatusOr<std::vector<RoutingProfile>> ListRoutingProfiles() = 0;

  // Staff and sessions.
  virtual absl::StatusOr<StaffUser> GetStaff(int64_t id) = 0;
  virtual absl::StatusOr<StaffUser> GetStaffByEmail(const std::string& email) = 0;
  virtual absl::StatusOr<std::vector<StaffUser>> ListStaff() = 0;
  virtual absl::StatusOr<Session> GetSession(const std::string& token_hash) = 0;
  // Staff SIP accounts: by staff member or by extension (NotFound when there
  // is none), and every account ordered by extension.
  virtual absl::StatusOr<SipAccount> GetSipAccount(int64_t staff_id) = 0;
  virtual absl::StatusOr<SipAccount> GetSipAccountByExtension(const std::string& extension) = 0;
  virtual absl::StatusOr<std::vector<SipAccount>> ListSipAccounts() = 0;
  // The phone registrations that have not expired at `now`, by extension.
  virtual absl::StatusOr<std::vector<SipBinding>> ListSipBindings(absl::Time now) = 0;
  // Inbound mail: one message (NotFound); the newest filed message whose
  // Message-ID is among `message_ids` (threading); at most `limit` messages
  // in `state` after `after_id`, oldest first.
  virtual absl::StatusOr<MailMessage> GetMailMessage(int64_t id) = 0;
  virtual absl::StatusOr<std::optional<MailMessage>> FindFiledMail(const std::vector<std::string>& message_ids) = 0;
  virtual absl::StatusOr<std::vector<MailMessage>> ListMailMessages(MailState state, int64_t after_id,
                                                                    int limit) = 0;
  virtual absl::StatusOr<std::vector<MailMessage>> ListCaseMail(int64_t case_id) = 0;  // oldest first
  // The outbox: one message (NotFound); queued messages due at `now`,
  // oldest due first; a case's messages, oldest first; the newest message
  // whose Message-ID is among `message_ids` (a reply to ours); the message a
  // provider knows by `provider_id`; at most `limit` after `after_id`
  // (only in `state` when given), oldest first.
  virtual absl::StatusOr<OutboxMessage> GetOutboxMessage(int64_t id) = 0;
  virtual absl::StatusOr<std::vector<OutboxMessage>> ListDueOutbox(absl::Time now, int limit) = 0;
  virtual absl::StatusOr<int64_t> CountAutomaticOutboxSince(const std::string& recipient, absl::Time since) = 0;
  virtual absl::StatusOr<std::vector<OutboxMessage>> ListCaseOutbox(int64_t case_id) = 0;
  virtual absl::StatusOr<std::optional<OutboxMessage>> FindOutboxByMessageIds(
      const std::vector<std::string>& message_ids) = 0;
  virtual absl::StatusOr<std::optional<OutboxMessage>> FindOutboxByProviderId(const std::string& provider_id) = 0;
  virtual absl::StatusOr<std::vector<OutboxMessage>> ListOutbox(std::optional<OutboxState> state, int64_t after_id,
                                                                int limit) = 0;
  // Call recordings and survey answers: a contact's newest recording /
  // answer (nullopt when none), and at most `limit` recordings whose
  // delete_after is at or before `now`, the oldest first (housekeeping).
  virtual absl::StatusOr<std::optional<CallRecording>> GetContactCallRecording(int64_t contact_id) = 0;
  virtual absl::StatusOr<std::optional<CallSurvey>> GetContactCallSurvey(int64_t contact_id) = 0;
  virtual absl::StatusOr<std::vector<CallRecording>> ListExpiredCallRecordings(absl::Time now,
                                                                               int limit) = 0;

  // API keys: lookup by hash (NotFound if unknown; revoked keys are returned
  // with revoked_at set), and every key newest first.
  virtual absl::StatusOr<ApiKey> GetApiKeyByHash(const std::string& key_hash) = 0;
  virtual absl::StatusOr<std::vector<ApiKey>> ListApiKeys() = 0;

  // Knowledge base: one article (with its counters), every article ordered
  // by id, and an article's saved versions, newest first.
  virtual absl::StatusOr<Article> GetArticle(int64_t id) = 0;
  virtual absl::StatusOr<std::vector<Article>> ListArticles() = 0;
  virtual absl::StatusOr<std::vector<ArticleVersion>> ListArticleVersions(int64_t article_id) = 0;
  // The article a contact was answered from, if any.
  virtual absl::StatusOr<std::optional<int64_t>> GetContactArticle(int64_t contact_id) = 0;

  // Roles only one node runs at a time (the routing engine). TryLead takes
  // `role` for `node` when no other process holds it — PostgreSQL: a session
  // advisory lock on a connection of its own, released by the server when
  // that connection or process dies; SQLite: an exclusive lock on a file
  // next to the database — then bumps the role's epoch (WriteTxn::
  // TakeLeadership). Returns nullptr when another process holds the role.
  virtual absl::StatusOr<std::unique_ptr<Leadership>> TryLead(const std::string& role,
                                                              const std::string& node,
                                                              absl::Time now) = 0;
  // The last node to take `role` (it may since have died); nullopt if none has.
  virtual absl::StatusOr<std::optional<LeaderInfo>> GetLeader(const std::string& role) = 0;

  // The value WriteTxn::PutSetting stored under `key`; nullopt if none.
  virtual absl::StatusOr<std::optional<std::string>> GetSetting(const std::string& key) = 0;

  // Health: a trivial round trip to the database.
  virtual absl::Status Ping() = 0;
  // Flushes and stops the writer; later Writes fail with Unavailable.
  virtual void Close() = 0;
};

}  // namespace onestop::domain
