// Cases, residents and contacts since v1: time-range indexes (v6),
// duplicates (v8), resident flags (v9), one contact per routed interaction (v10).
// The SQL of those schema versions in both dialects; the ordered list is in
// store/common/migrations.cc, the only includer.
#pragma once

#include <string_view>

namespace onestop::store::migration_sql {

// v6: time ranges on the event log (EventQuery::from/to: the routing
// statistics, Open311 servicerequestupdates) and on case creation
// (CaseQuery::created_from/to: Open311 GET requests). ListEvents and
// ListCases read the first seq / id of a range from these indexes alone
// (sql_reads.h): SQLite keeps the rowid in every index entry, PostgreSQL
// needs INCLUDE.
inline constexpr std::string_view kTimeRangesSqlite = R"SQL(
CREATE INDEX events_entity_at ON events(entity, at);
CREATE INDEX cases_created_at ON cases(created_at);
)SQL";

inline constexpr std::string_view kTimeRangesPostgres = R"SQL(
CREATE INDEX events_entity_at ON events(entity, at) INCLUDE (seq);
CREATE INDEX cases_created_at ON cases(created_at) INCLUDE (id);
)SQL";

// v8: duplicates (issue 11 §4). A service's duplicate rule (Service::
// duplicates), the original a duplicate case points to (no foreign key: the
// original may have a higher id, and export/import copies cases in id
// order; the use case checks it exists), the indexes the duplicate check
// reads, and the residents following a case that is not their own.
inline constexpr std::string_view kDuplicatesSqlite = R"SQL(
ALTER TABLE services ADD COLUMN duplicate_nearby INTEGER NOT NULL DEFAULT 0;
ALTER TABLE services ADD COLUMN duplicate_radius_m INTEGER NOT NULL DEFAULT 50;
ALTER TABLE services ADD COLUMN duplicate_days INTEGER NOT NULL DEFAULT 30;
ALTER TABLE cases ADD COLUMN duplicate_of INTEGER;

-- Store::FindDuplicateCandidates (domain/duplicates.h): the same resident's
-- open cases of a service, and a service's cases in a latitude band (the
-- longitude, age and status filtered from the same index entries), at one
-- UPRN, or in one postcode. Cases marked duplicates point to their original.
CREATE INDEX cases_dup_citizen ON cases(citizen_id, service_code, status);
CREATE INDEX cases_dup_lat ON cases(service_code, location_lat, location_lng, created_at, status);
CREATE INDEX cases_dup_uprn ON cases(service_code, location_uprn, created_at);
CREATE INDEX cases_dup_postcode ON cases(service_code, location_postcode, created_at);
CREATE INDEX cases_duplicate_of ON cases(duplicate_of, id);

CREATE TABLE case_followers (
  case_id INTEGER NOT NULL REFERENCES cases(id),
  citizen_id INTEGER NOT NULL REFERENCES citizens(id),
  via_case_id INTEGER,
  channel TEXT NOT NULL,
  added_at INTEGER NOT NULL,
  added_by INTEGER NOT NULL,
  PRIMARY KEY (case_id, citizen_id)
);
CREATE INDEX case_followers_citizen ON case_followers(citizen_id, case_id);
)SQL";

inline constexpr std::string_view kDuplicatesPostgres = R"SQL(
ALTER TABLE services ADD COLUMN duplicate_nearby BIGINT NOT NULL DEFAULT 0;
ALTER TABLE services ADD COLUMN duplicate_radius_m BIGINT NOT NULL DEFAULT 50;
ALTER TABLE services ADD COLUMN duplicate_days BIGINT NOT NULL DEFAULT 30;
ALTER TABLE cases ADD COLUMN duplicate_of BIGINT;

-- Store::FindDuplicateCandidates (domain/duplicates.h): the same resident's
-- open cases of a service, and a service's cases in a latitude band (the
-- longitude, age and status filtered from the same index entries), at one
-- UPRN, or in one postcode. Cases marked duplicates point to their original.
CREATE INDEX cases_dup_citizen ON cases(citizen_id, service_code, status);
CREATE INDEX cases_dup_lat ON cases(service_code, location_lat, location_lng, created_at, status);
CREATE INDEX cases_dup_uprn ON cases(service_code, location_uprn, created_at);
CREATE INDEX cases_dup_postcode ON cases(service_code, location_postcode, created_at);
CREATE INDEX cases_duplicate_of ON cases(duplicate_of, id);

CREATE TABLE case_followers (
  case_id BIGINT NOT NULL REFERENCES cases(id),
  citizen_id BIGINT NOT NULL REFERENCES citizens(id),
  via_case_id BIGINT,
  channel TEXT NOT NULL,
  added_at BIGINT NOT NULL,
  added_by BIGINT NOT NULL,
  PRIMARY KEY (case_id, citizen_id)
);
CREATE INDEX case_followers_citizen ON case_followers(citizen_id, case_id);
)SQL";

// v9: the resident's flags shown at the top of the single view
// (domain::CitizenFlags): vulnerability with a note, interpreter needed with
// the language, and an email address that bounces.
inline constexpr std::string_view kCitizenFlagsSqlite = R"SQL(
ALTER TABLE citizens ADD COLUMN flag_vulnerable INTEGER NOT NULL DEFAULT 0;
ALTER TABLE citizens ADD COLUMN flag_vulnerability_note TEXT NOT NULL DEFAULT '';
ALTER TABLE citizens ADD COLUMN flag_interpreter_needed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE citizens ADD COLUMN flag_interpreter_language TEXT NOT NULL DEFAULT '';
ALTER TABLE citizens ADD COLUMN flag_email_undeliverable INTEGER NOT NULL DEFAULT 0;
)SQL";

inline constexpr std::string_view kCitizenFlagsPostgres = R"SQL(
ALTER TABLE citizens ADD COLUMN flag_vulnerable BIGINT NOT NULL DEFAULT 0;
ALTER TABLE citizens ADD COLUMN flag_vulnerability_note TEXT NOT NULL DEFAULT '';
ALTER TABLE citizens ADD COLUMN flag_interpreter_needed BIGINT NOT NULL DEFAULT 0;
ALTER TABLE citizens ADD COLUMN flag_interpreter_language TEXT NOT NULL DEFAULT '';
ALTER TABLE citizens ADD COLUMN flag_email_undeliverable BIGINT NOT NULL DEFAULT 0;
)SQL";

// v10: one contact per routed interaction: the interaction it records (at
// most one contact each) and the agent's wrap-up disposition code.
inline constexpr std::string_view kContactInteractionSqlite = R"SQL(
ALTER TABLE contacts ADD COLUMN interaction_id INTEGER;
ALTER TABLE contacts ADD COLUMN disposition TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX contacts_interaction ON contacts(interaction_id) WHERE interaction_id IS NOT NULL;
)SQL";

inline constexpr std::string_view kContactInteractionPostgres = R"SQL(
ALTER TABLE contacts ADD COLUMN interaction_id BIGINT;
ALTER TABLE contacts ADD COLUMN disposition TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX contacts_interaction ON contacts(interaction_id) WHERE interaction_id IS NOT NULL;
)SQL";

}  // namespace onestop::store::migration_sql
