// The outbox in the SQL stores (table outbox_messages, migration v16
// "outbox", store/common/migrations_outbox.h): the writes SqlWriteTxn
// forwards to and the reads both stores share. Templates over the backend's
// Db, like sql_mail.h.
//
// Claiming: a sender takes a due message by moving its next_attempt_at past
// the time it needs to send it (a lease) and counting the attempt, with a
// conditional UPDATE; of two senders only the one whose UPDATE changed the
// row sends it. A sender that dies mid-send leaves the message to be taken
// again when the lease runs out.
//
// Stateless; the caller owns the connection for the call.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "domain/outbox.h"
#include "store/common/json_columns.h"

namespace onestop::store::sql_outbox {

inline constexpr const char* kSelect =
    "SELECT id, channel, recipient, sender, template_code, language, params_json, automatic, message_id, in_reply_to, "
    "references_json, case_id, citizen_id, staff_id, state, attempts, created_at, next_attempt_at, sent_at, "
    "delivered_at, last_error, provider_id FROM outbox_messages ";

template <typename S>
absl::StatusOr<domain::OutboxMessage> Read(const S& stmt) {
  domain::OutboxMessage m;
  m.id = stmt.Int(0);
  std::optional<domain::OutboxChannel> channel = domain::ParseOutboxChannel(stmt.Text(1));
  if (!channel) return absl::DataLossError(absl::StrCat("outbox message ", m.id, ": unknown channel"));
  m.channel = *channel;
  m.recipient = stmt.Text(2);
  m.sender = stmt.Text(3);
  m.template_code = stmt.Text(4);
  m.language = stmt.Text(5);
  ONESTOP_ASSIGN_OR_RETURN(m.params, DecodeParams(stmt.Text(6)));
  m.automatic = stmt.Int(7) != 0;
  m.message_id = stmt.Text(8);
  m.in_reply_to = stmt.Text(9);
  ONESTOP_ASSIGN_OR_RETURN(m.references, DecodeStrings(stmt.Text(10)));
  m.case_id = stmt.OptInt(11);
  m.citizen_id = stmt.OptInt(12);
  m.staff_id = stmt.OptInt(13);
  std::optional<domain::OutboxState> state = domain::ParseOutboxState(stmt.Text(14));
  if (!state) return absl::DataLossError(absl::StrCat("outbox message ", m.id, ": unknown state"));
  m.state = *state;
  m.attempts = static_cast<int>(stmt.Int(15));
  m.created_at = stmt.Time(16);
  m.next_attempt_at = stmt.Time(17);
  m.sent_at = stmt.OptTime(18);
  m.delivered_at = stmt.OptTime(19);
  m.last_error = stmt.Text(20);
  m.provider_id = stmt.Text(21);
  return m;
}

template <typename S>
absl::StatusOr<std::vector<domain::OutboxMessage>> ReadAll(S& stmt) {
  std::vector<domain::OutboxMessage> out;
  while (true) {
    ONESTOP_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    ONESTOP_ASSIGN_OR_RETURN(domain::OutboxMessage m, Read(stmt));
    out.push_back(std::move(m));
  }
  return out;
}

template <typename Db>
absl::StatusOr<int64_t> Insert(Db& db, const domain::OutboxMessage& m) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt,
      db.Prepare("INSERT INTO outbox_messages (channel, recipient, sender, template_code, language, params_json, automatic, "
                 "message_id, in_reply_to, references_json, case_id, citizen_id, staff_id, state, attempts, "
                 "created_at, next_attempt_at, sent_at, delivered_at, last_error, provider_id) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
  stmt.Bind(domain::OutboxChannelName(m.channel))
      .Bind(m.recipient)
      .Bind(m.sender)
      .Bind(m.template_code)
      .Bind(m.language)
      .Bind(EncodeParams(m.params))
      .Bind(m.automatic)
      .Bind(m.message_id)
      .Bind(m.in_reply_to)
      .Bind(EncodeStrings(m.references))
      .Bind(m.case_id)
      .Bind(m.citizen_id)
      .Bind(m.staff_id)
      .Bind(domain::OutboxStateName(m.state))
      .Bind(m.attempts)
      .Bind(m.created_at)
      .Bind(m.next_attempt_at)
      .Bind(m.sent_at)
      .Bind(m.delivered_at)
      .Bind(m.last_error)
      .Bind(m.provider_id);
  ONESTOP_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return absl::InternalError("INSERT ... RETURNING returned no row");
  return stmt.Int(0);
}

// The sender's record of an attempt: state, attempts, next attempt, times,
// error, provider id. NotFound for an unknown id.
template <typename Db>
absl::Status UpdateDelivery(Db& db, const domain::OutboxMessage& m) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("UPDATE outbox_messages SET state = ?, attempts = ?, next_attempt_at = ?, sent_at = ?, "
                            "delivered_at = ?, last_error = ?, provider_id = ? WHERE id = ?"));
  ONESTOP_RETURN_IF_ERROR(stmt.Bind(domain::OutboxStateName(m.state))
                              .Bind(m.attempts)
                              .Bind(m.next_attempt_at)
                              .Bind(m.sent_at)
                              .Bind(m.delivered_at)
                              .Bind(m.last_error)
                              .Bind(m.provider_id)
                              .Bind(m.id)
                              .Run());
  if (db.Changes() == 0) return absl::NotFoundError(absl::StrCat("outbox message ", m.id, " not found"));
  return absl::OkStatus();
}

