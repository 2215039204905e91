// SqlWriteTxn<Db>: cases and what hangs off them — case numbers, cases,
// notes, attachments and contacts.
// Included at the end of store/common/sql_write_txn.h (the class is declared
// there); not on its own.
#pragma once

namespace onestop::store {

template <typename Db>
absl::StatusOr<int64_t> SqlWriteTxn<Db>::NextCaseNumber() {
  // One row, one column: the next number (a counter row or a sequence).
  ONESTOP_ASSIGN_OR_RETURN(auto stmt, db_.Prepare(Db::kNextCaseNumberSql));
  ONESTOP_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return absl::InternalError("the case_number counter is missing (run migrations)");
  int64_t value = stmt.Int(0);
  ONESTOP_RETURN_IF_ERROR(stmt.Run());  // finish the statement
  return value;
}

template <typename Db>
absl::Status SqlWriteTxn<Db>::InsertCase(const domain::Case& c) {
  ONESTOP_ASSIGN_OR_RETURN(auto stmt, db_.Prepare(sql_internal::InsertCaseSql()));
  stmt.Bind(c.id);
  BindCaseFields(stmt, c);
  absl::Status status = stmt.Run();
  if (status.code() == absl::StatusCode::kFailedPrecondition) {
    return absl::NotFoundError(absl::StrCat("citizen ", c.citizen_id.value_or(0), " not found"));
  }
  return sql_internal::Rephrase(status, absl::StatusCode::kAlreadyExists,
                  absl::StrCat("case ", c.id, " or reference ", c.reference, " already exists"));
}

template <typename Db>
absl::Status SqlWriteTxn<Db>::UpdateCase(const domain::Case& c, int64_t expected_version) {
  {
    ONESTOP_ASSIGN_OR_RETURN(auto stmt, db_.Prepare(sql_internal::UpdateCaseSql()));
    BindCaseFields(stmt, c);
    ONESTOP_RETURN_IF_ERROR(
        sql_internal::Rephrase(stmt.Bind(c.id).Bind(expected_version).Run(), absl::StatusCode::kAlreadyExists,
                 absl::StrCat("reference ", c.reference, " is used by another case")));
  }
  if (db_.Changes() == 0) return VersionMismatch("cases", "case", c.id, expected_version);
  return absl::OkStatus();
}

template <typename Db>
absl::StatusOr<int64_t> SqlWriteTxn<Db>::InsertNote(const domain::Note& n) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt, db_.Prepare("INSERT INTO notes (case_id, visibility, body, author_id, created_at) "
                             "VALUES (?, ?, ?, ?, ?) RETURNING id"));
  auto& bound = stmt.Bind(n.case_id)
                            .Bind(domain::NoteVisibilityName(n.visibility))
                            .Bind(n.body)
                            .Bind(n.author_id)
                            .Bind(n.created_at);
  (void)bound;
  absl::StatusOr<int64_t> id = sql_internal::ReturnedId(stmt);
  if (id.status().code() == absl::StatusCode::kFailedPrecondition) {
    return absl::NotFoundError(absl::StrCat("case ", n.case_id, " not found"));
  }
  return id;
}

template <typename Db>
absl::StatusOr<int64_t> SqlWriteTxn<Db>::InsertAttachment(const domain::Attachment& a) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt,
      db_.Prepare("INSERT INTO attachments (case_id, filename, content_type, size_bytes, url, "
                  "sha256, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
  auto& bound = stmt.Bind(a.case_id)
                            .Bind(a.filename)
                            .Bind(a.content_type)
                            .Bind(a.size_bytes)
                            .Bind(a.url)
                            .Bind(a.sha256)
                            .Bind(a.uploaded_by)
                            .Bind(a.created_at);
  (void)bound;
  absl::StatusOr<int64_t> id = sql_internal::ReturnedId(stmt);
  if (id.status().code() == absl::StatusCode::kFailedPrecondition) {
    return absl::NotFoundError(absl::StrCat("case ", a.case_id, " not found"));
  }
  return id;
}

template <typename Db>
absl::StatusOr<int64_t> SqlWriteTxn<Db>::InsertContact(const domain::Contact& c) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt,
      db_.Prepare("INSERT INTO contacts (channel, direction, at, staff_id, citizen_id, case_id, "
                  "service_code, reason, outcome, duration_us, interaction_id, disposition) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
  stmt.Bind(domain::ChannelName(c.channel))
      .Bind(domain::DirectionName(c.direction))
      .Bind(c.at)
      .Bind(c.staff_id)
      .Bind(c.citizen_id)
      .Bind(c.case_id)
      .Bind(c.service_code)
      .Bind(c.reason)
      .Bind(domain::ContactOutcomeName(c.outcome))
      .Bind(static_cast<int64_t>(absl::ToInt64Microseconds(c.duration)))
      .Bind(c.interaction_id)
      .Bind(c.disposition);
  absl::StatusOr<int64_t> id = sql_internal::ReturnedId(stmt);
  if (id.status().code() == absl::StatusCode::kFailedPrecondition) {
    return absl::NotFoundError("the contact's citizen or case does not exist");
  }
  return id;
}

template <typename Db>
absl::StatusOr<std::optional<domain::Contact>> SqlWriteTxn<Db>::FindContactByInteraction(
    int64_t interaction_id) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt, db_.Prepare(absl::StrCat("SELECT ", kContactColumns,
                                          " FROM contacts WHERE interaction_id = ?")));
  stmt.Bind(interaction_id);
  ONESTOP_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return std::nullopt;
  ONESTOP_ASSIGN_OR_RETURN(domain::Contact c, ReadContact(stmt));
  return c;
}

template <typename Db>
absl::Status SqlWriteTxn<Db>::UpdateContact(const domain::Contact& c) {
  ONESTOP_ASSIGN_OR_RETURN(
      auto stmt,
      db_.Prepare("UPDATE contacts SET staff_id = ?, citizen_id = ?, case_id = ?, service_code = ?, "
                  "reason = ?, outcome = ?, duration_us = ?, disposition = ? WHERE id = ?"));
  stmt.Bind(c.staff_id)
      .Bind(c.citizen_id)
      .Bind(c.case_id)
      .Bind(c.service_code)
      .Bind(c.reason)
      .Bind(domain::ContactOutcomeName(c.outcome))
      .Bind(static_cast<int64_t>(absl::ToInt64Microseconds(c.duration)))
      .Bind(c.disposition);
  ONESTOP_RETURN_IF_ERROR(stmt.Bind(c.id).Run());
  if (db_.Changes() == 0) return absl::NotFoundError(absl::StrCat("contact ", c.id, " not found"));
  return absl::OkStatus();
}

}  // namespace onestop::store
