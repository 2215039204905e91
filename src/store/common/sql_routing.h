// Routing configuration in the SQL stores (tables routing_queues and
// routing_profiles, migration "routing queues and profiles"): the write
// functions SqlWriteTxn forwards to and the reads both stores share.
// Templates over the backend's Db, like sql_reads.h; the SQL is the dialect
// SQLite and PostgreSQL share (INSERT ... ON CONFLICT ... DO UPDATE).
//
// Stateless; the caller owns the connection for the call.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "domain/routing_config.h"

namespace onestop::store::sql_routing {

namespace sql_routing_internal {

// Why a conditional Put changed no row. `table` is a literal from this file.
template <typename Db>
absl::Status VersionMismatch(Db& db, const char* table, const char* noun, const std::string& code,
                             int64_t expected_version) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare(absl::StrCat("SELECT version FROM ", table, " WHERE code = ?")));
  stmt.Bind(code);
  ONESTOP_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (expected_version == 0) {
    return absl::AbortedError(absl::StrCat(noun, " ", code, " already exists"));
  }
  if (!row) {
    return absl::AbortedError(absl::StrCat(noun, " ", code, " does not exist (you had version ",
                                           expected_version, ")"));
  }
  return absl::AbortedError(absl::StrCat(noun, " ", code, " was changed by someone else (version ",
                                         stmt.Int(0), ", you had ", expected_version, ")"));
}

}  // namespace sql_routing_internal

// expected_version: see domain::WriteTxn::PutRoutingQueue. The check is the
// statement's own WHERE / ON CONFLICT, so it is atomic with the write.
template <typename Db>
absl::Status PutQueue(Db& db, const domain::RoutingQueue& q,
                      std::optional<int64_t> expected_version) {
  constexpr const char* kInsert =
      "INSERT INTO routing_queues (code, name, strategy, skills, steps, "
      "priority_weight_seconds, ring_timeout_seconds, wrap_up_seconds, "
      "service_level_seconds, media, wallboard_group, wallboard_order, sl_green_pct, "
      "sl_amber_pct, wait_amber_seconds, wait_red_seconds, version) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) ";
  std::string sql;
  if (!expected_version) {
    sql = absl::StrCat(kInsert,
                       "ON CONFLICT (code) DO UPDATE SET name = excluded.name, "
                       "strategy = excluded.strategy, skills = excluded.skills, steps = excluded.steps, "
                       "priority_weight_seconds = excluded.priority_weight_seconds, "
                       "ring_timeout_seconds = excluded.ring_timeout_seconds, "
                       "wrap_up_seconds = excluded.wrap_up_seconds, "
                       "service_level_seconds = excluded.service_level_seconds, "
                       "media = excluded.media, wallboard_group = excluded.wallboard_group, "
                       "wallboard_order = excluded.wallboard_order, "
                       "sl_green_pct = excluded.sl_green_pct, sl_amber_pct = excluded.sl_amber_pct, "
                       "wait_amber_seconds = excluded.wait_amber_seconds, "
                       "wait_red_seconds = excluded.wait_red_seconds, "
                       "version = routing_queues.version + 1");
  } else if (*expected_version == 0) {
    sql = absl::StrCat(kInsert, "ON CONFLICT (code) DO NOTHING");
  } else {
    sql = "UPDATE routing_queues SET name = ?, strategy = ?, skills = ?, steps = ?, "
          "priority_weight_seconds = ?, ring_timeout_seconds = ?, wrap_up_seconds = ?, "
          "service_level_seconds = ?, media = ?, wallboard_group = ?, wallboard_order = ?, "
          "sl_green_pct = ?, sl_amber_pct = ?, wait_amber_seconds = ?, wait_red_seconds = ?, "
          "version = version + 1 WHERE code = ? AND version = ?";
  }
  ONESTOP_ASSIGN_OR_RETURN(auto stmt, db.Prepare(sql));
  const bool update = expected_version && *expected_version > 0;
  if (!update) stmt.Bind(q.code);
  stmt.Bind(q.name)
      .Bind(q.strategy)
      .Bind(domain::FormatSkillRules(q.skills))
      .Bind(domain::FormatStepRules(q.steps))
      .Bind(q.priority_weight_seconds)
      .Bind(q.ring_timeout_seconds)
      .Bind(q.wrap_up_seconds)
      .Bind(q.service_level_seconds)
      .Bind(q.media)
      .Bind(q.wallboard_group)
      .Bind(q.wallboard_order)
      .Bind(q.sl_green_pct)
      .Bind(q.sl_amber_pct)
      .Bind(q.wait_amber_seconds)
      .Bind(q.wait_red_seconds);
  if (update) stmt.Bind(q.code).Bind(*expected_version);
  ONESTOP_RETURN_IF_ERROR(stmt.Run());
  if (expected_version && db.Changes() == 0) {
    return sql_routing_internal::VersionMismatch(db, "routing_queues", "routing queue", q.code,
                                                 *expected_version);
  }
  return absl::OkStatus();
}

