// Finding a resident while the phone rings (phone in any format, email in any
// case, postcode + name) and merging duplicate records (supervisor), with the
// merge reversed by an admin.
#include "api_client.h"

namespace onestop::integration {
namespace {

class CitizensTest : public ServerSuite {};

bool ContainsId(const Reply& reply, int64_t id) {
  for (const auto& item : reply.Items()) {
    if (item.as_object().at("id") == id) return true;
  }
  return false;
}

TEST_F(CitizensTest, FindByPhoneEmailAndPostcodeName) {
  Api agent = ApiAs(kAgent);
  int64_t id = CreateCitizen(
      agent, boost::json::object{
                 {"given_name", "Harriet"},
                 {"family_name", "Quill"},
                 {"phones", boost::json::array{"+44 7700 900123"}},
                 {"emails", boost::json::array{"Harriet.Quill@Example.ORG"}},
                 {"addresses", boost::json::array{boost::json::object{
                                   {"line1", "3 Rope Walk"}, {"town", "Fairhaven"},
                                   {"postcode", "fh1 4qq"}}}}});
  ASSERT_GT(id, 0);
  int64_t other = CreateCitizen(agent, boost::json::object{{"given_name", "Harold"},
                                                           {"family_name", "Other"}});

  Reply by_phone = agent.Get("/api/v1/citizens?phone=07700900123");
  ASSERT_EQ(by_phone.status, 200) << by_phone;
  EXPECT_TRUE(ContainsId(by_phone, id)) << by_phone;
  EXPECT_FALSE(ContainsId(by_phone, other));
  Reply by_spaced_phone = agent.Get("/api/v1/citizens?phone=%2B44%207700%20900123");
  EXPECT_TRUE(ContainsId(by_spaced_phone, id)) << by_spaced_phone;

  Reply by_email = agent.Get("/api/v1/citizens?email=HARRIET.quill%40example.org");
  ASSERT_EQ(by_email.status, 200) << by_email;
  EXPECT_TRUE(ContainsId(by_email, id)) << by_email;

  Reply by_postcode_name = agent.Get("/api/v1/citizens?postcode=FH14QQ&name=harr");
  ASSERT_EQ(by_postcode_name.status, 200) << by_postcode_name;
  EXPECT_TRUE(ContainsId(by_postcode_name, id)) << by_postcode_name;
  Reply wrong_name = agent.Get("/api/v1/citizens?postcode=FH1%204QQ&name=Zed");
  ASSERT_EQ(wrong_name.status, 200) << wrong_name;
  EXPECT_FALSE(ContainsId(wrong_name, id)) << wrong_name;
}

TEST_F(CitizensTest, MergeMovesCasesAndReverseMovesThemBack) {
  Api agent = ApiAs(kAgent);
  int64_t from = CreateCitizen(agent, boost::json::object{
                                          {"given_name", "Dup"}, {"family_name", "Licate"},
                                          {"phones", boost::json::array{"07700 900555"}}});
  int64_t into = CreateCitizen(agent, boost::json::object{
                                          {"given_name", "Dup"}, {"family_name", "Licate"},
                                          {"emails", boost::json::array{"dup@example.org"}}});
  int64_t case_id = CreateCase(agent, ServiceIn("waste", "bin"), from).Int("id");
  std::string case_target = "/api/v1/cases/" + std::to_string(case_id);
  boost::json::object merge{{"from", from}, {"into", into}};

  EXPECT_TRUE(IsProblem(agent.Post("/api/v1/citizen-merges", merge), 403));
  EXPECT_EQ(agent.Get(case_target).Int("citizen_id"), from);

  Api supervisor = ApiAs(kSupervisor);
  Reply merged = supervisor.Post("/api/v1/citizen-merges", merge);
  ASSERT_EQ(merged.status, 201) << merged;
  int64_t merge_id = merged.Int("id");
  EXPECT_EQ(agent.Get(case_target).Int("citizen_id"), into);
  Reply from_after = agent.Get("/api/v1/citizens/" + std::to_string(from));
  if (from_after.status == 200) { EXPECT_EQ(from_after.Int("merged_into"), into) << from_after; }
  Reply into_timeline = agent.Get("/api/v1/citizens/" + std::to_string(into) + "/timeline");
  bool case_on_timeline = false;
  for (const auto& entry : into_timeline.Items()) {
    const auto& e = entry.as_object();
    if (e.at("kind") == "case" && e.at("case").as_object().at("id") == case_id) {
      case_on_timeline = true;
    }
  }
  EXPECT_TRUE(case_on_timeline) << into_timeline;

  std::string reverse = "/api/v1/citizen-merges/" + std::to_string(merge_id) + "/reverse";
  EXPECT_TRUE(IsProblem(supervisor.Send("POST", reverse, "{}"), 403));
  Api admin = ApiAs(kAdmin);
  Reply reversed = admin.Send("POST", reverse, "{}");
  ASSERT_EQ(reversed.status, 200) << reversed;
  EXPECT_FALSE(reversed.Str("reversed_at").empty()) << reversed;
  EXPECT_EQ(agent.Get(case_target).Int("citizen_id"), from);
  Reply from_restored = agent.Get("/api/v1/citizens/" + std::to_string(from));
  ASSERT_EQ(from_restored.status, 200) << from_restored;
  EXPECT_TRUE(from_restored.At("merged_into").is_null()) << from_restored;
  // A merge is reversed once.
  Reply again = admin.Send("POST", reverse, "{}");
  EXPECT_TRUE(again.status == 409 || again.status == 400) << again;
}

TEST_F(CitizensTest, MergeIntoItselfOrUnknownIsRefused) {
  Api supervisor = ApiAs(kSupervisor);
  int64_t id = CreateCitizen(supervisor, "Self");
  Reply self = supervisor.Post("/api/v1/citizen-merges",
                               boost::json::object{{"from", id}, {"into", id}});
  EXPECT_TRUE(self.status == 400 || self.status == 409) << self;
  EXPECT_TRUE(IsProblem(self, self.status));
  EXPECT_TRUE(IsProblem(supervisor.Post("/api/v1/citizen-merges",
                                        boost::json::object{{"from", id}, {"into", 999999}}),
                        404));
}

// The single view's flags through the citizens API: absent on a new record,
// set by PATCH (partially), validated (an interpreter needs a language),
// the language dropped when the flag goes off, and every change in the
// resident's timeline as a "citizen.updated" event with flags.* changes.
TEST_F(CitizensTest, FlagsAreSetValidatedAndAudited) {
  Api agent = ApiAs(kAgent);
  int64_t id = CreateCitizen(agent, boost::json::object{{"given_name", "Flora"}, {"family_name", "Flag"}});
  const std::string path = "/api/v1/citizens/" + std::to_string(id);
  Reply fresh = agent.Get(path);
  ASSERT_EQ(fresh.status, 200) << fresh;
  const boost::json::object& none = fresh.At("flags").as_object();
  EXPECT_EQ(none.at("vulnerable"), false);
  EXPECT_EQ(none.at("interpreter_needed"), false);
  EXPECT_EQ(none.at("interpreter_language"), "");
  EXPECT_EQ(none.at("email_undeliverable"), false);

  Reply no_language = agent.Patch(path, boost::json::object{{"flags", {{"interpreter_needed", true}}}});
  EXPECT_TRUE(IsFieldProblem(no_language, 400, "flags.interpreter_language")) << no_language;
  Reply bad_type = agent.Patch(path, boost::json::object{{"flags", {{"vulnerable", "yes"}}}});
  EXPECT_TRUE(IsFieldProblem(bad_type, 400, "flags.vulnerable")) << bad_type;
  Reply unknown = agent.Patch(path, boost::json::object{{"flags", {{"vip", true}}}});
  EXPECT_EQ(unknown.status, 400) << unknown;

  Reply set = agent.Patch(path, boost::json::object{{"flags",
                                                      {{"interpreter_needed", true},
                                                       {"interpreter_language", "  Polish "},
                                                       {"vulnerable", true},
                                                       {"vulnerability_note", "Hard of hearing"}}}});
  ASSERT_EQ(set.status, 200) << set;
  EXPECT_EQ(set.At("flags").as_object().at("interpreter_language"), "Polish");
  EXPECT_EQ(set.At("flags").as_object().at("vulnerable"), true);
  Reply read = agent.Get(path);
  EXPECT_EQ(read.At("flags").as_object().at("vulnerability_note"), "Hard of hearing");
  EXPECT_EQ(read.At("flags").as_object().at("email_undeliverable"), false);

  // Only the keys sent change; turning the interpreter off drops the language.
  Reply off = agent.Patch(path, boost::json::object{{"flags", {{"interpreter_needed", false},
                                                                {"email_undeliverable", true}}}});
  ASSERT_EQ(off.status, 200) << off;
  const boost::json::object& flags = off.At("flags").as_object();
  EXPECT_EQ(flags.at("interpreter_needed"), false);
  EXPECT_EQ(flags.at("interpreter_language"), "");
  EXPECT_EQ(flags.at("vulnerable"), true);
  EXPECT_EQ(flags.at("email_undeliverable"), true);

  Reply timeline = agent.Get(path + "/timeline");
  ASSERT_EQ(timeline.status, 200) << timeline;
  bool language_recorded = false;
  for (const auto& entry : timeline.Items()) {
    const auto& object = entry.as_object();
    if (object.at("kind") != "event") continue;
    for (const auto& change : object.at("event").as_object().at("changes").as_array()) {
      const auto& c = change.as_object();
      if (c.at("field") == "flags.interpreter_language" && c.at("after") == "Polish") language_recorded = true;
    }
  }
  EXPECT_TRUE(language_recorded) << timeline;

  // Officers may not edit residents, flags included.
  Api officer = ApiAs(kWasteOfficer);
  EXPECT_EQ(officer.Patch(path, boost::json::object{{"flags", {{"vulnerable", false}}}}).status, 403);
}

}  // namespace
}  // namespace onestop::integration
