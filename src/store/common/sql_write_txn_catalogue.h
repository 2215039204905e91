// SqlWriteTxn<Db>: the catalogue — services, departments, teams.
// Included at the end of store/common/sql_write_txn.h (the class is declared
// there); not on its own.
#pragma once

namespace onestop::store {

template <typename Db>
absl::StatusOr<int64_t> SqlWriteTxn<Db>::UpsertService(const domain::Service& s) {
  int64_t version = 1;
  {
    ONESTOP_ASSIGN_OR_RETURN(auto stmt, db_.Prepare("SELECT version FROM services WHERE code = ?"));
    stmt.Bind(s.code);
    ONESTOP_ASSIGN_OR_RETURN(bool found, stmt.Step());
    if (found) version = stmt.Int(0) + 1;
  }
  static const std::string sql = absl::StrCat(
      "INSERT INTO services (", kServiceColumns, ") VALUES (",
      sql_internal::Placeholders(sql_internal::CountColumns(kServiceColumns)),
      ") ON CONFLICT (code) DO UPDATE SET name = excluded.name, description = excluded.description, "
      "department = excluded.department, group_name = excluded.group_name, "
      "keywords_json = excluded.keywords_json, interaction_type = excluded.interaction_type, "
      "channels_json = excluded.channels_json, sla_amount = excluded.sla_amount, "
      "sla_unit = excluded.sla_unit, default_team = excluded.default_team, "
      "allow_anonymous = excluded.allow_anonymous, active = excluded.active, "
      "fields_json = excluded.fields_json, version = excluded.version, "
      "translations_json = excluded.translations_json, "
      "duplicate_nearby = excluded.duplicate_nearby, "
      "duplicate_radius_m = excluded.duplicate_radius_m, duplicate_days = excluded.duplicate_days");
  ONESTOP_ASSIGN_OR_RETURN(auto stmt, db_.Prepare(sql));
  stmt.Bind(s.code)
      .Bind(s.name)
      .Bind(s.description)
      .Bind(s.department)
      .Bind(s.group)
      .Bind(EncodeStrings(s.keywords))
      .Bind(domain::InteractionTypeName(s.interaction_type))
      .Bind(EncodeChannels(s.channels))
      .Bind(s.sla.amount)
      .Bind(domain::SlaUnitName(s.sla.unit))
      .Bind(s.default_team)
      .Bind(s.allow_anonymous)
      .Bind(s.active)
      .Bind(EncodeFormFields(s.fields))
      .Bind(version)
      .Bind(EncodeServiceTexts(s.translations))
      .Bind(s.duplicates.nearby)
      .Bind(s.duplicates.radius_m)
      .Bind(s.duplicates.days);
  ONESTOP_RETURN_IF_ERROR(stmt.Run());
  return version;
}

template <typename Db>
absl::Status SqlWriteTxn<Db>::UpsertDepartment(const domain::Department& d) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt, db_.Prepare("INSERT INTO departments (code, name, translations_json) VALUES (?, ?, ?) "
                             "ON CONFLICT (code) DO UPDATE SET name = excluded.name, "
                             "translations_json = excluded.translations_json"));
  return stmt.Bind(d.code).Bind(d.name).Bind(EncodeNameTexts(d.translations)).Run();
}

template <typename Db>
absl::Status SqlWriteTxn<Db>::UpsertTeam(const domain::Team& t) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt,
      db_.Prepare("INSERT INTO teams (code, name, department) VALUES (?, ?, ?) "
                  "ON CONFLICT (code) DO UPDATE SET name = excluded.name, "
                  "department = excluded.department"));
  return stmt.Bind(t.code).Bind(t.name).Bind(t.department).Run();
}

}  // namespace onestop::store
