// "A day in the demo council", compressed: 200 calls to the demo number
// through the real binary (`onestop serve --sip-listen 127.0.0.1:0` on the
// seeded demo council), across the IVR's options — 1 council tax, 2 bins,
// 0 and no digit at all for the general queue — with RFC 4733 digits, some
// callers staying until the agent's phone hangs up, some hanging up while
// queued or while a phone rings (abandoned), and some pressing * while
// queued to be called back: onestop hangs up on them after the confirmation
// and, once an agent's phone has answered, rings them back through the
// carrier (`--sip-dial`, a sipp UAS answering as the residents' phones).
// Five staff phones answer them:
// the demo agents with extensions (1001-1003) and two agents the admin
// creates through the API (skills, team, SIP account), each phone a sipp UAS
// registered with digest auth that rings a moment, answers, talks a few
// seconds and hangs up. The agents sign in and go available over the desk's
// socket (/staff/ws/desk) and complete each call there once it has ended,
// as the desk does.
//
// At the end: every caller's sipp counts every call as passed; the
// wallboard's figures (the routing engine's, /staff/ws/wallboard) and the
// statistics API (GET /api/v1/queues/stats, from the store) give per queue
// offered = answered + abandoned with the counts of the kinds of caller sent
// there, 200 in all (a call back counts as answered); the carrier answered
// one call back per caller who asked; there are as many phone contacts with
// a duration as answered calls; nothing is left waiting and every agent is
// available again.
//
// A new kind of caller is one row in Kinds() (the scenario, the digit, the
// queue and the figure its calls must end in), plus its figure in kOutcomes
// if it is a new one.
#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "api_client.h"
#include "sip_support.h"

namespace onestop::integration {
namespace {

constexpr char kNumber[] = "01632960000";

// The calls of each kind are spread over this many milliseconds (sipp -rp).
constexpr int kSpreadMs = 60000;

// One kind of caller of the day.
struct CallerKind {
  std::string name;      // for failure messages
  std::string scenario;  // tests/sip/scenarios/<scenario>.xml
  std::string digit;     // pressed by RFC 4733 (-key digit); unused by day_caller_silent
  std::string queue;     // the queue the IVR puts the call in
  std::string outcome;   // the figure of the queue statistics the call must end in
  int calls = 0;
  bool call_back = false;  // presses * while queued (day_caller_callback)
};

// The figures every offered call ends in (they add up to "offered"). A call
// back counts as answered in the engine's figures (SipTest covers it).
const std::vector<std::string> kOutcomes = {"answered", "abandoned"};

// 200 calls: 110 answered (15 of them called back), 90 abandoned.
// Abandoning callers hang up 3 s after their digit
// (day_caller_abandons.xml), before any phone of day_agent.xml (ringing at
// least 2.6 s once offered) can answer. Callers asking for a call back press
// * 1.5 s after their digit, so while still queued or while a phone rings.
const std::vector<CallerKind>& Kinds() {
  static const std::vector<CallerKind> kinds = {
      {"council tax, waits", "day_caller", "1", "council-tax", "answered", 20},
      {"council tax, called back", "day_caller_callback", "1", "council-tax", "answered", 10, true},
      {"council tax, hangs up", "day_caller_abandons", "1", "council-tax", "abandoned", 30},
      {"bins, waits", "day_caller", "2", "waste", "answered", 20},
      {"bins, called back", "day_caller_callback", "2", "waste", "answered", 5, true},
      {"bins, hangs up", "day_caller_abandons", "2", "waste", "abandoned", 30},
      {"operator, waits", "day_caller", "0", "general", "answered", 30},
      {"operator, hangs up", "day_caller_abandons", "0", "general", "abandoned", 30},
      {"no digit, waits", "day_caller_silent", "", "general", "answered", 25},
  };
  return kinds;
}

// A staff member answering calls today.
struct DayAgent {
  std::string email;
  std::string extension;
  std::string sip_password;
  int64_t staff_id = 0;
};

int64_t Int(const boost::json::object& o, const char* key) {
  const boost::json::value* v = o.if_contains(key);
  return v != nullptr && v->is_int64() ? v->as_int64() : 0;
}

class SipDayTest : public ServerSuite {
 public:
  static void SetUpTestSuite() {
    tokens_.clear();
    services_.clear();
    if (!OnestopProcess::SkipReason().empty()) return;
    server_ = std::make_unique<OnestopProcess>();
    carrier_port_ = FreeUdpPort();
    server_->set_extra_args(
        {"--sip-listen", "127.0.0.1:0", "--sip-dial", "127.0.0.1:" + std::to_string(carrier_port_)});
    started_ = server_->Seed() && server_->Start();
    if (started_ && server_->sip_port() == 0) {
      ADD_FAILURE() << "the server did not print its SIP port; log:\n" << server_->ReadLog();
      started_ = false;
    }
  }

