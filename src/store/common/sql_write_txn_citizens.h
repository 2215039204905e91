// SqlWriteTxn<Db>: residents — records with their phones, emails and
// addresses, and merges (moving cases and contacts, and back).
// Included at the end of store/common/sql_write_txn.h (the class is declared
// there); not on its own.
#pragma once

namespace onestop::store {

template <typename Db>
absl::Status SqlWriteTxn<Db>::WriteCitizenChildren(const domain::Citizen& c) {
  for (const char* sql : {"DELETE FROM citizen_phones WHERE citizen_id = ?",
                          "DELETE FROM citizen_emails WHERE citizen_id = ?",
                          "DELETE FROM citizen_addresses WHERE citizen_id = ?"}) {
    ONESTOP_ASSIGN_OR_RETURN(auto stmt, db_.Prepare(sql));
    ONESTOP_RETURN_IF_ERROR(stmt.Bind(c.id).Run());
  }
  for (size_t i = 0; i < c.phones.size(); ++i) {
    ONESTOP_ASSIGN_OR_RETURN(
        auto stmt,
        db_.Prepare("INSERT INTO citizen_phones (citizen_id, position, phone) VALUES (?, ?, ?)"));
    ONESTOP_RETURN_IF_ERROR(stmt.Bind(c.id).Bind(static_cast<int64_t>(i)).Bind(c.phones[i]).Run());
  }
  for (size_t i = 0; i < c.emails.size(); ++i) {
    ONESTOP_ASSIGN_OR_RETURN(
        auto stmt,
        db_.Prepare("INSERT INTO citizen_emails (citizen_id, position, email) VALUES (?, ?, ?)"));
    ONESTOP_RETURN_IF_ERROR(stmt.Bind(c.id).Bind(static_cast<int64_t>(i)).Bind(c.emails[i]).Run());
  }
  for (size_t i = 0; i < c.addresses.size(); ++i) {
    const domain::Address& a = c.addresses[i];
    ONESTOP_ASSIGN_OR_RETURN(
        auto stmt, db_.Prepare("INSERT INTO citizen_addresses (citizen_id, position, uprn, line1, "
                               "line2, town, postcode) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    ONESTOP_RETURN_IF_ERROR(stmt.Bind(c.id)
                                .Bind(static_cast<int64_t>(i))
                                .Bind(a.uprn)
                                .Bind(a.line1)
                                .Bind(a.line2)
                                .Bind(a.town)
                                .Bind(a.postcode)
                                .Run());
  }
  return absl::OkStatus();
}

template <typename Db>
absl::StatusOr<int64_t> SqlWriteTxn<Db>::InsertCitizen(const domain::Citizen& citizen) {
  ONESTOP_ASSIGN_OR_RETURN(auto stmt, db_.Prepare(sql_internal::InsertCitizenSql()));
  BindCitizenFields(stmt, citizen);  // id: assigned by the database
  domain::Citizen stored = citizen;
  ONESTOP_ASSIGN_OR_RETURN(stored.id, sql_internal::ReturnedId(stmt));
  ONESTOP_RETURN_IF_ERROR(WriteCitizenChildren(stored));
  return stored.id;
}

template <typename Db>
absl::Status SqlWriteTxn<Db>::UpdateCitizen(const domain::Citizen& citizen,
                                           int64_t expected_version) {
  {
    ONESTOP_ASSIGN_OR_RETURN(auto stmt, db_.Prepare(sql_internal::UpdateCitizenSql()));
    BindCitizenFields(stmt, citizen);
    ONESTOP_RETURN_IF_ERROR(stmt.Bind(citizen.id).Bind(expected_version).Run());
  }
  if (db_.Changes() == 0) {
    return VersionMismatch("citizens", "citizen", citizen.id, expected_version);
  }
  return WriteCitizenChildren(citizen);
}

namespace sql_internal {

template <typename Db>
absl::StatusOr<std::vector<int64_t>> SelectIds(Db& db, const char* sql, int64_t arg) {
  ONESTOP_ASSIGN_OR_RETURN(auto stmt, db.Prepare(sql));
  stmt.Bind(arg);
  std::vector<int64_t> ids;
  while (true) {
    ONESTOP_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    ids.push_back(stmt.Int(0));
  }
  return ids;
}

}  // namespace sql_internal

template <typename Db>
absl::StatusOr<std::vector<int64_t>> SqlWriteTxn<Db>::MoveAllCases(int64_t from, int64_t into) {
  ONESTOP_ASSIGN_OR_RETURN(
      std::vector<int64_t> ids,
      sql_internal::SelectIds(db_, "SELECT id FROM cases WHERE citizen_id = ? ORDER BY id", from));
  ONESTOP_RETURN_IF_ERROR(MoveCases(ids, into));
  return ids;
}

template <typename Db>
absl::StatusOr<std::vector<int64_t>> SqlWriteTxn<Db>::MoveAllContacts(int64_t from, int64_t into) {
  ONESTOP_ASSIGN_OR_RETURN(
      std::vector<int64_t> ids,
      sql_internal::SelectIds(db_, "SELECT id FROM contacts WHERE citizen_id = ? ORDER BY id", from));
  ONESTOP_RETURN_IF_ERROR(MoveContacts(ids, into));
  return ids;
}

template <typename Db>
absl::Status SqlWriteTxn<Db>::MoveCases(const std::vector<int64_t>& ids, int64_t into) {
  for (int64_t id : ids) {
    ONESTOP_ASSIGN_OR_RETURN(
        auto stmt,
        db_.Prepare("UPDATE cases SET citizen_id = ?, version = version + 1 WHERE id = ?"));
    absl::Status status = stmt.Bind(into).Bind(id).Run();
    if (status.code() == absl::StatusCode::kFailedPrecondition) {
      return absl::NotFoundError(absl::StrCat("citizen ", into, " not found"));
    }
    ONESTOP_RETURN_IF_ERROR(status);
    if (db_.Changes() == 0) return absl::NotFoundError(absl::StrCat("case ", id, " not found"));
  }
  return absl::OkStatus();
}

template <typename Db>
absl::Status SqlWriteTxn<Db>::MoveContacts(const std::vector<int64_t>& ids, int64_t into) {
  for (int64_t id : ids) {
    ONESTOP_ASSIGN_OR_RETURN(auto stmt,
                             db_.Prepare("UPDATE contacts SET citizen_id = ? WHERE id = ?"));
    absl::Status status = stmt.Bind(into).Bind(id).Run();
    if (status.code() == absl::StatusCode::kFailedPrecondition) {
      return absl::NotFoundError(absl::StrCat("citizen ", into, " not found"));
    }
    ONESTOP_RETURN_IF_ERROR(status);
    if (db_.Changes() == 0) return absl::NotFoundError(absl::StrCat("contact ", id, " not found"));
  }
  return absl::OkStatus();
}

template <typename Db>
absl::StatusOr<int64_t> SqlWriteTxn<Db>::InsertMerge(const domain::CitizenMerge& m) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt,
      db_.Prepare("INSERT INTO citizen_merges (from_citizen, into_citizen, moved_cases_json, "
                  "moved_contacts_json, merged_by, merged_at, reversed_at, reversed_by) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
  stmt.Bind(m.from_citizen)
                            .Bind(m.into_citizen)
                            .Bind(EncodeIds(m.moved_cases))
                            .Bind(EncodeIds(m.moved_contacts))
                            .Bind(m.merged_by)
                            .Bind(m.merged_at)
                            .Bind(m.reversed_at)
                            .Bind(m.reversed_by);
  absl::StatusOr<int64_t> id = sql_internal::ReturnedId(stmt);
  if (id.status().code() == absl::StatusCode::kFailedPrecondition) {
    return absl::NotFoundError("a merged citizen does not exist");
  }
  return id;
}

template <typename Db>
absl::Status SqlWriteTxn<Db>::UpdateMerge(const domain::CitizenMerge& m) {
  {
    ONESTOP_ASSIGN_OR_RETURN(
        auto stmt, db_.Prepare("UPDATE citizen_merges SET moved_cases_json = ?, "
                               "moved_contacts_json = ?, reversed_at = ?, reversed_by = ? "
                               "WHERE id = ?"));
    ONESTOP_RETURN_IF_ERROR(stmt.Bind(EncodeIds(m.moved_cases))
                                .Bind(EncodeIds(m.moved_contacts))
                                .Bind(m.reversed_at)
                                .Bind(m.reversed_by)
                                .Bind(m.id)
                                .Run());
  }
  if (db_.Changes() == 0) return absl::NotFoundError(absl::StrCat("merge ", m.id, " not found"));
  return absl::OkStatus();
}

}  // namespace onestop::store
