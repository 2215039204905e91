// Call recordings over HTTP (GET /api/v1/contacts/{id}/recording): a WAV
// file in the server's recordings directory (--recordings-dir) and its row
// in call_recordings, written here the way the SIP server would (straight
// into the database: the SIP server is the only writer of these rows).
// Supervisors and admins get the bytes; agents 403; none/expired 404; the
// contact JSON shows "recording" only to those who may play it, and
// "satisfaction" to every reader; housekeeping (run when the server starts)
// deletes an expired file and its row.
#include <libpq-fe.h>
#include <sqlite3.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "api_client.h"

namespace onestop::integration {
namespace {

// Runs `sql` on the server's database (SQLite file or PostgreSQL schema).
void ExecSql(OnestopProcess& server, const std::string& sql) {
  if (OnestopProcess::UsesPostgres()) {
    PGconn* conn = PQconnectdb(server.database_url().c_str());
    ASSERT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
    PGresult* result = PQexec(conn, sql.c_str());
    EXPECT_EQ(PQresultStatus(result), PGRES_COMMAND_OK) << PQerrorMessage(conn) << sql;
    PQclear(result);
    PQfinish(conn);
    return;
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(server.database_path().c_str(), &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 10000);
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
      << (error ? error : "") << " " << sql;
  sqlite3_free(error);
  sqlite3_close(db);
}

// A tiny valid WAV: 44-byte header and `samples` 16-bit mono 8 kHz samples.
std::string Wav(int samples) {
  std::string out;
  auto u32 = [&](uint32_t v) { for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>(v >> (8 * i))); };
  auto u16 = [&](uint16_t v) { for (int i = 0; i < 2; ++i) out.push_back(static_cast<char>(v >> (8 * i))); };
  out += "RIFF";
  u32(36 + 2 * samples);
  out += "WAVEfmt ";
  u32(16); u16(1); u16(1); u32(8000); u32(16000); u16(2); u16(16);
  out += "data";
  u32(2 * samples);
  for (int i = 0; i < samples; ++i) u16(static_cast<uint16_t>((i * 997) & 0xffff));
  return out;
}

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class RecordingsTest : public ServerSuite {
 public:
  static void SetUpTestSuite() {
    tokens_.clear();
    services_.clear();
    if (!OnestopProcess::SkipReason().empty()) return;
    server_ = std::make_unique<OnestopProcess>();
    server_->set_extra_args({"--recordings-dir", RecordingsDir()});
    started_ = server_->Seed() && server_->Start();
  }

 protected:
  static std::string RecordingsDir() { return server_->dir() + "/recordings"; }

  // A phone contact recorded by the agent; its id.
  static int64_t NewContact() {
    Api agent = ApiAs(kAgent);
    Reply made = agent.Post("/api/v1/contacts",
                            boost::json::object{{"channel", "phone"}, {"direction", "inbound"},
                                                {"reason", "council tax bill"}});
    EXPECT_EQ(made.status, 201) << made;
    return made.Int("id");
  }

  // The file and its row; `expires_in_us` from now (negative: already expired).
  static void AddRecording(int64_t contact_id, const std::string& path, const std::string& bytes,
                           int64_t expires_in_us) {
    std::filesystem::create_directories(std::filesystem::path(RecordingsDir() + "/" + path).parent_path());
    std::ofstream(RecordingsDir() + "/" + path, std::ios::binary) << bytes;
    const int64_t now = NowMicros();
    ExecSql(*server_,
            "INSERT INTO call_recordings (interaction_id, contact_id, queue, path, started_at, "
            "duration_ms, paused_ms, pauses, bytes, delete_after) VALUES (" +
                std::to_string(900000 + contact_id) + ", " + std::to_string(contact_id) +
                ", 'council-tax', '" + path + "', " + std::to_string(now - 200000000) +
                ", 125400, 30200, 2, " + std::to_string(bytes.size()) + ", " +
                std::to_string(now + expires_in_us) + ")");
  }

  // The value of a Set-Cookie header named `name` in `reply` ("" if none).
  static std::string CookieFrom(const Reply& reply, const std::string& name) {
    for (const auto& [header, value] : reply.headers) {
      if (header.size() != 10 || !(header[0] == 'S' || header[0] == 's')) continue;
      if (value.rfind(name + "=", 0) != 0) continue;
      return value.substr(name.size() + 1, value.find(';') - name.size() - 1);
    }
    return "";
  }

  // Signs in on the staff pages (GET then POST /staff/login); the Cookie
  // header value for later pages.
  static std::string StaffCookie(const std::string& email) {
    Api web(port());
    Reply form = web.Get("/staff/login");
    EXPECT_EQ(form.status, 200);
    const std::string pre = CookieFrom(form, "onestop_login");
    const std::string marker = "name=\"csrf_token\" value=\"";
    const size_t at = form.body.find(marker);
    EXPECT_NE(at, std::string::npos);
    if (at == std::string::npos) return "";
    const size_t start = at + marker.size();
    const std::string csrf = form.body.substr(start, form.body.find('"', start) - start);
    auto encode = [](const std::string& text) {
      std::string out;
      for (unsigned char c : text) {
        if (isalnum(c) || c == '-' || c == '_' || c == '.') {
          out.push_back(static_cast<char>(c));
        } else {
          char hex[4];
          std::snprintf(hex, sizeof hex, "%%%02X", c);
          out += hex;
        }
      }
      return out;
    };
    Reply signed_in = web.Send(
        "POST", "/staff/login",
        "email=" + encode(email) + "&password=" + encode(kDemoPassword) + "&csrf_token=" + encode(csrf),
        {{"Content-Type", "application/x-www-form-urlencoded"}, {"Cookie", "onestop_login=" + pre}});
    EXPECT_EQ(signed_in.status, 303) << signed_in.status << " " << signed_in.body.substr(0, 300);
    return "onestop_staff=" + CookieFrom(signed_in, "onestop_staff");
  }

  static std::string RecordingPath(int64_t contact_id) {
    return "/api/v1/contacts/" + std::to_string(contact_id) + "/recording";
  }
};

TEST_F(RecordingsTest, SupervisorsAndAdminsGetTheFileOthersDoNot) {
  const int64_t contact = NewContact();
  const std::string wav = Wav(4000);
  AddRecording(contact, "2026/12/07/call-" + std::to_string(contact) + ".wav", wav,
               int64_t{3600} * 1000000);

  for (const char* who : {kSupervisor, kAdmin}) {
    Reply got = ApiAs(who).Get(RecordingPath(contact));
    ASSERT_EQ(got.status, 200) << who << " " << got.status;
    EXPECT_EQ(got.content_type, "audio/wav");
    EXPECT_EQ(got.Header("Content-Length"), std::to_string(wav.size()));
    EXPECT_EQ(got.Header("Content-Disposition"),
              "inline; filename=\"contact-" + std::to_string(contact) + ".wav\"");
    EXPECT_EQ(got.Header("Cache-Control"), "no-store");
    EXPECT_TRUE(got.body == wav) << "the bytes differ (" << got.body.size() << " vs " << wav.size() << ")";
  }

  Reply agent = ApiAs(kAgent).Get(RecordingPath(contact));
  EXPECT_TRUE(IsProblem(agent, 403)) << agent;
  EXPECT_TRUE(IsProblem(Api(port()).Get(RecordingPath(contact)), 401));
  // No recording, an unknown contact, a path that is no id.
  EXPECT_TRUE(IsProblem(ApiAs(kSupervisor).Get(RecordingPath(NewContact())), 404));
  EXPECT_TRUE(IsProblem(ApiAs(kSupervisor).Get(RecordingPath(987654321)), 404));
  EXPECT_TRUE(IsProblem(ApiAs(kSupervisor).Get("/api/v1/contacts/x/recording"), 404));
}

TEST_F(RecordingsTest, ContactJsonShowsTheRecordingOnlyToThoseWhoMayPlayIt) {
  const int64_t contact = NewContact();
  AddRecording(contact, "2026/12/07/json-" + std::to_string(contact) + ".wav", Wav(800),
               int64_t{3600} * 1000000);
  ExecSql(*server_, "INSERT INTO call_surveys (interaction_id, contact_id, queue, agent_id, score, "
                    "answered_at) VALUES (" + std::to_string(900000 + contact) + ", " +
                    std::to_string(contact) + ", 'council-tax', 1, 4, " + std::to_string(NowMicros()) + ")");
  const std::string path = "/api/v1/contacts/" + std::to_string(contact);

  Reply supervisor = ApiAs(kSupervisor).Get(path);
  ASSERT_EQ(supervisor.status, 200) << supervisor;
  ASSERT_TRUE(supervisor.At("recording").is_object()) << supervisor;
  const auto& recording = supervisor.At("recording").as_object();
  EXPECT_EQ(recording.at("duration_seconds").as_int64(), 125);
  EXPECT_EQ(recording.at("paused_seconds").as_int64(), 30);
  EXPECT_EQ(recording.at("pauses").as_int64(), 2);
  EXPECT_EQ(recording.at("url").as_string(), RecordingPath(contact));
  EXPECT_EQ(supervisor.Int("satisfaction"), 4);

  Reply agent = ApiAs(kAgent).Get(path);
  ASSERT_EQ(agent.status, 200) << agent;
  EXPECT_FALSE(agent.json.as_object().contains("recording")) << agent;
  EXPECT_EQ(agent.Int("satisfaction"), 4);

  // A contact without either has neither member.
  Reply plain = ApiAs(kSupervisor).Get("/api/v1/contacts/" + std::to_string(NewContact()));
  ASSERT_EQ(plain.status, 200) << plain;
  EXPECT_FALSE(plain.json.as_object().contains("recording"));
  EXPECT_FALSE(plain.json.as_object().contains("satisfaction"));
}

TEST_F(RecordingsTest, StaffSingleViewPlaysItForSupervisorsOnly) {
  Api agent = ApiAs(kAgent);
  const int64_t citizen = CreateCitizen(agent, "Recorded");
  Reply made = agent.Post("/api/v1/contacts",
                          boost::json::object{{"channel", "phone"}, {"direction", "inbound"},
                                              {"citizen_id", citizen}});
  ASSERT_EQ(made.status, 201) << made;
  const int64_t contact = made.Int("id");
  AddRecording(contact, "view-" + std::to_string(contact) + ".wav", Wav(800), int64_t{3600} * 1000000);
  // The single view shows calls of routed interactions: give the contact one.
  ExecSql(*server_, "UPDATE contacts SET interaction_id = " + std::to_string(900000 + contact) +
                        " WHERE id = " + std::to_string(contact));
  ExecSql(*server_, "INSERT INTO call_surveys (interaction_id, contact_id, queue, agent_id, score, "
                    "answered_at) VALUES (" + std::to_string(900000 + contact) + ", " +
                    std::to_string(contact) + ", 'council-tax', 1, 5, " + std::to_string(NowMicros()) + ")");
  const std::string page = "/staff/citizens/" + std::to_string(citizen);
  const std::string audio = "<audio controls preload=\"none\" src=\"" + RecordingPath(contact) + "\">";

  Reply supervisor = Api(port()).Get(page, {{"Cookie", StaffCookie(kSupervisor)}});
  ASSERT_EQ(supervisor.status, 200) << supervisor.status;
  EXPECT_NE(supervisor.body.find(audio), std::string::npos);
  EXPECT_NE(supervisor.body.find("Call recording, 2 min 5 s"), std::string::npos);
  EXPECT_NE(supervisor.body.find("Paused 2 times for a card payment"), std::string::npos);
  EXPECT_NE(supervisor.body.find("Caller&apos;s rating: 5 out of 5"), std::string::npos);

  Reply as_agent = Api(port()).Get(page, {{"Cookie", StaffCookie(kAgent)}});
  ASSERT_EQ(as_agent.status, 200) << as_agent.status;
  EXPECT_EQ(as_agent.body.find("<audio"), std::string::npos);
  EXPECT_NE(as_agent.body.find("Caller&apos;s rating: 5 out of 5"), std::string::npos);
}

TEST_F(RecordingsTest, HousekeepingDeletesAnExpiredRecording) {
  const int64_t kept = NewContact();
  const int64_t expired = NewContact();
  const std::string kept_file = "kept-" + std::to_string(kept) + ".wav";
  const std::string expired_file = "expired-" + std::to_string(expired) + ".wav";
  AddRecording(kept, kept_file, Wav(80), int64_t{3600} * 1000000);
  AddRecording(expired, expired_file, Wav(80), -1000000);
  // Past its delete_after it is gone at once, whether or not the file is.
  EXPECT_TRUE(IsProblem(ApiAs(kSupervisor).Get(RecordingPath(expired)), 404));

  // Housekeeping runs when the server starts (then every 10 minutes).
  ASSERT_EQ(server_->Stop(), 0);
  ASSERT_TRUE(server_->Start());
  tokens_.clear();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (std::filesystem::exists(RecordingsDir() + "/" + expired_file) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_FALSE(std::filesystem::exists(RecordingsDir() + "/" + expired_file));
  EXPECT_TRUE(std::filesystem::exists(RecordingsDir() + "/" + kept_file));
  EXPECT_EQ(ApiAs(kSupervisor).Get(RecordingPath(kept)).status, 200);
  EXPECT_TRUE(IsProblem(ApiAs(kSupervisor).Get(RecordingPath(expired)), 404));
}

}  // namespace
}  // namespace onestop::integration
