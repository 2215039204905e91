// Open311 GeoReport v2 conformance, written from the spec text
// (wiki.open311.org/GeoReport_v2) and mySociety's servicerequestupdates
// extension, against the real binary: every endpoint in both formats, every
// datatype the demo catalogue uses, the error paths and formats, and the
// round trip between a client and staff. Every XML answer is parsed with
// expat; every JSON answer with Boost.JSON and checked for the spec's shape.
#include <expat.h>

#include <set>

#include "absl/time/time.h"
#include "api_client.h"
#include "common/time_format.h"

namespace onestop::integration {
namespace {

// ---- a tiny DOM over expat, enough to check element names and text ----

struct XmlElement {
  std::string name;
  std::string text;
  std::vector<XmlElement> children;
  const XmlElement* Child(std::string_view n) const {
    for (const auto& c : children) {
      if (c.name == n) return &c;
    }
    return nullptr;
  }
  std::string ChildText(std::string_view n) const {
    const XmlElement* c = Child(n);
    return c ? c->text : "<missing>";
  }
};

struct XmlDoc {
  bool ok = false;
  std::string error;
  XmlElement root;
};

XmlDoc ParseXml(const std::string& text) {
  XmlDoc doc;
  std::vector<XmlElement*> stack;
  struct State {
    XmlDoc* doc;
    std::vector<XmlElement*>* stack;
  } state{&doc, &stack};
  XML_Parser parser = XML_ParserCreate("UTF-8");
  XML_SetUserData(parser, &state);
  XML_SetElementHandler(
      parser,
      [](void* data, const XML_Char* name, const XML_Char**) {
        auto* s = static_cast<State*>(data);
        if (s->stack->empty()) {
          s->doc->root.name = name;
          s->stack->push_back(&s->doc->root);
        } else {
          s->stack->back()->children.push_back(XmlElement{name, "", {}});
          s->stack->push_back(&s->stack->back()->children.back());
        }
      },
      [](void* data, const XML_Char*) { static_cast<State*>(data)->stack->pop_back(); });
  XML_SetCharacterDataHandler(parser, [](void* data, const XML_Char* chars, int len) {
    auto* s = static_cast<State*>(data);
    if (!s->stack->empty()) s->stack->back()->text.append(chars, len);
  });
  if (XML_Parse(parser, text.data(), static_cast<int>(text.size()), 1) == XML_STATUS_ERROR) {
    doc.error = XML_ErrorString(XML_GetErrorCode(parser));
  } else {
    doc.ok = true;
  }
  XML_ParserFree(parser);
  return doc;
}

std::string Form(const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::string out;
  for (const auto& [k, v] : pairs) {
    if (!out.empty()) out += '&';
    out += http::UrlEncode(k) + "=" + http::UrlEncode(v);
  }
  return out;
}

class Open311Test : public ServerSuite {
 protected:
  static inline std::string key_;

  void SetUp() override {
    ServerSuite::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    if (key_.empty()) {
      Api admin = ApiAs(kAdmin);
      Reply created = admin.Post("/api/v1/api-keys", boost::json::object{{"name", "FixMyStreet"}});
      ASSERT_EQ(created.status, 201) << created;
      key_ = created.Str("key");
      ASSERT_EQ(key_.size(), 43u);
    }
  }

  static Reply PostForm(std::string_view target, const std::string& body,
                        std::string content_type = "application/x-www-form-urlencoded; charset=utf-8") {
    Api api(port());
    return api.Send("POST", target, body, {{"Content-Type", content_type}});
  }
  static Reply Get(std::string_view target) {
    Api api(port());
    return api.Get(target);
  }
  // An Open311 error reply: status, content type, and a parseable error list.
  static ::testing::AssertionResult IsOpen311Error(const Reply& reply, int status, bool xml) {
    if (reply.status != status) {
      return ::testing::AssertionFailure() << "status " << reply.status << " want " << status
                                           << ": " << reply.body;
    }
    if (xml) {
      if (reply.content_type != "text/xml; charset=utf-8") {
        return ::testing::AssertionFailure() << "content type " << reply.content_type;
      }
      XmlDoc doc = ParseXml(reply.body);
      if (!doc.ok || doc.root.name != "errors" || doc.root.children.empty() ||
          doc.root.children[0].name != "error" ||
          doc.root.children[0].ChildText("code") != std::to_string(status) ||
          doc.root.children[0].ChildText("description").empty()) {
        return ::testing::AssertionFailure() << "not an Open311 XML error: " << reply.body;
      }
    } else {
      if (reply.content_type != "application/json; charset=utf-8" || !reply.json.is_array() ||
          reply.json.as_array().empty()) {
        return ::testing::AssertionFailure() << "not an Open311 JSON error: " << reply.body;
      }
      const auto& e = reply.json.as_array()[0].as_object();
      if (!e.contains("code") || e.at("code").to_number<int>() != status ||
          !e.contains("description") || !e.at("description").is_string()) {
        return ::testing::AssertionFailure() << "bad error shape: " << reply.body;
      }
    }
    return ::testing::AssertionSuccess();
  }

