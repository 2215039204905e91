#include "app/config.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include <gtest/gtest.h>

namespace onestop::app {
namespace {

std::string WriteTemp(const std::string& text) {
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("onestop-config-" + std::to_string(::getpid()) + ".json"))
                               .string();
  std::ofstream(path) << text;
  return path;
}

TEST(ConfigTest, ReadsNodeNameAndSecureCookiesFromTheFile) {
  const std::string path = WriteTemp(R"({"node_name": "app2", "secure_cookies": true, "port": 9090})");
  Config config;
  ASSERT_TRUE(LoadConfigFile(path, config).ok());
  EXPECT_EQ(config.node_name, "app2");
  EXPECT_TRUE(config.secure_cookies);
  EXPECT_EQ(config.port, 9090);
  std::filesystem::remove(path);

  const std::string bad = WriteTemp(R"({"secure_cookies": "yes"})");
  Config unchanged;
  EXPECT_FALSE(LoadConfigFile(bad, unchanged).ok());
  std::filesystem::remove(bad);
}

TEST(ConfigTest, EnvironmentOverridesAndRejectsNonsense) {
  Config config;
  ::setenv("ONESTOP_SECURE_COOKIES", "1", 1);
  ::setenv("ONESTOP_NODE_NAME", "app3", 1);
  ASSERT_TRUE(ApplyEnvironment(config).ok());
  EXPECT_TRUE(config.secure_cookies);
  EXPECT_EQ(config.node_name, "app3");
  ::setenv("ONESTOP_SECURE_COOKIES", "perhaps", 1);
  EXPECT_FALSE(ApplyEnvironment(config).ok());
  ::unsetenv("ONESTOP_SECURE_COOKIES");
  ::unsetenv("ONESTOP_NODE_NAME");
}

}  // namespace
}  // namespace onestop::app
