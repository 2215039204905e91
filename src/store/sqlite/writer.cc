#include "store/sqlite/writer.h"

#include <string>
#include <utility>

#include "store/sqlite/write_txn.h"

namespace onestop::store::sqlite {
namespace {

class SqliteBatch final : public BatchTransaction {
 public:
  explicit SqliteBatch(std::unique_ptr<Db> db) : db_(std::move(db)), txn_(*db_) {}

  absl::Status Begin() override { return Exec("BEGIN IMMEDIATE"); }
  absl::Status Savepoint() override { return Exec("SAVEPOINT job"); }
  absl::Status RollbackToSavepoint() override { return Exec("ROLLBACK TO job"); }
  absl::Status ReleaseSavepoint() override { return Exec("RELEASE job"); }
  absl::Status Commit() override { return Exec("COMMIT"); }
  void Rollback() override {
    if (db_->InTransaction()) db_->Exec("ROLLBACK").IgnoreError();
  }
  absl::Status CheckInTransaction() override {
    if (db_->InTransaction()) return absl::OkStatus();
    return absl::InternalError("SQLite abandoned the transaction");
  }
  domain::WriteTxn& txn() override { return txn_; }

 private:
  absl::Status Exec(const std::string& sql) {
    // Prepared once and cached: these run several times per batch.
    absl::StatusOr<Stmt> stmt = db_->Prepare(sql);
    if (!stmt.ok()) return stmt.status();
    return stmt->Run();
  }

  std::unique_ptr<Db> db_;
  SqliteWriteTxn txn_;
};

}  // namespace

std::unique_ptr<GroupCommitWriter> StartWriter(std::unique_ptr<Db> db, int max_batch) {
  return std::make_unique<GroupCommitWriter>(std::make_unique<SqliteBatch>(std::move(db)),
                                             max_batch);
}

}  // namespace onestop::store::sqlite
