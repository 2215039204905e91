// Picks and opens the concrete store for a database URL. The only place in
// the program that names a store implementation.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "domain/store.h"

namespace onestop::app {

struct OpenedStore {
  std::unique_ptr<domain::Store> store;
  int schema_version = 0;
};

// Opens the store; with `migrate` applies pending migrations first.
absl::StatusOr<OpenedStore> OpenStore(const std::string& database_url, bool migrate);

}  // namespace onestop::app
