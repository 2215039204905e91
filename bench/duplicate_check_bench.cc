// duplicate_check: the latency of the duplicate check every channel makes
// before raising a case (domain/duplicates.h + Store::FindDuplicateCandidates)
// on a SQLite store holding N cases (default 1,000,000).
//
//   duplicate_check [--cases N] [--checks K] [--dir D] [--keep] [--db FILE]
//
// --db FILE reuses a database an earlier run kept (--keep prints its path):
// the load is skipped and only the checks run.
// The cases: 20 services (half with the nearby rule), spread over a
// 20 km × 20 km council around 50.83 N, 0.14 W, raised over the last year,
// 70% of them finished, 10,000 residents. Each check is a random new report
// (service, place, resident): the candidate query on the v8 indexes plus the
// pure ranking, exactly what POST /api/v1/cases/duplicate-check runs below
// HTTP. Prints p50/p90/p99/max and the SQLite query plan of each part (an
// index search, never a scan of cases).
#include <sqlite3.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "domain/duplicates.h"
#include "store/sqlite/sqlite_store.h"

namespace {

using onestop::domain::Case;
using onestop::domain::CaseStatus;

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
// This thread's CPU time: the check's own work, whatever else the machine runs.
double ThreadCpuUs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

bool ArgFlag(int argc, char** argv, const char* name) {
  for (int arg_idx = 1; arg_idx < argc; ++arg_idx) {
    if (std::string(argv[arg_idx]) == name) return true;
  }
  return false;
}

constexpr double kLat = 50.83, kLng = -0.14;
constexpr double kMetreLat = 1.0 / 111195.08;
constexpr double kMetreLng = kMetreLat / 0.6312;  // cos(50.83°)
constexpr int kServices = 20;

onestop::domain::Service ServiceNo(int idx) {
  onestop::domain::Service s;
  s.code = absl::StrCat("service-", idx);
  s.duplicates = {idx % 2 == 0, 50, 30};
  return s;
}

void PrintPlan(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) return;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, ("EXPLAIN QUERY PLAN " + sql).c_str(), -1, &stmt, nullptr) == SQLITE_OK) {
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      std::printf("    plan: %s\n", reinterpret_cast<const char*>(sqlite3_column_text(stmt, 3)));
    }
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

}  // namespace