  // Valid attribute[...] pairs for an Open311 service definition (JSON).
  static std::vector<std::pair<std::string, std::string>> Attributes(const std::string& code) {
    Reply def = Get("/open311/v2/services/" + code + ".json");
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& a : def.json.as_object().at("attributes").as_array()) {
      const auto& attr = a.as_object();
      std::string c(attr.at("code").as_string());
      std::string type(attr.at("datatype").as_string());
      if (!attr.at("required").as_bool()) continue;
      if (type == "singlevaluelist") {
        out.push_back({"attribute[" + c + "]",
                       std::string(attr.at("values").as_array()[0].at("key").as_string())});
      } else if (type == "multivaluelist") {
        for (const auto& v : attr.at("values").as_array()) {
          out.push_back({"attribute[" + c + "][]", std::string(v.at("key").as_string())});
          if (out.size() > 1) break;
        }
      } else if (type == "number") {
        out.push_back({"attribute[" + c + "]", "2"});
      } else if (type == "datetime") {
        out.push_back({"attribute[" + c + "]", "2026-03-02T09:30:00Z"});
      } else {
        out.push_back({"attribute[" + c + "]", "Answer to " + c});
      }
    }
    return out;
  }

  static std::vector<std::pair<std::string, std::string>> NewRequest(const std::string& code) {
    auto form = Attributes(code);
    form.push_back({"api_key", key_});
    form.push_back({"service_code", code});
    form.push_back({"lat", "51.5072"});
    form.push_back({"long", "-0.1276"});
    form.push_back({"email", "resident+o311@example.org"});
    form.push_back({"first_name", "Ada"});
    form.push_back({"last_name", "Lovelace"});
    return form;
  }

