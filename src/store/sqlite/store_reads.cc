// The read side of SqliteStore: every query borrows a connection from the
// ReadPool for the duration of the call and runs the shared SQL
// (store/common/sql_reads.h).
#include "store/common/sql_articles.h"
#include "store/common/sql_duplicates.h"
#include "store/common/sql_reads.h"
#include "store/common/sql_routing.h"
#include "store/common/sql_call_recordings.h"
#include "store/common/sql_mail.h"
#include "store/common/sql_outbox.h"
#include "store/common/sql_sip_accounts.h"
#include "store/sqlite/db.h"
#include "store/sqlite/read_pool.h"
#include "store/sqlite/sqlite_store.h"

namespace onestop::store::sqlite {

absl::StatusOr<std::vector<domain::Service>> SqliteStore::ListServices() {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_reads::ListServices(lease.db());
}

absl::StatusOr<domain::Service> SqliteStore::GetService(const std::string& code) {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_reads::GetService(lease.db(), code);
}

absl::StatusOr<std::vector<domain::Department>> SqliteStore::ListDepartments() {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_reads::ListDepartments(lease.db());
}

absl::StatusOr<std::optional<std::string>> SqliteStore::GetSetting(const std::string& key) {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_reads::GetSetting(lease.db(), key);
}

absl::StatusOr<std::vector<domain::Team>> SqliteStore::ListTeams() {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_reads::ListTeams(lease.db());
}

absl::StatusOr<domain::Citizen> SqliteStore::GetCitizen(int64_t id) {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_reads::GetCitizen(lease.db(), id);
}

absl::StatusOr<std::vector<domain::Citizen>> SqliteStore::FindCitizens(
    const domain::CitizenQuery& query) {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_reads::FindCitizens(lease.db(), query);
}

absl::StatusOr<domain::CitizenMerge> SqliteStore::GetMerge(int64_t id) {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_reads::GetMerge(lease.db(), id);
}

absl::StatusOr<domain::Case> SqliteStore::GetCase(int64_t id) {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_reads::GetCase(lease.db(), id);
}

absl::StatusOr<domain::CasePage> SqliteStore::ListCases(const domain::CaseQuery& query) {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_reads::ListCases(lease.db(), query);
}

absl::StatusOr<std::vector<domain::Note>> SqliteStore::ListNotes(int64_t case_id) {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_reads::ListNotes(lease.db(), case_id);
}

absl::StatusOr<std::vector<domain::Attachment>> SqliteStore::ListAttachments(int64_t case_id) {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_reads::ListAttachments(lease.db(), case_id);
}

absl::StatusOr<std::vector<domain::Case>> SqliteStore::FindDuplicateCandidates(
    const domain::DuplicateQuery& query) {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_duplicates::FindDuplicateCandidates(lease.db(), query);
}

absl::StatusOr<std::vector<domain::Case>> SqliteStore::ListDuplicatesOf(int64_t case_id) {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_duplicates::ListDuplicatesOf(lease.db(), case_id);
}

absl::StatusOr<std::vector<domain::CaseFollower>> SqliteStore::ListFollowers(int64_t case_id) {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_duplicates::ListFollowers(lease.db(), case_id);
}

absl::StatusOr<std::vector<std::pair<std::string, int64_t>>> SqliteStore::CountCasesByService() {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_reads::CountCasesByService(lease.db());
}

absl::StatusOr<std::vector<std::pair<domain::CaseStatus, int64_t>>> SqliteStore::CountCasesByStatus() {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_reads::CountCasesByStatus(lease.db());
}

absl::StatusOr<std::vector<domain::Contact>> SqliteStore::ListContacts(
    const domain::ContactQuery& query) {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_reads::ListContacts(lease.db(), query);
}

absl::StatusOr<int64_t> SqliteStore::LastEventSeq() {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_reads::LastEventSeq(lease.db());
}

absl::StatusOr<std::vector<domain::Event>> SqliteStore::ListEvents(const domain::EventQuery& query) {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_reads::ListEvents(lease.db(), query);
}

absl::StatusOr<domain::StaffUser> SqliteStore::GetStaff(int64_t id) {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_reads::GetStaff(lease.db(), id);
}

absl::StatusOr<domain::StaffUser> SqliteStore::GetStaffByEmail(const std::string& email) {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_reads::GetStaffByEmail(lease.db(), email);
}

absl::StatusOr<std::vector<domain::StaffUser>> SqliteStore::ListStaff() {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_reads::ListStaff(lease.db());
}

absl::StatusOr<domain::Session> SqliteStore::GetSession(const std::string& token_hash) {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_reads::GetSession(lease.db(), token_hash);
}

absl::StatusOr<domain::ApiKey> SqliteStore::GetApiKeyByHash(const std::string& key_hash) {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_reads::GetApiKeyByHash(lease.db(), key_hash);
}

absl::StatusOr<std::vector<domain::ApiKey>> SqliteStore::ListApiKeys() {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_reads::ListApiKeys(lease.db());
}

absl::StatusOr<domain::SipAccount> SqliteStore::GetSipAccount(int64_t staff_id) {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_sip_accounts::Get(lease.db(), staff_id);
}

absl::StatusOr<domain::SipAccount> SqliteStore::GetSipAccountByExtension(
    const std::string& extension) {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_sip_accounts::GetByExtension(lease.db(), extension);
}

absl::StatusOr<std::vector<domain::SipAccount>> SqliteStore::ListSipAccounts() {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_sip_accounts::List(lease.db());
}

absl::StatusOr<std::vector<domain::SipBinding>> SqliteStore::ListSipBindings(absl::Time now) {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_sip_accounts::ListBindings(lease.db(), now);
}

absl::StatusOr<domain::MailMessage> SqliteStore::GetMailMessage(int64_t id) {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_mail::Get(lease.db(), id);
}

absl::StatusOr<std::optional<domain::MailMessage>> SqliteStore::FindFiledMail(
    const std::vector<std::string>& message_ids) {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_mail::FindFiledByMessageIds(lease.db(), message_ids);
}

absl::StatusOr<std::vector<domain::MailMessage>> SqliteStore::ListMailMessages(domain::MailState state,
                                                                               int64_t after_id, int limit) {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_mail::List(lease.db(), state, after_id, limit);
}

absl::StatusOr<std::vector<domain::MailMessage>> SqliteStore::ListCaseMail(int64_t case_id) {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_mail::ListForCase(lease.db(), case_id);
}

absl::StatusOr<int64_t> SqliteStore::CountAutomaticOutboxSince(const std::string& recipient, absl::Time since) {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_outbox::CountAutomaticSince(lease.db(), recipient, since);
}

absl::StatusOr<domain::OutboxMessage> SqliteStore::GetOutboxMessage(int64_t id) {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_outbox::Get(lease.db(), id);
}

absl::StatusOr<std::vector<domain::OutboxMessage>> SqliteStore::ListDueOutbox(absl::Time now, int limit) {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_outbox::ListDue(lease.db(), now, limit);
}

absl::StatusOr<std::vector<domain::OutboxMessage>> SqliteStore::ListCaseOutbox(int64_t case_id) {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_outbox::ListForCase(lease.db(), case_id);
}

absl::StatusOr<std::optional<domain::OutboxMessage>> SqliteStore::FindOutboxByMessageIds(
    const std::vector<std::string>& message_ids) {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_outbox::FindByMessageIds(lease.db(), message_ids);
}

absl::StatusOr<std::optional<domain::OutboxMessage>> SqliteStore::FindOutboxByProviderId(
    const std::string& provider_id) {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_outbox::FindByProviderId(lease.db(), provider_id);
}

absl::StatusOr<std::vector<domain::OutboxMessage>> SqliteStore::ListOutbox(std::optional<domain::OutboxState> state,
                                                                           int64_t after_id, int limit) {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_outbox::List(lease.db(), state, after_id, limit);
}

absl::StatusOr<std::optional<domain::CallRecording>> SqliteStore::GetContactCallRecording(
    int64_t contact_id) {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_call_recordings::GetForContact(lease.db(), contact_id);
}

absl::StatusOr<std::optional<domain::CallSurvey>> SqliteStore::GetContactCallSurvey(
    int64_t contact_id) {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_call_recordings::GetSurveyForContact(lease.db(), contact_id);
}

absl::StatusOr<std::vector<domain::CallRecording>> SqliteStore::ListExpiredCallRecordings(
    absl::Time now, int limit) {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_call_recordings::ListExpired(lease.db(), now, limit);
}

absl::StatusOr<std::vector<domain::RoutingQueue>> SqliteStore::ListRoutingQueues() {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_routing::ListQueues(lease.db());
}

absl::StatusOr<std::vector<domain::RoutingProfile>> SqliteStore::ListRoutingProfiles() {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_routing::ListProfiles(lease.db());
}

absl::StatusOr<domain::Article> SqliteStore::GetArticle(int64_t id) {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_articles::GetArticle(lease.db(), id);
}

absl::StatusOr<std::vector<domain::Article>> SqliteStore::ListArticles() {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_articles::ListArticles(lease.db());
}

absl::StatusOr<std::vector<domain::ArticleVersion>> SqliteStore::ListArticleVersions(
    int64_t article_id) {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_articles::ListArticleVersions(lease.db(), article_id);
}

absl::StatusOr<std::optional<int64_t>> SqliteStore::GetContactArticle(int64_t contact_id) {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_articles::GetContactArticle(lease.db(), contact_id);
}

}  // namespace onestop::store::sqlite
