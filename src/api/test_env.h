// Test-only: an ApiContext over a fresh SQLite store in a temporary
// directory, a Router with every API and system route, and a helper that
// dispatches a request without a socket. Header-only so it stays out of the
// onestop_api library.
#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <unistd.h>

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "api/api.h"
#include "common/clock.h"
#include "common/time_format.h"
#include "domain/calendar.h"
#include "http/metrics.h"
#include "http/router.h"
#include "services/catalogue.h"
#include "store/sqlite/sqlite_store.h"

namespace onestop::api::testing {

class ApiTestEnv {
 public:
  ApiTestEnv()
      : dir_(std::filesystem::temp_directory_path() /
             absl::StrCat("onestop_api_test_", getpid(), "_", counter_++)),
        clock_(absl::FromUnixSeconds(1'795'000'000)),
        calendar_(domain::CalendarConfig::Default(LondonTimeZone(), {})) {
    std::filesystem::create_directories(dir_);
    auto opened = store::sqlite::SqliteStore::Open((dir_ / "test.db").string());
    EXPECT_TRUE(opened.ok()) << opened.status();
    store_ = std::move(*opened);
    absl::Status migrated = store_->Migrate();
    EXPECT_TRUE(migrated.ok()) << migrated;
    catalogue_ = std::make_unique<services::Catalogue>(*store_, clock_);
    ctx_ = std::make_unique<ApiContext>(services::Deps{*store_, clock_, calendar_, *catalogue_});
    RegisterApiRoutes(router_, *ctx_);
    RegisterSystemRoutes(router_, metrics_, *store_);
  }
  ~ApiTestEnv() {
    ctx_.reset();
    catalogue_.reset();
    if (store_) store_->Close();
    store_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  http::Response Send(std::string method, std::string target, std::string body = "",
                      http::HeaderList headers = {}) {
    http::Request request;
    request.method = std::move(method);
    absl::Status target_ok = request.SetTarget(std::move(target));
    EXPECT_TRUE(target_ok.ok()) << target_ok;
    request.body = std::move(body);
    request.headers = std::move(headers);
    request.request_id = "test-request";
    return router_.Dispatch(request);
  }

  http::Router& router() { return router_; }
  ApiContext& ctx() { return *ctx_; }
  domain::Store& store() { return *store_; }
  FakeClock& clock() { return clock_; }

 private:
  static inline std::atomic<int> counter_{0};
  std::filesystem::path dir_;
  FakeClock clock_;
  domain::WorkingCalendar calendar_;
  std::unique_ptr<store::sqlite::SqliteStore> store_;
  std::unique_ptr<services::Catalogue> catalogue_;
  std::unique_ptr<ApiContext> ctx_;
  http::Metrics metrics_;
  http::Router router_;
};

}  // namespace onestop::api::testing
