#include "store/sqlite/writer.h"

#include <exception>
#include <utility>

#include "absl/strings/str_cat.h"
#include "store/sqlite/write_txn.h"

namespace onestop::store::sqlite {

GroupCommitWriter::GroupCommitWriter(std::unique_ptr<Db> db, int max_batch)
    : max_batch_(max_batch > 0 ? max_batch : 1), db_(std::move(db)) {
  thread_ = std::thread([this] { Run(); });
}

GroupCommitWriter::~GroupCommitWriter() { Close(); }

absl::Status GroupCommitWriter::Submit(const Fn& fn) {
  auto job = std::make_shared<Job>();
  job->fn = &fn;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closing_) return absl::UnavailableError("the store is closed");
    queue_.push_back(job);
    if (queue_.size() == 1) work_cv_.notify_one();
  }
  std::unique_lock<std::mutex> job_lock(job->mu);
  job->cv.wait(job_lock, [&job] { return job->done; });
  return std::move(job->status);
}

void GroupCommitWriter::Close() {
  std::call_once(close_once_, [this] {
    {
      std::lock_guard<std::mutex> lock(mu_);
      closing_ = true;
    }
    work_cv_.notify_one();
    if (thread_.joinable()) thread_.join();
  });
}

int64_t GroupCommitWriter::batches() const {
  std::lock_guard<std::mutex> lock(mu_);
  return batches_;
}

int64_t GroupCommitWriter::jobs() const {
  std::lock_guard<std::mutex> lock(mu_);
  return jobs_;
}

absl::Status GroupCommitWriter::Exec(const std::string& sql) {
  // Prepared once and cached: these run several times per batch.
  absl::StatusOr<Stmt> stmt = db_->Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  return stmt->Run();
}

void GroupCommitWriter::Run() {
  std::deque<std::shared_ptr<Job>> batch;
  while (true) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      work_cv_.wait(lock, [this] { return !queue_.empty() || closing_; });
      if (queue_.empty()) return;  // closing and drained
      while (!queue_.empty() && static_cast<int>(batch.size()) < max_batch_) {
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    RunBatch(batch);
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++batches_;
      jobs_ += static_cast<int64_t>(batch.size());
    }
    for (const std::shared_ptr<Job>& job : batch) {
      std::lock_guard<std::mutex> job_lock(job->mu);
      job->done = true;
      job->cv.notify_one();
    }
    batch.clear();
  }
}

void GroupCommitWriter::RunBatch(std::deque<std::shared_ptr<Job>>& batch) {
  auto fail_all = [&batch](const absl::Status& cause) {
    absl::Status status(cause.code() == absl::StatusCode::kUnavailable
                            ? absl::StatusCode::kUnavailable
                            : absl::StatusCode::kInternal,
                        absl::StrCat("the write was not committed: ", cause.message()));
    for (const std::shared_ptr<Job>& job : batch) job->status = status;
  };

  absl::Status begin = Exec("BEGIN IMMEDIATE");
  if (!begin.ok()) {
    fail_all(begin);
    return;
  }
  SqliteWriteTxn txn(*db_);
  for (const std::shared_ptr<Job>& job : batch) {
    absl::Status status = Exec("SAVEPOINT job");
    if (status.ok()) {
      try {
        job->status = (*job->fn)(txn);
      } catch (const std::exception& e) {
        job->status = absl::InternalError(absl::StrCat("write failed with an exception: ", e.what()));
      } catch (...) {
        job->status = absl::InternalError("write failed with an unknown exception");
      }
      if (!db_->InTransaction()) {
        // SQLite rolled the whole transaction back (I/O error, out of memory):
        // the earlier jobs' work is gone too.
        fail_all(absl::InternalError("SQLite abandoned the transaction"));
        return;
      }
      if (!job->status.ok()) status = Exec("ROLLBACK TO job");
      if (status.ok()) status = Exec("RELEASE job");
    }
    if (!status.ok()) {
      fail_all(status);
      if (db_->InTransaction()) db_->Exec("ROLLBACK").IgnoreError();
      return;
    }
  }
  absl::Status commit = Exec("COMMIT");
  if (!commit.ok()) {
    fail_all(commit);
    if (db_->InTransaction()) db_->Exec("ROLLBACK").IgnoreError();
  }
}

}  // namespace onestop::store::sqlite