  // POSTs a request; returns the service_request_id.
  static std::string CreateRequest(const std::string& code,
                                   std::vector<std::pair<std::string, std::string>> extra = {}) {
    auto form = NewRequest(code);
    form.insert(form.end(), extra.begin(), extra.end());
    Reply r = PostForm("/open311/v2/requests.json", Form(form));
    EXPECT_EQ(r.status, 201) << r;
    if (r.status != 201) return "";
    return std::string(r.json.as_array()[0].at("service_request_id").as_string());
  }
};

TEST_F(Open311Test, DiscoveryInBothFormats) {
  Reply xml = Get("/open311/v2/discovery.xml");
  ASSERT_EQ(xml.status, 200) << xml;
  EXPECT_EQ(xml.content_type, "text/xml; charset=utf-8");
  XmlDoc doc = ParseXml(xml.body);
  ASSERT_TRUE(doc.ok) << doc.error << "\n" << xml.body;
  EXPECT_EQ(doc.root.name, "discovery");
  const XmlElement* endpoints = doc.root.Child("endpoints");
  ASSERT_NE(endpoints, nullptr);
  const XmlElement& endpoint = endpoints->children.at(0);
  EXPECT_EQ(endpoint.name, "endpoint");
  EXPECT_EQ(endpoint.ChildText("specification"), "http://wiki.open311.org/GeoReport_v2");
  EXPECT_EQ(endpoint.ChildText("type"), "production");
  EXPECT_EQ(endpoint.Child("formats")->children.size(), 2u);
  Reply json = Get("/open311/v2/discovery.json");
  ASSERT_EQ(json.status, 200);
  EXPECT_EQ(json.content_type, "application/json; charset=utf-8");
  ASSERT_TRUE(json.json.is_object()) << json;
  EXPECT_TRUE(json.json.at("endpoints").as_array()[0].at("formats").is_array());
}

TEST_F(Open311Test, ServicesListOnlyApiChannelInBothFormats) {
  Reply json = Get("/open311/v2/services.json");
  ASSERT_EQ(json.status, 200) << json;
  ASSERT_TRUE(json.json.is_array());
  std::set<std::string> codes;
  for (const auto& s : json.json.as_array()) {
    const auto& o = s.as_object();
    for (const char* key : {"service_code", "service_name", "description", "metadata", "type",
                            "keywords", "group"}) {
      EXPECT_TRUE(o.contains(key)) << key << " missing in " << boost::json::serialize(o);
    }
    EXPECT_TRUE(o.at("service_code").is_string());
    EXPECT_TRUE(o.at("metadata").is_bool());
    EXPECT_EQ(o.at("type").as_string(), "realtime");
    codes.insert(std::string(o.at("service_code").as_string()));
  }
  // Exactly the active services offered on the api channel.
  std::set<std::string> expected;
  for (const ServiceInfo& s : Services()) {
    const auto* channels = s.json.if_contains("channels");
    bool api = false;
    if (channels && channels->is_array()) {
      for (const auto& c : channels->as_array()) api = api || c == "api";
    }
    const auto* active = s.json.if_contains("active");
    if (api && (!active || active->as_bool())) expected.insert(s.code);
  }
  EXPECT_EQ(codes, expected);
  EXPECT_GE(codes.size(), 20u);

  Reply xml = Get("/open311/v2/services.xml");
  XmlDoc doc = ParseXml(xml.body);
  ASSERT_TRUE(doc.ok) << doc.error;
  EXPECT_EQ(doc.root.name, "services");
  EXPECT_EQ(doc.root.children.size(), codes.size());
  EXPECT_EQ(doc.root.children[0].name, "service");
  EXPECT_NE(doc.root.children[0].ChildText("metadata"), "<missing>");
}

TEST_F(Open311Test, EveryServiceDefinitionIsWellFormed) {
  Reply list = Get("/open311/v2/services.json");
  std::set<std::string> datatypes;
  for (const auto& s : list.json.as_array()) {
    std::string code(s.at("service_code").as_string());
    Reply json = Get("/open311/v2/services/" + code + ".json");
    ASSERT_EQ(json.status, 200) << json;
    ASSERT_TRUE(json.json.is_object());
    EXPECT_EQ(json.json.at("service_code").as_string(), code);
    std::set<int64_t> orders;
    for (const auto& a : json.json.at("attributes").as_array()) {
      const auto& attr = a.as_object();
      EXPECT_TRUE(attr.at("variable").is_bool());
      EXPECT_TRUE(attr.at("required").is_bool());
      int64_t order = attr.at("order").to_number<int64_t>();
      EXPECT_GT(order, 0);
      EXPECT_TRUE(orders.insert(order).second) << "order not unique in " << code;
      std::string type(attr.at("datatype").as_string());
      datatypes.insert(type);
      if (type == "singlevaluelist" || type == "multivaluelist") {
        EXPECT_FALSE(attr.at("values").as_array().empty());
      }
    }
    Reply xml = Get("/open311/v2/services/" + code + ".xml");
    XmlDoc doc = ParseXml(xml.body);
    ASSERT_TRUE(doc.ok) << code << ": " << doc.error;
    EXPECT_EQ(doc.root.name, "service_definition");
    EXPECT_EQ(doc.root.ChildText("service_code"), code);
  }
  EXPECT_EQ(datatypes, (std::set<std::string>{"string", "number", "datetime", "text",
                                              "singlevaluelist", "multivaluelist"}));
}

TEST_F(Open311Test, UnknownServiceAndResource404) {
  EXPECT_TRUE(IsOpen311Error(Get("/open311/v2/services/no-such-thing.xml"), 404, true));
  EXPECT_TRUE(IsOpen311Error(Get("/open311/v2/services/no-such-thing.json"), 404, false));
  EXPECT_TRUE(IsOpen311Error(Get("/open311/v2/requests/ZZZZ-ZZZZ.json"), 404, false));
  EXPECT_TRUE(IsOpen311Error(Get("/open311/v2/tokens/nope.xml"), 404, true));
  EXPECT_TRUE(IsOpen311Error(Get("/open311/v2/nothing.xml"), 404, true));
}

TEST_F(Open311Test, UnknownJurisdiction404) {
  EXPECT_TRUE(IsOpen311Error(Get("/open311/v2/services.xml?jurisdiction_id=elsewhere.gov"), 404, true));
  EXPECT_TRUE(IsOpen311Error(Get("/open311/v2/requests.json?jurisdiction_id=x"), 404, false));
  Reply r = PostForm("/open311/v2/requests.xml",
                     Form({{"api_key", key_}, {"jurisdiction_id", "x"}, {"service_code", "pothole"}}));
  EXPECT_TRUE(IsOpen311Error(r, 404, true));
}

TEST_F(Open311Test, MissingOrInvalidKey403) {
  auto form = NewRequest("pothole");
  std::erase_if(form, [](const auto& p) { return p.first == "api_key"; });
  EXPECT_TRUE(IsOpen311Error(PostForm("/open311/v2/requests.xml", Form(form)), 403, true));
  form.push_back({"api_key", "not-a-key"});
  EXPECT_TRUE(IsOpen311Error(PostForm("/open311/v2/requests.json", Form(form)), 403, false));
  EXPECT_TRUE(IsOpen311Error(Get("/open311/v2/servicerequestupdates.xml"), 403, true));
}

TEST_F(Open311Test, RevokedKey403) {
  Api admin = ApiAs(kAdmin);
  Reply created = admin.Post("/api/v1/api-keys", boost::json::object{{"name", "Old app"}});
  ASSERT_EQ(created.status, 201) << created;
  std::string key = created.Str("key");
  Reply listed = admin.Get("/api/v1/api-keys");
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.body.find(key), std::string::npos) << "the key itself must not be listed";
  ASSERT_EQ(admin.Delete("/api/v1/api-keys/" + std::to_string(created.Int("id"))).status, 200);
  Reply r = Get("/open311/v2/servicerequestupdates.json?api_key=" + key);
  EXPECT_TRUE(IsOpen311Error(r, 403, false));
  Api agent = ApiAs(kAgent);
  EXPECT_EQ(agent.Post("/api/v1/api-keys", boost::json::object{{"name", "x"}}).status, 403);
}

