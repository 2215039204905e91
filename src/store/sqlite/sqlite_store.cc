#include "store/sqlite/sqlite_store.h"

#include <utility>

#include "store/sqlite/db.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/read_pool.h"
#include "store/sqlite/writer.h"

namespace onestop::store::sqlite {

absl::StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                               Options options) {
  Db::OpenOptions write_options;
  write_options.create = true;
  write_options.busy_timeout = options.busy_timeout;
  // The write connection opens first: it creates the file and puts it in WAL
  // mode before the readers attach.
  absl::StatusOr<std::unique_ptr<Db>> write_db = Db::Open(path, write_options);
  if (!write_db.ok()) return write_db.status();
  absl::StatusOr<std::unique_ptr<ReadPool>> readers =
      ReadPool::Open(path, options.read_pool_size, options.busy_timeout);
  if (!readers.ok()) return readers.status();
  std::unique_ptr<GroupCommitWriter> writer = StartWriter(std::move(*write_db), options.batch_max);
  return std::unique_ptr<SqliteStore>(
      new SqliteStore(path, options, std::move(writer), std::move(*readers)));
}

SqliteStore::SqliteStore(std::string path, Options options,
                         std::unique_ptr<GroupCommitWriter> writer,
                         std::unique_ptr<ReadPool> readers)
    : path_(std::move(path)),
      options_(options),
      writer_(std::move(writer)),
      readers_(std::move(readers)) {}

SqliteStore::~SqliteStore() { Close(); }

absl::Status SqliteStore::Migrate() {
  // A connection of its own: the write connection belongs to the writer
  // thread. File locks (and busy_timeout) order it against the writer.
  Db::OpenOptions options;
  options.busy_timeout = options_.busy_timeout;
  absl::StatusOr<std::unique_ptr<Db>> db = Db::Open(path_, options);
  if (!db.ok()) return db.status();
  return ApplyMigrations(**db, absl::Now());
}

absl::StatusOr<int> SqliteStore::SchemaVersion() {
  ReadPool::Lease lease = readers_->Acquire();
  return ReadSchemaVersion(lease.db());
}

int SqliteStore::LatestSchemaVersion() { return static_cast<int>(Migrations().size()); }

int64_t SqliteStore::CommittedBatches() const { return writer_->batches(); }
int64_t SqliteStore::CompletedWrites() const { return writer_->jobs(); }

absl::Status SqliteStore::Write(const std::function<absl::Status(domain::WriteTxn&)>& fn) {
  return writer_->Submit(fn);
}

absl::Status SqliteStore::Ping() {
  ReadPool::Lease lease = readers_->Acquire();
  absl::StatusOr<Stmt> stmt = lease.db().Prepare("SELECT 1");
  if (!stmt.ok()) return stmt.status();
  return stmt->Run();
}

void SqliteStore::Close() { writer_->Close(); }

}  // namespace onestop::store::sqlite
