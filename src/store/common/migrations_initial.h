// The initial schema (version 1): catalogue, residents, cases, notes,
// attachments, contacts, the event log, merges, staff, sessions, idempotency keys.
// The SQL of those schema versions in both dialects; the ordered list is in
// store/common/migrations.cc, the only includer.
#pragma once

#include <string_view>

namespace onestop::store::migration_sql {

// Version 1: the initial schema.
inline constexpr std::string_view kV1Sqlite = R"SQL(
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

inline constexpr std::string_view kV1Postgres = R"SQL(
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

}  // namespace onestop::store::migration_sql