 protected:
  static std::string Target() { return "127.0.0.1:" + std::to_string(server().sip_port()); }
  // Where the server's calls out go: the residents' phones behind the carrier.
  static inline int carrier_port_ = 0;

  static std::string LogTail() {
    const std::string log = server().ReadLog();
    return log.size() > 5000 ? log.substr(log.size() - 5000) : log;
  }

  static int64_t StaffId(const std::string& email) {
    Reply list = ApiAs(kAdmin).Get("/api/v1/staff");
    EXPECT_EQ(list.status, 200) << list;
    for (const auto& s : list.Items()) {
      if (s.at("email").as_string() == email) return s.at("id").as_int64();
    }
    ADD_FAILURE() << "no staff " << email;
    return 0;
  }

  // The desk of one agent for the day, on its own thread: signs in on the
  // desk socket, goes available, and completes each call once it has ended
  // (the call's contact has its duration), ending the wrap-up at once so the
  // next call is offered.
  class Desk {
   public:
    Desk(uint16_t port, std::string token) : port_(port), token_(std::move(token)) {}
    ~Desk() { Stop(); }
    // Opens the socket and goes available; false (with a failure) if not.
    bool SignIn() {
      socket_ = std::make_unique<StaffSocket>(port_, "/staff/ws/desk", token_);
      if (socket_->error()) {
        ADD_FAILURE() << "desk socket: " << socket_->error().message() << " HTTP " << socket_->status();
        return false;
      }
      socket_->Send({{"type", "presence"}, {"presence", "available"}});
      if (!socket_->ReadUntil([](const boost::json::object& m) {
            return m.at("type") == "desk" && m.at("state") == "available";
          })) {
        ADD_FAILURE() << "the agent did not become available";
        return false;
      }
      return true;
    }
    void Start() {
      thread_ = std::thread([this] { Run(); });
    }
    void Stop() {
      stop_ = true;
      if (thread_.joinable()) thread_.join();
    }
    int completed() const { return completed_; }
    const std::vector<std::string>& errors() const { return errors_; }

   private:
    void Run() {
      Api api(port_, token_);
      std::set<int64_t> done;
      while (!stop_) {
        Reply desk = api.Get("/api/v1/agents/me");
        if (desk.status == 200) {
          for (const auto& value : desk.Items()) {
            const boost::json::object& item = value.as_object();
            const int64_t id = Int(item, "id");
            const int64_t contact_id = Int(item, "contact_id");
            if (item.at("state") != "connected" || contact_id == 0 || done.contains(id)) continue;
            Reply contact = api.Get("/api/v1/contacts/" + std::to_string(contact_id));
            if (contact.status != 200 || contact.Int("duration_seconds") <= 0) continue;  // still talking
            Complete(id);
            done.insert(id);
          }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(150));
      }
    }
    void Complete(int64_t id) {
      socket_->Send({{"type", "complete"}, {"id", id}, {"disposition", "information_given"}});
      std::optional<boost::json::object> after = socket_->ReadUntil([id](const boost::json::object& m) {
        if (m.at("type") != "desk") return false;
        if (m.contains("error") && !m.at("error").as_string().empty()) return true;
        for (const auto& i : m.at("items").as_array()) {
          if (i.at("id").as_int64() == id) return false;
        }
        return true;
      });
      if (!after || (after->contains("error") && !after->at("error").as_string().empty())) {
        errors_.push_back("completing item " + std::to_string(id) + ": " +
                          (after ? boost::json::serialize(*after) : std::string("no answer")));
        return;
      }
      ++completed_;
      // The desk's "End wrap-up" (the answer to complete may not show the
      // wrap-up yet: end it regardless).
      socket_->Send({{"type", "end_wrap_up"}});
      if (!socket_->ReadUntil([](const boost::json::object& m) {
            return m.at("type") == "desk" && m.at("state") != "wrap_up";
          })) {
        errors_.push_back("ending the wrap-up after item " + std::to_string(id));
      }
    }

