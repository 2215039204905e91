// app::RecordingsDirFor and the recordings_dir key (app/config.h).
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include <gtest/gtest.h>

#include "app/config.h"

namespace onestop::app {
namespace {

TEST(RecordingsDirTest, DerivedFromTheDatabaseUnlessSet) {
  Config config;
  config.database = "sqlite:var/onestop.db";
  EXPECT_EQ(RecordingsDirFor(config), "var/onestop.recordings");
  config.database = "sqlite:/srv/onestop/council.db";
  EXPECT_EQ(RecordingsDirFor(config), "/srv/onestop/council.recordings");

  config.database = "postgresql://onestop:secret@db.example/onestop";
  const std::string pg = RecordingsDirFor(config);
  EXPECT_EQ(pg.rfind("var/recordings-", 0), 0u) << pg;
  EXPECT_EQ(pg.size(), std::string("var/recordings-").size() + 16);
  // The password is not part of it; another database is another directory.
  config.database = "postgresql://onestop:other@db.example/onestop";
  EXPECT_EQ(RecordingsDirFor(config), pg);
  config.database = "postgresql://onestop:secret@db.example/test2";
  EXPECT_NE(RecordingsDirFor(config), pg);

  config.recordings_dir = "/mnt/recordings";
  EXPECT_EQ(RecordingsDirFor(config), "/mnt/recordings");
}

TEST(RecordingsDirTest, FileAndEnvironmentSetIt) {
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("onestop-recordings-config-" + std::to_string(::getpid()) + ".json"))
                               .string();
  std::ofstream(path) << R"({"recordings_dir": "/data/calls"})";
  Config config;
  ASSERT_TRUE(LoadConfigFile(path, config).ok());
  std::filesystem::remove(path);
  EXPECT_EQ(config.recordings_dir, "/data/calls");

  ::setenv("ONESTOP_RECORDINGS_DIR", "/nfs/calls", 1);
  absl::Status status = ApplyEnvironment(config);
  ::unsetenv("ONESTOP_RECORDINGS_DIR");
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(RecordingsDirFor(config), "/nfs/calls");
}

}  // namespace
}  // namespace onestop::app
