// Call recordings and post-call survey answers in the SQL stores (tables
// call_recordings / call_surveys, migration v13 "call recordings and
// post-call surveys", store/common/migrations_telephony.h): the writes
// SqlWriteTxn forwards to and the reads both stores share. Templates over the
// backend's Db, like sql_sip_accounts.h; the SQL is the dialect SQLite and
// PostgreSQL share (INSERT ... RETURNING id). A contact_id of 0 is stored as
// NULL and read back as 0.
//
// Stateless; the caller owns the connection for the call.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "domain/call_recording.h"

namespace onestop::store::sql_call_recordings {

inline constexpr const char* kSelectRecording =
    "SELECT id, interaction_id, contact_id, queue, path, started_at, duration_ms, paused_ms, "
    "pauses, bytes, delete_after FROM call_recordings ";
inline constexpr const char* kSelectSurvey =
    "SELECT id, interaction_id, contact_id, queue, agent_id, score, answered_at FROM call_surveys ";

inline std::optional<int64_t> NullIfZero(int64_t id) {
  return id == 0 ? std::nullopt : std::optional<int64_t>(id);
}

template <typename S>
domain::CallRecording ReadRecording(const S& stmt) {
  domain::CallRecording r;
  r.id = stmt.Int(0);
  r.interaction_id = stmt.Int(1);
  r.contact_id = stmt.OptInt(2).value_or(0);
  r.queue = stmt.Text(3);
  r.path = stmt.Text(4);
  r.started_at = stmt.Time(5);
  r.duration_ms = stmt.Int(6);
  r.paused_ms = stmt.Int(7);
  r.pauses = static_cast<int>(stmt.Int(8));
  r.bytes = stmt.Int(9);
  r.delete_after = stmt.Time(10);
  return r;
}

template <typename S>
domain::CallSurvey ReadSurvey(const S& stmt) {
  domain::CallSurvey s;
  s.id = stmt.Int(0);
  s.interaction_id = stmt.Int(1);
  s.contact_id = stmt.OptInt(2).value_or(0);
  s.queue = stmt.Text(3);
  s.agent_id = stmt.Int(4);
  s.score = static_cast<int>(stmt.Int(5));
  s.answered_at = stmt.Time(6);
  return s;
}

template <typename S>
absl::StatusOr<int64_t> ReturnedId(S& stmt) {
  ONESTOP_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return absl::InternalError("INSERT ... RETURNING returned no row");
  return stmt.Int(0);
}

// AlreadyExists for a path already stored; NotFound for an unknown contact.
template <typename Db>
absl::StatusOr<int64_t> InsertRecording(Db& db, const domain::CallRecording& r) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt,
      db.Prepare("INSERT INTO call_recordings (interaction_id, contact_id, queue, path, started_at, "
                 "duration_ms, paused_ms, pauses, bytes, delete_after) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
  stmt.Bind(r.interaction_id)
      .Bind(NullIfZero(r.contact_id))
      .Bind(r.queue)
      .Bind(r.path)
      .Bind(r.started_at)
      .Bind(r.duration_ms)
      .Bind(r.paused_ms)
      .Bind(r.pauses)
      .Bind(r.bytes)
      .Bind(r.delete_after);
  absl::StatusOr<int64_t> id = ReturnedId(stmt);
  if (id.status().code() == absl::StatusCode::kAlreadyExists) {
    return absl::AlreadyExistsError(absl::StrCat("recording ", r.path, " is already stored"));
  }
  if (id.status().code() == absl::StatusCode::kFailedPrecondition) {
    return absl::NotFoundError(absl::StrCat("contact ", r.contact_id, " not found"));
  }
  return id;
}

template <typename Db>
absl::Status DeleteRecording(Db& db, int64_t id) {
  ONESTOP_ASSIGN_OR_RETURN(auto stmt, db.Prepare("DELETE FROM call_recordings WHERE id = ?"));
  ONESTOP_RETURN_IF_ERROR(stmt.Bind(id).Run());
  if (db.Changes() == 0) return absl::NotFoundError(absl::StrCat("recording ", id, " not found"));
  return absl::OkStatus();
}

// AlreadyExists for a second answer to one interaction; NotFound for an
// unknown contact.
template <typename Db>
absl::StatusOr<int64_t> InsertSurvey(Db& db, const domain::CallSurvey& s) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt,
      db.Prepare("INSERT INTO call_surveys (interaction_id, contact_id, queue, agent_id, score, "
                 "answered_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id"));
  stmt.Bind(s.interaction_id)
      .Bind(NullIfZero(s.contact_id))
      .Bind(s.queue)
      .Bind(s.agent_id)
      .Bind(s.score)
      .Bind(s.answered_at);
  absl::StatusOr<int64_t> id = ReturnedId(stmt);
  if (id.status().code() == absl::StatusCode::kAlreadyExists) {
    return absl::AlreadyExistsError(
        absl::StrCat("interaction ", s.interaction_id, " already has a survey answer"));
  }
  if (id.status().code() == absl::StatusCode::kFailedPrecondition) {
    return absl::NotFoundError(absl::StrCat("contact ", s.contact_id, " not found"));
  }
  return id;
}

// The newest recording of `contact_id`, if any.
template <typename Db>
absl::StatusOr<std::optional<domain::CallRecording>> GetForContact(Db& db, int64_t contact_id) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt,
      db.Prepare(absl::StrCat(kSelectRecording, "WHERE contact_id = ? ORDER BY id DESC LIMIT 1")));
  stmt.Bind(contact_id);
  ONESTOP_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return std::nullopt;
  return ReadRecording(stmt);
}

// At most `limit` recordings with delete_after <= now, the oldest first.
template <typename Db>
absl::StatusOr<std::vector<domain::CallRecording>> ListExpired(Db& db, absl::Time now, int limit) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare(absl::StrCat(kSelectRecording,
                                         "WHERE delete_after <= ? ORDER BY delete_after, id LIMIT ?")));
  stmt.Bind(now).Bind(limit);
  std::vector<domain::CallRecording> out;
  while (true) {
    ONESTOP_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    out.push_back(ReadRecording(stmt));
  }
  return out;
}

// The newest survey answer on `contact_id`, if any.
template <typename Db>
absl::StatusOr<std::optional<domain::CallSurvey>> GetSurveyForContact(Db& db, int64_t contact_id) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt,
      db.Prepare(absl::StrCat(kSelectSurvey, "WHERE contact_id = ? ORDER BY id DESC LIMIT 1")));
  stmt.Bind(contact_id);
  ONESTOP_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return std::nullopt;
  return ReadSurvey(stmt);
}

}  // namespace onestop::store::sql_call_recordings