TEST_F(Open311Test, PostCreatesCaseCitizenAndContact) {
  std::string id = CreateRequest("pothole", {{"description", "Deep hole <by> the \"bus\" stop & shelter"},
                                             {"media_url", "https://example.org/p.jpg"},
                                             {"address_string", "12 Mill Lane"}});
  ASSERT_FALSE(id.empty());
  EXPECT_TRUE(LooksLikeReference(id)) << id;
  Api agent = ApiAs(kAgent);
  Reply c = agent.Get("/api/v1/cases/" + id);
  ASSERT_EQ(c.status, 200) << c;
  EXPECT_EQ(c.Str("channel"), "api");
  EXPECT_NE(c.body.find("https://example.org/p.jpg"), std::string::npos) << c;
  Reply people = agent.Get("/api/v1/citizens?email=resident%2Bo311%40example.org");
  ASSERT_EQ(people.status, 200) << people;
  ASSERT_EQ(people.Items().size(), 1u) << people;
  // A second request by the same resident reuses the citizen.
  ASSERT_FALSE(CreateRequest("pothole").empty());
  people = agent.Get("/api/v1/citizens?email=resident%2Bo311%40example.org");
  EXPECT_EQ(people.Items().size(), 1u) << people;
  Reply contacts = agent.Get("/api/v1/contacts?case=" + std::to_string(c.Int("id")));
  ASSERT_EQ(contacts.status, 200) << contacts;
  ASSERT_FALSE(contacts.Items().empty());
  EXPECT_EQ(contacts.Items()[0].at("channel").as_string(), "api");

  // Read back in both formats; XML escaped and parseable.
  Reply xml = Get("/open311/v2/requests/" + id + ".xml");
  ASSERT_EQ(xml.status, 200) << xml;
  XmlDoc doc = ParseXml(xml.body);
  ASSERT_TRUE(doc.ok) << doc.error << xml.body;
  ASSERT_EQ(doc.root.name, "service_requests");
  const XmlElement& req = doc.root.children.at(0);
  EXPECT_EQ(req.ChildText("service_request_id"), id);
  EXPECT_EQ(req.ChildText("status"), "open");
  EXPECT_EQ(req.ChildText("description"), "Deep hole <by> the \"bus\" stop & shelter");
  EXPECT_EQ(req.ChildText("media_url"), "https://example.org/p.jpg");
  EXPECT_EQ(req.ChildText("address"), "12 Mill Lane");
  EXPECT_EQ(req.ChildText("requested_datetime").back(), 'Z');
  Reply json = Get("/open311/v2/requests/" + id + ".json");
  ASSERT_TRUE(json.json.is_array()) << json;
  const auto& o = json.json.as_array()[0].as_object();
  for (const char* key : {"service_request_id", "status", "status_notes", "service_name",
                          "service_code", "description", "agency_responsible", "service_notice",
                          "requested_datetime", "updated_datetime", "expected_datetime", "address",
                          "address_id", "zipcode", "lat", "long", "media_url"}) {
    EXPECT_TRUE(o.contains(key)) << key;
  }
  EXPECT_TRUE(o.at("lat").is_number());
  Reply token = Get("/open311/v2/tokens/" + id + ".json");
  ASSERT_EQ(token.status, 200) << token;
  EXPECT_EQ(token.json.as_array()[0].at("service_request_id").as_string(), id);
}

