// docs/openapi.yaml and the registered routes must describe the same API:
// every documented operation is registered and every registered route is
// documented, with the same {param} names.
#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <utility>

#include <gtest/gtest.h>

#include "absl/strings/ascii.h"
#include "api/test_env.h"

namespace onestop::api {
namespace {

using Operation = std::pair<std::string, std::string>;  // METHOD, path

std::string SourceDir() {
  const char* dir = std::getenv("ONESTOP_SOURCE_DIR");
  return dir != nullptr ? dir : ONESTOP_FALLBACK_SOURCE_DIR;
}

// A line scan: "  /path:" opens a path item, "    get:" etc. an operation.
std::set<Operation> DocumentedOperations(const std::string& yaml) {
  static const std::regex kPath(R"(^  (/[^:\s]*):\s*$)");
  static const std::regex kMethod(R"(^    (get|post|put|patch|delete|head|options):\s*$)");
  std::set<Operation> out;
  std::istringstream lines(yaml);
  std::string line;
  std::string current;
  bool in_paths = false;
  while (std::getline(lines, line)) {
    if (!line.empty() && line[0] != ' ' && line[0] != '#') {
      in_paths = line.rfind("paths:", 0) == 0;
      current.clear();
      continue;
    }
    if (!in_paths) continue;
    std::smatch match;
    if (std::regex_match(line, match, kPath)) {
      current = match[1];
    } else if (!current.empty() && std::regex_match(line, match, kMethod)) {
      out.emplace(absl::AsciiStrToUpper(std::string(match[1])), current);
    }
  }
  return out;
}

TEST(OpenApiRoutesTest, DocumentAndRouterAgree) {
  std::string path = SourceDir() + "/docs/openapi.yaml";
  std::ifstream file(path);
  ASSERT_TRUE(file.good()) << "cannot read " << path;
  std::stringstream text;
  text << file.rdbuf();
  std::set<Operation> documented = DocumentedOperations(text.str());
  ASSERT_GE(documented.size(), 38u);  // guards against a scan that finds nothing

  testing::ApiTestEnv env;
  std::set<Operation> registered;
  for (const auto& [method, pattern] : env.router().Routes()) {
    if (pattern.find("...}") != std::string::npos) continue;  // static files
    EXPECT_TRUE(registered.emplace(method, pattern).second) << method << " " << pattern;
  }

  for (const Operation& op : documented) {
    EXPECT_TRUE(registered.count(op)) << "documented but not registered: " << op.first << " "
                                      << op.second;
  }
  for (const Operation& op : registered) {
    EXPECT_TRUE(documented.count(op)) << "registered but not documented: " << op.first << " "
                                      << op.second;
  }
}

TEST(OpenApiRoutesTest, ScannerReadsOnlyThePathsSection) {
  std::string yaml =
      "openapi: 3.1.0\n"
      "paths:\n"
      "  /a/{id}:\n"
      "    parameters:\n"
      "      - name: id\n"
      "    get:\n"
      "      summary: x\n"
      "    patch:\n"
      "      summary: y\n"
      "components:\n"
      "  /not-a-path:\n"
      "    get:\n";
  std::set<Operation> ops = DocumentedOperations(yaml);
  EXPECT_EQ(ops, (std::set<Operation>{{"GET", "/a/{id}"}, {"PATCH", "/a/{id}"}}));
}

}  // namespace
}  // namespace onestop::api
