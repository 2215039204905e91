// Email since v15: the inbound messages delivered over LMTP
// (domain/mail.h MailMessage), kept as delivered (base64 of the raw bytes,
// which may be in any charset or carry NULs) with what each was filed as.
// The SQL in both dialects; the ordered list is in
// store/common/migrations.cc, the only includer.
#pragma once

#include <string_view>

namespace onestop::store::migration_sql {

inline constexpr std::string_view kMailMessagesSqlite = R"SQL(
CREATE TABLE mail_messages (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  mailbox TEXT NOT NULL,
  message_id TEXT NOT NULL,
  from_address TEXT NOT NULL,
  subject TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  raw_base64 TEXT NOT NULL,
  state TEXT NOT NULL,
  outcome TEXT NOT NULL,
  case_id INTEGER REFERENCES cases(id),
  citizen_id INTEGER REFERENCES citizens(id),
  contact_id INTEGER REFERENCES contacts(id),
  interaction_id INTEGER,
  filed_at INTEGER
);
CREATE INDEX mail_messages_message_id ON mail_messages(message_id);
CREATE INDEX mail_messages_state ON mail_messages(state, id);
)SQL";

inline constexpr std::string_view kMailMessagesPostgres = R"SQL(
CREATE TABLE mail_messages (
  id BIGSERIAL PRIMARY KEY,
  mailbox TEXT NOT NULL,
  message_id TEXT NOT NULL,
  from_address TEXT NOT NULL,
  subject TEXT NOT NULL,
  received_at BIGINT NOT NULL,
  raw_base64 TEXT NOT NULL,
  state TEXT NOT NULL,
  outcome TEXT NOT NULL,
  case_id BIGINT REFERENCES cases(id),
  citizen_id BIGINT REFERENCES citizens(id),
  contact_id BIGINT REFERENCES contacts(id),
  interaction_id BIGINT,
  filed_at BIGINT
);
CREATE INDEX mail_messages_message_id ON mail_messages(message_id);
CREATE INDEX mail_messages_state ON mail_messages(state, id);
)SQL";

}  // namespace onestop::store::migration_sql
