// Routing: queues and profiles (v3), leadership of single-node roles (v5),
// supervisors' queue and staff fields (v11).
// The SQL of those schema versions in both dialects; the ordered list is in
// store/common/migrations.cc, the only includer.
#pragma once

#include <string_view>

namespace onestop::store::migration_sql {

// Version 3: routing queue definitions and routing profiles. Lists are kept
// as text, one column each (domain/routing_config.h: "skill:level;...").
inline constexpr std::string_view kRoutingSqlite = R"SQL(
CREATE TABLE routing_queues (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  strategy TEXT NOT NULL,
  skills TEXT NOT NULL,
  steps TEXT NOT NULL,
  priority_weight_seconds INTEGER NOT NULL,
  ring_timeout_seconds INTEGER NOT NULL,
  wrap_up_seconds INTEGER NOT NULL,
  service_level_seconds INTEGER NOT NULL,
  version INTEGER NOT NULL
);

CREATE TABLE routing_profiles (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  team TEXT NOT NULL,
  queues TEXT NOT NULL,
  capacity TEXT NOT NULL,
  version INTEGER NOT NULL
);
)SQL";

inline constexpr std::string_view kRoutingPostgres = R"SQL(
CREATE TABLE routing_queues (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  strategy TEXT NOT NULL,
  skills TEXT NOT NULL,
  steps TEXT NOT NULL,
  priority_weight_seconds INTEGER NOT NULL,
  ring_timeout_seconds INTEGER NOT NULL,
  wrap_up_seconds INTEGER NOT NULL,
  service_level_seconds INTEGER NOT NULL,
  version BIGINT NOT NULL
);

CREATE TABLE routing_profiles (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  team TEXT NOT NULL,
  queues TEXT NOT NULL,
  capacity TEXT NOT NULL,
  version BIGINT NOT NULL
);
)SQL";

// v5: leadership of roles run by one node at a time (the routing engine).
// `epoch` grows by one each time a node takes a role; writes made in the
// role check it in their own transaction (a fencing token), so a node that
// lost the role without noticing cannot write after its successor started.
inline constexpr std::string_view kLeadershipSqlite = R"SQL(
CREATE TABLE leadership (
  role TEXT PRIMARY KEY,
  epoch INTEGER NOT NULL,
  node TEXT NOT NULL,
  since INTEGER NOT NULL
);
)SQL";

inline constexpr std::string_view kLeadershipPostgres = R"SQL(
CREATE TABLE leadership (
  role TEXT PRIMARY KEY,
  epoch BIGINT NOT NULL,
  node TEXT NOT NULL,
  since BIGINT NOT NULL
);
)SQL";

// v11: supervisors (issue 11 §5): a queue's medium, wallboard place and
// red/amber/green targets; a staff member's own routing profile (else the
// team's). Queues named by the case-task convention (services/case_tasks.h,
// "cases-<team>") hold case tasks.
inline constexpr std::string_view kSupervisorsSqlite = R"SQL(
ALTER TABLE routing_queues ADD COLUMN media TEXT NOT NULL DEFAULT 'voice';
ALTER TABLE routing_queues ADD COLUMN wallboard_group TEXT NOT NULL DEFAULT '';
ALTER TABLE routing_queues ADD COLUMN wallboard_order INTEGER NOT NULL DEFAULT 0;
ALTER TABLE routing_queues ADD COLUMN sl_green_pct INTEGER NOT NULL DEFAULT 80;
ALTER TABLE routing_queues ADD COLUMN sl_amber_pct INTEGER NOT NULL DEFAULT 60;
ALTER TABLE routing_queues ADD COLUMN wait_amber_seconds INTEGER NOT NULL DEFAULT 0;
ALTER TABLE routing_queues ADD COLUMN wait_red_seconds INTEGER NOT NULL DEFAULT 0;
UPDATE routing_queues SET media = 'case_task' WHERE code LIKE 'cases-%';
ALTER TABLE staff ADD COLUMN routing_profile TEXT NOT NULL DEFAULT '';
)SQL";

inline constexpr std::string_view kSupervisorsPostgres = R"SQL(
ALTER TABLE routing_queues ADD COLUMN media TEXT NOT NULL DEFAULT 'voice';
ALTER TABLE routing_queues ADD COLUMN wallboard_group TEXT NOT NULL DEFAULT '';
ALTER TABLE routing_queues ADD COLUMN wallboard_order INTEGER NOT NULL DEFAULT 0;
ALTER TABLE routing_queues ADD COLUMN sl_green_pct INTEGER NOT NULL DEFAULT 80;
ALTER TABLE routing_queues ADD COLUMN sl_amber_pct INTEGER NOT NULL DEFAULT 60;
ALTER TABLE routing_queues ADD COLUMN wait_amber_seconds INTEGER NOT NULL DEFAULT 0;
ALTER TABLE routing_queues ADD COLUMN wait_red_seconds INTEGER NOT NULL DEFAULT 0;
UPDATE routing_queues SET media = 'case_task' WHERE code LIKE 'cases-%';
ALTER TABLE staff ADD COLUMN routing_profile TEXT NOT NULL DEFAULT '';
)SQL";

}  // namespace onestop::store::migration_sql
