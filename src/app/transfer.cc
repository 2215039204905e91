#include "app/transfer.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "app/database_url.h"
#include "app/store_factory.h"
#include "common/status.h"
#include "store/postgres/pg.h"
#include "store/sqlite/db.h"

namespace onestop::app {
namespace {

struct Table {
  const char* name;
  const char* key;  // ORDER BY
  std::vector<std::string> columns;
  std::vector<std::string> real_columns;  // copied as doubles, not text
  bool identity = false;                  // PostgreSQL identity column `id`
};

// Parents before children (foreign keys are checked row by row).
// counters is not copied: each dialect keeps its generators its own way.
const std::vector<Table>& Tables() {
  static const std::vector<Table> kTables = {
      {"departments", "code", {"code", "name", "translations_json"}, {}},
      {"teams", "code", {"code", "name", "department"}, {}},
      {"services", "code", {"code", "name", "description", "department", "group_name",
                            "keywords_json", "interaction_type", "channels_json", "sla_amount",
                            "sla_unit", "default_team", "allow_anonymous", "active",
                            "fields_json", "version", "translations_json", "duplicate_nearby",
                            "duplicate_radius_m", "duplicate_days"}, {}},
      {"staff", "id", {"id", "email", "display_name", "role", "department", "team", "skills_json",
                       "active", "password_hash", "created_at", "version"}, {}, true},
      {"sip_accounts", "staff_id", {"staff_id", "extension", "realm", "ha1", "updated_at"}, {}},
      {"sessions", "token_hash", {"token_hash", "staff_id", "created_at", "expires_at"}, {}},
      // merged_into (a citizen, maybe a later one) is set in a second pass.
      {"citizens", "id", {"id", "title", "given_name", "family_name", "preferred_channel",
                          "consent_email", "consent_sms", "consent_phone", "consent_research",
                          "created_at", "updated_at", "version", "flag_vulnerable",
                          "flag_vulnerability_note", "flag_interpreter_needed",
                          "flag_interpreter_language", "flag_email_undeliverable"}, {}, true},
      {"citizen_phones", "citizen_id, position", {"citizen_id", "position", "phone"}, {}},
      {"citizen_emails", "citizen_id, position", {"citizen_id", "position", "email"}, {}},
      {"citizen_addresses", "citizen_id, position", {"citizen_id", "position", "uprn", "line1",
                                                     "line2", "town", "postcode"}, {}},
      {"cases", "id", {"id", "reference", "service_code", "department", "citizen_id", "channel",
                       "status", "priority", "team", "assignee_id", "summary", "values_json",
                       "location_uprn", "location_lat", "location_lng", "location_description",
                       "location_postcode", "media_urls_json", "created_at", "updated_at",
                       "due_at", "sla_paused_at", "sla_remaining_us", "resolved_at", "closed_at",
                       "created_by", "version", "duplicate_of"}, {"location_lat", "location_lng"}},
      {"case_followers", "case_id, citizen_id", {"case_id", "citizen_id", "via_case_id", "channel",
                                                 "added_at", "added_by"}, {}},
      {"notes", "id", {"id", "case_id", "visibility", "body", "author_id", "created_at"}, {}, true},
      {"attachments", "id", {"id", "case_id", "filename", "content_type", "size_bytes", "url",
                             "sha256", "uploaded_by", "created_at"}, {}, true},
      {"contacts", "id", {"id", "channel", "direction", "at", "staff_id", "citizen_id", "case_id",
                          "service_code", "reason", "outcome", "duration_us", "interaction_id",
                          "disposition"}, {}, true},
      {"events", "seq", {"seq", "at", "actor_id", "channel", "entity", "entity_id", "entity_key",
                         "type", "case_id", "citizen_id", "changes_json"}, {}},
      {"citizen_merges", "id", {"id", "from_citizen", "into_citizen", "moved_cases_json",
                                "moved_contacts_json", "merged_by", "merged_at", "reversed_at",
                                "reversed_by"}, {}, true},
      {"idempotency_keys", "key", {"key", "request_hash", "status", "body", "location",
                                   "created_at"}, {}},
      {"api_keys", "id", {"id", "name", "key_hash", "key_prefix", "created_by", "created_at",
                          "revoked_at"}, {}, true},
      {"settings", "key", {"key", "value"}, {}},
  };
  return kTables;
}

class ProgressBar {
 public:
  ProgressBar(std::ostream& out, int64_t total) : out_(out), total_(total > 0 ? total : 1) {}
  void Tick(const char* table) {
    ++done_;
    if (done_ % 500 == 0 || done_ == total_) Draw(table);
  }
  void Draw(const char* table) {
    int filled = static_cast<int>(40 * done_ / total_);
    out_ << "\r[" << std::string(filled, '#') << std::string(40 - filled, ' ') << "] "
         << (100 * done_ / total_) << "% " << done_ << "/" << total_ << " rows  " << table
         << std::string(12, ' ') << std::flush;
  }
  void Finish() { out_ << "\n"; }

