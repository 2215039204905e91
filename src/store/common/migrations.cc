// The ordered list of schema versions; their SQL lives beside it by subject
// (migrations_initial.h, _content.h, _routing.h, _cases.h, _telephony.h, _mail.h, _outbox.h).
#include "store/common/migrations.h"

#include "store/common/migrations_cases.h"
#include "store/common/migrations_content.h"
#include "store/common/migrations_initial.h"
#include "store/common/migrations_mail.h"
#include "store/common/migrations_outbox.h"
#include "store/common/migrations_routing.h"
#include "store/common/migrations_telephony.h"

namespace onestop::store {

using namespace migration_sql;  // the list below names every version's SQL

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> kMigrations = {
      {1, "initial schema", kV1Sqlite, kV1Postgres},
      {2, "API keys", kV2Sqlite, kV2Postgres},
      {3, "routing queues and profiles", kRoutingSqlite, kRoutingPostgres},
      {4, "knowledge base: articles, versions, contact article", kKnowledgeBaseSqlite, kKnowledgeBasePostgres},
      {5, "leadership of single-node roles", kLeadershipSqlite, kLeadershipPostgres},
      {6, "time-range indexes: events (entity, at), cases (created_at)", kTimeRangesSqlite,
       kTimeRangesPostgres},
      {7, "translations and theme", kTranslationsSqlite, kTranslationsPostgres},
      {8, "duplicates", kDuplicatesSqlite, kDuplicatesPostgres},
      {9, "citizen flags", kCitizenFlagsSqlite, kCitizenFlagsPostgres},
      {10, "contacts: interaction and disposition", kContactInteractionSqlite, kContactInteractionPostgres},
      {11, "queue media, wallboard and targets; staff routing profile", kSupervisorsSqlite,
       kSupervisorsPostgres},
      {12, "staff SIP accounts", kSipAccountsSqlite, kSipAccountsPostgres},
      {13, "call recordings and post-call surveys", kCallRecordingsSqlite, kCallRecordingsPostgres},
      {14, "phone registrations", kSipBindingsSqlite, kSipBindingsPostgres},
      {15, "inbound mail", kMailMessagesSqlite, kMailMessagesPostgres},
      {16, "outbox", kOutboxSqlite, kOutboxPostgres},
  };
  return kMigrations;
}

}  // namespace onestop::store
