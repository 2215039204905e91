// GroupCommitWriter: the one thread that writes to the SQLite file.
//
// Submit(fn) queues a job and blocks until it is finished. The writer thread
// takes every pending job (up to max_batch), opens one transaction (BEGIN
// IMMEDIATE) and runs each job inside its own SAVEPOINT: a job whose fn fails
// is rolled back to its savepoint and gets its own error; the others carry
// on. Then one COMMIT — with synchronous=FULL that is one fsync for the whole
// batch — and only after the COMMIT succeeded is any job told it succeeded.
// If BEGIN or COMMIT fails (or SQLite abandons the transaction mid-batch),
// every job of the batch fails and nothing of it is reported as written.
//
// Threads: Submit and Close may be called from any thread, except from inside
// a job's fn (the writer thread would wait for itself). The write connection
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
#include <string>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "domain/store.h"
#include "store/sqlite/db.h"

namespace onestop::store::sqlite {

class GroupCommitWriter {
 public:
  using Fn = std::function<absl::Status(domain::WriteTxn&)>;

  // Starts the writer thread, which owns `db` from now on.
  GroupCommitWriter(std::unique_ptr<Db> db, int max_batch);
  ~GroupCommitWriter();  // Close()
  GroupCommitWriter(const GroupCommitWriter&) = delete;
  GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;

  absl::Status Submit(const Fn& fn);
  void Close();

  // Counters for benchmarks and /metrics: batches committed, jobs run.
  int64_t batches() const;
  int64_t jobs() const;

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

  void Run();
  void RunBatch(std::deque<std::shared_ptr<Job>>& batch);
  absl::Status Exec(const std::string& sql);  // writer thread only, cached statement

  const int max_batch_;
  std::unique_ptr<Db> db_;  // writer thread only

  mutable std::mutex mu_;
  std::condition_variable work_cv_;   // signalled when a job is queued or on close
  std::deque<std::shared_ptr<Job>> queue_;            // GUARDED_BY(mu_)
  bool closing_ = false;              // GUARDED_BY(mu_)
  int64_t batches_ = 0;               // GUARDED_BY(mu_)
  int64_t jobs_ = 0;                  // GUARDED_BY(mu_)
  std::once_flag close_once_;
  std::thread thread_;
};

}  // namespace onestop::store::sqlite
