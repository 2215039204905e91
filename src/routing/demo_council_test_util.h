// Shared by the demo-council timer tests (demo_council_timers_test.cc on a
// virtual clock, demo_council_realtime_test.cc on the system clock): the demo
// council's routing configuration read as the seed reads it, and an engine
// with its agents signed in. Test-only; one copy per test binary.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "codec/council_file.h"
#include "common/clock.h"
#include "domain/event.h"
#include "domain/staff.h"
#include "gtest/gtest.h"
#include "routing/engine.h"
#include "routing/live_engine.h"
#include "store/sqlite/sqlite_store.h"


namespace onestop::routing::demo_test {


inline constexpr char kAgent[] = "agent@fairhaven.example";    // contact centre; waste, council tax
inline constexpr char kAgent2[] = "agent2@fairhaven.example";  // counter; general without delay
inline constexpr char kAgent3[] = "agent3@fairhaven.example";  // contact centre; no waste skill

// ---- the demo council ----

#ifndef ONESTOP_SOURCE_DIR
#define ONESTOP_SOURCE_DIR "."
#endif

// A file of data/demo/ in the source tree (ctest sets ONESTOP_SOURCE_DIR).
inline absl::StatusOr<std::string> DemoFile(const std::string& relative) {
  const char* env = std::getenv("ONESTOP_SOURCE_DIR");
  const std::filesystem::path path =
      std::filesystem::path(env != nullptr ? env : ONESTOP_SOURCE_DIR) / "data" / "demo" / relative;
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open()) return absl::NotFoundError(absl::StrCat("cannot read ", path.string()));
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

inline const codec::CouncilFile& Demo() {
  static const codec::CouncilFile* const file = [] {
    absl::StatusOr<std::string> text = DemoFile("council.json");
    EXPECT_TRUE(text.ok()) << text.status();
    absl::StatusOr<codec::CouncilFile> parsed =
        codec::ParseCouncilFile(text.value_or(""), [](const std::string& relative) {
          return DemoFile(relative);
        });
    EXPECT_TRUE(parsed.ok()) << parsed.status();
    return new codec::CouncilFile(parsed.ok() ? std::move(*parsed) : codec::CouncilFile{});
  }();
  return *file;
}

// The staff record the seed makes of a file entry (without id and password).
inline domain::StaffUser StaffRecord(const codec::DemoStaff& staff) {
  domain::StaffUser out;
  out.email = staff.email;
  out.display_name = staff.display_name;
  out.role = domain::ParseRole(staff.role).value_or(domain::Role::kAgent);
  out.department = staff.department;
  out.team = staff.team;
  out.skills = staff.skills;
  return out;
}

// The demo council with every routing time divided by `factor`, rounded up
// to a whole second (0 stays 0: "never" / "none").
inline codec::CouncilFile ScaledDown(codec::CouncilFile council, int factor) {
  auto scale = [factor](int& seconds) {
    if (seconds > 0) seconds = (seconds + factor - 1) / factor;
  };
  for (domain::RoutingQueue& queue : council.routing_queues) {
    for (domain::RoutingStepRule& step : queue.steps) scale(step.after_seconds);
    scale(queue.ring_timeout_seconds);
    scale(queue.wrap_up_seconds);
    scale(queue.service_level_seconds);
  }
  for (domain::RoutingProfile& profile : council.routing_profiles) {
    for (domain::RoutingProfileQueue& line : profile.queues) scale(line.delay_seconds);
  }
  return council;
}

// A call as `POST /api/v1/interactions` makes it.
inline NewItem Call(const std::string& queue, Media media = Media::kVoice) {
  NewItem item;
  item.media = media;
  item.queue = queue;
  item.caller = "07700900999";
  return item;
}

class Recorder : public EventSink {
 public:
  void OnEvent(const RoutingEvent& e) override { events.push_back(e); }
  std::vector<RoutingEvent> events;
};

// ---- virtual clock ----

// A virtual clock with nanosecond resolution.
class NanoClock final : public Clock {
 public:
  explicit NanoClock(absl::Time start) : nanos_(absl::ToUnixNanos(start)) {}
  absl::Time Now() const override { return absl::FromUnixNanos(nanos_.load()); }
  void Set(absl::Time t) { nanos_.store(absl::ToUnixNanos(t)); }

