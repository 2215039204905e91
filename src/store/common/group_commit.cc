#include "store/common/group_commit.h"

#include <exception>
#include <utility>

#include "absl/strings/str_cat.h"

namespace onestop::store {

GroupCommitWriter::GroupCommitWriter(std::unique_ptr<BatchTransaction> backend, int max_batch,
                                     int max_attempts)
    : max_batch_(max_batch > 0 ? max_batch : 1),
      max_attempts_(max_attempts > 0 ? max_attempts : 1),
      backend_(std::move(backend)) {
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
    backend_.reset();  // closes the connection now, not at destruction
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

int64_t GroupCommitWriter::retries() const {
  std::lock_guard<std::mutex> lock(mu_);
  return retries_;
}

void GroupCommitWriter::Run() {
  Batch batch;
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

void GroupCommitWriter::RunBatch(Batch& batch) {
  for (int attempt = 1; attempt <= max_attempts_; ++attempt) {
    if (RunBatchOnce(batch, attempt == max_attempts_) == Outcome::kDone) return;
    std::lock_guard<std::mutex> lock(mu_);
    ++retries_;
  }
}

GroupCommitWriter::Outcome GroupCommitWriter::RunBatchOnce(Batch& batch, bool last_attempt) {
  auto fail_all = [&batch](const absl::Status& cause) {
    absl::Status status(cause.code() == absl::StatusCode::kUnavailable
                            ? absl::StatusCode::kUnavailable
                            : absl::StatusCode::kInternal,
                        absl::StrCat("the write was not committed: ", cause.message()));
    for (const std::shared_ptr<Job>& job : batch) job->status = status;
  };
  // A retryable failure rolls the whole batch back and runs it again; on the
  // last attempt it fails every job as Unavailable (try again later).
  auto retry_or_fail = [&](const absl::Status& cause) {
    backend_->Rollback();
    if (!last_attempt) return Outcome::kRetry;
    fail_all(absl::UnavailableError(
        absl::StrCat("gave up after repeated conflicts: ", cause.message())));
    return Outcome::kDone;
  };

  absl::Status begin = backend_->Begin();
  if (!begin.ok()) {
    if (backend_->Retryable(begin)) return retry_or_fail(begin);
    fail_all(begin);
    return Outcome::kDone;
  }
  for (const std::shared_ptr<Job>& job : batch) {
    absl::Status status = backend_->Savepoint();
    if (status.ok()) {
      try {
        job->status = (*job->fn)(backend_->txn());
      } catch (const std::exception& e) {
        job->status = absl::InternalError(absl::StrCat("write failed with an exception: ", e.what()));
      } catch (...) {
        job->status = absl::InternalError("write failed with an unknown exception");
      }
      if (backend_->Retryable(job->status)) return retry_or_fail(job->status);
      if (absl::Status open = backend_->CheckInTransaction(); !open.ok()) {
        // The database rolled the whole transaction back: the earlier jobs'
        // work is gone too.
        fail_all(open);
        backend_->Rollback();
        return Outcome::kDone;
      }
      if (!job->status.ok()) status = backend_->RollbackToSavepoint();
      if (status.ok()) status = backend_->ReleaseSavepoint();
    }
    if (!status.ok()) {
      if (backend_->Retryable(status)) return retry_or_fail(status);
      fail_all(status);
      backend_->Rollback();
      return Outcome::kDone;
    }
  }
  absl::Status commit = backend_->Commit();
  if (!commit.ok()) {
    if (backend_->Retryable(commit)) return retry_or_fail(commit);
    fail_all(commit);
    backend_->Rollback();
  }
  return Outcome::kDone;
}

}  // namespace onestop::store
