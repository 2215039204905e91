#include "app/store_factory.h"

#include <filesystem>

#include "app/database_url.h"
#include "common/status.h"
#include "store/postgres/pg_store.h"
#include "store/sqlite/sqlite_store.h"

namespace onestop::app {

absl::StatusOr<OpenedStore> OpenStore(const std::string& database_url, bool migrate) {
  ONESTOP_ASSIGN_OR_RETURN(DatabaseUrl url, ParseDatabaseUrl(database_url));
  if (url.kind == DatabaseUrl::Kind::kPostgres) {
    ONESTOP_ASSIGN_OR_RETURN(auto store, store::postgres::PgStore::Open(url.url));
    if (migrate) ONESTOP_RETURN_IF_ERROR(store->Migrate());
    OpenedStore out;
    ONESTOP_ASSIGN_OR_RETURN(out.schema_version, store->SchemaVersion());
    out.store = std::move(store);
    return out;
  }
  std::filesystem::path path(url.path);
  if (path.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) {
      return absl::UnavailableError("cannot create " + path.parent_path().string() + ": " +
                                    ec.message());
    }
  }
  ONESTOP_ASSIGN_OR_RETURN(auto store, store::sqlite::SqliteStore::Open(url.path));
  if (migrate) ONESTOP_RETURN_IF_ERROR(store->Migrate());
  OpenedStore out;
  ONESTOP_ASSIGN_OR_RETURN(out.schema_version, store->SchemaVersion());
  out.store = std::move(store);
  return out;
}

}  // namespace onestop::app