 private:
  std::atomic<int64_t> nanos_;
};

// 2026-11-24 10:00 UTC and a fraction that is not whole microseconds.
inline absl::Time Start() {
  return absl::FromCivil(absl::CivilSecond(2026, 11, 24, 10, 0, 0), absl::UTCTimeZone()) +
         absl::Nanoseconds(123'456'789);
}

// The Engine loaded with the demo council's queues and every staff member as
// an agent (id = position in the file + 1), all offline.
class DemoEngine {
 public:
  explicit DemoEngine(NanoClock& clock) : clock_(clock), engine_(clock, &recorder_) {
    for (const domain::RoutingQueue& queue : Demo().routing_queues) {
      absl::StatusOr<QueueConfig> cfg = ToQueueConfig(queue);
      EXPECT_TRUE(cfg.ok()) << cfg.status();
      if (cfg.ok()) {
        EXPECT_TRUE(engine_.UpsertQueue(*cfg).ok()) << queue.code;
      }
    }
    for (size_t idx = 0; idx < Demo().staff.size(); ++idx) {
      EXPECT_TRUE(engine_.UpsertAgent(AgentAt(idx)).ok()) << Demo().staff[idx].email;
    }
  }

  static AgentConfig AgentAt(size_t idx) {
    domain::StaffUser staff = StaffRecord(Demo().staff[idx]);
    staff.id = static_cast<int64_t>(idx) + 1;
    return ToAgentConfig(staff, Demo().routing_profiles, Demo().routing_queues);
  }
  static int64_t AgentId(const std::string& email) {
    for (size_t idx = 0; idx < Demo().staff.size(); ++idx) {
      if (Demo().staff[idx].email == email) return static_cast<int64_t>(idx) + 1;
    }
    ADD_FAILURE() << "no demo staff " << email;
    return 0;
  }

  void Available(const std::string& email) {
    EXPECT_TRUE(engine_.SetPresence(AgentId(email), Presence::kAvailable).ok()) << email;
  }
  void Available(int64_t agent) { EXPECT_TRUE(engine_.SetPresence(agent, Presence::kAvailable).ok()); }

  int64_t Call(const std::string& queue, Media media = Media::kVoice) {
    absl::StatusOr<int64_t> id = engine_.AddItem(demo_test::Call(queue, media));
    EXPECT_TRUE(id.ok()) << id.status();
    return id.value_or(0);
  }

  // Moves the virtual clock on by `d`, running each timer at its own time,
  // as a simulator (or the live timer thread) does.
  void Run(absl::Duration d) {
    const absl::Time end = clock_.Now() + d;
    for (int guard = 0; guard < 100'000; ++guard) {
      std::optional<absl::Time> next = engine_.NextTimer();
      if (!next || *next > end) break;
      clock_.Set(std::max(*next, clock_.Now()));
      engine_.Tick();
    }
    clock_.Set(end);
    engine_.Tick();
  }

  std::vector<RoutingEvent> Events(const std::string& type, int64_t item_id) const {
    std::vector<RoutingEvent> out;
    for (const RoutingEvent& e : recorder_.events) {
      if (e.type == type && e.item_id == item_id) out.push_back(e);
    }
    return out;
  }
  ItemState State(int64_t item_id) const {
    std::optional<ItemView> item = engine_.Item(item_id);
    EXPECT_TRUE(item.has_value()) << item_id;
    return item ? item->state : ItemState::kWaiting;
  }

  Engine& engine() { return engine_; }
  const std::vector<RoutingEvent>& events() const { return recorder_.events; }

 private:
  NanoClock& clock_;
  Recorder recorder_;
  Engine engine_;
};


}  // namespace onestop::routing::demo_test
