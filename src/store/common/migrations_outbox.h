// Mail and SMS out since v16: the outbox (domain/outbox.h OutboxMessage),
// one row per message to a resident, written in the transaction that caused
// it and updated by the sender. The SQL in both dialects; the ordered list
// is in store/common/migrations.cc, the only includer.
#pragma once

#include <string_view>

namespace onestop::store::migration_sql {

inline constexpr std::string_view kOutboxSqlite = R"SQL(
CREATE TABLE outbox_messages (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  channel TEXT NOT NULL,
  recipient TEXT NOT NULL,
  sender TEXT NOT NULL,
  template_code TEXT NOT NULL,
  language TEXT NOT NULL,
  params_json TEXT NOT NULL,
  automatic INTEGER NOT NULL,
  message_id TEXT NOT NULL,
  in_reply_to TEXT NOT NULL,
  references_json TEXT NOT NULL,
  case_id INTEGER REFERENCES cases(id),
  citizen_id INTEGER REFERENCES citizens(id),
  staff_id INTEGER,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  sent_at INTEGER,
  delivered_at INTEGER,
  last_error TEXT NOT NULL,
  provider_id TEXT NOT NULL
);
CREATE INDEX outbox_messages_due ON outbox_messages(state, next_attempt_at);
CREATE INDEX outbox_messages_case ON outbox_messages(case_id);
CREATE INDEX outbox_messages_message_id ON outbox_messages(message_id);
CREATE INDEX outbox_messages_recipient ON outbox_messages(recipient, created_at);
CREATE INDEX outbox_messages_provider ON outbox_messages(provider_id);
)SQL";

inline constexpr std::string_view kOutboxPostgres = R"SQL(
CREATE TABLE outbox_messages (
  id BIGSERIAL PRIMARY KEY,
  channel TEXT NOT NULL,
  recipient TEXT NOT NULL,
  sender TEXT NOT NULL,
  template_code TEXT NOT NULL,
  language TEXT NOT NULL,
  params_json TEXT NOT NULL,
  automatic INTEGER NOT NULL,
  message_id TEXT NOT NULL,
  in_reply_to TEXT NOT NULL,
  references_json TEXT NOT NULL,
  case_id BIGINT REFERENCES cases(id),
  citizen_id BIGINT REFERENCES citizens(id),
  staff_id BIGINT,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  next_attempt_at BIGINT NOT NULL,
  sent_at BIGINT,
  delivered_at BIGINT,
  last_error TEXT NOT NULL,
  provider_id TEXT NOT NULL
);
CREATE INDEX outbox_messages_due ON outbox_messages(state, next_attempt_at);
CREATE INDEX outbox_messages_case ON outbox_messages(case_id);
CREATE INDEX outbox_messages_message_id ON outbox_messages(message_id);
CREATE INDEX outbox_messages_recipient ON outbox_messages(recipient, created_at);
CREATE INDEX outbox_messages_provider ON outbox_messages(provider_id);
)SQL";

}  // namespace onestop::store::migration_sql
