// Telephony since v12: the staff SIP accounts the registrar (src/sip) checks
// REGISTER digests against (domain/sip_account.h). The SQL of those schema
// versions in both dialects; the ordered list is in store/common/migrations.cc,
// the only includer.
#pragma once

#include <string_view>

namespace onestop::store::migration_sql {

// v12: one SIP account per staff member; the extension is the SIP user name
// and unique across staff. Only HA1 is kept, never the password.
inline constexpr std::string_view kSipAccountsSqlite = R"SQL(
CREATE TABLE sip_accounts (
  staff_id INTEGER PRIMARY KEY REFERENCES staff(id),
  extension TEXT NOT NULL UNIQUE,
  realm TEXT NOT NULL,
  ha1 TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
)SQL";

inline constexpr std::string_view kSipAccountsPostgres = R"SQL(
CREATE TABLE sip_accounts (
  staff_id BIGINT PRIMARY KEY REFERENCES staff(id),
  extension TEXT NOT NULL UNIQUE,
  realm TEXT NOT NULL,
  ha1 TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);
)SQL";

}  // namespace onestop::store::migration_sql
