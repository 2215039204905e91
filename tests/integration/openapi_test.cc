// A quick sanity scan of docs/openapi.yaml against the running server: every
// documented operation reaches a handler (no "No resource at this path" 404,
// no 405) and none answers 5xx. The exact route ⇄ document match is checked
// by src/api/openapi_routes_test.cc; this only proves the binary wires them.
#include <fstream>
#include <regex>
#include <sstream>

#include "api_client.h"

#ifndef ONESTOP_SOURCE_DIR
#define ONESTOP_SOURCE_DIR "."
#endif

namespace onestop::integration {
namespace {

class OpenApiTest : public ServerSuite {};

std::vector<std::pair<std::string, std::string>> Operations(const std::string& yaml) {
  static const std::regex kPath(R"(^  (/[^:\s]*):\s*$)");
  static const std::regex kMethod(R"(^    (get|post|put|patch|delete):\s*$)");
  std::vector<std::pair<std::string, std::string>> out;
  std::istringstream lines(yaml);
  std::string line, path;
  std::smatch match;
  while (std::getline(lines, line)) {
    if (std::regex_match(line, match, kPath)) {
      path = match[1];
    } else if (!path.empty() && std::regex_match(line, match, kMethod)) {
      std::string method = match[1];
      for (char& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      out.emplace_back(method, path);
    } else if (!line.empty() && line[0] != ' ' && line[0] != '#') {
      path.clear();  // left the paths: section
    }
  }
  return out;
}

TEST_F(OpenApiTest, EveryDocumentedOperationReachesAHandler) {
  const char* env = std::getenv("ONESTOP_SOURCE_DIR");
  std::string file = std::string(env ? env : ONESTOP_SOURCE_DIR) + "/docs/openapi.yaml";
  std::ifstream in(file);
  if (!in) GTEST_SKIP() << file << " not found";
  std::stringstream text;
  text << in.rdbuf();
  auto operations = Operations(text.str());
  ASSERT_GE(operations.size(), 20u) << "scan found too few operations in " << file;

  Api admin = ApiAs(kAdmin);
  int64_t citizen_id = CreateCitizen(admin, "Openapi");
  int64_t case_id = CreateCase(admin, ServiceIn("waste", "bin"), citizen_id).Int("id");
  const ServiceInfo& service = ServiceIn("waste", "bin");
  for (const auto& [method, path] : operations) {
    if (method == "DELETE" && path == "/api/v1/session") continue;  // would log us out
    std::string target = path;
    auto substitute = [&](const std::string& param, const std::string& value) {
      for (size_t at = target.find(param); at != std::string::npos; at = target.find(param)) {
        target.replace(at, param.size(), value);
      }
    };
    bool citizen_path = path.find("/citizens/") != std::string::npos;
    substitute("{id}", std::to_string(citizen_path ? citizen_id : case_id));
    substitute("{code}", path.find("/services/") != std::string::npos ? service.code : "waste");
    ASSERT_EQ(target.find('{'), std::string::npos) << "unhandled parameter in " << path;
    Reply reply = method == "GET" ? admin.Get(target) : admin.Send(method, target, "{}");
    SCOPED_TRACE(method + " " + target);
    EXPECT_NE(reply.status, 0) << reply;
    EXPECT_NE(reply.status, 405) << reply;
    EXPECT_LT(reply.status, 500) << reply;
    if (reply.status == 404) {
      EXPECT_EQ(reply.Str("detail").find("No resource at this path"), std::string::npos)
          << "documented but not routed: " << reply;
    }
  }
  EXPECT_EQ(admin.Get("/healthz").status, 200);
}

}  // namespace
}  // namespace onestop::integration