 private:
  std::ostream& out_;
  const int64_t total_;
  int64_t done_ = 0;
};

template <typename Db>
absl::StatusOr<int64_t> CountRows(Db& db, const std::string& table) {
  ONESTOP_ASSIGN_OR_RETURN(auto stmt, db.Prepare(absl::StrCat("SELECT COUNT(*) FROM ", table)));
  ONESTOP_ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row ? stmt.Int(0) : 0;
}

template <typename Db>
absl::StatusOr<int64_t> QueryInt(Db& db, const std::string& sql) {
  ONESTOP_ASSIGN_OR_RETURN(auto stmt, db.Prepare(sql));
  ONESTOP_ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row ? stmt.Int(0) : 0;
}

// The highest case number handed out so far (numbers are never reused).
absl::StatusOr<int64_t> CaseNumberBase(store::sqlite::Db& db) {
  return QueryInt(db, "SELECT value FROM counters WHERE name = 'case_number'");
}
absl::StatusOr<int64_t> CaseNumberBase(store::postgres::Db& db) {
  return QueryInt(db, "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM case_number");
}

absl::Status Begin(store::sqlite::Db& db) { return db.Exec("BEGIN IMMEDIATE"); }
absl::Status Begin(store::postgres::Db& db) { return db.Exec("BEGIN"); }

// Moves the destination's generators past the copied rows.
absl::Status FixGenerators(store::sqlite::Db& db, int64_t case_base) {
  ONESTOP_ASSIGN_OR_RETURN(auto stmt,
                           db.Prepare("UPDATE counters SET value = MAX(?, (SELECT COALESCE(MAX(id), "
                                      "0) FROM cases)) WHERE name = 'case_number'"));
  return stmt.Bind(case_base).Run();  // rowids follow MAX(rowid) by themselves
}
absl::Status FixGenerators(store::postgres::Db& db, int64_t case_base) {
  for (const Table& table : Tables()) {
    if (!table.identity) continue;
    ONESTOP_RETURN_IF_ERROR(db.Exec(absl::StrCat(
        "SELECT setval(pg_get_serial_sequence('", table.name, "', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM ",
        table.name, "), false)")));
  }
  ONESTOP_RETURN_IF_ERROR(db.Exec(
      "UPDATE counters SET value = (SELECT COALESCE(MAX(seq), 0) FROM events) "
      "WHERE name = 'event_seq'"));
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("SELECT setval('case_number', GREATEST(?::bigint, (SELECT COALESCE(MAX(id), 0) "
                            "FROM cases), 1), GREATEST(?::bigint, (SELECT COALESCE(MAX(id), 0) FROM cases)) > 0)"));
  return stmt.Bind(case_base).Bind(case_base).Run();
}

template <typename Src, typename Dst>
absl::StatusOr<TransferReport> Copy(Src& src, Dst& dst, std::ostream& progress) {
  for (const char* table : {"cases", "citizens", "staff", "services"}) {
    ONESTOP_ASSIGN_OR_RETURN(int64_t existing, CountRows(dst, table));
    if (existing > 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("the destination already holds a council (", existing, " rows in ", table,
                       "); import into an empty database"));
    }
  }
  int64_t total = 0;
  std::vector<int64_t> counts;
  for (const Table& table : Tables()) {
    ONESTOP_ASSIGN_OR_RETURN(int64_t n, CountRows(src, table.name));
    counts.push_back(n);
    total += n;
  }
  ONESTOP_ASSIGN_OR_RETURN(int64_t case_base, CaseNumberBase(src));
  ProgressBar bar(progress, total);
  ONESTOP_RETURN_IF_ERROR(Begin(dst));
  auto copy_all = [&]() -> absl::Status {
    for (const Table& table : Tables()) {
      const std::string columns = absl::StrJoin(table.columns, ", ");
      std::vector<std::string> marks(table.columns.size(), "?");
      const std::string insert = absl::StrCat("INSERT INTO ", table.name, " (", columns,
                                              ") VALUES (", absl::StrJoin(marks, ", "), ")");
      ONESTOP_ASSIGN_OR_RETURN(auto select, src.Prepare(absl::StrCat(
                                                "SELECT ", columns, " FROM ", table.name,
                                                " ORDER BY ", table.key)));
      while (true) {
        ONESTOP_ASSIGN_OR_RETURN(bool row, select.Step());
        if (!row) break;
        ONESTOP_ASSIGN_OR_RETURN(auto stmt, dst.Prepare(insert));
        for (size_t col = 0; col < table.columns.size(); ++col) {
          const int c = static_cast<int>(col);
          bool is_real = std::find(table.real_columns.begin(), table.real_columns.end(),
                                   table.columns[col]) != table.real_columns.end();
          if (select.IsNull(c)) {
            stmt.BindNull();
          } else if (is_real) {
            stmt.Bind(select.Double(c));
          } else {
            stmt.Bind(select.Text(c));
          }
        }
        absl::Status status = stmt.Run();
        if (!status.ok()) return absl::Status(status.code(), absl::StrCat(table.name, ": ", status.message()));
        bar.Tick(table.name);
      }
    }
    // Second pass: merged citizens point at their surviving record.
    ONESTOP_ASSIGN_OR_RETURN(
        auto merged, src.Prepare("SELECT id, merged_into FROM citizens WHERE merged_into IS NOT NULL"));
    while (true) {
      ONESTOP_ASSIGN_OR_RETURN(bool row, merged.Step());
      if (!row) break;
      ONESTOP_ASSIGN_OR_RETURN(auto update,
                               dst.Prepare("UPDATE citizens SET merged_into = ? WHERE id = ?"));
      ONESTOP_RETURN_IF_ERROR(update.Bind(merged.Int(1)).Bind(merged.Int(0)).Run());
    }
    ONESTOP_RETURN_IF_ERROR(FixGenerators(dst, case_base));
    return dst.Exec("COMMIT");
  };
  absl::Status status = copy_all();
  bar.Finish();
  if (!status.ok()) {
    dst.Exec("ROLLBACK").IgnoreError();
    return status;
  }
  TransferReport report;
  for (size_t idx = 0; idx < Tables().size(); ++idx) {
    ONESTOP_ASSIGN_OR_RETURN(int64_t n, CountRows(dst, Tables()[idx].name));
    if (n != counts[idx]) {
      return absl::DataLossError(absl::StrCat("verification failed: ", Tables()[idx].name, " has ",
                                              n, " rows, the source ", counts[idx]));
    }
    report.rows += n;
  }
  report.tables = static_cast<int>(Tables().size());
  return report;
}