int main(int argc, char** argv) {
  const int total = ArgInt(argc, argv, "--cases", 1000000);
  const int checks = ArgInt(argc, argv, "--checks", 5000);
  const std::filesystem::path dir = std::filesystem::path(ArgString(argc, argv, "--dir", "/tmp")) /
                                    absl::StrCat("onestop-duplicate-bench-", getpid());
  std::filesystem::create_directories(dir);
  const std::string reuse = ArgString(argc, argv, "--db", "");
  const std::string path = reuse.empty() ? (dir / "bench.db").string() : reuse;
  auto opened = onestop::store::sqlite::SqliteStore::Open(path);
  if (!opened.ok()) {
    std::fprintf(stderr, "open: %s\n", opened.status().ToString().c_str());
    return 1;
  }
  auto& store = *opened;
  if (absl::Status status = store->Migrate(); !status.ok()) {
    std::fprintf(stderr, "migrate: %s\n", status.ToString().c_str());
    return 1;
  }

  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> metres(-10000, 10000);
  const absl::Time now = absl::Now();
  constexpr int kCitizens = 10000;
  auto load_start = std::chrono::steady_clock::now();
  absl::Status loaded = store->Write([&](onestop::domain::WriteTxn& txn) -> absl::Status {
    for (int citizen_idx = 0; citizen_idx < (reuse.empty() ? kCitizens : 0); ++citizen_idx) {
      onestop::domain::Citizen c;
      c.family_name = absl::StrCat("Resident", citizen_idx);
      c.created_at = c.updated_at = now;
      if (auto id = txn.InsertCitizen(c); !id.ok()) return id.status();
    }
    return absl::OkStatus();
  });
  if (!loaded.ok()) {
    std::fprintf(stderr, "citizens: %s\n", loaded.ToString().c_str());
    return 1;
  }
  constexpr int kBatch = 20000;
  for (int done = reuse.empty() ? 0 : total; done < total; done += kBatch) {
    absl::Status status = store->Write([&](onestop::domain::WriteTxn& txn) -> absl::Status {
      for (int case_idx = done; case_idx < std::min(total, done + kBatch); ++case_idx) {
        auto number = txn.NextCaseNumber();
        if (!number.ok()) return number.status();
        Case c;
        c.id = *number;
        c.reference = absl::StrCat("B", *number);
        c.service_code = ServiceNo(static_cast<int>(rng() % kServices)).code;
        c.department = "streets";
        c.team = "crew";
        c.summary = "Something in the street";
        c.values = {{"what", {absl::StrCat("kind-", rng() % 5)}}};
        c.status = rng() % 10 < 7 ? CaseStatus::kClosed : CaseStatus::kOpen;
        c.location.lat = kLat + metres(rng) * kMetreLat;
        c.location.lng = kLng + metres(rng) * kMetreLng;
        if (rng() % 4 == 0) c.citizen_id = static_cast<int64_t>(1 + rng() % kCitizens);
        c.created_at = c.updated_at = now - absl::Seconds(static_cast<int64_t>(rng() % (365 * 86400)));
        if (absl::Status s = txn.InsertCase(c); !s.ok()) return s;
      }
      return absl::OkStatus();
    });
    if (!status.ok()) {
      std::fprintf(stderr, "load: %s\n", status.ToString().c_str());
      return 1;
    }
  }
  const double load_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - load_start).count();

  std::vector<double> latencies_us, cpu_us;
  latencies_us.reserve(checks);
  cpu_us.reserve(checks);
  size_t matches = 0;
  for (int check_idx = 0; check_idx < checks; ++check_idx) {
    const onestop::domain::Service service = ServiceNo(static_cast<int>(rng() % kServices));
    Case probe;
    probe.service_code = service.code;
    probe.location.lat = kLat + metres(rng) * kMetreLat;
    probe.location.lng = kLng + metres(rng) * kMetreLng;
    probe.citizen_id = static_cast<int64_t>(1 + rng() % kCitizens);
    probe.created_at = now;
    auto t0 = std::chrono::steady_clock::now();
    const double cpu0 = ThreadCpuUs();
    auto candidates = store->FindDuplicateCandidates(onestop::domain::DuplicateQueryFor(probe, service));
    if (!candidates.ok()) {
      std::fprintf(stderr, "check: %s\n", candidates.status().ToString().c_str());
      return 1;
    }
    matches += onestop::domain::FindDuplicates(probe, service, *candidates).size();
    cpu_us.push_back(ThreadCpuUs() - cpu0);
    latencies_us.push_back(
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(latencies_us.begin(), latencies_us.end());
  std::sort(cpu_us.begin(), cpu_us.end());
  auto pct = [&](double p) { return latencies_us[static_cast<size_t>(p * (latencies_us.size() - 1))]; };
  auto cpu_pct = [&](double p) { return cpu_us[static_cast<size_t>(p * (cpu_us.size() - 1))]; };

  std::printf("duplicate_check: %d cases (%d services, 10,000 residents) loaded in %.1f s into %s%s\n",
              total, kServices, load_s, path.c_str(), reuse.empty() ? "" : " (reused)");
  std::printf("  %d checks, %.2f matches per check on average\n", checks,
              static_cast<double>(matches) / checks);
  std::printf("  latency per check: p50 %.0f us, p90 %.0f us, p99 %.0f us, max %.0f us\n", pct(0.5),
              pct(0.9), pct(0.99), latencies_us.back());
  std::printf("  CPU time per check:  p50 %.0f us, p90 %.0f us, p99 %.0f us, max %.0f us\n",
              cpu_pct(0.5), cpu_pct(0.9), cpu_pct(0.99), cpu_us.back());
  std::printf("  query plans (SQLite EXPLAIN QUERY PLAN):\n");
  const std::string open = "('new', 'open', 'in_progress', 'waiting_on_citizen')";
  PrintPlan(path, "SELECT * FROM cases WHERE citizen_id = 1 AND service_code = 'service-0' AND status IN " + open);
  PrintPlan(path, "SELECT * FROM cases WHERE service_code = 'service-0' AND location_lat BETWEEN 50.8 AND 50.81 "
                  "AND location_lng BETWEEN -0.15 AND -0.14 AND created_at >= 0 AND status IN " + open);
  std::printf("  command: %s --cases %d --checks %d\n", argv[0], total, checks);
  store->Close();
  if (!ArgFlag(argc, argv, "--keep")) std::filesystem::remove_all(dir);
  if (!reuse.empty()) std::filesystem::remove_all(dir);  // the empty directory of this run
  return 0;
}
