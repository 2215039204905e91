// GroupCommitWriter: the batching half of every store's writer, shared by the
// SQLite and PostgreSQL backends so their group commit stays the same.
//
// Submit(fn) queues a job and blocks until it is finished. The writer thread
// takes every pending job (up to max_batch), opens one transaction through
// the backend's BatchTransaction and runs each job inside its own savepoint:
// a job whose fn fails is rolled back to its savepoint and gets its own
// error; the others carry on. Then one COMMIT — one durable flush for the
// whole batch — and only after the COMMIT succeeded is any job told it
// succeeded. If BEGIN or COMMIT fails (or the database abandons the
// transaction mid-batch), every job of the batch fails and nothing of it is
// reported as written. When the backend calls a failure retryable
// (serialization failure, deadlock), the whole batch is rolled back and run
// again, at most max_attempts times in all (store.h: fn may run again).
//
// Threads: Submit and Close may be called from any thread, except from inside
// a job's fn (the writer thread would wait for itself). The BatchTransaction
// is used only by the writer thread after construction. Close drains the
// queue (already queued jobs still run), then stops the thread; Submit after
// Close returns Unavailable.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "absl/status/status.h"
#include "domain/store.h"

namespace onestop::store {

// What a backend provides to the writer: one connection's transaction
// control and the WriteTxn its jobs use. Called only on the writer thread.
class BatchTransaction {
 public:
  virtual ~BatchTransaction() = default;
  virtual absl::Status Begin() = 0;  // may reconnect first
  virtual absl::Status Savepoint() = 0;
  virtual absl::Status RollbackToSavepoint() = 0;
  virtual absl::Status ReleaseSavepoint() = 0;
  virtual absl::Status Commit() = 0;
  virtual void Rollback() = 0;  // best effort, after a failure
  // OK while the batch transaction is still open; otherwise why it is not
  // (the database rolled it back: I/O error, lost connection).
  virtual absl::Status CheckInTransaction() = 0;
  // True when `status` means the batch may succeed if simply run again.
  virtual bool Retryable(const absl::Status& status) { return false; }
  virtual domain::WriteTxn& txn() = 0;
};

class GroupCommitWriter {
 public:
  using Fn = std::function<absl::Status(domain::WriteTxn&)>;

  // Starts the writer thread, which owns `backend` from now on.
  GroupCommitWriter(std::unique_ptr<BatchTransaction> backend, int max_batch,
                    int max_attempts = 3);
  ~GroupCommitWriter();  // Close()
  GroupCommitWriter(const GroupCommitWriter&) = delete;
  GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;

  absl::Status Submit(const Fn& fn);
  void Close();

  // Counters for benchmarks and /metrics: batches committed, jobs run,
  // batches run again after a retryable failure.
  int64_t batches() const;
  int64_t jobs() const;
  int64_t retries() const;

 private:
  // Shared by the caller (waiting) and the writer (completing), so the
  // writer may still touch it after the caller has woken and returned.
  struct Job {
    const Fn* fn = nullptr;
    // A lock per job, not the queue lock, so completing a batch wakes its
    // callers without them all queueing on one mutex. (std::atomic::wait
    // was tried: libstdc++ spins on sched_yield first, which costs more.)
    std::mutex mu;
    std::condition_variable cv;
    absl::Status status;  // writer fills it before setting done (under mu)
    bool done = false;    // GUARDED_BY(mu)
  };
  using Batch = std::deque<std::shared_ptr<Job>>;
  enum class Outcome { kDone, kRetry };

  void Run();
  void RunBatch(Batch& batch);
  Outcome RunBatchOnce(Batch& batch, bool last_attempt);

  const int max_batch_;
  const int max_attempts_;
  std::unique_ptr<BatchTransaction> backend_;  // writer thread only

  mutable std::mutex mu_;
  std::condition_variable work_cv_;  // signalled when a job is queued or on close
  Batch queue_;                      // GUARDED_BY(mu_)
  bool closing_ = false;             // GUARDED_BY(mu_)
  int64_t batches_ = 0;              // GUARDED_BY(mu_)
  int64_t jobs_ = 0;                 // GUARDED_BY(mu_)
  int64_t retries_ = 0;              // GUARDED_BY(mu_)
  std::once_flag close_once_;
  std::thread thread_;
};

}  // namespace onestop::store