struct RawDb {
  std::unique_ptr<store::sqlite::Db> sqlite;
  std::unique_ptr<store::postgres::Db> postgres;
};

absl::StatusOr<RawDb> OpenRaw(const std::string& url_text) {
  // Migrate (creating if need be) through the store, then copy on raw connections.
  ONESTOP_ASSIGN_OR_RETURN(OpenedStore opened, OpenStore(url_text, /*migrate=*/true));
  opened.store->Close();
  opened.store.reset();
  ONESTOP_ASSIGN_OR_RETURN(DatabaseUrl url, ParseDatabaseUrl(url_text));
  RawDb raw;
  if (url.kind == DatabaseUrl::Kind::kPostgres) {
    ONESTOP_ASSIGN_OR_RETURN(raw.postgres, store::postgres::Db::Connect(url.url));
  } else {
    ONESTOP_ASSIGN_OR_RETURN(raw.sqlite, store::sqlite::Db::Open(url.path, store::sqlite::Db::OpenOptions()));
  }
  return raw;
}

}  // namespace

absl::StatusOr<TransferReport> TransferCouncil(const std::string& from_url,
                                               const std::string& to_url, std::ostream& progress) {
  if (from_url == to_url) return absl::InvalidArgumentError("source and destination are the same");
  ONESTOP_ASSIGN_OR_RETURN(RawDb from, OpenRaw(from_url));
  ONESTOP_ASSIGN_OR_RETURN(RawDb to, OpenRaw(to_url));
  if (from.sqlite && to.postgres) return Copy(*from.sqlite, *to.postgres, progress);
  if (from.postgres && to.sqlite) return Copy(*from.postgres, *to.sqlite, progress);
  if (from.sqlite && to.sqlite) return Copy(*from.sqlite, *to.sqlite, progress);
  return Copy(*from.postgres, *to.postgres, progress);
}

}  // namespace onestop::app
