// Inbound mail in the SQL stores (table mail_messages, migration v15
// "inbound mail", store/common/migrations_mail.h): the writes SqlWriteTxn
// forwards to and the reads both stores share. Templates over the backend's
// Db, like sql_call_recordings.h. The raw bytes are kept as base64 text
// (a message may carry any charset, or NULs, which a PostgreSQL TEXT in
// UTF-8 cannot).
//
// Stateless; the caller owns the connection for the call.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "domain/mail.h"

namespace onestop::store::sql_mail {

inline constexpr const char* kSelect =
    "SELECT id, mailbox, message_id, from_address, subject, received_at, raw_base64, state, outcome, "
    "case_id, citizen_id, contact_id, interaction_id, filed_at FROM mail_messages ";

template <typename S>
absl::StatusOr<domain::MailMessage> Read(const S& stmt) {
  domain::MailMessage m;
  m.id = stmt.Int(0);
  m.mailbox = stmt.Text(1);
  m.message_id = stmt.Text(2);
  m.from_address = stmt.Text(3);
  m.subject = stmt.Text(4);
  m.received_at = stmt.Time(5);
  if (!absl::Base64Unescape(stmt.Text(6), &m.raw)) {
    return absl::DataLossError(absl::StrCat("mail message ", m.id, ": raw bytes are not base64"));
  }
  m.state = domain::ParseMailState(stmt.Text(7)).value_or(domain::MailState::kNew);
  m.outcome = stmt.Text(8);
  m.case_id = stmt.OptInt(9);
  m.citizen_id = stmt.OptInt(10);
  m.contact_id = stmt.OptInt(11);
  m.interaction_id = stmt.OptInt(12);
  m.filed_at = stmt.OptTime(13);
  return m;
}

template <typename S>
absl::StatusOr<std::vector<domain::MailMessage>> ReadAll(S& stmt) {
  std::vector<domain::MailMessage> out;
  while (true) {
    ONESTOP_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    ONESTOP_ASSIGN_OR_RETURN(domain::MailMessage m, Read(stmt));
    out.push_back(std::move(m));
  }
  return out;
}

template <typename Db>
absl::StatusOr<int64_t> Insert(Db& db, const domain::MailMessage& m) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt,
      db.Prepare("INSERT INTO mail_messages (mailbox, message_id, from_address, subject, received_at, "
                 "raw_base64, state, outcome, case_id, citizen_id, contact_id, interaction_id, filed_at) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
  stmt.Bind(m.mailbox)
      .Bind(m.message_id)
      .Bind(m.from_address)
      .Bind(m.subject)
      .Bind(m.received_at)
      .Bind(absl::Base64Escape(m.raw))
      .Bind(domain::MailStateName(m.state))
      .Bind(m.outcome)
      .Bind(m.case_id)
      .Bind(m.citizen_id)
      .Bind(m.contact_id)
      .Bind(m.interaction_id)
      .Bind(m.filed_at);
  ONESTOP_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return absl::InternalError("INSERT ... RETURNING returned no row");
  return stmt.Int(0);
}

// What it was filed as (state, outcome, links, filed_at); NotFound for an
// unknown id. The message itself never changes.
template <typename Db>
absl::Status UpdateFiling(Db& db, const domain::MailMessage& m) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("UPDATE mail_messages SET state = ?, outcome = ?, case_id = ?, citizen_id = ?, "
                            "contact_id = ?, interaction_id = ?, filed_at = ? WHERE id = ?"));
  ONESTOP_RETURN_IF_ERROR(stmt.Bind(domain::MailStateName(m.state))
                              .Bind(m.outcome)
                              .Bind(m.case_id)
                              .Bind(m.citizen_id)
                              .Bind(m.contact_id)
                              .Bind(m.interaction_id)
                              .Bind(m.filed_at)
                              .Bind(m.id)
                              .Run());
  if (db.Changes() == 0) return absl::NotFoundError(absl::StrCat("mail message ", m.id, " not found"));
  return absl::OkStatus();
}

template <typename Db>
absl::StatusOr<domain::MailMessage> Get(Db& db, int64_t id) {
  ONESTOP_ASSIGN_OR_RETURN(auto stmt, db.Prepare(absl::StrCat(kSelect, "WHERE id = ?")));
  stmt.Bind(id);
  ONESTOP_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return absl::NotFoundError(absl::StrCat("mail message ", id, " not found"));
  return Read(stmt);
}

// The newest filed message whose Message-ID is one of `message_ids`.
template <typename Db>
absl::StatusOr<std::optional<domain::MailMessage>> FindFiledByMessageIds(Db& db,
                                                                         const std::vector<std::string>& ids) {
  std::optional<domain::MailMessage> best;
  for (const std::string& message_id : ids) {
    if (message_id.empty()) continue;
    ONESTOP_ASSIGN_OR_RETURN(
        auto stmt,
        db.Prepare(absl::StrCat(kSelect, "WHERE message_id = ? AND state = 'filed' ORDER BY id DESC LIMIT 1")));
    stmt.Bind(message_id);
    ONESTOP_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) continue;
    ONESTOP_ASSIGN_OR_RETURN(domain::MailMessage m, Read(stmt));
    if (!best || m.id > best->id) best = std::move(m);
  }
  return best;
}

// The messages filed on a case, oldest first.
template <typename Db>
absl::StatusOr<std::vector<domain::MailMessage>> ListForCase(Db& db, int64_t case_id) {
  ONESTOP_ASSIGN_OR_RETURN(auto stmt, db.Prepare(absl::StrCat(kSelect, "WHERE case_id = ? ORDER BY id")));
  stmt.Bind(case_id);
  return ReadAll(stmt);
}

// At most `limit` messages in `state` with an id above `after_id`, oldest first.
template <typename Db>
absl::StatusOr<std::vector<domain::MailMessage>> List(Db& db, domain::MailState state, int64_t after_id, int limit) {
  ONESTOP_ASSIGN_OR_RETURN(auto stmt,
                           db.Prepare(absl::StrCat(kSelect, "WHERE state = ? AND id > ? ORDER BY id LIMIT ?")));
  stmt.Bind(domain::MailStateName(state)).Bind(after_id).Bind(limit);
  return ReadAll(stmt);
}

}  // namespace onestop::store::sql_mail
