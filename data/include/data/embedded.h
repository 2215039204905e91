// Files from data/ compiled into the binary (see data/CMakeLists.txt).
#pragma once

#include <string_view>

namespace onestop::data {

// data/bank-holidays-england-and-wales.txt: one "YYYY-MM-DD" per line.
extern const std::string_view kBankHolidaysEnglandWales;
// data/demo/council.json: the fictional demo council (departments, teams,
// services, staff, citizens). Format: docs/catalogue-format.md.
extern const std::string_view kDemoCouncil;
// data/demo/articles.json: the demo council's knowledge-base articles
// ({"articles":[{title, summary, body, audience, status, service_codes,
// departments, keywords, owner_email, review_date}]}).
extern const std::string_view kDemoArticles;
// data/demo/theme/fairhaven-logo.svg: the demo council's logo, which the demo
// council file names as "theme/fairhaven-logo.svg" (app::DemoCouncilFiles).
extern const std::string_view kDemoLogoSvg;

}  // namespace onestop::data
