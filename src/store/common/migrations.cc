#include "store/common/migrations.h"

namespace onestop::store {
namespace {

// Version 1: the initial schema.
constexpr std::string_view kV1Sqlite = R"SQL(
CREATE TABLE departments (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL
);

CREATE TABLE teams (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  department TEXT NOT NULL
);

CREATE TABLE services (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  department TEXT NOT NULL,
  group_name TEXT NOT NULL,
  keywords_json TEXT NOT NULL,
  interaction_type TEXT NOT NULL,
  channels_json TEXT NOT NULL,
  sla_amount INTEGER NOT NULL,
  sla_unit TEXT NOT NULL,
  default_team TEXT NOT NULL,
  allow_anonymous INTEGER NOT NULL,
  active INTEGER NOT NULL,
  fields_json TEXT NOT NULL,
  version INTEGER NOT NULL
);

CREATE TABLE citizens (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  given_name TEXT NOT NULL COLLATE NOCASE,
  family_name TEXT NOT NULL COLLATE NOCASE,
  preferred_channel TEXT,
  consent_email INTEGER NOT NULL,
  consent_sms INTEGER NOT NULL,
  consent_phone INTEGER NOT NULL,
  consent_research INTEGER NOT NULL,
  merged_into INTEGER REFERENCES citizens(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL
);
CREATE INDEX citizens_given_name ON citizens(given_name COLLATE NOCASE);
CREATE INDEX citizens_family_name ON citizens(family_name COLLATE NOCASE);

-- Child tables keep the order the record lists them in (position 0 = primary)
-- and index the values agents search by.
CREATE TABLE citizen_phones (
  citizen_id INTEGER NOT NULL REFERENCES citizens(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  phone TEXT NOT NULL,
  PRIMARY KEY (citizen_id, position)
);
CREATE INDEX citizen_phones_phone ON citizen_phones(phone, citizen_id);

CREATE TABLE citizen_emails (
  citizen_id INTEGER NOT NULL REFERENCES citizens(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  email TEXT NOT NULL,
  PRIMARY KEY (citizen_id, position)
);
CREATE INDEX citizen_emails_email ON citizen_emails(email, citizen_id);

CREATE TABLE citizen_addresses (
  citizen_id INTEGER NOT NULL REFERENCES citizens(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  uprn INTEGER,
  line1 TEXT NOT NULL,
  line2 TEXT NOT NULL,
  town TEXT NOT NULL,
  postcode TEXT NOT NULL,
  PRIMARY KEY (citizen_id, position)
);
CREATE INDEX citizen_addresses_postcode ON citizen_addresses(postcode, citizen_id);
CREATE INDEX citizen_addresses_uprn ON citizen_addresses(uprn);

CREATE TABLE cases (
  id INTEGER PRIMARY KEY,
  reference TEXT NOT NULL,  -- derived from id (1:1), so looked up by id, not indexed
  service_code TEXT NOT NULL,
  department TEXT NOT NULL,
  citizen_id INTEGER REFERENCES citizens(id),
  channel TEXT NOT NULL,
  status TEXT NOT NULL,
  priority TEXT NOT NULL,
  team TEXT NOT NULL,
  assignee_id INTEGER,
  summary TEXT NOT NULL,
  values_json TEXT NOT NULL,
  location_uprn INTEGER,
  location_lat REAL,
  location_lng REAL,
  location_description TEXT NOT NULL,
  location_postcode TEXT NOT NULL,
  media_urls_json TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  due_at INTEGER,
  sla_paused_at INTEGER,
  sla_remaining_us INTEGER NOT NULL,
  resolved_at INTEGER,
  closed_at INTEGER,
  created_by INTEGER NOT NULL,
  version INTEGER NOT NULL
);
CREATE INDEX cases_status ON cases(status, id);
CREATE INDEX cases_assignee ON cases(assignee_id, id);
CREATE INDEX cases_citizen ON cases(citizen_id, id);
CREATE INDEX cases_due_at ON cases(due_at);
CREATE INDEX cases_department ON cases(department, status, id);

CREATE TABLE notes (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  visibility TEXT NOT NULL,
  body TEXT NOT NULL,
  author_id INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX notes_case ON notes(case_id, id);

CREATE TABLE attachments (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  url TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  uploaded_by INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX attachments_case ON attachments(case_id, id);

CREATE TABLE contacts (
  id INTEGER PRIMARY KEY,
  channel TEXT NOT NULL,
  direction TEXT NOT NULL,
  at INTEGER NOT NULL,
  staff_id INTEGER,
  citizen_id INTEGER REFERENCES citizens(id),
  case_id INTEGER REFERENCES cases(id),
  service_code TEXT NOT NULL,
  reason TEXT NOT NULL,
  outcome TEXT NOT NULL,
  duration_us INTEGER NOT NULL
);
CREATE INDEX contacts_citizen ON contacts(citizen_id, id);
CREATE INDEX contacts_case ON contacts(case_id, id);

-- seq is gap-free in commit order: one writer, and no AUTOINCREMENT, so a
-- rolled-back savepoint gives its numbers to the next append.
CREATE TABLE events (
  seq INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor_id INTEGER NOT NULL,
  channel TEXT,
  entity TEXT NOT NULL,
  entity_id INTEGER NOT NULL,
  entity_key TEXT NOT NULL,
  type TEXT NOT NULL,
  case_id INTEGER,
  citizen_id INTEGER,
  changes_json TEXT NOT NULL
);
CREATE INDEX events_case ON events(case_id, seq);
CREATE INDEX events_citizen ON events(citizen_id, seq);
CREATE INDEX events_entity ON events(entity, seq);

CREATE TABLE citizen_merges (
  id INTEGER PRIMARY KEY,
  from_citizen INTEGER NOT NULL REFERENCES citizens(id),
  into_citizen INTEGER NOT NULL REFERENCES citizens(id),
  moved_cases_json TEXT NOT NULL,
  moved_contacts_json TEXT NOT NULL,
  merged_by INTEGER NOT NULL,
  merged_at INTEGER NOT NULL,
  reversed_at INTEGER,
  reversed_by INTEGER
);
CREATE INDEX citizen_merges_from ON citizen_merges(from_citizen);
CREATE INDEX citizen_merges_into ON citizen_merges(into_citizen);

CREATE TABLE staff (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL,
  department TEXT NOT NULL,
  team TEXT NOT NULL,
  skills_json TEXT NOT NULL,
  active INTEGER NOT NULL,
  password_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  version INTEGER NOT NULL
);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  staff_id INTEGER NOT NULL REFERENCES staff(id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_staff ON sessions(staff_id);

CREATE TABLE idempotency_keys (
  key TEXT PRIMARY KEY,
  request_hash TEXT NOT NULL,
  status INTEGER NOT NULL,
  body TEXT NOT NULL,
  location TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);

CREATE TABLE counters (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
INSERT INTO counters (name, value) VALUES ('case_number', 0);
)SQL";

constexpr std::string_view kV1Postgres = R"SQL(
CREATE TABLE departments (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL
);

CREATE TABLE teams (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  department TEXT NOT NULL
);

CREATE TABLE services (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  department TEXT NOT NULL,
  group_name TEXT NOT NULL,
  keywords_json TEXT NOT NULL,
  interaction_type TEXT NOT NULL,
  channels_json TEXT NOT NULL,
  sla_amount BIGINT NOT NULL,
  sla_unit TEXT NOT NULL,
  default_team TEXT NOT NULL,
  allow_anonymous BIGINT NOT NULL,
  active BIGINT NOT NULL,
  fields_json TEXT NOT NULL,
  version BIGINT NOT NULL
);

CREATE TABLE citizens (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  title TEXT NOT NULL,
  given_name TEXT NOT NULL,
  family_name TEXT NOT NULL,
  preferred_channel TEXT,
  consent_email BIGINT NOT NULL,
  consent_sms BIGINT NOT NULL,
  consent_phone BIGINT NOT NULL,
  consent_research BIGINT NOT NULL,
  merged_into BIGINT REFERENCES citizens(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL
);
-- Names are searched case-insensitively by prefix: lower(x) LIKE lower(?).
CREATE INDEX citizens_given_name ON citizens(lower(given_name) text_pattern_ops);
CREATE INDEX citizens_family_name ON citizens(lower(family_name) text_pattern_ops);

-- Child tables keep the order the record lists them in (position 0 = primary)
-- and index the values agents search by.
CREATE TABLE citizen_phones (
  citizen_id BIGINT NOT NULL REFERENCES citizens(id) ON DELETE CASCADE,
  position BIGINT NOT NULL,
  phone TEXT NOT NULL,
  PRIMARY KEY (citizen_id, position)
);
CREATE INDEX citizen_phones_phone ON citizen_phones(phone, citizen_id);

CREATE TABLE citizen_emails (
  citizen_id BIGINT NOT NULL REFERENCES citizens(id) ON DELETE CASCADE,
  position BIGINT NOT NULL,
  email TEXT NOT NULL,
  PRIMARY KEY (citizen_id, position)
);
CREATE INDEX citizen_emails_email ON citizen_emails(email, citizen_id);

CREATE TABLE citizen_addresses (
  citizen_id BIGINT NOT NULL REFERENCES citizens(id) ON DELETE CASCADE,
  position BIGINT NOT NULL,
  uprn BIGINT,
  line1 TEXT NOT NULL,
  line2 TEXT NOT NULL,
  town TEXT NOT NULL,
  postcode TEXT NOT NULL,
  PRIMARY KEY (citizen_id, position)
);
CREATE INDEX citizen_addresses_postcode ON citizen_addresses(postcode, citizen_id);
CREATE INDEX citizen_addresses_uprn ON citizen_addresses(uprn);

CREATE TABLE cases (
  id BIGINT PRIMARY KEY,
  reference TEXT NOT NULL,  -- derived from id (1:1), so looked up by id, not indexed
  service_code TEXT NOT NULL,
  department TEXT NOT NULL,
  citizen_id BIGINT REFERENCES citizens(id),
  channel TEXT NOT NULL,
  status TEXT NOT NULL,
  priority TEXT NOT NULL,
  team TEXT NOT NULL,
  assignee_id BIGINT,
  summary TEXT NOT NULL,
  values_json TEXT NOT NULL,
  location_uprn BIGINT,
  location_lat DOUBLE PRECISION,
  location_lng DOUBLE PRECISION,
  location_description TEXT NOT NULL,
  location_postcode TEXT NOT NULL,
  media_urls_json TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  due_at BIGINT,
  sla_paused_at BIGINT,
  sla_remaining_us BIGINT NOT NULL,
  resolved_at BIGINT,
  closed_at BIGINT,
  created_by BIGINT NOT NULL,
  version BIGINT NOT NULL
);
CREATE INDEX cases_status ON cases(status, id);
CREATE INDEX cases_assignee ON cases(assignee_id, id);
CREATE INDEX cases_citizen ON cases(citizen_id, id);
CREATE INDEX cases_due_at ON cases(due_at);
CREATE INDEX cases_department ON cases(department, status, id);

CREATE TABLE notes (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  case_id BIGINT NOT NULL REFERENCES cases(id),
  visibility TEXT NOT NULL,
  body TEXT NOT NULL,
  author_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX notes_case ON notes(case_id, id);

CREATE TABLE attachments (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  case_id BIGINT NOT NULL REFERENCES cases(id),
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size_bytes BIGINT NOT NULL,
  url TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  uploaded_by BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX attachments_case ON attachments(case_id, id);

CREATE TABLE contacts (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  channel TEXT NOT NULL,
  direction TEXT NOT NULL,
  at BIGINT NOT NULL,
  staff_id BIGINT,
  citizen_id BIGINT REFERENCES citizens(id),
  case_id BIGINT REFERENCES cases(id),
  service_code TEXT NOT NULL,
  reason TEXT NOT NULL,
  outcome TEXT NOT NULL,
  duration_us BIGINT NOT NULL
);
CREATE INDEX contacts_citizen ON contacts(citizen_id, id);
CREATE INDEX contacts_case ON contacts(case_id, id);

-- seq is gap-free in commit order across nodes: every append increments the
-- 'event_seq' counter row (UPDATE ... RETURNING), whose row lock is held to
-- COMMIT, so appends from different transactions (and nodes) serialise and
-- commit in seq order; a rolled-back savepoint gives its numbers back.
CREATE TABLE events (
  seq BIGINT PRIMARY KEY,
  at BIGINT NOT NULL,
  actor_id BIGINT NOT NULL,
  channel TEXT,
  entity TEXT NOT NULL,
  entity_id BIGINT NOT NULL,
  entity_key TEXT NOT NULL,
  type TEXT NOT NULL,
  case_id BIGINT,
  citizen_id BIGINT,
  changes_json TEXT NOT NULL
);
CREATE INDEX events_case ON events(case_id, seq);
CREATE INDEX events_citizen ON events(citizen_id, seq);
CREATE INDEX events_entity ON events(entity, seq);

CREATE TABLE citizen_merges (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  from_citizen BIGINT NOT NULL REFERENCES citizens(id),
  into_citizen BIGINT NOT NULL REFERENCES citizens(id),
  moved_cases_json TEXT NOT NULL,
  moved_contacts_json TEXT NOT NULL,
  merged_by BIGINT NOT NULL,
  merged_at BIGINT NOT NULL,
  reversed_at BIGINT,
  reversed_by BIGINT
);
CREATE INDEX citizen_merges_from ON citizen_merges(from_citizen);
CREATE INDEX citizen_merges_into ON citizen_merges(into_citizen);

CREATE TABLE staff (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL,
  department TEXT NOT NULL,
  team TEXT NOT NULL,
  skills_json TEXT NOT NULL,
  active BIGINT NOT NULL,
  password_hash TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  version BIGINT NOT NULL
);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  staff_id BIGINT NOT NULL REFERENCES staff(id),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_staff ON sessions(staff_id);

CREATE TABLE idempotency_keys (
  key TEXT PRIMARY KEY,
  request_hash TEXT NOT NULL,
  status BIGINT NOT NULL,
  body TEXT NOT NULL,
  location TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);

CREATE TABLE counters (
  name TEXT PRIMARY KEY,
  value BIGINT NOT NULL
);
INSERT INTO counters (name, value) VALUES ('event_seq', 0);
-- Case numbers come from a sequence: unique across nodes, gaps allowed.
CREATE SEQUENCE case_number AS BIGINT;
)SQL";

// v2: API keys for client applications (Open311 and other integrations).
constexpr std::string_view kV2Sqlite = R"SQL(
CREATE TABLE api_keys (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,
  key_prefix TEXT NOT NULL,
  created_by INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
)SQL";

constexpr std::string_view kV2Postgres = R"SQL(
CREATE TABLE api_keys (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  name TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,
  key_prefix TEXT NOT NULL,
  created_by BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);
)SQL";

// Version 3: routing queue definitions and routing profiles. Lists are kept
// as text, one column each (domain/routing_config.h: "skill:level;...").
constexpr std::string_view kRoutingSqlite = R"SQL(
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

constexpr std::string_view kRoutingPostgres = R"SQL(
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

// v4: the knowledge base — articles, their saved versions, and the article a
// contact was answered from (first-contact resolution).
constexpr std::string_view kKnowledgeBaseSqlite = R"SQL(
CREATE TABLE articles (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  summary TEXT NOT NULL,
  body TEXT NOT NULL,
  audience TEXT NOT NULL,
  status TEXT NOT NULL,
  service_codes_json TEXT NOT NULL,
  departments_json TEXT NOT NULL,
  keywords_json TEXT NOT NULL,
  owner_id INTEGER NOT NULL,
  review_at INTEGER,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  updated_by INTEGER NOT NULL,
  helpful_yes INTEGER NOT NULL,
  helpful_no INTEGER NOT NULL
);
CREATE TABLE article_versions (
  article_id INTEGER NOT NULL REFERENCES articles(id),
  version INTEGER NOT NULL,
  title TEXT NOT NULL,
  summary TEXT NOT NULL,
  body TEXT NOT NULL,
  audience TEXT NOT NULL,
  status TEXT NOT NULL,
  saved_by INTEGER NOT NULL,
  saved_at INTEGER NOT NULL,
  PRIMARY KEY (article_id, version)
);
ALTER TABLE contacts ADD COLUMN article_id INTEGER REFERENCES articles(id);
CREATE INDEX contacts_article ON contacts(article_id);
)SQL";

constexpr std::string_view kKnowledgeBasePostgres = R"SQL(
CREATE TABLE articles (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  title TEXT NOT NULL,
  summary TEXT NOT NULL,
  body TEXT NOT NULL,
  audience TEXT NOT NULL,
  status TEXT NOT NULL,
  service_codes_json TEXT NOT NULL,
  departments_json TEXT NOT NULL,
  keywords_json TEXT NOT NULL,
  owner_id BIGINT NOT NULL,
  review_at BIGINT,
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  updated_by BIGINT NOT NULL,
  helpful_yes BIGINT NOT NULL,
  helpful_no BIGINT NOT NULL
);
CREATE TABLE article_versions (
  article_id BIGINT NOT NULL REFERENCES articles(id),
  version BIGINT NOT NULL,
  title TEXT NOT NULL,
  summary TEXT NOT NULL,
  body TEXT NOT NULL,
  audience TEXT NOT NULL,
  status TEXT NOT NULL,
  saved_by BIGINT NOT NULL,
  saved_at BIGINT NOT NULL,
  PRIMARY KEY (article_id, version)
);
ALTER TABLE contacts ADD COLUMN article_id BIGINT REFERENCES articles(id);
CREATE INDEX contacts_article ON contacts(article_id);
)SQL";

// v5: leadership of roles run by one node at a time (the routing engine).
// `epoch` grows by one each time a node takes a role; writes made in the
// role check it in their own transaction (a fencing token), so a node that
// lost the role without noticing cannot write after its successor started.
constexpr std::string_view kLeadershipSqlite = R"SQL(
CREATE TABLE leadership (
  role TEXT PRIMARY KEY,
  epoch INTEGER NOT NULL,
  node TEXT NOT NULL,
  since INTEGER NOT NULL
);
)SQL";

constexpr std::string_view kLeadershipPostgres = R"SQL(
CREATE TABLE leadership (
  role TEXT PRIMARY KEY,
  epoch BIGINT NOT NULL,
  node TEXT NOT NULL,
  since BIGINT NOT NULL
);
)SQL";

// v6: time ranges on the event log (EventQuery::from/to: the routing
// statistics, Open311 servicerequestupdates) and on case creation
// (CaseQuery::created_from/to: Open311 GET requests). ListEvents and
// ListCases read the first seq / id of a range from these indexes alone
// (sql_reads.h): SQLite keeps the rowid in every index entry, PostgreSQL
// needs INCLUDE.
constexpr std::string_view kTimeRangesSqlite = R"SQL(
CREATE INDEX events_entity_at ON events(entity, at);
CREATE INDEX cases_created_at ON cases(created_at);
)SQL";

constexpr std::string_view kTimeRangesPostgres = R"SQL(
CREATE INDEX events_entity_at ON events(entity, at) INCLUDE (seq);
CREATE INDEX cases_created_at ON cases(created_at) INCLUDE (id);
)SQL";

// v7: other languages' texts of the catalogue and the knowledge base
// ({"cy": ...} as store/common/json_columns.h encodes them; a form field's
// and an allowed value's live inside services.fields_json), and settings:
// whole values the app reads by key (the theme under "theme").
constexpr std::string_view kTranslationsSqlite = R"SQL(
ALTER TABLE services ADD COLUMN translations_json TEXT NOT NULL DEFAULT '{}';
ALTER TABLE departments ADD COLUMN translations_json TEXT NOT NULL DEFAULT '{}';
ALTER TABLE articles ADD COLUMN translations_json TEXT NOT NULL DEFAULT '{}';
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)SQL";

constexpr std::string_view kTranslationsPostgres = R"SQL(
ALTER TABLE services ADD COLUMN translations_json TEXT NOT NULL DEFAULT '{}';
ALTER TABLE departments ADD COLUMN translations_json TEXT NOT NULL DEFAULT '{}';
ALTER TABLE articles ADD COLUMN translations_json TEXT NOT NULL DEFAULT '{}';
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)SQL";

// v8: duplicates (issue 11 §4). A service's duplicate rule (Service::
// duplicates), the original a duplicate case points to (no foreign key: the
// original may have a higher id, and export/import copies cases in id
// order; the use case checks it exists), the indexes the duplicate check
// reads, and the residents following a case that is not their own.
constexpr std::string_view kDuplicatesSqlite = R"SQL(
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

constexpr std::string_view kDuplicatesPostgres = R"SQL(
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
constexpr std::string_view kCitizenFlagsSqlite = R"SQL(
ALTER TABLE citizens ADD COLUMN flag_vulnerable INTEGER NOT NULL DEFAULT 0;
ALTER TABLE citizens ADD COLUMN flag_vulnerability_note TEXT NOT NULL DEFAULT '';
ALTER TABLE citizens ADD COLUMN flag_interpreter_needed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE citizens ADD COLUMN flag_interpreter_language TEXT NOT NULL DEFAULT '';
ALTER TABLE citizens ADD COLUMN flag_email_undeliverable INTEGER NOT NULL DEFAULT 0;
)SQL";

constexpr std::string_view kCitizenFlagsPostgres = R"SQL(
ALTER TABLE citizens ADD COLUMN flag_vulnerable BIGINT NOT NULL DEFAULT 0;
ALTER TABLE citizens ADD COLUMN flag_vulnerability_note TEXT NOT NULL DEFAULT '';
ALTER TABLE citizens ADD COLUMN flag_interpreter_needed BIGINT NOT NULL DEFAULT 0;
ALTER TABLE citizens ADD COLUMN flag_interpreter_language TEXT NOT NULL DEFAULT '';
ALTER TABLE citizens ADD COLUMN flag_email_undeliverable BIGINT NOT NULL DEFAULT 0;
)SQL";

