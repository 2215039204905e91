// Staff SIP accounts in the SQL stores (table sip_accounts, migration v12
// "staff SIP accounts"; and their phones' registrations, sip_bindings, v14), store/common/migrations_telephony.h): the writes
// SqlWriteTxn forwards to and the reads both stores share. Templates over the
// backend's Db, like sql_routing.h; the SQL is the dialect SQLite and
// PostgreSQL share (INSERT ... ON CONFLICT ... DO UPDATE).
//
// Stateless; the caller owns the connection for the call.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "domain/sip_account.h"

namespace onestop::store::sql_sip_accounts {

inline constexpr const char* kSelect =
    "SELECT staff_id, extension, realm, ha1, updated_at FROM sip_accounts ";

template <typename S>
domain::SipAccount ReadAccount(const S& stmt) {
  domain::SipAccount a;
  a.staff_id = stmt.Int(0);
  a.extension = stmt.Text(1);
  a.realm = stmt.Text(2);
  a.ha1 = stmt.Text(3);
  a.updated_at = stmt.Time(4);
  return a;
}

// Insert or replace by staff_id. One statement, so the uniqueness of the
// extension is checked by the database against every other staff member:
// the unique index answers AlreadyExists, the foreign key to staff
// FailedPrecondition (reported as NotFound).
template <typename Db>
absl::Status Put(Db& db, const domain::SipAccount& a) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt,
      db.Prepare("INSERT INTO sip_accounts (staff_id, extension, realm, ha1, updated_at) "
                 "VALUES (?, ?, ?, ?, ?) ON CONFLICT (staff_id) DO UPDATE SET "
                 "extension = excluded.extension, realm = excluded.realm, ha1 = excluded.ha1, "
                 "updated_at = excluded.updated_at"));
  absl::Status status =
      stmt.Bind(a.staff_id).Bind(a.extension).Bind(a.realm).Bind(a.ha1).Bind(a.updated_at).Run();
  if (status.code() == absl::StatusCode::kAlreadyExists) {
    return absl::AlreadyExistsError(
        absl::StrCat("extension ", a.extension, " belongs to another staff member"));
  }
  if (status.code() == absl::StatusCode::kFailedPrecondition) {
    return absl::NotFoundError(absl::StrCat("staff user ", a.staff_id, " not found"));
  }
  return status;
}

template <typename Db>
absl::Status Delete(Db& db, int64_t staff_id) {
  ONESTOP_ASSIGN_OR_RETURN(auto stmt, db.Prepare("DELETE FROM sip_accounts WHERE staff_id = ?"));
  ONESTOP_RETURN_IF_ERROR(stmt.Bind(staff_id).Run());
  if (db.Changes() == 0) {
    return absl::NotFoundError(absl::StrCat("staff user ", staff_id, " has no SIP account"));
  }
  return absl::OkStatus();
}

template <typename Db>
absl::StatusOr<domain::SipAccount> Get(Db& db, int64_t staff_id) {
  ONESTOP_ASSIGN_OR_RETURN(auto stmt, db.Prepare(absl::StrCat(kSelect, "WHERE staff_id = ?")));
  stmt.Bind(staff_id);
  ONESTOP_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found)
    return absl::NotFoundError(absl::StrCat("staff user ", staff_id, " has no SIP account"));
  return ReadAccount(stmt);
}

template <typename Db>
absl::StatusOr<domain::SipAccount> GetByExtension(Db& db, const std::string& extension) {
  ONESTOP_ASSIGN_OR_RETURN(auto stmt, db.Prepare(absl::StrCat(kSelect, "WHERE extension = ?")));
  stmt.Bind(extension);
  ONESTOP_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return absl::NotFoundError(absl::StrCat("no SIP account for extension ", extension));
  return ReadAccount(stmt);
}

template <typename Db>
absl::StatusOr<std::vector<domain::SipAccount>> List(Db& db) {
  ONESTOP_ASSIGN_OR_RETURN(auto stmt, db.Prepare(absl::StrCat(kSelect, "ORDER BY extension")));
  std::vector<domain::SipAccount> out;
  while (true) {
    ONESTOP_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    out.push_back(ReadAccount(stmt));
  }
  return out;
}

// Phone registrations (table sip_bindings, migration v14).
inline constexpr const char* kSelectBinding =
    "SELECT extension, staff_id, contact, expires_at, node, updated_at FROM sip_bindings ";

template <typename S>
domain::SipBinding ReadBinding(const S& stmt) {
  domain::SipBinding b;
  b.extension = stmt.Text(0);
  b.staff_id = stmt.Int(1);
  b.contact = stmt.Text(2);
  b.expires_at = stmt.Time(3);
  b.node = stmt.Text(4);
  b.updated_at = stmt.Time(5);
  return b;
}

template <typename Db>
absl::Status PutBinding(Db& db, const domain::SipBinding& b) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt,
      db.Prepare("INSERT INTO sip_bindings (extension, staff_id, contact, expires_at, node, updated_at) "
                 "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (extension) DO UPDATE SET "
                 "staff_id = excluded.staff_id, contact = excluded.contact, "
                 "expires_at = excluded.expires_at, node = excluded.node, "
                 "updated_at = excluded.updated_at"));
  return stmt.Bind(b.extension)
      .Bind(b.staff_id)
      .Bind(b.contact)
      .Bind(b.expires_at)
      .Bind(b.node)
      .Bind(b.updated_at)
      .Run();
}

template <typename Db>
absl::Status DeleteBinding(Db& db, const std::string& extension) {
  ONESTOP_ASSIGN_OR_RETURN(auto stmt, db.Prepare("DELETE FROM sip_bindings WHERE extension = ?"));
  return stmt.Bind(extension).Run();
}

template <typename Db>
absl::StatusOr<std::vector<domain::SipBinding>> ListBindings(Db& db, absl::Time now) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare(absl::StrCat(kSelectBinding, "WHERE expires_at > ? ORDER BY extension")));
  stmt.Bind(now);
  std::vector<domain::SipBinding> out;
  while (true) {
    ONESTOP_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    out.push_back(ReadBinding(stmt));
  }
  return out;
}

}  // namespace onestop::store::sql_sip_accounts
