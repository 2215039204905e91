// ReadPool: a fixed set of query-only connections to the store's file. WAL
// mode lets them read committed data while the writer writes.
//
// Threads: Acquire may be called from any thread; it blocks while every
// connection is lent out. A Lease gives its holder exclusive use of one
// connection until the Lease is destroyed.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "store/sqlite/db.h"

namespace onestop::store::sqlite {

class ReadPool {
 public:
  class Lease {
   public:
    Lease(ReadPool* pool, std::unique_ptr<Db> db) : pool_(pool), db_(std::move(db)) {}
    Lease(Lease&&) = default;
    ~Lease() {
      if (db_) pool_->Release(std::move(db_));
    }
    Db& db() { return *db_; }

   private:
    ReadPool* pool_;
    std::unique_ptr<Db> db_;
  };

  // Opens `size` connections (at least 1).
  static absl::StatusOr<std::unique_ptr<ReadPool>> Open(const std::string& path, int size,
                                                        absl::Duration busy_timeout);

  Lease Acquire();

 private:
  ReadPool() = default;
  void Release(std::unique_ptr<Db> db);

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Db>> free_;  // GUARDED_BY(mu_)
};

}  // namespace onestop::store::sqlite
