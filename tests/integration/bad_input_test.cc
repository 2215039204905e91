// Bad input, one kind per test: each must get a 4xx application/problem+json
// answer (with errors[] naming the field where one is at fault), must leave
// the event feed unchanged (every write appends an event, so an unchanged feed
// means nothing was created), and must leave the server healthy.
#include <thread>

#include "api_client.h"

namespace onestop::integration {
namespace {

class BadInputTest : public ServerSuite {
 protected:
  void SetUp() override {
    ServerSuite::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    agent_ = std::make_unique<Api>(port(), TokenFor(kAgent));
  }
  void TearDown() override {
    if (!agent_) return;
    if (baseline_ >= 0) {
      std::vector<boost::json::object> events = EventsAfter(*agent_, baseline_);
      EXPECT_TRUE(events.empty()) << "a rejected request wrote " << events.size()
                                  << " event(s), first: "
                                  << (events.empty() ? "" : boost::json::serialize(events[0]));
    }
    Api fresh(port());
    Reply health = fresh.Get("/healthz");
    EXPECT_EQ(health.status, 200) << "server unhealthy after bad input: " << health;
    EXPECT_TRUE(server().Alive());
  }
  // Records the feed position; TearDown checks nothing was appended after it.
  void Baseline() { baseline_ = SettleEvents(*agent_); }

  // A service with a field matching `predicate` (datatype, required...).
  template <typename Predicate>
  static std::pair<const ServiceInfo*, std::string> FindField(Predicate predicate) {
    for (const ServiceInfo& service : Services()) {
      const boost::json::value* channels = service.json.if_contains("channels");
      bool phone = false;
      if (channels && channels->is_array()) {
        for (const auto& ch : channels->as_array()) phone = phone || ch == "phone";
      }
      if (!phone) continue;
      for (const auto& field : service.json.at("fields").as_array()) {
        if (predicate(field.as_object())) {
          return {&service, std::string(field.as_object().at("code").as_string())};
        }
      }
    }
    return {nullptr, ""};
  }

  Reply PostCase(const boost::json::object& body) { return agent_->Post("/api/v1/cases", body); }

