// Indexer: keeps a SearchIndex in step with the store by following the event
// log, and rebuilds it from scratch.
//
// Start() runs a background thread that reads Store::ListEvents after the
// index's last seq, re-reads each touched record (article, service, citizen,
// case) from the store, Puts it, stores the new last seq and commits — so a
// change is searchable within one poll interval (250 ms by default) of its
// commit, and at once after Wake() (called when this process writes, or
// from a ChangeFeed when another node does). Catalogue keywords are
// re-loaded as synonyms whenever a service changes.
//
// Rebuild() clears the index and indexes every record, reporting progress;
// `onestop reindex` runs it. The result equals what following the log from
// seq 0 gives.
//
// Threads: Start/Stop/Wake from any thread; CatchUp and Rebuild must not run
// while the background thread is running (they are for the CLI and tests).
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "domain/search_index.h"
#include "domain/store.h"

namespace onestop::search {

class XapianIndex;

class Indexer {
 public:
  Indexer(domain::Store& store, XapianIndex& index, absl::Duration poll = absl::Milliseconds(250));
  ~Indexer();

  // Indexes everything after the index's last seq (until no events remain).
  absl::Status CatchUp();
  // Clears and rebuilds; progress(done, total) is called as it goes.
  absl::Status Rebuild(const std::function<void(int64_t, int64_t)>& progress = {});

  void Start();
  void Stop();
  void Wake();

 private:
  absl::Status IndexSynonyms();
  void Run();

  domain::Store& store_;
  XapianIndex& index_;
  const absl::Duration poll_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool woken_ = false;     // GUARDED_BY(mu_)
  bool stopping_ = false;  // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace onestop::search