// v10: one contact per routed interaction: the interaction it records (at
// most one contact each) and the agent's wrap-up disposition code.
constexpr std::string_view kContactInteractionSqlite = R"SQL(
ALTER TABLE contacts ADD COLUMN interaction_id INTEGER;
ALTER TABLE contacts ADD COLUMN disposition TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX contacts_interaction ON contacts(interaction_id) WHERE interaction_id IS NOT NULL;
)SQL";

constexpr std::string_view kContactInteractionPostgres = R"SQL(
ALTER TABLE contacts ADD COLUMN interaction_id BIGINT;
ALTER TABLE contacts ADD COLUMN disposition TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX contacts_interaction ON contacts(interaction_id) WHERE interaction_id IS NOT NULL;
)SQL";

// v11: supervisors (issue 11 §5): a queue's medium, wallboard place and
// red/amber/green targets; a staff member's own routing profile (else the
// team's). Queues named by the case-task convention (services/case_tasks.h,
// "cases-<team>") hold case tasks.
constexpr std::string_view kSupervisorsSqlite = R"SQL(
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

constexpr std::string_view kSupervisorsPostgres = R"SQL(
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

}  // namespace

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> kMigrations = {
      {1, "initial schema", kV1Sqlite, kV1Postgres},
      {2, "API keys", kV2Sqlite, kV2Postgres},
      {3, "routing queues and profiles", kRoutingSqlite, kRoutingPostgres},
      {4, "knowledge base: articles, versions, contact article", kKnowledgeBaseSqlite, kKnowledgeBasePostgres},
      {5, "leadership of single-node roles", kLeadershipSqlite, kLeadershipPostgres},
      {6, "time-range indexes: events (entity, at), cases (created_at)", kTimeRangesSqlite,
       kTimeRangesPostgres},
      {7, "translations and theme", kTranslationsSqlite, kTranslationsPostgres},
      {8, "duplicates", kDuplicatesSqlite, kDuplicatesPostgres},
      {9, "citizen flags", kCitizenFlagsSqlite, kCitizenFlagsPostgres},
      {10, "contacts: interaction and disposition", kContactInteractionSqlite, kContactInteractionPostgres},
      {11, "queue media, wallboard and targets; staff routing profile", kSupervisorsSqlite,
       kSupervisorsPostgres},
  };
  return kMigrations;
}

}  // namespace onestop::store
