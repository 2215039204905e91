// Runs every tests/routing/scenarios/*.txt against a fresh Engine on a
// FakeClock, then checks that replaying the events it emitted into a second
// engine rebuilds the same state (the restart path).
//
// Format: one command per line, `#` starts a comment, words separated by
// spaces, options as key=value. Items are named by labels (A, B, ...).
//   queue ID [strategy=longest_idle|least_occupied|round_robin|best_fit] [ring=S]
//         [wrap=S] [weight=S] [skills=code:level,...] [steps=after:keep:drop,...]
//   agent ID [skills=code:level,...] [queues=queue:priority:delay,...]
//         [capacity=voice:1,chat:3,...]
//   options [max_no_answers=N] [retry=S]  (first line only: before the engine exists)
//   presence AGENT available|on_break|offline [reason]
//   arrive LABEL MEDIA QUEUE [priority=N] [skills=code:level,...] [caller=X]
//   accept|reject|complete|requeue LABEL AGENT
//   transfer LABEL AGENT queue=Q | agent=N
//   abandon LABEL
//   wrapend AGENT
//   advance SECONDS                   (moves the clock and fires due timers)
//   expect event TYPE [LABEL|-] [AGENT] [key=value ...]   (emitted by the last command)
//   expect noevent TYPE               (not emitted by the last command)
//   expect item LABEL waiting|offered|connected|gone [AGENT]
//   expect agent AGENT available|busy|wrap_up|on_break|offline
//   expect waiting QUEUE N
//   expect order QUEUE LABEL...       (waiting items, best first)
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "common/clock.h"
#include "gtest/gtest.h"
#include "routing/engine.h"

