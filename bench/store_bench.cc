// store_bench: how many small case inserts per second the SQLite store's
// group-commit writer sustains, and the latency of one Write, with many
// concurrent callers (like HTTP worker threads).
//
//   store_bench [--threads N] [--writes-per-thread K] [--batch-max B] [--dir D]
//
// Each Write takes a case number, inserts a case (summary, form values,
// location) and appends its "case.created" event — what POST /cases does.
// The database is a fresh file in D (default /tmp), synchronous=FULL.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "store/sqlite/sqlite_store.h"

namespace {

using onestop::domain::WriteTxn;

int ArgInt(int argc, char** argv, const char* name, int fallback) {
  for (int arg_idx = 1; arg_idx + 1 < argc; ++arg_idx) {
    if (std::string(argv[arg_idx]) == name) return std::atoi(argv[arg_idx + 1]);
  }
  return fallback;
}

std::string ArgString(int argc, char** argv, const char* name, const char* fallback) {
  for (int arg_idx = 1; arg_idx + 1 < argc; ++arg_idx) {
    if (std::string(argv[arg_idx]) == name) return argv[arg_idx + 1];
  }
  return fallback;
}

}  // namespace

int main(int argc, char** argv) {
  const int threads = ArgInt(argc, argv, "--threads", 64);
  const int per_thread = ArgInt(argc, argv, "--writes-per-thread", 1000);
  const int batch_max = ArgInt(argc, argv, "--batch-max", 512);
  const std::filesystem::path dir =
      std::filesystem::path(ArgString(argc, argv, "--dir", "/tmp")) /
      absl::StrCat("onestop-store-bench-", getpid());
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "bench.db").string();

  onestop::store::sqlite::SqliteStore::Options options;
  options.batch_max = batch_max;
  auto opened = onestop::store::sqlite::SqliteStore::Open(path, options);
  if (!opened.ok()) {
    std::fprintf(stderr, "open: %s\n", opened.status().ToString().c_str());
    return 1;
  }
  auto& store = *opened;
  if (absl::Status status = store->Migrate(); !status.ok()) {
    std::fprintf(stderr, "migrate: %s\n", status.ToString().c_str());
    return 1;
  }

  std::vector<std::vector<double>> latencies_us(threads);
  std::atomic<int> failures{0};
  const absl::Time now = absl::Now();
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  for (int thread_idx = 0; thread_idx < threads; ++thread_idx) {
    pool.emplace_back([&, thread_idx] {
      latencies_us[thread_idx].reserve(per_thread);
      for (int write_idx = 0; write_idx < per_thread; ++write_idx) {
        auto t0 = std::chrono::steady_clock::now();
        absl::Status status = store->Write([&](WriteTxn& txn) -> absl::Status {
          absl::StatusOr<int64_t> number = txn.NextCaseNumber();
          if (!number.ok()) return number.status();
          onestop::domain::Case c;
          c.id = *number;
          c.reference = absl::StrCat("B", *number);
          c.service_code = "missed-bin";
          c.department = "waste";
          c.team = "waste-crews";
          c.summary = "Green bin not collected";
          c.values = {{"bin_type", {"green"}}};
          c.location.postcode = "NW1 1AA";
          c.location.lat = 51.5;
          c.location.lng = -0.14;
          c.created_at = now;
          c.updated_at = now;
          c.due_at = now + absl::Hours(48);
          if (absl::Status s = txn.InsertCase(c); !s.ok()) return s;
          onestop::domain::Event e;
          e.at = now;
          e.entity = "case";
          e.entity_id = c.id;
          e.entity_key = c.reference;
          e.type = "case.created";
          e.case_id = c.id;
          return txn.AppendEvent(e).status();
        });
        auto t1 = std::chrono::steady_clock::now();
        if (!status.ok()) ++failures;
        latencies_us[thread_idx].push_back(
            std::chrono::duration<double, std::micro>(t1 - t0).count());
      }
    });
  }
  for (std::thread& t : pool) t.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::vector<double> all;
  for (const auto& per : latencies_us) all.insert(all.end(), per.begin(), per.end());
  std::sort(all.begin(), all.end());
  auto pct = [&all](double p) {
    return all.empty() ? 0.0 : all[std::min(all.size() - 1, static_cast<size_t>(p * all.size()))];
  };
  const int64_t batches = store->CommittedBatches();
  const int64_t writes = store->CompletedWrites();
  store->Close();
  std::printf("threads=%d writes=%zu failures=%d seconds=%.3f\n", threads, all.size(),
              failures.load(), seconds);
  std::printf("cases/s=%.0f\n", all.size() / seconds);
  std::printf("write latency us: p50=%.0f p99=%.0f max=%.0f\n", pct(0.50), pct(0.99), all.back());
  std::printf("commits=%lld mean batch=%.1f\n", static_cast<long long>(batches),
              batches > 0 ? static_cast<double>(writes) / batches : 0.0);
  store.reset();
  std::filesystem::remove_all(dir);
  return failures.load() == 0 ? 0 : 1;
}
