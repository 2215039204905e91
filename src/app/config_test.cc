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

TEST(SipConfigTest, ReadsTheSipSection) {
  const std::string path =
      WriteTemp(R"({"sip": {"listen": "0.0.0.0:5060", "rtp_ports": "30000-30099",
    "public_address": "203.0.113.7", "realm": "fairhaven",
    "trunks": [{"name": "carrier", "addresses": ["192.0.2.0/24", "2001:db8::1"],
                "username": "fh", "password": "secret"}]}})");
  Config config;
  ASSERT_TRUE(LoadConfigFile(path, config).ok());
  std::filesystem::remove(path);
  EXPECT_EQ(config.sip.listen, "0.0.0.0:5060");
  EXPECT_EQ(config.sip.listen_host, "0.0.0.0");
  EXPECT_EQ(config.sip.listen_port, 5060);
  EXPECT_EQ(config.sip.rtp_first, 30000);
  EXPECT_EQ(config.sip.rtp_last, 30099);
  EXPECT_EQ(config.sip.public_address, "203.0.113.7");
  EXPECT_EQ(config.sip.realm, "fairhaven");
  ASSERT_EQ(config.sip.trunks.size(), 1u);  // no "local" trunk when trunks are configured
  EXPECT_EQ(config.sip.trunks[0],
            (SipTrunk{"carrier", {"192.0.2.0/24", "2001:db8::1"}, "fh", "secret"}));
}

TEST(SipConfigTest, DefaultsAndTheLocalTrunk) {
  Config config;
  EXPECT_TRUE(config.sip.listen.empty());
  EXPECT_EQ(config.sip.rtp_ports, "20000-20999");
  EXPECT_EQ(config.sip.realm, "onestop");
  ASSERT_TRUE(ResolveSipConfig(config.sip).ok());
  EXPECT_TRUE(config.sip.trunks.empty());  // no SIP, no trunk
  EXPECT_EQ(config.sip.rtp_first, 20000);
  EXPECT_EQ(config.sip.rtp_last, 20999);

  config.sip.listen = "[::1]:5070";
  ASSERT_TRUE(ResolveSipConfig(config.sip).ok());
  EXPECT_EQ(config.sip.listen_host, "::1");
  EXPECT_EQ(config.sip.listen_port, 5070);
  ASSERT_EQ(config.sip.trunks.size(), 1u);
  EXPECT_EQ(config.sip.trunks[0].name, "local");
  EXPECT_TRUE(config.sip.trunks[0].username.empty());
  EXPECT_EQ(FindTrunk(config.sip, "127.0.0.1"), &config.sip.trunks[0]);
  EXPECT_EQ(FindTrunk(config.sip, "::1"), &config.sip.trunks[0]);
  EXPECT_EQ(FindTrunk(config.sip, "127.0.0.2"), nullptr);
  EXPECT_EQ(FindTrunk(config.sip, "192.0.2.1"), nullptr);
  // Idempotent: a second resolve adds nothing.
  ASSERT_TRUE(ResolveSipConfig(config.sip).ok());
  EXPECT_EQ(config.sip.trunks.size(), 1u);

  const std::string path = WriteTemp(R"({"sip": {"listen": "127.0.0.1:0"}})");
  Config from_file;
  ASSERT_TRUE(LoadConfigFile(path, from_file).ok());
  std::filesystem::remove(path);
  EXPECT_EQ(from_file.sip.listen_port, 0);
  ASSERT_EQ(from_file.sip.trunks.size(), 1u);
  EXPECT_EQ(from_file.sip.trunks[0].name, "local");
}

TEST(SipConfigTest, EnvironmentSetsListen) {
  Config config;
  ::setenv("ONESTOP_SIP_LISTEN", "127.0.0.1:5080", 1);
  ASSERT_TRUE(ApplyEnvironment(config).ok());
  EXPECT_EQ(config.sip.listen, "127.0.0.1:5080");
  EXPECT_EQ(config.sip.listen_port, 5080);
  ::setenv("ONESTOP_SIP_LISTEN", "nonsense", 1);
  Config bad;
  EXPECT_FALSE(ApplyEnvironment(bad).ok());
  ::unsetenv("ONESTOP_SIP_LISTEN");
}