namespace onestop::routing {
namespace {

class Recorder : public EventSink {
 public:
  void OnEvent(const RoutingEvent& e) override {
    all.push_back(e);
    recent.push_back(e);
  }
  std::vector<RoutingEvent> all, recent;
};

std::map<std::string, std::string> Options(const std::vector<std::string>& words, size_t from) {
  std::map<std::string, std::string> out;
  for (size_t i = from; i < words.size(); ++i) {
    auto eq = words[i].find('=');
    if (eq != std::string::npos) out[words[i].substr(0, eq)] = words[i].substr(eq + 1);
  }
  return out;
}

std::vector<std::vector<std::string>> Lists(const std::string& text) {
  std::vector<std::vector<std::string>> out;
  if (text.empty()) return out;
  for (absl::string_view part : absl::StrSplit(text, ',')) {
    std::vector<std::string> fields;
    for (absl::string_view f : absl::StrSplit(part, ':')) fields.push_back(std::string(f));
    out.push_back(fields);
  }
  return out;
}

int Int(const std::string& s) {
  int v = 0;
  EXPECT_TRUE(absl::SimpleAtoi(s, &v)) << "not a number: " << s;
  return v;
}

std::vector<SkillRequirement> Reqs(const std::string& text) {
  std::vector<SkillRequirement> out;
  for (const auto& f : Lists(text)) out.push_back({f[0], f.size() > 1 ? Int(f[1]) : 1});
  return out;
}

struct Run {
  explicit Run(const absl::Time start) : clock(start) {}
  FakeClock clock;
  Recorder recorder;
  std::map<std::string, int64_t> labels;
  std::vector<QueueConfig> queues;
  std::vector<AgentConfig> agents;
  EngineOptions options;
  std::unique_ptr<Engine> engine;
  Engine& E() {
    if (!engine) engine = std::make_unique<Engine>(clock, &recorder, options);
    return *engine;
  }
};

void RunScenario(const std::filesystem::path& path) {
  std::ifstream in(path);
  ASSERT_TRUE(in) << path;
  Run run(absl::FromUnixSeconds(1'700'000'000));
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::vector<std::string> w;
    std::istringstream words(line);
    for (std::string word; words >> word;) w.push_back(word);
    if (w.empty()) continue;
    SCOPED_TRACE(path.filename().string() + ":" + std::to_string(line_no) + ": " + line);
    const std::string& cmd = w[0];
    auto item = [&](const std::string& label) {
      auto it = run.labels.find(label);
      EXPECT_NE(it, run.labels.end()) << "unknown label " << label;
      return it == run.labels.end() ? int64_t{0} : it->second;
    };
    if (cmd != "expect") run.recorder.recent.clear();
    if (cmd == "options") {
      ASSERT_FALSE(run.engine) << "options must come first";
      auto o = Options(w, 1);
      if (o.contains("max_no_answers")) run.options.max_no_answers = Int(o["max_no_answers"]);
      if (o.contains("retry")) run.options.retry_seconds = Int(o["retry"]);
    } else if (cmd == "queue") {
      QueueConfig q;
      q.id = w.at(1);
      auto o = Options(w, 2);
      if (o.contains("strategy")) q.strategy = *ParseStrategy(o["strategy"]);
      if (o.contains("ring")) q.ring_timeout_seconds = Int(o["ring"]);
      if (o.contains("wrap")) q.wrap_up_seconds = Int(o["wrap"]);
      if (o.contains("weight")) q.priority_weight_seconds = Int(o["weight"]);
      q.skills = Reqs(o["skills"]);
      for (const auto& f : Lists(o["steps"])) q.steps.push_back({Int(f.at(0)), Int(f.at(1)), Int(f.at(2))});
      run.queues.push_back(q);
      ASSERT_TRUE(run.E().UpsertQueue(q).ok());
    } else if (cmd == "agent") {
      AgentConfig a;
      a.id = Int(w.at(1));
      auto o = Options(w, 2);
      for (const auto& f : Lists(o["skills"])) a.skills.push_back({f.at(0), Int(f.at(1))});
      for (const auto& f : Lists(o["queues"])) {
        a.profile.push_back({f.at(0), f.size() > 1 ? Int(f[1]) : 1, f.size() > 2 ? Int(f[2]) : 0});
      }
      for (const auto& f : Lists(o["capacity"])) a.capacity[static_cast<int>(*ParseMedia(f.at(0)))] = Int(f.at(1));
      run.agents.push_back(a);
      auto s = run.E().UpsertAgent(a);
      ASSERT_TRUE(s.ok()) << s;
    } else if (cmd == "presence") {
      auto s = run.E().SetPresence(Int(w.at(1)), *ParsePresence(w.at(2)), w.size() > 3 ? w[3] : "");
      ASSERT_TRUE(s.ok()) << s;
    } else if (cmd == "arrive") {
      auto o = Options(w, 4);
      NewItem n{.media = *ParseMedia(w.at(2)), .queue = w.at(3),
                .priority = o.contains("priority") ? Int(o["priority"]) : 0,
                .skills = Reqs(o["skills"]), .caller = o["caller"], .reference = ""};
      auto id = run.E().AddItem(n);
      ASSERT_TRUE(id.ok()) << id.status();
      run.labels[w.at(1)] = *id;
    } else if (cmd == "accept" || cmd == "reject" || cmd == "complete" || cmd == "requeue") {
      const int64_t id = item(w.at(1));
      const int64_t agent = Int(w.at(2));
      absl::Status s = cmd == "accept"   ? run.E().Accept(id, agent)
                       : cmd == "reject" ? run.E().Reject(id, agent)
                       : cmd == "complete" ? run.E().Complete(id, agent)
                                           : run.E().Requeue(id, agent);
      ASSERT_TRUE(s.ok()) << s;
    } else if (cmd == "transfer") {
      auto o = Options(w, 3);
      absl::Status s = o.contains("queue")
                           ? run.E().TransferToQueue(item(w.at(1)), Int(w.at(2)), o["queue"])
                           : run.E().TransferToAgent(item(w.at(1)), Int(w.at(2)), Int(o["agent"]));
      ASSERT_TRUE(s.ok()) << s;
    } else if (cmd == "abandon") {
      auto s = run.E().Abandon(item(w.at(1)));
      ASSERT_TRUE(s.ok()) << s;
    } else if (cmd == "wrapend") {
      auto s = run.E().EndWrapUp(Int(w.at(1)));
      ASSERT_TRUE(s.ok()) << s;
    } else if (cmd == "advance") {
      run.clock.Advance(absl::Seconds(Int(w.at(1))));
      run.E().Tick();
    } else if (cmd == "expect") {
      const std::string& what = w.at(1);
      if (what == "event" || what == "noevent") {
        const std::string& type = w.at(2);
        bool found = false;
        for (const auto& e : run.recorder.recent) {
          if (e.type != type) continue;
          if (what == "event") {
            if (w.size() > 3 && w[3] != "-" && w[3].find('=') == std::string::npos &&
                e.item_id != item(w[3])) continue;
            if (w.size() > 4 && w[4].find('=') == std::string::npos && e.agent_id != Int(w[4])) continue;
            bool fields_ok = true;
            for (const auto& [k, v] : Options(w, 3)) {
              std::string actual = k == "queue" ? e.queue : k == "presence" ? e.presence
                                 : k == "reason" ? e.reason
                                 : k == "wait" ? std::to_string(static_cast<int>(e.wait_seconds))
                                 : k == "ring" ? std::to_string(static_cast<int>(e.ring_seconds))
                                 : k == "talk" ? std::to_string(static_cast<int>(e.talk_seconds))
                                 : k == "position" ? std::to_string(e.position)
                                 : "?";
              if (actual != v) fields_ok = false;
            }
            if (!fields_ok) continue;
          }
          found = true;
        }
        std::string got;
        for (const auto& e : run.recorder.recent) got += e.type + "(" + std::to_string(e.item_id) + "," + std::to_string(e.agent_id) + ") ";
        EXPECT_EQ(found, what == "event") << "events of the last command: " << got;
      } else if (what == "item") {
        auto v = run.E().Item(item(w.at(2)));
        const std::string& state = w.at(3);
        if (state == "gone") {
          EXPECT_FALSE(v.has_value());
          continue;
        }
        ASSERT_TRUE(v.has_value());
        const char* names[] = {"waiting", "offered", "connected"};
        EXPECT_EQ(names[static_cast<int>(v->state)], state);
        if (w.size() > 4) { EXPECT_EQ(v->agent_id, Int(w[4])); }
      } else if (what == "agent") {
        auto a = run.E().Agent(Int(w.at(2)));
        ASSERT_TRUE(a.has_value());
        EXPECT_EQ(PresenceName(a->shown), w.at(3));
      } else if (what == "waiting") {
        EXPECT_EQ(static_cast<int>(run.E().WaitingItems(w.at(2)).size()), Int(w.at(3)));
      } else if (what == "order") {
        std::vector<int64_t> want, got;
        for (size_t i = 3; i < w.size(); ++i) want.push_back(item(w[i]));
        for (const auto& v : run.E().WaitingItems(w.at(2))) got.push_back(v.id);
        EXPECT_EQ(got, want);
      } else {
        ADD_FAILURE() << "unknown expectation " << what;
      }
    } else {
      ADD_FAILURE() << "unknown command " << cmd;
    }
  }

  // Restart: a new engine with the same configuration, fed the event log.
  Recorder replay_sink;
  Engine rebuilt(run.clock, &replay_sink, run.options);
  for (const auto& q : run.queues) ASSERT_TRUE(rebuilt.UpsertQueue(q).ok());
  for (const auto& a : run.agents) ASSERT_TRUE(rebuilt.UpsertAgent(a).ok());
  for (const auto& e : run.recorder.all) {
    auto s = rebuilt.Replay(e);
    ASSERT_TRUE(s.ok()) << s << " replaying " << e.type << " of item " << e.item_id;
  }
  rebuilt.FinishReplay();
  EXPECT_TRUE(replay_sink.all.empty()) << "replay routed something new: " << replay_sink.all.front().type;
  auto original = run.E().Agents();
  auto again = rebuilt.Agents();
  ASSERT_EQ(original.size(), again.size());
  for (size_t i = 0; i < original.size(); ++i) {
    EXPECT_EQ(original[i].shown, again[i].shown) << "agent " << original[i].id;
    EXPECT_EQ(original[i].items, again[i].items) << "agent " << original[i].id;
    EXPECT_EQ(original[i].load, again[i].load) << "agent " << original[i].id;
  }
  for (const auto& q : run.queues) {
    std::vector<int64_t> a, b;
    for (const auto& v : run.E().WaitingItems(q.id)) a.push_back(v.id);
    for (const auto& v : rebuilt.WaitingItems(q.id)) b.push_back(v.id);
    EXPECT_EQ(a, b) << "queue " << q.id;
  }
}

std::vector<std::string> ScenarioFiles() {
  std::vector<std::string> out;
  for (const auto& entry : std::filesystem::directory_iterator(ONESTOP_ROUTING_SCENARIOS)) {
    if (entry.path().extension() == ".txt") out.push_back(entry.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

class Scenario : public ::testing::TestWithParam<std::string> {};

TEST_P(Scenario, Runs) {
  RunScenario(std::filesystem::path(ONESTOP_ROUTING_SCENARIOS) / GetParam());
}

INSTANTIATE_TEST_SUITE_P(Files, Scenario, ::testing::ValuesIn(ScenarioFiles()),
                         [](const auto& info) {
                           std::string name = info.param.substr(0, info.param.size() - 4);
                           for (char& c : name) if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

}  // namespace
}  // namespace onestop::routing