TEST_F(Open311Test, MultipartAndMultiValueAttributes) {
  auto form = NewRequest("fly-tipping");
  std::string boundary = "----o311boundary";
  std::string body;
  for (const auto& [k, v] : form) {
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + k + "\"\r\n\r\n" + v +
            "\r\n";
  }
  body += "--" + boundary +
          "\r\nContent-Disposition: form-data; name=\"media\"; filename=\"a.jpg\"\r\n"
          "Content-Type: image/jpeg\r\n\r\n\xff\xd8\xff\r\n--" + boundary + "--\r\n";
  Reply r = PostForm("/open311/v2/requests.xml", body, "multipart/form-data; boundary=" + boundary);
  ASSERT_EQ(r.status, 201) << r;
  XmlDoc doc = ParseXml(r.body);
  ASSERT_TRUE(doc.ok) << doc.error;
  EXPECT_TRUE(LooksLikeReference(doc.root.children.at(0).ChildText("service_request_id")));
  // Broken multipart: missing closing delimiter → 400.
  Reply bad = PostForm("/open311/v2/requests.xml", body.substr(0, body.size() - 6),
                       "multipart/form-data; boundary=" + boundary);
  EXPECT_TRUE(IsOpen311Error(bad, 400, true));
}

TEST_F(Open311Test, BadInputIsRejectedAndCreatesNothing) {
  Api agent = ApiAs(kAgent);
  int64_t before = SettleEvents(agent);
  auto base = NewRequest("pothole");
  auto with = [&](std::vector<std::pair<std::string, std::string>> extra,
                  std::string drop = "") {
    auto form = base;
    if (!drop.empty()) std::erase_if(form, [&](const auto& p) { return p.first == drop; });
    form.insert(form.end(), extra.begin(), extra.end());
    return Form(form);
  };
  struct Case {
    std::string name;
    std::string body;
  };
  std::vector<Case> cases = {
      {"garbage", "%zz%%&&=="},
      {"binary", std::string("\xff\xfe\x00\x01", 4)},
      {"duplicate", with({{"service_code", "pothole"}})},
      {"long description", with({{"description", std::string(4001, 'x')}})},
      {"invalid utf8", with({{"description", "caf\xc3"}})},
      {"unknown attribute", with({{"attribute[nope]", "1"}})},
      {"missing required attribute", with({}, "attribute[surface]")},
      {"bad lat", with({{"lat", "91"}}, "lat")},
      {"lat not a number", with({{"lat", "north"}}, "lat")},
      {"lat without long", with({}, "long")},
      {"no location", [&] {
         auto form = base;
         std::erase_if(form, [](const auto& p) { return p.first == "lat" || p.first == "long"; });
         return Form(form);
       }()},
      {"bad list value", with({{"attribute[surface]", "lava"}}, "attribute[surface]")},
      {"bad email", with({{"email", "not-an-email"}}, "email")},
      {"malformed attribute", with({{"attribute[x", "1"}})},
      {"missing service_code", with({}, "service_code")},
  };
  for (const auto& c : cases) {
    Reply r = PostForm("/open311/v2/requests.json", c.body);
    EXPECT_TRUE(IsOpen311Error(r, 400, false)) << c.name;
  }
  Reply wrong_type = PostForm("/open311/v2/requests.xml", with({}), "text/plain");
  EXPECT_TRUE(IsOpen311Error(wrong_type, 400, true));
  EXPECT_TRUE(IsOpen311Error(PostForm("/open311/v2/requests.xml", with({{"service_code", "x"}}, "service_code")), 404, true));
  EXPECT_TRUE(EventsAfter(agent, before).empty()) << "a rejected request wrote events";
  EXPECT_EQ(Get("/healthz").status, 200);
}