// expected_version: as PutQueue.
template <typename Db>
absl::Status PutProfile(Db& db, const domain::RoutingProfile& p,
                        std::optional<int64_t> expected_version) {
  constexpr const char* kInsert =
      "INSERT INTO routing_profiles (code, name, team, queues, capacity, version) "
      "VALUES (?, ?, ?, ?, ?, 1) ";
  std::string sql;
  if (!expected_version) {
    sql = absl::StrCat(kInsert,
                       "ON CONFLICT (code) DO UPDATE SET "
                       "name = excluded.name, team = excluded.team, queues = excluded.queues, "
                       "capacity = excluded.capacity, version = routing_profiles.version + 1");
  } else if (*expected_version == 0) {
    sql = absl::StrCat(kInsert, "ON CONFLICT (code) DO NOTHING");
  } else {
    sql = "UPDATE routing_profiles SET name = ?, team = ?, queues = ?, capacity = ?, "
          "version = version + 1 WHERE code = ? AND version = ?";
  }
  ONESTOP_ASSIGN_OR_RETURN(auto stmt, db.Prepare(sql));
  const bool update = expected_version && *expected_version > 0;
  if (!update) stmt.Bind(p.code);
  stmt.Bind(p.name)
      .Bind(p.team)
      .Bind(domain::FormatProfileQueues(p.queues))
      .Bind(domain::FormatCapacity(p.capacity));
  if (update) stmt.Bind(p.code).Bind(*expected_version);
  ONESTOP_RETURN_IF_ERROR(stmt.Run());
  if (expected_version && db.Changes() == 0) {
    return sql_routing_internal::VersionMismatch(db, "routing_profiles", "routing profile", p.code,
                                                 *expected_version);
  }
  return absl::OkStatus();
}

// `table` is a literal from this file, never user input.
template <typename Db>
absl::Status Delete(Db& db, const char* table, const char* noun, const std::string& code) {
  ONESTOP_ASSIGN_OR_RETURN(auto stmt,
                           db.Prepare(absl::StrCat("DELETE FROM ", table, " WHERE code = ?")));
  ONESTOP_RETURN_IF_ERROR(stmt.Bind(code).Run());
  if (db.Changes() == 0) return absl::NotFoundError(absl::StrCat(noun, " ", code, " not found"));
  return absl::OkStatus();
}

template <typename Db>
absl::StatusOr<std::vector<domain::RoutingQueue>> ListQueues(Db& db) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("SELECT code, name, strategy, skills, steps, priority_weight_seconds, "
                            "ring_timeout_seconds, wrap_up_seconds, service_level_seconds, "
                            "version, media, wallboard_group, wallboard_order, sl_green_pct, "
                            "sl_amber_pct, wait_amber_seconds, wait_red_seconds "
                            "FROM routing_queues ORDER BY code"));
  std::vector<domain::RoutingQueue> out;
  while (true) {
    ONESTOP_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    domain::RoutingQueue q;
    q.code = stmt.Text(0);
    q.name = stmt.Text(1);
    q.strategy = stmt.Text(2);
    q.skills = domain::ParseSkillRules(stmt.Text(3));
    q.steps = domain::ParseStepRules(stmt.Text(4));
    q.priority_weight_seconds = static_cast<int>(stmt.Int(5));
    q.ring_timeout_seconds = static_cast<int>(stmt.Int(6));
    q.wrap_up_seconds = static_cast<int>(stmt.Int(7));
    q.service_level_seconds = static_cast<int>(stmt.Int(8));
    q.version = stmt.Int(9);
    q.media = stmt.Text(10);
    q.wallboard_group = stmt.Text(11);
    q.wallboard_order = static_cast<int>(stmt.Int(12));
    q.sl_green_pct = static_cast<int>(stmt.Int(13));
    q.sl_amber_pct = static_cast<int>(stmt.Int(14));
    q.wait_amber_seconds = static_cast<int>(stmt.Int(15));
    q.wait_red_seconds = static_cast<int>(stmt.Int(16));
    out.push_back(std::move(q));
  }
  return out;
}

template <typename Db>
absl::StatusOr<std::vector<domain::RoutingProfile>> ListProfiles(Db& db) {
  ONESTOP_ASSIGN_OR_RETURN(auto stmt,
                           db.Prepare("SELECT code, name, team, queues, capacity, version "
                                      "FROM routing_profiles ORDER BY code"));
  std::vector<domain::RoutingProfile> out;
  while (true) {
    ONESTOP_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    domain::RoutingProfile p;
    p.code = stmt.Text(0);
    p.name = stmt.Text(1);
    p.team = stmt.Text(2);
    p.queues = domain::ParseProfileQueues(stmt.Text(3));
    p.capacity = domain::ParseCapacity(stmt.Text(4));
    p.version = stmt.Int(5);
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace onestop::store::sql_routing