  std::unique_ptr<Api> agent_;
  int64_t baseline_ = -1;
};

TEST_F(BadInputTest, MalformedJson) {
  Baseline();
  Reply reply = agent_->Send("POST", "/api/v1/cases", R"({"service_code": "x", )");
  EXPECT_TRUE(IsProblem(reply, 400));
}

TEST_F(BadInputTest, RepeatedKeyIsRefusedNotLastOneWins) {
  Baseline();
  Reply reply = agent_->Send("POST", "/api/v1/citizens",
                             R"({"given_name": "Ann", "family_name": "One", "family_name": "Two"})");
  EXPECT_TRUE(IsFieldProblem(reply, 400, "family_name")) << reply;
}

TEST_F(BadInputTest, JsonArrayAtTopLevel) {
  Baseline();
  EXPECT_TRUE(IsProblem(agent_->Send("POST", "/api/v1/cases", R"([{"service_code":"x"}])"), 400));
  EXPECT_TRUE(IsProblem(agent_->Send("POST", "/api/v1/citizens", "[]"), 400));
}

TEST_F(BadInputTest, WrongTypes) {
  int64_t citizen_id = CreateCitizen(*agent_, "Types");
  Baseline();
  boost::json::object body = NewCaseBody(ServiceIn("waste", "bin"), citizen_id);
  body["citizen_id"] = std::to_string(citizen_id);
  EXPECT_TRUE(IsFieldProblem(PostCase(body), 400, "citizen_id"));

  body = NewCaseBody(ServiceIn("waste", "bin"), citizen_id);
  body["values"] = boost::json::array{"a", "b"};
  EXPECT_TRUE(IsFieldProblem(PostCase(body), 400, "values"));

  EXPECT_TRUE(IsFieldProblem(
      agent_->Post("/api/v1/citizens", boost::json::object{{"given_name", 42}}), 400, "given_name"));
}

TEST_F(BadInputTest, UnknownTopLevelField) {
  int64_t citizen_id = CreateCitizen(*agent_, "Unknown");
  Baseline();
  boost::json::object body = NewCaseBody(ServiceIn("waste", "bin"), citizen_id);
  body["colour"] = "green";
  EXPECT_TRUE(IsFieldProblem(PostCase(body), 400, "colour"));
}

TEST_F(BadInputTest, UnknownFormField) {
  int64_t citizen_id = CreateCitizen(*agent_, "Unknownfield");
  Baseline();
  boost::json::object body = NewCaseBody(ServiceIn("waste", "bin"), citizen_id);
  body["values"].as_object()["no_such_field"] = "x";
  EXPECT_TRUE(IsFieldProblem(PostCase(body), 400, "values.no_such_field"));
}

TEST_F(BadInputTest, MissingRequiredFormField) {
  auto [service, field] = FindField([](const boost::json::object& f) {
    return f.at("required").as_bool();
  });
  if (service == nullptr) GTEST_SKIP() << "no phone service has a required field";
  int64_t citizen_id = CreateCitizen(*agent_, "Missing");
  Baseline();
  boost::json::object body = NewCaseBody(*service, citizen_id);
  body["values"].as_object().erase(field);
  EXPECT_TRUE(IsFieldProblem(PostCase(body), 400, "values." + field));
}

TEST_F(BadInputTest, ValueOutsideSingleValueList) {
  auto [service, field] = FindField([](const boost::json::object& f) {
    return f.at("datatype") == "singlevaluelist";
  });
  ASSERT_NE(service, nullptr) << "the demo catalogue should have a singlevaluelist field";
  int64_t citizen_id = CreateCitizen(*agent_, "Outside");
  Baseline();
  boost::json::object body = NewCaseBody(*service, citizen_id);
  body["values"].as_object()[field] = "definitely-not-a-choice";
  EXPECT_TRUE(IsFieldProblem(PostCase(body), 400, "values." + field));
}

TEST_F(BadInputTest, InvalidUtf8InAString) {
  Baseline();
  std::string body = "{\"given_name\":\"A\xC3\x28\",\"family_name\":\"Bytes\"}";
  EXPECT_TRUE(IsProblem(agent_->Send("POST", "/api/v1/citizens", body), 400));
}

TEST_F(BadInputTest, ControlCharactersInNamesAreRejected) {
  Baseline();
  // A NUL (or any C0 control) inside a name is never a real name and breaks
  // C-string consumers downstream (exports, SMS gateways).
  EXPECT_TRUE(IsFieldProblem(
      agent_->Send("POST", "/api/v1/citizens", R"({"given_name":"Nul\u0000byte"})"), 400,
      "given_name"));
  EXPECT_TRUE(IsFieldProblem(
      agent_->Send("POST", "/api/v1/citizens", R"({"family_name":"Bell\u0007"})"), 400,
      "family_name"));
}

TEST_F(BadInputTest, TenMegabyteBodyIs413OrClosed) {
  Baseline();
  std::string huge = "{\"given_name\":\"" + std::string(10 * 1024 * 1024, 'a') + "\"}";
  Reply reply = agent_->Send("POST", "/api/v1/citizens", huge);
  // The server may answer 413 before reading it all and close the connection;
  // the client then sees either the 413 or a reset.
  if (reply.status != 0) {
    EXPECT_EQ(reply.status, 413) << reply;
    if (reply.content_type.rfind("application/problem+json", 0) == 0) {
      EXPECT_TRUE(IsProblem(reply, 413));
    }
  }
  agent_->client().Close();
}

TEST_F(BadInputTest, UnknownIdsAre404) {
  Baseline();
  EXPECT_TRUE(IsProblem(agent_->Get("/api/v1/cases/999999"), 404));
  EXPECT_TRUE(IsProblem(agent_->Get("/api/v1/citizens/999999"), 404));
  EXPECT_TRUE(IsProblem(agent_->Get("/api/v1/cases/not-a-reference"), 404));
  EXPECT_TRUE(IsProblem(agent_->Patch("/api/v1/cases/999999",
                                      boost::json::object{{"priority", "high"}}),
                        404));
}

TEST_F(BadInputTest, ReferenceWithWrongCheckCharacterIs404) {
  Reply created = CreateCase(*agent_, ServiceIn("waste", "bin"), CreateCitizen(*agent_, "Check"));
  std::string reference = created.Str("reference");
  ASSERT_TRUE(LooksLikeReference(reference)) << created;
  Baseline();
  EXPECT_EQ(agent_->Get("/api/v1/cases/" + reference).status, 200);
  std::string wrong = reference;
  wrong.back() = wrong.back() == '7' ? '8' : '7';
  EXPECT_TRUE(IsProblem(agent_->Get("/api/v1/cases/" + wrong), 404)) << wrong;
}

TEST_F(BadInputTest, IllegalTransitionIs409) {
  Reply created = CreateCase(*agent_, ServiceIn("waste", "bin"), CreateCitizen(*agent_, "Trans"));
  Baseline();
  Reply reply = agent_->Patch("/api/v1/cases/" + std::to_string(created.Int("id")),
                              boost::json::object{{"status", "closed"}},
                              {{"If-Match", created.Header("ETag")}});
  EXPECT_TRUE(IsProblem(reply, 409));
}

TEST_F(BadInputTest, InvalidAndMissingTokensAre401) {
  Baseline();
  Api bogus(port(), "not-a-real-token");
  Reply invalid = bogus.Get("/api/v1/cases");
  EXPECT_TRUE(IsProblem(invalid, 401));
  EXPECT_EQ(invalid.Header("WWW-Authenticate").rfind("Bearer", 0), 0u) << invalid;
  Api anonymous(port());
  EXPECT_TRUE(IsProblem(anonymous.Get("/api/v1/cases"), 401));
  EXPECT_TRUE(IsProblem(anonymous.Post("/api/v1/citizens",
                                       boost::json::object{{"given_name", "Anon"}}),
                        401));
  EXPECT_TRUE(IsProblem(bogus.Get("/api/v1/cases", {{"Authorization", "Basic YTpi"}}), 401));

  // A token that was valid once (logged out) no longer is.
  std::string token = server().Login(kAgent, kDemoPassword);
  Api once(port(), token);
  ASSERT_EQ(once.Delete("/api/v1/session").status, 204);
  Baseline();  // the logout itself may be recorded
  EXPECT_TRUE(IsProblem(once.Get("/api/v1/cases"), 401));
}

TEST_F(BadInputTest, WrongContentTypeIs415) {
  Baseline();
  Reply reply = agent_->Send("POST", "/api/v1/citizens", R"({"given_name":"Plain"})",
                             {{"Content-Type", "text/plain"}});
  EXPECT_TRUE(IsProblem(reply, 415));
  Reply form = agent_->Send("POST", "/api/v1/cases", "service_code=x",
                            {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_TRUE(IsProblem(form, 415));
}

TEST_F(BadInputTest, BadQueryParametersAre400) {
  Baseline();
  EXPECT_TRUE(IsFieldProblem(agent_->Get("/api/v1/cases?limit=abc"), 400, "limit"));
  EXPECT_TRUE(IsFieldProblem(agent_->Get("/api/v1/cases?limit=0"), 400, "limit"));
  EXPECT_TRUE(IsFieldProblem(agent_->Get("/api/v1/cases?status=bogus"), 400, "status"));
  EXPECT_TRUE(IsFieldProblem(agent_->Get("/api/v1/events?after=-1"), 400, "after"));
  EXPECT_TRUE(IsProblem(agent_->Get("/api/v1/cases?limit=1&limit=2"), 400));
}

TEST_F(BadInputTest, ErrorIsLoggedWithRequestId) {
  Baseline();
  Reply reply = agent_->Get("/api/v1/cases?limit=abc");
  ASSERT_TRUE(IsProblem(reply, 400));
  std::string request_id = reply.Header("X-Request-Id");
  ASSERT_FALSE(request_id.empty()) << reply;
  EXPECT_EQ(reply.Str("request_id"), request_id) << reply;
  // Info lines may sit in the logger's buffer for a moment.
  bool logged = false;
  for (int attempt = 0; attempt < 50 && !logged; ++attempt) {
    logged = server().ReadLog().find(request_id) != std::string::npos;
    if (!logged) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(logged) << "no log line mentions request id " << request_id;
}

}  // namespace
}  // namespace onestop::integration