TEST(SipConfigTest, RejectsBadValues) {
  auto rejects = [](const std::string& sip_json) {
    const std::string path = WriteTemp(R"({"sip": )" + sip_json + "}");
    Config config;
    absl::Status s = LoadConfigFile(path, config);
    std::filesystem::remove(path);
    return !s.ok();
  };
  EXPECT_FALSE(rejects(R"({"listen": "127.0.0.1:5060"})"));
  EXPECT_TRUE(rejects(R"({"listen": "127.0.0.1"})"));
  EXPECT_TRUE(rejects(R"({"listen": "127.0.0.1:70000"})"));
  EXPECT_TRUE(rejects(R"({"listen": "::1:5060"})"));
  EXPECT_TRUE(rejects(R"({"listen": "[::1]5060"})"));
  EXPECT_TRUE(rejects(R"({"listen": "[nonsense]:5060"})"));
  EXPECT_TRUE(rejects(R"({"listen": ":5060"})"));
  EXPECT_TRUE(rejects(R"({"listen": "127.0.0.1:-1"})"));
  EXPECT_TRUE(rejects(R"({"rtp_ports": "20001-20999"})"));  // odd first
  EXPECT_TRUE(rejects(R"({"rtp_ports": "20000-20000"})"));
  EXPECT_TRUE(rejects(R"({"rtp_ports": "1000-2000"})"));
  EXPECT_TRUE(rejects(R"({"rtp_ports": "60000-70000"})"));
  EXPECT_TRUE(rejects(R"({"rtp_ports": "20000"})"));
  EXPECT_TRUE(rejects(R"({"rtp_ports": "a-b"})"));
  EXPECT_FALSE(rejects(R"({"rtp_ports": "1024-65535"})"));
  EXPECT_TRUE(rejects(R"({"public_address": "not an address"})"));
  EXPECT_FALSE(rejects(R"({"public_address": "sip.fairhaven.gov.uk"})"));
  EXPECT_TRUE(rejects(R"({"realm": ""})"));
  EXPECT_TRUE(rejects(R"({"colour": "red"})"));
  EXPECT_TRUE(rejects(R"({"trunks": [{"name": "x", "addresses": ["192.0.2.0/33"]}]})"));
  EXPECT_TRUE(rejects(R"({"trunks": [{"name": "x", "addresses": ["2001:db8::/129"]}]})"));
  EXPECT_TRUE(rejects(R"({"trunks": [{"name": "x", "addresses": ["carrier.example"]}]})"));
  EXPECT_TRUE(rejects(R"({"trunks": [{"name": "x", "addresses": []}]})"));
  EXPECT_TRUE(rejects(R"({"trunks": [{"addresses": ["192.0.2.1"]}]})"));
  EXPECT_TRUE(
      rejects(R"({"trunks": [{"name": "x", "addresses": ["192.0.2.1"], "username": "u"}]})"));
  EXPECT_TRUE(rejects(R"({"trunks": [{"name": "x", "addresses": ["192.0.2.1"]},
                                     {"name": "x", "addresses": ["192.0.2.2"]}]})"));
  EXPECT_TRUE(rejects(R"({"trunks": [{"name": "x", "addresses": ["192.0.2.1"], "port": 5060}]})"));
  EXPECT_TRUE(rejects(R"({"trunks": [{"name": "x", "addresses": "192.0.2.1"}]})"));
}

TEST(SipConfigTest, TrunkAllowsMatchesAddressesAndBlocks) {
  SipTrunk trunk{"carrier",
                 {"192.0.2.0/24", "198.51.100.7", "2001:db8:10::/48", "fe80::1", "10.0.0.0/9"},
                 "",
                 ""};
  EXPECT_TRUE(TrunkAllows(trunk, "192.0.2.0"));
  EXPECT_TRUE(TrunkAllows(trunk, "192.0.2.255"));
  EXPECT_FALSE(TrunkAllows(trunk, "192.0.3.1"));
  EXPECT_TRUE(TrunkAllows(trunk, "198.51.100.7"));
  EXPECT_FALSE(TrunkAllows(trunk, "198.51.100.8"));
  EXPECT_TRUE(TrunkAllows(trunk, "10.127.255.255"));  // a prefix that is not a whole byte
  EXPECT_FALSE(TrunkAllows(trunk, "10.128.0.0"));
  EXPECT_TRUE(TrunkAllows(trunk, "2001:db8:10::5"));
  EXPECT_TRUE(TrunkAllows(trunk, "2001:0db8:0010:ffff::1"));
  EXPECT_FALSE(TrunkAllows(trunk, "2001:db8:11::5"));
  EXPECT_TRUE(TrunkAllows(trunk, "fe80::1"));
  EXPECT_FALSE(TrunkAllows(trunk, "fe80::2"));
  // IPv4-mapped IPv6 (a dual-stack socket's view of an IPv4 peer).
  EXPECT_TRUE(TrunkAllows(trunk, "::ffff:192.0.2.9"));
  EXPECT_FALSE(TrunkAllows(trunk, "::ffff:192.0.3.9"));
  // IPv4 never matches an IPv6 block and the other way round.
  EXPECT_FALSE(TrunkAllows(SipTrunk{"v6", {"::/0"}, "", ""}, "192.0.2.1"));
  EXPECT_TRUE(TrunkAllows(SipTrunk{"v6", {"::/0"}, "", ""}, "2001:db8::1"));
  EXPECT_TRUE(TrunkAllows(SipTrunk{"all", {"0.0.0.0/0"}, "", ""}, "203.0.113.1"));
  EXPECT_TRUE(TrunkAllows(SipTrunk{"mapped", {"::ffff:192.0.2.0/120"}, "", ""}, "192.0.2.77"));
  // Nonsense is never allowed.
  EXPECT_FALSE(TrunkAllows(trunk, ""));
  EXPECT_FALSE(TrunkAllows(trunk, "192.0.2.1/24"));
  EXPECT_FALSE(TrunkAllows(trunk, "192.0.2"));
  EXPECT_FALSE(TrunkAllows(trunk, "carrier.example"));
  EXPECT_FALSE(TrunkAllows(SipTrunk{"bad", {"nonsense"}, "", ""}, "192.0.2.1"));
}

}  // namespace
}  // namespace onestop::app