// Takes message `id` for sending if it is still queued and due at `now`:
// counts the attempt and moves its next attempt to `lease_until`. false when
// another sender took it first (or it is no longer due).
template <typename Db>
absl::StatusOr<bool> Claim(Db& db, int64_t id, absl::Time now, absl::Time lease_until) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("UPDATE outbox_messages SET attempts = attempts + 1, next_attempt_at = ? "
                            "WHERE id = ? AND state = 'queued' AND next_attempt_at <= ?"));
  ONESTOP_RETURN_IF_ERROR(stmt.Bind(lease_until).Bind(id).Bind(now).Run());
  return db.Changes() > 0;
}

template <typename Db>
absl::StatusOr<domain::OutboxMessage> Get(Db& db, int64_t id) {
  ONESTOP_ASSIGN_OR_RETURN(auto stmt, db.Prepare(absl::StrCat(kSelect, "WHERE id = ?")));
  stmt.Bind(id);
  ONESTOP_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return absl::NotFoundError(absl::StrCat("outbox message ", id, " not found"));
  return Read(stmt);
}

// Queued messages due at `now`, oldest due first.
template <typename Db>
absl::StatusOr<std::vector<domain::OutboxMessage>> ListDue(Db& db, absl::Time now, int limit) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare(absl::StrCat(kSelect, "WHERE state = 'queued' AND next_attempt_at <= ? "
                                                  "ORDER BY next_attempt_at, id LIMIT ?")));
  stmt.Bind(now).Bind(limit);
  return ReadAll(stmt);
}

// A case's messages, oldest first.
template <typename Db>
absl::StatusOr<std::vector<domain::OutboxMessage>> ListForCase(Db& db, int64_t case_id) {
  ONESTOP_ASSIGN_OR_RETURN(auto stmt, db.Prepare(absl::StrCat(kSelect, "WHERE case_id = ? ORDER BY id")));
  stmt.Bind(case_id);
  return ReadAll(stmt);
}

// The newest message whose Message-ID is one of `ids` (a resident's reply
// to something we sent).
template <typename Db>
absl::StatusOr<std::optional<domain::OutboxMessage>> FindByMessageIds(Db& db, const std::vector<std::string>& ids) {
  std::optional<domain::OutboxMessage> best;
  for (const std::string& message_id : ids) {
    if (message_id.empty()) continue;
    ONESTOP_ASSIGN_OR_RETURN(auto stmt,
                             db.Prepare(absl::StrCat(kSelect, "WHERE message_id = ? ORDER BY id DESC LIMIT 1")));
    stmt.Bind(message_id);
    ONESTOP_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) continue;
    ONESTOP_ASSIGN_OR_RETURN(domain::OutboxMessage m, Read(stmt));
    if (!best || m.id > best->id) best = std::move(m);
  }
  return best;
}

// The message a provider knows as `provider_id` (a delivery receipt's).
template <typename Db>
absl::StatusOr<std::optional<domain::OutboxMessage>> FindByProviderId(Db& db, const std::string& provider_id) {
  if (provider_id.empty()) return std::optional<domain::OutboxMessage>();
  ONESTOP_ASSIGN_OR_RETURN(auto stmt, db.Prepare(absl::StrCat(kSelect, "WHERE provider_id = ? LIMIT 1")));
  stmt.Bind(provider_id);
  ONESTOP_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return std::optional<domain::OutboxMessage>();
  ONESTOP_ASSIGN_OR_RETURN(domain::OutboxMessage m, Read(stmt));
  return std::optional<domain::OutboxMessage>(std::move(m));
}

// Automatic messages queued to `recipient` since `since` (the rate limits).
template <typename Db>
absl::StatusOr<int64_t> CountAutomaticSince(Db& db, const std::string& recipient, absl::Time since) {
  ONESTOP_ASSIGN_OR_RETURN(auto stmt, db.Prepare("SELECT COUNT(*) FROM outbox_messages WHERE recipient = ? AND "
                                                 "created_at >= ? AND automatic = 1"));
  stmt.Bind(recipient).Bind(since);
  ONESTOP_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return int64_t{0};
  return stmt.Int(0);
}

// At most `limit` messages with an id above `after_id`, oldest first; only
// those in `state` when given.
template <typename Db>
absl::StatusOr<std::vector<domain::OutboxMessage>> List(Db& db, std::optional<domain::OutboxState> state,
                                                        int64_t after_id, int limit) {
  if (state) {
    ONESTOP_ASSIGN_OR_RETURN(auto stmt,
                             db.Prepare(absl::StrCat(kSelect, "WHERE state = ? AND id > ? ORDER BY id LIMIT ?")));
    stmt.Bind(domain::OutboxStateName(*state)).Bind(after_id).Bind(limit);
    return ReadAll(stmt);
  }
  ONESTOP_ASSIGN_OR_RETURN(auto stmt, db.Prepare(absl::StrCat(kSelect, "WHERE id > ? ORDER BY id LIMIT ?")));
  stmt.Bind(after_id).Bind(limit);
  return ReadAll(stmt);
}

}  // namespace onestop::store::sql_outbox
