#include "store/sqlite/migrations.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace onestop::store::sqlite {
namespace {

// Version 1: the initial schema.
constexpr std::string_view kV1 = R"SQL(
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

// v2: API keys for client applications (Open311 and other integrations).
constexpr std::string_view kV2 = R"SQL(
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

}  // namespace

const std::vector<std::string_view>& Migrations() {
  static const std::vector<std::string_view> kMigrations = {kV1, kV2};
  return kMigrations;
}

absl::StatusOr<int> ReadSchemaVersion(Db& db) {
  {
    absl::StatusOr<Stmt> exists = db.Prepare(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'");
    if (!exists.ok()) return exists.status();
    absl::StatusOr<bool> row = exists->Step();
    if (!row.ok()) return row.status();
    if (!*row) return 0;
  }
  absl::StatusOr<Stmt> max = db.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!max.ok()) return max.status();
  absl::StatusOr<bool> row = max->Step();
  if (!row.ok()) return row.status();
  return static_cast<int>(max->Int(0));
}

absl::Status ApplyMigrations(Db& db, absl::Time now) {
  absl::Status status = db.Exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)");
  if (!status.ok()) return status;
  const std::vector<std::string_view>& migrations = Migrations();
  const int latest = static_cast<int>(migrations.size());
  for (int version = 1; version <= latest; ++version) {
    // BEGIN IMMEDIATE takes the write lock first, so two processes migrating
    // at once serialise and the second sees the first's row.
    status = db.Exec("BEGIN IMMEDIATE");
    if (!status.ok()) return status;
    absl::StatusOr<int> current = ReadSchemaVersion(db);
    if (!current.ok()) {
      db.Exec("ROLLBACK").IgnoreError();
      return current.status();
    }
    if (*current > latest) {
      db.Exec("ROLLBACK").IgnoreError();
      return absl::FailedPreconditionError(
          absl::StrCat("database schema version ", *current,
                       " is newer than this program understands (", latest, ")"));
    }
    if (*current >= version) {
      status = db.Exec("COMMIT");
      if (!status.ok()) return status;
      continue;
    }
    status = db.Exec(std::string(migrations[version - 1]));
    if (status.ok()) {
      absl::StatusOr<Stmt> record =
          db.Prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)");
      status = record.ok() ? record->Bind(version).Bind(now).Run() : record.status();
    }
    if (status.ok()) status = db.Exec("COMMIT");
    if (!status.ok()) {
      if (db.InTransaction()) db.Exec("ROLLBACK").IgnoreError();
      return absl::Status(status.code(), absl::StrCat("migration ", version, ": ", status.message()));
    }
  }
  return absl::OkStatus();
}

}  // namespace onestop::store::sqlite