TEST_F(Open311Test, XmlHostileTextIsEscapedOrStripped) {
  // Control characters are refused by the shared form rules (400, nothing created) ...
  auto form = NewRequest("pothole");
  form.push_back({"description", "bell\x07"});
  EXPECT_TRUE(IsOpen311Error(PostForm("/open311/v2/requests.xml", Form(form)), 400, true));
  // ... markup is stored as text and escaped; U+FFFE (not allowed in XML 1.0) is dropped.
  std::string id = CreateRequest(
      "pothole", {{"description", std::string("a]]>b<!--c--> d\xef\xbf\xbe &amp; ✓")}});
  ASSERT_FALSE(id.empty());
  Reply xml = Get("/open311/v2/requests/" + id + ".xml");
  XmlDoc doc = ParseXml(xml.body);
  ASSERT_TRUE(doc.ok) << doc.error << "\n" << xml.body;
  std::string text = doc.root.children.at(0).ChildText("description");
  EXPECT_NE(text.find("a]]>b<!--c-->"), std::string::npos) << text;
  EXPECT_NE(text.find("&amp; ✓"), std::string::npos) << text;
}

TEST_F(Open311Test, ListFiltersAndDateRules) {
  std::string id = CreateRequest("graffiti");
  ASSERT_FALSE(id.empty());
  Reply all = Get("/open311/v2/requests.json");
  ASSERT_EQ(all.status, 200) << all;
  bool found = false;
  for (const auto& r : all.json.as_array()) found = found || r.at("service_request_id") == boost::json::value(id);
  EXPECT_TRUE(found);
  Reply by_code = Get("/open311/v2/requests.json?service_code=graffiti,pothole&status=open");
  ASSERT_EQ(by_code.status, 200) << by_code;
  for (const auto& r : by_code.json.as_array()) {
    EXPECT_TRUE(r.at("service_code") == "graffiti" || r.at("service_code") == "pothole");
    EXPECT_EQ(r.at("status"), "open");
  }
  Reply closed = Get("/open311/v2/requests.xml?status=closed&service_code=graffiti");
  XmlDoc doc = ParseXml(closed.body);
  ASSERT_TRUE(doc.ok);
  for (const auto& r : doc.root.children) EXPECT_NE(r.ChildText("service_request_id"), id);
  Reply by_id = Get("/open311/v2/requests.json?service_request_id=" + id + ",ZZZZ-ZZZZ&status=closed");
  ASSERT_EQ(by_id.status, 200) << by_id;
  ASSERT_EQ(by_id.json.as_array().size(), 1u) << "service_request_id overrides the other filters";
  Reply window = Get("/open311/v2/requests.json?start_date=2000-01-01T00:00:00Z&end_date=2000-02-01T00:00:00%2B01:00");
  ASSERT_EQ(window.status, 200) << window;
  EXPECT_TRUE(window.json.as_array().empty());
  EXPECT_TRUE(IsOpen311Error(Get("/open311/v2/requests.json?start_date=2026-01-01T00:00:00Z"), 400, false));
  EXPECT_TRUE(IsOpen311Error(Get("/open311/v2/requests.xml?end_date=2026-01-01T00:00:00Z"), 400, true));
  EXPECT_TRUE(IsOpen311Error(Get("/open311/v2/requests.xml?start_date=2026-01-01T00:00:00Z&end_date=2026-04-02T00:00:00Z"), 400, true));
  EXPECT_TRUE(IsOpen311Error(Get("/open311/v2/requests.xml?start_date=yesterday&end_date=today"), 400, true));
  EXPECT_TRUE(IsOpen311Error(Get("/open311/v2/requests.json?status=pending"), 400, false));
  EXPECT_TRUE(IsOpen311Error(Get("/open311/v2/requests.json?status=open&status=closed"), 400, false));
}

