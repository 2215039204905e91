#include "app/database_url.h"

#include "gtest/gtest.h"

namespace onestop::app {
namespace {

TEST(DatabaseUrlTest, ParsesSchemes) {
  EXPECT_EQ(ParseDatabaseUrl("sqlite:var/onestop.db")->path, "var/onestop.db");
  EXPECT_EQ(ParseDatabaseUrl("sqlite:///tmp/x.db")->path, "/tmp/x.db");
  EXPECT_EQ(ParseDatabaseUrl("postgresql://h/db")->kind, DatabaseUrl::Kind::kPostgres);
  EXPECT_FALSE(ParseDatabaseUrl("mysql://h/db").ok());
  EXPECT_FALSE(ParseDatabaseUrl("sqlite:").ok());
}

TEST(DatabaseUrlTest, RedactsPasswords) {
  EXPECT_EQ(RedactDatabaseUrl("postgresql://app:s3cret@db.example:5432/onestop"),
            "postgresql://app:***@db.example:5432/onestop");
  EXPECT_EQ(RedactDatabaseUrl("postgresql://app@db/onestop"), "postgresql://app@db/onestop");
  EXPECT_EQ(RedactDatabaseUrl("postgresql://db/onestop?user=a&password=x&sslmode=require"),
            "postgresql://db/onestop?user=a&password=***&sslmode=require");
  EXPECT_EQ(RedactDatabaseUrl("sqlite:var/onestop.db"), "sqlite:var/onestop.db");
}

}  // namespace
}  // namespace onestop::app
