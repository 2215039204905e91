#include "store/sqlite/read_pool.h"

namespace onestop::store::sqlite {

absl::StatusOr<std::unique_ptr<ReadPool>> ReadPool::Open(const std::string& path, int size,
                                                         absl::Duration busy_timeout) {
  std::unique_ptr<ReadPool> pool(new ReadPool());
  Db::OpenOptions options;
  options.create = false;
  options.busy_timeout = busy_timeout;
  options.query_only = true;
  for (int conn_idx = 0; conn_idx < (size > 0 ? size : 1); ++conn_idx) {
    absl::StatusOr<std::unique_ptr<Db>> db = Db::Open(path, options);
    if (!db.ok()) return db.status();
    pool->free_.push_back(std::move(*db));
  }
  return pool;
}

ReadPool::Lease ReadPool::Acquire() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [this] { return !free_.empty(); });
  std::unique_ptr<Db> db = std::move(free_.back());
  free_.pop_back();
  return Lease(this, std::move(db));
}

void ReadPool::Release(std::unique_ptr<Db> db) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    free_.push_back(std::move(db));
  }
  cv_.notify_one();
}

}  // namespace onestop::store::sqlite