TEST_F(Open311Test, RoundTripWithServiceRequestUpdates) {
  std::string id = CreateRequest("street-light-fault");
  ASSERT_FALSE(id.empty());
  Api agent = ApiAs(kAgent);
  Reply c = agent.Get("/api/v1/cases/" + id);
  ASSERT_EQ(c.status, 200) << c;
  std::string target = "/api/v1/cases/" + std::to_string(c.Int("id"));
  Reply moved = agent.Patch(target, boost::json::object{{"status", "in_progress"}},
                            {{"If-Match", c.Header("ETag")}});
  ASSERT_EQ(moved.status, 200) << moved;
  Reply note = agent.Post(target + "/notes",
                          boost::json::object{{"visibility", "public"}, {"body", "Crew booked"}});
  ASSERT_EQ(note.status, 201) << note;
  ASSERT_EQ(agent.Post(target + "/notes", boost::json::object{{"visibility", "internal"},
                                                              {"body", "secret"}}).status, 201);

  Reply updates = Get("/open311/v2/servicerequestupdates.json?api_key=" + key_);
  ASSERT_EQ(updates.status, 200) << updates;
  std::vector<boost::json::object> mine;
  for (const auto& u : updates.json.as_array()) {
    if (u.at("service_request_id") == boost::json::value(id)) mine.push_back(u.as_object());
  }
  ASSERT_EQ(mine.size(), 2u) << updates;
  EXPECT_EQ(mine[0].at("status"), "in_progress");
  EXPECT_EQ(mine[1].at("description"), "Crew booked");
  EXPECT_EQ(mine[1].at("status"), "in_progress");
  EXPECT_EQ(updates.body.find("secret"), std::string::npos);
  for (const char* key : {"update_id", "service_request_id", "status", "updated_datetime",
                          "description", "media_url"}) {
    EXPECT_TRUE(mine[0].contains(key)) << key;
  }
  // Stable ids: the same on a second read, and in XML.
  Reply again = Get("/open311/v2/servicerequestupdates.xml?api_key=" + key_);
  XmlDoc doc = ParseXml(again.body);
  ASSERT_TRUE(doc.ok) << doc.error;
  EXPECT_EQ(doc.root.name, "service_request_updates");
  std::set<std::string> xml_ids;
  for (const auto& u : doc.root.children) xml_ids.insert(u.ChildText("update_id"));
  EXPECT_TRUE(xml_ids.count(std::string(mine[0].at("update_id").as_string())));

  // The client posts an update: FIXED resolves the case and adds a public note.
  Reply posted = PostForm("/open311/v2/servicerequestupdates.json",
                          Form({{"api_key", key_}, {"service_request_id", id}, {"update_id", "fms-1"},
                                {"status", "FIXED"}, {"updated_datetime", "2026-03-02T10:00:00Z"},
                                {"description", "Fixed, thanks"}, {"first_name", "Ada"}}));
  ASSERT_EQ(posted.status, 200) << posted;
  EXPECT_FALSE(posted.json.as_array()[0].at("update_id").as_string().empty());
  Reply after = agent.Get(target);
  EXPECT_EQ(after.Str("status"), "resolved");
  Reply notes = agent.Get(target + "/notes");
  EXPECT_NE(notes.body.find("Fixed, thanks"), std::string::npos) << notes;
  Reply open311 = Get("/open311/v2/requests/" + id + ".json");
  EXPECT_EQ(open311.json.as_array()[0].at("status"), "closed");
  // REOPEN brings it back; an unknown status is a 400 that changes nothing.
  Reply reopen = PostForm("/open311/v2/servicerequestupdates.xml",
                          Form({{"api_key", key_}, {"service_request_id", id}, {"update_id", "fms-2"},
                                {"status", "REOPEN"}, {"updated_datetime", "2026-03-02T11:00:00Z"},
                                {"description", "Still broken"}}));
  ASSERT_EQ(reopen.status, 200) << reopen;
  EXPECT_EQ(agent.Get(target).Str("status"), "open");
  Reply bad = PostForm("/open311/v2/servicerequestupdates.xml",
                       Form({{"api_key", key_}, {"service_request_id", id}, {"update_id", "fms-3"},
                             {"status", "EXPLODED"}, {"updated_datetime", "2026-03-02T11:00:00Z"},
                             {"description", "?"}}));
  EXPECT_TRUE(IsOpen311Error(bad, 400, true));
  Reply unknown = PostForm("/open311/v2/servicerequestupdates.xml",
                           Form({{"api_key", key_}, {"service_request_id", "ZZZZ-ZZZZ"},
                                 {"update_id", "fms-4"}, {"status", "OPEN"},
                                 {"updated_datetime", "2026-03-02T11:00:00Z"}, {"description", "?"}}));
  EXPECT_TRUE(IsOpen311Error(unknown, 404, true));
}