    uint16_t port_;
    std::string token_;
    std::unique_ptr<StaffSocket> socket_;
    std::thread thread_;
    std::atomic<bool> stop_{false};
    std::atomic<int> completed_{0};
    std::vector<std::string> errors_;  // read after Stop()
  };
};

TEST_F(SipDayTest, DemoCouncilDay) {
  const auto test_start = std::chrono::steady_clock::now();
  Api admin = ApiAs(kAdmin);

  // The demo agents with extensions (seeded SIP accounts), and two more
  // contact-centre agents for council tax and bins, created by the admin.
  std::vector<DayAgent> agents = {
      {kAgent, "1001", kDemoPassword},
      {"agent2@fairhaven.example", "1002", kDemoPassword},
      {"agent3@fairhaven.example", "1003", kDemoPassword},
  };
  for (const std::string name : {"Dana", "Evan"}) {
    const std::string login = name == "Dana" ? "dana" : "evan";
    DayAgent extra{"day." + login + "@fairhaven.example", name == "Dana" ? "1104" : "1105", "day-phone-" + login};
    Reply created = admin.Post("/api/v1/staff",
                               boost::json::object{{"email", extra.email},
                                                   {"display_name", name + " Dayshift"},
                                                   {"role", "agent"},
                                                   {"department", "customer-services"},
                                                   {"team", "contact-centre"},
                                                   {"skills", boost::json::array{
                                                                  {{"code", "council-tax"}, {"proficiency", 4}},
                                                                  {{"code", "waste"}, {"proficiency", 4}}}},
                                                   {"password", kDemoPassword}});
    ASSERT_EQ(created.status, 201) << created;
    extra.staff_id = created.Int("id");
    Reply sip = admin.Put("/api/v1/staff/" + std::to_string(extra.staff_id) + "/sip",
                          boost::json::object{{"extension", extra.extension}, {"password", extra.sip_password}});
    ASSERT_EQ(sip.status, 200) << sip;
    agents.push_back(extra);
  }

  // Each phone registers (digest) from the port its answering sipp then
  // listens on.
  std::vector<std::unique_ptr<Sipp>> phones;
  for (DayAgent& agent : agents) {
    if (agent.staff_id == 0) agent.staff_id = StaffId(agent.email);
    const std::string phone_port = std::to_string(FreeUdpPort());
    Sipp reg("register", {"-p", phone_port, "-key", "ext", agent.extension, "-au", agent.extension, "-ap",
                          agent.sip_password, "-key", "expires", "600", "-m", "1", "-timeout", "15", Target()},
             server().dir());
    ASSERT_EQ(reg.Wait(), 0) << agent.email << ": " << reg.Log();
    phones.push_back(std::make_unique<Sipp>(
        "day_agent", std::vector<std::string>{"-p", phone_port, "-rtp_echo", "-timeout", "400", Target()},
        server().dir()));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // the phones bind their ports

  // The agents sign in on the desk and go available.
  std::vector<std::unique_ptr<Desk>> desks;
  for (const DayAgent& agent : agents) {
    desks.push_back(std::make_unique<Desk>(port(), TokenFor(agent.email)));
    ASSERT_TRUE(desks.back()->SignIn()) << agent.email;
    desks.back()->Start();
  }
  // The contacts already there (the demo's).
  int64_t contacts_before = 0;
  for (int page = 0; page < 50; ++page) {
    Reply contacts = admin.Get("/api/v1/contacts?limit=100&after=" + std::to_string(contacts_before));
    ASSERT_EQ(contacts.status, 200) << contacts;
    for (const auto& c : contacts.Items()) contacts_before = std::max(contacts_before, c.at("id").as_int64());
    if (!contacts.At("next").is_string()) break;
  }

  // The callers' audio: µ-law silence, looped by sipp's rtp_stream.
  {
    std::ofstream silence(server().dir() + "/day_silence.ulaw", std::ios::binary);
    silence << std::string(8000, '\xff');
  }
  // The residents' phones behind the carrier answer the call backs
  // (day_resident.xml).
  int call_backs = 0;
  for (const CallerKind& kind : Kinds()) call_backs += kind.call_back ? kind.calls : 0;
  Sipp carrier("day_resident", {"-p", std::to_string(carrier_port_), "-rtp_echo", "-timeout", "400", Target()},
               server().dir());
  std::vector<std::unique_ptr<Sipp>> callers;
  int prefix = 0;
  for (const CallerKind& kind : Kinds()) {
    std::vector<std::string> args = {"-s", kNumber, "-key", "caller", "0770090" + std::to_string(10 + prefix++),
                                     "-key", "digit", kind.digit.empty() ? "0" : kind.digit,
                                     "-r", std::to_string(kind.calls), "-rp", std::to_string(kSpreadMs),
                                     "-m", std::to_string(kind.calls), "-l", std::to_string(kind.calls),
                                     "-timeout", "300", Target()};
    callers.push_back(std::make_unique<Sipp>(kind.scenario, args, server().dir(), server().dir()));
  }

  // Every call passes its scenario: answered and hung up by the agent's
  // phone, hung up by the caller before an answer, or hung up by onestop
  // after the call-back confirmation.
  for (size_t kind_idx = 0; kind_idx < callers.size(); ++kind_idx) {
    const CallerKind& kind = Kinds()[kind_idx];
    EXPECT_EQ(callers[kind_idx]->Wait(std::chrono::seconds(240)), 0) << kind.name << ":\n"
                                                                     << callers[kind_idx]->Log();
    EXPECT_EQ(callers[kind_idx]->SuccessfulCalls(), kind.calls) << kind.name;
    EXPECT_EQ(callers[kind_idx]->FailedCalls(), 0) << kind.name;
  }
  // What the day should add up to, per queue.
  std::map<std::string, std::map<std::string, int64_t>> expected;
  int64_t total_calls = 0, total_answered = 0;
  for (const CallerKind& kind : Kinds()) {
    expected[kind.queue][kind.outcome] += kind.calls;
    expected[kind.queue]["offered"] += kind.calls;
    total_calls += kind.calls;
    if (kind.outcome == "answered") total_answered += kind.calls;
  }
  ASSERT_EQ(total_calls, 200);

  // The wallboard settles: nothing waiting, every call of the day counted,
  // the five agents available.
  std::set<int64_t> our_agents;
  for (const DayAgent& agent : agents) our_agents.insert(agent.staff_id);
  StaffSocket board(port(), "/staff/ws/wallboard", TokenFor(kSupervisor));
  ASSERT_FALSE(board.error()) << board.error().message() << " HTTP " << board.status();
  boost::json::object last;
  auto settled = [&](const boost::json::object& m) {
    if (m.at("type") != "wallboard") return false;
    last = m;
    int64_t counted = 0;
    for (const auto& q : m.at("queues").as_array()) {
      const boost::json::object& queue = q.as_object();
      if (Int(queue, "waiting") != 0) return false;
      for (const std::string& outcome : kOutcomes) counted += Int(queue, outcome.c_str());
    }
    if (counted < total_calls) return false;
    int available = 0;
    for (const auto& a : m.at("agents").as_array()) {
      if (our_agents.contains(a.at("id").as_int64()) && a.at("state") == "available") ++available;
    }
    return available == static_cast<int>(our_agents.size());
  };
  EXPECT_TRUE(board.ReadUntil(settled, std::chrono::seconds(60)))
      << "the floor did not settle; last wallboard: " << boost::json::serialize(last) << "\nserver log:\n"
      << LogTail();
  for (auto& desk : desks) desk->Stop();
  for (size_t agent_idx = 0; agent_idx < desks.size(); ++agent_idx) {
    for (const std::string& error : desks[agent_idx]->errors()) ADD_FAILURE() << agents[agent_idx].email << ": " << error;
  }

  // Everyone who pressed * was heard; each was either called back (once,
  // answered by the carrier's sipp) or, when an agent's phone answered while
  // they were still on the line hearing the confirmation, put through.
  {
    const std::string log = server().ReadLog();
    auto count = [&log](std::string_view what) {
      int n = 0;
      for (size_t at = log.find(what); at != std::string::npos; at = log.find(what, at + 1)) ++n;
      return n;
    };
    const int asked = count("asked to be called back");
    const int put_through = count("before the call back was needed");
    const int dialled = count("sip: calling back call");
    const int answered = count("sip: call back ");  // "call back N answered" / "not answered"
    EXPECT_EQ(asked, call_backs) << "each call-back caller's * was heard while they waited";
    EXPECT_EQ(dialled + put_through, asked);
    EXPECT_EQ(answered, dialled) << "every call back made was answered or given up";
    EXPECT_EQ(count("not answered"), 0) << "the carrier answers every call back";
    EXPECT_EQ(carrier.Finish(std::chrono::seconds(90)), 0) << "the call backs:\n" << carrier.Log() << LogTail();
    EXPECT_EQ(carrier.SuccessfulCalls(), dialled) << carrier.Log();
    EXPECT_EQ(carrier.FailedCalls(), 0);
    std::printf("[ day      ] %d asked for a call back: %d called back, %d put through while still on the line\n",
                asked, dialled, put_through);
  }

  // The engine's figures (the wallboard) per queue: offered = answered +
  // abandoned, with the calls of each kind where they belong.
  int64_t offered_total = 0;
  for (const auto& q : last.at("queues").as_array()) {
    const boost::json::object& queue = q.as_object();
    const std::string code(queue.at("code").as_string());
    if (queue.at("media") != "voice") continue;
    int64_t ended = 0;
    for (const std::string& outcome : kOutcomes) {
      ended += Int(queue, outcome.c_str());
      EXPECT_EQ(Int(queue, outcome.c_str()), expected[code][outcome]) << code << " " << outcome;
    }
    EXPECT_EQ(Int(queue, "offered"), ended) << code << ": offered = answered + abandoned";
    EXPECT_EQ(Int(queue, "offered"), expected[code]["offered"]) << code;
    EXPECT_EQ(Int(queue, "waiting"), 0) << code;
    offered_total += Int(queue, "offered");
  }
  EXPECT_EQ(offered_total, total_calls);

  // The statistics API (from the stored events) agrees.
  Reply stats = ApiAs(kSupervisor).Get("/api/v1/queues/stats");
  ASSERT_EQ(stats.status, 200) << stats;
  int64_t stats_total = 0;
  for (const auto& t : stats.At("totals").as_array()) {
    const boost::json::object& figures = t.as_object();
    const std::string code(figures.at("queue").as_string());
    int64_t ended = 0;
    for (const std::string& outcome : kOutcomes) {
      ended += Int(figures, outcome.c_str());
      EXPECT_EQ(Int(figures, outcome.c_str()), expected[code][outcome]) << "stats " << code << " " << outcome;
    }
    EXPECT_EQ(Int(figures, "offered"), ended) << "stats " << code;
    stats_total += Int(figures, "offered");
  }
  EXPECT_EQ(stats_total, total_calls);

  // One contact with the call's duration per answered call.
  int64_t with_duration = 0, phone_contacts = 0;
  std::string after = std::to_string(contacts_before);
  for (int page = 0; page < 20; ++page) {
    Reply contacts = admin.Get("/api/v1/contacts?channel=phone&limit=100&after=" + after);
    ASSERT_EQ(contacts.status, 200) << contacts;
    for (const auto& c : contacts.Items()) {
      if (c.at("interaction_id").is_null()) continue;
      ++phone_contacts;
      if (c.at("duration_seconds").as_int64() > 0) ++with_duration;
    }
    if (!contacts.At("next").is_string()) break;
    after = std::string(contacts.At("next").as_string());
  }
  EXPECT_EQ(with_duration, total_answered);
  EXPECT_EQ(phone_contacts, total_answered);
  int completed = 0;
  for (const auto& desk : desks) completed += desk->completed();
  EXPECT_EQ(completed, total_answered) << "every answered call completed on a desk";

  // Every agent is free again: no item on any desk, available.
  for (const DayAgent& agent : agents) {
    Reply desk = ApiAs(agent.email).Get("/api/v1/agents/me");
    ASSERT_EQ(desk.status, 200) << desk;
    EXPECT_TRUE(desk.Items().empty()) << agent.email << ": " << desk;
    EXPECT_EQ(desk.Str("state"), "available") << agent.email;
  }
  EXPECT_TRUE(server().Alive());
  std::cerr << "[ day      ] " << total_calls << " calls, " << total_answered << " answered, in "
            << std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - test_start).count()
            << " s\n";
  for (const DayAgent& agent : agents) {
    (void)ApiAs(agent.email).Put("/api/v1/agents/me/presence", boost::json::object{{"presence", "offline"}});
  }
}

}  // namespace
}  // namespace onestop::integration
