// The store test suite: one set of tests every domain::Store implementation
// must pass (SqliteStore, PgStore). An implementation's test file
// instantiates it with a StoreFactory:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, StoreSuite, ::testing::Values(MakeSqliteFactory()),
//                            StoreFactoryName);
//
// Tests run one at a time per process; helpers here are not thread-safe
// except where a test itself spawns threads against the store.
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include <gtest/gtest.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "domain/store.h"

namespace onestop::store_test {

struct StoreFactory {
  std::string name;
  // A fresh, empty, migrated store of its own.
  std::function<std::unique_ptr<domain::Store>()> make;
  // Opens again the store that `make` returned most recently (after the test
  // has closed and destroyed it). Null when the backend cannot: durability
  // tests are then skipped.
  std::function<std::unique_ptr<domain::Store>()> reopen;
  // Non-empty when the backend cannot run here (e.g. no PostgreSQL URL):
  // every test then reports SKIPPED with this reason.
  std::string unavailable;
};

inline std::ostream& operator<<(std::ostream& os, const StoreFactory& f) { return os << f.name; }
inline std::string StoreFactoryName(const ::testing::TestParamInfo<StoreFactory>& info) {
  return info.param.name;
}

class StoreSuite : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override;
  void TearDown() override;

  domain::Store& store() { return *store_; }
  // Closes and destroys the store, then reopens it through the factory.
  void Reopen();

  // Writes a fresh case (number from NextCaseNumber) built from `c`;
  // returns it as stored.
  domain::Case AddCase(domain::Case c);
  int64_t AddCitizen(const domain::Citizen& c);

  std::unique_ptr<domain::Store> store_;
};

// A case with every field set (optional ones included), id 0.
domain::Case FullCase();
// A citizen with every field set, id 0.
domain::Citizen FullCitizen();


}  // namespace onestop::store_test

#define STORE_ASSERT_OK(expr)                                              \
  do {                                                                     \
    const ::absl::Status store_status_ = ::onestop::store_test::AsStatus(expr); \
    ASSERT_TRUE(store_status_.ok()) << store_status_;                      \
  } while (0)
#define STORE_EXPECT_OK(expr)                                              \
  do {                                                                     \
    const ::absl::Status store_status_ = ::onestop::store_test::AsStatus(expr); \
    EXPECT_TRUE(store_status_.ok()) << store_status_;                      \
  } while (0)

namespace onestop::store_test {
inline absl::Status AsStatus(const absl::Status& s) { return s; }
template <typename T>
absl::Status AsStatus(const absl::StatusOr<T>& s) {
  return s.status();
}
}  // namespace onestop::store_test