// start_date/end_date reach the store as time ranges (cases by created_at,
// the event log by at): both ends inclusive, nothing outside.
TEST_F(Open311Test, DateWindowsSelectRequestsAndUpdatesByTime) {
  std::string id = CreateRequest("graffiti");
  ASSERT_FALSE(id.empty());
  Reply one = Get("/open311/v2/requests/" + id + ".json");
  ASSERT_EQ(one.status, 200) << one;
  // Whole seconds: the request was made in [requested, requested + 1 s).
  absl::StatusOr<absl::Time> requested =
      ParseRfc3339(std::string(one.json.as_array()[0].at("requested_datetime").as_string()));
  ASSERT_TRUE(requested.ok()) << one;
  auto last_microsecond_of = [](absl::Time second) {
    std::string text = FormatRfc3339(second);
    return text.substr(0, text.size() - 1) + ".999999Z";
  };
  auto contains = [&](const Reply& reply, const std::string& field) {
    EXPECT_EQ(reply.status, 200) << reply;
    if (!reply.json.is_array()) return false;
    for (const auto& r : reply.json.as_array()) {
      if (r.at(field) == boost::json::value(id)) return true;
    }
    return false;
  };
  auto requests = [&](const std::string& start, const std::string& end) {
    return Get("/open311/v2/requests.json?start_date=" + start + "&end_date=" + end);
  };
  EXPECT_TRUE(contains(requests(FormatRfc3339(*requested), last_microsecond_of(*requested)),
                       "service_request_id"));
  EXPECT_FALSE(contains(requests(FormatRfc3339(*requested + absl::Seconds(1)),
                                 FormatRfc3339(*requested + absl::Hours(1))),
                        "service_request_id"));
  EXPECT_FALSE(contains(requests(FormatRfc3339(*requested - absl::Hours(1)),
                                 FormatRfc3339(*requested - absl::Seconds(1))),
                        "service_request_id"));

  // A staff status change is an update at its own time.
  Api agent = ApiAs(kAgent);
  Reply c = agent.Get("/api/v1/cases/" + id);
  ASSERT_EQ(c.status, 200) << c;
  Reply moved = agent.Patch("/api/v1/cases/" + std::to_string(c.Int("id")),
                            boost::json::object{{"status", "in_progress"}}, {{"If-Match", c.Header("ETag")}});
  ASSERT_EQ(moved.status, 200) << moved;
  Reply all = Get("/open311/v2/servicerequestupdates.json?api_key=" + key_);
  ASSERT_EQ(all.status, 200) << all;
  std::string updated;
  for (const auto& u : all.json.as_array()) {
    if (u.at("service_request_id") == boost::json::value(id)) updated = u.at("updated_datetime").as_string();
  }
  absl::StatusOr<absl::Time> at = ParseRfc3339(updated);
  ASSERT_TRUE(at.ok()) << all;
  auto updates = [&](const std::string& start, const std::string& end) {
    return Get("/open311/v2/servicerequestupdates.json?api_key=" + key_ + "&start_date=" + start +
               "&end_date=" + end);
  };
  EXPECT_TRUE(contains(updates(FormatRfc3339(*at), last_microsecond_of(*at)), "service_request_id"));
  EXPECT_FALSE(contains(updates(FormatRfc3339(*at + absl::Seconds(1)), FormatRfc3339(*at + absl::Hours(1))),
                        "service_request_id"));
  EXPECT_FALSE(contains(updates(FormatRfc3339(*at - absl::Hours(1)), FormatRfc3339(*at - absl::Seconds(1))),
                        "service_request_id"));
}

TEST_F(Open311Test, CreateApiKeyCommandPrintsAKeyThatWorks) {
  CommandResult result = OnestopProcess::Run(
      {"create-api-key", "--database", server().database_url(), "--name", "Civic app",
       "--log-level", "warn"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::string key = result.out.substr(0, result.out.find('\n'));
  ASSERT_EQ(key.size(), 43u) << result.out;
  Reply r = Get("/open311/v2/servicerequestupdates.json?api_key=" + key);
  EXPECT_EQ(r.status, 200) << r;
}

}  // namespace
}  // namespace onestop::integration
