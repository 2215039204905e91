// Duplicates through the real binary: POST /api/v1/cases/duplicate-check,
// GET /api/v1/cases/{id}/duplicates, POST /api/v1/cases/{id}/duplicate-of,
// and Open311's duplicate_action.
#include "api_client.h"

namespace onestop::integration {
namespace {

class DuplicatesTest : public ServerSuite {
 protected:
  // A fly-tipping report (the demo council's nearby rule: 50 m, 30 days).
  static boost::json::object FlyTipping(int64_t citizen_id, double metres_north) {
    return boost::json::object{
        {"service_code", "fly-tipping"},
        {"channel", "phone"},
        {"citizen_id", citizen_id},
        {"values", boost::json::object{{"waste_types", boost::json::array{"furniture"}},
                                       {"amount", "car-boot"}}},
        {"location", boost::json::object{{"lat", 50.83 + metres_north / 111195.08},
                                         {"lng", -0.14},
                                         {"description", "Behind the library"}}}};
  }
};

TEST_F(DuplicatesTest, CheckFindsNearbyAndCreatesNothing) {
  Api agent = ApiAs(kAgent);
  int64_t ann = CreateCitizen(agent, "Ann");
  int64_t bob = CreateCitizen(agent, "Bob");
  Reply original = agent.Post("/api/v1/cases", FlyTipping(ann, 0));
  ASSERT_EQ(original.status, 201) << original;
  Reply far = agent.Post("/api/v1/cases", FlyTipping(ann, 2000));
  ASSERT_EQ(far.status, 201) << far;

  Reply before = agent.Get("/api/v1/cases?service=fly-tipping&limit=200");
  ASSERT_EQ(before.status, 200);
  const size_t count = before.Items().size();

  Reply check = agent.Post("/api/v1/cases/duplicate-check", FlyTipping(bob, 20));
  ASSERT_EQ(check.status, 200) << check;
  const boost::json::array& items = check.Items();
  ASSERT_GE(items.size(), 1u) << check;
  const boost::json::object& first = items[0].as_object();
  EXPECT_EQ(first.at("id").as_int64(), original.Int("id"));
  EXPECT_EQ(first.at("reference").as_string(), original.Str("reference"));
  EXPECT_EQ(first.at("reason").as_string(), "nearby");
  EXPECT_NEAR(first.at("distance_m").to_number<double>(), 20.0, 0.2);
  for (const auto& item : items) {
    EXPECT_NE(item.as_object().at("id").as_int64(), far.Int("id")) << "2 km away is not nearby";
  }

  Reply after = agent.Get("/api/v1/cases?service=fly-tipping&limit=200");
  EXPECT_EQ(after.Items().size(), count) << "the check created a case";

  // Ann's own open case for the service, wherever it is.
  Reply mine = agent.Post("/api/v1/cases/duplicate-check", FlyTipping(ann, 5000));
  ASSERT_EQ(mine.status, 200) << mine;
  bool same_resident = false;
  for (const auto& item : mine.Items()) {
    const auto& o = item.as_object();
    if (o.at("reason").as_string() == "same_resident_service") {
      same_resident = true;
      EXPECT_TRUE(o.at("distance_m").is_null() || o.at("distance_m").is_number());
    }
  }
  EXPECT_TRUE(same_resident) << mine;

  boost::json::object bad = FlyTipping(bob, 0);
  bad["service_code"] = "no-such-service";
  EXPECT_TRUE(IsProblem(agent.Post("/api/v1/cases/duplicate-check", bad), 400));
  EXPECT_TRUE(IsProblem(Api(port()).Post("/api/v1/cases/duplicate-check", FlyTipping(bob, 0)), 401));
}

TEST_F(DuplicatesTest, MarkDuplicateClosesPointsAndLists) {
  Api agent = ApiAs(kAgent);
  int64_t ann = CreateCitizen(agent, "Annie");
  int64_t bob = CreateCitizen(agent, "Bobby");
  Reply original = agent.Post("/api/v1/cases", FlyTipping(ann, 10000));
  ASSERT_EQ(original.status, 201) << original;
  Reply dup = agent.Post("/api/v1/cases", FlyTipping(bob, 10010));
  ASSERT_EQ(dup.status, 201) << dup;
  const int64_t original_id = original.Int("id"), dup_id = dup.Int("id");

  Reply listed = agent.Get("/api/v1/cases/" + std::to_string(dup_id) + "/duplicates");
  ASSERT_EQ(listed.status, 200) << listed;
  ASSERT_GE(listed.Items().size(), 1u) << listed;
  EXPECT_EQ(listed.Items()[0].as_object().at("id").as_int64(), original_id);

  Api officer = ApiAs(kHighwaysOfficer);  // another department: the cases do not exist for them
  EXPECT_TRUE(IsProblem(officer.Post("/api/v1/cases/" + std::to_string(dup_id) + "/duplicate-of",
                                     boost::json::object{{"case_id", original_id}}),
                        404));

  const std::string path = "/api/v1/cases/" + std::to_string(dup_id) + "/duplicate-of";
  EXPECT_TRUE(IsProblem(agent.Post(path, boost::json::object{{"case_id", dup_id}}), 409));
  EXPECT_TRUE(IsProblem(agent.Post(path, boost::json::object{{"case_id", 987654321}}), 404));
  EXPECT_TRUE(IsProblem(agent.Post("/api/v1/cases/987654321/duplicate-of",
                                   boost::json::object{{"case_id", original_id}}),
                        404));
  EXPECT_TRUE(IsProblem(agent.Post(path, boost::json::object{{"case_id", "x"}}), 400));

  Reply marked = ApiAs(kWasteOfficer).Post(path, boost::json::object{{"case_id", original_id}});
  ASSERT_EQ(marked.status, 200) << marked;
  EXPECT_EQ(marked.Str("status"), "closed");
  ASSERT_TRUE(marked.json.as_object().at("duplicate_of").is_object()) << marked;
  EXPECT_EQ(marked.json.as_object().at("duplicate_of").as_object().at("id").as_int64(), original_id);

  Reply got = agent.Get("/api/v1/cases/" + std::to_string(original_id));
  ASSERT_EQ(got.status, 200) << got;
  const boost::json::array& dups = got.json.as_object().at("duplicates").as_array();
  ASSERT_EQ(dups.size(), 1u) << got;
  EXPECT_EQ(dups[0].as_object().at("id").as_int64(), dup_id);

  // The cycle (the original onto its own duplicate) and a closed original.
  EXPECT_TRUE(IsProblem(agent.Post("/api/v1/cases/" + std::to_string(original_id) + "/duplicate-of",
                                   boost::json::object{{"case_id", dup_id}}),
                        409));
  Reply events = agent.Get("/api/v1/cases/" + std::to_string(dup_id) + "/events");
  ASSERT_EQ(events.status, 200);
  bool closed_event = false;
  for (const auto& e : events.Items()) {
    if (e.as_object().at("type").as_string() == "case.status_changed") closed_event = true;
  }
  EXPECT_TRUE(closed_event) << events;
}

TEST_F(DuplicatesTest, Open311CreatesWithANoticeOrFollows) {
  Api agent = ApiAs(kAgent);
  int64_t ann = CreateCitizen(agent, "Anna");
  Reply original = agent.Post("/api/v1/cases", FlyTipping(ann, 20000));
  ASSERT_EQ(original.status, 201) << original;
  Reply key = ApiAs(kAdmin).Post("/api/v1/api-keys", boost::json::object{{"name", "dup-test"}});
  ASSERT_EQ(key.status, 201) << key;
  const double lat = 50.83 + 20005 / 111195.08;
  auto form = [&](const std::string& extra) {
    return "api_key=" + key.Str("key") + "&service_code=fly-tipping&lat=" + std::to_string(lat) +
           "&long=-0.14&attribute%5Bwaste_types%5D%5B%5D=furniture&attribute%5Bamount%5D=car-boot"
           "&email=o311.dup%40example.org&first_name=Orla&last_name=Dup" + extra;
  };
  auto post = [&](const std::string& body) {
    Api api(port());
    return api.Send("POST", "/open311/v2/requests.json", body,
                    {{"Content-Type", "application/x-www-form-urlencoded"}});
  };
  Reply created = post(form(""));
  ASSERT_EQ(created.status, 201) << created;
  const auto& req = created.json.as_array()[0].as_object();
  const std::string created_ref(req.at("service_request_id").as_string());
  EXPECT_NE(created_ref, original.Str("reference"));
  EXPECT_EQ(req.at("duplicate_of").as_string(), original.Str("reference"));
  EXPECT_NE(std::string(req.at("service_notice").as_string()).find(original.Str("reference")),
            std::string::npos);

  Reply followed = post(form("&duplicate_action=follow"));
  ASSERT_EQ(followed.status, 200) << followed;
  const auto& f = followed.json.as_array()[0].as_object();
  // The requester's own request created above is the best match now.
  EXPECT_EQ(f.at("service_request_id").as_string(), created_ref) << followed;
  EXPECT_EQ(post(form("&duplicate_action=maybe")).status, 400);
}

TEST_F(DuplicatesTest, Open311LeavesOutLatLongWhenOnlyAPostcodeWasGiven) {
  Api agent = ApiAs(kAgent);
  int64_t ann = CreateCitizen(agent, "Pat");
  boost::json::object body = FlyTipping(ann, 0);
  body["location"] = boost::json::object{{"postcode", "FH9 9ZZ"}};
  Reply created = agent.Post("/api/v1/cases", body);
  ASSERT_EQ(created.status, 201) << created;
  const std::string ref = created.Str("reference");
  Api api(port());
  Reply json = api.Get("/open311/v2/requests/" + ref + ".json");
  ASSERT_EQ(json.status, 200) << json;
  const auto& o = json.json.as_array()[0].as_object();
  EXPECT_FALSE(o.contains("lat")) << json;
  EXPECT_FALSE(o.contains("long")) << json;
  EXPECT_EQ(o.at("zipcode").as_string(), "FH9 9ZZ");
  Reply xml = api.Get("/open311/v2/requests/" + ref + ".xml");
  ASSERT_EQ(xml.status, 200) << xml;
  EXPECT_EQ(xml.body.find("<lat"), std::string::npos) << xml.body;
  EXPECT_EQ(xml.body.find("<long"), std::string::npos) << xml.body;
  EXPECT_NE(xml.body.find("<zipcode>FH9 9ZZ</zipcode>"), std::string::npos) << xml.body;
}

}  // namespace
}  // namespace onestop::integration
